//! Report models from the production engine: the figures are those of
//! `production::query::report` (what `plantlog production report` and the API give),
//! laid out as tables and charts; nothing is recomputed here beyond adding up a
//! reason's downtime over machines for the Pareto and converting seconds to hours.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::{Cell, Chart, Column, Doc, Item, Kind, Lang, Section, State, StateRow, Table};
use crate::config::{Plant, StateKind};
use crate::i18n::t;
use crate::production::calendar::{By, Calendar};
use crate::production::query::{self, Query};
use crate::production::records;
use crate::production::report::{Figures, Report};
use crate::production::timeline::Recipe;
use crate::tr;

/// Who asks and when: printed on every page.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub generated_by: String,
    pub generated_at_ms: i64,
    /// The report's language: the asking user's, the plant's for the scheduler and the
    /// command line.
    pub lang: Lang,
}

fn figure_columns(l: Lang) -> Vec<Column> {
    let h = t(l, "report-unit-h");
    let h = Some(h.as_str());
    vec![
        Column::tr(l, "report-col-planned", h),
        Column::tr(l, "report-col-run", h),
        Column::tr(l, "report-col-down", h),
        Column::tr(l, "report-col-no-data", h),
        Column::tr(l, "report-col-stops", None),
        Column::tr(l, "report-col-parts", None),
        Column::tr(l, "report-col-good", None),
        Column::tr(l, "report-col-scrap", None),
        Column::tr(l, "report-col-availability", Some("%")),
        Column::tr(l, "report-col-performance", Some("%")),
        Column::tr(l, "report-col-quality", Some("%")),
        Column::tr(l, "report-col-oee", Some("%")),
    ]
}

fn figure_cells(f: &Figures) -> Vec<Cell> {
    let stops: i64 = f.down_by_reason.iter().map(|r| r.count).sum();
    vec![
        Cell::hours(f.planned_s),
        Cell::hours(f.run_s),
        Cell::hours(f.down_s),
        Cell::hours(f.no_data_s),
        Cell::Int(stops),
        Cell::Int(f.parts_total),
        Cell::Int(f.parts_good),
        Cell::Int(f.parts_scrap),
        Cell::opt_pct(f.availability),
        Cell::opt_pct(f.performance),
        Cell::opt_pct(f.quality),
        Cell::opt_pct(f.oee),
    ]
}

fn with(mut head: Vec<Column>, tail: Vec<Column>) -> Vec<Column> {
    head.extend(tail);
    head
}

fn cells(mut head: Vec<Cell>, f: &Figures) -> Vec<Cell> {
    head.extend(figure_cells(f));
    head
}

/// Downtime by reason over `figures`, largest first: (label, category, stops, seconds).
fn pareto<'a>(figures: impl Iterator<Item = &'a Figures>) -> Vec<(String, String, i64, f64)> {
    let mut by: BTreeMap<String, (String, i64, f64)> = BTreeMap::new();
    for f in figures {
        for r in &f.down_by_reason {
            let e = by.entry(r.label.clone()).or_insert((
                r.category.clone().unwrap_or_default(),
                0,
                0.0,
            ));
            e.1 += r.count;
            e.2 += r.s;
        }
    }
    let mut v: Vec<_> = by.into_iter().map(|(l, (c, n, s))| (l, c, n, s)).collect();
    v.sort_by(|a, b| b.3.total_cmp(&a.3).then_with(|| a.0.cmp(&b.0)));
    v
}

fn downtime_items(l: Lang, p: &[(String, String, i64, f64)], name: &str) -> Vec<Item> {
    let total: f64 = p.iter().map(|r| r.3).sum();
    if p.is_empty() || total <= 0.0 {
        return vec![Item::Text(t(l, "report-no-downtime"))];
    }
    let min = t(l, "report-unit-min");
    let mut cum = 0.0;
    let rows = p
        .iter()
        .map(|(label, cat, n, s)| {
            cum += s;
            vec![
                Cell::Text(label.clone()),
                Cell::Text(cat.clone()),
                Cell::Int(*n),
                Cell::Num(s / 60.0, 1),
                Cell::Pct(s / total),
                Cell::Pct(cum / total),
            ]
        })
        .collect();
    vec![
        Item::Chart(Chart::Pareto {
            title: t(l, "report-chart-pareto"),
            unit: min.clone(),
            labels: p.iter().map(|r| r.0.clone()).collect(),
            values: p.iter().map(|r| r.3 / 60.0).collect(),
        }),
        Item::Table(Table {
            name: name.into(),
            columns: vec![
                Column::tr(l, "report-col-reason", None),
                Column::tr(l, "report-col-category", None),
                Column::tr(l, "report-col-stops", None),
                Column::tr(l, "report-col-down", Some(&min)),
                Column::tr(l, "report-col-share", Some("%")),
                Column::tr(l, "report-col-cumulative", Some("%")),
            ],
            rows,
        }),
    ]
}

