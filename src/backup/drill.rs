//! The restore drill: the newest good backup of any target is restored into a temporary
//! folder, through the same [`super::restore::restore`] as `plantlog backup restore`
//! (never into the live data folder), and checked: the restored database opened,
//! `PRAGMA integrity_check`, the facts of its manifest, its users and its configuration
//! read. Each drill is a row of `backup_drills` (migration 07); the interval is the
//! setting `backup.drill_days` (30 days when unset).

use std::path::{Path, PathBuf};
use std::time::Instant;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::manifest::{self, Found};
use super::targets::Target;
use super::{BackupError, Quiet};
use crate::auth::audit::Actor;

/// The setting that holds the days between drills.
pub const INTERVAL_SETTING: &str = "backup.drill_days";
/// Days between drills when the setting is not there: monthly.
pub const DEFAULT_DAYS: i64 = 30;
const DAY_MS: i64 = 86_400_000;

/// One drill as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "BackupDrill"))]
pub struct Drill {
    pub id: i64,
    pub started_at: i64,
    pub took_ms: i64,
    /// The target's name and the backup's folder drilled.
    pub target: String,
    pub backup: String,
    pub passed: bool,
    /// Why it failed, or what was checked when it passed.
    pub detail: String,
}

/// The drill as the admin page and the alarm see it.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "BackupDrillState"))]
pub struct DrillState {
    pub last: Option<Drill>,
    pub interval_days: i64,
    /// When the first good backup was recorded (a drill is owed from then on).
    pub first_good_ms: Option<i64>,
    /// No drill within twice the interval although a good backup exists.
    pub overdue: bool,
}

/// Whether a drill is due at `now`: a good backup exists, and there was no drill yet or
/// the last one started at least an interval ago.
pub fn due(last_ms: Option<i64>, first_good_ms: Option<i64>, now: i64, interval_ms: i64) -> bool {
    first_good_ms.is_some() && last_ms.is_none_or(|l| now - l >= interval_ms)
}

/// Whether the drill is overdue at `now`: a good backup exists and no drill started
/// within twice the interval (of the last drill, or of the first good backup).
pub fn overdue(
    last_ms: Option<i64>,
    first_good_ms: Option<i64>,
    now: i64,
    interval_ms: i64,
) -> bool {
    match (first_good_ms, last_ms) {
        (None, _) => false,
        (Some(first), last) => now - last.unwrap_or(first).max(first) > 2 * interval_ms,
    }
}

/// The days between drills (the setting, or [`DEFAULT_DAYS`]).
pub fn interval_days(conn: &Connection) -> rusqlite::Result<i64> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [INTERVAL_SETTING],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|d| *d > 0)
        .unwrap_or(DEFAULT_DAYS))
}

fn drill_row(r: &rusqlite::Row) -> rusqlite::Result<Drill> {
    Ok(Drill {
        id: r.get(0)?,
        started_at: r.get(1)?,
        took_ms: r.get(2)?,
        target: r.get(3)?,
        backup: r.get(4)?,
        passed: r.get(5)?,
        detail: r.get(6)?,
    })
}

/// The newest drill.
pub fn last(conn: &Connection) -> rusqlite::Result<Option<Drill>> {
    conn.query_row(
        "SELECT id, started_at, took_ms, target, backup, passed, detail FROM backup_drills
         ORDER BY started_at DESC, id DESC LIMIT 1",
        [],
        drill_row,
    )
    .optional()
}

/// The drill's state at `now`.
pub fn state(conn: &Connection, now: i64) -> rusqlite::Result<DrillState> {
    let last = last(conn)?;
    let interval_days = interval_days(conn)?;
    let first_good_ms: Option<i64> = conn.query_row(
        "SELECT min(started_at) FROM backup_runs WHERE status = 'good'",
        [],
        |r| r.get(0),
    )?;
    let overdue = overdue(
        last.as_ref().map(|d| d.started_at),
        first_good_ms,
        now,
        interval_days * DAY_MS,
    );
    Ok(DrillState {
        last,
        interval_days,
        first_good_ms,
        overdue,
    })
}

/// Whether the state says a drill is due at `now`.
pub fn state_due(s: &DrillState, now: i64) -> bool {
    due(
        s.last.as_ref().map(|d| d.started_at),
        s.first_good_ms,
        now,
        s.interval_days * DAY_MS,
    )
}

/// Records a drill; returns it with its id.
pub fn record(conn: &Connection, d: &Drill) -> rusqlite::Result<Drill> {
    conn.execute(
        "INSERT INTO backup_drills (started_at, took_ms, target, backup, passed, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            d.started_at,
            d.took_ms,
            d.target,
            d.backup,
            d.passed,
            d.detail
        ],
    )?;
    Ok(Drill {
        id: conn.last_insert_rowid(),
        ..d.clone()
    })
}

/// The newest good backup on any of `targets`: (target name, backup folder).
pub fn newest_good(targets: &[Target]) -> Option<(String, PathBuf, i64)> {
    let mut best: Option<(String, PathBuf, i64)> = None;
    for t in targets {
        let Some(folder) = super::targets::folder(&t.path) else {
            continue;
        };
        let root = folder.join(super::FOLDER);
        let Ok(list) = manifest::list(&root) else {
            continue;
        };
        for l in list.into_iter().filter(|l| l.state == Found::Good) {
            if best.as_ref().is_none_or(|b| l.created_ms > b.2) {
                best = Some((t.name.clone(), l.dir, l.created_ms));
            }
        }
    }
    best
}

