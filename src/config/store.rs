//! Configurations in SQLite: each import is a new row of `config_versions` (the newest
//! is the running plant), and the identity tables (machines, devices, tags) are kept in
//! step so that a tag keeps its id, and its history, across imports.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction};

use super::model::PlantConfig;
use super::plant::Plant;
use crate::auth::audit::{self, AuditEntry};
use crate::sample::now_ms;

/// What an import is based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The version the editor loaded: the import is refused when another version was
    /// stored since (two people editing at once).
    Version(i64),
    /// Replace whatever runs (a file imported at the console).
    Any,
}

/// One stored configuration version: who stored it and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct VersionInfo {
    pub version: i64,
    pub ts: i64,
    pub actor: String,
    /// What the version changed from the one before, in words (in the list of versions;
    /// empty elsewhere).
    pub changes: Vec<String>,
}

/// An edit based on a version that is no longer the running one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Conflict {
    pub base: i64,
    pub current: i64,
    /// The versions stored since `base`, oldest first.
    pub since: Vec<VersionInfo>,
    /// What they changed, from `base` to `current`, in words.
    pub changes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "the configuration was changed since you loaded it (version {}, now version {}{}); load it again and make your change on the new version",
        .0.base,
        .0.current,
        .0.since.last().map(|v| format!(", stored by {}", v.actor)).unwrap_or_default()
    )]
    Conflict(Box<Conflict>),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// The result of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportOutcome {
    pub version: i64,
    /// False when the configuration equals the running one; no version is added then.
    pub changed: bool,
}

/// The canonical TOML form of a configuration.
pub fn export(config: &PlantConfig) -> String {
    let body = toml::to_string_pretty(config).expect("the plant model always serializes to TOML");
    format!(
        "# Plantlog plant configuration.\n# Import with: plantlog config import FILE.toml\n\n{body}"
    )
}

/// Stores a validated configuration as the running one, in one transaction with its
/// audit record. `source` is the text as the user gave it. With [`Base::Version`] the
/// import is refused when another version was stored since that one, unless it changes
/// nothing.
pub fn import(
    conn: &mut Connection,
    config: &PlantConfig,
    source: &str,
    base: Base,
    actor: &audit::Actor,
) -> Result<ImportOutcome, ImportError> {
    let canonical = export(config);
    // `store::write_tx`, spelled out: the store room imports config, not the reverse.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let current: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, toml FROM config_versions ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((version, toml)) = &current
        && *toml == canonical
    {
        return Ok(ImportOutcome {
            version: *version,
            changed: false,
        });
    }
    let current_version = current.as_ref().map_or(0, |c| c.0);
    if let Base::Version(base) = base
        && base != current_version
    {
        return Err(ImportError::Conflict(Box::new(conflict(
            &tx,
            base,
            current_version,
        )?)));
    }
    tx.execute(
        "INSERT INTO config_versions (ts, actor, toml, source) VALUES (?1, ?2, ?3, ?4)",
        (now_ms(), &actor.name, &canonical, source),
    )?;
    let version = tx.last_insert_rowid();
    sync_identities(&tx, config)?;
    let summary = format!(
        "version {version}: {} machines, {} devices, {} tags",
        config.machines.len(),
        config.devices.len(),
        config.devices.iter().map(|d| d.tags.len()).sum::<usize>()
    );
    audit::record(
        &tx,
        &AuditEntry::new(actor, "config.import", &config.site.name, &summary),
    )?;
    tx.commit()?;
    Ok(ImportOutcome {
        version,
        changed: true,
    })
}

