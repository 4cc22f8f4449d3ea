//! What people entered, as a CSV file to import or export (so a recorded day can be
//! replayed exactly): reasons of the tree, reasons given to stops, planned stops, scrap
//! and ideal cycle changes, each with its time.
//!
//! Columns: `kind,machine,time,end,reason,value,comment,by`. Kinds:
//! - `reason`: a reason of the tree; `reason` "Category/Name", `value` `unplanned`,
//!   `planned` or `scrap`;
//! - `stop_reason`: the reason of a stop from `time` on (its start, or a split point);
//!   `reason` empty for "not explained";
//! - `planned_stop`: `time` to `end`, for `machine` or every machine (`*`), with a
//!   planned reason;
//! - `scrap`: `value` parts scrapped at `time`, `reason` optional (a scrap reason);
//! - `ideal_cycle`: the ideal cycle time `value` in seconds from `time` on.
//!
//! Times are RFC 3339 with an offset ("2026-03-02T06:14:03+01:00") or UTC
//! milliseconds. A file is imported whole or not at all; every bad line is listed.

use std::collections::HashSet;

use rusqlite::{Connection, params};

use super::records::{self, ReasonKind, Reasons};
use crate::config::{Plant, Problem};

/// A time as import files give it: RFC 3339 with an offset, or UTC milliseconds.
pub fn parse_time(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if let Ok(ms) = s.parse::<i64>() {
        return Ok(ms);
    }
    s.parse::<jiff::Timestamp>()
        .map(|t| t.as_millisecond())
        .map_err(|_| {
            format!(
                "\"{s}\" is not a time; write RFC 3339 with an offset (\"2026-03-02T06:14:03+01:00\" or \"...Z\") or UTC milliseconds"
            )
        })
}

/// A time as export files write it: RFC 3339 in UTC, with milliseconds when not 0.
pub fn format_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| ms.to_string())
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Reason {
        kind: ReasonKind,
        category: String,
        name: String,
        planned: bool,
    },
    StopReason {
        machine: String,
        at: i64,
        reason: Option<(String, String)>,
        comment: String,
        by: String,
    },
    PlannedStop {
        machine: Option<String>,
        from: i64,
        to: i64,
        reason: (String, String),
        comment: String,
        by: String,
    },
    Scrap {
        machine: String,
        at: i64,
        parts: i64,
        reason: Option<(String, String)>,
        comment: String,
        by: String,
    },
    IdealCycle {
        machine: String,
        from: i64,
        cycle_ms: i64,
        comment: String,
        by: String,
    },
}

const COLUMNS: [&str; 8] = [
    "kind", "machine", "time", "end", "reason", "value", "comment", "by",
];

fn split_reason(s: &str) -> Option<(String, String)> {
    let (c, n) = s.split_once('/')?;
    let (c, n) = (c.trim(), n.trim());
    (!c.is_empty() && !n.is_empty()).then(|| (c.to_string(), n.to_string()))
}

