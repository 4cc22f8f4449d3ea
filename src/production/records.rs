//! What people enter about production, in SQLite: the reason tree, reasons given to
//! stops (and split points), planned stops, scrap, ideal cycle times, and which
//! machines each operator works on. Each row says who entered it and when; the core
//! writes the audit record in the same transaction.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// What a reason explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    Downtime,
    Scrap,
}

impl ReasonKind {
    pub fn name(self) -> &'static str {
        match self {
            ReasonKind::Downtime => "downtime",
            ReasonKind::Scrap => "scrap",
        }
    }

    fn parse(s: &str) -> ReasonKind {
        if s == "scrap" {
            ReasonKind::Scrap
        } else {
            ReasonKind::Downtime
        }
    }
}

/// One reason of the plant's tree: a category and a reason in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Reason {
    pub id: i64,
    pub kind: ReasonKind,
    pub category: String,
    pub name: String,
    /// A planned stop ("planned maintenance", "no orders"): its time is not planned
    /// production time.
    pub planned: bool,
    pub active: bool,
}

impl Reason {
    /// "Category / Reason".
    pub fn label(&self) -> String {
        format!("{} / {}", self.category, self.name)
    }
}

/// The reason tree, by id.
#[derive(Debug, Clone, Default)]
pub struct Reasons {
    pub by_id: HashMap<i64, Reason>,
}

impl Reasons {
    pub fn get(&self, id: i64) -> Option<&Reason> {
        self.by_id.get(&id)
    }

    pub fn planned(&self, id: Option<i64>) -> bool {
        id.and_then(|i| self.get(i)).is_some_and(|r| r.planned)
    }

    /// A reason by kind and "Category/Name" (as import files name them).
    pub fn find(&self, kind: ReasonKind, path: &str) -> Option<&Reason> {
        let (c, n) = path.split_once('/')?;
        self.by_id.values().find(|r| {
            r.kind == kind
                && r.category.eq_ignore_ascii_case(c.trim())
                && r.name.eq_ignore_ascii_case(n.trim())
        })
    }

    /// Every reason, sorted by kind, category and name.
    pub fn sorted(&self) -> Vec<Reason> {
        let mut v: Vec<Reason> = self.by_id.values().cloned().collect();
        v.sort_by(|a, b| {
            (a.kind.name(), &a.category, &a.name).cmp(&(b.kind.name(), &b.category, &b.name))
        });
        v
    }
}

pub fn reasons(conn: &Connection) -> rusqlite::Result<Reasons> {
    let mut stmt =
        conn.prepare_cached("SELECT id, kind, category, name, planned, active FROM reasons")?;
    let rows = stmt.query_map([], |r| {
        Ok(Reason {
            id: r.get(0)?,
            kind: ReasonKind::parse(&r.get::<_, String>(1)?),
            category: r.get(2)?,
            name: r.get(3)?,
            planned: r.get(4)?,
            active: r.get(5)?,
        })
    })?;
    let mut by_id = HashMap::new();
    for r in rows {
        let r = r?;
        by_id.insert(r.id, r);
    }
    Ok(Reasons { by_id })
}

/// Adds a reason; returns its id.
pub fn add_reason(
    conn: &Connection,
    kind: ReasonKind,
    category: &str,
    name: &str,
    planned: bool,
    by: &str,
    at: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO reasons (kind, category, name, planned, active, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6)",
        params![kind.name(), category, name, planned, by, at],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_reason(
    conn: &Connection,
    id: i64,
    category: &str,
    name: &str,
    planned: bool,
    active: bool,
) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE reasons SET category = ?2, name = ?3, planned = ?4, active = ?5 WHERE id = ?1",
        params![id, category, name, planned, active],
    )
}

/// The reason of a stop from `at` on (a stop's start, or a split point in it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StopReason {
    pub at_ms: i64,
    pub reason_id: Option<i64>,
    pub comment: String,
    pub entered_by: String,
    pub entered_ms: i64,
}

/// A stop planned ahead, for one machine or all (`machine` null).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PlannedStop {
    pub id: i64,
    pub machine: Option<String>,
    pub from_ms: i64,
    pub to_ms: i64,
    pub reason_id: i64,
    pub comment: String,
    pub entered_by: String,
    pub entered_ms: i64,
}