/// What was stored after `base` up to `current`.
fn conflict(conn: &Connection, base: i64, current: i64) -> rusqlite::Result<Conflict> {
    let mut stmt = conn.prepare(
        "SELECT id, ts, actor FROM config_versions WHERE id > ?1 AND id <= ?2 ORDER BY id",
    )?;
    let since = stmt
        .query_map((base, current), |r| {
            Ok(VersionInfo {
                version: r.get(0)?,
                ts: r.get(1)?,
                actor: r.get(2)?,
                changes: Vec::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let text = |v: i64| -> rusqlite::Result<Option<PlantConfig>> {
        Ok(conn
            .query_row("SELECT toml FROM config_versions WHERE id = ?1", [v], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .and_then(|t| toml::from_str(&t).ok()))
    };
    let changes = match (text(base)?, text(current)?) {
        (Some(old), Some(new)) => super::diff::changes(&old, &new),
        (None, Some(_)) => vec![format!("version {base} does not exist")],
        _ => Vec::new(),
    };
    Ok(Conflict {
        base,
        current,
        since,
        changes,
    })
}

/// The stored versions, newest first, each with what it changed from the one before.
pub fn versions(conn: &Connection, limit: u32) -> rusqlite::Result<Vec<VersionInfo>> {
    let mut stmt =
        conn.prepare("SELECT id, ts, actor, toml FROM config_versions ORDER BY id DESC LIMIT ?1")?;
    let rows = stmt
        .query_map([limit.saturating_add(1)], |r| {
            Ok((
                VersionInfo {
                    version: r.get(0)?,
                    ts: r.get(1)?,
                    actor: r.get(2)?,
                    changes: Vec::new(),
                },
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let configs: Vec<Option<PlantConfig>> =
        rows.iter().map(|(_, t)| toml::from_str(t).ok()).collect();
    let mut out = Vec::new();
    for (i, (mut info, _)) in rows.into_iter().enumerate().take(limit as usize) {
        info.changes = match (configs.get(i + 1), &configs[i]) {
            (Some(Some(old)), Some(new)) => super::diff::changes(old, new),
            (None, Some(new)) if info.version == 1 => {
                let n =
                    |k: usize, what: &str| format!("{k} {what}{}", if k == 1 { "" } else { "s" });
                vec![format!(
                    "first configuration: {}, {}, {}",
                    n(new.machines.len(), "machine"),
                    n(new.devices.len(), "device"),
                    n(
                        new.devices.iter().map(|d| d.tags.len()).sum::<usize>(),
                        "tag"
                    )
                )]
            }
            _ => Vec::new(),
        };
        out.push(info);
    }
    Ok(out)
}

/// The poll interval last configured for a tag, also a retired one (its history stays).
pub fn stored_poll_ms(
    conn: &Connection,
    tag: crate::sample::TagId,
) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT poll_ms FROM tags WHERE id = ?1", [tag], |r| {
        r.get(0)
    })
    .optional()
}

fn sync_identities(tx: &Transaction<'_>, config: &PlantConfig) -> rusqlite::Result<()> {
    tx.execute("UPDATE machines SET retired = 1", [])?;
    for m in &config.machines {
        tx.execute(
            "INSERT INTO machines (key, name, retired) VALUES (?1, ?2, 0)
             ON CONFLICT (key) DO UPDATE SET name = excluded.name, retired = 0",
            (&m.key, &m.name),
        )?;
    }
    tx.execute("UPDATE devices SET retired = 1", [])?;
    tx.execute("UPDATE tags SET retired = 1", [])?;
    for d in &config.devices {
        tx.execute(
            "INSERT INTO devices (key, name, protocol, endpoint, retired) VALUES (?1, ?2, ?3, ?4, 0)
             ON CONFLICT (key) DO UPDATE SET name = excluded.name, protocol = excluded.protocol,
                 endpoint = excluded.endpoint, retired = 0",
            (&d.key, d.display_name(), d.protocol.name(), d.endpoint()),
        )?;
        let device_id: i64 =
            tx.query_row("SELECT id FROM devices WHERE key = ?1", [&d.key], |r| {
                r.get(0)
            })?;
        for t in &d.tags {
            let machine_id: Option<i64> = match &t.machine {
                Some(key) => tx
                    .query_row("SELECT id FROM machines WHERE key = ?1", [key], |r| {
                        r.get(0)
                    })
                    .optional()?,
                None => None,
            };
            tx.execute(
                "INSERT INTO tags (device_id, name, label, machine_id, unit, poll_ms, retired)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)
                 ON CONFLICT (device_id, name) DO UPDATE SET label = excluded.label,
                     machine_id = excluded.machine_id, unit = excluded.unit,
                     poll_ms = excluded.poll_ms, retired = 0",
                (
                    device_id,
                    &t.name,
                    t.display_label(),
                    machine_id,
                    &t.unit,
                    t.effective_poll_ms(d) as i64,
                ),
            )?;
        }
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("the stored configuration version {version} cannot be read: {message}")]
    Corrupt { version: i64, message: String },
}

/// The running plant: the newest configuration with its tag ids, or an empty plant.
pub fn load_plant(conn: &Connection) -> Result<Plant, LoadError> {
    let current: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, toml FROM config_versions ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((version, text)) = current else {
        return Ok(Plant::empty());
    };
    let config: PlantConfig = toml::from_str(&text).map_err(|e| LoadError::Corrupt {
        version,
        message: e.to_string(),
    })?;
    let mut stmt = conn.prepare(
        "SELECT d.key, t.name, t.id FROM tags t JOIN devices d ON d.id = t.device_id
         WHERE t.retired = 0",
    )?;
    let ids: HashMap<(String, String), i64> = stmt
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(Plant::new(version, config, ids))
}

/// The newest version and its text as the user gave it (comments and all); `None`
/// before the first import.
pub fn current_source(conn: &Connection) -> rusqlite::Result<Option<(i64, String)>> {
    conn.query_row(
        "SELECT id, source FROM config_versions ORDER BY id DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// The newest configuration version, 0 when none; cheap enough to poll.
pub fn current_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT coalesce(max(id), 0) FROM config_versions",
        [],
        |r| r.get(0),
    )
}
