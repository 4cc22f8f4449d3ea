//! Backups as the admin sees them: the targets with their state (last backup, its size
//! and verification, the next run, overdue), the history of runs, the backups on each
//! target; adding, changing and removing targets (audited); a backup now; verifying a
//! backup again. The scheduler job (`app`) calls [`Core::run_due_backups`].

use serde::Serialize;

use super::{Core, Error};
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::backup::drill::{self, Drill, DrillState};
use crate::backup::manifest::{self, Found};
use crate::backup::targets::{self, Run, TargetInput, TargetState};
use crate::backup::{BackupError, Quiet, Verification};
use crate::sample::now_ms;

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BackupsView {
    pub targets: Vec<TargetState>,
    /// The newest runs of every target, newest first.
    pub history: Vec<Run>,
    /// The data folder backed up.
    pub data_dir: String,
    /// The restore drill: the last one, its interval, overdue.
    pub drill: DrillState,
}

/// A backup found on a target.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BackupEntry {
    pub name: String,
    pub path: String,
    pub created_ms: i64,
    /// `good`, `failed` or `incomplete`.
    pub state: Found,
    pub bytes: u64,
    pub why: Option<String>,
    /// Tables and tags checked, and the newest sample it holds.
    pub tags: usize,
    pub newest_sample_ms: Option<i64>,
    pub verification: Option<Verification>,
    /// The backup an incremental one builds on; None for a full one.
    pub parent: Option<String>,
}

/// The backups on one target, or why they cannot be read.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TargetBackups {
    pub target_id: i64,
    pub backups: Vec<BackupEntry>,
    pub error: Option<String>,
}

impl From<BackupError> for Error {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::Sqlite(e) => e.into(),
            BackupError::Store(e) => e.into(),
            e => Error::invalid(e.code(), e.to_string()),
        }
    }
}

/// The folder of the backup `name` on `target`; a name that is not one folder's, or a
/// folder that is not there, is not found.
pub(super) fn backup_folder(
    target: &targets::Target,
    name: &str,
) -> Result<std::path::PathBuf, Error> {
    if name.is_empty() || name.contains(['/', '\\']) || name.contains("..") {
        return Err(Error::NotFound("backup"));
    }
    let dir = std::path::Path::new(&target.path)
        .join(crate::backup::FOLDER)
        .join(name);
    if !dir.is_dir() {
        return Err(Error::NotFound("backup"));
    }
    Ok(dir)
}

/// The newest sample and the newest good sample of every configured tag (the live
/// values at start and after a restore).
pub fn last_samples(
    conn: &mut rusqlite::Connection,
    plant: &crate::config::Plant,
) -> Result<Vec<crate::sample::Sample>, crate::store::StoreError> {
    let tags: Vec<_> = plant.tags().map(|t| t.id).collect();
    let latest = crate::store::raw::latest(conn, &tags)?;
    let mut out = Vec::new();
    for (_, (last, good)) in latest {
        if let Some(g) = good
            && g.ts != last.ts
        {
            out.push(g);
        }
        out.push(last);
    }
    Ok(out)
}

impl Core {
    /// A backup target by id.
    pub(super) async fn backup_target(&self, id: i64) -> Result<targets::Target, Error> {
        self.db()
            .run(move |c| Ok::<_, Error>(targets::get(c, id)?))
            .await?
            .ok_or(Error::NotFound("backup target"))
    }

    /// The backups page: targets with their state, and the history.
    pub async fn backups(&self) -> Result<BackupsView, Error> {
        let tz = self.plant().timezone();
        let (states, history, drill) = self
            .db()
            .run(move |c| {
                let states = targets::states(c, now_ms(), &tz)?;
                let drill = drill::state(c, now_ms())?;
                let mut history = Vec::new();
                for s in &states {
                    history.extend(targets::runs(c, s.target.id, 50)?);
                }
                history.sort_by_key(|r| std::cmp::Reverse(r.started_at));
                history.truncate(100);
                Ok::<_, Error>((states, history, drill))
            })
            .await?;
        self.set_backup_states(states.clone());
        self.set_drill_state(drill.clone());
        Ok(BackupsView {
            targets: states,
            history,
            data_dir: self.data_folder().display().to_string(),
            drill,
        })
    }

    /// The backups on a target's folder, newest first.
    pub async fn target_backups(&self, id: i64) -> Result<TargetBackups, Error> {
        let target = self
            .db()
            .run(move |c| Ok::<_, Error>(targets::get(c, id)?))
            .await?
            .ok_or(Error::NotFound("backup target"))?;
        let root = std::path::Path::new(&target.path).join(crate::backup::FOLDER);
        let listed = tokio::task::spawn_blocking(move || manifest::list(&root))
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(match listed {
            Ok(list) => TargetBackups {
                target_id: id,
                backups: list
                    .into_iter()
                    .rev()
                    .map(|l| BackupEntry {
                        path: l.dir.display().to_string(),
                        bytes: l.manifest.as_ref().map_or(0, |m| m.bytes()),
                        tags: l.manifest.as_ref().map_or(0, |m| m.source.latest.len()),
                        newest_sample_ms: l
                            .manifest
                            .as_ref()
                            .and_then(|m| m.source.latest.values().max().copied()),
                        parent: l
                            .manifest
                            .as_ref()
                            .and_then(|m| m.chain.as_ref())
                            .and_then(|c| c.parent.clone()),
                        verification: l.manifest.map(|m| m.verification),
                        name: l.name,
                        created_ms: l.created_ms,
                        state: l.state,
                        why: l.why,
                    })
                    .collect(),
                error: None,
            },
            Err(e) => TargetBackups {
                target_id: id,
                backups: Vec::new(),
                error: Some(e.to_string()),
            },
        })
    }

