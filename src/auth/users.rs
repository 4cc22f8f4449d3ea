//! User accounts: create, list, change, passwords. Every change is audited in the same
//! transaction. The last enabled admin can be neither disabled nor demoted, so a plant
//! never locks itself out.

use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

use super::audit::{self, Actor, AuditEntry};
use super::password;
use super::roles::Role;
use crate::sample::now_ms;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub must_change_password: bool,
    pub created_ms: i64,
    pub last_login_ms: Option<i64>,
    /// Whether the user logs in with a second factor.
    pub mfa_enabled: bool,
    /// The company of a vendor account (None for the plant's own people).
    pub vendor_company: Option<String>,
    /// When a vendor account ends.
    pub expires_ms: Option<i64>,
}

impl User {
    /// Whether this is a vendor account.
    pub fn is_vendor(&self) -> bool {
        self.vendor_company.is_some()
    }

    /// Whether a vendor account has reached its end at `now`.
    pub fn expired(&self, now: i64) -> bool {
        self.expires_ms.is_some_and(|e| now >= e)
    }
}

/// Why a user change was refused. Each has a stable code for the API.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("the username \"{0}\" is taken; choose another")]
    UsernameTaken(String),
    #[error("\"{0}\" is not a usable username; use 1 to 64 letters, digits, '.', '-' or '_'")]
    InvalidUsername(String),
    #[error("{0}")]
    WeakPassword(password::Weak),
    #[error("the display name is empty; give the person's name")]
    EmptyName,
    #[error("this would leave no enabled admin; make another user admin first")]
    LastAdmin,
    #[error("no such user")]
    NotFound,
    #[error("users already exist; the first admin account is created only once")]
    SetupDone,
    #[error("choose a password different from the one you were given")]
    SamePassword,
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl UserError {
    pub fn code(&self) -> &'static str {
        match self {
            UserError::UsernameTaken(_) => "username_taken",
            UserError::InvalidUsername(_) => "invalid_username",
            UserError::WeakPassword(_) => "weak_password",
            UserError::EmptyName => "invalid_display_name",
            UserError::LastAdmin => "last_admin",
            UserError::NotFound => "not_found",
            UserError::SetupDone => "setup_done",
            UserError::SamePassword => "same_password",
            UserError::Sqlite(_) | UserError::Store(_) => "internal",
        }
    }
}

const COLUMNS: &str =
    "id, username, display_name, role, disabled, must_change_password, created_at,
     last_login_at, mfa_secret IS NOT NULL, vendor_company, expires_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(3)?;
    Ok(User {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        role: Role::parse(&role).unwrap_or(Role::Operator),
        disabled: r.get(4)?,
        must_change_password: r.get(5)?,
        created_ms: r.get(6)?,
        last_login_ms: r.get(7)?,
        mfa_enabled: r.get(8)?,
        vendor_company: r.get(9)?,
        expires_ms: r.get(10)?,
    })
}

pub fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<User>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM users ORDER BY username COLLATE NOCASE"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

pub fn get(conn: &Connection, id: i64) -> Result<User, UserError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM users WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(UserError::NotFound)
}

/// The user and their password hash, for logging in (names compare ignoring case).
pub fn by_username(conn: &Connection, username: &str) -> rusqlite::Result<Option<(User, String)>> {
    conn.query_row(
        &format!("SELECT {COLUMNS}, password_hash FROM users WHERE username = ?1"),
        [username.trim()],
        |r| Ok((from_row(r)?, r.get(11)?)),
    )
    .optional()
}

/// Whether `name` could be a username at all (checked before anything else at login,
/// so a megabyte typed into the name box costs nothing).
pub fn plausible_username(name: &str) -> bool {
    let name = name.trim();
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// The shortest password and the words a password must not be, for this database.
pub fn password_rule(conn: &Connection) -> rusqlite::Result<usize> {
    Ok(super::policy::load(conn)?.password_min_chars as usize)
}

fn check_password(conn: &Connection, username: &str, pw: &str) -> Result<(), UserError> {
    password::check(password_rule(conn)?, username, pw, &[]).map_err(UserError::WeakPassword)
}

fn check_username(username: &str) -> Result<(), UserError> {
    let ok = !username.is_empty()
        && username.len() <= 64
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(UserError::InvalidUsername(username.to_string()))
    }
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password: &'a str,
    pub must_change_password: bool,
}

/// Creates a user; audited as `user.create` (or `setup` for the first admin).
pub fn create(conn: &mut Connection, new: &NewUser<'_>, actor: &Actor) -> Result<User, UserError> {
    create_inner(conn, new, actor, false)
}

/// Creates the first admin, only while no user exists.
pub fn create_first_admin(
    conn: &mut Connection,
    new: &NewUser<'_>,
    client: &str,
) -> Result<User, UserError> {
    let actor = Actor {
        id: None,
        name: new.username.to_string(),
        client: client.to_string(),
    };
    create_inner(conn, new, &actor, true)
}

/// Checks a new user's name, display name and password before anything is written.
pub fn check_new(conn: &Connection, new: &NewUser<'_>) -> Result<(), UserError> {
    check_username(new.username)?;
    if new.display_name.trim().is_empty() {
        return Err(UserError::EmptyName);
    }
    check_password(conn, new.username, new.password)
}

fn create_inner(
    conn: &mut Connection,
    new: &NewUser<'_>,
    actor: &Actor,
    first: bool,
) -> Result<User, UserError> {
    check_new(conn, new)?;
    let hash = password::hash(new.password);
    let tx = crate::store::write_tx(conn)?;
    if first && count(&tx)? > 0 {
        return Err(UserError::SetupDone);
    }
    let user = insert(
        &tx,
        new,
        &hash,
        actor,
        if first { "setup" } else { "user.create" },
    )?;
    tx.commit()?;
    Ok(user)
}

