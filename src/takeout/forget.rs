//! Deletion on request (issue 17, item 3), planned first, then done, audited and
//! followed by VACUUM so the space returns and nothing deleted stays in a free page:
//!
//! - a person: the account is kept as a stable pseudonym ("former-user-ID"), the sign-in
//!   secrets, sessions, recovery codes and e-mail address are removed, and the name,
//!   display name and e-mail address are replaced by the pseudonym wherever text holds
//!   them (audit log, alarm events, entries, queued mail...). What they did stays, under
//!   the pseudonym;
//! - a tag's whole history (samples, blocks, rollups).
//!
//! The audit log is append-only and chained (src/auth/audit.rs): the records that named
//! the person are rewritten with the pseudonym and the chain is re-linked from the first
//! of them, inside the same transaction; the append-only trigger is lifted for that
//! transaction only. A record of the anonymisation follows, naming the records
//! rewritten and the chain head before and after, so the chain verifies and the rewrite
//! is on it. With `secure_delete` on, SQLite zeroes what it frees; VACUUM rebuilds the
//! file and a truncating checkpoint empties the WAL, so the name is in neither file.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::auth::audit::{self, Actor, AuditEntry};
use crate::sample::TagId;

#[derive(Debug, thiserror::Error)]
pub enum ForgetError {
    #[error("no user named {0}; `plantlog users list` shows them")]
    NoUser(String),
    #[error("no tag {0}")]
    NoTag(String),
    #[error("no machine {0}; its key is in the configuration")]
    NoMachine(String),
    #[error("{0} is the account doing this; another admin must remove your data")]
    Yourself(String),
    #[error("{0} is already anonymised")]
    Already(String),
    #[error("the plan changed since it was made ({0}); plan again and confirm what it shows")]
    Changed(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Rows of one table that hold the person's name.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Holding {
    pub table: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub rows: i64,
}

/// What forgetting a person would do.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct UserPlan {
    #[cfg_attr(test, ts(type = "number"))]
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub pseudonym: String,
    /// Per table, rows whose text names them (the audit log's among them).
    pub holdings: Vec<Holding>,
    /// Audit records that name them (rewritten) and that they did (kept, under the
    /// pseudonym).
    #[cfg_attr(test, ts(type = "number"))]
    pub audit_records: i64,
    #[cfg_attr(test, ts(type = "number"))]
    pub sessions: i64,
}

/// What forgetting did.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Forgotten {
    pub pseudonym: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub rows_changed: i64,
    #[cfg_attr(test, ts(type = "number"))]
    pub audit_rewritten: i64,
    pub chain_head_before: String,
    pub chain_head_after: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes_before: i64,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes_after: i64,
}

pub fn pseudonym(user_id: i64) -> String {
    format!("former-user-{user_id}")
}

/// Tables whose content is samples or rollups (numbers; never a name), skipped.
fn numeric(table: &str) -> bool {
    matches!(
        table,
        "samples_hot" | "blocks" | "blocks_fresh" | "rollup_1m" | "rollup_1h" | "production_hours"
    )
}

/// The plant's configuration, not what people did: a name there is a role or a word of
/// the configuration ("operator" in an alarm's roles), never a person's entry, and
/// rewriting it would change the running configuration.
fn configuration(table: &str) -> bool {
    matches!(
        table,
        "config_versions"
            | "machines"
            | "devices"
            | "tags"
            | "alarms"
            | "reasons"
            | "settings"
            | "report_schedules"
            | "backup_targets"
            | "mail_settings"
            | "sync_state"
            | "ideal_cycles"
            | "audit_anchor"
    )
}

/// The declared text columns of the database's tables (the audit log's included).
fn text_columns(conn: &Connection) -> rusqlite::Result<Vec<(String, Vec<String>)>> {
    let mut out = Vec::new();
    for t in super::schema::tables(conn)? {
        if numeric(&t) || configuration(&t) {
            continue;
        }
        let cols: Vec<String> = super::schema::columns(conn, &t)?
            .into_iter()
            .filter(|(_, kind)| kind.to_ascii_uppercase().contains("TEXT"))
            .map(|(c, _)| c)
            .collect();
        if !cols.is_empty() {
            out.push((t, cols));
        }
    }
    Ok(out)
}

