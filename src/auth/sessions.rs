//! Login sessions. The browser holds a random 256-bit token in an HttpOnly,
//! SameSite=Strict cookie (named with the `__Host-` prefix and Secure over TLS); the
//! database holds only its SHA-256, so a copy of the database cannot be used to log in.
//! A session ends at logout, after the idle timeout, at its absolute lifetime (12 hours
//! by default) whatever its activity, when the admin ends it, disables the user, changes
//! their role or resets their password, when the user changes their own password (their
//! other sessions), and when a vendor account expires.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::policy;
use super::users::{self, User};
use crate::sample::now_ms;

/// Name of the session cookie over plain HTTP (this PC only).
pub const COOKIE: &str = "plantlog_session";
/// Name of the session cookie over TLS: the `__Host-` prefix makes browsers refuse it
/// unless it is Secure, for this host only, on path /.
pub const TLS_COOKIE: &str = "__Host-plantlog_session";
/// Idle timeout unless the admin sets another.
pub const DEFAULT_IDLE_TIMEOUT_S: i64 = policy::DEFAULT_IDLE_TIMEOUT_S;
/// `last_seen_at` is written at most this often per session.
const TOUCH_EVERY_MS: i64 = 15_000;

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Starts a session; `mfa` says a second factor was used. Returns the token for the
/// cookie.
pub fn create(
    conn: &Connection,
    user_id: i64,
    client: &str,
    mfa: bool,
) -> rusqlite::Result<String> {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let token = hex::encode(bytes);
    let now = now_ms();
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client, mfa)
         VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
        (token_hash(&token), user_id, now, client, mfa),
    )?;
    conn.execute(
        "UPDATE users SET last_login_at = ?1 WHERE id = ?2",
        (now, user_id),
    )?;
    Ok(token)
}

/// The idle timeout in seconds, from the security settings.
pub fn idle_timeout_s(conn: &Connection) -> rusqlite::Result<i64> {
    Ok(policy::load(conn)?.idle_timeout_s)
}

/// Why a token does not give a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// No such session: never was, or logged out.
    Unknown,
    /// It was idle for too long, or reached its lifetime; it is deleted now.
    Expired,
}

/// A live session's user, and whether a second factor was used to start it.
#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    pub user: User,
    pub mfa: bool,
}

/// The user of a live session. `touch` counts this request as activity (live streams
/// do not, so an unattended screen still times out).
pub fn lookup(
    conn: &Connection,
    token: &str,
    touch: bool,
) -> rusqlite::Result<Result<User, Invalid>> {
    Ok(lookup_live(conn, token, touch)?.map(|l| l.user))
}

/// [`lookup`], with whether the session used a second factor.
pub fn lookup_live(
    conn: &Connection,
    token: &str,
    touch: bool,
) -> rusqlite::Result<Result<Live, Invalid>> {
    let hash = token_hash(token);
    let row: Option<(i64, i64, i64, bool)> = conn
        .query_row(
            "SELECT user_id, created_at, last_seen_at, mfa FROM sessions WHERE token_hash = ?1",
            [&hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((user_id, created, last_seen, mfa)) = row else {
        return Ok(Err(Invalid::Unknown));
    };
    let now = now_ms();
    let settings = policy::load(conn)?;
    if now - last_seen > settings.idle_timeout_s * 1000
        || now - created > settings.session_max_age_s * 1000
    {
        conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
        return Ok(Err(Invalid::Expired));
    }
    let user = match users::get(conn, user_id) {
        Ok(u) if !u.disabled && !u.expired(now) => u,
        _ => {
            conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
            return Ok(Err(Invalid::Unknown));
        }
    };
    if touch && now - last_seen > TOUCH_EVERY_MS {
        conn.execute(
            "UPDATE sessions SET last_seen_at = ?1 WHERE token_hash = ?2",
            (now, &hash),
        )?;
    }
    Ok(Ok(Live { user, mfa }))
}

pub fn delete(conn: &Connection, token: &str) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM sessions WHERE token_hash = ?1",
        [token_hash(token)],
    )?;
    Ok(())
}

/// Ends every session of `user_id` but the one of `keep` (its token); returns how many.
pub fn delete_others(conn: &Connection, user_id: i64, keep: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND token_hash != ?2",
        (user_id, token_hash(keep)),
    )
}

