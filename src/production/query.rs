//! Reports over any range, from stored history: per machine and period, the lines and
//! the plant added up. The live views use [`machine_rows`] with the live engine's data.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::calendar::{By, Calendar, Period};
use super::compute::{self, Computed, MachineData, Tally};
use super::history::{self, Exact};
use super::records::{self, Reasons, Records};
use super::report::{self, Report, Row, Total};
use super::timeline::Recipe;
use crate::config::{Machine, Plant};

/// What a report covers.
#[derive(Debug, Clone)]
pub struct Query {
    pub from: i64,
    pub to: i64,
    pub by: By,
    /// Machine keys, in the order wanted.
    pub machines: Vec<String>,
}

/// The machines with production figures, in the configuration's order: those with a
/// state (a state tag, a run bit, a counted rule) or a part counter.
pub fn machines(plant: &Plant) -> Vec<String> {
    plant
        .config
        .machines
        .iter()
        .filter(|m| {
            let r = Recipe::of(plant, m);
            r.count.is_some() || r.state != super::timeline::StateSource::None
        })
        .map(|m| m.key.clone())
        .collect()
}

/// The rows of one machine over `periods`, and what was computed.
pub fn machine_rows(
    calendar: &Calendar,
    reasons: &Reasons,
    machine: &Machine,
    recipe: &Recipe,
    data: &MachineData,
    recs: &Records,
    periods: &[Period],
) -> (Vec<Row>, Computed) {
    let computed = compute::compute(calendar, reasons, recipe, data, recs, periods);
    let rows = periods
        .iter()
        .zip(&computed.periods)
        .map(|(p, t)| Row {
            machine: machine.key.clone(),
            machine_name: machine.name.clone(),
            line: machine.line.clone(),
            period: p.clone(),
            figures: report::figures(t, calendar, reasons, Some(recipe.micro_ms)),
        })
        .collect();
    (rows, computed)
}

/// A machine's key, its line and its tallies, period by period.
pub type MachineTallies = (String, Option<String>, Vec<Tally>);

/// Lines and the plant added up, period by period.
pub fn totals(
    calendar: &Calendar,
    reasons: &Reasons,
    periods: &[Period],
    machines: &[MachineTallies],
) -> (Vec<Total>, Vec<Total>) {
    let mut lines: BTreeMap<String, Vec<&MachineTallies>> = BTreeMap::new();
    for m in machines {
        if let Some(l) = &m.1 {
            lines.entry(l.clone()).or_default().push(m);
        }
    }
    let add = |ms: &[&MachineTallies], line: Option<String>| {
        periods
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut t = Tally::default();
                for m in ms {
                    t.merge(&m.2[i]);
                }
                Total {
                    line: line.clone(),
                    machines: ms.iter().map(|m| m.0.clone()).collect(),
                    period: p.clone(),
                    figures: report::figures(&t, calendar, reasons, None),
                }
            })
            .collect::<Vec<_>>()
    };
    let line_totals = lines
        .iter()
        .flat_map(|(l, ms)| add(ms, Some(l.clone())))
        .collect();
    let all: Vec<_> = machines.iter().collect();
    let plant = if all.is_empty() {
        Vec::new()
    } else {
        add(&all, None)
    };
    (line_totals, plant)
}

/// The times where minute summaries cannot say which side a part falls on.
fn cuts(periods: &[Period], ideals: &[records::IdealCycle]) -> Vec<i64> {
    let mut v: Vec<i64> = periods
        .iter()
        .flat_map(|p| [p.start_ms, p.end_ms])
        .collect();
    v.extend(ideals.iter().map(|i| i.from_ms));
    v.sort_unstable();
    v.dedup();
    v
}

/// One machine's data and records for [from, to), from stored history.
pub fn machine_history(
    conn: &mut Connection,
    id: i64,
    recipe: &Recipe,
    periods: &[Period],
    from: i64,
    to: i64,
    now: i64,
) -> rusqlite::Result<(MachineData, Records)> {
    let ideals = records::ideal_cycles(conn, id, &recipe.machine)?;
    let cut = cuts(periods, &ideals);
    let (data, _) = history::load(conn, id, recipe, from, to, now, Exact::Cuts(&cut), true)?;
    let stops_from = data
        .timeline
        .initial_stop
        .unwrap_or(data.timeline.start)
        .min(data.timeline.start);
    let recs = records::load(conn, id, &recipe.machine, stops_from, from, to)?;
    Ok((data, recs))
}

/// A report from stored history. `to` is clipped to `now`.
pub fn report(
    conn: &mut Connection,
    plant: &Plant,
    q: &Query,
    now: i64,
) -> rusqlite::Result<Report> {
    let calendar = Calendar::new(&plant.config);
    let to = q.to.min(now);
    let periods = calendar.periods(q.by, q.from, to);
    let reasons = records::reasons(conn)?;
    let ids = records::machine_ids(conn)?;
    let mut rows = Vec::new();
    let mut tallies = Vec::new();
    for key in &q.machines {
        let (Some(m), Some(&id)) = (plant.machine(key), ids.get(key)) else {
            continue;
        };
        let recipe = Recipe::load(conn, plant, m)?;
        let (data, recs) = if periods.is_empty() {
            (MachineData::default(), Records::default())
        } else {
            machine_history(conn, id, &recipe, &periods, q.from, to, now)?
        };
        let (r, computed) = machine_rows(&calendar, &reasons, m, &recipe, &data, &recs, &periods);
        rows.extend(r);
        tallies.push((m.key.clone(), m.line.clone(), computed.periods));
    }
    let (lines, plant_totals) = totals(&calendar, &reasons, &periods, &tallies);
    Ok(Report {
        from_ms: q.from,
        to_ms: to.max(q.from),
        by: q.by,
        timezone: plant.config.site.timezone.clone(),
        rows,
        lines,
        plant: plant_totals,
    })
}
