//! A lot's whole story (materials and their supplier lots, machine and times, who was
//! on it, checks, scrap, stops and parts from the production engine's stored history)
//! and the checks due on a machine's running lot. The same functions serve the API and
//! `plantlog trace LOT`.

use rusqlite::Connection;
use serde::Serialize;

use super::schedule::{self, Context, Done, Status};
use super::store::{
    self, CharacteristicView, CheckView, LotScrapView, LotView, MoveFilter, MoveView, QualityError,
    Result,
};
use crate::config::Plant;
use crate::production::views::{self, MachineStops};
use crate::production::{Calendar, Period, query, records, timeline::Recipe};

/// A machine's stops and figures over [from, to) from stored history (the numbers of
/// the machine's stops page); None for a machine without production figures.
pub fn machine_run(
    conn: &mut Connection,
    plant: &Plant,
    key: &str,
    from: i64,
    to: i64,
    now: i64,
) -> Result<Option<MachineStops>> {
    let Some(m) = plant.machine(key) else {
        return Ok(None);
    };
    if !query::machines(plant).iter().any(|k| k == key) || from >= to {
        return Ok(None);
    }
    let recipe = Recipe::load(conn, plant, m)?;
    let calendar = Calendar::new(&plant.config);
    let Some(id) = records::machine_id(conn, key)? else {
        return Ok(None);
    };
    let periods = [Period {
        key: "lot".into(),
        shift: None,
        start_ms: from,
        end_ms: to,
    }];
    let (data, recs) = query::machine_history(conn, id, &recipe, &periods, from, to, now)?;
    let reasons = records::reasons(conn)?;
    let (rows, computed) =
        query::machine_rows(&calendar, &reasons, m, &recipe, &data, &recs, &periods);
    let t = &computed.periods[0];
    let Some(figures) = rows.into_iter().next().map(|r| r.figures) else {
        return Ok(None);
    };
    Ok(Some(MachineStops {
        key: m.key.clone(),
        name: m.name.clone(),
        from_ms: from,
        to_ms: to,
        timezone: plant.config.site.timezone.clone(),
        states: views::stretches(&data, from, to),
        state_names: views::state_names(m, &recipe),
        stops: computed
            .stops
            .iter()
            .filter(|s| s.down_ms > 0 || s.end.is_none())
            .map(|s| views::stop_view(s, &recs, &reasons))
            .collect(),
        micro_stops: t.micro_count,
        micro_stop_s: t.micro_ms as f64 / 1000.0,
        figures,
    }))
}

/// Parts counted in a lot so far (0 when the machine has no counter).
pub fn lot_parts(conn: &mut Connection, plant: &Plant, lot: &LotView, now: i64) -> Result<i64> {
    let to = lot.ended_at.unwrap_or(now).min(now);
    Ok(machine_run(
        conn,
        plant,
        &lot.machine,
        lot.started_at,
        to.max(lot.started_at + 1),
        now,
    )?
    .map_or(0, |r| r.figures.parts_total))
}

/// A check of the plan on a running lot and its state now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DueCheck {
    pub lot: String,
    pub machine: String,
    pub characteristic: CharacteristicView,
    /// "due", "overdue", "not_due" or "satisfied".
    pub state: String,
    /// Due since / next due: a time (UTC ms) ...
    pub time: Option<i64>,
    /// ... or a part count of the lot.
    pub part: Option<i64>,
    /// Parts counted in the lot now.
    pub parts: i64,
    pub last_at: Option<i64>,
}