fn doc(plant: &Plant, kind: Kind, title: String, r: &Report, stamp: &Stamp) -> Doc {
    Doc {
        kind,
        title,
        plant: plant.config.site.name.clone(),
        from_ms: r.from_ms,
        to_ms: r.to_ms,
        timezone: r.timezone.clone(),
        generated_by: stamp.generated_by.clone(),
        generated_at_ms: stamp.generated_at_ms,
        lang: stamp.lang,
        sections: Vec::new(),
    }
}

/// The production report of [from, to): the plant, its lines and machines per period
/// (`by`), the downtime Pareto, and parts per production day.
pub fn production(
    conn: &mut Connection,
    plant: &Plant,
    from: i64,
    to: i64,
    by: By,
    stamp: &Stamp,
    now: i64,
) -> rusqlite::Result<Doc> {
    let machines = query::machines(plant);
    let q = Query {
        from,
        to,
        by,
        machines: machines.clone(),
    };
    let r = query::report(conn, plant, &q, now)?;
    let l = stamp.lang;
    let what = match by {
        By::Shift => "shift",
        By::Day => "day",
        By::Week => "week",
        By::Month => "month",
    };
    let mut d = doc(
        plant,
        Kind::Production,
        tr!(l, "report-production-title", by = what),
        &r,
        stamp,
    );
    let period = || vec![Column::tr(l, "report-col-period", None)];
    d.sections.push(Section {
        title: t(l, "report-section-plant"),
        items: if r.plant.is_empty() {
            vec![Item::Text(t(l, "report-no-machine"))]
        } else {
            vec![Item::Table(Table {
                name: t(l, "report-section-plant"),
                columns: with(period(), figure_columns(l)),
                rows: r
                    .plant
                    .iter()
                    .map(|t| cells(vec![Cell::Text(t.period.key.clone())], &t.figures))
                    .collect(),
            })]
        },
    });
    if !r.lines.is_empty() {
        d.sections.push(Section {
            title: t(l, "report-section-lines"),
            items: vec![Item::Table(Table {
                name: t(l, "report-section-lines"),
                columns: with(
                    vec![
                        Column::tr(l, "report-col-line", None),
                        Column::tr(l, "report-col-period", None),
                    ],
                    figure_columns(l),
                ),
                rows: r
                    .lines
                    .iter()
                    .map(|t| {
                        cells(
                            vec![
                                Cell::Text(t.line.clone().unwrap_or_default()),
                                Cell::Text(t.period.key.clone()),
                            ],
                            &t.figures,
                        )
                    })
                    .collect(),
            })],
        });
    }
    d.sections.push(Section {
        title: t(l, "report-section-machines"),
        items: vec![Item::Table(Table {
            name: t(l, "report-section-machines"),
            columns: with(
                vec![
                    Column::tr(l, "report-col-machine", None),
                    Column::tr(l, "report-col-period", None),
                ],
                figure_columns(l),
            ),
            rows: r
                .rows
                .iter()
                .map(|row| {
                    cells(
                        vec![
                            Cell::Text(row.machine_name.clone()),
                            Cell::Text(row.period.key.clone()),
                        ],
                        &row.figures,
                    )
                })
                .collect(),
        })],
    });
    d.sections.push(Section {
        title: t(l, "report-section-downtime"),
        items: downtime_items(
            l,
            &pareto(r.rows.iter().map(|r| &r.figures)),
            &t(l, "report-section-downtime"),
        ),
    });
    // Parts per production day: the same engine, by day.
    let days = query::report(
        conn,
        plant,
        &Query {
            from,
            to,
            by: By::Day,
            machines,
        },
        now,
    )?;
    if !days.plant.is_empty() {
        d.sections.push(Section {
            title: t(l, "report-section-parts-per-day"),
            items: vec![
                Item::Chart(Chart::Bars {
                    title: t(l, "report-chart-good-per-day"),
                    unit: t(l, "report-unit-parts"),
                    labels: days.plant.iter().map(|t| t.period.key.clone()).collect(),
                    values: days
                        .plant
                        .iter()
                        .map(|t| t.figures.parts_good as f64)
                        .collect(),
                }),
                Item::Table(Table {
                    name: t(l, "report-table-days"),
                    columns: with(
                        vec![Column::tr(l, "report-col-day", None)],
                        figure_columns(l),
                    ),
                    rows: days
                        .plant
                        .iter()
                        .map(|t| cells(vec![Cell::Text(t.period.key.clone())], &t.figures))
                        .collect(),
                }),
            ],
        });
    }
    Ok(d)
}