/// The strings that identify the person: name, display name, e-mail addresses.
fn identities(
    conn: &Connection,
    user_id: i64,
    username: &str,
    display: &str,
) -> rusqlite::Result<Vec<String>> {
    let mut v = vec![username.to_string(), display.to_string()];
    let email: Option<String> = conn
        .query_row(
            "SELECT email FROM user_emails WHERE user_id = ?1",
            [user_id],
            |r| r.get(0),
        )
        .optional()
        .unwrap_or(None);
    v.extend(email);
    v.retain(|s| s.trim().len() >= 2);
    // Longest first, so "Anna Berg" is replaced before "Anna".
    v.sort_by_key(|s| std::cmp::Reverse(s.len()));
    v.dedup();
    Ok(v)
}

fn where_named(cols: &[String], n: usize) -> String {
    let mut parts = Vec::new();
    for c in cols {
        for i in 1..=n {
            parts.push(format!("instr(\"{c}\", ?{i}) > 0"));
        }
    }
    parts.join(" OR ")
}

pub fn plan_user(conn: &Connection, username: &str) -> Result<UserPlan, ForgetError> {
    let (user_id, username, display_name): (i64, String, String) = conn
        .query_row(
            "SELECT id, username, display_name FROM users WHERE username = ?1",
            [username],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or_else(|| ForgetError::NoUser(username.to_string()))?;
    let pseudo = pseudonym(user_id);
    if username == pseudo {
        return Err(ForgetError::Already(username));
    }
    let names = identities(conn, user_id, &username, &display_name)?;
    let mut holdings = Vec::new();
    for (t, cols) in text_columns(conn)? {
        let sql = format!(
            "SELECT count(*) FROM \"{t}\" WHERE {}",
            where_named(&cols, names.len())
        );
        let n: i64 =
            conn.query_row(&sql, rusqlite::params_from_iter(names.iter()), |r| r.get(0))?;
        if n > 0 {
            holdings.push(Holding { table: t, rows: n });
        }
    }
    let audit_records: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM audit WHERE actor_id = ?{} OR {}",
            names.len() + 1,
            where_named(
                &["actor".into(), "target".into(), "detail".into()],
                names.len()
            )
        ),
        rusqlite::params_from_iter(
            names
                .iter()
                .map(|s| rusqlite::types::Value::Text(s.clone()))
                .chain([rusqlite::types::Value::Integer(user_id)]),
        ),
        |r| r.get(0),
    )?;
    let sessions = conn.query_row(
        "SELECT count(*) FROM sessions WHERE user_id = ?1",
        [user_id],
        |r| r.get(0),
    )?;
    Ok(UserPlan {
        user_id,
        username,
        display_name,
        pseudonym: pseudo,
        holdings,
        audit_records,
        sessions,
    })
}

fn replace_all(mut s: String, names: &[String], pseudo: &str) -> String {
    for n in names {
        if s.contains(n.as_str()) {
            s = s.replace(n.as_str(), pseudo);
        }
    }
    s
}

/// Forgets the person of `plan` (made by [`plan_user`] and confirmed): see the module's
/// comment. `actor` is who asks; they cannot forget themselves.
pub fn forget_user(
    conn: &mut Connection,
    plan: &UserPlan,
    actor: &Actor,
) -> Result<Forgotten, ForgetError> {
    if actor.id == Some(plan.user_id) {
        return Err(ForgetError::Yourself(plan.username.clone()));
    }
    let bytes_before = file_bytes(conn)?;
    conn.pragma_update(None, "secure_delete", true)?;
    let result = forget_in(conn, plan, actor);
    let done = match result {
        Ok(d) => d,
        Err(e) => {
            let _ = conn.pragma_update(None, "secure_delete", false);
            return Err(e);
        }
    };
    compact(conn)?;
    let _ = conn.pragma_update(None, "secure_delete", false);
    Ok(Forgotten {
        bytes_before,
        bytes_after: file_bytes(conn)?,
        ..done
    })
}

