//! The energy report: for each energy meter (a tag whose unit is kWh, a cumulative
//! counter), the kWh of each production day and shift, the peak demand, and the kWh
//! per part where the meter's machine has a part counter.
//!
//! Definitions, as the report states them:
//! - A window's kWh is the counter's increase from its reading at the window's start to
//!   its reading at the window's end, where the reading at a time is the last good
//!   sample at or before it. Samples that are not good are skipped. Each step between
//!   two good samples follows the production engine's counter rule
//!   (`production::counter::step`): an increase counts the difference, a wrap at the
//!   register's width (u16/u32 times the scale) counts across it, a drop below half the
//!   last value is a reset and counts the new value, any other step back counts nothing.
//! - A reading older than the tag's storage interval (its poll or heartbeat: a longer
//!   time without a stored sample is a gap) is not a reading of that edge: the window
//!   then has no figure and says why. A gap inside a window is bridged by the counter.
//! - Peak demand: the largest kWh increase over a 15-minute interval aligned to the
//!   clock (:00, :15, :30, :45), times 4, with the interval's start.
//! - kWh per part: the parts are the production engine's figures (parts made) of the
//!   meter's machine for the same window.

use std::collections::HashMap;

use rusqlite::Connection;

use super::Lang;
use super::build::Stamp;
use super::{Cell, Chart, Column, Doc, Item, Kind, Section, Table};
use crate::config::Plant;
use crate::i18n::t;
use crate::production::By;
use crate::production::calendar::{Calendar, Period};
use crate::production::query::{self, Query};
use crate::production::timeline::Recipe;
use crate::sample::Quality;
use crate::tr;

/// The demand interval: 15 minutes, aligned to the clock.
pub const DEMAND_MS: i64 = 15 * 60_000;

/// A meter's good readings with the energy counted up to each (after the counter
/// rule), and the longest time a reading stands for an edge.
#[derive(Debug, Clone, Default)]
pub struct Readings {
    /// (time, value, energy counted from the first reading up to this one).
    pub points: Vec<(i64, f64, f64)>,
    pub max_age_ms: i64,
}

/// One step of the counter from `previous` to `new`, in kWh: the production engine's
/// counter rule on real values. `width` is the register's range in kWh, if it wraps.
pub fn step(previous: f64, new: f64, width: Option<f64>) -> f64 {
    if new >= previous {
        return new - previous;
    }
    if let Some(w) = width
        && 4.0 * previous > 3.0 * w
        && 4.0 * new < w
    {
        return w - previous + new;
    }
    if 2.0 * new < previous {
        return new.max(0.0);
    }
    0.0
}

/// Why a window has no figure.
#[derive(Debug, Clone, PartialEq)]
pub enum Missing {
    /// No good reading within the storage interval at or before this edge.
    Edge(i64),
}

impl Readings {
    /// The good readings among `samples` (oldest first).
    pub fn new(samples: &[crate::sample::Sample], width: Option<f64>, max_age_ms: i64) -> Self {
        let mut points: Vec<(i64, f64, f64)> = Vec::new();
        for s in samples {
            if s.quality != Quality::Good {
                continue;
            }
            let Some(v) = s.value() else { continue };
            let e = match points.last() {
                Some(&(_, p, e)) => e + step(p, v, width),
                None => 0.0,
            };
            points.push((s.ts, v, e));
        }
        Readings { points, max_age_ms }
    }

    /// The energy counted up to the reading of `t`.
    fn at(&self, t: i64) -> Result<f64, Missing> {
        let i = self.points.partition_point(|p| p.0 <= t);
        if i == 0 {
            return Err(Missing::Edge(t));
        }
        let (ts, _, e) = self.points[i - 1];
        if t - ts > self.max_age_ms {
            return Err(Missing::Edge(t));
        }
        Ok(e)
    }

    /// The kWh of [a, b).
    pub fn kwh(&self, a: i64, b: i64) -> Result<f64, Missing> {
        Ok(self.at(b)? - self.at(a)?)
    }

    /// The largest demand in kW over the 15-minute intervals within [from, to) whose
    /// both edges have a reading: (kW, interval start).
    pub fn peak(&self, from: i64, to: i64) -> Option<(f64, i64)> {
        let mut t = from.div_euclid(DEMAND_MS) * DEMAND_MS;
        if t < from {
            t += DEMAND_MS;
        }
        let mut best: Option<(f64, i64)> = None;
        while t + DEMAND_MS <= to {
            if let Ok(k) = self.kwh(t, t + DEMAND_MS) {
                let kw = k * 4.0;
                if best.is_none_or(|b| kw > b.0) {
                    best = Some((kw, t));
                }
            }
            t += DEMAND_MS;
        }
        best
    }
}

