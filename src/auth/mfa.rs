//! The second factor: time-based one-time codes (TOTP, RFC 6238: SHA-1, 6 digits, 30 s,
//! one step of clock skew either way, as every authenticator app reads them) and ten
//! recovery codes. A user enrols by scanning a QR code (or typing the secret), proves it
//! with a code, and gets the recovery codes once. A code is accepted once only (its
//! time step must be newer than the last accepted), a recovery code once ever.
//!
//! The TOTP secret is kept in the database (the server must read it to check codes); the
//! data folder is readable only by Plantlog's account. Recovery codes are kept as
//! SHA-256 hashes: they are random and long, so a plain hash is enough.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};

/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Plantlog";

/// What the user scans or types to enrol.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Enrolment {
    /// The secret in base32, for typing into an app by hand.
    pub secret: String,
    /// The `otpauth://` address the QR code holds.
    pub otpauth_url: String,
    /// The QR code as an SVG image.
    pub qr_svg: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MfaError {
    #[error("start the enrolment first")]
    NotStarted,
    #[error("the code is wrong or was already used; type the current code from the app")]
    WrongCode,
    #[error("the second factor is required for your role; it cannot be switched off")]
    Required,
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

fn totp(secret_b32: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_b32).ok()?;
    Builder::new()
        .with_secret(secret.as_ref().to_vec())
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// An SVG of the QR code of `text`, black modules on white with a quiet zone.
pub fn qr_svg(text: &str) -> String {
    let qr = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium)
        .expect("an otpauth address fits a QR code");
    let n = qr.size();
    let border = 4;
    let mut path = String::new();
    for y in 0..n {
        for x in 0..n {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let dim = n + 2 * border;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {dim} {dim}\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    )
}

/// Starts (or restarts) an enrolment: a new secret, kept as pending until confirmed.
pub fn start(conn: &Connection, user_id: i64, username: &str) -> rusqlite::Result<Enrolment> {
    let secret = Secret::generate().to_base32();
    conn.execute(
        "UPDATE users SET mfa_pending = ?1 WHERE id = ?2",
        (&secret, user_id),
    )?;
    let url = totp(&secret, username)
        .and_then(|t| t.to_url().ok())
        .expect("a generated secret builds a TOTP");
    Ok(Enrolment {
        qr_svg: qr_svg(&url),
        otpauth_url: url,
        secret,
    })
}

fn code_hash(code: &str) -> Vec<u8> {
    let norm: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Sha256::digest(norm.as_bytes()).to_vec()
}

fn recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let pick = || ALPHABET[rand::random_range(0..ALPHABET.len())] as char;
    let a: String = (0..5).map(|_| pick()).collect();
    let b: String = (0..5).map(|_| pick()).collect();
    format!("{a}-{b}")
}

/// The time step `code` belongs to, if it is a valid code of `secret` now (one step of
/// skew either way).
fn step_of(secret: &str, username: &str, code: &str, now_ms: i64) -> Option<i64> {
    let t = totp(secret, username)?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    t.check(&code, (now_ms.max(0) / 1000) as u64)
        .map(|s| s as i64)
}

