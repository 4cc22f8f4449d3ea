//! Where backups go and what became of each run: the `backup_targets` and `backup_runs`
//! tables, each target's state (last run, last good backup, next run, overdue), and
//! running one target: a backup, then its retention.

use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::manifest::{self, Found, Verification};
use super::{BackupError, Keep, Progress, Schedule, plan};

/// A backup target as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "BackupTarget"))]
pub struct Target {
    pub id: i64,
    pub name: String,
    /// A folder: another drive, a network share (`\\server\share\plant`), a stick;
    /// or `stick:LABEL`, the removable drive with that label wherever it is mounted,
    /// written when it is plugged in.
    pub path: String,
    /// `hourly`, `daily HH:MM` or `weekly DAY HH:MM`, in the plant's time zone.
    pub schedule: String,
    pub keep: Keep,
    pub enabled: bool,
    pub created_at: i64,
}

/// A target as the admin enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "BackupTargetInput"))]
pub struct TargetInput {
    pub name: String,
    pub path: String,
    pub schedule: String,
    pub keep: Keep,
    pub enabled: bool,
}

impl TargetInput {
    fn check(&self) -> Result<Schedule, BackupError> {
        if self.name.trim().is_empty() {
            return Err(BackupError::Invalid("give the backup target a name".into()));
        }
        if self.path.trim().is_empty() {
            return Err(BackupError::Invalid(
                "give the folder to back up into: a drive (E:\\Backups), a network share (\\\\server\\share\\plant) or a stick".into(),
            ));
        }
        if self.path.trim().starts_with(STICK) && stick_label(&self.path).is_none() {
            return Err(BackupError::Invalid(
                "give the stick's label after stick: (as Windows shows it beside the drive letter), for example stick:BACKUP1".into(),
            ));
        }
        if self.keep.hourly + self.keep.daily + self.keep.weekly + self.keep.monthly == 0 {
            return Err(BackupError::Invalid(
                "keep at least one backup (hourly, daily, weekly or monthly)".into(),
            ));
        }
        Schedule::parse(&self.schedule).map_err(|e| BackupError::Invalid(e.to_string()))
    }
}

/// One attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "BackupRun"))]
pub struct Run {
    pub id: i64,
    pub target_id: i64,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    /// The backup's folder name on the target.
    pub name: String,
    /// `running`, `good` or `failed`.
    pub status: String,
    pub bytes: i64,
    /// `target_missing`, `target_full`, `verification_failed`, ...
    pub error_code: Option<String>,
    pub error: Option<String>,
    pub verification: Option<Verification>,
}

/// A target's state for the admin page and the alarm.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "BackupTargetState"))]
pub struct TargetState {
    pub target: Target,
    pub last: Option<Run>,
    pub last_good: Option<Run>,
    /// When the next scheduled run is due (it runs at the first check after).
    pub next_ms: i64,
    /// No good backup within twice the schedule's interval.
    pub overdue: bool,
    /// A stick target whose stick is not plugged in: "waiting for the stick labelled
    /// X"; it runs when the stick is there and its time has come.
    pub waiting: Option<String>,
    /// Where the backups go now (the stick's mount for a stick target).
    pub folder: Option<String>,
}

/// A target path of this form is the removable drive with the label after it.
pub const STICK: &str = "stick:";

/// The label of the stick a target path names (`stick:LABEL`), when it names one.
pub fn stick_label(path: &str) -> Option<&str> {
    path.trim()
        .strip_prefix(STICK)
        .map(str::trim)
        .filter(|l| !l.is_empty())
}

/// Where the backups of a target with `path` go, among the removable `drives` mounted:
/// the folder itself, or the stick with the label (letter case aside); None when the
/// stick is not plugged in.
pub fn folder_in(path: &str, drives: &[crate::removable::Drive]) -> Option<PathBuf> {
    match stick_label(path) {
        None => Some(PathBuf::from(path.trim())),
        Some(label) => drives
            .iter()
            .find(|d| d.label.trim().eq_ignore_ascii_case(label))
            .map(|d| PathBuf::from(&d.path)),
    }
}