fn forget_in(
    conn: &mut Connection,
    plan: &UserPlan,
    actor: &Actor,
) -> Result<Forgotten, ForgetError> {
    let tx = crate::store::write_tx(conn)?;
    let now = plan_user(&tx, &plan.username)?;
    if now.user_id != plan.user_id || now.display_name != plan.display_name {
        return Err(ForgetError::Changed(format!(
            "{} is another account now",
            plan.username
        )));
    }
    let names = identities(&tx, plan.user_id, &plan.username, &plan.display_name)?;
    let pseudo = plan.pseudonym.clone();
    let head_before = audit::verify(&tx)?.head;

    // The account: kept as the pseudonym, unable to sign in, its secrets gone.
    tx.execute(
        "UPDATE users SET username = ?2, display_name = ?2, password_hash = '!', disabled = 1, \
         mfa_secret = NULL, mfa_pending = NULL, vendor_company = NULL, updated_at = ?3 WHERE id = ?1",
        params![plan.user_id, pseudo, crate::sample::now_ms()],
    )?;
    let mut rows_changed = 1i64;
    for sql in [
        "DELETE FROM sessions WHERE user_id = ?1",
        "DELETE FROM mfa_recovery WHERE user_id = ?1",
        "DELETE FROM user_emails WHERE user_id = ?1",
    ] {
        rows_changed += tx.execute(sql, [plan.user_id])? as i64;
    }

    // Every other text that names them.
    for (t, cols) in text_columns(&tx)? {
        if t == "audit" || t == "users" {
            continue;
        }
        for c in &cols {
            for n in &names {
                rows_changed += tx.execute(
                    &format!("UPDATE \"{t}\" SET \"{c}\" = replace(\"{c}\", ?1, ?2) WHERE instr(\"{c}\", ?1) > 0"),
                    params![n, pseudo],
                )? as i64;
            }
        }
    }

    // The audit log: rewritten from the first record that names them, re-linked.
    let first: Option<i64> = tx.query_row(
        &format!(
            "SELECT min(id) FROM audit WHERE {}",
            where_named(
                &[
                    "actor".into(),
                    "target".into(),
                    "detail".into(),
                    "client".into()
                ],
                names.len()
            )
        ),
        rusqlite::params_from_iter(names.iter()),
        |r| r.get(0),
    )?;
    let mut audit_rewritten = 0i64;
    if let Some(first) = first {
        let triggers: Vec<(String, String)> = {
            let mut s = tx.prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit' AND name = 'audit_append_only_update'",
            )?;
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        for (name, _) in &triggers {
            tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
        }
        let mut prev: Vec<u8> = tx
            .query_row(
                "SELECT hash FROM audit WHERE id < ?1 ORDER BY id DESC LIMIT 1",
                [first],
                |r| r.get(0),
            )
            .optional()?
            .or_else(|| {
                tx.query_row("SELECT hash FROM audit_anchor WHERE id = 1", [], |r| {
                    r.get(0)
                })
                .optional()
                .ok()
                .flatten()
            })
            .unwrap_or_else(|| vec![0u8; 32]);
        let records: Vec<AuditEntry> = {
            let mut s = tx.prepare(
                "SELECT id, ts, actor_id, actor, action, target, detail, client FROM audit WHERE id >= ?1 ORDER BY id",
            )?;
            s.query_map([first], |r| {
                Ok(AuditEntry {
                    id: r.get(0)?,
                    ts: r.get(1)?,
                    actor_id: r.get(2)?,
                    actor: r.get(3)?,
                    action: r.get(4)?,
                    target: r.get(5)?,
                    detail: r.get(6)?,
                    client: r.get(7)?,
                })
            })?
            .collect::<Result<_, _>>()?
        };
        let mut up = tx.prepare(
            "UPDATE audit SET actor = ?2, target = ?3, detail = ?4, client = ?5, hash = ?6 WHERE id = ?1",
        )?;
        for mut e in records {
            let before = (
                e.actor.clone(),
                e.target.clone(),
                e.detail.clone(),
                e.client.clone(),
            );
            e.actor = replace_all(e.actor, &names, &pseudo);
            e.target = replace_all(e.target, &names, &pseudo);
            e.detail = replace_all(e.detail, &names, &pseudo);
            e.client = replace_all(e.client, &names, &pseudo);
            if (
                e.actor.clone(),
                e.target.clone(),
                e.detail.clone(),
                e.client.clone(),
            ) != before
            {
                audit_rewritten += 1;
            }
            let hash = audit::link_hash(&prev, &e);
            up.execute(params![e.id, e.actor, e.target, e.detail, e.client, hash])?;
            prev = hash;
        }
        drop(up);
        for (_, sql) in &triggers {
            tx.execute_batch(sql)?;
        }
    }
    let head_mid = audit::verify(&tx)?.head;
    audit::record(
        &tx,
        &AuditEntry::new(
            actor,
            "user.anonymise",
            &pseudo,
            &format!(
                "personal data removed on request: {rows_changed} rows changed, {audit_rewritten} audit records from {} rewritten with the pseudonym and re-linked; chain head before {head_before}, after the rewrite {head_mid}",
                first.map_or("none".to_string(), |f| format!("#{f}"))
            ),
        ),
    )?;
    let report = audit::verify(&tx)?;
    if let Some(b) = report.broken {
        // Never leave a broken chain: nothing is changed.
        return Err(ForgetError::Changed(format!(
            "the audit chain would break at #{}: {}",
            b.id, b.reason
        )));
    }
    tx.commit()?;
    Ok(Forgotten {
        pseudonym: pseudo,
        rows_changed,
        audit_rewritten,
        chain_head_before: head_before,
        chain_head_after: report.head,
        bytes_before: 0,
        bytes_after: 0,
    })
}

