//! Users, passwords, sessions, roles and permissions, second factors, vendor accounts,
//! the security settings, the audit log and the server's TLS certificate.
//!
//! No default password exists anywhere: a database without users only allows creating
//! the first admin. This module decides who someone is and what they may do; the API
//! applies it to every request.

pub mod audit;
pub mod display;
pub mod mfa;
pub mod password;
pub mod policy;
pub mod prefs;
pub mod review;
pub mod roles;
pub mod sessions;
pub mod throttle;
pub mod tls;
pub mod users;
pub mod vendor;

pub use roles::{Permission, Role};
pub use users::User;

use rusqlite::Connection;

use audit::{Actor, AuditEntry};
use throttle::{NAME_LIMIT, SOURCE_LIMIT};

/// Failed logins for one username within [`LOCKOUT_WINDOW_MS`] after which passwords
/// alone are no longer checked for it until the window passes.
pub const LOCKOUT_FAILURES: i64 = NAME_LIMIT;
pub const LOCKOUT_WINDOW_MS: i64 = throttle::WINDOW_MS;

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown user, wrong password, disabled or expired account all look the same from
    /// outside.
    #[error("wrong username or password")]
    BadCredentials,
    #[error(
        "too many failed logins for this user; wait 15 minutes, log in with your second factor, or ask the admin"
    )]
    TooManyAttempts,
    #[error("too many failed logins from this address; wait 15 minutes")]
    TooManyFromHere,
    /// The password was right; the account needs its second factor too.
    #[error("enter the code from your authenticator app, or a recovery code")]
    MfaRequired,
    #[error("the code is wrong or was already used; type the current code from the app")]
    BadCode,
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// A login attempt that passed the limits and was charged: what the password check
/// needs next.
pub struct Attempt {
    name_key: String,
    /// The account, with its password hash, when the name is one.
    found: Option<(User, String)>,
    client: String,
}

fn anonymous(client: &str) -> Actor {
    Actor {
        id: None,
        name: "(not logged in)".to_string(),
        client: client.to_string(),
    }
}

/// The account name as the audit log may show it: the account's own name, never an
/// unknown name as typed.
fn shown(found: &Option<(User, String)>) -> String {
    found
        .as_ref()
        .map_or("(unknown name)".to_string(), |(u, _)| u.username.clone())
}

/// First half of a login, before any password is hashed: looks the name up, charges
/// the attempt to the name and the client address (atomically, so parallel attempts
/// cannot slip under the limit), and refuses a name or address over its limit. A name
/// over its limit is still checked when a second factor comes with it and the account
/// has one, so nobody can lock an admin out.
pub fn begin_login(
    conn: &Connection,
    username: &str,
    code_given: bool,
    client: &str,
    now: i64,
) -> Result<Attempt, LoginError> {
    let name_key = throttle::name_key(conn, username)?;
    let found = if users::plausible_username(username) {
        users::by_username(conn, username)?
    } else {
        None
    };
    let charged = throttle::charge(conn, &name_key, client, now)?;
    if charged.source > SOURCE_LIMIT {
        if charged.source == SOURCE_LIMIT + 1 {
            audit::record(
                conn,
                &AuditEntry::new(
                    &anonymous(client),
                    "login.refused",
                    client,
                    "too many failed logins from this address; refused for the rest of the 15 minutes",
                ),
            )?;
        }
        return Err(LoginError::TooManyFromHere);
    }
    let second_factor = code_given && found.as_ref().is_some_and(|(u, _)| u.mfa_enabled);
    if charged.name > NAME_LIMIT && !second_factor {
        if charged.name == NAME_LIMIT + 1 {
            audit::record(
                conn,
                &AuditEntry::new(
                    &anonymous(client),
                    "login.locked",
                    &shown(&found),
                    "too many failed logins; passwords alone are refused for the rest of the 15 minutes",
                ),
            )?;
        }
        return Err(LoginError::TooManyAttempts);
    }
    Ok(Attempt {
        name_key,
        found,
        client: client.to_string(),
    })
}

/// Gives an attempt's charge back without checking it (the server was too busy).
pub fn cancel_login(conn: &Connection, attempt: &Attempt, now: i64) -> rusqlite::Result<()> {
    throttle::refund(conn, &attempt.name_key, &attempt.client, now)
}

