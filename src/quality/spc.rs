//! Statistical process control for measured characteristics: individuals and moving
//! range charts (I-MR), X-bar/R charts for subgroups, the Western Electric rules 1-4
//! and the capability indices Cp, Cpk (within-subgroup sigma) and Pp, Ppk (overall
//! sigma).
//!
//! Control limits come from a baseline (the points the quality engineer chose as
//! representative) and are then applied to any points, so a new lot is judged against
//! the process as it was. The constants are the usual tabulated ones (ASTM STP 15D, as
//! printed in Montgomery's *Introduction to Statistical Quality Control*, appendix VI),
//! to three or four decimals, so figures agree with those worked by hand from the same
//! table. Every result carries the words that say how it was computed.

use serde::Serialize;

/// The largest subgroup size the X-bar/R constants are tabulated for here.
pub const MAX_SUBGROUP: usize = 10;

/// d2: the mean range of `n` normal values in units of sigma (index = n).
const D2: [f64; MAX_SUBGROUP + 1] = [
    0.0, 0.0, 1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078,
];
/// A2: X-bar chart limits are the grand mean ± A2 * mean range.
const A2: [f64; MAX_SUBGROUP + 1] = [
    0.0, 0.0, 1.880, 1.023, 0.729, 0.577, 0.483, 0.419, 0.373, 0.337, 0.308,
];
/// D3: the range chart's lower limit is D3 * mean range.
const D3: [f64; MAX_SUBGROUP + 1] = [
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.076, 0.136, 0.184, 0.223,
];
/// D4: the range chart's upper limit is D4 * mean range.
const D4: [f64; MAX_SUBGROUP + 1] = [
    0.0, 0.0, 3.267, 2.574, 2.282, 2.114, 2.004, 1.924, 1.864, 1.816, 1.777,
];

/// Why limits or indices cannot be computed from what was given. Sent to the UI as
/// `{"code": "too_few", "params": {...}}` (a single value as `params` itself), so it says
/// it in the user's language.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "code", content = "params", rename_all = "snake_case")]
pub enum SpcError {
    #[error("the baseline has {got} values; control limits need at least {need}")]
    TooFew { got: usize, need: usize },
    #[error(
        "subgroup {index} has {got} values where the others have {size}; X-bar/R needs subgroups of one size"
    )]
    UnequalSubgroup {
        index: usize,
        got: usize,
        size: usize,
    },
    #[error("subgroups of {0} values: X-bar/R is computed for sizes 2 to {MAX_SUBGROUP}")]
    SubgroupSize(usize),
    #[error("value {index} is not a number")]
    NotFinite { index: usize },
    #[error(
        "the baseline does not vary (every value is {0}); sigma is 0, so limits would be meaningless"
    )]
    NoVariation(f64),
    #[error("the lower spec limit {lower} is not below the upper {upper}")]
    SpecOrder { lower: f64, upper: f64 },
}

/// Center line and limits of one chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Limits {
    pub center: f64,
    pub lower: f64,
    pub upper: f64,
}

impl Limits {
    /// One sigma of the plotted statistic: a third of the distance to the upper limit.
    pub fn sigma(&self) -> f64 {
        (self.upper - self.center) / 3.0
    }
}

/// Limits of an individuals and moving-range chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IndividualsLimits {
    pub individuals: Limits,
    pub moving_range: Limits,
    /// The process sigma estimated within: mean moving range / d2(2).
    pub sigma_within: f64,
    pub baseline_points: usize,
    pub how: String,
}

/// Limits of an X-bar and range chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct XbarRLimits {
    pub xbar: Limits,
    pub range: Limits,
    pub subgroup_size: usize,
    /// The process sigma estimated within subgroups: mean range / d2(n).
    pub sigma_within: f64,
    pub baseline_subgroups: usize,
    pub how: String,
}

fn check_finite(values: &[f64]) -> Result<(), SpcError> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(SpcError::NotFinite { index }),
        None => Ok(()),
    }
}

pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// |x(i) - x(i-1)| for each value after the first.
pub fn moving_ranges(values: &[f64]) -> Vec<f64> {
    values.windows(2).map(|w| (w[1] - w[0]).abs()).collect()
}

/// The sample standard deviation (n - 1 in the denominator).
pub fn sample_std_dev(values: &[f64]) -> f64 {
    let m = mean(values);
    let ss: f64 = values.iter().map(|v| (v - m) * (v - m)).sum();
    (ss / (values.len() as f64 - 1.0)).sqrt()
}

