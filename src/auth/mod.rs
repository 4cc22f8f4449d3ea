//! Users, passwords, sessions, roles and permissions, and the audit log.
//!
//! No default password exists anywhere: a database without users only allows creating
//! the first admin. This module decides who someone is and what they may do; the API
//! applies it to every request.

pub mod audit;
pub mod display;
pub mod password;
pub mod roles;
pub mod sessions;
pub mod users;

pub use roles::{Permission, Role};
pub use users::User;

use rusqlite::Connection;

use audit::{Actor, AuditEntry};

/// Failed logins for one username within [`LOCKOUT_WINDOW_MS`] after which further
/// attempts are refused until the window passes.
pub const LOCKOUT_FAILURES: i64 = 10;
pub const LOCKOUT_WINDOW_MS: i64 = 15 * 60 * 1000;

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown user, wrong password and disabled account all look the same from
    /// outside.
    #[error("wrong username or password")]
    BadCredentials,
    #[error("too many failed logins for this user; wait 15 minutes or ask the admin")]
    TooManyAttempts,
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// Checks a username and password and starts a session. Success and failure are
/// audited.
pub fn login(
    conn: &Connection,
    username: &str,
    password: &str,
    client: &str,
) -> Result<(User, String), LoginError> {
    let failures: i64 = conn.query_row(
        "SELECT count(*) FROM audit WHERE action = 'login.failed' AND target = ?1 AND ts > ?2",
        (username, crate::sample::now_ms() - LOCKOUT_WINDOW_MS),
        |r| r.get(0),
    )?;
    let anonymous = Actor {
        id: None,
        name: username.to_string(),
        client: client.to_string(),
    };
    if failures >= LOCKOUT_FAILURES {
        audit::record(
            conn,
            &AuditEntry::new(
                &anonymous,
                "login.refused",
                username,
                "too many failed logins",
            ),
        )?;
        return Err(LoginError::TooManyAttempts);
    }
    let found = users::by_username(conn, username)?;
    // Verify against a real hash even for an unknown user, so timing does not tell
    // which usernames exist.
    let (ok, user) = match found {
        Some((user, hash)) => (
            password::verify(&hash, password) && !user.disabled,
            Some(user),
        ),
        None => {
            password::verify(dummy_hash(), password);
            (false, None)
        }
    };
    match user {
        Some(user) if ok => {
            let token = sessions::create(conn, user.id, client)?;
            let actor = Actor {
                id: Some(user.id),
                name: user.username.clone(),
                client: client.to_string(),
            };
            audit::record(conn, &AuditEntry::new(&actor, "login", &user.username, ""))?;
            Ok((user, token))
        }
        _ => {
            audit::record(
                conn,
                &AuditEntry::new(&anonymous, "login.failed", username, ""),
            )?;
            Err(LoginError::BadCredentials)
        }
    }
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| password::hash("plantlog timing equaliser"))
}