/// [`folder_in`] the drives mounted now (they are looked for only for a stick target).
pub fn folder(path: &str) -> Option<PathBuf> {
    if stick_label(path).is_none() {
        return Some(PathBuf::from(path.trim()));
    }
    folder_in(path, &crate::removable::drives())
}

/// What a stick target waits for.
pub fn waiting_for(label: &str) -> String {
    format!("waiting for the stick labelled \"{label}\": it is not plugged in")
}

/// The error of a run on a stick target whose stick is not there.
pub fn stick_missing(label: &str) -> BackupError {
    BackupError::TargetMissing {
        path: PathBuf::from(format!("the stick labelled \"{label}\"")),
        source: std::io::Error::from(std::io::ErrorKind::NotFound),
    }
}

const TARGET_COLS: &str = "id, name, path, schedule, keep_hourly, keep_daily, keep_weekly, keep_monthly, enabled, created_at";

fn target_row(r: &rusqlite::Row) -> rusqlite::Result<Target> {
    Ok(Target {
        id: r.get(0)?,
        name: r.get(1)?,
        path: r.get(2)?,
        schedule: r.get(3)?,
        keep: Keep {
            hourly: r.get(4)?,
            daily: r.get(5)?,
            weekly: r.get(6)?,
            monthly: r.get(7)?,
        },
        enabled: r.get(8)?,
        created_at: r.get(9)?,
    })
}

const RUN_COLS: &str =
    "id, target_id, started_at, finished_at, name, status, bytes, error_code, error, verification";

fn run_row(r: &rusqlite::Row) -> rusqlite::Result<Run> {
    let v: String = r.get(9)?;
    Ok(Run {
        id: r.get(0)?,
        target_id: r.get(1)?,
        started_at: r.get(2)?,
        finished_at: r.get(3)?,
        name: r.get(4)?,
        status: r.get(5)?,
        bytes: r.get(6)?,
        error_code: r.get(7)?,
        error: r.get(8)?,
        verification: serde_json::from_str(&v).ok(),
    })
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Target>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {TARGET_COLS} FROM backup_targets ORDER BY name"
    ))?;
    stmt.query_map([], target_row)?.collect()
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Target>> {
    conn.query_row(
        &format!("SELECT {TARGET_COLS} FROM backup_targets WHERE id = ?1"),
        [id],
        target_row,
    )
    .optional()
}

fn unique(e: rusqlite::Error, name: &str) -> BackupError {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
        BackupError::Invalid(format!("there is already a backup target named \"{name}\""))
    } else {
        e.into()
    }
}

/// Adds a target; returns its id.
pub fn add(conn: &Connection, t: &TargetInput, now: i64) -> Result<i64, BackupError> {
    let schedule = t.check()?;
    conn.execute(
        "INSERT INTO backup_targets (name, path, schedule, keep_hourly, keep_daily, keep_weekly, keep_monthly, enabled, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            t.name.trim(),
            t.path.trim(),
            schedule.to_string(),
            t.keep.hourly,
            t.keep.daily,
            t.keep.weekly,
            t.keep.monthly,
            t.enabled,
            now
        ],
    )
    .map_err(|e| unique(e, &t.name))?;
    Ok(conn.last_insert_rowid())
}

/// Changes a target; false when there is none with this id.
pub fn update(conn: &Connection, id: i64, t: &TargetInput, now: i64) -> Result<bool, BackupError> {
    let schedule = t.check()?;
    let n = conn
        .execute(
            "UPDATE backup_targets SET name = ?2, path = ?3, schedule = ?4, keep_hourly = ?5, keep_daily = ?6,
                keep_weekly = ?7, keep_monthly = ?8, enabled = ?9, updated_at = ?10 WHERE id = ?1",
            params![
                id,
                t.name.trim(),
                t.path.trim(),
                schedule.to_string(),
                t.keep.hourly,
                t.keep.daily,
                t.keep.weekly,
                t.keep.monthly,
                t.enabled,
                now
            ],
        )
        .map_err(|e| unique(e, &t.name))?;
    Ok(n == 1)
}