/// Removes sessions idle for longer than the timeout or older than their lifetime.
pub fn purge_expired(conn: &Connection) -> rusqlite::Result<usize> {
    let s = policy::load(conn)?;
    let now = now_ms();
    conn.execute(
        "DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2",
        (
            now - s.idle_timeout_s * 1000,
            now - s.session_max_age_s * 1000,
        ),
    )
}

/// A session as the admin sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SessionView {
    /// The session's number (not its token).
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub created_ms: i64,
    pub last_seen_ms: i64,
    pub client: String,
    /// Whether a second factor was used to log in.
    pub mfa: bool,
    /// Whether this is the session of the one asking.
    pub current: bool,
}

/// Every live session, newest first; `current` marks the one of token `mine`.
pub fn list(conn: &Connection, mine: &str) -> rusqlite::Result<Vec<SessionView>> {
    purge_expired(conn)?;
    let mine = token_hash(mine);
    let mut stmt = conn.prepare(
        "SELECT s.rowid, s.user_id, u.username, u.display_name, s.created_at, s.last_seen_at,
                s.client, s.mfa, s.token_hash = ?1
         FROM sessions s JOIN users u ON u.id = s.user_id ORDER BY s.created_at DESC",
    )?;
    let rows = stmt.query_map([mine], |r| {
        Ok(SessionView {
            id: r.get(0)?,
            user_id: r.get(1)?,
            username: r.get(2)?,
            display_name: r.get(3)?,
            created_ms: r.get(4)?,
            last_seen_ms: r.get(5)?,
            client: r.get(6)?,
            mfa: r.get(7)?,
            current: r.get(8)?,
        })
    })?;
    rows.collect()
}

/// Ends session number `id`; returns its user's name, or None when there is no such
/// session.
pub fn end(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    let name: Option<String> = conn
        .query_row(
            "SELECT u.username FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.rowid = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    if name.is_some() {
        conn.execute("DELETE FROM sessions WHERE rowid = ?1", [id])?;
    }
    Ok(name)
}

/// Live sessions per user id.
pub fn count_by_user(conn: &Connection) -> rusqlite::Result<std::collections::HashMap<i64, i64>> {
    let mut stmt = conn.prepare("SELECT user_id, count(*) FROM sessions GROUP BY user_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::audit::Actor;
    use crate::auth::roles::Role;
    use crate::auth::users::NewUser;

    #[test]
    fn expired_session_is_gone() {
        let mut conn = crate::store::memory();
        let u = users::create(
            &mut conn,
            &NewUser {
                username: "op",
                display_name: "Op",
                role: Role::Operator,
                password: "a long password",
                must_change_password: false,
            },
            &Actor::command_line(),
        )
        .unwrap();
        let token = create(&conn, u.id, "test", false).unwrap();
        assert_eq!(lookup(&conn, &token, true).unwrap().unwrap().id, u.id);
        conn.execute("UPDATE sessions SET last_seen_at = 0", [])
            .unwrap();
        assert_eq!(lookup(&conn, &token, true).unwrap(), Err(Invalid::Expired));
        assert_eq!(lookup(&conn, &token, true).unwrap(), Err(Invalid::Unknown));
        // Active all along, but past its lifetime: gone too.
        let token = create(&conn, u.id, "test", false).unwrap();
        let other = create(&conn, u.id, "test", false).unwrap();
        let day_ago = now_ms() - 24 * 3600 * 1000;
        conn.execute("UPDATE sessions SET created_at = ?1", [day_ago])
            .unwrap();
        assert_eq!(lookup(&conn, &token, true).unwrap(), Err(Invalid::Expired));
        // Ending the others keeps one's own.
        let mine = create(&conn, u.id, "test", false).unwrap();
        let theirs = create(&conn, u.id, "test", false).unwrap();
        assert_eq!(delete_others(&conn, u.id, &mine).unwrap(), 2);
        assert!(lookup(&conn, &mine, true).unwrap().is_ok());
        assert_eq!(lookup(&conn, &theirs, true).unwrap(), Err(Invalid::Unknown));
        let _ = other;
    }
}
