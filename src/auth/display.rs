//! Andon displays: a screen (a TV at a line) that shows the production board without a
//! login. The admin creates a display with what it may show (which machines, one page
//! or cycling pages) and gets a random 256-bit token once, for the display's address;
//! the database keeps only its SHA-256. The token is read-only (it opens the board and
//! nothing else), revocable, and audited: creation, revocation and the first use from
//! each new address. A presented token is hashed and compared with every display's hash
//! in constant time; wrong tokens are counted per address and refused past the login
//! limit, like failed logins.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::audit::{self, Actor, AuditEntry};
use super::throttle;
use crate::sample::now_ms;

/// The header a display sends its token in.
pub const HEADER: &str = "x-display-token";

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A display and what it may show.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Display {
    pub id: i64,
    pub name: String,
    /// Machine keys it shows; empty: every machine.
    pub machines: Vec<String>,
    /// Seconds per page when cycling; 0: every machine on one page.
    pub cycle_s: i64,
    pub created_by: String,
    pub created_ms: i64,
    pub revoked_by: Option<String>,
    pub revoked_ms: Option<i64>,
    pub last_used_ms: Option<i64>,
    pub last_client: Option<String>,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Display> {
    let machines: String = r.get(2)?;
    Ok(Display {
        id: r.get(0)?,
        name: r.get(1)?,
        machines: machines
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        cycle_s: r.get(3)?,
        created_by: r.get(4)?,
        created_ms: r.get(5)?,
        revoked_by: r.get(6)?,
        revoked_ms: r.get(7)?,
        last_used_ms: r.get(8)?,
        last_client: r.get(9)?,
    })
}

const COLUMNS: &str = "id, name, machines, cycle_s, created_by, created_at, revoked_by, revoked_at, last_used_at, last_client";

/// Creates a display; returns it with its token (shown once).
pub fn create(
    conn: &Connection,
    name: &str,
    machines: &[String],
    cycle_s: i64,
    actor: &Actor,
) -> rusqlite::Result<(Display, String)> {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let token = hex::encode(bytes);
    conn.execute(
        "INSERT INTO displays (name, token_hash, machines, cycle_s, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            name,
            token_hash(&token),
            machines.join(","),
            cycle_s,
            actor.name,
            now_ms()
        ],
    )?;
    let id = conn.last_insert_rowid();
    audit::record(
        conn,
        &AuditEntry::new(
            actor,
            "display.create",
            name,
            &format!(
                "machines: {}; {}",
                if machines.is_empty() {
                    "all".to_string()
                } else {
                    machines.join(", ")
                },
                if cycle_s == 0 {
                    "one page".to_string()
                } else {
                    format!("pages of {cycle_s} s")
                }
            ),
        ),
    )?;
    let d = conn.query_row(
        &format!("SELECT {COLUMNS} FROM displays WHERE id = ?1"),
        [id],
        row,
    )?;
    Ok((d, token))
}

/// Every display, newest first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Display>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM displays ORDER BY id DESC"))?;
    stmt.query_map([], row)?.collect()
}

/// Revokes a display: its token opens nothing from now on. Returns false when there is
/// no such display or it was revoked already.
pub fn revoke(conn: &Connection, id: i64, actor: &Actor) -> rusqlite::Result<bool> {
    let name: Option<String> = conn
        .query_row(
            "SELECT name FROM displays WHERE id = ?1 AND revoked_at IS NULL",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(name) = name else { return Ok(false) };
    conn.execute(
        "UPDATE displays SET revoked_by = ?2, revoked_at = ?3 WHERE id = ?1",
        params![id, actor.name, now_ms()],
    )?;
    audit::record(conn, &AuditEntry::new(actor, "display.revoke", &name, ""))?;
    Ok(true)
}

/// Why a token opened no board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// No display has this token (or it was revoked).
    Unknown,
    /// Too many wrong tokens came from this address in the window.
    TooMany,
}

/// Finds the display whose token hash equals `hash`, comparing it with every display's
/// in constant time (no early exit, no index lookup on the secret), so the time taken
/// says nothing about how much of a guess was right.
fn by_hash(conn: &Connection, hash: &[u8]) -> rusqlite::Result<Option<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, token_hash FROM displays WHERE revoked_at IS NULL")?;
    let mut rows = stmt.query([])?;
    let mut found = None;
    while let Some(r) = rows.next()? {
        let (id, stored): (i64, Vec<u8>) = (r.get(0)?, r.get(1)?);
        if bool::from(stored.as_slice().ct_eq(hash)) {
            found = Some(id);
        }
    }
    Ok(found)
}

