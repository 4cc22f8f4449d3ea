//! A measured characteristic's control charts as the SPC page and the reports show
//! them: an individuals and moving-range chart over a range with limits from a baseline,
//! the Western Electric rules flagged, the capability of the range, and X-bar/R of
//! subgroups of N consecutive measurements of one lot. The arithmetic is in [`super::spc`];
//! this gathers the checks from the store and lays the result out.

use serde::Serialize;

use super::spc::{self, Capability, IndividualsLimits, SpcError, Violation, XbarRLimits};
use super::store::{self, CharacteristicView, CheckView, QualityError, Result};

/// What to chart: the range shown, the baseline the limits come from, and a subgroup size
/// for X-bar/R.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpcRange {
    pub from: i64,
    pub to: i64,
    pub baseline_from: i64,
    pub baseline_to: i64,
    pub subgroup: Option<usize>,
}

/// One subgroup of an X-bar/R chart.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SpcSubgroup {
    /// Its first measurement's time and lot.
    pub at: i64,
    pub lot: String,
    pub check_ids: Vec<i64>,
    pub mean: f64,
    pub range: f64,
}

/// The X-bar/R chart of the range shown, when a subgroup size was asked for.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct XbarRView {
    pub size: usize,
    pub subgroups: Vec<SpcSubgroup>,
    /// Null when the baseline's subgroups cannot give limits; `problem` says why.
    pub limits: Option<XbarRLimits>,
    /// Western Electric rules on the subgroup means (index: the subgroup).
    pub violations: Vec<SpcViolation>,
    pub problem: Option<String>,
    /// `problem` as a code with its values, for the UI's translation.
    pub problem_code: Option<SpcError>,
}

/// One point of an individuals chart.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SpcPoint {
    pub check_id: i64,
    pub at: i64,
    pub lot: String,
    pub value: f64,
    /// |x - previous x|; null for the first point.
    pub moving_range: Option<f64>,
    pub in_spec: bool,
}

/// `GET /api/quality/spc/{id}`: an individuals and moving-range chart of a measured
/// characteristic with limits from the baseline, the Western Electric rules and the
/// capability of the range shown.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SpcView {
    pub characteristic: CharacteristicView,
    pub from_ms: i64,
    pub to_ms: i64,
    pub baseline_from_ms: i64,
    pub baseline_to_ms: i64,
    pub points: Vec<SpcPoint>,
    /// Null when the baseline cannot give limits; `problem` says why.
    pub limits: Option<IndividualsLimits>,
    pub violations: Vec<SpcViolation>,
    pub capability: Option<Capability>,
    pub problem: Option<String>,
    /// `problem` as a code with its values, for the UI's translation.
    pub problem_code: Option<SpcError>,
    /// With `?subgroup=N`.
    pub xbar_r: Option<XbarRView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SpcViolation {
    pub index: usize,
    pub rule: u8,
    pub text: String,
}

/// The control charts of characteristic `id` over `r`.
pub fn view(conn: &rusqlite::Connection, id: i64, r: &SpcRange) -> Result<SpcView> {
    let ch = store::characteristic(conn, id)?;
    if ch.kind != "measured" {
        return Err(QualityError::Invalid {
            code: "not_measured",
            message: format!(
                "\"{}\" is pass or fail; SPC charts are drawn for measured characteristics",
                ch.name
            ),
            field: None,
        });
    }
    let checks = store::checks_of_characteristic(conn, id, r.from, r.to)?;
    let baseline_checks =
        store::checks_of_characteristic(conn, id, r.baseline_from, r.baseline_to)?;
    view_of(ch, &checks, &baseline_checks, r)
}