/// Reads an events file; every mistake comes back with its line.
pub fn parse(text: &str, plant: &Plant, tree: &Reasons) -> Result<Vec<Event>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match rd.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(vec![Problem::new("line 1", format!("not CSV: {e}"))]),
    };
    if header != COLUMNS {
        return Err(vec![Problem::new(
            "line 1",
            format!(
                "the header must be \"{}\"; it is \"{}\"",
                COLUMNS.join(","),
                header.join(",")
            ),
        )]);
    }
    // Reasons defined in this file, usable by later lines.
    let mut defined: HashSet<(ReasonKind, String, String)> = HashSet::new();
    let known = |kind: ReasonKind, r: &(String, String), defined: &HashSet<_>| {
        tree.find(kind, &format!("{}/{}", r.0, r.1))
            .map(|x| x.planned)
            .or_else(|| {
                defined
                    .iter()
                    .find(|(k, c, n): &&(ReasonKind, String, String)| {
                        *k == kind && c.eq_ignore_ascii_case(&r.0) && n.eq_ignore_ascii_case(&r.1)
                    })
                    .map(|_| false)
            })
    };
    let mut planned_defs: HashSet<(String, String)> = HashSet::new();
    let mut stop_points: HashSet<(String, i64)> = HashSet::new();
    let mut out = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let place = format!("line {}", i + 2);
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::new(place, format!("not CSV: {e}")));
                continue;
            }
        };
        let col = |k: usize| rec.get(k).unwrap_or("").to_string();
        let (kind, machine, time, end, reason, value, comment, by) = (
            col(0),
            col(1),
            col(2),
            col(3),
            col(4),
            col(5),
            col(6),
            col(7),
        );
        let by = if by.is_empty() {
            "import".to_string()
        } else {
            by
        };
        let mut bad = |m: String| problems.push(Problem::new(place.clone(), m));
        let machine_ok = |m: &str| plant.machine(m).is_some();
        let need_machine = |bad: &mut dyn FnMut(String)| {
            if !machine_ok(&machine) {
                bad(format!(
                    "there is no machine \"{machine}\" in the running configuration"
                ));
                false
            } else {
                true
            }
        };
        let time_of = |s: &str, what: &str, bad: &mut dyn FnMut(String)| match parse_time(s) {
            Ok(t) => Some(t),
            Err(e) => {
                bad(format!("{what}: {e}"));
                None
            }
        };
        match kind.as_str() {
            "reason" => {
                let Some((c, n)) = split_reason(&reason) else {
                    bad(format!("reason \"{reason}\" must be \"Category/Name\""));
                    continue;
                };
                let (rk, planned) = match value.as_str() {
                    "unplanned" => (ReasonKind::Downtime, false),
                    "planned" => (ReasonKind::Downtime, true),
                    "scrap" => (ReasonKind::Scrap, false),
                    v => {
                        bad(format!("value \"{v}\" must be unplanned, planned or scrap"));
                        continue;
                    }
                };
                if let Some(existing) = tree.find(rk, &format!("{c}/{n}"))
                    && existing.planned != planned
                {
                    bad(format!(
                        "reason \"{c}/{n}\" exists already as {}; the file says {value}",
                        if existing.planned {
                            "planned"
                        } else {
                            "unplanned"
                        }
                    ));
                    continue;
                }
                if planned {
                    planned_defs.insert((c.to_lowercase(), n.to_lowercase()));
                }
                defined.insert((rk, c.clone(), n.clone()));
                out.push(Event::Reason {
                    kind: rk,
                    category: c,
                    name: n,
                    planned,
                });
            }
            "stop_reason" => {
                let ok = need_machine(&mut bad);
                let at = time_of(&time, "time", &mut bad);
                let r = if reason.is_empty() {
                    None
                } else {
                    match split_reason(&reason) {
                        Some(r) if known(ReasonKind::Downtime, &r, &defined).is_some() => Some(r),
                        _ => {
                            bad(format!(
                                "there is no downtime reason \"{reason}\"; define it with a `reason` line first or in the reason tree"
                            ));
                            continue;
                        }
                    }
                };
                if let (true, Some(at)) = (ok, at) {
                    if !stop_points.insert((machine.clone(), at)) {
                        bad(format!("a second reason for {machine} at {time}"));
                        continue;
                    }
                    out.push(Event::StopReason {
                        machine,
                        at,
                        reason: r,
                        comment,
                        by,
                    });
                }
            }
            "planned_stop" => {
                let ok = machine == "*" || need_machine(&mut bad);
                let from = time_of(&time, "time", &mut bad);
                let to = time_of(&end, "end", &mut bad);
                if let (Some(a), Some(b)) = (from, to)
                    && b <= a
                {
                    bad("end must be after time".into());
                    continue;
                }
                let r = match split_reason(&reason) {
                    Some(r) => {
                        let planned = known(ReasonKind::Downtime, &r, &defined).map(|p| {
                            p || planned_defs.contains(&(r.0.to_lowercase(), r.1.to_lowercase()))
                        });
                        match planned {
                            Some(true) => Some(r),
                            Some(false) => {
                                bad(format!(
                                    "reason \"{reason}\" is not a planned reason; a planned stop takes one such as \"Planned/Maintenance\""
                                ));
                                None
                            }
                            None => {
                                bad(format!("there is no downtime reason \"{reason}\""));
                                None
                            }
                        }
                    }
                    None => {
                        bad("a planned stop needs its reason, \"Category/Name\"".into());
                        None
                    }
                };
                if let (true, Some(a), Some(b), Some(r)) = (ok, from, to, r) {
                    out.push(Event::PlannedStop {
                        machine: (machine != "*").then_some(machine),
                        from: a,
                        to: b,
                        reason: r,
                        comment,
                        by,
                    });
                }
            }
            "scrap" => {
                let ok = need_machine(&mut bad);
                let at = time_of(&time, "time", &mut bad);
                let parts = match value.parse::<i64>() {
                    Ok(n) if n > 0 => Some(n),
                    _ => {
                        bad(format!(
                            "value \"{value}\" must be the number of parts, 1 or more"
                        ));
                        None
                    }
                };
                let r = if reason.is_empty() {
                    None
                } else {
                    match split_reason(&reason) {
                        Some(r) if known(ReasonKind::Scrap, &r, &defined).is_some() => Some(r),
                        _ => {
                            bad(format!("there is no scrap reason \"{reason}\""));
                            continue;
                        }
                    }
                };
                if let (true, Some(at), Some(parts)) = (ok, at, parts) {
                    out.push(Event::Scrap {
                        machine,
                        at,
                        parts,
                        reason: r,
                        comment,
                        by,
                    });
                }
            }
            "ideal_cycle" => {
                let ok = need_machine(&mut bad);
                let from = time_of(&time, "time", &mut bad);
                let cycle = match value.parse::<f64>() {
                    Ok(s) if s > 0.0 && s.is_finite() && (s * 1000.0).round() >= 1.0 => {
                        let ms = (s * 1000.0).round();
                        if ((ms / 1000.0) - s).abs() > 1e-9 {
                            bad(format!("value {value} s is finer than a millisecond"));
                            None
                        } else {
                            Some(ms as i64)
                        }
                    }
                    _ => {
                        bad(format!(
                            "value \"{value}\" must be the ideal cycle time in seconds, above 0"
                        ));
                        None
                    }
                };
                if let (true, Some(from), Some(cycle_ms)) = (ok, from, cycle) {
                    out.push(Event::IdealCycle {
                        machine,
                        from,
                        cycle_ms,
                        comment,
                        by,
                    });
                }
            }
            other => bad(format!(
                "kind \"{other}\" is not one of reason, stop_reason, planned_stop, scrap, ideal_cycle"
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// What an import stored, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub reasons: usize,
    pub stop_reasons: usize,
    pub planned_stops: usize,
    pub scrap: usize,
    pub ideal_cycles: usize,
}

/// Stores parsed events (in the caller's transaction). Scrap or a planned stop that is
/// stored already (same machine, times and amount) is refused: the file was imported
/// before.
pub fn apply(conn: &Connection, events: &[Event], now: i64) -> Result<Imported, Vec<Problem>> {
    let db = |e: rusqlite::Error| vec![Problem::new("database", e.to_string())];
    let mut n = Imported::default();
    let id_of = |m: &str| records::machine_id(conn, m);
    for (i, e) in events.iter().enumerate() {
        let tree = records::reasons(conn).map_err(db)?;
        let rid = |k: ReasonKind, r: &(String, String)| {
            tree.find(k, &format!("{}/{}", r.0, r.1)).map(|x| x.id)
        };
        match e {
            Event::Reason {
                kind,
                category,
                name,
                planned,
            } => {
                if tree.find(*kind, &format!("{category}/{name}")).is_none() {
                    records::add_reason(conn, *kind, category, name, *planned, "import", now)
                        .map_err(db)?;
                    n.reasons += 1;
                }
            }
            Event::StopReason {
                machine,
                at,
                reason,
                comment,
                by,
            } => {
                let m = id_of(machine).map_err(db)?.unwrap_or_default();
                let r = reason.as_ref().and_then(|r| rid(ReasonKind::Downtime, r));
                records::set_stop_reason(conn, m, *at, r, comment, by, now).map_err(db)?;
                n.stop_reasons += 1;
            }
            Event::PlannedStop {
                machine,
                from,
                to,
                reason,
                comment,
                by,
            } => {
                let m = match machine {
                    Some(k) => id_of(k).map_err(db)?,
                    None => None,
                };
                let dup: bool = conn
                    .query_row(
                        "SELECT EXISTS (SELECT 1 FROM planned_stops WHERE machine_id IS ?1
                         AND from_ts = ?2 AND to_ts = ?3 AND cancelled_at IS NULL)",
                        params![m, from, to],
                        |r| r.get(0),
                    )
                    .map_err(db)?;
                if dup {
                    return Err(vec![Problem::new(
                        format!("event {}", i + 1),
                        "this planned stop is stored already (was the file imported before?)",
                    )]);
                }
                let r = rid(ReasonKind::Downtime, reason).unwrap_or_default();
                records::add_planned_stop(conn, m, *from, *to, r, comment, by, now).map_err(db)?;
                n.planned_stops += 1;
            }
            Event::Scrap {
                machine,
                at,
                parts,
                reason,
                comment,
                by,
            } => {
                let m = id_of(machine).map_err(db)?.unwrap_or_default();
                let dup: bool = conn
                    .query_row(
                        "SELECT EXISTS (SELECT 1 FROM scrap WHERE machine_id = ?1 AND ts = ?2 AND parts = ?3)",
                        params![m, at, parts],
                        |r| r.get(0),
                    )
                    .map_err(db)?;
                if dup {
                    return Err(vec![Problem::new(
                        format!("event {}", i + 1),
                        format!(
                            "scrap of {parts} parts on {machine} at {} is stored already (was the file imported before?)",
                            format_time(*at)
                        ),
                    )]);
                }
                let r = reason.as_ref().and_then(|r| rid(ReasonKind::Scrap, r));
                records::add_scrap(conn, m, *at, *parts, r, comment, by, now).map_err(db)?;
                n.scrap += 1;
            }
            Event::IdealCycle {
                machine,
                from,
                cycle_ms,
                comment,
                by,
            } => {
                let m = id_of(machine).map_err(db)?.unwrap_or_default();
                records::set_ideal_cycle(conn, m, *from, *cycle_ms, comment, by, now)
                    .map_err(db)?;
                n.ideal_cycles += 1;
            }
        }
    }
    Ok(n)
}

/// What was entered that bears on [from, to), as an events file: the whole reason tree,
/// then stop reasons, planned stops, scrap and every ideal cycle change up to `to`.
pub fn export(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(COLUMNS);
    let tree = records::reasons(conn)?;
    let path = |id: Option<i64>| {
        id.and_then(|i| tree.get(i))
            .map_or(String::new(), |r| format!("{}/{}", r.category, r.name))
    };
    for r in tree.sorted() {
        let value = match (r.kind, r.planned) {
            (ReasonKind::Scrap, _) => "scrap",
            (_, true) => "planned",
            _ => "unplanned",
        };
        let reason = format!("{}/{}", r.category, r.name);
        let _ = w.write_record(["reason", "", "", "", &reason, value, "", ""]);
    }
    for (m, s) in records::stop_reasons(conn, from, to)? {
        let _ = w.write_record([
            "stop_reason",
            &m,
            &format_time(s.at_ms),
            "",
            &path(s.reason_id),
            "",
            &s.comment,
            &s.entered_by,
        ]);
    }
    for p in records::planned_stops(conn, from, to)? {
        let _ = w.write_record([
            "planned_stop",
            p.machine.as_deref().unwrap_or("*"),
            &format_time(p.from_ms),
            &format_time(p.to_ms),
            &path(Some(p.reason_id)),
            "",
            &p.comment,
            &p.entered_by,
        ]);
    }
    for s in records::scrap_entries(conn, from, to)? {
        let _ = w.write_record([
            "scrap",
            &s.machine,
            &format_time(s.ts),
            "",
            &path(s.reason_id),
            &s.parts.to_string(),
            &s.comment,
            &s.entered_by,
        ]);
    }
    for i in records::all_ideal_cycles(conn)? {
        if i.from_ms >= to {
            continue;
        }
        let secs = format!("{}", i.cycle_ms as f64 / 1000.0);
        let _ = w.write_record([
            "ideal_cycle",
            &i.machine,
            &format_time(i.from_ms),
            "",
            "",
            &secs,
            &i.comment,
            &i.entered_by,
        ]);
    }
    Ok(String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default())
}
