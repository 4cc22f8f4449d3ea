//! The security settings the admin chooses: session idle timeout and absolute lifetime,
//! which roles must use a second factor (admin always), the shortest password, the host
//! names the server answers to besides its addresses, the floor below which the
//! audit log's retention needs a typed confirmation, and the grants beyond the role
//! matrix: which other roles may run reports (operators none unless listed) and which
//! may write exports to removable drives (admin always). Stored in `settings`, each with
//! its bounds; a change is described in words for the audit log.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::password::{DEFAULT_MIN_CHARS, MIN_CHARS_RANGE};
use super::roles::{Permission, Role};

pub const DEFAULT_IDLE_TIMEOUT_S: i64 = 30 * 60;
pub const IDLE_TIMEOUT_RANGE: std::ops::RangeInclusive<i64> = 60..=24 * 3600;
pub const DEFAULT_MAX_AGE_S: i64 = 12 * 3600;
pub const MAX_AGE_RANGE: std::ops::RangeInclusive<i64> = 3600..=7 * 24 * 3600;
pub const DEFAULT_AUDIT_FLOOR_DAYS: u32 = 365;
pub const AUDIT_FLOOR_RANGE: std::ops::RangeInclusive<u32> = 30..=36_500;
/// What the admin types to go below the audit floor (or to lower the floor).
pub const AUDIT_CONFIRM_TEXT: &str = "shorten the audit log";
const MAX_HOSTS: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SecuritySettings {
    /// Seconds without activity after which a session ends.
    pub idle_timeout_s: i64,
    /// Seconds after login after which a session ends whatever its activity.
    pub session_max_age_s: i64,
    /// Roles that must use a second factor; admin is always among them.
    pub mfa_roles: Vec<Role>,
    /// Whether vendor accounts must use a second factor.
    pub mfa_vendors: bool,
    /// The shortest password accepted.
    pub password_min_chars: u32,
    /// DNS names (besides this PC's name and any IP address) the server answers to.
    pub allowed_hosts: Vec<String>,
    /// The audit log's retention cannot go below this many days without the typed
    /// confirmation.
    pub audit_floor_days: u32,
    /// Roles the admin allows to run every report (and download it), beyond those whose
    /// role runs them (supervisor, management, admin; quality, maintenance and stores
    /// the tag report). Operators run none unless listed here.
    #[serde(default)]
    pub report_roles: Vec<Role>,
    /// Roles that may write exports to removable drives (USB sticks); admin always.
    #[serde(default = "admin_only")]
    pub removable_roles: Vec<Role>,
}

fn admin_only() -> Vec<Role> {
    vec![Role::Admin]
}

impl Default for SecuritySettings {
    fn default() -> Self {
        SecuritySettings {
            idle_timeout_s: DEFAULT_IDLE_TIMEOUT_S,
            session_max_age_s: DEFAULT_MAX_AGE_S,
            mfa_roles: vec![Role::Admin],
            mfa_vendors: false,
            password_min_chars: DEFAULT_MIN_CHARS as u32,
            allowed_hosts: Vec::new(),
            audit_floor_days: DEFAULT_AUDIT_FLOOR_DAYS,
            report_roles: Vec::new(),
            removable_roles: admin_only(),
        }
    }
}

impl SecuritySettings {
    /// What a (non-vendor) user of `role` may do: the role's permissions and the
    /// admin's grants.
    pub fn permissions(&self, role: Role) -> Vec<Permission> {
        let mut p = role.permissions();
        let mut grant = |g: Permission| {
            if !p.contains(&g) {
                p.push(g);
            }
        };
        if self.report_roles.contains(&role) {
            grant(Permission::RunReports);
            grant(Permission::RunDataReports);
        }
        if self.removable_roles.contains(&role) {
            grant(Permission::WriteRemovable);
        }
        p.sort_by_key(|x| Permission::ALL.iter().position(|a| a == x));
        p
    }

    /// Whether a user of `role` (a vendor account when `vendor`) must use a second
    /// factor.
    pub fn mfa_required(&self, role: Role, vendor: bool) -> bool {
        role == Role::Admin
            || (vendor && self.mfa_vendors)
            || (!vendor && self.mfa_roles.contains(&role))
    }
}

/// Why a settings change was refused; `field` names the setting.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error(
        "lowering the audit floor needs the typed confirmation \"{AUDIT_CONFIRM_TEXT}\" (it is recorded)"
    )]
    ConfirmRequired,
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
}

fn put(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )?;
    Ok(())
}

