//! SPC in reports: a measured characteristic's individuals and moving-range charts (and
//! X-bar/R when a subgroup size is chosen) with their control limits, the Western
//! Electric rule breaks marked and listed, and Cp, Cpk, Pp, Ppk: a section of a lot's
//! story, and the SPC report of a characteristic over a range. The figures are those of
//! `quality::control` (what the SPC page shows); nothing is recomputed here.

use rusqlite::Connection;

use super::build::Stamp;
use super::{Cell, Chart, Column, Doc, Item, Kind, Section, Table};
use crate::config::Plant;
use crate::quality::control::{self, SpcRange, SpcView, SpcViolation};
use crate::quality::store::{self, QualityError};

/// "2 mm" or "2" for a unit that is absent.
fn with_unit(v: f64, unit: &str) -> String {
    format!("{v} {unit}").trim().to_string()
}

/// The spec as text: "9.9 – 10.1 mm", "at most 0.5 mm".
pub fn spec_text(lower: Option<f64>, upper: Option<f64>, unit: &str) -> String {
    match (lower, upper) {
        (Some(l), Some(u)) => format!("{l} – {}", with_unit(u, unit)),
        (Some(l), None) => format!("at least {}", with_unit(l, unit)),
        (None, Some(u)) => format!("at most {}", with_unit(u, unit)),
        (None, None) => "no limits".into(),
    }
}

fn rules_table(name: String, what: &str, v: &[SpcViolation], at: &dyn Fn(usize) -> Cell) -> Item {
    Item::Table(Table {
        name,
        columns: vec![
            Column::new(what, None),
            Column::new("Time", None),
            Column::new("Rule", None),
            Column::new("Pattern", None),
        ],
        rows: v
            .iter()
            .map(|x| {
                vec![
                    Cell::Int(x.index as i64 + 1),
                    at(x.index),
                    Cell::Int(x.rule as i64),
                    Cell::Text(x.text.clone()),
                ]
            })
            .collect(),
    })
}

/// The SPC items of a view: the charts, the limits and capability, and the rule breaks.
/// `tag` makes the table names unique in a report ("SPC 1").
pub fn items(v: &SpcView, tag: &str, tz: &jiff::tz::TimeZone) -> Vec<Item> {
    let ch = &v.characteristic;
    let unit = ch.unit.clone().unwrap_or_default();
    let spec = (ch.lower, ch.upper);
    let mut items = Vec::new();
    if v.points.is_empty() {
        items.push(Item::Text(format!(
            "No measurement of {} in this range.",
            ch.name
        )));
        return items;
    }
    let values: Vec<f64> = v.points.iter().map(|p| p.value).collect();
    let mut idx: Vec<usize> = v.violations.iter().map(|x| x.index).collect();
    idx.dedup();
    items.push(Item::Text(format!(
        "{} measurements of {} (spec {}){}.",
        v.points.len(),
        ch.name,
        spec_text(ch.lower, ch.upper, &unit),
        match &v.limits {
            Some(l) => format!(
                "; control limits from {} baseline values measured {} – {}",
                l.baseline_points,
                super::local(v.baseline_from_ms, tz),
                super::local(v.baseline_to_ms, tz)
            ),
            None => String::new(),
        }
    )));
    if let Some(p) = &v.problem {
        items.push(Item::Text(format!("No control limits: {p}.")));
    }
    items.push(Item::Chart(Chart::Control {
        title: format!("{}: individuals", ch.name),
        unit: unit.clone(),
        values: values.clone(),
        first: 1,
        limits: v.limits.as_ref().map(|l| {
            (
                l.individuals.center,
                l.individuals.lower,
                l.individuals.upper,
            )
        }),
        spec,
        flagged: idx,
    }));
    if values.len() > 1 {
        items.push(Item::Chart(Chart::Control {
            title: format!("{}: moving range", ch.name),
            unit: unit.clone(),
            values: v
                .points
                .iter()
                .skip(1)
                .filter_map(|p| p.moving_range)
                .collect(),
            first: 2,
            limits: v.limits.as_ref().map(|l| {
                (
                    l.moving_range.center,
                    l.moving_range.lower,
                    l.moving_range.upper,
                )
            }),
            spec: (None, None),
            flagged: Vec::new(),
        }));
    }
    let num = |x: Option<f64>| x.map_or(Cell::Empty, |x| Cell::Num(x, 3));
    let mut rows = Vec::new();
    if let Some(l) = &v.limits {
        rows.push(vec![
            Cell::Text("Individuals: center, LCL, UCL".into()),
            Cell::Text(format!(
                "{:.4}, {:.4}, {:.4}",
                l.individuals.center, l.individuals.lower, l.individuals.upper
            )),
        ]);
        rows.push(vec![
            Cell::Text("Moving range: center, UCL".into()),
            Cell::Text(format!(
                "{:.4}, {:.4}",
                l.moving_range.center, l.moving_range.upper
            )),
        ]);
        rows.push(vec![
            Cell::Text(
                format!("Sigma within (baseline), {unit}")
                    .trim_end_matches([',', ' '])
                    .to_string(),
            ),
            Cell::Num(l.sigma_within, 4),
        ]);
    }
    match &v.capability {
        Some(c) => {
            rows.push(vec![Cell::Text("Mean".into()), Cell::Num(c.mean, 4)]);
            rows.push(vec![Cell::Text("Cp".into()), num(c.cp)]);
            rows.push(vec![Cell::Text("Cpk".into()), num(c.cpk)]);
            rows.push(vec![Cell::Text("Pp".into()), num(c.pp)]);
            rows.push(vec![Cell::Text("Ppk".into()), num(c.ppk)]);
        }
        None => rows.push(vec![
            Cell::Text("Cp, Cpk".into()),
            Cell::Text("not computed: it needs at least two values that vary".into()),
        ]),
    }
    items.push(Item::Table(Table {
        name: format!("{tag} limits"),
        columns: vec![
            Column::new("Figure", None),
            Column::new("Value", Some(&unit)),
        ],
        rows,
    }));
    if v.violations.is_empty() {
        if v.limits.is_some() {
            items.push(Item::Text(
                "No Western Electric rule (1 to 4) is broken.".into(),
            ));
        }
    } else {
        let at = |i: usize| v.points.get(i).map_or(Cell::Empty, |p| Cell::Time(p.at));
        items.push(rules_table(
            format!("{tag} rules"),
            "Point",
            &v.violations,
            &at,
        ));
    }
    if let Some(x) = &v.xbar_r {
        if let Some(p) = &x.problem {
            items.push(Item::Text(format!("No X-bar/R limits: {p}.")));
        }
        if !x.subgroups.is_empty() {
            let mut flagged: Vec<usize> = x.violations.iter().map(|x| x.index).collect();
            flagged.dedup();
            items.push(Item::Chart(Chart::Control {
                title: format!("{}: X-bar, subgroups of {}", ch.name, x.size),
                unit: unit.clone(),
                values: x.subgroups.iter().map(|g| g.mean).collect(),
                first: 1,
                limits: x
                    .limits
                    .as_ref()
                    .map(|l| (l.xbar.center, l.xbar.lower, l.xbar.upper)),
                spec: (None, None),
                flagged,
            }));
            items.push(Item::Chart(Chart::Control {
                title: format!("{}: range, subgroups of {}", ch.name, x.size),
                unit: unit.clone(),
                values: x.subgroups.iter().map(|g| g.range).collect(),
                first: 1,
                limits: x
                    .limits
                    .as_ref()
                    .map(|l| (l.range.center, l.range.lower, l.range.upper)),
                spec: (None, None),
                flagged: Vec::new(),
            }));
            if !x.violations.is_empty() {
                let at = |i: usize| x.subgroups.get(i).map_or(Cell::Empty, |g| Cell::Time(g.at));
                items.push(rules_table(
                    format!("{tag} X-bar rules"),
                    "Subgroup",
                    &x.violations,
                    &at,
                ));
            }
        }
    }
    items
}

