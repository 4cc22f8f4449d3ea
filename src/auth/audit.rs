//! The audit log: who did what, when, from where. Written in the same transaction as
//! the change it records, so a change is never without its record.
//!
//! The log is append-only and tamper-evident: each record carries
//! SHA-256(previous record's hash || the record), so changing, removing or inserting a
//! record anywhere but at the end breaks the chain, which [`verify`] finds (`plantlog
//! audit verify`, the access review). Triggers of the database refuse changes and
//! removals outright; only the retention job removes the oldest records, after moving
//! the chain's anchor past them. Someone who can rewrite the database file can rewrite
//! the whole chain: the head hash shown in the access review and written into audit
//! archives is what a copy kept elsewhere compares against.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

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

/// Longest text kept in one field of a record; longer text is cut (a record is never
/// much larger than what it describes).
const MAX_FIELD: usize = 500;

fn bounded(s: &str) -> String {
    if s.len() <= MAX_FIELD {
        return s.to_string();
    }
    let mut end = MAX_FIELD;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

impl AuditEntry {
    pub fn new(actor: &Actor, action: &str, target: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            id: 0,
            ts: now_ms(),
            actor: bounded(&actor.name),
            actor_id: actor.id,
            action: action.to_string(),
            target: bounded(target),
            detail: bounded(detail),
            client: bounded(&actor.client),
        }
    }
}

/// The hash of record `e` (with its id) following `prev`.
pub fn link_hash(prev: &[u8], e: &AuditEntry) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(b"plantlog-audit-v1");
    h.update(prev);
    h.update(e.id.to_be_bytes());
    h.update(e.ts.to_be_bytes());
    match e.actor_id {
        Some(id) => {
            h.update([1]);
            h.update(id.to_be_bytes());
        }
        None => h.update([0]),
    }
    for s in [&e.actor, &e.action, &e.target, &e.detail, &e.client] {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    }
    h.finalize().to_vec()
}

/// The hash the chain starts from: 32 zero bytes, or the anchor's after a purge.
const GENESIS: [u8; 32] = [0; 32];

/// The last link: its id and hash (the anchor's, or the genesis, when no record is
/// kept).
fn last_link(conn: &Connection) -> rusqlite::Result<(i64, Vec<u8>)> {
    let last: Option<(i64, Option<Vec<u8>>)> = conn
        .query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let anchor = anchor(conn)?;
    match last {
        Some((id, Some(hash))) => Ok((id.max(anchor.0), hash)),
        Some((_, None)) => {
            seal(conn)?;
            last_link(conn)
        }
        None => Ok(anchor),
    }
}