/// The running lot on `machine` and each check of its plan with its state now.
pub fn due_on(
    conn: &mut Connection,
    plant: &Plant,
    machine: &str,
    now: i64,
) -> Result<Option<(LotView, Vec<DueCheck>)>> {
    let Some(lot) = store::running_lot(conn, machine)? else {
        return Ok(None);
    };
    let parts = lot_parts(conn, plant, &lot, now)?;
    let plan = store::plan_of(conn, &lot.product)?;
    let last = store::last_checks(conn, lot.id)?;
    let shift = Calendar::new(&plant.config).window_at(now).start_ms;
    let mut out = Vec::new();
    for c in plan {
        let Ok(freq) = super::master::parse_every(&c.every) else {
            continue;
        };
        let done = last.get(&c.id).map(|&(at, p)| Done {
            at_ms: at,
            parts: p.max(0) as u64,
        });
        let status = schedule::status(
            freq,
            schedule::Grace {
                minutes: c.grace_minutes.max(0) as u32,
                parts: c.grace_parts.max(0) as u64,
            },
            &Context {
                now_ms: now,
                lot_started_ms: lot.started_at,
                parts: parts.max(0) as u64,
                shift_started_ms: shift,
                last: done,
            },
        );
        let point = |p: schedule::Point| match p {
            schedule::Point::Time(t) => (Some(t), None),
            schedule::Point::Part(n) => (None, Some(n as i64)),
        };
        let (state, (time, part)) = match status {
            Status::Satisfied => ("satisfied", (None, None)),
            Status::NotDue { at } => ("not_due", point(at)),
            Status::Due { since, overdue } => {
                (if overdue { "overdue" } else { "due" }, point(since))
            }
        };
        out.push(DueCheck {
            lot: lot.code.clone(),
            machine: machine.to_string(),
            characteristic: c,
            state: state.into(),
            time,
            part,
            parts,
            last_at: done.map(|d| d.at_ms),
        });
    }
    Ok(Some((lot, out)))
}

/// A material issued to a lot, with its supplier lot.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LotStory {
    pub lot: LotView,
    pub machine_name: String,
    pub timezone: String,
    /// Material moves recorded against the lot (issues to its machine while it ran).
    pub materials: Vec<MoveView>,
    pub checks: Vec<CheckView>,
    pub scrap: Vec<LotScrapView>,
    /// Who started, ended, checked, scrapped or explained stops during the lot.
    pub people: Vec<String>,
    /// The shifts the lot ran in ("2026-03-02 Early").
    pub shifts: Vec<String>,
    /// The same shifts as their start and name, for a page that writes the date in the
    /// reader's language.
    pub shift_starts: Vec<ShiftStart>,
    /// Stops and figures of the machine during the lot (None: no production figures).
    pub run: Option<MachineStops>,
    /// The machine's tags, for its trends during the lot: [tag id, label, unit].
    pub tags: Vec<TagRef>,
}

/// A shift the lot ran in: when it started (UTC ms) and its name ("" for none).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ShiftStart {
    pub start_ms: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TagRef {
    pub id: i64,
    pub name: String,
    pub label: String,
    pub unit: Option<String>,
}

pub fn story(conn: &mut Connection, plant: &Plant, code: &str, now: i64) -> Result<LotStory> {
    let lot = store::lot(conn, code)?;
    let materials = store::moves(conn, MoveFilter::ProductionLot(lot.id))?;
    let checks = store::checks_of_lot(conn, lot.id)?;
    let scrap = store::scrap_of_lot(conn, lot.id)?;
    let to = lot.ended_at.unwrap_or(now).min(now).max(lot.started_at + 1);
    let run = machine_run(conn, plant, &lot.machine, lot.started_at, to, now)?;
    let mut people = vec![lot.started_by.clone()];
    people.extend(lot.ended_by.clone());
    people.extend(checks.iter().map(|c| c.by.clone()));
    people.extend(
        checks
            .iter()
            .flat_map(|c| c.dispositions.iter().map(|d| d.by.clone())),
    );
    people.extend(scrap.iter().map(|s| s.by.clone()));
    if let Some(r) = &run {
        people.extend(
            r.stops
                .iter()
                .flat_map(|s| s.segments.iter().filter_map(|g| g.entered_by.clone())),
        );
    }
    let mut seen = std::collections::HashSet::new();
    people.retain(|p| seen.insert(p.clone()));
    let calendar = Calendar::new(&plant.config);
    let mut shifts = Vec::new();
    let mut shift_starts: Vec<ShiftStart> = Vec::new();
    let mut t = lot.started_at;
    while t < to && shifts.len() < 200 {
        let w = calendar.window_at(t);
        let name = format!(
            "{} {}",
            calendar.date_time(w.start_ms),
            w.name.clone().unwrap_or_default()
        );
        if !shifts.contains(&name) {
            shifts.push(name.trim().to_string());
        }
        if !shift_starts.iter().any(|s| s.start_ms == w.start_ms) {
            shift_starts.push(ShiftStart {
                start_ms: w.start_ms,
                name: w.name.clone().unwrap_or_default(),
            });
        }
        t = w.end_ms.max(t + 60_000);
    }
    let machine_name = plant
        .machine(&lot.machine)
        .map_or_else(|| lot.machine.clone(), |m| m.name.clone());
    let tags = plant
        .machine_tags(&lot.machine)
        .map(|t| TagRef {
            id: t.id,
            name: t.tag.name.clone(),
            label: t.tag.label.clone().unwrap_or_else(|| t.tag.name.clone()),
            unit: Some(t.tag.unit.clone()).filter(|u| !u.is_empty()),
        })
        .collect();
    Ok(LotStory {
        lot,
        machine_name,
        timezone: plant.config.site.timezone.clone(),
        materials,
        checks,
        scrap,
        people,
        shifts,
        shift_starts,
        run,
        tags,
    })
}