/// The SPC report of characteristic `id`: its charts over [from, to) with limits from
/// the baseline, and every measurement.
pub fn spc_report(
    conn: &Connection,
    plant: &Plant,
    id: i64,
    r: &SpcRange,
    stamp: &Stamp,
) -> Result<Doc, QualityError> {
    let v = control::view(conn, id, r)?;
    let product = store::products(conn)?
        .into_iter()
        .find(|p| p.code.eq_ignore_ascii_case(&v.characteristic.product))
        .map(|p| format!("{} ({})", p.code, p.name));
    let tz = plant.timezone();
    let ch = &v.characteristic;
    let unit = ch.unit.clone().unwrap_or_default();
    let u = Some(unit.as_str()).filter(|u| !u.is_empty());
    let mut sections = vec![Section {
        title: match &product {
            Some(p) => format!("{} of {p}", ch.name),
            None => ch.name.clone(),
        },
        items: items(&v, "SPC", &tz),
    }];
    if let Some(c) = &v.capability {
        sections[0]
            .items
            .push(Item::Text(format!("How: {}", c.how)));
    }
    if let Some(l) = &v.limits {
        sections[0]
            .items
            .push(Item::Text(format!("Limits: {}", l.how)));
    }
    let mut rows = Vec::new();
    for (i, p) in v.points.iter().enumerate() {
        rows.push(vec![
            Cell::Int(i as i64 + 1),
            Cell::Time(p.at),
            Cell::Text(p.lot.clone()),
            Cell::Num(p.value, 4),
            p.moving_range.map_or(Cell::Empty, |m| Cell::Num(m, 4)),
            Cell::Text(if p.in_spec { "yes" } else { "OUT OF SPEC" }.into()),
        ]);
    }
    sections.push(Section {
        title: "Measurements".into(),
        items: vec![Item::Table(Table {
            name: "Measurements".into(),
            columns: vec![
                Column::new("Point", None),
                Column::new("Time", None),
                Column::new("Lot", None),
                Column::new("Value", u),
                Column::new("Moving range", u),
                Column::new("In spec", None),
            ],
            rows,
        })],
    });
    Ok(Doc {
        kind: Kind::Spc,
        title: format!("SPC report: {}", ch.name),
        plant: plant.config.site.name.clone(),
        from_ms: r.from,
        to_ms: r.to,
        timezone: plant.config.site.timezone.clone(),
        generated_by: stamp.generated_by.clone(),
        generated_at_ms: stamp.generated_at_ms,
        sections,
    })
}