/// The display a token opens, if it is valid and not revoked. Wrong tokens are counted
/// per address like failed logins (15-minute windows; the first is audited, past
/// [`throttle::SOURCE_LIMIT`] the address is refused, and its first refusal audited). A
/// use from an address the display was not last used from is audited.
pub fn lookup(
    conn: &Connection,
    token: &str,
    client: &str,
) -> rusqlite::Result<Result<Display, Refused>> {
    let now = now_ms();
    let anonymous = Actor {
        id: None,
        name: "(display address)".into(),
        client: client.to_string(),
    };
    if throttle::display_failures(conn, client, now)? >= throttle::SOURCE_LIMIT {
        return Ok(Err(Refused::TooMany));
    }
    // A token is 64 hex digits; anything else is wrong without a look.
    let plausible = token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit());
    let id = if plausible {
        by_hash(conn, &token_hash(token))?
    } else {
        None
    };
    let Some(id) = id else {
        let n = throttle::display_failure(conn, client, now)?;
        if n == 1 {
            audit::record(
                conn,
                &AuditEntry::new(
                    &anonymous,
                    "display.failed",
                    client,
                    "a wrong display address; further ones from this address in the next 15 minutes are counted, not listed",
                ),
            )?;
        }
        if n == throttle::SOURCE_LIMIT {
            audit::record(
                conn,
                &AuditEntry::new(
                    &anonymous,
                    "display.refused",
                    client,
                    "too many wrong display addresses from this address; refused for the rest of the 15 minutes",
                ),
            )?;
        }
        return Ok(Err(Refused::Unknown));
    };
    let d = conn.query_row(
        &format!("SELECT {COLUMNS} FROM displays WHERE id = ?1"),
        [id],
        row,
    )?;
    if d.last_client.as_deref() != Some(client) {
        let actor = Actor {
            id: None,
            name: format!("display {}", d.name),
            client: client.to_string(),
        };
        audit::record(
            conn,
            &AuditEntry::new(
                &actor,
                "display.use",
                &d.name,
                "the board was opened from a new address",
            ),
        )?;
    }
    if d.last_client.as_deref() != Some(client) || d.last_used_ms.is_none_or(|t| now - t > 60_000) {
        conn.execute(
            "UPDATE displays SET last_used_at = ?2, last_client = ?3 WHERE id = ?1",
            params![d.id, now, client],
        )?;
    }
    Ok(Ok(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_its_display_until_revoked() {
        let conn = crate::store::memory();
        let admin = Actor::command_line();
        let (d, token) = create(&conn, "Hall TV", &["press-1".into()], 20, &admin).unwrap();
        assert_eq!(d.machines, ["press-1"]);
        assert_eq!(lookup(&conn, &token, "10.0.0.5").unwrap().unwrap().id, d.id);
        assert_eq!(
            lookup(&conn, "not the token", "10.0.0.5").unwrap(),
            Err(Refused::Unknown)
        );
        assert!(revoke(&conn, d.id, &admin).unwrap());
        assert!(!revoke(&conn, d.id, &admin).unwrap());
        assert_eq!(
            lookup(&conn, &token, "10.0.0.5").unwrap(),
            Err(Refused::Unknown)
        );
        let actions: Vec<String> = audit::list(&conn, 10, None)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        // Two wrong tokens from one address: the first is listed, the second counted.
        assert_eq!(
            actions,
            [
                "display.revoke",
                "display.failed",
                "display.use",
                "display.create"
            ]
        );
        // Only the hash is stored.
        let stored: Vec<u8> = conn
            .query_row("SELECT token_hash FROM displays", [], |r| r.get(0))
            .unwrap();
        assert_ne!(stored, token.as_bytes());
    }

    #[test]
    fn wrong_tokens_are_refused_per_address_past_the_login_limit() {
        let conn = crate::store::memory();
        let admin = Actor::command_line();
        let (_, token) = create(&conn, "Hall TV", &[], 0, &admin).unwrap();
        let guess = "0".repeat(64);
        for _ in 0..throttle::SOURCE_LIMIT {
            assert_eq!(
                lookup(&conn, &guess, "10.0.0.66").unwrap(),
                Err(Refused::Unknown)
            );
        }
        // Past the limit the right token is refused too from that address, not from
        // another.
        assert_eq!(
            lookup(&conn, &token, "10.0.0.66").unwrap(),
            Err(Refused::TooMany)
        );
        assert!(lookup(&conn, &token, "10.0.0.5").unwrap().is_ok());
        let actions: Vec<String> = audit::list(&conn, 10, None)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions,
            [
                "display.use",
                "display.refused",
                "display.failed",
                "display.create"
            ]
        );
    }
}