fn note(l: Lang, m: &Missing, tz: &jiff::tz::TimeZone, max_age_ms: i64) -> String {
    match m {
        Missing::Edge(t) => tr!(
            l,
            "report-energy-note-edge",
            seconds = max_age_ms / 1000,
            at = l.datetime(*t, tz)
        ),
    }
}

/// The energy meters of the plant: tags whose unit is kWh.
pub fn meters(plant: &Plant) -> Vec<crate::config::TagRef<'_>> {
    plant
        .tags()
        .filter(|t| t.tag.unit.trim().eq_ignore_ascii_case("kwh"))
        .collect()
}

/// The energy report over [from, to).
pub fn energy_report(
    conn: &mut Connection,
    plant: &Plant,
    from: i64,
    to: i64,
    stamp: &Stamp,
    now: i64,
) -> rusqlite::Result<Doc> {
    let cal = Calendar::new(&plant.config);
    let tz = cal.timezone().clone();
    let days = cal.periods(By::Day, from, to);
    let shifts: Vec<Period> = cal
        .periods(By::Shift, from, to)
        .into_iter()
        .filter(|p| p.shift.is_some())
        .collect();
    let l = stamp.lang;
    let mut sections = vec![Section {
        title: t(l, "report-energy-how"),
        items: vec![Item::Text(t(l, "report-energy-how-text"))],
    }];
    let list = meters(plant);
    if list.is_empty() {
        sections.push(Section {
            title: t(l, "report-energy-meters"),
            items: vec![Item::Text(t(l, "report-energy-no-meter"))],
        });
    }
    // Parts per (machine, period start), from the production engine.
    let counted: Vec<String> = list
        .iter()
        .filter_map(|t| t.tag.machine.as_ref().or(t.device.machine.as_ref()))
        .filter(|m| {
            plant
                .machine(m)
                .is_some_and(|mc| Recipe::of(plant, mc).count.is_some())
        })
        .cloned()
        .collect();
    let mut parts: HashMap<(String, bool, i64), i64> = HashMap::new();
    if !counted.is_empty() {
        for (by, is_day) in [(By::Day, true), (By::Shift, false)] {
            let q = Query {
                from,
                to,
                by,
                machines: counted.clone(),
            };
            for r in query::report(conn, plant, &q, now)?.rows {
                parts.insert(
                    (r.machine.clone(), is_day, r.period.start_ms),
                    r.figures.parts_total,
                );
            }
        }
    }
    for (i, t) in list.iter().enumerate() {
        let machine = t
            .tag
            .machine
            .as_ref()
            .or(t.device.machine.as_ref())
            .cloned();
        let has_parts = machine.as_ref().is_some_and(|m| counted.contains(m));
        let width = crate::production::counter::width(t.tag.effective_type())
            .map(|w| w as f64 * t.tag.scale);
        let max_age = t.tag.storage_interval_ms(t.device);
        let samples = crate::store::raw::read(conn, t.id, from - max_age, to + 1)?;
        let rd = Readings::new(&samples, width, max_age);
        let label = t.tag.label.clone().unwrap_or_else(|| t.tag.name.clone());
        let name = format!("{}/{}", t.device.key, t.tag.name);
        let title = format!("{} {label} ({name})", t.device.name);
        let per_part = |kwh: Option<f64>, is_day: bool, start: i64| -> (Cell, Cell) {
            let Some(m) = machine.as_ref().filter(|_| has_parts) else {
                return (Cell::Empty, Cell::Empty);
            };
            let n = parts.get(&(m.clone(), is_day, start)).copied();
            (
                n.map_or(Cell::Empty, Cell::Int),
                match (kwh, n) {
                    (Some(k), Some(n)) if n > 0 => Cell::Num(k / n as f64, 3),
                    _ => Cell::Empty,
                },
            )
        };
        let mut day_rows = Vec::new();
        let mut bars = (Vec::new(), Vec::new());
        let mut known_days = 0;
        for d in &days {
            let k = rd.kwh(d.start_ms, d.end_ms);
            let kwh = k.as_ref().ok().copied();
            bars.0.push(d.key.clone());
            bars.1.push(kwh.unwrap_or(0.0));
            known_days += usize::from(kwh.is_some());
            let (n, kp) = per_part(kwh, true, d.start_ms);
            let peak = rd.peak(d.start_ms, d.end_ms);
            day_rows.push(vec![
                Cell::Text(d.key.clone()),
                kwh.map_or(Cell::Empty, |v| Cell::Num(v, 1)),
                n,
                kp,
                peak.map_or(Cell::Empty, |p| Cell::Num(p.0, 1)),
                peak.map_or(Cell::Empty, |p| Cell::Time(p.1)),
                Cell::Text(
                    k.err()
                        .map(|m| note(l, &m, &tz, max_age))
                        .unwrap_or_default(),
                ),
            ]);
        }
        let mut shift_rows = Vec::new();
        for s in &shifts {
            let k = rd.kwh(s.start_ms, s.end_ms);
            let kwh = k.as_ref().ok().copied();
            let (n, kp) = per_part(kwh, false, s.start_ms);
            shift_rows.push(vec![
                Cell::Text(s.key.clone()),
                kwh.map_or(Cell::Empty, |v| Cell::Num(v, 1)),
                n,
                kp,
                Cell::Text(
                    k.err()
                        .map(|m| note(l, &m, &tz, max_age))
                        .unwrap_or_default(),
                ),
            ]);
        }
        let peak_text = match rd.peak(from, to) {
            Some((kw, at)) => tr!(
                l,
                "report-energy-peak",
                kw = l.num(kw, 1),
                at = l.datetime(at, &tz)
            ),
            None => crate::i18n::t(l, "report-energy-no-peak"),
        };
        let parts_text = if has_parts {
            tr!(
                l,
                "report-energy-per-part",
                machine = machine.clone().unwrap_or_default()
            )
        } else {
            crate::i18n::t(l, "report-energy-no-counter")
        };
        let mut items = vec![Item::Text(format!("{peak_text} {parts_text}"))];
        // One day is the table's one figure; a day without a figure has no bar.
        if bars.0.len() > 1 && known_days > 0 {
            items.push(Item::Chart(Chart::Bars {
                title: if known_days < bars.0.len() {
                    tr!(l, "report-energy-chart-gaps", label = label.as_str())
                } else {
                    tr!(l, "report-energy-chart", label = label.as_str())
                },
                unit: "kWh".into(),
                labels: bars.0,
                values: bars.1,
            }));
        }
        let kwh_cols = || {
            vec![
                Column::tr(l, "report-col-energy", Some("kWh")),
                Column::tr(l, "report-col-parts", None),
                Column::tr(l, "report-col-per-part", Some("kWh")),
            ]
        };
        let mut cols = vec![Column::tr(l, "report-col-day", None)];
        cols.extend(kwh_cols());
        cols.extend([
            Column::tr(l, "report-col-peak", Some("kW")),
            Column::tr(l, "report-col-peak-at", None),
            Column::tr(l, "report-col-note", None),
        ]);
        items.push(Item::Table(Table {
            name: tr!(l, "report-table-n-days", n = i + 1),
            columns: cols,
            rows: day_rows,
        }));
        if shift_rows.is_empty() {
            items.push(Item::Text(crate::i18n::t(l, "report-no-shift")));
        } else {
            let mut cols = vec![Column::tr(l, "report-col-shift", None)];
            cols.extend(kwh_cols());
            cols.push(Column::tr(l, "report-col-note", None));
            items.push(Item::Table(Table {
                name: tr!(l, "report-table-n-shifts", n = i + 1),
                columns: cols,
                rows: shift_rows,
            }));
        }
        sections.push(Section { title, items });
    }
    Ok(Doc {
        kind: Kind::Energy,
        title: t(l, "report-energy-title"),
        plant: plant.config.site.name.clone(),
        from_ms: from,
        to_ms: to,
        timezone: plant.config.site.timezone.clone(),
        generated_by: stamp.generated_by.clone(),
        generated_at_ms: stamp.generated_at_ms,
        lang: stamp.lang,
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Sample;

    #[test]
    fn steps_follow_the_counter_rule_and_bad_samples_are_skipped() {
        assert_eq!(step(10.0, 12.5, None), 2.5);
        assert_eq!(step(65_000.0, 100.0, Some(65_536.0)), 636.0);
        assert_eq!(step(1000.0, 3.0, None), 3.0); // reset
        assert_eq!(step(1000.0, 990.0, None), 0.0); // a step back
        let s = vec![
            Sample::good(1, 0, 100.0),
            Sample::good(1, 60_000, 101.0),
            Sample::bad(1, 120_000, Quality::NoAnswer),
            Sample::good(1, 180_000, 2.0),
        ];
        let r = Readings::new(&s, None, 60_000);
        assert_eq!(r.kwh(0, 60_000), Ok(1.0));
        assert_eq!(r.kwh(0, 180_000), Ok(3.0));
        assert_eq!(r.kwh(0, 150_000), Err(Missing::Edge(150_000)));
        assert_eq!(r.kwh(-1, 60_000), Err(Missing::Edge(-1)));
    }
}
