//! A lot's story as a document for a customer complaint: the lot, its product, machine,
//! times, shifts and people; the materials issued to it with their supplier lots and
//! certificates; every check with its result and disposition; scrap; the machine's
//! states and stops during the lot; the trends of the machine's tags over the lot; and
//! an SPC section per measured characteristic. The facts are those of
//! `quality::trace::story` (the lot page and `plantlog trace`); the tag trends are the
//! stored good samples cut into periods, as in the tag report.

use rusqlite::Connection;

use super::build::Stamp;
use super::{Cell, Chart, Column, Doc, Item, Kind, Section, State, Table};
use crate::config::{Plant, StateKind, TagRole};
use crate::quality::control::{self, SpcRange};
use crate::quality::store::{self, QualityError};
use crate::quality::trace::{self, LotStory};

/// How many tags' trends a story shows at most (the machine's process values).
const MAX_TRENDS: usize = 6;
/// How many periods a trend is cut into.
const TREND_PERIODS: i64 = 60;
/// The SPC limits' baseline: this long before the lot's end.
const BASELINE_MS: i64 = 30 * 86_400_000;

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

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn table(name: &str, columns: Vec<Column>, rows: Vec<Vec<Cell>>) -> Item {
    Item::Table(Table {
        name: name.into(),
        columns,
        rows,
    })
}

/// The story of lot `code` as a report.
pub fn lot_report(
    conn: &mut Connection,
    plant: &Plant,
    code: &str,
    stamp: &Stamp,
    now: i64,
) -> Result<Doc, QualityError> {
    let s = trace::story(conn, plant, code, now)?;
    story_doc(conn, plant, &s, stamp, now)
}

