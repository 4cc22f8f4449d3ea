//! The alarm lifecycle in SQLite (migration 09): the open occurrence of each alarm and
//! every transition of it with who and when. Raising and clearing come from the rules;
//! acknowledging and shelving from people; the caller writes the audit record in the
//! same transaction.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::eval::{AlarmDef, Transition};

/// Who the rules act as in the journal.
pub const BY_PLANTLOG: &str = "plantlog";

/// Where an alarm is in its lifecycle (ISA-18.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AlarmState {
    ActiveUnacked,
    ActiveAcked,
    ClearedUnacked,
    Normal,
}

impl AlarmState {
    pub fn name(self) -> &'static str {
        match self {
            AlarmState::ActiveUnacked => "active_unacked",
            AlarmState::ActiveAcked => "active_acked",
            AlarmState::ClearedUnacked => "cleared_unacked",
            AlarmState::Normal => "normal",
        }
    }
}

/// One occurrence of an alarm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AlarmView {
    pub id: i64,
    pub key: String,
    pub kind: String,
    pub name: String,
    pub priority: String,
    pub roles: Vec<String>,
    pub action: String,
    pub machine: Option<String>,
    pub value: Option<f64>,
    pub state: AlarmState,
    pub raised_at: i64,
    pub cleared_at: Option<i64>,
    pub acked_at: Option<i64>,
    pub acked_by: Option<String>,
    pub ack_comment: Option<String>,
    pub shelved_until: Option<i64>,
    pub shelved_by: Option<String>,
    pub shelve_reason: Option<String>,
    pub suppressed: bool,
}

const COLUMNS: &str = "id, key, kind, name, priority, roles, action, machine, value, raised_at, \
     cleared_at, acked_at, acked_by, ack_comment, shelved_until, shelved_by, shelve_reason, \
     suppressed, closed_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AlarmView> {
    let cleared_at: Option<i64> = r.get(10)?;
    let acked_at: Option<i64> = r.get(11)?;
    let closed_at: Option<i64> = r.get(18)?;
    let roles: String = r.get(5)?;
    Ok(AlarmView {
        id: r.get(0)?,
        key: r.get(1)?,
        kind: r.get(2)?,
        name: r.get(3)?,
        priority: r.get(4)?,
        roles: roles
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        action: r.get(6)?,
        machine: r.get(7)?,
        value: r.get(8)?,
        state: match (closed_at, cleared_at, acked_at) {
            (Some(_), _, _) => AlarmState::Normal,
            (None, None, None) => AlarmState::ActiveUnacked,
            (None, None, Some(_)) => AlarmState::ActiveAcked,
            (None, Some(_), _) => AlarmState::ClearedUnacked,
        },
        raised_at: r.get(9)?,
        cleared_at,
        acked_at,
        acked_by: r.get(12)?,
        ack_comment: r.get(13)?,
        shelved_until: r.get(14)?,
        shelved_by: r.get(15)?,
        shelve_reason: r.get(16)?,
        suppressed: r.get::<_, i64>(17)? != 0,
    })
}

fn event(
    conn: &Connection,
    id: i64,
    at: i64,
    what: &str,
    by: &str,
    comment: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO alarm_events (alarm_id, at, what, by, comment) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, at, what, by, comment],
    )?;
    Ok(())
}

/// An escalation step was carried out: the journal says to which role.
pub fn escalated(
    conn: &Connection,
    id: i64,
    at: i64,
    role: &str,
    step: u32,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO alarm_escalations (alarm_id, step, role, at) VALUES (?1, ?2, ?3, ?4)",
        params![id, step, role, at],
    )?;
    event(
        conn,
        id,
        at,
        "escalated",
        BY_PLANTLOG,
        &format!("to {role}"),
    )
}