/// Confirms the pending enrolment with a code from the app; the second factor is on
/// from now, and the new recovery codes (shown once) are returned.
pub fn confirm(
    conn: &Connection,
    user_id: i64,
    username: &str,
    code: &str,
    now_ms: i64,
) -> Result<Vec<String>, MfaError> {
    let pending: Option<String> = conn
        .query_row(
            "SELECT mfa_pending FROM users WHERE id = ?1",
            [user_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let pending = pending.ok_or(MfaError::NotStarted)?;
    let step = step_of(&pending, username, code, now_ms).ok_or(MfaError::WrongCode)?;
    conn.execute(
        "UPDATE users SET mfa_secret = mfa_pending, mfa_pending = NULL, mfa_last_step = ?1,
             mfa_enabled_at = ?2 WHERE id = ?3",
        (step, now_ms, user_id),
    )?;
    conn.execute("DELETE FROM mfa_recovery WHERE user_id = ?1", [user_id])?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
    for c in &codes {
        conn.execute(
            "INSERT INTO mfa_recovery (user_id, code_hash) VALUES (?1, ?2)",
            (user_id, code_hash(c)),
        )?;
    }
    Ok(codes)
}

/// Which second factor was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    Totp,
    Recovery,
}

/// Checks a code at login: a TOTP code newer than the last accepted one, or an unused
/// recovery code (used up by this). `None` when it is neither.
pub fn check(
    conn: &Connection,
    user_id: i64,
    username: &str,
    code: &str,
    now_ms: i64,
) -> rusqlite::Result<Option<Factor>> {
    let row: Option<(Option<String>, i64)> = conn
        .query_row(
            "SELECT mfa_secret, mfa_last_step FROM users WHERE id = ?1",
            [user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((Some(secret), last_step)) = row else {
        return Ok(None);
    };
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        if let Some(step) = step_of(&secret, username, &digits, now_ms)
            && step > last_step
        {
            // Only one login can take a step, even two at once.
            let took = conn.execute(
                "UPDATE users SET mfa_last_step = ?1 WHERE id = ?2 AND mfa_last_step < ?1",
                (step, user_id),
            )?;
            if took == 1 {
                return Ok(Some(Factor::Totp));
            }
        }
        return Ok(None);
    }
    let used = conn.execute(
        "UPDATE mfa_recovery SET used_at = ?1 WHERE user_id = ?2 AND code_hash = ?3 AND used_at IS NULL",
        (now_ms, user_id, code_hash(code)),
    )?;
    Ok((used == 1).then_some(Factor::Recovery))
}

/// Recovery codes not used yet.
pub fn recovery_left(conn: &Connection, user_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM mfa_recovery WHERE user_id = ?1 AND used_at IS NULL",
        [user_id],
        |r| r.get(0),
    )
}

/// Switches the second factor off (the admin resetting a lost phone, or the user
/// where their role does not require it).
pub fn remove(conn: &Connection, user_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE users SET mfa_secret = NULL, mfa_pending = NULL, mfa_enabled_at = NULL WHERE id = ?1",
        [user_id],
    )?;
    conn.execute("DELETE FROM mfa_recovery WHERE user_id = ?1", [user_id])?;
    Ok(())
}

/// The current code of a base32 secret (for tests and the command line's check).
pub fn code_at(secret: &str, now_ms: i64) -> Option<String> {
    let t = totp(secret, "user")?;
    Some(t.generate((now_ms.max(0) / 1000) as u64).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::audit::Actor;
    use crate::auth::roles::Role;
    use crate::auth::users::{self, NewUser};

    #[test]
    fn enrol_confirm_and_each_code_once() {
        let mut conn = crate::store::memory();
        let u = users::create(
            &mut conn,
            &NewUser {
                username: "boss",
                display_name: "Boss",
                role: Role::Admin,
                password: "a long password here",
                must_change_password: false,
            },
            &Actor::command_line(),
        )
        .unwrap();
        let now = 1_800_000_000_000;
        assert!(matches!(
            confirm(&conn, u.id, "boss", "123456", now),
            Err(MfaError::NotStarted)
        ));
        let e = start(&conn, u.id, "boss").unwrap();
        assert!(e.otpauth_url.starts_with("otpauth://totp/Plantlog:boss?"));
        assert!(e.qr_svg.starts_with("<svg") && e.qr_svg.contains("<path"));
        assert!(
            matches!(
                confirm(&conn, u.id, "boss", "000000", now),
                Err(MfaError::WrongCode)
            ) || code_at(&e.secret, now).as_deref() == Some("000000")
        );
        let codes = confirm(&conn, u.id, "boss", &code_at(&e.secret, now).unwrap(), now).unwrap();
        assert_eq!(codes.len(), RECOVERY_CODES);
        // The code that confirmed cannot log in; the next step's can, once.
        assert_eq!(
            check(&conn, u.id, "boss", &code_at(&e.secret, now).unwrap(), now).unwrap(),
            None
        );
        let next = code_at(&e.secret, now + 30_000).unwrap();
        assert_eq!(
            check(&conn, u.id, "boss", &next, now + 30_000).unwrap(),
            Some(Factor::Totp)
        );
        assert_eq!(
            check(&conn, u.id, "boss", &next, now + 30_000).unwrap(),
            None
        );
        // A recovery code works once, typed any way.
        let rc = codes[3].to_uppercase().replace('-', " ");
        assert_eq!(
            check(&conn, u.id, "boss", &rc, now).unwrap(),
            Some(Factor::Recovery)
        );
        assert_eq!(check(&conn, u.id, "boss", &codes[3], now).unwrap(), None);
        assert_eq!(recovery_left(&conn, u.id).unwrap(), 9);
        remove(&conn, u.id).unwrap();
        assert_eq!(check(&conn, u.id, "boss", &codes[4], now).unwrap(), None);
    }
}
