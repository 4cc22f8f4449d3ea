//! SPC in reports: a measured characteristic's individuals and moving-range charts (and
//! X-bar/R when a subgroup size is chosen) with their control limits, the Western
//! Electric rule breaks marked and listed, and Cp, Cpk, Pp, Ppk: a section of a lot's
//! story, and the SPC report of a characteristic over a range. The figures are those of
//! `quality::control` (what the SPC page shows); nothing is recomputed here.

use rusqlite::Connection;

use super::build::Stamp;
use super::{Cell, Chart, Column, Doc, Item, Kind, Lang, Section, Table};
use crate::config::Plant;
use crate::i18n::t;
use crate::quality::control::{self, SpcRange, SpcView, SpcViolation};
use crate::quality::store::{self, QualityError};
use crate::tr;

/// "2 mm" or "2" for a unit that is absent.
fn with_unit(v: f64, unit: &str) -> String {
    format!("{v} {unit}").trim().to_string()
}

/// The spec as text: "9.9 – 10.1 mm", "at most 0.5 mm".
pub fn spec_text(lang: Lang, lower: Option<f64>, upper: Option<f64>, unit: &str) -> String {
    let n = |v: f64| with_unit_in(lang, v, unit);
    match (lower, upper) {
        (Some(l), Some(u)) => format!("{} – {}", with_unit_in(lang, l, ""), n(u)),
        (Some(l), None) => tr!(lang, "report-spc-at-least", value = n(l)),
        (None, Some(u)) => tr!(lang, "report-spc-at-most", value = n(u)),
        (None, None) => t(lang, "report-spc-no-limits"),
    }
}

/// [`with_unit`] with the language's decimal separator.
fn with_unit_in(lang: Lang, v: f64, unit: &str) -> String {
    let s = with_unit(v, unit);
    if lang.num(0.5, 1) == "0,5" {
        s.replacen('.', ",", 1)
    } else {
        s
    }
}

