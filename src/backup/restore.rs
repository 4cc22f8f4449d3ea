//! Putting a backup into a data folder. The backup is verified first (a failed or
//! damaged one is refused); the data folder's current database and the files beside it
//! are moved aside into `set-aside/<time>-before-restore/` in the same folder (renames:
//! nothing is copied, nothing is ever deleted); the backup's files are copied in; the
//! database is opened (migrated when the backup is from an older Plantlog) and the
//! restore is recorded in its audit log.
//!
//! The caller stops collection around it: the command line holds the data folder's lock
//! for the whole restore; the running core ([`crate::core`]'s `restore_backup`) does
//! [`prepare`] while it serves on, then stops the collector, quiesces the writer and the
//! pool's connections, does [`swap`] and opens everything again on the restored file.

use std::path::{Path, PathBuf};

use super::engine::BESIDE;
use super::manifest::{self, DATABASE, Manifest};
use super::{BackupError, Progress};
use crate::auth::audit::{self, Actor, AuditEntry};

/// Where the data of a folder goes when a backup is restored over it.
pub const SET_ASIDE: &str = "set-aside";

#[derive(Debug, Clone)]
pub struct Restored {
    pub manifest: Manifest,
    /// Where the data that was in the folder now is (None when the folder was empty).
    pub set_aside: Option<PathBuf>,
}

/// Restores the backup in `backup_dir` into `data_dir`: [`prepare`], then [`swap`].
pub fn restore(
    backup_dir: &Path,
    data_dir: &Path,
    actor: &Actor,
    progress: &dyn Progress,
) -> Result<Restored, BackupError> {
    restore_with(backup_dir, data_dir, None, actor, progress)
}

/// [`restore`] of a backup that may be encrypted, read with `key`.
pub fn restore_with(
    backup_dir: &Path,
    data_dir: &Path,
    key: Option<&age::x25519::Identity>,
    actor: &Actor,
    progress: &dyn Progress,
) -> Result<Restored, BackupError> {
    let p = prepare_with(backup_dir, data_dir, key, progress)?;
    swap(p, data_dir, actor, progress)
}

/// A verified backup whose database is copied into the data folder beside the current
/// one, ready to take its place.
#[derive(Debug)]
pub struct Prepared {
    pub manifest: Manifest,
    /// The backup as named (for the audit log).
    shown: PathBuf,
    /// Where its files are read from (decrypted into a temporary folder when encrypted).
    backup_dir: PathBuf,
    copy: PathBuf,
    _opened: super::crypt::Opened,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + use<> {
    let path = path.to_path_buf();
    move |source| BackupError::Read { path, source }
}

/// The long part, done while Plantlog still uses the current database: verifies the
/// backup (a failed or damaged one is refused) and copies its database into the data
/// folder as `plantlog.db.restoring` (synced).
pub fn prepare(
    backup_dir: &Path,
    data_dir: &Path,
    progress: &dyn Progress,
) -> Result<Prepared, BackupError> {
    prepare_with(backup_dir, data_dir, None, progress)
}

/// [`prepare`] of a backup that may be encrypted: decrypted with `key` into a temporary
/// folder in the data folder first. Refused without the key or with another key.
pub fn prepare_with(
    backup_dir: &Path,
    data_dir: &Path,
    key: Option<&age::x25519::Identity>,
    progress: &dyn Progress,
) -> Result<Prepared, BackupError> {
    std::fs::create_dir_all(data_dir).map_err(io(data_dir))?;
    let shown = backup_dir.to_path_buf();
    progress.step("reading the backup", 0, 1);
    let opened = super::crypt::open(backup_dir, key, data_dir)?;
    let backup_dir = opened.dir.clone();
    let backup_dir = backup_dir.as_path();
    progress.step("verifying the backup", 0, 1);
    let copy = data_dir.join(format!("{DATABASE}.restoring"));
    // An incremental backup's database is rebuilt from its chain straight into place.
    let (m, v) = super::verify::verify_into(backup_dir, Some(&copy))?;
    if !v.passed {
        let _ = std::fs::remove_file(&copy);
        return Err(BackupError::Verification(format!(
            "{} is not restored: {}",
            shown.display(),
            v.problems.join("; ")
        )));
    }
    if m.chain.as_ref().is_none_or(|c| c.parent.is_none()) {
        progress.step("copying the database", 0, 1);
        std::fs::copy(backup_dir.join(DATABASE), &copy).map_err(io(&copy))?;
    }
    // Opened for writing: Windows syncs only a file opened so.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&copy)
        .and_then(|f| f.sync_all())
        .map_err(io(&copy))?;
    Ok(Prepared {
        manifest: m,
        shown,
        backup_dir: backup_dir.to_path_buf(),
        copy,
        _opened: opened,
    })
}

/// The short part, done while nothing uses the database file: the current database and
/// the files beside it are moved aside, the prepared copy takes the database's name,
/// the backup's files beside it are copied in, the database is opened (migrated) and the
/// restore recorded in its audit log. When a step before the copy takes the name fails,
/// what was moved aside is put back.
pub fn swap(
    p: Prepared,
    data_dir: &Path,
    actor: &Actor,
    progress: &dyn Progress,
) -> Result<Restored, BackupError> {
    let Prepared {
        manifest: m,
        shown,
        backup_dir,
        copy,
        _opened,
    } = p;
    progress.step("setting the current data aside", 0, 1);
    let set_aside = set_aside(data_dir)?;
    let db_path = data_dir.join(DATABASE);
    if let Err(e) = std::fs::rename(&copy, &db_path) {
        if let Some(aside) = &set_aside {
            put_back(aside, data_dir);
        }
        return Err(io(&db_path)(e));
    }
    if let Err(e) = crate::store::restrict_file(&db_path) {
        tracing::warn!("cannot make {} private: {e}", db_path.display());
    }
    for f in &m.files {
        if BESIDE.iter().any(|b| f.name.starts_with(&format!("{b}/"))) {
            let to = data_dir.join(&f.name);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
            }
            std::fs::copy(backup_dir.join(&f.name), &to).map_err(io(&to))?;
        }
    }
    manifest::sync_dir(data_dir).map_err(io(data_dir))?;