fn state_of(kind: Option<StateKind>) -> State {
    match kind {
        Some(StateKind::Running) => State::Running,
        Some(StateKind::Idle) => State::Idle,
        Some(StateKind::Setup) => State::Setup,
        Some(StateKind::Stopped) => State::Stopped,
        Some(StateKind::Fault) => State::Fault,
        Some(StateKind::Unknown) | None => State::NoData,
    }
}

/// The shift report of [from, to): for each shift in it, every machine's figures,
/// its states over the shift, and the stops with their reasons.
pub fn shift(
    conn: &mut Connection,
    plant: &Plant,
    from: i64,
    to: i64,
    stamp: &Stamp,
    now: i64,
) -> rusqlite::Result<Doc> {
    let machines = query::machines(plant);
    let q = Query {
        from,
        to,
        by: By::Shift,
        machines: machines.clone(),
    };
    let r = query::report(conn, plant, &q, now)?;
    let l = stamp.lang;
    let mut d = doc(plant, Kind::Shift, t(l, "report-shift-title"), &r, stamp);
    // Each machine's states over the whole range, from the engine's timeline.
    let calendar = Calendar::new(&plant.config);
    let periods = calendar.periods(By::Shift, from, r.to_ms);
    let ids = records::machine_ids(conn)?;
    let mut states: Vec<StateRow> = Vec::new();
    for key in &machines {
        let (Some(m), Some(&id)) = (plant.machine(key), ids.get(key)) else {
            continue;
        };
        if periods.is_empty() {
            continue;
        }
        let recipe = Recipe::of(plant, m);
        let (data, _) = query::machine_history(conn, id, &recipe, &periods, from, r.to_ms, now)?;
        let tl = &data.timeline;
        let mut segs = Vec::new();
        let mut t = tl.start;
        let mut s = state_of(recipe.kind(tl.initial));
        for c in &tl.changes {
            if c.t > t {
                segs.push((t, c.t, s));
            }
            t = t.max(c.t);
            s = state_of(recipe.kind(c.state));
        }
        if r.to_ms > t {
            segs.push((t, r.to_ms, s));
        }
        states.push((m.name.clone(), segs));
    }
    let tz = d.tz();
    let mut n = 0;
    for p in &r.plant {
        if p.period.shift.is_none() && p.figures.run_s <= 0.0 && p.figures.parts_total == 0 {
            continue;
        }
        n += 1;
        let title = format!(
            "{} ({} – {})",
            p.period.key,
            l.clock(p.period.start_ms, &tz),
            l.clock(p.period.end_ms, &tz)
        );
        let rows_here: Vec<_> = r.rows.iter().filter(|x| x.period == p.period).collect();
        let mut rows: Vec<Vec<Cell>> = rows_here
            .iter()
            .map(|x| cells(vec![Cell::Text(x.machine_name.clone())], &x.figures))
            .collect();
        rows.push(cells(
            vec![Cell::Text(t(l, "report-plant-row"))],
            &p.figures,
        ));
        let mut items = vec![Item::Table(Table {
            name: tr!(l, "report-table-shift", n = n),
            columns: with(
                vec![Column::tr(l, "report-col-machine", None)],
                figure_columns(l),
            ),
            rows,
        })];
        let clip = |segs: &[(i64, i64, State)]| {
            segs.iter()
                .filter(|(a, b, _)| *b > p.period.start_ms && *a < p.period.end_ms)
                .map(|(a, b, s)| (*a.max(&p.period.start_ms), *b.min(&p.period.end_ms), *s))
                .collect::<Vec<_>>()
        };
        if !states.is_empty() {
            items.push(Item::Chart(Chart::Timeline {
                title: t(l, "report-chart-states"),
                from_ms: p.period.start_ms,
                to_ms: p.period.end_ms,
                rows: states.iter().map(|(m, s)| (m.clone(), clip(s))).collect(),
            }));
        }
        let mut stops = Vec::new();
        for x in &rows_here {
            for rd in &x.figures.down_by_reason {
                stops.push(vec![
                    Cell::Text(x.machine_name.clone()),
                    Cell::Text(rd.label.clone()),
                    Cell::Int(rd.count),
                    Cell::Num(rd.s / 60.0, 1),
                ]);
            }
        }
        if stops.is_empty() {
            items.push(Item::Text(t(l, "report-no-stops-in-shift")));
        } else {
            let min = t(l, "report-unit-min");
            items.push(Item::Table(Table {
                name: tr!(l, "report-table-stops", n = n),
                columns: vec![
                    Column::tr(l, "report-col-machine", None),
                    Column::tr(l, "report-col-reason", None),
                    Column::tr(l, "report-col-stops", None),
                    Column::tr(l, "report-col-down", Some(&min)),
                ],
                rows: stops,
            }));
        }
        d.sections.push(Section { title, items });
    }
    if n == 0 {
        d.sections.push(Section {
            title: t(l, "report-section-shifts"),
            items: vec![Item::Text(t(l, "report-no-shift"))],
        });
    }
    Ok(d)
}