/// Removes a target and its history (not the backups on it).
pub fn remove(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    conn.execute("DELETE FROM backup_runs WHERE target_id = ?1", [id])?;
    Ok(conn.execute("DELETE FROM backup_targets WHERE id = ?1", [id])? == 1)
}

/// The newest runs of a target, newest first.
pub fn runs(conn: &Connection, target: i64, limit: u32) -> rusqlite::Result<Vec<Run>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {RUN_COLS} FROM backup_runs WHERE target_id = ?1 ORDER BY started_at DESC, id DESC LIMIT ?2"
    ))?;
    stmt.query_map(params![target, limit], run_row)?.collect()
}

pub fn run_by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<Run>> {
    conn.query_row(
        &format!("SELECT {RUN_COLS} FROM backup_runs WHERE id = ?1"),
        [id],
        run_row,
    )
    .optional()
}

fn last(conn: &Connection, target: i64, good: bool) -> rusqlite::Result<Option<Run>> {
    let filter = if good { "AND status = 'good'" } else { "" };
    conn.query_row(
        &format!(
            "SELECT {RUN_COLS} FROM backup_runs WHERE target_id = ?1 {filter} ORDER BY started_at DESC, id DESC LIMIT 1"
        ),
        [target],
        run_row,
    )
    .optional()
}

/// Runs left `running` by a process that stopped (killed, power cut) become failed.
pub fn close_interrupted(conn: &Connection, now: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE backup_runs SET status = 'failed', finished_at = ?1, error_code = 'interrupted',
            error = 'Plantlog stopped while this backup was being made; its folder on the target is incomplete and is removed by the next run'
         WHERE status = 'running'",
        [now],
    )
}

/// Each target's state at `now` in the plant's zone `tz`.
pub fn states(conn: &Connection, now: i64, tz: &TimeZone) -> rusqlite::Result<Vec<TargetState>> {
    let targets = list(conn)?;
    let drives = if targets.iter().any(|t| stick_label(&t.path).is_some()) {
        crate::removable::drives()
    } else {
        Vec::new()
    };
    states_with(conn, targets, now, tz, &drives)
}

/// [`states`] of `targets` with the removable `drives` given.
pub fn states_with(
    conn: &Connection,
    targets: Vec<Target>,
    now: i64,
    tz: &TimeZone,
    drives: &[crate::removable::Drive],
) -> rusqlite::Result<Vec<TargetState>> {
    let mut out = Vec::new();
    for target in targets {
        let last_run = last(conn, target.id, false)?;
        let last_good = last(conn, target.id, true)?;
        let schedule = Schedule::parse(&target.schedule).unwrap_or(Schedule::Hourly);
        let since = last_run
            .as_ref()
            .map_or(target.created_at, |r| r.started_at);
        let next_ms = schedule.next_after(since, tz);
        let good_since = last_good
            .as_ref()
            .map_or(target.created_at, |r| r.started_at);
        let overdue = target.enabled && now - good_since > 2 * schedule.interval_ms();
        let folder = folder_in(&target.path, drives);
        let waiting = match (stick_label(&target.path), &folder) {
            (Some(label), None) => Some(waiting_for(label)),
            _ => None,
        };
        out.push(TargetState {
            folder: folder.map(|f| f.display().to_string()),
            waiting,
            target,
            last: last_run,
            last_good,
            next_ms,
            overdue,
        });
    }
    Ok(out)
}

/// Whether a target's next run is due at `now`.
pub fn due(state: &TargetState, now: i64) -> bool {
    state.target.enabled
        && state.waiting.is_none()
        && state.last.as_ref().is_none_or(|r| r.status != "running")
        && state.next_ms <= now
}

/// What one run of a target did.
#[derive(Debug)]
pub struct Outcome {
    pub run_id: i64,
    pub made: Result<super::Made, BackupError>,
    /// Backups removed by the retention, with why.
    pub removed: Vec<(String, String)>,
}

