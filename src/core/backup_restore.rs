//! A restore from the admin page, while Plantlog runs and serves: the backup is verified
//! and its database copied into the data folder beside the current one while everything
//! goes on; then the collector stops, the writer commits what it holds and closes its
//! connection, the database's gate closes (requests that read wait, the compactor waits
//! between runs) and the pool's connections close; the current database is set aside
//! (never deleted) and the copy takes its place, opened (migrated) and audited; the gate
//! opens, the writer opens the restored file, the configuration, live values, production
//! engine and alarm rules are read from it again, and the collector starts collecting
//! into it. docs/ARCHITECTURE.md, "Restore while running".

use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use super::backup::{backup_folder, last_samples};
use super::{Core, Error};
use crate::auth::audit::Actor;
use crate::backup::Quiet;
use crate::backup::restore;
use crate::sample::{Sample, now_ms};
use crate::store::StoreError;

/// What a restore from the admin page did.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BackupRestored {
    /// The backup restored (its folder name) and its moment.
    pub backup: String,
    pub created_ms: i64,
    /// Where the data that was in use is kept now.
    pub set_aside: Option<String>,
    /// The whole restore, and the part during which collection was stopped.
    pub took_ms: u64,
    pub stopped_ms: u64,
    /// The configuration version now running (the restored one).
    pub config_version: i64,
}

impl Core {
    /// Restores the backup `name` of target `id` into the running data folder; audited
    /// (`backup.restore`, in the restored audit log). One backup, drill or restore at a
    /// time. It runs as a task of its own: a request that goes away (or times out) does
    /// not leave it half done with the collector stopped.
    pub async fn restore_backup(
        self: &Arc<Self>,
        id: i64,
        name: String,
        actor: Actor,
    ) -> Result<BackupRestored, Error> {
        let core = self.clone();
        tokio::spawn(async move { core.restore_now(id, name, actor).await })
            .await
            .map_err(|e| Error::Internal(e.to_string()))?
    }

    async fn restore_now(
        &self,
        id: i64,
        name: String,
        actor: Actor,
    ) -> Result<BackupRestored, Error> {
        let target = self.backup_target(id).await?;
        let dir = backup_folder(&target, &name)?;
        let _one = self.backup_busy.lock().await;
        let started = Instant::now();
        let data_dir = self.data_folder().to_path_buf();
        let prepared = {
            let (dir, data_dir) = (dir.clone(), data_dir.clone());
            let key = self.backup_key().map(|(k, _)| k);
            tokio::task::spawn_blocking(move || {
                restore::prepare_with(&dir, &data_dir, key.as_ref(), &Quiet)
            })
            .await
            .map_err(|e| Error::Internal(e.to_string()))??
        };
        tracing::info!(
            "restoring {}: verified and copied in {} ms; stopping collection",
            dir.display(),
            started.elapsed().as_millis()
        );

        let mut collector = self.collector.lock().await;
        collector.stop().await;
        let stopped = Instant::now();
        let swapped = {
            let (db, writer) = (self.db.clone(), self.writer.clone());
            tokio::task::spawn_blocking(move || {
                writer.flush();
                // Readers first (new ones wait at the gate, the ones inside finish),
                // then the writer, which commits what it holds and closes.
                let closed = db.quiesce();
                writer.quiesce();
                let result = restore::swap(prepared, &data_dir, &actor, &Quiet);
                drop(closed);
                result
            })
            .await
            .map_err(|e| Error::Internal(e.to_string()))?
        };
        // Whatever the swap did, collection goes on into the database now in place.
        let opened = self.open_again(&mut collector).await;
        let stopped_ms = stopped.elapsed().as_millis() as u64;
        drop(collector);
        self.refresh_backups().await;
        self.refresh_drill().await;
        let restored = swapped?;
        opened?;
        tracing::info!(
            "backup {} restored; collection stopped for {stopped_ms} ms",
            restored.manifest.name
        );
        Ok(BackupRestored {
            backup: restored.manifest.name.clone(),
            created_ms: restored.manifest.created_ms,
            set_aside: restored.set_aside.map(|p| p.display().to_string()),
            took_ms: started.elapsed().as_millis() as u64,
            stopped_ms,
            config_version: self.plant().version,
        })
    }

    /// After the database file was replaced: the configuration, the writer's recording
    /// policies, the live values, the production engine and the alarm rules from it, a
    /// break marker for every tag, and the collector started on it.
    async fn open_again(&self, collector: &mut crate::collector::Collector) -> Result<(), Error> {
        let loaded = self
            .db
            .run(|c| Ok::<_, StoreError>(crate::config::load_plant(c)))
            .await?;
        let plant = match loaded {
            Ok(p) => Arc::new(p),
            Err(e) => {
                // The running configuration stays; collection goes on with it.
                tracing::error!("the restored configuration cannot be loaded: {e}");
                collector.start(&self.plant(), &self.sink).await;
                return Err(Error::Internal(format!(
                    "the restored configuration cannot be loaded: {e}"
                )));
            }
        };
        self.writer.configure(plant.clone());
        *self.plant.write().unwrap_or_else(|e| e.into_inner()) = plant.clone();
        let last = {
            let plant = plant.clone();
            self.db.run(move |c| last_samples(c, &plant)).await?
        };
        self.live.replace(&last);
        self.production.reset(&plant, now_ms());
        {
            let (production, plant) = (self.production.clone(), plant.clone());
            self.db
                .run(move |c| {
                    production
                        .seed(c, &plant, now_ms())
                        .map_err(StoreError::from)
                })
                .await?;
        }
        // The time between the backup and now is a break in every trend.
        let start = now_ms() - 1;
        let markers: Vec<Sample> = plant
            .tags()
            .map(|t| Sample::bad(t.id, start, crate::sample::Quality::Stale))
            .collect();
        self.production.update(&markers);
        self.writer.store(markers);
        if let Err(e) = self.reset_alarms().await {
            tracing::error!("the alarm rules of the restored configuration did not start: {e}");
        }
        collector.start(&plant, &self.sink).await;
        Ok(())
    }
}
