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
    let tz = plant.timezone();
    let from = l.started_at;
    let to = l.ended_at.unwrap_or(now).min(now).max(from + 1);
    let mut sections = Vec::new();

    // The lot.
    let lot_scrap: i64 = s.scrap.iter().map(|x| x.parts).sum();
    let mut rows = vec![
        vec![text("Lot"), text(l.code.clone())],
        vec![
            text("Product"),
            text(format!("{} ({})", l.product, l.product_name)),
        ],
        vec![
            text("Machine"),
            text(format!("{} ({})", s.machine_name, l.machine)),
        ],
        vec![text("Started"), text(super::local(l.started_at, &tz))],
        vec![text("Started by"), text(l.started_by.clone())],
        vec![
            text("Ended"),
            l.ended_at.map_or_else(
                || text("running (the story up to now)"),
                |t| text(super::local(t, &tz)),
            ),
        ],
    ];
    if let Some(b) = &l.ended_by {
        rows.push(vec![text("Ended by"), text(b.clone())]);
    }
    rows.push(vec![text("Shifts"), text(s.shifts.join(", "))]);
    rows.push(vec![text("People"), text(s.people.join(", "))]);
    match &s.run {
        Some(r) => {
            rows.push(vec![
                text("Parts counted"),
                Cell::Int(r.figures.parts_total),
            ]);
            rows.push(vec![text("Good parts"), Cell::Int(r.figures.parts_good)]);
            rows.push(vec![
                text("Scrap counted by the machine"),
                Cell::Int(r.figures.parts_scrap),
            ]);
        }
        None => rows.push(vec![
            text("Parts"),
            text("the machine has no production figures"),
        ]),
    }
    rows.push(vec![
        text("Scrap entered for the lot"),
        Cell::Int(lot_scrap),
    ]);
    sections.push(Section {
        title: format!("Lot {}", l.code),
        items: vec![table(
            "Lot",
            vec![Column::new("Fact", None), Column::new("Value", None)],
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
        vec![Item::Text("No material was issued to this lot.".into())]
    } else {
        vec![table(
            "Materials",
            vec![
                Column::new("Time", None),
                Column::new("Move", None),
                Column::new("Material", None),
                Column::new("Quantity", None),
                Column::new("Material lot", None),
                Column::new("Supplier", None),
                Column::new("Supplier lot", None),
                Column::new("Certificate", None),
                Column::new("By", None),
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
        title: "Materials used".into(),
        items,
    });

    // Checks and their dispositions.
    let out = s.checks.iter().filter(|c| !c.in_spec).count();
    let mut items = vec![Item::Text(format!(
        "{} checks, {} out of spec{}.",
        s.checks.len(),
        out,
        match s.checks.iter().filter(|c| c.needs_disposition).count() {
            0 => String::new(),
            n => format!(", {n} still waiting for a disposition"),
        }
    ))];
    if !s.checks.is_empty() {
        items.push(table(
            "Checks",
            vec![
                Column::new("#", None),
                Column::new("Time", None),
                Column::new("Characteristic", None),
                Column::new("Result", None),
                Column::new("Spec", None),
                Column::new("In spec", None),
                Column::new("By", None),
                Column::new("Disposition", None),
            ],
            s.checks
                .iter()
                .map(|c| {
                    let unit = c.unit.clone().unwrap_or_default();
                    let result = match (c.value, c.passed) {
                        (Some(v), _) => format!("{v} {unit}").trim().to_string(),
                        (_, Some(true)) => "pass".into(),
                        _ => "fail".into(),
                    };
                    let spec = if c.kind == "measured" {
                        super::spc::spec_text(c.lower, c.upper, &unit)
                    } else {
                        "pass".into()
                    };
                    let mut verdict = if c.in_spec { "yes" } else { "OUT OF SPEC" }.to_string();
                    if let Some(n) = c.corrected_by {
                        verdict = format!("corrected by #{n}");
                    }
                    let disposition = c
                        .dispositions
                        .iter()
                        .map(|d| {
                            format!(
                                "{} by {}: {}",
                                d.disposition.replace('_', " "),
                                d.by,
                                d.comment
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
                            "waiting".to_string()
                        } else {
                            disposition
                        }),
                    ]
                })
                .collect(),
        ));
    }
    sections.push(Section {
        title: "Checks".into(),
        items,
    });

    // Scrap.
    let items = if s.scrap.is_empty() {
        vec![Item::Text("No scrap was entered for this lot.".into())]
    } else {
        vec![table(
            "Scrap",
            vec![
                Column::new("Time", None),
                Column::new("Parts", None),
                Column::new("Reason", None),
                Column::new("Comment", None),
                Column::new("By", None),
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
        title: "Scrap".into(),
        items,
    });

    // The machine's states and stops during the lot.
    let mut items = Vec::new();
    match &s.run {
        None => items.push(Item::Text(
            "The machine has no production figures, so no states or stops.".into(),
        )),
        Some(r) => {
            let kind = |v: Option<i64>| {
                v.and_then(|v| r.state_names.iter().find(|n| n.value == v))
                    .map(|n| n.kind)
            };
            items.push(Item::Chart(Chart::Timeline {
                title: "Machine states during the lot".into(),
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
                items.push(Item::Text("No stop during the lot.".into()));
            } else {
                items.push(table(
                    "Stops",
                    vec![
                        Column::new("From", None),
                        Column::new("To", None),
                        Column::new("Down", Some("min")),
                        Column::new("Reason", None),
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
                                st.end_ms.map_or_else(|| text("still stopped"), Cell::Time),
                                Cell::Num(st.down_s / 60.0, 1),
                                text(if reason.is_empty() {
                                    "(no reason)".to_string()
                                } else {
                                    reason
                                }),
                            ]
                        })
                        .collect(),
                ));
            }
            if r.micro_stops > 0 {
                items.push(Item::Text(format!(
                    "And {} micro-stops, {:.0} s in all.",
                    r.micro_stops, r.micro_stop_s
                )));
            }
        }
    }
    sections.push(Section {
        title: "States and stops".into(),
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
            items.push(Item::Text(format!(
                "{label}: no good sample during the lot."
            )));
            continue;
        }
        items.push(Item::Chart(Chart::Line {
            title: format!("{label}: min, mean and max during the lot"),
            unit: t.tag.unit.clone(),
            from_ms: from,
            to_ms: to,
            points,
        }));
    }
    if tags.is_empty() {
        items.push(Item::Text(
            "The machine has no process value tags to show.".into(),
        ));
    }
    sections.push(Section {
        title: format!("Trends of {}", s.machine_name),
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
        let title = format!("SPC: {}", ch.name);
        let v = control::view_of(ch, &checks, &baseline, &r)?;
        let mut items = vec![Item::Text(
            "The lot's measurements against control limits from every lot's measurements of \
             the 30 days up to the lot's end; Cp and Cpk of the lot's own values."
                .into(),
        )];
        items.extend(super::spc::items(&v, &format!("SPC {}", i + 1), &tz));
        sections.push(Section { title, items });
    }

    Ok(Doc {
        kind: Kind::Lot,
        title: format!("Lot story {}", l.code),
        plant: plant.config.site.name.clone(),
        from_ms: from,
        to_ms: to,
        timezone: plant.config.site.timezone.clone(),
        generated_by: stamp.generated_by.clone(),
        generated_at_ms: stamp.generated_at_ms,
        sections,
    })
}