/// The lot's story as text, for `plantlog trace LOT`.
pub fn story_text(s: &LotStory, plant: &Plant) -> String {
    use std::fmt::Write;
    let cal = Calendar::new(&plant.config);
    let t = |ms: i64| cal.date_time(ms);
    let mut o = String::new();
    let l = &s.lot;
    let _ = writeln!(o, "Lot {}: {} ({})", l.code, l.product, l.product_name);
    let _ = writeln!(
        o,
        "Machine {} ({}), {} to {}",
        s.machine_name,
        l.machine,
        t(l.started_at),
        l.ended_at.map_or_else(|| "running".to_string(), t)
    );
    let _ = writeln!(
        o,
        "Started by {}{}",
        l.started_by,
        l.ended_by
            .as_ref()
            .map(|b| format!(", ended by {b}"))
            .unwrap_or_default()
    );
    let _ = writeln!(o, "Shifts: {}", s.shifts.join(", "));
    let _ = writeln!(o, "People: {}", s.people.join(", "));
    let _ = writeln!(o, "\nMaterials ({}):", s.materials.len());
    for m in &s.materials {
        let _ = writeln!(
            o,
            "  {}  {} {} {} {}  lot {} (supplier {}, supplier lot {})  by {}",
            t(m.at),
            m.kind,
            m.quantity,
            m.unit,
            m.material,
            m.material_lot,
            m.supplier,
            m.supplier_lot,
            m.by
        );
    }
    let _ = writeln!(o, "\nChecks ({}):", s.checks.len());
    for c in &s.checks {
        let result = match (c.value, c.passed) {
            (Some(v), _) => format!("{v} {}", c.unit.as_deref().unwrap_or("")),
            (_, Some(true)) => "pass".into(),
            _ => "fail".into(),
        };
        let _ = writeln!(
            o,
            "  #{} {}  {}: {}{}  by {}{}{}",
            c.id,
            t(c.at),
            c.characteristic,
            result.trim(),
            if c.in_spec { "" } else { "  OUT OF SPEC" },
            c.by,
            c.disposition
                .as_ref()
                .map(|d| format!("  -> {} by {}: {}", d.disposition, d.by, d.comment))
                .unwrap_or_default(),
            c.corrected_by
                .map(|n| format!("  (corrected by #{n})"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(o, "\nScrap ({}):", s.scrap.len());
    for x in &s.scrap {
        let _ = writeln!(
            o,
            "  {}  {} parts: {}  by {}",
            t(x.at),
            x.parts,
            x.reason,
            x.by
        );
    }
    match &s.run {
        None => {
            let _ = writeln!(o, "\nNo production figures for this machine.");
        }
        Some(r) => {
            let _ = writeln!(
                o,
                "\nParts: {} counted, {} good, {} scrap",
                r.figures.parts_total, r.figures.parts_good, r.figures.parts_scrap
            );
            let _ = writeln!(o, "Stops ({}):", r.stops.len());
            for st in &r.stops {
                let reason = st
                    .segments
                    .iter()
                    .filter_map(|g| g.reason.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
                let _ = writeln!(
                    o,
                    "  {} to {}  {:.0} s down  {}",
                    t(st.start_ms),
                    st.end_ms.map_or_else(|| "now".into(), t),
                    st.down_s,
                    if reason.is_empty() {
                        "(no reason)"
                    } else {
                        &reason
                    }
                );
            }
        }
    }
    o
}

/// The supplier lot's use, for the reverse trace.
pub fn not_found(code: &str) -> QualityError {
    QualityError::NotFound(format!("lot or supplier lot \"{code}\""))
}
