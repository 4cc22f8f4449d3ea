//! Backups as the admin sees them: the targets with their state (last backup, its size
//! and verification, the next run, overdue), the history of runs, the backups on each
//! target; adding, changing and removing targets (audited); a backup now; verifying a
//! backup again. The scheduler job (`app`) calls [`Core::run_due_backups`].

use serde::Serialize;

use super::{Core, Error};
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::backup::crypt::{self, Keys};
use crate::backup::drill::{self, Drill, DrillState};
use crate::backup::manifest::{self, Found};
use crate::backup::targets::{self, Run, TargetInput, TargetState};
use crate::backup::{BackupError, Quiet, Verification};
use crate::mail::secret::Kept;
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
    /// Whether backups are encrypted, and whether the key to read them is here.
    pub encryption: EncryptionState,
}

/// Backup encryption as the admin sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EncryptionState {
    /// New backups are encrypted.
    pub on: bool,
    /// The recipient (the key's public half, `age1…`) they are encrypted to.
    pub recipient: Option<String>,
    /// The key that reads them is at hand (verify, restore, drill, incrementals).
    pub key_here: bool,
    /// Where the key is kept: in the OS keyring, or only in memory until Plantlog stops
    /// (no keyring on this machine), with why.
    pub key_in_memory_only: Option<String>,
}

/// Encryption turned on: the recovery key, shown this once.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EncryptionTurnedOn {
    /// The recovery key to write down or print: None when the key already kept is used
    /// again (it was shown when it was made).
    pub recovery_key: Option<String>,
    pub state: EncryptionState,
}

/// Encryption on or off.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EncryptionChange {
    pub on: bool,
}