/// The highest escalation step done per open alarm.
pub fn escalation_steps(
    conn: &Connection,
) -> rusqlite::Result<std::collections::HashMap<i64, u32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.alarm_id, MAX(e.step) FROM alarm_escalations e
         JOIN alarms a ON a.id = e.alarm_id WHERE a.closed_at IS NULL GROUP BY e.alarm_id",
    )?;
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// Alarms raised in `[from, to)`, oldest first.
pub fn raised_between(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<Vec<AlarmView>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM alarms WHERE raised_at >= ?1 AND raised_at < ?2 ORDER BY raised_at, id"
    ))?;
    stmt.query_map([from, to], row)?.collect()
}

/// The open occurrence of an alarm.
pub fn open(conn: &Connection, key: &str) -> rusqlite::Result<Option<AlarmView>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM alarms WHERE key = ?1 AND closed_at IS NULL"),
        [key],
        row,
    )
    .optional()
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<AlarmView>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM alarms WHERE id = ?1"),
        [id],
        row,
    )
    .optional()
}

/// Every open alarm (not back to normal), most urgent and newest first.
pub fn list_open(conn: &Connection) -> rusqlite::Result<Vec<AlarmView>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM alarms WHERE closed_at IS NULL
         ORDER BY CASE priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
                  raised_at DESC, id DESC"
    ))?;
    stmt.query_map([], row)?.collect()
}

/// The keys of alarms active now (for the rules to continue after a restart).
pub fn active_keys(conn: &Connection) -> rusqlite::Result<HashSet<String>> {
    let mut stmt = conn
        .prepare_cached("SELECT key FROM alarms WHERE closed_at IS NULL AND cleared_at IS NULL")?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

/// Records what the rules did: a raise opens an occurrence (or brings a cleared,
/// unacknowledged one back), a clear clears it and closes it when it was acknowledged.
/// Returns the ids of occurrences newly raised or returned.
pub fn apply(
    conn: &Connection,
    def: &AlarmDef,
    t: &Transition,
    suppressed: bool,
) -> rusqlite::Result<Option<i64>> {
    let current = open(conn, &def.key)?;
    if t.active {
        match current {
            None => {
                conn.execute(
                    "INSERT INTO alarms (key, rule, kind, name, priority, roles, action, machine,
                         value, raised_at, suppressed)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    params![
                        def.key,
                        def.rule,
                        def.kind,
                        def.name,
                        def.priority.name(),
                        def.roles.join(","),
                        def.action,
                        def.machine,
                        t.value,
                        t.at,
                        suppressed,
                    ],
                )?;
                let id = conn.last_insert_rowid();
                event(conn, id, t.at, "raised", BY_PLANTLOG, "")?;
                Ok(Some(id))
            }
            Some(a) if a.cleared_at.is_some() => {
                conn.execute(
                    "UPDATE alarms SET cleared_at = NULL, value = ?2 WHERE id = ?1",
                    params![a.id, t.value],
                )?;
                event(conn, a.id, t.at, "returned", BY_PLANTLOG, "")?;
                Ok(Some(a.id))
            }
            Some(_) => Ok(None),
        }
    } else {
        let Some(a) = current.filter(|a| a.cleared_at.is_none()) else {
            return Ok(None);
        };
        conn.execute(
            "UPDATE alarms SET cleared_at = ?2 WHERE id = ?1",
            params![a.id, t.at],
        )?;
        event(conn, a.id, t.at, "cleared", BY_PLANTLOG, "")?;
        if a.acked_at.is_some() {
            close(conn, a.id, t.at)?;
        }
        Ok(None)
    }
}

fn close(conn: &Connection, id: i64, at: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE alarms SET closed_at = ?2, shelved_until = NULL WHERE id = ?1",
        params![id, at],
    )?;
    event(conn, id, at, "normal", BY_PLANTLOG, "")
}

/// Why a person's action on an alarm was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Refused {
    NotFound,
    /// Back to normal, or acknowledged already.
    NotOpen(&'static str),
}