/// The report of a story already gathered.
pub fn story_doc(
    conn: &mut Connection,
    plant: &Plant,
    s: &LotStory,
    stamp: &Stamp,
    now: i64,
) -> Result<Doc, QualityError> {
    let l = &s.lot;
    let lg = stamp.lang;
    let w = |id: &str| crate::i18n::t(lg, id);
    let tz = plant.timezone();
    let from = l.started_at;
    let to = l.ended_at.unwrap_or(now).min(now).max(from + 1);
    let mut sections = Vec::new();

    // The lot.
    let lot_scrap: i64 = s.scrap.iter().map(|x| x.parts).sum();
    let mut rows = vec![
        vec![text(w("report-lot-lot")), text(l.code.clone())],
        vec![
            text(w("report-lot-product")),
            text(format!("{} ({})", l.product, l.product_name)),
        ],
        vec![
            text(w("report-col-machine")),
            text(format!("{} ({})", s.machine_name, l.machine)),
        ],
        vec![
            text(w("report-lot-started")),
            text(lg.datetime(l.started_at, &tz)),
        ],
        vec![text(w("report-lot-started-by")), text(l.started_by.clone())],
        vec![
            text(w("report-lot-ended")),
            l.ended_at.map_or_else(
                || text(w("report-lot-running")),
                |t| text(lg.datetime(t, &tz)),
            ),
        ],
    ];
    if let Some(b) = &l.ended_by {
        rows.push(vec![text(w("report-lot-ended-by")), text(b.clone())]);
    }
    rows.push(vec![
        text(w("report-section-shifts")),
        text(s.shifts.join(", ")),
    ]);
    rows.push(vec![
        text(w("report-lot-people")),
        text(s.people.join(", ")),
    ]);
    match &s.run {
        Some(r) => {
            rows.push(vec![
                text(w("report-lot-parts-counted")),
                Cell::Int(r.figures.parts_total),
            ]);
            rows.push(vec![
                text(w("report-lot-good-parts")),
                Cell::Int(r.figures.parts_good),
            ]);
            rows.push(vec![
                text(w("report-lot-scrap-counted")),
                Cell::Int(r.figures.parts_scrap),
            ]);
        }
        None => rows.push(vec![
            text(w("report-col-parts")),
            text(w("report-lot-no-figures")),
        ]),
    }
    rows.push(vec![
        text(w("report-lot-scrap-entered")),
        Cell::Int(lot_scrap),
    ]);
    sections.push(Section {
        title: crate::tr!(lg, "report-lot-section", code = l.code.as_str()),
        items: vec![table(
            &w("report-lot-lot"),
            vec![
                Column::new(&w("report-lot-fact"), None),
                Column::new(&w("report-lot-value"), None),
            ],
            rows,
        )],
    });

    // Materials, with the certificate of each material lot.
    let mut certs = std::collections::HashMap::new();
    for m in &s.materials {
        if !certs.contains_key(&m.material_lot) {
            let c = store::material_lot(conn, &m.material_lot)
                .map(|x| x.certificate)
                .unwrap_or_default();
            certs.insert(m.material_lot.clone(), c);
        }
    }
    let items = if s.materials.is_empty() {
        vec![Item::Text(w("report-lot-no-material"))]
    } else {
        vec![table(
            &w("report-lot-materials"),
            vec![
                Column::new(&w("report-lot-time"), None),
                Column::new(&w("report-lot-move"), None),
                Column::new(&w("report-lot-material"), None),
                Column::new(&w("report-lot-quantity"), None),
                Column::new(&w("report-lot-material-lot"), None),
                Column::new(&w("report-lot-supplier"), None),
                Column::new(&w("report-lot-supplier-lot"), None),
                Column::new(&w("report-lot-certificate"), None),
                Column::new(&w("report-lot-by"), None),
            ],
            s.materials
                .iter()
                .map(|m| {
                    vec![
                        Cell::Time(m.at),
                        text(m.kind.clone()),
                        text(m.material.clone()),
                        text(format!("{} {}", m.quantity, m.unit)),
                        text(m.material_lot.clone()),
                        text(m.supplier.clone()),
                        text(m.supplier_lot.clone()),
                        text(certs.get(&m.material_lot).cloned().unwrap_or_default()),
                        text(m.by.clone()),
                    ]
                })
                .collect(),
        )]
    };
    sections.push(Section {
        title: w("report-lot-materials-used"),
        items,
    });

    // Checks and their dispositions.
    let out = s.checks.iter().filter(|c| !c.in_spec).count();
    let mut items = vec![Item::Text(crate::tr!(
        lg,
        "report-lot-checks-summary",
        checks = s.checks.len(),
        out = out,
        waiting = s.checks.iter().filter(|c| c.needs_disposition).count()
    ))];
    if !s.checks.is_empty() {
        items.push(table(
            &w("report-lot-checks"),
            vec![
                Column::new("#", None),
                Column::new(&w("report-lot-time"), None),
                Column::new(&w("report-lot-characteristic"), None),
                Column::new(&w("report-lot-result"), None),
                Column::new(&w("report-lot-spec"), None),
                Column::new(&w("report-lot-in-spec"), None),
                Column::new(&w("report-lot-by"), None),
                Column::new(&w("report-lot-disposition"), None),
            ],
            s.checks
                .iter()
                .map(|c| {
                    let unit = c.unit.clone().unwrap_or_default();
                    let result = match (c.value, c.passed) {
                        (Some(v), _) => format!("{v} {unit}").trim().to_string(),
                        (_, Some(true)) => w("report-lot-pass"),
                        _ => w("report-lot-fail"),
                    };
                    let spec = if c.kind == "measured" {
                        super::spc::spec_text(lg, c.lower, c.upper, &unit)
                    } else {
                        w("report-lot-pass")
                    };
                    let mut verdict = if c.in_spec {
                        w("report-lot-yes")
                    } else {
                        w("report-lot-out-of-spec")
                    };
                    if let Some(n) = c.corrected_by {
                        verdict = crate::tr!(lg, "report-lot-corrected-by", n = n);
                    }
                    let disposition = c
                        .dispositions
                        .iter()
                        .map(|d| {
                            crate::tr!(
                                lg,
                                "report-lot-disposition-by",
                                disposition = d.disposition.replace('_', " "),
                                by = d.by.as_str(),
                                comment = d.comment.as_str()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ");
                    vec![
                        Cell::Int(c.id),
                        Cell::Time(c.at),
                        text(c.characteristic.clone()),
                        text(result),
                        text(spec),
                        text(verdict),
                        text(c.by.clone()),
                        text(if c.needs_disposition {
                            w("report-lot-waiting")
                        } else {
                            disposition
                        }),
                    ]
                })
                .collect(),
        ));
    }
    sections.push(Section {
        title: w("report-lot-checks"),
        items,
    });

    // Scrap.
    let items = if s.scrap.is_empty() {
        vec![Item::Text(w("report-lot-no-scrap"))]
    } else {
        vec![table(
            &w("report-col-scrap"),
            vec![
                Column::new(&w("report-lot-time"), None),
                Column::new(&w("report-col-parts"), None),
                Column::new(&w("report-col-reason"), None),
                Column::new(&w("report-lot-comment"), None),
                Column::new(&w("report-lot-by"), None),
            ],
            s.scrap
                .iter()
                .map(|x| {
                    vec![
                        Cell::Time(x.at),
                        Cell::Int(x.parts),
                        text(x.reason.clone()),
                        text(x.comment.clone()),
                        text(x.by.clone()),
                    ]
                })
                .collect(),
        )]
    };
    sections.push(Section {
        title: w("report-col-scrap"),
        items,
    });

    // The machine's states and stops during the lot.
    let mut items = Vec::new();
    match &s.run {
        None => items.push(Item::Text(w("report-lot-no-states"))),
        Some(r) => {
            let kind = |v: Option<i64>| {
                v.and_then(|v| r.state_names.iter().find(|n| n.value == v))
                    .map(|n| n.kind)
            };
            items.push(Item::Chart(Chart::Timeline {
                title: w("report-lot-states-chart"),
                from_ms: from,
                to_ms: to,
                rows: vec![(
                    s.machine_name.clone(),
                    r.states
                        .iter()
                        .map(|x| {
                            (
                                x.from_ms,
                                x.to_ms,
                                if x.value.is_none() {
                                    State::NoData
                                } else {
                                    state_of(kind(x.value))
                                },
                            )
                        })
                        .collect(),
                )],
            }));
            if r.stops.is_empty() {
                items.push(Item::Text(w("report-lot-no-stop")));
            } else {
                items.push(table(
                    &w("report-col-stops"),
                    vec![
                        Column::new(&w("report-field-from"), None),
                        Column::new(&w("report-field-to"), None),
                        Column::new(&w("report-col-down"), Some("min")),
                        Column::new(&w("report-col-reason"), None),
                    ],
                    r.stops
                        .iter()
                        .map(|st| {
                            let reason = st
                                .segments
                                .iter()
                                .filter_map(|g| g.reason.clone())
                                .collect::<Vec<_>>()
                                .join("; ");
                            vec![
                                Cell::Time(st.start_ms),
                                st.end_ms.map_or_else(
                                    || text(w("report-lot-still-stopped")),
                                    Cell::Time,
                                ),
                                Cell::Num(st.down_s / 60.0, 1),
                                text(if reason.is_empty() {
                                    w("report-lot-no-reason")
                                } else {
                                    reason
                                }),
                            ]
                        })
                        .collect(),
                ));
            }
            if r.micro_stops > 0 {
                items.push(Item::Text(crate::tr!(
                    lg,
                    "report-lot-micro-stops",
                    count = r.micro_stops,
                    seconds = lg.num(r.micro_stop_s, 0)
                )));
            }
        }
    }
    sections.push(Section {
        title: w("report-lot-states-stops"),
        items,
    });

    // Trends of the machine's process values.
    let step = ((to - from) / TREND_PERIODS).max(60_000);
    let mut periods = Vec::new();
    let mut t = from;
    while t < to {
        let next = (t + step).min(to);
        periods.push((super::local(t, &tz), t, next));
        t = next;
    }
    let mut items = Vec::new();
    let tags: Vec<_> = plant
        .machine_tags(&l.machine)
        .filter(|t| {
            !matches!(
                t.tag.role,
                Some(TagRole::Count | TagRole::Scrap | TagRole::State | TagRole::Run)
            ) && t.tag.data_type != Some(crate::config::DataType::String)
        })
        .take(MAX_TRENDS)
        .collect();
    for t in &tags {
        let st = super::tags::stats(conn, t.id, &periods)?;
        let label = t.tag.label.clone().unwrap_or_else(|| t.tag.name.clone());
        let points: Vec<_> = st
            .iter()
            .filter_map(|s| Some(((s.start_ms + s.end_ms) / 2, s.min?, s.mean?, s.max?)))
            .collect();
        if points.is_empty() {
            items.push(Item::Text(crate::tr!(
                lg,
                "report-lot-no-sample",
                label = label.as_str()
            )));
            continue;
        }
        items.push(Item::Chart(Chart::Line {
            title: crate::tr!(lg, "report-lot-trend", label = label.as_str()),
            unit: t.tag.unit.clone(),
            from_ms: from,
            to_ms: to,
            points,
        }));
    }
    if tags.is_empty() {
        items.push(Item::Text(w("report-lot-no-trends")));
    }
    sections.push(Section {
        title: crate::tr!(lg, "report-lot-trends", machine = s.machine_name.as_str()),
        items,
    });

    // SPC of each measured characteristic checked in the lot.
    let mut chars: Vec<i64> = Vec::new();
    for c in &s.checks {
        if c.kind == "measured" && !chars.contains(&c.characteristic_id) {
            chars.push(c.characteristic_id);
        }
    }
    for (i, id) in chars.iter().enumerate() {
        let ch = store::characteristic(conn, *id)?;
        let r = SpcRange {
            from,
            to: to + 1,
            baseline_from: to + 1 - BASELINE_MS,
            baseline_to: to + 1,
            subgroup: None,
        };
        let checks: Vec<_> = store::checks_of_characteristic(conn, *id, r.from, r.to)?
            .into_iter()
            .filter(|c| c.lot.eq_ignore_ascii_case(&l.code))
            .collect();
        let baseline = store::checks_of_characteristic(conn, *id, r.baseline_from, r.baseline_to)?;
        let title = crate::tr!(lg, "report-lot-spc", name = ch.name.as_str());
        let v = control::view_of(ch, &checks, &baseline, &r)?;
        let mut items = vec![Item::Text(w("report-lot-spc-text"))];
        items.extend(super::spc::items(&v, &format!("SPC {}", i + 1), &tz, lg));
        sections.push(Section { title, items });
    }

    Ok(Doc {
        kind: Kind::Lot,
        title: crate::tr!(lg, "report-lot-title", code = l.code.as_str()),
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
