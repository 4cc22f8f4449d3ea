//! The tag report: chosen tags over a range, per hour or per production day, with each
//! period's sample count, minimum, maximum and mean of the good samples (the stored raw
//! samples, nothing else), a trend chart per tag (min, mean, max), and the alarms
//! raised in the range on the machines of those tags. Samples that are not good (no
//! answer, stale, an exception) are not figures: a period without a good sample shows
//! none.

use rusqlite::Connection;

use super::build::Stamp;
use super::{Cell, Chart, Column, Doc, Item, Kind, Section, Table};
use crate::config::Plant;
use crate::i18n::t;
use crate::production::By;
use crate::production::calendar::Calendar;
use crate::sample::{Quality, TagId};
use crate::tr;

const HOUR_MS: i64 = 3_600_000;

/// How a tag report is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Hour,
    /// Production days.
    Day,
}

impl Step {
    pub fn parse(s: &str) -> Option<Step> {
        match s {
            "hour" => Some(Step::Hour),
            "day" => Some(Step::Day),
            _ => None,
        }
    }
}

/// A period's figures of one tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub key: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub count: i64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
}

/// [from, to) cut by hour (on the hour) or by production day.
pub fn periods(cal: &Calendar, step: Step, from: i64, to: i64) -> Vec<(String, i64, i64)> {
    match step {
        Step::Day => cal
            .periods(By::Day, from, to)
            .into_iter()
            .map(|p| (p.key, p.start_ms, p.end_ms))
            .collect(),
        Step::Hour => {
            let mut out = Vec::new();
            let mut t = from;
            while t < to {
                let next = ((t.div_euclid(HOUR_MS) + 1) * HOUR_MS).min(to);
                out.push((super::local(t, cal.timezone()), t, next));
                t = next;
            }
            out
        }
    }
}

/// The figures of `tag` in each period, from its good samples.
pub fn stats(
    conn: &Connection,
    tag: TagId,
    periods: &[(String, i64, i64)],
) -> rusqlite::Result<Vec<Stats>> {
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return Ok(Vec::new());
    };
    let samples = crate::store::raw::read(conn, tag, first.1, last.2)?;
    let mut out = Vec::with_capacity(periods.len());
    let mut i = 0;
    for (key, a, b) in periods {
        while i < samples.len() && samples[i].ts < *a {
            i += 1;
        }
        let (mut n, mut sum) = (0i64, 0.0);
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        while i < samples.len() && samples[i].ts < *b {
            let s = &samples[i];
            if s.quality == Quality::Good
                && let Some(v) = s.value()
            {
                n += 1;
                sum += v;
                min = min.min(v);
                max = max.max(v);
            }
            i += 1;
        }
        out.push(Stats {
            key: key.clone(),
            start_ms: *a,
            end_ms: *b,
            count: n,
            min: (n > 0).then_some(min),
            max: (n > 0).then_some(max),
            mean: (n > 0).then(|| sum / n as f64),
        });
    }
    Ok(out)
}

/// The tag report of `tags` over [from, to).
pub fn tag_report(
    conn: &Connection,
    plant: &Plant,
    tags: &[TagId],
    from: i64,
    to: i64,
    step: Step,
    stamp: &Stamp,
) -> rusqlite::Result<Doc> {
    let l = stamp.lang;
    let cal = Calendar::new(&plant.config);
    let ps = periods(&cal, step, from, to);
    let mut sections = Vec::new();
    let mut machines = std::collections::BTreeSet::new();
    let decimals = 2;
    for (i, id) in tags.iter().enumerate() {
        let Some(t) = plant.tag(*id) else { continue };
        if let Some(m) = t.tag.machine.as_ref().or(t.device.machine.as_ref()) {
            machines.insert(m.clone());
        }
        let unit = Some(t.tag.unit.clone()).filter(|u| !u.is_empty());
        let u = unit.as_deref();
        let label = t.tag.label.clone().unwrap_or_else(|| t.tag.name.clone());
        let name = format!("{}/{}", t.device.key, t.tag.name);
        let st = stats(conn, *id, &ps)?;
        let rows = st
            .iter()
            .map(|s| {
                let num = |v: Option<f64>| v.map_or(Cell::Empty, |v| Cell::Num(v, decimals));
                vec![
                    Cell::Text(s.key.clone()),
                    Cell::Int(s.count),
                    num(s.min),
                    num(s.max),
                    num(s.mean),
                ]
            })
            .collect();
        let mut sheet: String = format!("{} {}", i + 1, t.tag.name)
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .collect();
        sheet.truncate(31);
        sections.push(Section {
            title: format!(
                "{label} ({name}){}",
                u.map_or(String::new(), |u| format!(", {u}"))
            ),
            items: vec![
                Item::Chart(Chart::Line {
                    title: tr!(
                        l,
                        "report-tag-chart",
                        label = label.as_str(),
                        step = match step {
                            Step::Hour => "hour",
                            Step::Day => "day",
                        }
                    ),
                    unit: u.unwrap_or("").to_string(),
                    from_ms: from,
                    to_ms: to,
                    points: st
                        .iter()
                        .filter_map(|s| {
                            Some(((s.start_ms + s.end_ms) / 2, s.min?, s.mean?, s.max?))
                        })
                        .collect(),
                }),
                Item::Table(Table {
                    name: sheet,
                    columns: vec![
                        Column::tr(
                            l,
                            match step {
                                Step::Hour => "report-col-hour",
                                Step::Day => "report-col-day",
                            },
                            None,
                        ),
                        Column::tr(l, "report-col-samples", None),
                        Column::tr(l, "report-col-min", u),
                        Column::tr(l, "report-col-max", u),
                        Column::tr(l, "report-col-mean", u),
                    ],
                    rows,
                }),
            ],
        });
    }
    // Alarms raised in the range on these tags' machines.
    let q = crate::alerts::store::JournalQuery {
        from: Some(from),
        to: Some(to),
        machine: None,
        priority: None,
        what: Some("raised".into()),
        limit: Some(10_000),
    };
    let mut raised: Vec<_> = crate::alerts::store::journal(conn, &q)?
        .into_iter()
        .filter(|e| e.machine.as_ref().is_some_and(|m| machines.contains(m)))
        .collect();
    raised.reverse();
    let alarm_items = if raised.is_empty() {
        vec![Item::Text(t(l, "report-tag-no-alarm"))]
    } else {
        vec![Item::Table(Table {
            name: t(l, "report-section-alarms"),
            columns: vec![
                Column::tr(l, "report-col-raised", None),
                Column::tr(l, "report-col-alarm", None),
                Column::tr(l, "report-col-priority", None),
                Column::tr(l, "report-col-machine", None),
            ],
            rows: raised
                .iter()
                .map(|e| {
                    vec![
                        Cell::Time(e.at),
                        Cell::Text(e.name.clone()),
                        Cell::Text(e.priority.clone()),
                        Cell::Text(e.machine.clone().unwrap_or_default()),
                    ]
                })
                .collect(),
        })]
    };
    sections.push(Section {
        title: t(l, "report-section-alarms"),
        items: alarm_items,
    });
    Ok(Doc {
        kind: Kind::Tag,
        title: t(l, "report-tag-title"),
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