    pub async fn add_backup_target(&self, input: TargetInput, actor: Actor) -> Result<i64, Error> {
        let id = self
            .db()
            .run(move |c| {
                let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let id = targets::add(&tx, &input, now_ms())?;
                audit::record(
                    &tx,
                    &AuditEntry::new(
                        &actor,
                        "backup.target_add",
                        &input.name,
                        &format!(
                            "{} ({}), keep {} hourly, {} daily, {} weekly, {} monthly",
                            input.path,
                            input.schedule,
                            input.keep.hourly,
                            input.keep.daily,
                            input.keep.weekly,
                            input.keep.monthly
                        ),
                    ),
                )?;
                tx.commit()?;
                Ok::<_, Error>(id)
            })
            .await?;
        self.refresh_backups().await;
        Ok(id)
    }

    pub async fn update_backup_target(
        &self,
        id: i64,
        input: TargetInput,
        actor: Actor,
    ) -> Result<(), Error> {
        self.db()
            .run(move |c| {
                let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                if !targets::update(&tx, id, &input, now_ms())? {
                    return Err(Error::NotFound("backup target"));
                }
                audit::record(
                    &tx,
                    &AuditEntry::new(
                        &actor,
                        "backup.target_change",
                        &input.name,
                        &format!(
                            "{} ({}), keep {} hourly, {} daily, {} weekly, {} monthly, {}",
                            input.path,
                            input.schedule,
                            input.keep.hourly,
                            input.keep.daily,
                            input.keep.weekly,
                            input.keep.monthly,
                            if input.enabled { "on" } else { "off" }
                        ),
                    ),
                )?;
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await?;
        self.refresh_backups().await;
        Ok(())
    }

    /// Removes a target and its history; the backups on it stay where they are.
    pub async fn remove_backup_target(&self, id: i64, actor: Actor) -> Result<(), Error> {
        self.db()
            .run(move |c| {
                let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let t = targets::get(&tx, id)?.ok_or(Error::NotFound("backup target"))?;
                targets::remove(&tx, id)?;
                audit::record(
                    &tx,
                    &AuditEntry::new(
                        &actor,
                        "backup.target_remove",
                        &t.name,
                        &format!("{}; the backups in it are left there", t.path),
                    ),
                )?;
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await?;
        self.refresh_backups().await;
        Ok(())
    }

    /// Backs up to one target now (the admin's button); the run is in the history
    /// whatever its result. Returns the run.
    pub async fn backup_now(&self, id: i64, actor: Actor) -> Result<Run, Error> {
        let target = self
            .db()
            .run(move |c| Ok::<_, Error>(targets::get(c, id)?))
            .await?
            .ok_or(Error::NotFound("backup target"))?;
        let name = target.name.clone();
        let run = self.run_backup(target).await?;
        let detail = match &run.error {
            None => format!("{} ({} bytes), verified", run.name, run.bytes),
            Some(e) => format!("failed: {e}"),
        };
        self.db()
            .run(move |c| {
                audit::record(c, &AuditEntry::new(&actor, "backup.now", &name, &detail))
                    .map_err(Error::from)
            })
            .await?;
        Ok(run)
    }

    /// Runs one target's backup on the blocking pool, one backup at a time.
    async fn run_backup(&self, target: targets::Target) -> Result<Run, Error> {
        let _one = self.backup_busy.lock().await;
        let db = self.db().clone();
        let data_dir = self.data_folder().to_path_buf();
        let tz = self.plant().timezone();
        let outcome =
            tokio::task::spawn_blocking(move || targets::run(&db, &data_dir, &target, &tz, &Quiet))
                .await
                .map_err(|e| Error::Internal(e.to_string()))??;
        match &outcome.made {
            Ok(m) => tracing::info!(
                "backup {} written and verified in {} ms",
                m.dir.display(),
                m.manifest.took_ms
            ),
            Err(e) => tracing::warn!("backup failed: {e}"),
        }
        for (name, why) in &outcome.removed {
            tracing::info!("backup {name} removed: {why}");
        }
        let run_id = outcome.run_id;
        let run = self
            .db()
            .run(move |c| targets::run_by_id(c, run_id)?.ok_or(Error::NotFound("backup run")))
            .await?;
        self.refresh_backups().await;
        Ok(run)
    }

    /// Runs every target whose time has come, one after another: a target that fails
    /// (unplugged, full) does not stop the others. Returns the runs made.
    pub async fn run_due_backups(&self) -> Result<Vec<Run>, Error> {
        let tz = self.plant().timezone();
        let states = self
            .db()
            .run(move |c| Ok::<_, Error>(targets::states(c, now_ms(), &tz)?))
            .await?;
        let mut runs = Vec::new();
        for s in states {
            if targets::due(&s, now_ms()) {
                runs.push(self.run_backup(s.target).await?);
            }
        }
        self.refresh_backups().await;
        Ok(runs)
    }

    /// Marks runs a stopped process left `running` as failed (at start).
    pub async fn close_interrupted_backups(&self) -> Result<usize, Error> {
        let n = self
            .db()
            .run(|c| Ok::<_, Error>(targets::close_interrupted(c, now_ms())?))
            .await?;
        self.refresh_backups().await;
        Ok(n)
    }

    /// Reads the targets' state again for the system alarm.
    pub async fn refresh_backups(&self) {
        let tz = self.plant().timezone();
        match self
            .db()
            .run(move |c| Ok::<_, Error>(targets::states(c, now_ms(), &tz)?))
            .await
        {
            Ok(states) => self.set_backup_states(states),
            Err(e) => tracing::warn!("cannot read the backup targets: {e}"),
        }
    }

    fn set_backup_states(&self, states: Vec<TargetState>) {
        *self
            .backup_states
            .write()
            .unwrap_or_else(|e| e.into_inner()) = states;
    }

    /// The targets' state as last read (for the system alarms).
    pub fn backup_states(&self) -> Vec<TargetState> {
        self.backup_states
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Verifies a backup on a target again: each file's SHA-256, integrity, facts.
    pub async fn verify_backup(&self, id: i64, name: String) -> Result<Verification, Error> {
        let target = self.backup_target(id).await?;
        let dir = backup_folder(&target, &name)?;
        let (_, v) = tokio::task::spawn_blocking(move || crate::backup::verify::verify(&dir))
            .await
            .map_err(|e| Error::Internal(e.to_string()))??;
        Ok(v)
    }

    /// Runs a restore drill now (the admin's button, `plantlog backup drill` goes through
    /// the same room): the newest good backup of any target restored into a temporary
    /// folder and checked; recorded and audited (`backup.drill`) whatever its result.
    /// Refused (400 `backup_invalid`) when there is no good backup to drill.
    pub async fn run_drill(&self, actor: Actor) -> Result<Drill, Error> {
        let d = {
            let _one = self.backup_busy.lock().await;
            let list = self.db().run(|c| Ok::<_, Error>(targets::list(c)?)).await?;
            let list: Vec<_> = list.into_iter().filter(|t| t.enabled).collect();
            tokio::task::spawn_blocking(move || drill::run(&list, now_ms()))
                .await
                .map_err(|e| Error::Internal(e.to_string()))??
        };
        if d.passed {
            tracing::info!("restore drill of {} passed in {} ms", d.backup, d.took_ms);
        } else {
            tracing::warn!("restore drill of {} failed: {}", d.backup, d.detail);
        }
        let d = self
            .db()
            .run(move |c| {
                let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let d = drill::record(&tx, &d)?;
                let detail = format!(
                    "{}, took {:.1} s: {}",
                    if d.passed { "passed" } else { "FAILED" },
                    d.took_ms as f64 / 1000.0,
                    d.detail
                );
                audit::record(
                    &tx,
                    &AuditEntry::new(&actor, "backup.drill", &d.backup, &detail),
                )?;
                tx.commit()?;
                Ok::<_, Error>(d)
            })
            .await?;
        self.refresh_drill().await;
        Ok(d)
    }

    /// Runs the drill when it is due (the scheduler, every minute); None when not due.
    pub async fn run_due_drill(&self) -> Result<Option<Drill>, Error> {
        let state = self
            .db()
            .run(|c| Ok::<_, Error>(drill::state(c, now_ms())?))
            .await?;
        self.set_drill_state(state.clone());
        if !drill::state_due(&state, now_ms()) {
            return Ok(None);
        }
        let actor = Actor {
            id: None,
            name: "scheduled drill".to_string(),
            client: "local".to_string(),
        };
        Ok(Some(self.run_drill(actor).await?))
    }

    /// Reads the drill's state again for the system alarm.
    pub async fn refresh_drill(&self) {
        match self
            .db()
            .run(|c| Ok::<_, Error>(drill::state(c, now_ms())?))
            .await
        {
            Ok(s) => self.set_drill_state(s),
            Err(e) => tracing::warn!("cannot read the restore drills: {e}"),
        }
    }

    fn set_drill_state(&self, s: DrillState) {
        *self.drill_state.write().unwrap_or_else(|e| e.into_inner()) = Some(s);
    }

    /// The drill's state as last read (for the system alarms).
    pub fn drill_state(&self) -> Option<DrillState> {
        self.drill_state
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}
