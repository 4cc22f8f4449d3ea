//! Counting failed logins, compactly: a counter per fixed window (15 minutes) for each
//! account name, each client address, and each name from each address; never a row per
//! attempt, and never an unknown name as typed (a name is counted under a keyed hash of
//! its normalised form, so a password typed into the name box is not stored anywhere).
//!
//! An attempt is charged before its password is checked, in one statement per counter,
//! so parallel attempts cannot all slip under the limit; a successful one gives its
//! charge back.

use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// Length of a counting window.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures of one account name within a window after which passwords alone are no
/// longer checked for it (a second factor still is).
pub const NAME_LIMIT: i64 = 10;
/// Failures from one client address within a window after which it is refused.
pub const SOURCE_LIMIT: i64 = 30;
/// Wrong current passwords when changing one's own, per window.
pub const CHANGE_LIMIT: i64 = 5;
/// Windows are kept this long for the access review, then removed.
const KEEP_MS: i64 = 24 * 3600 * 1000;

pub fn window(now: i64) -> i64 {
    now - now.rem_euclid(WINDOW_MS)
}

/// The form names are compared in: trimmed, lower case (usernames are ASCII and unique
/// ignoring case).
pub fn normalise(name: &str) -> String {
    name.trim().to_ascii_lowercase()
}

/// The key a name is counted under: a hash of the normalised name keyed with this
/// installation's secret, so the table says nothing about names tried.
pub fn name_key(conn: &Connection, name: &str) -> rusqlite::Result<String> {
    let secret: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'login_name_key'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let secret = match secret {
        Some(s) => s,
        None => {
            let mut bytes = [0u8; 32];
            rand::fill(&mut bytes);
            let s = hex::encode(bytes);
            conn.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES ('login_name_key', ?1)",
                [&s],
            )?;
            conn.query_row(
                "SELECT value FROM settings WHERE key = 'login_name_key'",
                [],
                |r| r.get(0),
            )?
        }
    };
    let mut h = Sha256::new();
    h.update(secret.as_bytes());
    h.update([0]);
    h.update(normalise(name).as_bytes());
    Ok(hex::encode(&h.finalize()[..16]))
}

/// The counters after charging one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charged {
    /// Attempts on this name in the window, this one included.
    pub name: i64,
    /// Attempts from this address in the window, this one included.
    pub source: i64,
}

fn bump(conn: &Connection, kind: &str, key: &str, win: i64, by: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "INSERT INTO login_failures (kind, key, window_start, count) VALUES (?1, ?2, ?3, max(?4, 0))
         ON CONFLICT (kind, key, window_start) DO UPDATE SET count = max(count + ?4, 0)
         RETURNING count",
        (kind, key, win, by),
        |r| r.get(0),
    )
}

/// Charges an attempt on `name_key` from `source` before it is checked.
pub fn charge(
    conn: &Connection,
    name_key: &str,
    source: &str,
    now: i64,
) -> rusqlite::Result<Charged> {
    let win = window(now);
    Ok(Charged {
        name: bump(conn, "name", name_key, win, 1)?,
        source: bump(conn, "source", source, win, 1)?,
    })
}

/// Gives back the charge of an attempt that succeeded (or was never checked).
pub fn refund(conn: &Connection, name_key: &str, source: &str, now: i64) -> rusqlite::Result<()> {
    let win = window(now);
    bump(conn, "name", name_key, win, -1)?;
    bump(conn, "source", source, win, -1)?;
    Ok(())
}

/// Counts a failure of `name_key` from `source`; true for the first in this window,
/// which is the one the audit log records.
pub fn first_failure(
    conn: &Connection,
    name_key: &str,
    source: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    let pair = format!("{name_key}@{source}");
    Ok(bump(conn, "pair", &pair, window(now), 1)? == 1)
}

/// Attempts on `name_key` charged in the current window.
pub fn name_count(conn: &Connection, name_key: &str, now: i64) -> rusqlite::Result<i64> {
    Ok(conn
        .query_row(
            "SELECT count FROM login_failures WHERE kind = 'name' AND key = ?1 AND window_start = ?2",
            (name_key, window(now)),
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// The key wrong display tokens from `source` are counted under (with the addresses'
/// login failures, kind `source`, but apart from them: a TV with a revoked address does
/// not lock the logins of its network).
fn display_key(source: &str) -> String {
    format!("display@{source}")
}

/// Wrong display tokens from `source` in the current window.
pub fn display_failures(conn: &Connection, source: &str, now: i64) -> rusqlite::Result<i64> {
    Ok(conn
        .query_row(
            "SELECT count FROM login_failures WHERE kind = 'source' AND key = ?1 AND window_start = ?2",
            (display_key(source), window(now)),
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// Counts a wrong display token from `source`; returns the count in this window.
pub fn display_failure(conn: &Connection, source: &str, now: i64) -> rusqlite::Result<i64> {
    bump(conn, "source", &display_key(source), window(now), 1)
}

/// Lifts the lock of a name (a new password from the console or the admin).
pub fn clear_name(conn: &Connection, name_key: &str) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM login_failures WHERE kind = 'name' AND key = ?1",
        [name_key],
    )?;
    Ok(())
}

/// Failed attempts in the last day: (name windows locked, total failures).
pub fn summary(conn: &Connection, now: i64) -> rusqlite::Result<(i64, i64)> {
    conn.query_row(
        "SELECT coalesce(sum(count >= ?2), 0), coalesce(sum(count), 0) FROM login_failures
         WHERE kind = 'name' AND window_start >= ?1",
        (now - KEEP_MS, NAME_LIMIT),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Removes windows older than a day.
pub fn purge(conn: &Connection, now: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM login_failures WHERE window_start < ?1",
        [now - KEEP_MS],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_counted_by_a_keyed_hash_of_their_normal_form() {
        let conn = crate::store::memory();
        let a = name_key(&conn, "Quality").unwrap();
        assert_eq!(a, name_key(&conn, "  QUALITY ").unwrap());
        assert_ne!(a, name_key(&conn, "quality2").unwrap());
        assert!(!a.contains("quality"));
        let now = 1_000 * WINDOW_MS + 5;
        for i in 1..=3 {
            let c = charge(&conn, &a, "10.0.0.9", now).unwrap();
            assert_eq!(c, Charged { name: i, source: i });
        }
        refund(&conn, &a, "10.0.0.9", now).unwrap();
        assert_eq!(name_count(&conn, &a, now).unwrap(), 2);
        assert!(first_failure(&conn, &a, "10.0.0.9", now).unwrap());
        assert!(!first_failure(&conn, &a, "10.0.0.9", now).unwrap());
        // A new window starts from nothing.
        assert_eq!(name_count(&conn, &a, now + WINDOW_MS).unwrap(), 0);
        clear_name(&conn, &a).unwrap();
        assert_eq!(name_count(&conn, &a, now).unwrap(), 0);
    }
}