/// The stored settings, defaults for what was never set (and for values out of bounds).
pub fn load(conn: &Connection) -> rusqlite::Result<SecuritySettings> {
    let d = SecuritySettings::default();
    let num = |key: &str| -> rusqlite::Result<Option<i64>> {
        Ok(get(conn, key)?.and_then(|v| v.parse().ok()))
    };
    let list = |key: &str| -> rusqlite::Result<Option<Vec<String>>> {
        Ok(get(conn, key)?.map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        }))
    };
    let mut mfa_roles: Vec<Role> = list("mfa_roles")?
        .map(|l| l.iter().filter_map(|r| Role::parse(r)).collect())
        .unwrap_or(d.mfa_roles.clone());
    if !mfa_roles.contains(&Role::Admin) {
        mfa_roles.push(Role::Admin);
    }
    let roles = |key: &str, d: Vec<Role>| -> rusqlite::Result<Vec<Role>> {
        Ok(list(key)?
            .map(|l| l.iter().filter_map(|r| Role::parse(r)).collect())
            .unwrap_or(d))
    };
    let report_roles = roles("report_roles", d.report_roles.clone())?;
    let mut removable_roles = roles("removable_roles", d.removable_roles.clone())?;
    if !removable_roles.contains(&Role::Admin) {
        removable_roles.push(Role::Admin);
    }
    Ok(SecuritySettings {
        report_roles,
        removable_roles,
        idle_timeout_s: num("session_idle_timeout_s")?
            .filter(|v| IDLE_TIMEOUT_RANGE.contains(v))
            .unwrap_or(d.idle_timeout_s),
        session_max_age_s: num("session_max_age_s")?
            .filter(|v| MAX_AGE_RANGE.contains(v))
            .unwrap_or(d.session_max_age_s),
        mfa_roles,
        mfa_vendors: get(conn, "mfa_vendors")?.is_some_and(|v| v == "true"),
        password_min_chars: num("password_min_chars")?
            .filter(|v| MIN_CHARS_RANGE.contains(&(*v as usize)))
            .map_or(d.password_min_chars, |v| v as u32),
        allowed_hosts: list("allowed_hosts")?.unwrap_or_default(),
        audit_floor_days: num("audit_floor_days")?
            .filter(|v| AUDIT_FLOOR_RANGE.contains(&(*v as u32)))
            .map_or(d.audit_floor_days, |v| v as u32),
    })
}

fn invalid(field: &'static str, message: String) -> PolicyError {
    PolicyError::Invalid { field, message }
}

/// A host name as the admin may list it: letters, digits, '-' and '.', 1 to 253.
fn valid_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
        })
}