/// Acknowledges an open, unacknowledged alarm; a cleared one goes back to normal.
pub fn acknowledge(
    conn: &Connection,
    id: i64,
    by: &str,
    comment: &str,
    now: i64,
) -> rusqlite::Result<Result<AlarmView, Refused>> {
    let Some(a) = get(conn, id)? else {
        return Ok(Err(Refused::NotFound));
    };
    if a.state == AlarmState::Normal {
        return Ok(Err(Refused::NotOpen("the alarm is back to normal already")));
    }
    if a.acked_at.is_some() {
        return Ok(Err(Refused::NotOpen("the alarm is acknowledged already")));
    }
    conn.execute(
        "UPDATE alarms SET acked_at = ?2, acked_by = ?3, ack_comment = ?4 WHERE id = ?1",
        params![id, now, by, comment],
    )?;
    event(conn, id, now, "acknowledged", by, comment)?;
    if a.cleared_at.is_some() {
        close(conn, id, now)?;
    }
    Ok(get(conn, id)?.ok_or(Refused::NotFound))
}

/// Shelves an open alarm until `until` (None: takes it off the shelf).
pub fn shelve(
    conn: &Connection,
    id: i64,
    by: &str,
    until: Option<i64>,
    reason: &str,
    now: i64,
) -> rusqlite::Result<Result<AlarmView, Refused>> {
    let Some(a) = get(conn, id)? else {
        return Ok(Err(Refused::NotFound));
    };
    if a.state == AlarmState::Normal {
        return Ok(Err(Refused::NotOpen("the alarm is back to normal already")));
    }
    conn.execute(
        "UPDATE alarms SET shelved_until = ?2, shelved_by = ?3, shelve_reason = ?4 WHERE id = ?1",
        params![id, until, until.map(|_| by), until.map(|_| reason)],
    )?;
    event(
        conn,
        id,
        now,
        if until.is_some() {
            "shelved"
        } else {
            "unshelved"
        },
        by,
        reason,
    )?;
    Ok(get(conn, id)?.ok_or(Refused::NotFound))
}

/// Takes alarms whose shelving time ran out off the shelf.
pub fn expire_shelving(conn: &Connection, now: i64) -> rusqlite::Result<usize> {
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM alarms WHERE closed_at IS NULL AND shelved_until <= ?1")?
        .query_map([now], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        conn.execute(
            "UPDATE alarms SET shelved_until = NULL, shelved_by = NULL, shelve_reason = NULL WHERE id = ?1",
            [id],
        )?;
        event(
            conn,
            *id,
            now,
            "unshelved",
            BY_PLANTLOG,
            "the shelving time ran out",
        )?;
    }
    Ok(ids.len())
}