/// The control charts of `checks` (of one measured characteristic, in time order) with
/// limits from `baseline_checks`.
pub fn view_of(
    ch: CharacteristicView,
    checks: &[CheckView],
    baseline_checks: &[CheckView],
    r: &SpcRange,
) -> Result<SpcView> {
    let baseline: Vec<f64> = baseline_checks.iter().filter_map(|x| x.value).collect();
    let xbar_r = match r.subgroup {
        None => None,
        Some(n) if !(2..=spc::MAX_SUBGROUP).contains(&n) => {
            return Err(QualityError::Invalid {
                code: "subgroup_size",
                message: format!(
                    "subgroups of {n}: X-bar/R is drawn for subgroup sizes 2 to {}",
                    spc::MAX_SUBGROUP
                ),
                field: None,
            });
        }
        Some(n) => Some(xbar_r_view(checks, baseline_checks, n)),
    };
    let values: Vec<f64> = checks.iter().filter_map(|x| x.value).collect();
    let points: Vec<SpcPoint> = checks
        .iter()
        .filter(|x| x.value.is_some())
        .enumerate()
        .map(|(i, x)| SpcPoint {
            check_id: x.id,
            at: x.at,
            lot: x.lot.clone(),
            value: x.value.unwrap_or_default(),
            moving_range: (i > 0).then(|| (values[i] - values[i - 1]).abs()),
            in_spec: x.in_spec,
        })
        .collect();
    let mut problem_code = None;
    let limits = match spc::individuals_limits(&baseline) {
        Ok(l) => Some(l),
        Err(e) => {
            problem_code = Some(e);
            None
        }
    };
    let problem = problem_code.as_ref().map(|e| e.to_string());
    let violations = limits
        .as_ref()
        .map(|l| spc::western_electric(&values, &l.individuals))
        .unwrap_or_default()
        .into_iter()
        .map(violation)
        .collect();
    let capability = spc::capability(&values, &ch.spec()).ok();
    Ok(SpcView {
        characteristic: ch,
        from_ms: r.from,
        to_ms: r.to,
        baseline_from_ms: r.baseline_from,
        baseline_to_ms: r.baseline_to,
        points,
        limits,
        violations,
        capability,
        problem,
        problem_code,
        xbar_r,
    })
}

fn violation(v: Violation) -> SpcViolation {
    SpcViolation {
        index: v.index,
        rule: v.rule.number(),
        text: v.rule.text().to_string(),
    }
}

/// The subgroups of the measured checks among `checks`, in time order.
fn subgroups_of(checks: &[CheckView], n: usize) -> Vec<SpcSubgroup> {
    let measured: Vec<(&CheckView, f64)> = checks
        .iter()
        .filter_map(|x| x.value.map(|v| (x, v)))
        .collect();
    let lots: Vec<&str> = measured.iter().map(|(x, _)| x.lot.as_str()).collect();
    spc::subgroups(&lots, n)
        .into_iter()
        .map(|g| {
            let values: Vec<f64> = g.iter().map(|&i| measured[i].1).collect();
            SpcSubgroup {
                at: measured[g[0]].0.at,
                lot: measured[g[0]].0.lot.clone(),
                check_ids: g.iter().map(|&i| measured[i].0.id).collect(),
                mean: spc::mean(&values),
                range: spc::range(&values),
            }
        })
        .collect()
}

/// X-bar/R of the range shown with limits from the baseline's subgroups.
fn xbar_r_view(checks: &[CheckView], baseline: &[CheckView], n: usize) -> XbarRView {
    let subgroups = subgroups_of(checks, n);
    let base: Vec<Vec<f64>> = subgroups_of(baseline, n)
        .iter()
        .map(|g| {
            g.check_ids
                .iter()
                .filter_map(|id| baseline.iter().find(|x| x.id == *id)?.value)
                .collect()
        })
        .collect();
    let (limits, problem_code) = match spc::xbar_r_limits(&base) {
        Ok(l) => (Some(l), None),
        Err(e) => (None, Some(e)),
    };
    let problem = problem_code.as_ref().map(|e| e.to_string());
    let means: Vec<f64> = subgroups.iter().map(|g| g.mean).collect();
    let violations = limits
        .as_ref()
        .map(|l| spc::western_electric(&means, &l.xbar))
        .unwrap_or_default()
        .into_iter()
        .map(violation)
        .collect();
    XbarRView {
        size: n,
        subgroups,
        limits,
        violations,
        problem,
        problem_code,
    }
}