/// Second half of a login: checks the password (against a real hash even for an
/// unknown name, so timing does not tell which names exist) and the second factor, and
/// starts a session. The first failure of a name from an address in a window is
/// audited; the rest are counted. A success gives its charge back.
pub fn finish_login(
    conn: &Connection,
    attempt: Attempt,
    password: &str,
    code: Option<&str>,
    now: i64,
) -> Result<(User, String), LoginError> {
    let client = attempt.client.as_str();
    let ok = match &attempt.found {
        Some((user, hash)) => {
            password::verify(hash, password) && !user.disabled && !user.expired(now)
        }
        None => {
            password::verify(dummy_hash(), password);
            false
        }
    };
    // The audit log gets the first failure per account and address in a window, and
    // for names that are no account one row per address, whatever the names.
    let audit_key = if attempt.found.is_some() {
        attempt.name_key.as_str()
    } else {
        "unknown-name"
    };
    let fail = |detail: &str| -> Result<(), LoginError> {
        if throttle::first_failure(conn, audit_key, client, now)? {
            audit::record(
                conn,
                &AuditEntry::new(
                    &anonymous(client),
                    "login.failed",
                    &shown(&attempt.found),
                    detail,
                ),
            )?;
        }
        Ok(())
    };
    let user = match (&attempt.found, ok) {
        (Some((user, _)), true) => user.clone(),
        _ => {
            fail(
                "wrong name or password; further failures of this name from this address in the next 15 minutes are counted, not listed",
            )?;
            return Err(LoginError::BadCredentials);
        }
    };
    let mut factor = None;
    if user.mfa_enabled {
        let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
            throttle::refund(conn, &attempt.name_key, client, now)?;
            return Err(LoginError::MfaRequired);
        };
        factor = mfa::check(conn, user.id, &user.username, code, now)?;
        if factor.is_none() {
            fail("right password, wrong second factor")?;
            return Err(LoginError::BadCode);
        }
    }
    throttle::refund(conn, &attempt.name_key, client, now)?;
    let token = sessions::create(conn, user.id, client, factor.is_some())?;
    let actor = Actor {
        id: Some(user.id),
        name: user.username.clone(),
        client: client.to_string(),
    };
    let how = match factor {
        Some(mfa::Factor::Totp) => "with a second factor",
        Some(mfa::Factor::Recovery) => "with a recovery code",
        None => "",
    };
    audit::record(conn, &AuditEntry::new(&actor, "login", &user.username, how))?;
    Ok((user, token))
}

/// Checks a username and password (and code) and starts a session, in one go (the
/// command line and tests; the API takes the two halves with the hashing limit between
/// them).
pub fn login(
    conn: &Connection,
    username: &str,
    password: &str,
    code: Option<&str>,
    client: &str,
) -> Result<(User, String), LoginError> {
    let now = crate::sample::now_ms();
    let attempt = begin_login(conn, username, code.is_some(), client, now)?;
    finish_login(conn, attempt, password, code, now)
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| password::hash("plantlog timing equaliser"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::users::NewUser;

    /// [`login`] at a given time: every attempt of a test falls into one counting
    /// window, whenever the test runs (with the clock, a run that crosses a window's
    /// boundary started counting again and failed).
    fn login_at(
        conn: &Connection,
        username: &str,
        password: &str,
        code: Option<&str>,
        client: &str,
        now: i64,
    ) -> Result<(User, String), LoginError> {
        let attempt = begin_login(conn, username, code.is_some(), client, now)?;
        finish_login(conn, attempt, password, code, now)
    }

    #[test]
    fn a_locked_name_still_logs_in_with_its_second_factor() {
        let mut conn = crate::store::memory();
        let u = users::create(
            &mut conn,
            &NewUser {
                username: "Boss",
                display_name: "Boss",
                role: Role::Admin,
                password: "the chief said so, twice",
                must_change_password: false,
            },
            &Actor::command_line(),
        )
        .unwrap();
        let e = mfa::start(&conn, u.id, "Boss").unwrap();
        let now = crate::sample::now_ms();
        mfa::confirm(
            &conn,
            u.id,
            "Boss",
            &mfa::code_at(&e.secret, now - 30_000).unwrap(),
            now,
        )
        .unwrap();
        for i in 0..NAME_LIMIT {
            let r = login_at(
                &conn,
                if i % 2 == 0 { "boss" } else { "BOSS" },
                "guess",
                None,
                "10.0.0.66",
                now,
            );
            assert!(matches!(r, Err(LoginError::BadCredentials)), "{r:?}");
        }
        // Locked for passwords alone, whatever the case, even the right one.
        let r = login_at(
            &conn,
            "bOsS",
            "the chief said so, twice",
            None,
            "10.0.0.5",
            now,
        );
        assert!(matches!(r, Err(LoginError::TooManyAttempts)), "{r:?}");
        // The right password alone says a code is needed; with the code it logs in.
        let code = mfa::code_at(&e.secret, now).unwrap();
        let (user, _) = login_at(
            &conn,
            "boss",
            "the chief said so, twice",
            Some(&code),
            "10.0.0.5",
            now,
        )
        .unwrap();
        assert_eq!(user.id, u.id);
        let audit: Vec<String> = audit::list(&conn, 100, None)
            .unwrap()
            .into_iter()
            .map(|e| format!("{} {}", e.action, e.target))
            .collect();
        // One failure row per address, one lock row; never a row per attempt.
        assert_eq!(
            audit
                .iter()
                .filter(|a| a.starts_with("login.failed"))
                .count(),
            1,
            "{audit:?}"
        );
        assert!(
            audit.contains(&"login.locked Boss".to_string()),
            "{audit:?}"
        );
        assert!(audit[0].starts_with("login Boss"), "{audit:?}");
    }

    #[test]
    fn one_address_cannot_try_more_than_its_limit() {
        let conn = crate::store::memory();
        let now = crate::sample::now_ms();
        for i in 0..SOURCE_LIMIT {
            let r = login_at(&conn, &format!("name{i}"), "guess", None, "10.0.0.66", now);
            assert!(matches!(r, Err(LoginError::BadCredentials)));
        }
        let r = login_at(&conn, "another", "guess", None, "10.0.0.66", now);
        assert!(matches!(r, Err(LoginError::TooManyFromHere)));
        let r = login_at(&conn, "another", "guess", None, "10.0.0.67", now);
        assert!(matches!(r, Err(LoginError::BadCredentials)));
        let names: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit WHERE target LIKE 'name%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(names, 0, "unknown names are never stored");
    }
}
