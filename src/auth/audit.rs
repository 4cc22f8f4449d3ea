//! The audit log: who did what, when, from where. Written in the same transaction as
//! the change it records, so a change is never without its record.

use rusqlite::Connection;
use serde::Serialize;

use crate::sample::now_ms;

/// Who acts: a user (by id and name) or the system ("plantlog" from the command line).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: String,
    /// Where the request came from: an IP address, or "command line".
    pub client: String,
}

impl Actor {
    /// The command line, run by whoever can open the data folder.
    pub fn command_line() -> Actor {
        Actor {
            id: None,
            name: "command line".to_string(),
            client: "local".to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AuditEntry {
    pub id: i64,
    pub ts: i64,
    pub actor: String,
    #[serde(skip)]
    pub actor_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub client: String,
}

impl AuditEntry {
    pub fn new(actor: &Actor, action: &str, target: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            id: 0,
            ts: now_ms(),
            actor: actor.name.clone(),
            actor_id: actor.id,
            action: action.to_string(),
            target: target.to_string(),
            detail: detail.to_string(),
            client: actor.client.clone(),
        }
    }
}

pub fn record(conn: &Connection, e: &AuditEntry) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit (ts, actor_id, actor, action, target, detail, client)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        (
            e.ts, e.actor_id, &e.actor, &e.action, &e.target, &e.detail, &e.client,
        ),
    )?;
    Ok(())
}

/// Newest first; `before` pages back by id.
pub fn list(
    conn: &Connection,
    limit: u32,
    before: Option<i64>,
) -> rusqlite::Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, ts, actor_id, actor, action, target, detail, client FROM audit
         WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map((before.unwrap_or(i64::MAX), limit), |r| {
        Ok(AuditEntry {
            id: r.get(0)?,
            ts: r.get(1)?,
            actor_id: r.get(2)?,
            actor: r.get(3)?,
            action: r.get(4)?,
            target: r.get(5)?,
            detail: r.get(6)?,
            client: r.get(7)?,
        })
    })?;
    rows.collect()
}
