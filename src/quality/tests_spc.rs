use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn individuals_limits_of_a_hand_worked_baseline() {
    // mean 11.6; moving ranges 2, 1, 2, 1: mean 1.5; sigma 1.5 / 1.128.
    let l = individuals_limits(&[10.0, 12.0, 11.0, 13.0, 12.0]).unwrap();
    let sigma = 1.5 / 1.128;
    assert!(close(l.individuals.center, 11.6));
    assert!(close(l.individuals.upper, 11.6 + 3.0 * sigma));
    assert!(close(l.individuals.lower, 11.6 - 3.0 * sigma));
    assert!(close(l.moving_range.center, 1.5));
    assert!(close(l.moving_range.upper, 3.267 * 1.5));
    assert_eq!(l.moving_range.lower, 0.0);
    assert!(close(l.sigma_within, sigma));
    assert_eq!(l.baseline_points, 5);
    assert!(l.how.contains("d2"), "{}", l.how);
}

#[test]
fn xbar_r_limits_of_a_hand_worked_baseline() {
    // Means 2, 5, 8 (grand 5); ranges 2, 2, 2 (mean 2); n = 3: A2 1.023, D4 2.574.
    let l = xbar_r_limits(&[
        vec![1.0, 2.0, 3.0],
        vec![4.0, 5.0, 6.0],
        vec![7.0, 8.0, 9.0],
    ])
    .unwrap();
    assert!(close(l.xbar.center, 5.0));
    assert!(close(l.xbar.upper, 5.0 + 1.023 * 2.0));
    assert!(close(l.xbar.lower, 5.0 - 1.023 * 2.0));
    assert!(close(l.range.center, 2.0));
    assert!(close(l.range.upper, 2.574 * 2.0));
    assert_eq!(l.range.lower, 0.0);
    assert!(close(l.sigma_within, 2.0 / 1.693));
    // n = 7 has a lower range limit.
    let seven: Vec<Vec<f64>> = (0..4)
        .map(|g| (0..7).map(|i| f64::from(g * 3 + i)).collect())
        .collect();
    let l7 = xbar_r_limits(&seven).unwrap();
    assert!(close(l7.range.lower, 0.076 * 6.0));
}

#[test]
fn bad_baselines_say_what_is_wrong() {
    assert_eq!(
        individuals_limits(&[1.0]),
        Err(SpcError::TooFew { got: 1, need: 2 })
    );
    assert_eq!(
        individuals_limits(&[4.0, 4.0, 4.0]),
        Err(SpcError::NoVariation(4.0))
    );
    assert_eq!(
        individuals_limits(&[1.0, f64::NAN]),
        Err(SpcError::NotFinite { index: 1 })
    );
    assert_eq!(
        xbar_r_limits(&[vec![1.0, 2.0], vec![1.0, 2.0, 3.0]]),
        Err(SpcError::UnequalSubgroup {
            index: 1,
            got: 3,
            size: 2
        })
    );
    assert_eq!(
        xbar_r_limits(&[vec![1.0; 11], vec![2.0; 11]]),
        Err(SpcError::SubgroupSize(11))
    );
    assert!(
        SpcError::UnequalSubgroup {
            index: 1,
            got: 3,
            size: 2
        }
        .to_string()
        .contains("one size")
    );
    assert_eq!(
        Spec::new(Some(5.0), Some(5.0)),
        Err(SpcError::SpecOrder {
            lower: 5.0,
            upper: 5.0
        })
    );
}

/// Center 0, sigma 1: limits at ±3, zones at ±1 and ±2.
const UNIT: Limits = Limits {
    center: 0.0,
    lower: -3.0,
    upper: 3.0,
};

fn flagged(values: &[f64], rule: Rule) -> Vec<usize> {
    western_electric(values, &UNIT)
        .into_iter()
        .filter(|v| v.rule == rule)
        .map(|v| v.index)
        .collect()
}