fn rules_table(
    lang: Lang,
    name: String,
    what: &str,
    v: &[SpcViolation],
    at: &dyn Fn(usize) -> Cell,
) -> Item {
    Item::Table(Table {
        name,
        columns: vec![
            Column::new(what, None),
            Column::tr(lang, "report-lot-time", None),
            Column::tr(lang, "report-spc-rule", None),
            Column::tr(lang, "report-spc-pattern", None),
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
pub fn items(v: &SpcView, tag: &str, tz: &jiff::tz::TimeZone, lang: Lang) -> Vec<Item> {
    let l = lang;
    let ch = &v.characteristic;
    let unit = ch.unit.clone().unwrap_or_default();
    let spec = (ch.lower, ch.upper);
    let mut items = Vec::new();
    if v.points.is_empty() {
        items.push(Item::Text(tr!(
            l,
            "report-spc-no-measurement",
            name = ch.name.as_str()
        )));
        return items;
    }
    let values: Vec<f64> = v.points.iter().map(|p| p.value).collect();
    let mut idx: Vec<usize> = v.violations.iter().map(|x| x.index).collect();
    idx.dedup();
    let summary = tr!(
        l,
        "report-spc-summary",
        count = v.points.len(),
        name = ch.name.as_str(),
        spec = spec_text(l, ch.lower, ch.upper, &unit)
    );
    items.push(Item::Text(match &v.limits {
        Some(lim) => tr!(
            l,
            "report-spc-summary-limits",
            summary = summary,
            baseline = lim.baseline_points,
            from = l.datetime(v.baseline_from_ms, tz),
            to = l.datetime(v.baseline_to_ms, tz)
        ),
        None => tr!(l, "report-spc-summary-end", summary = summary),
    }));
    if let Some(p) = &v.problem {
        items.push(Item::Text(tr!(
            l,
            "report-spc-no-control-limits",
            problem = p.as_str()
        )));
    }
    items.push(Item::Chart(Chart::Control {
        title: tr!(l, "report-spc-individuals", name = ch.name.as_str()),
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
            title: tr!(l, "report-spc-moving-range", name = ch.name.as_str()),
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
    if let Some(lim) = &v.limits {
        let n4 = |x: f64| l.num(x, 4);
        // The values apart: a comma separates them in English, "; " where it is the
        // decimal separator.
        let sep = if l.num(0.5, 1) == "0,5" { "; " } else { ", " };
        rows.push(vec![
            Cell::Text(t(l, "report-spc-individuals-limits")),
            Cell::Text(
                [
                    n4(lim.individuals.center),
                    n4(lim.individuals.lower),
                    n4(lim.individuals.upper),
                ]
                .join(sep),
            ),
        ]);
        rows.push(vec![
            Cell::Text(t(l, "report-spc-moving-range-limits")),
            Cell::Text([n4(lim.moving_range.center), n4(lim.moving_range.upper)].join(sep)),
        ]);
        rows.push(vec![
            Cell::Text(
                tr!(l, "report-spc-sigma", unit = unit.as_str())
                    .trim_end_matches([',', ' ', '，'])
                    .to_string(),
            ),
            Cell::Num(lim.sigma_within, 4),
        ]);
    }
    match &v.capability {
        Some(c) => {
            rows.push(vec![
                Cell::Text(t(l, "report-col-mean")),
                Cell::Num(c.mean, 4),
            ]);
            rows.push(vec![Cell::Text("Cp".into()), num(c.cp)]);
            rows.push(vec![Cell::Text("Cpk".into()), num(c.cpk)]);
            rows.push(vec![Cell::Text("Pp".into()), num(c.pp)]);
            rows.push(vec![Cell::Text("Ppk".into()), num(c.ppk)]);
        }
        None => rows.push(vec![
            Cell::Text("Cp, Cpk".into()),
            Cell::Text(t(l, "report-spc-not-computed")),
        ]),
    }
    items.push(Item::Table(Table {
        name: tr!(l, "report-spc-limits-table", tag = tag),
        columns: vec![
            Column::tr(l, "report-spc-figure", None),
            Column::tr(l, "report-lot-value", Some(&unit)),
        ],
        rows,
    }));
    if v.violations.is_empty() {
        if v.limits.is_some() {
            items.push(Item::Text(t(l, "report-spc-no-rule")));
        }
    } else {
        let at = |i: usize| v.points.get(i).map_or(Cell::Empty, |p| Cell::Time(p.at));
        items.push(rules_table(
            l,
            tr!(l, "report-spc-rules-table", tag = tag),
            &t(l, "report-spc-point"),
            &v.violations,
            &at,
        ));
    }
    if let Some(x) = &v.xbar_r {
        if let Some(p) = &x.problem {
            items.push(Item::Text(tr!(
                l,
                "report-spc-no-xbar-limits",
                problem = p.as_str()
            )));
        }
        if !x.subgroups.is_empty() {
            let mut flagged: Vec<usize> = x.violations.iter().map(|x| x.index).collect();
            flagged.dedup();
            items.push(Item::Chart(Chart::Control {
                title: tr!(l, "report-spc-xbar", name = ch.name.as_str(), size = x.size),
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
                title: tr!(
                    l,
                    "report-spc-range",
                    name = ch.name.as_str(),
                    size = x.size
                ),
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
                    l,
                    tr!(l, "report-spc-xbar-rules-table", tag = tag),
                    &t(l, "report-spc-subgroup"),
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
    let l = stamp.lang;
    let ch = &v.characteristic;
    let unit = ch.unit.clone().unwrap_or_default();
    let u = Some(unit.as_str()).filter(|u| !u.is_empty());
    let mut sections = vec![Section {
        title: match &product {
            Some(p) => tr!(
                l,
                "report-spc-of-product",
                name = ch.name.as_str(),
                product = p.as_str()
            ),
            None => ch.name.clone(),
        },
        items: items(&v, "SPC", &tz, l),
    }];
    if let Some(c) = &v.capability {
        sections[0]
            .items
            .push(Item::Text(tr!(l, "report-spc-how", how = c.how.as_str())));
    }
    if let Some(lim) = &v.limits {
        sections[0].items.push(Item::Text(tr!(
            l,
            "report-spc-limits-how",
            how = lim.how.as_str()
        )));
    }
    let mut rows = Vec::new();
    for (i, p) in v.points.iter().enumerate() {
        rows.push(vec![
            Cell::Int(i as i64 + 1),
            Cell::Time(p.at),
            Cell::Text(p.lot.clone()),
            Cell::Num(p.value, 4),
            p.moving_range.map_or(Cell::Empty, |m| Cell::Num(m, 4)),
            Cell::Text(if p.in_spec {
                t(l, "report-lot-yes")
            } else {
                t(l, "report-lot-out-of-spec")
            }),
        ]);
    }
    sections.push(Section {
        title: t(l, "report-spc-measurements"),
        items: vec![Item::Table(Table {
            name: t(l, "report-spc-measurements"),
            columns: vec![
                Column::tr(l, "report-spc-point", None),
                Column::tr(l, "report-lot-time", None),
                Column::tr(l, "report-lot-lot", None),
                Column::tr(l, "report-lot-value", u),
                Column::tr(l, "report-spc-moving-range-col", u),
                Column::tr(l, "report-lot-in-spec", None),
            ],
            rows,
        })],
    });
    Ok(Doc {
        kind: Kind::Spc,
        title: tr!(l, "report-spc-title", name = ch.name.as_str()),
        plant: plant.config.site.name.clone(),
        from_ms: r.from,
        to_ms: r.to,
        timezone: plant.config.site.timezone.clone(),
        generated_by: stamp.generated_by.clone(),
        generated_at_ms: stamp.generated_at_ms,
        lang: stamp.lang,
        sections,
    })
}