/// Marks the open alarms of machines in a planned stop suppressed, and the others not;
/// returns how many changed.
pub fn suppress(conn: &Connection, planned: &HashSet<String>, now: i64) -> rusqlite::Result<usize> {
    let mut changed = 0;
    for a in list_open(conn)? {
        let want = a.machine.as_ref().is_some_and(|m| planned.contains(m));
        if want != a.suppressed {
            conn.execute(
                "UPDATE alarms SET suppressed = ?2 WHERE id = ?1",
                params![a.id, want],
            )?;
            event(
                conn,
                a.id,
                now,
                if want { "suppressed" } else { "unsuppressed" },
                BY_PLANTLOG,
                if want {
                    "its machine is in a planned stop"
                } else {
                    ""
                },
            )?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Every transition the journal records, by the name it is stored under.
pub const TRANSITIONS: &[&str] = &[
    "raised",
    "cleared",
    "returned",
    "acknowledged",
    "shelved",
    "unshelved",
    "suppressed",
    "unsuppressed",
    "normal",
    "escalated",
];

/// What the journal lists: filters on the time of the transition, machine, priority
/// and what happened.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct JournalQuery {
    #[cfg_attr(test, ts(optional))]
    pub from: Option<i64>,
    #[cfg_attr(test, ts(optional))]
    pub to: Option<i64>,
    #[cfg_attr(test, ts(optional))]
    pub machine: Option<String>,
    #[cfg_attr(test, ts(optional))]
    pub priority: Option<String>,
    /// raised, cleared, returned, acknowledged, shelved, unshelved, suppressed,
    /// unsuppressed, normal
    #[cfg_attr(test, ts(optional))]
    pub what: Option<String>,
    #[cfg_attr(test, ts(optional))]
    pub limit: Option<u32>,
}

/// One transition of one alarm.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct JournalEntry {
    pub id: i64,
    pub alarm_id: i64,
    pub at: i64,
    pub what: String,
    pub by: String,
    pub comment: String,
    pub key: String,
    pub name: String,
    pub priority: String,
    pub machine: Option<String>,
}

/// The journal, newest first.
pub fn journal(conn: &Connection, q: &JournalQuery) -> rusqlite::Result<Vec<JournalEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.alarm_id, e.at, e.what, e.by, e.comment, a.key, a.name, a.priority, a.machine
         FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id
         WHERE e.at >= ?1 AND e.at < ?2
           AND (?3 IS NULL OR a.machine = ?3)
           AND (?4 IS NULL OR a.priority = ?4)
           AND (?5 IS NULL OR e.what = ?5)
         ORDER BY e.at DESC, e.id DESC LIMIT ?6",
    )?;
    stmt.query_map(
        params![
            q.from.unwrap_or(i64::MIN),
            q.to.unwrap_or(i64::MAX),
            q.machine,
            q.priority,
            q.what,
            q.limit.unwrap_or(1000).min(100_000),
        ],
        |r| {
            Ok(JournalEntry {
                id: r.get(0)?,
                alarm_id: r.get(1)?,
                at: r.get(2)?,
                what: r.get(3)?,
                by: r.get(4)?,
                comment: r.get(5)?,
                key: r.get(6)?,
                name: r.get(7)?,
                priority: r.get(8)?,
                machine: r.get(9)?,
            })
        },
    )?
    .collect()
}