    progress.step("opening the restored database", 0, 1);
    let db = crate::store::Db::open(&db_path)?;
    let detail = match &set_aside {
        Some(p) => format!(
            "backup of {} from {}; the data that was there is kept in {}",
            super::stamp(m.created_ms),
            shown.display(),
            p.display()
        ),
        None => format!(
            "backup of {} from {} into an empty data folder",
            super::stamp(m.created_ms),
            shown.display()
        ),
    };
    db.sql(|c| {
        audit::record(
            c,
            &AuditEntry::new(actor, "backup.restore", &m.name, &detail),
        )
    })?;
    if let Some(aside) = &set_aside
        && let Err(e) = db.sql(|c| carry_history(c, &aside.join(DATABASE)))
    {
        tracing::warn!("the backup history after the backup's moment was not carried over: {e}");
    }
    Ok(Restored {
        manifest: m,
        set_aside,
    })
}

/// The history of backups and drills is about the targets, not the data: what happened
/// after the backup's moment (the run that made this very backup, still `running` in
/// it; later backups, which are on the targets; drills) is taken over from the database
/// set aside.
fn carry_history(c: &mut rusqlite::Connection, old: &Path) -> rusqlite::Result<()> {
    if !old.is_file() {
        return Ok(());
    }
    c.execute(
        "ATTACH DATABASE ?1 AS old",
        [old.to_string_lossy().as_ref()],
    )?;
    let done = c.execute_batch(
        "BEGIN IMMEDIATE;
         UPDATE main.backup_runs SET finished_at = o.finished_at, status = o.status,
             name = o.name, bytes = o.bytes, error_code = o.error_code, error = o.error,
             verification = o.verification
           FROM old.backup_runs AS o
          WHERE main.backup_runs.id = o.id AND main.backup_runs.started_at = o.started_at
            AND main.backup_runs.status = 'running' AND o.status != 'running';
         INSERT INTO main.backup_runs
             (id, target_id, started_at, finished_at, name, status, bytes, error_code, error, verification)
           SELECT id, target_id, started_at, finished_at, name, status, bytes, error_code, error, verification
             FROM old.backup_runs
            WHERE id > (SELECT coalesce(max(id), 0) FROM main.backup_runs)
              AND target_id IN (SELECT id FROM main.backup_targets);
         INSERT INTO main.backup_drills
           SELECT * FROM old.backup_drills
            WHERE id > (SELECT coalesce(max(id), 0) FROM main.backup_drills);
         COMMIT;",
    );
    if done.is_err() && !c.is_autocommit() {
        let _ = c.execute_batch("ROLLBACK");
    }
    let detached = c.execute_batch("DETACH DATABASE old");
    done.and(detached)
}

/// Moves what [`set_aside`] moved back into the data folder (a swap that failed).
fn put_back(aside: &Path, data_dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(aside) {
        for e in entries.flatten() {
            let to = data_dir.join(e.file_name());
            if let Err(err) = std::fs::rename(e.path(), &to) {
                tracing::error!(
                    "cannot put {} back as {}: {err}",
                    e.path().display(),
                    to.display()
                );
            }
        }
    }
}

/// Moves the database (with its -wal and -shm) and the files beside it into a new
/// folder `set-aside/<time>-before-restore/`; None when there was nothing to move.
fn set_aside(data_dir: &Path) -> Result<Option<PathBuf>, BackupError> {
    let mut names: Vec<String> = ["", "-wal", "-shm"]
        .iter()
        .map(|s| format!("{DATABASE}{s}"))
        .collect();
    names.extend(BESIDE.iter().map(|s| s.to_string()));
    let present: Vec<&String> = names.iter().filter(|n| data_dir.join(n).exists()).collect();
    if present.is_empty() {
        return Ok(None);
    }
    let aside = data_dir.join(SET_ASIDE).join(format!(
        "{}-before-restore",
        super::stamp(crate::sample::now_ms())
    ));
    std::fs::create_dir_all(&aside).map_err(|source| BackupError::Read {
        path: aside.clone(),
        source,
    })?;
    for n in present {
        std::fs::rename(data_dir.join(n), aside.join(n)).map_err(|source| BackupError::Read {
            path: data_dir.join(n),
            source,
        })?;
    }
    manifest::sync_dir(&aside).ok();
    manifest::sync_dir(data_dir).ok();
    Ok(Some(aside))
}
