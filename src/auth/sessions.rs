//! Login sessions. The browser holds a random 256-bit token in an HttpOnly,
//! SameSite=Strict cookie; the database holds only its SHA-256, so a copy of the
//! database cannot be used to log in. A session ends at logout, after the idle
//! timeout, or when the admin disables the user, changes their role or resets their
//! password.

use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::users::{self, User};
use crate::sample::now_ms;

/// Name of the session cookie.
pub const COOKIE: &str = "plantlog_session";
/// Idle timeout unless the admin sets `session_idle_timeout_s`.
pub const DEFAULT_IDLE_TIMEOUT_S: i64 = 30 * 60;
/// `last_seen_at` is written at most this often per session.
const TOUCH_EVERY_MS: i64 = 15_000;

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Starts a session; returns the token for the cookie.
pub fn create(conn: &Connection, user_id: i64, client: &str) -> rusqlite::Result<String> {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let token = hex::encode(bytes);
    let now = now_ms();
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client)
         VALUES (?1, ?2, ?3, ?3, ?4)",
        (token_hash(&token), user_id, now, client),
    )?;
    conn.execute(
        "UPDATE users SET last_login_at = ?1 WHERE id = ?2",
        (now, user_id),
    )?;
    Ok(token)
}

/// The idle timeout in seconds, from settings.
pub fn idle_timeout_s(conn: &Connection) -> rusqlite::Result<i64> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'session_idle_timeout_s'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok())
        .filter(|v: &i64| *v > 0)
        .unwrap_or(DEFAULT_IDLE_TIMEOUT_S))
}

/// Why a token does not give a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// No such session: never was, or logged out.
    Unknown,
    /// It was idle for too long; it is deleted now.
    Expired,
}

/// The user of a live session. `touch` counts this request as activity (live streams
/// do not, so an unattended screen still times out).
pub fn lookup(
    conn: &Connection,
    token: &str,
    touch: bool,
) -> rusqlite::Result<Result<User, Invalid>> {
    let hash = token_hash(token);
    let row: Option<(i64, i64)> = conn
        .query_row(
            "SELECT user_id, last_seen_at FROM sessions WHERE token_hash = ?1",
            [&hash],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((user_id, last_seen)) = row else {
        return Ok(Err(Invalid::Unknown));
    };
    let now = now_ms();
    if now - last_seen > idle_timeout_s(conn)? * 1000 {
        conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
        return Ok(Err(Invalid::Expired));
    }
    let user = match users::get(conn, user_id) {
        Ok(u) if !u.disabled => u,
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
    Ok(Ok(user))
}

pub fn delete(conn: &Connection, token: &str) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM sessions WHERE token_hash = ?1",
        [token_hash(token)],
    )?;
    Ok(())
}

/// Removes sessions idle for longer than the timeout.
pub fn purge_expired(conn: &Connection) -> rusqlite::Result<usize> {
    let cutoff = now_ms() - idle_timeout_s(conn)? * 1000;
    conn.execute("DELETE FROM sessions WHERE last_seen_at < ?1", [cutoff])
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
        let token = create(&conn, u.id, "test").unwrap();
        assert_eq!(lookup(&conn, &token, true).unwrap().unwrap().id, u.id);
        conn.execute("UPDATE sessions SET last_seen_at = 0", [])
            .unwrap();
        assert_eq!(lookup(&conn, &token, true).unwrap(), Err(Invalid::Expired));
        assert_eq!(lookup(&conn, &token, true).unwrap(), Err(Invalid::Unknown));
    }
}