/// Where the kept chain starts: the last removed record's id and hash.
fn anchor(conn: &Connection) -> rusqlite::Result<(i64, Vec<u8>)> {
    Ok(conn
        .query_row(
            "SELECT last_id, hash FROM audit_anchor WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_vec())))
}

/// Appends a record to the chain. Inside the caller's transaction when there is one
/// (the change and its record commit together); otherwise in a transaction of its own,
/// so two writers never chain onto the same record.
pub fn record(conn: &Connection, e: &AuditEntry) -> rusqlite::Result<()> {
    let own = conn.is_autocommit();
    if own {
        conn.execute_batch("BEGIN IMMEDIATE")?;
    }
    let result = append(conn, e);
    if own {
        match &result {
            Ok(()) => conn.execute_batch("COMMIT")?,
            Err(_) => {
                let _ = conn.execute_batch("ROLLBACK");
            }
        }
    }
    result
}

fn append(conn: &Connection, e: &AuditEntry) -> rusqlite::Result<()> {
    let (last_id, prev) = last_link(conn)?;
    let mut e = e.clone();
    e.id = last_id + 1;
    e.actor = bounded(&e.actor);
    e.target = bounded(&e.target);
    e.detail = bounded(&e.detail);
    e.client = bounded(&e.client);
    let hash = link_hash(&prev, &e);
    conn.execute(
        "INSERT INTO audit (id, ts, actor_id, actor, action, target, detail, client, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            e.id, e.ts, e.actor_id, &e.actor, &e.action, &e.target, &e.detail, &e.client, hash
        ],
    )?;
    Ok(())
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
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
}

/// Seals records written before the chain existed (hash NULL), oldest first, onto the
/// chain. Returns how many.
pub fn seal(conn: &Connection) -> rusqlite::Result<usize> {
    let unsealed: Vec<AuditEntry> = {
        let mut stmt = conn.prepare(
            "SELECT id, ts, actor_id, actor, action, target, detail, client FROM audit
             WHERE hash IS NULL ORDER BY id",
        )?;
        stmt.query_map([], entry)?.collect::<Result<_, _>>()?
    };
    for e in &unsealed {
        let prev: Vec<u8> = conn
            .query_row(
                "SELECT hash FROM audit WHERE id < ?1 AND hash IS NOT NULL ORDER BY id DESC LIMIT 1",
                [e.id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| GENESIS.to_vec());
        conn.execute(
            "UPDATE audit SET hash = ?1 WHERE id = ?2 AND hash IS NULL",
            params![link_hash(&prev, e), e.id],
        )?;
    }
    Ok(unsealed.len())
}

/// What [`verify`] found.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ChainReport {
    /// Records checked.
    pub records: i64,
    pub first_id: Option<i64>,
    pub last_id: Option<i64>,
    /// The hash of the newest record (hex): what a copy kept elsewhere compares with.
    pub head: String,
    /// The first record that does not follow from the one before, and why.
    pub broken: Option<Broken>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Broken {
    pub id: i64,
    pub reason: String,
}

impl ChainReport {
    pub fn intact(&self) -> bool {
        self.broken.is_none()
    }
}

/// Walks the whole chain from its anchor and checks every link.
pub fn verify(conn: &Connection) -> rusqlite::Result<ChainReport> {
    let (anchor_id, mut prev) = anchor(conn)?;
    let mut stmt = conn.prepare(
        "SELECT id, ts, actor_id, actor, action, target, detail, client, hash FROM audit
         ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut report = ChainReport {
        records: 0,
        first_id: None,
        last_id: None,
        head: hex::encode(&prev),
        broken: None,
    };
    let mut expected_id = anchor_id + 1;
    while let Some(r) = rows.next()? {
        let e = entry(r)?;
        let hash: Option<Vec<u8>> = r.get(8)?;
        report.records += 1;
        report.first_id.get_or_insert(e.id);
        report.last_id = Some(e.id);
        let reason = match &hash {
            _ if e.id != expected_id => Some(if e.id > expected_id {
                format!(
                    "records {expected_id} to {} are missing",
                    e.id.saturating_sub(1)
                )
            } else {
                "a record is out of order".to_string()
            }),
            None => Some("the record was never sealed into the chain".to_string()),
            Some(h) if *h != link_hash(&prev, &e) => Some(
                "the record does not match its hash: it was changed, or one before it was"
                    .to_string(),
            ),
            Some(_) => None,
        };
        if let Some(reason) = reason {
            report.broken = Some(Broken { id: e.id, reason });
            return Ok(report);
        }
        prev = hash.unwrap_or_default();
        report.head = hex::encode(&prev);
        expected_id = e.id + 1;
    }
    Ok(report)
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
    let rows = stmt.query_map((before.unwrap_or(i64::MAX), limit), entry)?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor() -> Actor {
        Actor::command_line()
    }

    #[test]
    fn the_chain_finds_a_changed_a_removed_and_an_inserted_record() {
        let conn = crate::store::memory();
        for i in 0..5 {
            record(
                &conn,
                &AuditEntry::new(&actor(), "test", &format!("t{i}"), ""),
            )
            .unwrap();
        }
        let ok = verify(&conn).unwrap();
        assert!(ok.intact(), "{ok:?}");
        assert_eq!((ok.records, ok.first_id, ok.last_id), (5, Some(1), Some(5)));
        // The triggers refuse changes: go around them as someone with the file would.
        assert!(
            conn.execute("UPDATE audit SET detail = 'x' WHERE id = 3", [])
                .is_err()
        );
        assert!(conn.execute("DELETE FROM audit WHERE id = 3", []).is_err());
        conn.execute_batch("DROP TRIGGER audit_append_only_update")
            .unwrap();
        conn.execute("UPDATE audit SET detail = 'x' WHERE id = 3", [])
            .unwrap();
        let bad = verify(&conn).unwrap();
        assert_eq!(bad.broken.as_ref().map(|b| b.id), Some(3), "{bad:?}");

        let conn = crate::store::memory();
        for i in 0..5 {
            record(
                &conn,
                &AuditEntry::new(&actor(), "test", &format!("t{i}"), ""),
            )
            .unwrap();
        }
        conn.execute_batch("DROP TRIGGER audit_append_only_delete")
            .unwrap();
        conn.execute("DELETE FROM audit WHERE id = 2", []).unwrap();
        let bad = verify(&conn).unwrap();
        assert_eq!(bad.broken.as_ref().map(|b| b.id), Some(3), "{bad:?}");
        assert!(bad.broken.unwrap().reason.contains("missing"));
    }

    #[test]
    fn records_before_the_chain_are_sealed_in_order() {
        let conn = crate::store::memory();
        conn.execute_batch("DROP TRIGGER audit_sealed_insert")
            .unwrap();
        for i in 1..=3 {
            conn.execute(
                "INSERT INTO audit (id, ts, actor, action) VALUES (?1, 0, 'old', 'test')",
                [i],
            )
            .unwrap();
        }
        record(&conn, &AuditEntry::new(&actor(), "new", "", "")).unwrap();
        let report = verify(&conn).unwrap();
        assert!(report.intact(), "{report:?}");
        assert_eq!(report.records, 4);
    }

    #[test]
    fn long_fields_are_cut() {
        let conn = crate::store::memory();
        let long = "é".repeat(10_000);
        record(&conn, &AuditEntry::new(&actor(), "test", &long, &long)).unwrap();
        let e = &list(&conn, 1, None).unwrap()[0];
        assert!(e.target.len() <= MAX_FIELD + 3 && e.detail.len() <= MAX_FIELD + 3);
        assert!(verify(&conn).unwrap().intact());
    }
}