/// What deleting a tag's history would remove.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TagPlan {
    #[cfg_attr(test, ts(type = "number"))]
    pub tag_id: TagId,
    pub name: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub samples: i64,
    #[cfg_attr(test, ts(type = "number"))]
    pub rollup_rows: i64,
}

pub fn plan_tag(conn: &Connection, tag: &str) -> Result<TagPlan, ForgetError> {
    let (tag_id, name): (i64, String) = conn
        .query_row(
            "SELECT t.id, d.key || '/' || t.name FROM tags t JOIN devices d ON d.id = t.device_id \
             WHERE CAST(t.id AS TEXT) = ?1 OR d.key || '/' || t.name = ?1 OR d.name || '/' || t.name = ?1",
            [tag],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| ForgetError::NoTag(tag.to_string()))?;
    let samples: i64 = conn.query_row(
        "SELECT (SELECT coalesce(sum(n), 0) FROM blocks WHERE tag_id = ?1) + \
         (SELECT coalesce(sum(n), 0) FROM blocks_fresh WHERE tag_id = ?1)",
        [tag_id],
        |r| r.get::<_, i64>(0),
    )? + crate::store::hot::of_tags(conn, &[tag_id])?.len() as i64;
    let rollup_rows: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM rollup_1m WHERE tag_id = ?1) + (SELECT count(*) FROM rollup_1h WHERE tag_id = ?1)",
        [tag_id],
        |r| r.get(0),
    )?;
    Ok(TagPlan {
        tag_id,
        name,
        samples,
        rollup_rows,
    })
}

/// Deletes a tag's whole history (the tag stays configured; it records on from now).
pub fn forget_tag(
    conn: &mut Connection,
    plan: &TagPlan,
    actor: &Actor,
) -> Result<i64, ForgetError> {
    let tx = crate::store::write_tx(conn)?;
    let mut n = crate::store::hot::delete_tags(&tx, &[plan.tag_id])?;
    for t in ["blocks", "blocks_fresh", "rollup_1m", "rollup_1h"] {
        n += tx.execute(&format!("DELETE FROM {t} WHERE tag_id = ?1"), [plan.tag_id])? as i64;
    }
    audit::record(
        &tx,
        &AuditEntry::new(
            actor,
            "tag.history_deleted",
            &plan.name,
            &format!(
                "{} samples and {} rollup rows removed on request",
                plan.samples, plan.rollup_rows
            ),
        ),
    )?;
    tx.commit()?;
    compact(conn)?;
    Ok(n)
}

fn file_bytes(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
        [],
        |r| r.get(0),
    )
}

/// VACUUM (the file is rebuilt; free pages go), then the WAL checkpointed and
/// truncated. A checkpoint a reader holds back is retried for a few seconds.
pub fn compact(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("VACUUM")?;
    for _ in 0..50 {
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy == 0 {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Ok(())
}