/// Checks `new` against its bounds and stores it; returns the change in words (for the
/// audit log), empty when nothing changed.
pub fn store(
    conn: &Connection,
    new: &SecuritySettings,
    confirm_text: Option<&str>,
) -> Result<String, PolicyError> {
    let old = load(conn)?;
    let mut new = new.clone();
    if !IDLE_TIMEOUT_RANGE.contains(&new.idle_timeout_s) {
        return Err(invalid(
            "idle_timeout_s",
            format!(
                "the idle timeout must be {} to {} seconds (1 minute to 24 hours)",
                IDLE_TIMEOUT_RANGE.start(),
                IDLE_TIMEOUT_RANGE.end()
            ),
        ));
    }
    if !MAX_AGE_RANGE.contains(&new.session_max_age_s) {
        return Err(invalid(
            "session_max_age_s",
            format!(
                "a session's lifetime must be {} to {} seconds (1 hour to 7 days)",
                MAX_AGE_RANGE.start(),
                MAX_AGE_RANGE.end()
            ),
        ));
    }
    if new.session_max_age_s < new.idle_timeout_s {
        return Err(invalid(
            "session_max_age_s",
            "a session's lifetime must not be shorter than the idle timeout".to_string(),
        ));
    }
    if !MIN_CHARS_RANGE.contains(&(new.password_min_chars as usize)) {
        return Err(invalid(
            "password_min_chars",
            format!(
                "the shortest password must be {} to {} characters",
                MIN_CHARS_RANGE.start(),
                MIN_CHARS_RANGE.end()
            ),
        ));
    }
    if !AUDIT_FLOOR_RANGE.contains(&new.audit_floor_days) {
        return Err(invalid(
            "audit_floor_days",
            format!(
                "the audit floor must be {} to {} days",
                AUDIT_FLOOR_RANGE.start(),
                AUDIT_FLOOR_RANGE.end()
            ),
        ));
    }
    if new.audit_floor_days < old.audit_floor_days && confirm_text != Some(AUDIT_CONFIRM_TEXT) {
        return Err(PolicyError::ConfirmRequired);
    }
    new.allowed_hosts = new
        .allowed_hosts
        .iter()
        .map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    new.allowed_hosts.dedup();
    if new.allowed_hosts.len() > MAX_HOSTS {
        return Err(invalid(
            "allowed_hosts",
            format!("list at most {MAX_HOSTS} host names"),
        ));
    }
    if let Some(bad) = new.allowed_hosts.iter().find(|h| !valid_host(h)) {
        return Err(invalid(
            "allowed_hosts",
            format!(
                "\"{bad}\" is not a host name; use letters, digits, '-' and '.', as in plant-pc.example.local"
            ),
        ));
    }
    if !new.mfa_roles.contains(&Role::Admin) {
        new.mfa_roles.push(Role::Admin);
    }
    new.mfa_roles.sort_by_key(|r| r.name());
    new.mfa_roles.dedup();
    if !new.removable_roles.contains(&Role::Admin) {
        new.removable_roles.push(Role::Admin);
    }
    for l in [&mut new.report_roles, &mut new.removable_roles] {
        l.sort_by_key(|r| r.name());
        l.dedup();
    }

    put(
        conn,
        "session_idle_timeout_s",
        &new.idle_timeout_s.to_string(),
    )?;
    put(
        conn,
        "session_max_age_s",
        &new.session_max_age_s.to_string(),
    )?;
    let roles: Vec<&str> = new.mfa_roles.iter().map(|r| r.name()).collect();
    put(conn, "mfa_roles", &roles.join(","))?;
    put(
        conn,
        "mfa_vendors",
        if new.mfa_vendors { "true" } else { "false" },
    )?;
    put(
        conn,
        "password_min_chars",
        &new.password_min_chars.to_string(),
    )?;
    put(conn, "allowed_hosts", &new.allowed_hosts.join(","))?;
    put(conn, "audit_floor_days", &new.audit_floor_days.to_string())?;
    for (key, l) in [
        ("report_roles", &new.report_roles),
        ("removable_roles", &new.removable_roles),
    ] {
        let names: Vec<&str> = l.iter().map(|r| r.name()).collect();
        put(conn, key, &names.join(","))?;
    }

    let mut changes = Vec::new();
    let mut say = |what: &str, a: String, b: String| {
        if a != b {
            changes.push(format!("{what} {a} -> {b}"));
        }
    };
    say(
        "idle timeout (s)",
        old.idle_timeout_s.to_string(),
        new.idle_timeout_s.to_string(),
    );
    say(
        "session lifetime (s)",
        old.session_max_age_s.to_string(),
        new.session_max_age_s.to_string(),
    );
    let names = |l: &[Role]| {
        let mut v: Vec<&str> = l.iter().map(|r| r.name()).collect();
        v.sort();
        v.join(",")
    };
    say(
        "second factor for",
        names(&old.mfa_roles),
        names(&new.mfa_roles),
    );
    say(
        "second factor for vendors",
        old.mfa_vendors.to_string(),
        new.mfa_vendors.to_string(),
    );
    say(
        "shortest password",
        old.password_min_chars.to_string(),
        new.password_min_chars.to_string(),
    );
    say(
        "allowed hosts",
        old.allowed_hosts.join(","),
        new.allowed_hosts.join(","),
    );
    say(
        "audit floor (days)",
        old.audit_floor_days.to_string(),
        new.audit_floor_days.to_string(),
    );
    let none = |s: String| {
        if s.is_empty() {
            "nobody".to_string()
        } else {
            s
        }
    };
    say(
        "reports also run by",
        none(names(&old.report_roles)),
        none(names(&new.report_roles)),
    );
    say(
        "removable drives written by",
        names(&old.removable_roles),
        names(&new.removable_roles),
    );
    Ok(changes.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_defaults_and_admin_always_needs_a_second_factor() {
        let conn = crate::store::memory();
        assert_eq!(load(&conn).unwrap(), SecuritySettings::default());
        let mut s = SecuritySettings {
            mfa_roles: vec![Role::Maintenance],
            ..Default::default()
        };
        let said = store(&conn, &s, None).unwrap();
        assert!(
            said.contains("second factor for admin -> admin,maintenance"),
            "{said}"
        );
        let now = load(&conn).unwrap();
        assert!(now.mfa_required(Role::Admin, false) && now.mfa_required(Role::Maintenance, false));
        assert!(
            !now.mfa_required(Role::Operator, false) && !now.mfa_required(Role::Operator, true)
        );
        s.idle_timeout_s = 10;
        assert!(matches!(
            store(&conn, &s, None),
            Err(PolicyError::Invalid {
                field: "idle_timeout_s",
                ..
            })
        ));
        s.idle_timeout_s = 600;
        s.allowed_hosts = vec!["Plant-PC.local.".into(), "bad host".into()];
        assert!(matches!(
            store(&conn, &s, None),
            Err(PolicyError::Invalid {
                field: "allowed_hosts",
                ..
            })
        ));
        s.allowed_hosts.pop();
        store(&conn, &s, None).unwrap();
        assert_eq!(load(&conn).unwrap().allowed_hosts, vec!["plant-pc.local"]);
        s.audit_floor_days = 90;
        assert!(matches!(
            store(&conn, &s, None),
            Err(PolicyError::ConfirmRequired)
        ));
        store(&conn, &s, Some(AUDIT_CONFIRM_TEXT)).unwrap();
        assert_eq!(load(&conn).unwrap().audit_floor_days, 90);
    }
}