/// I-MR limits from a baseline of individual values (at least two, which vary).
pub fn individuals_limits(baseline: &[f64]) -> Result<IndividualsLimits, SpcError> {
    check_finite(baseline)?;
    if baseline.len() < 2 {
        return Err(SpcError::TooFew {
            got: baseline.len(),
            need: 2,
        });
    }
    let center = mean(baseline);
    let mr = moving_ranges(baseline);
    let mr_bar = mean(&mr);
    if mr_bar == 0.0 {
        return Err(SpcError::NoVariation(baseline[0]));
    }
    let sigma = mr_bar / D2[2];
    Ok(IndividualsLimits {
        individuals: Limits {
            center,
            lower: center - 3.0 * sigma,
            upper: center + 3.0 * sigma,
        },
        moving_range: Limits {
            center: mr_bar,
            lower: D3[2] * mr_bar,
            upper: D4[2] * mr_bar,
        },
        sigma_within: sigma,
        baseline_points: baseline.len(),
        how: format!(
            "from {} baseline values: center = their mean {center}; mean moving range \
             MR = {mr_bar} over {} ranges; sigma = MR / d2 = MR / {}; limits = center ± 3 sigma; \
             moving range chart: center MR, upper D4 * MR = {} * MR, lower 0",
            baseline.len(),
            mr.len(),
            D2[2],
            D4[2]
        ),
    })
}

/// X-bar/R limits from baseline subgroups of one size (2 to 10).
pub fn xbar_r_limits(subgroups: &[Vec<f64>]) -> Result<XbarRLimits, SpcError> {
    let Some(first) = subgroups.first() else {
        return Err(SpcError::TooFew { got: 0, need: 2 });
    };
    let n = first.len();
    if !(2..=MAX_SUBGROUP).contains(&n) {
        return Err(SpcError::SubgroupSize(n));
    }
    for (index, g) in subgroups.iter().enumerate() {
        if g.len() != n {
            return Err(SpcError::UnequalSubgroup {
                index,
                got: g.len(),
                size: n,
            });
        }
        check_finite(g)?;
    }
    if subgroups.len() < 2 {
        return Err(SpcError::TooFew {
            got: subgroups.len(),
            need: 2,
        });
    }
    let means: Vec<f64> = subgroups.iter().map(|g| mean(g)).collect();
    let ranges: Vec<f64> = subgroups.iter().map(|g| range(g)).collect();
    let grand = mean(&means);
    let r_bar = mean(&ranges);
    if r_bar == 0.0 {
        return Err(SpcError::NoVariation(first[0]));
    }
    Ok(XbarRLimits {
        xbar: Limits {
            center: grand,
            lower: grand - A2[n] * r_bar,
            upper: grand + A2[n] * r_bar,
        },
        range: Limits {
            center: r_bar,
            lower: D3[n] * r_bar,
            upper: D4[n] * r_bar,
        },
        subgroup_size: n,
        sigma_within: r_bar / D2[n],
        baseline_subgroups: subgroups.len(),
        how: format!(
            "from {} baseline subgroups of {n}: center = the mean of their means {grand}; \
             mean range R = {r_bar}; X-bar limits = center ± A2 * R with A2 = {}; range chart: \
             center R, lower D3 * R = {} * R, upper D4 * R = {} * R; sigma = R / d2 = R / {}",
            subgroups.len(),
            A2[n],
            D3[n],
            D4[n],
            D2[n]
        ),
    })
}

/// Subgroups of `n` consecutive measurements of one lot, as indices into `lots` (each
/// measurement's lot, in time order; lots running side by side interleave): each lot's
/// measurements in chunks of `n`, a lot's last ones that fill no chunk left out, ordered
/// by their first measurement.
pub fn subgroups(lots: &[&str], n: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut open: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, lot) in lots.iter().enumerate() {
        let current = open.entry(lot).or_default();
        current.push(i);
        if current.len() == n {
            out.push(std::mem::take(current));
        }
    }
    out.sort_by_key(|g| g[0]);
    out
}

/// Largest minus smallest.
pub fn range(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    max - min
}

/// A Western Electric rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// One point beyond 3 sigma.
    BeyondLimit,
    /// Two of three consecutive points beyond 2 sigma, on one side.
    TwoOfThreeBeyond2Sigma,
    /// Four of five consecutive points beyond 1 sigma, on one side.
    FourOfFiveBeyond1Sigma,
    /// Eight consecutive points on one side of the center line.
    EightOnOneSide,
}

impl Rule {
    pub fn number(self) -> u8 {
        match self {
            Rule::BeyondLimit => 1,
            Rule::TwoOfThreeBeyond2Sigma => 2,
            Rule::FourOfFiveBeyond1Sigma => 3,
            Rule::EightOnOneSide => 4,
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Rule::BeyondLimit => "one point beyond a control limit (3 sigma)",
            Rule::TwoOfThreeBeyond2Sigma => "two of three points beyond 2 sigma on one side",
            Rule::FourOfFiveBeyond1Sigma => "four of five points beyond 1 sigma on one side",
            Rule::EightOnOneSide => "eight points in a row on one side of the center line",
        }
    }
}

/// A point that completes a rule's pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The index of the point in the values given.
    pub index: usize,
    pub rule: Rule,
}