/// The journal as CSV (UTF-8, a header row, times as UTC ISO 8601 and milliseconds);
/// text a spreadsheet would take for a formula is neutralised.
pub fn journal_csv(entries: &[JournalEntry]) -> String {
    use crate::store::export::safe_cell;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "time_utc", "time_ms", "alarm_id", "key", "name", "priority", "machine", "what", "by",
        "comment",
    ]);
    for e in entries {
        let time = jiff::Timestamp::from_millisecond(e.at)
            .map(|t| t.to_string())
            .unwrap_or_default();
        let _ = w.write_record([
            time.as_str(),
            &e.at.to_string(),
            &e.alarm_id.to_string(),
            &safe_cell(&e.key),
            &safe_cell(&e.name),
            &e.priority,
            &safe_cell(e.machine.as_deref().unwrap_or("")),
            &e.what,
            &safe_cell(&e.by),
            &safe_cell(&e.comment),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Priority;

    fn db() -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations().to_latest(&mut c).unwrap();
        c
    }

    fn def() -> AlarmDef {
        AlarmDef {
            key: "hot".into(),
            rule: "hot".into(),
            kind: "high",
            name: "Oil hot".into(),
            priority: Priority::High,
            roles: vec!["operator".into(), "maintenance".into()],
            action: "Check the cooler".into(),
            machine: Some("press-1".into()),
        }
    }

    fn t(active: bool, at: i64) -> Transition {
        Transition {
            key: "hot".into(),
            active,
            at,
            value: Some(85.0),
        }
    }

    #[test]
    fn the_four_states_and_every_transition_in_the_journal() {
        let c = db();
        let d = def();
        let id = apply(&c, &d, &t(true, 1000), false).unwrap().unwrap();
        assert_eq!(
            get(&c, id).unwrap().unwrap().state,
            AlarmState::ActiveUnacked
        );
        let a = acknowledge(&c, id, "olga", "cooler fan stuck", 2000)
            .unwrap()
            .unwrap();
        assert_eq!(a.state, AlarmState::ActiveAcked);
        assert_eq!(a.acked_by.as_deref(), Some("olga"));
        assert_eq!(
            acknowledge(&c, id, "olga", "", 2100).unwrap(),
            Err(Refused::NotOpen("the alarm is acknowledged already"))
        );
        // Cleared after it was acknowledged: normal.
        apply(&c, &d, &t(false, 3000), false).unwrap();
        assert_eq!(get(&c, id).unwrap().unwrap().state, AlarmState::Normal);
        assert!(list_open(&c).unwrap().is_empty());
        // Raised again: a new occurrence; cleared before anyone acknowledged it.
        let id2 = apply(&c, &d, &t(true, 4000), false).unwrap().unwrap();
        assert_ne!(id2, id);
        apply(&c, &d, &t(false, 5000), false).unwrap();
        assert_eq!(
            get(&c, id2).unwrap().unwrap().state,
            AlarmState::ClearedUnacked
        );
        // It comes back before being acknowledged: the same occurrence, active again.
        assert_eq!(apply(&c, &d, &t(true, 6000), false).unwrap(), Some(id2));
        assert_eq!(
            get(&c, id2).unwrap().unwrap().state,
            AlarmState::ActiveUnacked
        );
        let whats: Vec<(i64, String, String)> = journal(&c, &JournalQuery::default())
            .unwrap()
            .into_iter()
            .rev()
            .map(|e| (e.at, e.what, e.by))
            .collect();
        let want: Vec<(i64, String, String)> = [
            (1000, "raised", "plantlog"),
            (2000, "acknowledged", "olga"),
            (3000, "cleared", "plantlog"),
            (3000, "normal", "plantlog"),
            (4000, "raised", "plantlog"),
            (5000, "cleared", "plantlog"),
            (6000, "returned", "plantlog"),
        ]
        .into_iter()
        .map(|(a, b, c)| (a, b.to_string(), c.to_string()))
        .collect();
        assert_eq!(whats, want);
        for (_, what, _) in &whats {
            assert!(
                TRANSITIONS.contains(&what.as_str()),
                "{what} is not a known transition"
            );
        }
        let only_acks = journal(
            &c,
            &JournalQuery {
                what: Some("acknowledged".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(only_acks.len(), 1);
        assert_eq!(only_acks[0].comment, "cooler fan stuck");
        let csv = journal_csv(&only_acks);
        assert_eq!(
            csv,
            "time_utc,time_ms,alarm_id,key,name,priority,machine,what,by,comment\n\
             1970-01-01T00:00:02Z,2000,1,hot,Oil hot,high,press-1,acknowledged,olga,cooler fan stuck\n"
        );
        // A comment a spreadsheet would run as a formula is written as text.
        let mut bad = only_acks[0].clone();
        bad.comment = "=HYPERLINK(\"http://x\")".into();
        assert!(journal_csv(&[bad]).ends_with(",olga,\"'=HYPERLINK(\"\"http://x\"\")\"\n"));
    }

    #[test]
    fn shelving_runs_out_and_planned_stops_suppress() {
        let c = db();
        let id = apply(&c, &def(), &t(true, 1000), false).unwrap().unwrap();
        let a = shelve(&c, id, "sam", Some(61_000), "sensor being replaced", 1000)
            .unwrap()
            .unwrap();
        assert_eq!(a.shelved_until, Some(61_000));
        assert_eq!(expire_shelving(&c, 60_999).unwrap(), 0);
        assert_eq!(expire_shelving(&c, 61_000).unwrap(), 1);
        assert_eq!(get(&c, id).unwrap().unwrap().shelved_until, None);
        suppress(&c, &HashSet::from(["press-1".to_string()]), 70_000).unwrap();
        assert!(get(&c, id).unwrap().unwrap().suppressed);
        suppress(&c, &HashSet::new(), 80_000).unwrap();
        assert!(!get(&c, id).unwrap().unwrap().suppressed);
        assert_eq!(active_keys(&c).unwrap(), HashSet::from(["hot".to_string()]));
    }
}