/// Runs a drill of the newest good backup on `targets` (not recorded: see [`record`]).
/// The temporary folder is made in the system's temporary folder and removed after.
/// Refused when there is no good backup to drill.
pub fn run(targets: &[Target], now: i64) -> Result<Drill, BackupError> {
    run_with(targets, now, None)
}

/// [`run`] with the key that reads encrypted backups (None: not at hand, and a drill of
/// an encrypted backup fails saying so).
pub fn run_with(
    targets: &[Target],
    now: i64,
    key: Option<&age::x25519::Identity>,
) -> Result<Drill, BackupError> {
    let t0 = Instant::now();
    let Some((target, dir, _)) = newest_good(targets) else {
        return Err(BackupError::Invalid(
            "there is no good backup on any target to drill: make a backup first".into(),
        ));
    };
    let mut d = Drill {
        id: 0,
        started_at: now,
        took_ms: 0,
        target,
        backup: dir.display().to_string(),
        passed: false,
        detail: String::new(),
    };
    match tempfile::Builder::new().prefix("plantlog-drill-").tempdir() {
        Ok(tmp) => match drill_with(&dir, tmp.path(), key) {
            Ok(checked) => {
                d.passed = true;
                d.detail = checked;
            }
            Err(why) => d.detail = why,
        },
        Err(e) => d.detail = format!("cannot make a temporary folder: {e}"),
    }
    d.took_ms = t0.elapsed().as_millis() as i64;
    Ok(d)
}

/// Restores the backup in `backup_dir` into the empty folder `into` and checks it;
/// what was checked, or why it failed.
pub fn drill(backup_dir: &Path, into: &Path) -> Result<String, String> {
    drill_with(backup_dir, into, None)
}

/// [`drill`] of a backup that may be encrypted, read with `key`.
pub fn drill_with(
    backup_dir: &Path,
    into: &Path,
    key: Option<&age::x25519::Identity>,
) -> Result<String, String> {
    let actor = Actor {
        id: None,
        name: "restore drill".into(),
        client: "local".into(),
    };
    let restored = super::restore::restore_with(backup_dir, into, key, &actor, &Quiet)
        .map_err(|e: BackupError| format!("the restore failed: {e}"))?;
    let m = restored.manifest;
    let conn = super::verify::open_copy(&into.join(manifest::DATABASE))
        .map_err(|e| format!("the restored database cannot be opened: {e}"))?;
    let integrity = super::snapshot::integrity(&conn)
        .map_err(|e| format!("the restored database cannot be checked: {e}"))?;
    if integrity != "ok" {
        return Err(format!(
            "integrity check of the restored database: {integrity}"
        ));
    }
    let facts = super::snapshot::facts(&conn)
        .map_err(|e| format!("the restored database cannot be read: {e}"))?;
    // The restore records itself in the restored audit log: one row more than the
    // backup held. A backup of an older Plantlog is migrated on opening: then only the
    // tags' newest samples are compared.
    let mut expected = m.source.clone();
    let diff = if expected.schema_version == facts.schema_version {
        if let Some(n) = expected.tables.get_mut("audit") {
            *n += 1;
        }
        expected.differences(&facts)
    } else {
        expected.tables = facts.tables.clone();
        expected.schema_version = facts.schema_version;
        expected.differences(&facts)
    };
    if !diff.is_empty() {
        return Err(format!(
            "the restored database does not hold what the backup's manifest says: {}",
            diff.join("; ")
        ));
    }
    let users = crate::auth::users::list(&conn)
        .map_err(|e| format!("the users of the restored database cannot be read: {e}"))?;
    let plant = crate::config::load_plant(&conn)
        .map_err(|e| format!("the configuration of the restored database cannot be read: {e}"))?;
    Ok(format!(
        "restored {} into a temporary folder: integrity ok, {} tables and the newest sample of {} tags as its manifest says, {} users and the configuration of {} tags readable",
        m.name,
        facts.tables.len(),
        facts.latest.len(),
        users.len(),
        plant.tags().count()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = DAY_MS;

    #[test]
    fn a_drill_is_due_once_a_good_backup_exists_and_then_each_interval() {
        let month = 30 * DAY;
        // No good backup: never due, never overdue.
        assert!(!due(None, None, 100 * DAY, month));
        assert!(!overdue(None, None, 100 * DAY, month));
        // A good backup and no drill yet: due at once.
        assert!(due(None, Some(10 * DAY), 10 * DAY, month));
        // A drill 29 days ago: not due; 30 days ago: due.
        assert!(!due(Some(DAY), Some(0), 30 * DAY, month));
        assert!(due(Some(DAY), Some(0), 31 * DAY, month));
        // Overdue after twice the interval, not at it.
        assert!(!overdue(Some(DAY), Some(0), 61 * DAY, month));
        assert!(overdue(Some(DAY), Some(0), 61 * DAY + 1, month));
        // No drill yet: counted from the first good backup.
        assert!(!overdue(None, Some(5 * DAY), 65 * DAY, month));
        assert!(overdue(None, Some(5 * DAY), 65 * DAY + 1, month));
    }
}