/// Runs a backup of `data_dir` to `target` now, records it, and applies the target's
/// retention when it succeeded. `db` is where the run is recorded (the data folder's
/// own database, through short durable transactions).
pub fn run(
    db: &crate::store::Db,
    data_dir: &Path,
    target: &Target,
    tz: &TimeZone,
    progress: &dyn Progress,
) -> Result<Outcome, BackupError> {
    run_with(
        db,
        data_dir,
        target,
        tz,
        &super::crypt::Keys::none(),
        progress,
    )
}

/// [`run`], the backup encrypted when `keys` says to ([`super::crypt`]).
pub fn run_with(
    db: &crate::store::Db,
    data_dir: &Path,
    target: &Target,
    tz: &TimeZone,
    keys: &super::crypt::Keys,
    progress: &dyn Progress,
) -> Result<Outcome, BackupError> {
    let started = crate::sample::now_ms();
    let run_id = db.sql(|c| {
        c.execute(
            "INSERT INTO backup_runs (target_id, started_at, status) VALUES (?1, ?2, 'running')",
            params![target.id, started],
        )?;
        Ok(c.last_insert_rowid())
    })?;
    let folder = folder(&target.path);
    let made = match (&folder, stick_label(&target.path)) {
        (Some(f), _) => super::incremental::make_next_with(data_dir, f, keys, progress),
        (None, label) => Err(stick_missing(label.unwrap_or_default())),
    };
    let folder = folder.unwrap_or_default();
    let finished = crate::sample::now_ms();
    let (status, name, bytes, code, error, verification) = match &made {
        Ok(m) => (
            "good",
            m.manifest.name.clone(),
            m.manifest.bytes() as i64,
            None,
            None,
            serde_json::to_string(&m.manifest.verification).unwrap_or_default(),
        ),
        Err(e) => {
            // A failed verification leaves its manifest beside the copy: keep what it found.
            let failed = manifest::list(&folder.join(super::FOLDER))
                .ok()
                .and_then(|l| {
                    l.into_iter()
                        .rev()
                        .find(|b| b.state == Found::Failed && b.created_ms >= started)
                });
            (
                "failed",
                failed.as_ref().map(|b| b.name.clone()).unwrap_or_default(),
                failed
                    .as_ref()
                    .and_then(|b| b.manifest.as_ref())
                    .map_or(0, |m| m.bytes() as i64),
                Some(e.code().to_string()),
                Some(e.to_string()),
                failed
                    .and_then(|b| b.manifest)
                    .map(|m| serde_json::to_string(&m.verification).unwrap_or_default())
                    .unwrap_or_default(),
            )
        }
    };
    db.sql(|c| {
        c.execute(
            "UPDATE backup_runs SET finished_at = ?2, status = ?3, name = ?4, bytes = ?5, error_code = ?6, error = ?7, verification = ?8 WHERE id = ?1",
            params![run_id, finished, status, name, bytes, code, error, verification],
        )
    })?;
    let removed = if made.is_ok() {
        apply_retention(&folder, &target.keep, tz)?
    } else {
        Vec::new()
    };
    Ok(Outcome {
        run_id,
        made,
        removed,
    })
}

/// Removes the backups on a target beyond its retention (and incomplete or failed ones);
/// the newest good backup always stays.
pub fn apply_retention(
    target: &Path,
    keep: &Keep,
    tz: &TimeZone,
) -> Result<Vec<(String, String)>, BackupError> {
    let root = target.join(super::FOLDER);
    let listed = manifest::list(&root)?;
    let found: Vec<plan::Found> = listed
        .iter()
        .map(|l| plan::Found {
            name: l.name.clone(),
            created_ms: l.created_ms,
            parent: l
                .manifest
                .as_ref()
                .and_then(|m| m.chain.as_ref())
                .and_then(|c| c.parent.clone()),
            complete: l.state == Found::Good,
        })
        .collect();
    let p = plan::plan(&found, keep, tz, None);
    for (name, _) in &p.remove {
        let dir = root.join(name);
        std::fs::remove_dir_all(&dir).map_err(|e| BackupError::target(&dir, e))?;
    }
    Ok(p.remove)
}
