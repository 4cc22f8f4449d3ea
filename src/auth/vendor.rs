//! Vendor accounts: time-limited accounts for people from outside (a machine builder's
//! technician), ending at a set date and time at most 30 days ahead, and scoped to
//! chosen machines and pages: they see only those machines' data, devices and lines,
//! and only the pages given (the plant views always; device diagnostics and
//! commissioning reads when chosen; never configuration, users or the audit log).
//! Every request of a vendor session is audited, and the UI shows a banner while one is
//! logged in.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::audit::{self, Actor, AuditEntry};
use super::password;
use super::roles::{Permission, Role};
use super::users::{self, NewUser, User, UserError};

/// The longest a vendor account may last.
pub const MAX_DAYS: i64 = 30;
const DAY_MS: i64 = 86_400_000;
/// The pages (permissions) a vendor account can be given.
pub const PERMISSIONS: [Permission; 3] = [
    Permission::ViewPlant,
    Permission::ViewDevices,
    Permission::Commission,
];

/// What a vendor account may see, and until when.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct VendorScope {
    pub company: String,
    pub expires_ms: i64,
    /// Keys of the machines it may see.
    pub machines: Vec<String>,
    /// The pages it may use.
    pub permissions: Vec<Permission>,
}

/// A vendor account to create, as the admin fills in the form.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewVendor {
    pub username: String,
    pub display_name: String,
    pub company: String,
    /// A first password; the vendor chooses their own at the first login.
    pub password: String,
    pub expires_ms: i64,
    pub machines: Vec<String>,
    pub permissions: Vec<Permission>,
}

/// A change to a vendor account: a new end, machines or pages.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
pub struct VendorChange {
    pub expires_ms: Option<i64>,
    pub machines: Option<Vec<String>>,
    pub permissions: Option<Vec<Permission>>,
}

/// A vendor account with its scope, for the admin's list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct VendorAccount {
    pub user: User,
    pub scope: VendorScope,
}