#[test]
fn rule_1_one_point_beyond_a_limit_and_not_on_it() {
    let v = [0.0, 3.5, 0.0, -3.0, -3.01, 3.0];
    assert_eq!(flagged(&v, Rule::BeyondLimit), vec![1, 4]);
}

#[test]
fn rule_2_two_of_three_beyond_two_sigma_on_one_side() {
    assert_eq!(
        flagged(&[2.5, 0.0, 2.1], Rule::TwoOfThreeBeyond2Sigma),
        vec![2]
    );
    assert_eq!(flagged(&[2.5, 2.1], Rule::TwoOfThreeBeyond2Sigma), vec![1]);
    // Opposite sides, a point on the 2 sigma line, or too far apart: none.
    assert!(flagged(&[2.5, -2.5, 0.5], Rule::TwoOfThreeBeyond2Sigma).is_empty());
    assert!(flagged(&[2.5, 2.0, 0.5], Rule::TwoOfThreeBeyond2Sigma).is_empty());
    assert!(flagged(&[2.5, 0.0, 0.0, 2.5], Rule::TwoOfThreeBeyond2Sigma).is_empty());
    // Below: the same.
    assert_eq!(
        flagged(&[-2.2, -2.9, 0.0], Rule::TwoOfThreeBeyond2Sigma),
        vec![1]
    );
}

#[test]
fn rule_3_four_of_five_beyond_one_sigma_on_one_side() {
    assert_eq!(
        flagged(&[1.5, 1.5, 0.0, 1.5, 1.5], Rule::FourOfFiveBeyond1Sigma),
        vec![4]
    );
    assert!(flagged(&[1.5, 1.5, 0.0, 1.5, 1.0], Rule::FourOfFiveBeyond1Sigma).is_empty());
    assert!(
        flagged(
            &[1.5, 1.5, 0.0, 0.0, 1.5, 1.5],
            Rule::FourOfFiveBeyond1Sigma
        )
        .is_empty()
    );
    assert_eq!(
        flagged(
            &[-1.1, -1.2, -1.3, -1.4, -1.5],
            Rule::FourOfFiveBeyond1Sigma
        ),
        vec![3, 4]
    );
}

#[test]
fn rule_4_eight_in_a_row_on_one_side_and_the_center_line_breaks_a_run() {
    let eight = [0.5; 8];
    assert_eq!(flagged(&eight, Rule::EightOnOneSide), vec![7]);
    let nine = [0.5; 9];
    assert_eq!(flagged(&nine, Rule::EightOnOneSide), vec![7, 8]);
    let mut broken = [0.5; 9];
    broken[4] = 0.0;
    assert!(flagged(&broken, Rule::EightOnOneSide).is_empty());
    assert_eq!(flagged(&[-0.1; 8], Rule::EightOnOneSide), vec![7]);
    assert!(flagged(&[0.5; 7], Rule::EightOnOneSide).is_empty());
}

#[test]
fn spec_limits_accept_values_on_them() {
    let spec = Spec::new(Some(9.95), Some(10.05)).unwrap();
    assert!(spec.accepts(9.95));
    assert!(spec.accepts(10.05));
    assert!(!spec.accepts(10.050_000_001));
    assert!(!spec.accepts(9.949_999));
    let upper_only = Spec::new(None, Some(1.0)).unwrap();
    assert!(upper_only.accepts(-1e9));
    assert!(!upper_only.accepts(1.01));
}

#[test]
fn capability_of_a_hand_worked_lot() {
    // Mean 10; moving ranges 0.2, 0.2, 0.2: sigma within 0.2 / 1.128.
    let values = [9.9, 10.1, 9.9, 10.1];
    let spec = Spec::new(Some(9.0), Some(11.5)).unwrap();
    let c = capability(&values, &spec).unwrap();
    let within = 0.2 / 1.128;
    assert!(close(c.mean, 10.0));
    assert!(close(c.sigma_within, within));
    assert!(close(c.cp.unwrap(), 2.5 / (6.0 * within)));
    assert!(close(c.cpk.unwrap(), 1.0 / (3.0 * within)));
    // One-sided: no Cp, Cpk from the side there is.
    let c1 = capability(&values, &Spec::new(None, Some(11.5)).unwrap()).unwrap();
    assert_eq!(c1.cp, None);
    assert!(close(c1.cpk.unwrap(), 1.5 / (3.0 * within)));
}

