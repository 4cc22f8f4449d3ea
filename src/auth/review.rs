//! The access review: every account with its role (or vendor scope and end), what it
//! may do, its last login, its second factor, its sessions, and accounts unused for 90
//! days suggested for disabling; with the rules in force (password, lockout, sessions)
//! and the audit chain's state. A page for the admin, and a CSV report of the same.

use rusqlite::Connection;
use serde::Serialize;

use super::audit::{self, ChainReport};
use super::policy::{self, SecuritySettings};
use super::roles::Permission;
use super::users::{self, User};
use super::{mfa, password, sessions, throttle, vendor};

/// Days without a login after which an account is suggested for disabling.
pub const UNUSED_DAYS: i64 = 90;
const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AccountReview {
    pub user: User,
    /// What the account may do (a vendor's pages, or the role's permissions).
    pub permissions: Vec<Permission>,
    pub mfa_required: bool,
    pub recovery_codes_left: i64,
    /// Sessions open now.
    pub sessions: i64,
    /// Whole days since the last login (or since creation, never logged in).
    pub unused_days: i64,
    /// Why the review suggests disabling it, if it does.
    pub suggestion: Option<String>,
    pub vendor: Option<vendor::VendorScope>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LockoutRules {
    pub name_failures: i64,
    pub address_failures: i64,
    pub window_minutes: i64,
    /// Failed logins in the last 24 hours, and names locked meanwhile.
    pub failures_24h: i64,
    pub locked_24h: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AccessReview {
    pub generated_ms: i64,
    pub accounts: Vec<AccountReview>,
    pub settings: SecuritySettings,
    pub lockout: LockoutRules,
    /// Passwords on the shipped list of common and breached ones.
    pub common_passwords: usize,
    pub audit_chain: ChainReport,
}

/// The review as of `now`.
pub fn build(conn: &Connection, now: i64) -> rusqlite::Result<AccessReview> {
    let settings = policy::load(conn)?;
    let open = sessions::count_by_user(conn)?;
    let mut accounts = Vec::new();
    for user in users::list(conn)? {
        let scope = vendor::scope(conn, user.id)?;
        let permissions = match &scope {
            Some(s) => s.permissions.clone(),
            None => settings.permissions(user.role),
        };
        let since = user.last_login_ms.unwrap_or(user.created_ms);
        let unused_days = ((now - since) / DAY_MS).max(0);
        let suggestion = if user.disabled {
            None
        } else if user.expired(now) {
            Some("the vendor account has ended; disable it".to_string())
        } else if unused_days >= UNUSED_DAYS {
            Some(match user.last_login_ms {
                Some(_) => {
                    format!("no login for {unused_days} days; disable it if it is not needed")
                }
                None => format!("never used in {unused_days} days; disable it if it is not needed"),
            })
        } else {
            None
        };
        accounts.push(AccountReview {
            mfa_required: settings.mfa_required(user.role, user.is_vendor()),
            recovery_codes_left: if user.mfa_enabled {
                mfa::recovery_left(conn, user.id)?
            } else {
                0
            },
            sessions: open.get(&user.id).copied().unwrap_or(0),
            permissions,
            unused_days,
            suggestion,
            vendor: scope,
            user,
        });
    }
    let (locked_24h, failures_24h) = throttle::summary(conn, now)?;
    Ok(AccessReview {
        generated_ms: now,
        accounts,
        lockout: LockoutRules {
            name_failures: throttle::NAME_LIMIT,
            address_failures: throttle::SOURCE_LIMIT,
            window_minutes: throttle::WINDOW_MS / 60_000,
            failures_24h,
            locked_24h,
        },
        settings,
        common_passwords: password::common_list_len(),
        audit_chain: audit::verify(conn)?,
    })
}

fn time(ms: Option<i64>) -> String {
    ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// The review as a CSV report: one line per account (text cells safe for
/// spreadsheets).
pub fn csv(review: &AccessReview) -> Result<Vec<u8>, csv::Error> {
    use crate::store::export::safe_cell;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "username",
        "display_name",
        "kind",
        "role",
        "permissions",
        "disabled",
        "created_utc",
        "last_login_utc",
        "unused_days",
        "mfa_enabled",
        "mfa_required",
        "sessions",
        "vendor_company",
        "vendor_machines",
        "expires_utc",
        "suggestion",
    ])?;
    for a in &review.accounts {
        let u = &a.user;
        let perms: Vec<&str> = a.permissions.iter().map(|p| p.name()).collect();
        w.write_record([
            safe_cell(&u.username).as_ref(),
            safe_cell(&u.display_name).as_ref(),
            if u.is_vendor() { "vendor" } else { "person" },
            u.role.name(),
            &perms.join(" "),
            &u.disabled.to_string(),
            &time(Some(u.created_ms)),
            &time(u.last_login_ms),
            &a.unused_days.to_string(),
            &u.mfa_enabled.to_string(),
            &a.mfa_required.to_string(),
            &a.sessions.to_string(),
            safe_cell(u.vendor_company.as_deref().unwrap_or("")).as_ref(),
            safe_cell(
                &a.vendor
                    .as_ref()
                    .map(|v| v.machines.join(" "))
                    .unwrap_or_default(),
            )
            .as_ref(),
            &time(u.expires_ms),
            safe_cell(a.suggestion.as_deref().unwrap_or("")).as_ref(),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::audit::Actor;
    use crate::auth::roles::Role;
    use crate::auth::users::NewUser;

    #[test]
    fn unused_accounts_are_suggested_for_disabling() {
        let mut conn = crate::store::memory();
        let mk = |conn: &mut Connection, name: &str, role| {
            users::create(
                conn,
                &NewUser {
                    username: name,
                    display_name: "=cmd|' /C calc'!A0",
                    role,
                    password: "a long enough password",
                    must_change_password: false,
                },
                &Actor::command_line(),
            )
            .unwrap()
        };
        let boss = mk(&mut conn, "boss", Role::Admin);
        let old = mk(&mut conn, "old-timer", Role::Operator);
        let now = crate::sample::now_ms();
        conn.execute(
            "UPDATE users SET created_at = ?1, last_login_at = ?2 WHERE id = ?3",
            (now - 400 * DAY_MS, now - 120 * DAY_MS, old.id),
        )
        .unwrap();
        conn.execute(
            "UPDATE users SET last_login_at = ?1 WHERE id = ?2",
            (now, boss.id),
        )
        .unwrap();
        let r = build(&conn, now).unwrap();
        let by = |n: &str| r.accounts.iter().find(|a| a.user.username == n).unwrap();
        assert!(by("boss").suggestion.is_none() && by("boss").mfa_required);
        assert_eq!(by("old-timer").unused_days, 120);
        assert!(
            by("old-timer")
                .suggestion
                .as_ref()
                .unwrap()
                .contains("120 days")
        );
        assert!(r.audit_chain.broken.is_none());
        let text = String::from_utf8(csv(&r).unwrap()).unwrap();
        assert!(text.contains("'=cmd"), "{text}");
        assert_eq!(text.lines().count(), 3);
    }
}