/// The Western Electric rules 1-4 over `values` against `limits`. A point is flagged when
/// it completes a pattern: it lies itself in the zone the rule counts (beyond 3, 2 or 1
/// sigma, or on the side) and the window of 1, 3, 5 or 8 points ending at it has the
/// rule's count there on the same side (at the start of the data the window is what
/// there is). "Beyond" is strict: a point exactly on a limit or zone edge is not beyond
/// it, and a point on the center line is on neither side.
pub fn western_electric(values: &[f64], limits: &Limits) -> Vec<Violation> {
    let sigma = limits.sigma();
    // Signed distance from the center line in sigmas.
    let z: Vec<f64> = values.iter().map(|v| (v - limits.center) / sigma).collect();
    let mut out = Vec::new();
    let beyond = |j: usize, k: f64, side: f64| z[j] * side > k;
    for (i, &v) in values.iter().enumerate() {
        for side in [1.0, -1.0] {
            // Rule 1 uses the limits themselves, not z, so a point on the limit computed
            // from the same numbers is not flagged by rounding.
            if (side > 0.0 && v > limits.upper) || (side < 0.0 && v < limits.lower) {
                out.push(Violation {
                    index: i,
                    rule: Rule::BeyondLimit,
                });
            }
            // The window of `len` points ending here (fewer at the start of the data:
            // two points beyond 2 sigma are two of three whatever came before them).
            let count = |len: usize, k: f64| {
                (i.saturating_sub(len - 1)..=i)
                    .filter(|&j| beyond(j, k, side))
                    .count()
            };
            if beyond(i, 2.0, side) && count(3, 2.0) >= 2 {
                out.push(Violation {
                    index: i,
                    rule: Rule::TwoOfThreeBeyond2Sigma,
                });
            }
            if beyond(i, 1.0, side) && count(5, 1.0) >= 4 {
                out.push(Violation {
                    index: i,
                    rule: Rule::FourOfFiveBeyond1Sigma,
                });
            }
            if count(8, 0.0) == 8 {
                out.push(Violation {
                    index: i,
                    rule: Rule::EightOnOneSide,
                });
            }
        }
    }
    out
}

/// Specification limits of a measured characteristic; either may be absent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spec {
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

impl Spec {
    pub fn new(lower: Option<f64>, upper: Option<f64>) -> Result<Spec, SpcError> {
        if let (Some(l), Some(u)) = (lower, upper)
            && l >= u
        {
            return Err(SpcError::SpecOrder { lower: l, upper: u });
        }
        Ok(Spec { lower, upper })
    }

    /// In spec: at or inside both limits (a value on a limit is in spec).
    pub fn accepts(&self, value: f64) -> bool {
        self.lower.is_none_or(|l| value >= l) && self.upper.is_none_or(|u| value <= u)
    }
}

/// Capability of a set of values against a spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Capability {
    pub n: usize,
    pub mean: f64,
    pub sigma_within: f64,
    pub sigma_overall: f64,
    /// (upper - lower) / 6 sigma within; absent for a one-sided spec.
    pub cp: Option<f64>,
    /// The nearer limit's distance from the mean / 3 sigma within.
    pub cpk: Option<f64>,
    pub pp: Option<f64>,
    pub ppk: Option<f64>,
    pub how: String,
}

fn indices(spec: &Spec, mean: f64, sigma: f64) -> (Option<f64>, Option<f64>) {
    let both = match (spec.lower, spec.upper) {
        (Some(l), Some(u)) => Some((u - l) / (6.0 * sigma)),
        _ => None,
    };
    let upper = spec.upper.map(|u| (u - mean) / (3.0 * sigma));
    let lower = spec.lower.map(|l| (mean - l) / (3.0 * sigma));
    let k = match (lower, upper) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    (both, k)
}

/// Cp, Cpk, Pp and Ppk of individual values in time order (a lot, a period): sigma
/// within from the mean moving range / d2(2), sigma overall the sample standard
/// deviation. Needs at least two values that vary.
pub fn capability(values: &[f64], spec: &Spec) -> Result<Capability, SpcError> {
    check_finite(values)?;
    if values.len() < 2 {
        return Err(SpcError::TooFew {
            got: values.len(),
            need: 2,
        });
    }
    let m = mean(values);
    let mr_bar = mean(&moving_ranges(values));
    let overall = sample_std_dev(values);
    if mr_bar == 0.0 || overall == 0.0 {
        return Err(SpcError::NoVariation(values[0]));
    }
    let within = mr_bar / D2[2];
    let (cp, cpk) = indices(spec, m, within);
    let (pp, ppk) = indices(spec, m, overall);
    Ok(Capability {
        n: values.len(),
        mean: m,
        sigma_within: within,
        sigma_overall: overall,
        cp,
        cpk,
        pp,
        ppk,
        how: format!(
            "{} values, mean {m}; sigma within = mean moving range / {} = {within}; sigma \
             overall = sample standard deviation (n - 1) = {overall}; Cp = (USL - LSL) / 6 \
             sigma within; Cpk = min(USL - mean, mean - LSL) / 3 sigma within; Pp and Ppk the \
             same with sigma overall",
            values.len(),
            D2[2]
        ),
    })
}

#[cfg(test)]
#[path = "tests_spc.rs"]
mod tests;