/// Inserts a checked user with its password hash inside the caller's transaction,
/// audited as `action`.
pub fn insert(
    tx: &Connection,
    new: &NewUser<'_>,
    hash: &str,
    actor: &Actor,
    action: &str,
) -> Result<User, UserError> {
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE username = ?1)",
        [new.username],
        |r| r.get(0),
    )?;
    if taken {
        return Err(UserError::UsernameTaken(new.username.to_string()));
    }
    let now = now_ms();
    tx.execute(
        "INSERT INTO users (username, display_name, role, password_hash, must_change_password,
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        (
            new.username,
            new.display_name.trim(),
            new.role.name(),
            hash,
            new.must_change_password,
            now,
        ),
    )?;
    let id = tx.last_insert_rowid();
    audit::record(
        tx,
        &AuditEntry::new(
            actor,
            action,
            new.username,
            &format!("role {}", new.role.name()),
        ),
    )?;
    get(tx, id)
}

#[derive(Debug, Default, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
pub struct UserChange {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

/// Changes name, role or disabled state; audited as `user.update`. Disabling a user
/// ends their sessions.
pub fn update(
    conn: &mut Connection,
    id: i64,
    change: &UserChange,
    actor: &Actor,
) -> Result<User, UserError> {
    let tx = crate::store::write_tx(conn)?;
    let before = get(&tx, id)?;
    let mut after = before.clone();
    if let Some(name) = &change.display_name {
        if name.trim().is_empty() {
            return Err(UserError::EmptyName);
        }
        after.display_name = name.trim().to_string();
    }
    if let Some(role) = change.role {
        after.role = role;
    }
    if let Some(disabled) = change.disabled {
        after.disabled = disabled;
    }
    let was_admin = before.role == Role::Admin && !before.disabled;
    let is_admin = after.role == Role::Admin && !after.disabled;
    if was_admin && !is_admin {
        let admins: i64 = tx.query_row(
            "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0",
            [],
            |r| r.get(0),
        )?;
        if admins <= 1 {
            return Err(UserError::LastAdmin);
        }
    }
    tx.execute(
        "UPDATE users SET display_name = ?1, role = ?2, disabled = ?3, updated_at = ?4 WHERE id = ?5",
        (
            &after.display_name,
            after.role.name(),
            after.disabled,
            now_ms(),
            id,
        ),
    )?;
    if after.disabled || after.role != before.role {
        tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
    }
    let mut changes = Vec::new();
    if after.display_name != before.display_name {
        changes.push(format!("name \"{}\"", after.display_name));
    }
    if after.role != before.role {
        changes.push(format!(
            "role {} -> {}",
            before.role.name(),
            after.role.name()
        ));
    }
    if after.disabled != before.disabled {
        changes.push(
            if after.disabled {
                "disabled"
            } else {
                "enabled"
            }
            .to_string(),
        );
    }
    if !changes.is_empty() {
        audit::record(
            &tx,
            &AuditEntry::new(actor, "user.update", &before.username, &changes.join(", ")),
        )?;
    }
    let user = get(&tx, id)?;
    tx.commit()?;
    Ok(user)
}

/// Sets a password. By the admin (`reset`), the user must change it at next login and
/// their sessions end; by the user themselves, the flag clears.
pub fn set_password(
    conn: &mut Connection,
    id: i64,
    new_password: &str,
    reset: bool,
    actor: &Actor,
) -> Result<(), UserError> {
    let user = get(conn, id)?;
    check_password(conn, &user.username, new_password)?;
    let hash = password::hash(new_password);
    let tx = crate::store::write_tx(conn)?;
    tx.execute(
        "UPDATE users SET password_hash = ?1, must_change_password = ?2, updated_at = ?3 WHERE id = ?4",
        (&hash, reset, now_ms(), id),
    )?;
    let action = if reset {
        tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
        // A new password from the admin or the console lifts a lock on the name.
        let key = super::throttle::name_key(&tx, &user.username)?;
        super::throttle::clear_name(&tx, &key)?;
        "user.password_reset"
    } else {
        "user.password_change"
    };
    audit::record(&tx, &AuditEntry::new(actor, action, &user.username, ""))?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin_actor() -> Actor {
        Actor::command_line()
    }

    #[test]
    fn first_admin_only_once_and_last_admin_protected() {
        let mut conn = crate::store::memory();
        let new = NewUser {
            username: "boss",
            display_name: "The Boss",
            role: Role::Admin,
            password: "a long password",
            must_change_password: false,
        };
        let boss = create_first_admin(&mut conn, &new, "test").unwrap();
        assert!(matches!(
            create_first_admin(&mut conn, &new, "test"),
            Err(UserError::SetupDone)
        ));
        let change = UserChange {
            role: Some(Role::Operator),
            ..Default::default()
        };
        assert!(matches!(
            update(&mut conn, boss.id, &change, &admin_actor()),
            Err(UserError::LastAdmin)
        ));
        let actions: Vec<String> = audit::list(&conn, 10, None)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, vec!["setup"]);
    }

    #[test]
    fn usernames_are_unique_ignoring_case() {
        let mut conn = crate::store::memory();
        let mut new = NewUser {
            username: "Sam",
            display_name: "Sam",
            role: Role::Operator,
            password: "a long password",
            must_change_password: false,
        };
        create(&mut conn, &new, &admin_actor()).unwrap();
        new.username = "sam";
        assert!(matches!(
            create(&mut conn, &new, &admin_actor()),
            Err(UserError::UsernameTaken(_))
        ));
    }
}