/// Computes the same figures with Python's statistics module, an implementation written
/// apart from this one, over generated data sets.
#[test]
fn figures_agree_with_python_statistics() {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(15);
    for set in 0..5 {
        let n = 20 + set * 7;
        let values: Vec<f64> = (0..n)
            .map(|_| 25.0 + f64::from(rng.random_range(-400..400_i32)) / 1000.0)
            .collect();
        let spec = Spec::new(Some(24.4), Some(25.8)).unwrap();
        let ours = capability(&values, &spec).unwrap();
        let limits = individuals_limits(&values).unwrap();
        let subgroups: Vec<Vec<f64>> = values.chunks_exact(4).map(<[f64]>::to_vec).collect();
        let xr = xbar_r_limits(&subgroups).unwrap();

        let list = values
            .iter()
            .map(|v| format!("{v:?}"))
            .collect::<Vec<_>>()
            .join(",");
        let script = format!(
            r#"
import statistics as st
x = [{list}]
mr = [abs(b - a) for a, b in zip(x, x[1:])]
m = st.fmean(x); mrb = st.fmean(mr); sw = mrb / 1.128; so = st.stdev(x)
lsl, usl = 24.4, 25.8
g = [x[i:i+4] for i in range(0, len(x) - len(x) % 4, 4)]
gm = st.fmean([st.fmean(s) for s in g]); rb = st.fmean([max(s) - min(s) for s in g])
out = [m, m + 3 * sw, m - 3 * sw, 3.267 * mrb, (usl - lsl) / (6 * sw),
       min(usl - m, m - lsl) / (3 * sw), (usl - lsl) / (6 * so), min(usl - m, m - lsl) / (3 * so),
       gm + 0.729 * rb, gm - 0.729 * rb, 2.282 * rb]
print(" ".join(repr(v) for v in out))
"#
        );
        let out = std::process::Command::new("python3")
            .arg("-c")
            .arg(&script)
            .output()
            .expect("python3 runs (scripts/install-deps installs it)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let py: Vec<f64> = String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect();
        let mine = [
            ours.mean,
            limits.individuals.upper,
            limits.individuals.lower,
            limits.moving_range.upper,
            ours.cp.unwrap(),
            ours.cpk.unwrap(),
            ours.pp.unwrap(),
            ours.ppk.unwrap(),
            xr.xbar.upper,
            xr.xbar.lower,
            xr.range.upper,
        ];
        for (i, (a, b)) in mine.iter().zip(&py).enumerate() {
            assert!(close(*a, *b), "set {set}, figure {i}: ours {a}, Python {b}");
        }
    }
}

#[test]
fn subgroups_are_consecutive_measurements_of_one_lot_even_when_lots_interleave() {
    let lots = ["A", "A", "A", "A", "A", "B", "B", "B", "C"];
    // Size 2: A's fifth value fills no subgroup; B's third neither; C's one neither.
    assert_eq!(
        subgroups(&lots, 2),
        vec![vec![0, 1], vec![2, 3], vec![5, 6]]
    );
    assert_eq!(subgroups(&lots, 3), vec![vec![0, 1, 2], vec![5, 6, 7]]);
    assert!(subgroups(&lots, 6).is_empty());
    // Two lots running side by side: each one's checks form its subgroups.
    assert_eq!(
        subgroups(&["A", "B", "A", "B", "A", "B", "A"], 2),
        vec![vec![0, 2], vec![1, 3], vec![4, 6]]
    );
}