/// A recovery key entered (to read encrypted backups after a restart without a
/// keyring, on a new PC, or to restore older backups).
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RecoveryKey {
    pub key: String,
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
    /// Its files are encrypted: reading it needs the backup key.
    pub encrypted: bool,
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
    let folder = targets::folder(&target.path).ok_or_else(|| {
        Error::from(targets::stick_missing(
            targets::stick_label(&target.path).unwrap_or_default(),
        ))
    })?;
    let dir = folder.join(crate::backup::FOLDER).join(name);
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
            encryption: self.encryption_state().await?,
        })
    }

    /// The key that reads encrypted backups, when it is kept here, and where.
    pub(super) fn backup_key(&self) -> Option<(age::x25519::Identity, Kept)> {
        let (text, kept) = self.secrets.get(crypt::KEY_ACCOUNT)?;
        crypt::parse_key(&text).ok().map(|k| (k, kept))
    }

    /// How backups are written now: encrypted to the setting's recipient, with the key
    /// when it is here.
    pub(super) async fn backup_keys(&self) -> Result<Keys, Error> {
        let r = self
            .db()
            .run(|c| Ok::<_, Error>(crypt::setting(c)?))
            .await?;
        let encrypt_to = match r {
            Some(r) => Some(crypt::parse_recipient(&r)?),
            None => None,
        };
        Ok(Keys {
            encrypt_to,
            key: self.backup_key().map(|(k, _)| k),
        })
    }

    pub async fn encryption_state(&self) -> Result<EncryptionState, Error> {
        let recipient = self
            .db()
            .run(|c| Ok::<_, Error>(crypt::setting(c)?))
            .await?;
        let key = self.backup_key();
        Ok(EncryptionState {
            on: recipient.is_some(),
            recipient,
            key_here: key.is_some(),
            key_in_memory_only: key.and_then(|(_, kept)| match kept {
                Kept::Os => None,
                Kept::Memory(why) => Some(why),
            }),
        })
    }

    /// Turns backup encryption on (a new key, its recovery key returned to be shown
    /// once; or the key already kept, used again) or off (new backups unencrypted; the
    /// key stays, for the encrypted backups there are). Audited, without the key.
    pub async fn set_backup_encryption(
        &self,
        on: bool,
        actor: Actor,
    ) -> Result<EncryptionTurnedOn, Error> {
        let mut recovery_key = None;
        let recipient = if on {
            let id = match self.backup_key() {
                Some((k, _)) => k,
                None => {
                    let (id, text) = crypt::generate();
                    self.secrets
                        .set(crypt::KEY_ACCOUNT, &text)
                        .map_err(|e| Error::invalid("backup_key_refused", e.to_string()))?;
                    recovery_key = Some(text);
                    id
                }
            };
            Some(crypt::recipient_of(&id))
        } else {
            None
        };
        let new_key = recovery_key.is_some();
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                crypt::set_setting(&tx, recipient.as_deref())?;
                let (action, detail) = match &recipient {
                    Some(r) if new_key => (
                        "backup.encryption_on",
                        format!("new backups encrypted to {r} (a new key; its recovery key was shown once)"),
                    ),
                    Some(r) => (
                        "backup.encryption_on",
                        format!("new backups encrypted to {r} (the key kept before)"),
                    ),
                    None => (
                        "backup.encryption_off",
                        "new backups are not encrypted; the key is kept for the encrypted ones".into(),
                    ),
                };
                audit::record(&tx, &AuditEntry::new(&actor, action, "backups", &detail))?;
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await?;
        Ok(EncryptionTurnedOn {
            recovery_key,
            state: self.encryption_state().await?,
        })
    }

    /// Keeps a recovery key typed in by the admin (in the OS keyring, or in memory where
    /// there is none). While encryption is on, only the key of its recipient is taken.
    pub async fn enter_backup_key(
        &self,
        text: String,
        actor: Actor,
    ) -> Result<EncryptionState, Error> {
        let id = crypt::parse_key(&text)?;
        let recipient = crypt::recipient_of(&id);
        let current = self
            .db()
            .run(|c| Ok::<_, Error>(crypt::setting(c)?))
            .await?;
        if let Some(cur) = current.filter(|c| *c != recipient) {
            return Err(Error::invalid(
                "backup_key_wrong",
                format!(
                    "this recovery key is for {recipient}, but backups are encrypted to {cur}: enter the recovery key shown when encryption was turned on"
                ),
            ));
        }
        let normal = id.to_string();
        self.secrets
            .set(
                crypt::KEY_ACCOUNT,
                age::secrecy::ExposeSecret::expose_secret(&normal),
            )
            .map_err(|e| Error::invalid("backup_key_refused", e.to_string()))?;
        self.db()
            .run(move |c| {
                audit::record(
                    c,
                    &AuditEntry::new(
                        &actor,
                        "backup.key_entered",
                        "backups",
                        &format!("the recovery key of {recipient} was entered"),
                    ),
                )
                .map_err(Error::from)
            })
            .await?;
        self.encryption_state().await
    }

    /// The backups on a target's folder, newest first.
    pub async fn target_backups(&self, id: i64) -> Result<TargetBackups, Error> {
        let target = self
            .db()
            .run(move |c| Ok::<_, Error>(targets::get(c, id)?))
            .await?
            .ok_or(Error::NotFound("backup target"))?;
        let path = target.path.clone();
        let listed = tokio::task::spawn_blocking(move || match targets::folder(&path) {
            Some(f) => manifest::list(&f.join(crate::backup::FOLDER)),
            None => Err(targets::stick_missing(
                targets::stick_label(&path).unwrap_or_default(),
            )),
        })
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
                        encrypted: l.manifest.as_ref().is_some_and(|m| m.encryption.is_some()),
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
                let tx = crate::store::write_tx(c)?;
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
                let tx = crate::store::write_tx(c)?;
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
                let tx = crate::store::write_tx(c)?;
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
        let keys = self.backup_keys().await?;
        let outcome = tokio::task::spawn_blocking(move || {
            targets::run_with(&db, &data_dir, &target, &tz, &keys, &Quiet)
        })
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
        let key = self.backup_key().map(|(k, _)| k);
        let (_, v) = tokio::task::spawn_blocking(move || {
            crate::backup::verify::verify_with(&dir, key.as_ref())
        })
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
            let key = self.backup_key().map(|(k, _)| k);
            tokio::task::spawn_blocking(move || drill::run_with(&list, now_ms(), key.as_ref()))
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
                let tx = crate::store::write_tx(c)?;
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