/// Scrap entered by a person.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ScrapEntry {
    pub id: i64,
    pub machine: String,
    pub ts: i64,
    pub parts: i64,
    pub reason_id: Option<i64>,
    pub comment: String,
    pub entered_by: String,
    pub entered_ms: i64,
}

/// A machine's ideal cycle time from `from_ms` on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IdealCycle {
    pub machine: String,
    pub from_ms: i64,
    pub cycle_ms: i64,
    pub comment: String,
    pub entered_by: String,
    pub entered_ms: i64,
}

/// Everything entered about one machine that figures over a range need.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Records {
    pub stop_reasons: Vec<StopReason>,
    pub planned: Vec<PlannedStop>,
    pub scrap: Vec<ScrapEntry>,
    /// All of the machine's ideal cycle changes, oldest first.
    pub ideals: Vec<IdealCycle>,
    /// Reviews of implausible counter steps within the range (issue 9).
    pub reviews: Vec<super::review::CounterReview>,
}

/// The database ids of machines by key.
pub fn machine_ids(conn: &Connection) -> rusqlite::Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare_cached("SELECT key, id FROM machines")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

pub fn machine_id(conn: &Connection, key: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT id FROM machines WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
}

/// What was entered about machine `id` (`key`) that bears on [from, to). Stop reasons
/// are looked up from `stops_from`, the start of the earliest stop that reaches into
/// the range.
pub fn load(
    conn: &Connection,
    id: i64,
    key: &str,
    stops_from: i64,
    from: i64,
    to: i64,
) -> rusqlite::Result<Records> {
    let mut r = Records::default();
    let mut stmt = conn.prepare_cached(
        "SELECT at, reason_id, comment, entered_by, entered_at FROM stop_reasons
         WHERE machine_id = ?1 AND at >= ?2 AND at < ?3 ORDER BY at",
    )?;
    r.stop_reasons = stmt
        .query_map(params![id, stops_from.min(from), to], |row| {
            Ok(StopReason {
                at_ms: row.get(0)?,
                reason_id: row.get(1)?,
                comment: row.get(2)?,
                entered_by: row.get(3)?,
                entered_ms: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, m.key, p.from_ts, p.to_ts, p.reason_id, p.comment, p.entered_by, p.entered_at
         FROM planned_stops p LEFT JOIN machines m ON m.id = p.machine_id
         WHERE (p.machine_id = ?1 OR p.machine_id IS NULL) AND p.cancelled_at IS NULL
           AND p.to_ts > ?2 AND p.from_ts < ?3 ORDER BY p.from_ts",
    )?;
    r.planned = stmt
        .query_map(params![id, from, to], planned_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, ts, parts, reason_id, comment, entered_by, entered_at FROM scrap
         WHERE machine_id = ?1 AND ts >= ?2 AND ts < ?3 ORDER BY ts, id",
    )?;
    r.scrap = stmt
        .query_map(params![id, from, to], |row| {
            Ok(ScrapEntry {
                id: row.get(0)?,
                machine: key.to_string(),
                ts: row.get(1)?,
                parts: row.get(2)?,
                reason_id: row.get(3)?,
                comment: row.get(4)?,
                entered_by: row.get(5)?,
                entered_ms: row.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    r.ideals = ideal_cycles(conn, id, key)?;
    r.reviews = super::review::load(conn, id, key, from, to)?;
    Ok(r)
}

fn planned_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<PlannedStop> {
    Ok(PlannedStop {
        id: row.get(0)?,
        machine: row.get(1)?,
        from_ms: row.get(2)?,
        to_ms: row.get(3)?,
        reason_id: row.get(4)?,
        comment: row.get(5)?,
        entered_by: row.get(6)?,
        entered_ms: row.get(7)?,
    })
}

pub fn ideal_cycles(conn: &Connection, id: i64, key: &str) -> rusqlite::Result<Vec<IdealCycle>> {
    let mut stmt = conn.prepare_cached(
        "SELECT from_ts, cycle_ms, comment, entered_by, entered_at FROM ideal_cycles
         WHERE machine_id = ?1 ORDER BY from_ts",
    )?;
    stmt.query_map([id], |row| {
        Ok(IdealCycle {
            machine: key.to_string(),
            from_ms: row.get(0)?,
            cycle_ms: row.get(1)?,
            comment: row.get(2)?,
            entered_by: row.get(3)?,
            entered_ms: row.get(4)?,
        })
    })?
    .collect()
}

/// Gives (or changes) the reason of a stop from `at` on. Returns the entry it replaced.
#[allow(clippy::too_many_arguments)]
pub fn set_stop_reason(
    conn: &Connection,
    machine: i64,
    at: i64,
    reason: Option<i64>,
    comment: &str,
    by: &str,
    now: i64,
) -> rusqlite::Result<Option<StopReason>> {
    let before = conn
        .query_row(
            "SELECT at, reason_id, comment, entered_by, entered_at FROM stop_reasons
             WHERE machine_id = ?1 AND at = ?2",
            params![machine, at],
            |row| {
                Ok(StopReason {
                    at_ms: row.get(0)?,
                    reason_id: row.get(1)?,
                    comment: row.get(2)?,
                    entered_by: row.get(3)?,
                    entered_ms: row.get(4)?,
                })
            },
        )
        .optional()?;
    conn.execute(
        "INSERT OR REPLACE INTO stop_reasons (machine_id, at, reason_id, comment, entered_by, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![machine, at, reason, comment, by, now],
    )?;
    Ok(before)
}

#[allow(clippy::too_many_arguments)]
pub fn add_planned_stop(
    conn: &Connection,
    machine: Option<i64>,
    from: i64,
    to: i64,
    reason: i64,
    comment: &str,
    by: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO planned_stops (machine_id, from_ts, to_ts, reason_id, comment, entered_by, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![machine, from, to, reason, comment, by, now],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn cancel_planned_stop(
    conn: &Connection,
    id: i64,
    by: &str,
    now: i64,
) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE planned_stops SET cancelled_by = ?2, cancelled_at = ?3
         WHERE id = ?1 AND cancelled_at IS NULL",
        params![id, by, now],
    )
}

/// Planned stops (not cancelled) that overlap [from, to), every machine's.
pub fn planned_stops(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<Vec<PlannedStop>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, m.key, p.from_ts, p.to_ts, p.reason_id, p.comment, p.entered_by, p.entered_at
         FROM planned_stops p LEFT JOIN machines m ON m.id = p.machine_id
         WHERE p.cancelled_at IS NULL AND p.to_ts > ?1 AND p.from_ts < ?2 ORDER BY p.from_ts",
    )?;
    stmt.query_map(params![from, to], planned_row)?.collect()
}

#[allow(clippy::too_many_arguments)]
pub fn add_scrap(
    conn: &Connection,
    machine: i64,
    ts: i64,
    parts: i64,
    reason: Option<i64>,
    comment: &str,
    by: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO scrap (machine_id, ts, parts, reason_id, comment, entered_by, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![machine, ts, parts, reason, comment, by, now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Scrap entries of every machine in [from, to).
pub fn scrap_entries(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<Vec<ScrapEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, m.key, s.ts, s.parts, s.reason_id, s.comment, s.entered_by, s.entered_at
         FROM scrap s JOIN machines m ON m.id = s.machine_id
         WHERE s.ts >= ?1 AND s.ts < ?2 ORDER BY s.ts, s.id",
    )?;
    stmt.query_map(params![from, to], |row| {
        Ok(ScrapEntry {
            id: row.get(0)?,
            machine: row.get(1)?,
            ts: row.get(2)?,
            parts: row.get(3)?,
            reason_id: row.get(4)?,
            comment: row.get(5)?,
            entered_by: row.get(6)?,
            entered_ms: row.get(7)?,
        })
    })?
    .collect()
}

/// Stop reasons of every machine in [from, to): (machine key, entry).
pub fn stop_reasons(
    conn: &Connection,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<(String, StopReason)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.key, s.at, s.reason_id, s.comment, s.entered_by, s.entered_at
         FROM stop_reasons s JOIN machines m ON m.id = s.machine_id
         WHERE s.at >= ?1 AND s.at < ?2 ORDER BY s.at",
    )?;
    stmt.query_map(params![from, to], |row| {
        Ok((
            row.get(0)?,
            StopReason {
                at_ms: row.get(1)?,
                reason_id: row.get(2)?,
                comment: row.get(3)?,
                entered_by: row.get(4)?,
                entered_ms: row.get(5)?,
            },
        ))
    })?
    .collect()
}

/// Sets a machine's ideal cycle time from `from` on (replacing one at the same time).
pub fn set_ideal_cycle(
    conn: &Connection,
    machine: i64,
    from: i64,
    cycle_ms: i64,
    comment: &str,
    by: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO ideal_cycles (machine_id, from_ts, cycle_ms, comment, entered_by, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![machine, from, cycle_ms, comment, by, now],
    )?;
    Ok(())
}

/// Every machine's ideal cycle changes.
pub fn all_ideal_cycles(conn: &Connection) -> rusqlite::Result<Vec<IdealCycle>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.key, i.from_ts, i.cycle_ms, i.comment, i.entered_by, i.entered_at
         FROM ideal_cycles i JOIN machines m ON m.id = i.machine_id ORDER BY m.key, i.from_ts",
    )?;
    stmt.query_map([], |row| {
        Ok(IdealCycle {
            machine: row.get(0)?,
            from_ms: row.get(1)?,
            cycle_ms: row.get(2)?,
            comment: row.get(3)?,
            entered_by: row.get(4)?,
            entered_ms: row.get(5)?,
        })
    })?
    .collect()
}

/// The machine keys assigned to each operator: user id -> keys.
pub fn assignments(conn: &Connection) -> rusqlite::Result<HashMap<i64, Vec<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.user_id, m.key FROM operator_machines o JOIN machines m ON m.id = o.machine_id
         ORDER BY m.key",
    )?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (u, k) = row?;
        out.entry(u).or_default().push(k);
    }
    Ok(out)
}

pub fn assigned(conn: &Connection, user: i64) -> rusqlite::Result<Vec<String>> {
    Ok(assignments(conn)?.remove(&user).unwrap_or_default())
}

/// Makes `machines` (ids) the machines of operator `user`.
pub fn set_assigned(conn: &Connection, user: i64, machines: &[i64]) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM operator_machines WHERE user_id = ?1", [user])?;
    let mut stmt =
        conn.prepare_cached("INSERT INTO operator_machines (user_id, machine_id) VALUES (?1, ?2)")?;
    for m in machines {
        stmt.execute(params![user, m])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_and_entries_round_trip() {
        let conn = crate::store::memory();
        conn.execute("INSERT INTO machines (key, name) VALUES ('m1', 'M1')", [])
            .unwrap();
        let m = machine_id(&conn, "m1").unwrap().unwrap();
        let jam = add_reason(
            &conn,
            ReasonKind::Downtime,
            "Mechanical",
            "Jam",
            false,
            "sup",
            1,
        )
        .unwrap();
        let pm = add_reason(
            &conn,
            ReasonKind::Downtime,
            "Planned",
            "Maintenance",
            true,
            "sup",
            1,
        )
        .unwrap();
        let tree = reasons(&conn).unwrap();
        assert!(tree.planned(Some(pm)));
        assert!(!tree.planned(Some(jam)));
        assert_eq!(
            tree.find(ReasonKind::Downtime, "mechanical / JAM")
                .unwrap()
                .id,
            jam
        );
        assert!(tree.find(ReasonKind::Scrap, "Mechanical/Jam").is_none());
        set_stop_reason(&conn, m, 1000, Some(jam), "die", "op", 5).unwrap();
        let before = set_stop_reason(&conn, m, 1000, Some(pm), "", "sup", 6).unwrap();
        assert_eq!(before.unwrap().reason_id, Some(jam));
        add_planned_stop(&conn, None, 0, 500, pm, "", "sup", 7).unwrap();
        add_scrap(&conn, m, 2000, 4, None, "", "q", 8).unwrap();
        set_ideal_cycle(&conn, m, 0, 2400, "", "sup", 9).unwrap();
        let r = load(&conn, m, "m1", 0, 0, 10_000).unwrap();
        assert_eq!(r.stop_reasons.len(), 1);
        assert_eq!(r.stop_reasons[0].reason_id, Some(pm));
        assert_eq!(r.planned.len(), 1);
        assert_eq!(r.planned[0].machine, None);
        assert_eq!(r.scrap[0].parts, 4);
        assert_eq!(r.ideals[0].cycle_ms, 2400);
    }
}