#[derive(Debug, thiserror::Error)]
pub enum VendorError {
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("no such vendor account")]
    NotFound,
    #[error(transparent)]
    User(#[from] UserError),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

fn invalid(field: &'static str, message: impl Into<String>) -> VendorError {
    VendorError::Invalid {
        field,
        message: message.into(),
    }
}

/// The scope of vendor account `user_id`, None for the plant's own accounts.
pub fn scope(conn: &Connection, user_id: i64) -> rusqlite::Result<Option<VendorScope>> {
    let head: Option<(String, i64)> = conn
        .query_row(
            "SELECT vendor_company, expires_at FROM users WHERE id = ?1 AND vendor_company IS NOT NULL",
            [user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok();
    let Some((company, expires_ms)) = head else {
        return Ok(None);
    };
    let mut stmt =
        conn.prepare_cached("SELECT kind, key FROM vendor_scope WHERE user_id = ?1 ORDER BY key")?;
    let rows: Vec<(String, String)> = stmt
        .query_map([user_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(Some(VendorScope {
        company,
        expires_ms,
        machines: rows
            .iter()
            .filter(|(k, _)| k == "machine")
            .map(|(_, v)| v.clone())
            .collect(),
        permissions: PERMISSIONS
            .into_iter()
            .filter(|p| rows.iter().any(|(k, v)| k == "permission" && v == p.name()))
            .collect(),
    }))
}

/// Checks an end time and a scope against the rules; returns them tidied (plant views
/// always given, machines once each).
fn check_scope(
    expires_ms: i64,
    machines: &[String],
    permissions: &[Permission],
    known_machines: &[String],
    now: i64,
) -> Result<(Vec<String>, Vec<Permission>), VendorError> {
    if expires_ms <= now + 60_000 {
        return Err(invalid("expires_ms", "the account must end in the future"));
    }
    if expires_ms > now + MAX_DAYS * DAY_MS {
        return Err(invalid(
            "expires_ms",
            format!("a vendor account lasts at most {MAX_DAYS} days; choose an earlier end"),
        ));
    }
    let mut ms: Vec<String> = machines.iter().map(|m| m.trim().to_string()).collect();
    ms.sort();
    ms.dedup();
    if ms.is_empty() {
        return Err(invalid("machines", "choose at least one machine"));
    }
    if let Some(m) = ms.iter().find(|m| !known_machines.contains(m)) {
        return Err(invalid("machines", format!("there is no machine \"{m}\"")));
    }
    if let Some(p) = permissions.iter().find(|p| !PERMISSIONS.contains(p)) {
        return Err(invalid(
            "permissions",
            format!(
                "a vendor account cannot have \"{}\"; choose from view_plant, view_devices, commission",
                p.name()
            ),
        ));
    }
    let ps: Vec<Permission> = PERMISSIONS
        .into_iter()
        .filter(|p| *p == Permission::ViewPlant || permissions.contains(p))
        .collect();
    Ok((ms, ps))
}

fn write_scope(
    conn: &Connection,
    user_id: i64,
    machines: &[String],
    permissions: &[Permission],
) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM vendor_scope WHERE user_id = ?1", [user_id])?;
    for m in machines {
        conn.execute(
            "INSERT INTO vendor_scope (user_id, kind, key) VALUES (?1, 'machine', ?2)",
            (user_id, m),
        )?;
    }
    for p in permissions {
        conn.execute(
            "INSERT INTO vendor_scope (user_id, kind, key) VALUES (?1, 'permission', ?2)",
            (user_id, p.name()),
        )?;
    }
    Ok(())
}

fn describe(expires_ms: i64, machines: &[String], permissions: &[Permission]) -> String {
    let end = jiff::Timestamp::from_millisecond(expires_ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    let pages: Vec<&str> = permissions.iter().map(|p| p.name()).collect();
    format!(
        "until {end}; machines {}; pages {}",
        machines.join(", "),
        pages.join(", ")
    )
}

/// Creates a vendor account (audited as `vendor.create`); they choose their own
/// password at the first login.
pub fn create(
    conn: &mut Connection,
    new: &NewVendor,
    known_machines: &[String],
    actor: &Actor,
    now: i64,
) -> Result<User, VendorError> {
    let company = new.company.trim();
    if company.is_empty() {
        return Err(invalid("company", "give the vendor's company"));
    }
    let (machines, permissions) = check_scope(
        new.expires_ms,
        &new.machines,
        &new.permissions,
        known_machines,
        now,
    )?;
    let user = NewUser {
        username: new.username.trim(),
        display_name: &new.display_name,
        role: Role::Operator,
        password: &new.password,
        must_change_password: true,
    };
    users::check_new(conn, &user)?;
    let hash = password::hash(&new.password);
    let tx = crate::store::write_tx(conn)?;
    let created = users::insert(&tx, &user, &hash, actor, "user.create")?;
    tx.execute(
        "UPDATE users SET vendor_company = ?1, expires_at = ?2 WHERE id = ?3",
        (company, new.expires_ms, created.id),
    )?;
    write_scope(&tx, created.id, &machines, &permissions)?;
    audit::record(
        &tx,
        &AuditEntry::new(
            actor,
            "vendor.create",
            &created.username,
            &format!(
                "{company}; {}",
                describe(new.expires_ms, &machines, &permissions)
            ),
        ),
    )?;
    let user = users::get(&tx, created.id)?;
    tx.commit()?;
    Ok(user)
}

/// Changes a vendor account's end or scope (audited as `vendor.update`); its sessions
/// end, so the new scope applies at once.
pub fn update(
    conn: &mut Connection,
    id: i64,
    change: &VendorChange,
    known_machines: &[String],
    actor: &Actor,
    now: i64,
) -> Result<User, VendorError> {
    let tx = crate::store::write_tx(conn)?;
    let old = scope(&tx, id)?.ok_or(VendorError::NotFound)?;
    let (machines, permissions) = check_scope(
        change.expires_ms.unwrap_or(old.expires_ms),
        change.machines.as_ref().unwrap_or(&old.machines),
        change.permissions.as_ref().unwrap_or(&old.permissions),
        known_machines,
        now,
    )?;
    let expires = change.expires_ms.unwrap_or(old.expires_ms);
    tx.execute(
        "UPDATE users SET expires_at = ?1, updated_at = ?2 WHERE id = ?3",
        (expires, now, id),
    )?;
    write_scope(&tx, id, &machines, &permissions)?;
    tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
    let user = users::get(&tx, id)?;
    audit::record(
        &tx,
        &AuditEntry::new(
            actor,
            "vendor.update",
            &user.username,
            &describe(expires, &machines, &permissions),
        ),
    )?;
    tx.commit()?;
    Ok(user)
}

/// Every vendor account with its scope, newest first.
pub fn list(conn: &Connection) -> Result<Vec<VendorAccount>, VendorError> {
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare(
            "SELECT id FROM users WHERE vendor_company IS NOT NULL ORDER BY created_at DESC",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    let mut out = Vec::new();
    for id in ids {
        if let Some(scope) = scope(conn, id)? {
            out.push(VendorAccount {
                user: users::get(conn, id)?,
                scope,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(expires_ms: i64) -> NewVendor {
        NewVendor {
            username: "acme-tech".into(),
            display_name: "Ann from ACME".into(),
            company: "ACME Presses".into(),
            password: "a long first password".into(),
            expires_ms,
            machines: vec!["press-2".into(), "press-1".into(), "press-1".into()],
            permissions: vec![Permission::ViewDevices],
        }
    }

    #[test]
    fn scoped_time_limited_and_audited() {
        let mut conn = crate::store::memory();
        let known = vec![
            "press-1".to_string(),
            "press-2".to_string(),
            "cnc-1".to_string(),
        ];
        let now = 1_800_000_000_000;
        let actor = Actor::command_line();
        let too_long = create(&mut conn, &new(now + 31 * DAY_MS), &known, &actor, now);
        assert!(matches!(
            too_long,
            Err(VendorError::Invalid {
                field: "expires_ms",
                ..
            })
        ));
        let mut unknown = new(now + DAY_MS);
        unknown.machines.push("press-9".into());
        assert!(matches!(
            create(&mut conn, &unknown, &known, &actor, now),
            Err(VendorError::Invalid {
                field: "machines",
                ..
            })
        ));
        let mut admin_page = new(now + DAY_MS);
        admin_page.permissions.push(Permission::ManageUsers);
        assert!(matches!(
            create(&mut conn, &admin_page, &known, &actor, now),
            Err(VendorError::Invalid {
                field: "permissions",
                ..
            })
        ));
        let u = create(&mut conn, &new(now + 2 * DAY_MS), &known, &actor, now).unwrap();
        assert!(u.is_vendor() && u.must_change_password);
        assert!(!u.expired(now) && u.expired(now + 2 * DAY_MS));
        let s = scope(&conn, u.id).unwrap().unwrap();
        assert_eq!(s.machines, vec!["press-1", "press-2"]);
        assert_eq!(
            s.permissions,
            vec![Permission::ViewPlant, Permission::ViewDevices]
        );
        let change = VendorChange {
            machines: Some(vec!["cnc-1".into()]),
            ..Default::default()
        };
        update(&mut conn, u.id, &change, &known, &actor, now).unwrap();
        assert_eq!(scope(&conn, u.id).unwrap().unwrap().machines, vec!["cnc-1"]);
        let actions: Vec<String> = audit::list(&conn, 10, None)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions,
            vec!["vendor.update", "vendor.create", "user.create"]
        );
        assert_eq!(list(&conn).unwrap().len(), 1);
    }
}
