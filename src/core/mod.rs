//! The running core: the state that collection, storage, the API and the background
//! jobs share, behind methods named for what they do, and the service functions that
//! answer what the API and the command line ask by calling the rooms that own the data
//! (config, collector, store, production, auth, health).
//!
//! It does not serve HTTP and does not start anything: `app` composes the core, wires
//! the collector's sink and starts the server and the jobs. Nothing here imports `api`
//! or `app`.

mod account;
mod alarms;
mod backup;
mod backup_restore;
mod configure;
mod devices;
mod error;
mod export;
pub mod export_jobs;
pub mod import;
mod mail;
mod plant;
mod prefs;
pub mod production;
pub mod report;
pub mod report_jobs;
pub mod review;
mod security;
mod setup;
mod storage;
pub mod support;
mod sync;

pub use account::{Admitted, CreateUser, Me, RoleView, Session, roles};
pub use alarms::{AckBody, AlarmsView, PriorityCounts, ShelveBody};
pub use backup::{
    BackupEntry, BackupsView, EncryptionChange, EncryptionState, EncryptionTurnedOn, RecoveryKey,
    TargetBackups, last_samples,
};
pub use backup_restore::BackupRestored;
pub use configure::{ConfigSummary, check_config, import_text};
pub use devices::{
    BusView, DeviceDetail, DeviceView, TagDetail, TemplateSummary, template, template_list,
};
pub use error::Error;
pub use export::ExportJob;
pub use mail::{EmailBody, MailView, SmtpBody, TestMailBody, TestMailResult};
pub use plant::{HistoryView, MachineView, StateTimesView, TagView};
pub use prefs::{PlantLanguage, PreferencesChange, PreferencesView};
pub use security::{AccessReviewView, CertificateUpload, LanView, Scope, this_pc_names};
pub use setup::TagFindings;
pub use storage::StorageView;

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use tokio::sync::{Notify, broadcast, mpsc};
use tokio_util::sync::CancellationToken;

use crate::alerts::Alerts;
use crate::collector::bus::Job;
use crate::collector::{Collector, DeviceStatus, DiagBoard, Diagnostics, SharedSink, StatusBoard};
use crate::config::{self, Plant};
use crate::health::{self, SystemAlarm};
use crate::live::{LiveCache, LiveValue};
use crate::production::{Overview, Production};
use crate::sample::{Sample, TagId, now_ms};
use crate::store::compact::CompactorStatus;
use crate::store::guard::{self, DiskStatus};
use crate::store::{DataDir, Db, StoreError, WriterHandle, WriterStatus};

/// What the running core's parts share. Built by `app`; everything else reads it
/// through its methods.
pub struct Core {
    db: Db,
    data_dir: DataDir,
    plant: RwLock<Arc<Plant>>,
    live: Arc<LiveCache>,
    production: Arc<Production>,
    alerts: Arc<Alerts>,
    /// Fires when the alarm job stored a change (for the live event stream).
    alarm_changes: broadcast::Sender<()>,
    writer: WriterHandle,
    sink: SharedSink,
    status: Arc<StatusBoard>,
    diag: Arc<DiagBoard>,
    collector: tokio::sync::Mutex<Collector>,
    stopping: CancellationToken,
    disk: RwLock<DiskStatus>,
    retention_wake: Notify,
    compactor: Mutex<Option<CompactorStatus>>,
    /// The setup code, limits, LAN and TLS state (core::security).
    security: security::Guards,
    /// The backup targets' state as last read, for the system alarms (core::backup).
    backup_states: RwLock<Vec<crate::backup::targets::TargetState>>,
    /// One backup at a time.
    backup_busy: tokio::sync::Mutex<()>,
    /// The restore drill's state as last read, for the system alarms (core::backup).
    drill_state: RwLock<Option<crate::backup::drill::DrillState>>,
    /// Exports to removable drives started from the UI (core::export_jobs).
    exports: export_jobs::Exports,
    /// The SMTP password: the OS keyring, or its in-memory fallback (core::mail).
    secrets: Arc<crate::mail::secret::Secrets>,
    /// Wakes the mail job when a mail was queued.
    mail_wake: Notify,
}

/// The parts `app` has started, handed to [`Core::new`].
pub struct Parts {
    pub db: Db,
    pub data_dir: DataDir,
    pub plant: Arc<Plant>,
    pub live: Arc<LiveCache>,
    pub production: Arc<Production>,
    /// The alarm rules, fed by the same sink.
    pub alerts: Arc<Alerts>,
    pub writer: WriterHandle,
    /// Where the collector's readings go (wired by `app`).
    pub sink: SharedSink,
    pub status: Arc<StatusBoard>,
    pub diag: Arc<DiagBoard>,
    /// The collector, already started on `plant`.
    pub collector: Collector,
    /// Fires when Plantlog stops.
    pub stopping: CancellationToken,
}

impl Core {
    pub fn new(p: Parts) -> Core {
        Core {
            db: p.db,
            data_dir: p.data_dir,
            plant: RwLock::new(p.plant),
            live: p.live,
            production: p.production,
            alerts: p.alerts,
            alarm_changes: broadcast::channel(16).0,
            writer: p.writer,
            sink: p.sink,
            status: p.status,
            diag: p.diag,
            collector: tokio::sync::Mutex::new(p.collector),
            stopping: p.stopping,
            disk: RwLock::new(DiskStatus::default()),
            retention_wake: Notify::new(),
            compactor: Mutex::new(None),
            security: security::Guards::default(),
            backup_states: RwLock::new(Vec::new()),
            backup_busy: tokio::sync::Mutex::new(()),
            exports: Default::default(),
            drill_state: RwLock::new(None),
            secrets: mail::secrets(),
            mail_wake: Notify::new(),
        }
    }

    /// The running plant.
    pub fn plant(&self) -> Arc<Plant> {
        self.plant.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The database (connection pool).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The data folder's root.
    pub fn data_folder(&self) -> &Path {
        self.data_dir.root()
    }

    /// Resolves when Plantlog stops; long requests (live streams) end with it.
    pub fn stopping(&self) -> tokio_util::sync::WaitForCancellationFuture<'_> {
        self.stopping.cancelled()
    }

    /// Whether Plantlog is stopping.
    pub fn is_stopping(&self) -> bool {
        self.stopping.is_cancelled()
    }

    /// A token for one request's long work on a blocking thread, and its guard: the
    /// token fires when the guard drops (the request future was dropped because the
    /// client went away or its time ran out) or when Plantlog stops. Hold the guard in
    /// the async function; check the token in the work's loop.
    pub fn request_work(&self) -> (CancellationToken, tokio_util::sync::DropGuard) {
        let token = self.stopping.child_token();
        (token.clone(), token.drop_guard())
    }

    // ------------------------------------------------------------ live values

    /// The newest sample of a tag and its newest good one.
    pub fn latest(&self, tag: TagId) -> Option<LiveValue> {
        self.live.get(tag)
    }

    /// Every batch of readings from now on, for the live event stream.
    pub fn subscribe_samples(&self) -> broadcast::Receiver<Arc<[Sample]>> {
        self.live.subscribe()
    }

    /// The overview tiles, with the system alarms every user must see.
    pub fn overview(&self) -> Overview {
        crate::production::overview(
            &self.plant(),
            &self.live,
            &self.production,
            self.system_alarms(),
            &|key| self.status.get(key),
            now_ms(),
        )
    }

    /// The alarm engine, for the parts that hold conditions (`Alerts::set_conditions`).
    pub fn alerts(&self) -> &Alerts {
        &self.alerts
    }

    /// Problems of Plantlog itself that hold now.
    pub fn system_alarms(&self) -> Vec<SystemAlarm> {
        health::system_alarms(
            &self.writer.status(),
            &self.disk_status(),
            &self.backup_states(),
            self.drill_state().as_ref(),
        )
    }

    // ------------------------------------------------------------ collection

    pub fn device_status(&self, device: &str) -> DeviceStatus {
        self.status.get(device)
    }

    pub fn device_diagnostics(&self, device: &str) -> Option<Diagnostics> {
        self.diag.device(device)
    }

    pub fn line_diagnostics(&self, line: &str) -> Option<Diagnostics> {
        self.diag.bus(line)
    }

    /// The job queue of the running line `key`, for commissioning reads.
    async fn line_jobs(&self, key: &str) -> Option<mpsc::Sender<Job>> {
        self.collector.lock().await.jobs(key)
    }

    /// Loads the newest configuration from the database and, if it is not the running
    /// one, switches the collector, the recording policies and the production engine to
    /// it. Returns whether it switched.
    pub async fn reload(&self) -> Result<bool, StoreError> {
        let mut collector = self.collector.lock().await;
        let current = self.plant().version;
        let loaded = self
            .db
            .run(|c| Ok::<_, StoreError>(config::load_plant(c)))
            .await?;
        let plant = match loaded {
            Ok(p) => p,
            Err(e) => {
                tracing::error!("the new configuration cannot be loaded: {e}");
                return Ok(false);
            }
        };
        if plant.version == current {
            return Ok(false);
        }
        let plant = Arc::new(plant);
        // No reading decoded the old way may follow the markers: stop collecting first.
        collector.stop().await;
        let markers = crate::production::series::markers(&self.plant(), &plant, now_ms());
        self.production.reset(&plant, now_ms());
        self.writer.configure(plant.clone());
        *self.plant.write().unwrap_or_else(|e| e.into_inner()) = plant.clone();
        if !markers.is_empty() {
            tracing::info!(
                tags = markers.len(),
                "decoding changed: the next readings of these tags start a new series"
            );
            // Stored, cached and followed like readings (the sink's fan-out).
            self.sink.emit(markers.clone());
        }
        collector.start(&plant, &self.sink).await;
        let production = self.production.clone();
        let seeded = plant.clone();
        self.db
            .run(move |c| {
                production
                    .seed(c, &seeded, now_ms())
                    .map_err(StoreError::from)
            })
            .await?;
        // A machine seeded from history before the writer committed the markers sees
        // them now (a machine that has them already ignores them: not newer).
        self.production.update(&markers);
        if let Err(e) = self.reset_alarms().await {
            tracing::error!("the alarm rules of the new configuration did not start: {e}");
        }
        Ok(true)
    }

    /// Stops the collector's tasks (at shutdown).
    pub async fn stop_collecting(&self) {
        self.collector.lock().await.stop().await;
    }

    // ------------------------------------------------------------ storage

    /// What the writer is doing.
    pub fn writer_status(&self) -> WriterStatus {
        self.writer.status()
    }

    /// Waits until every reading handed to the writer so far is committed. Blocks the
    /// calling thread (tests and shutdown).
    pub fn flush_writer(&self) {
        self.writer.flush();
    }

    pub fn disk_status(&self) -> DiskStatus {
        self.disk.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Measures free space now against the configured warning level; the disk alarm
    /// follows at once.
    pub async fn check_disk(&self) {
        let dir = self.data_dir.root().to_path_buf();
        let warn = self
            .db
            .run(|c| guard::warn_mb(c).map_err(StoreError::from))
            .await
            .unwrap_or(guard::DEFAULT_WARN_MB);
        if let Ok(status) = tokio::task::spawn_blocking(move || guard::check(&dir, warn)).await {
            let was_low = self.disk_status().low;
            if status.low && !was_low {
                tracing::warn!("free space is low: {:?} bytes left", status.free_bytes);
            }
            *self.disk.write().unwrap_or_else(|e| e.into_inner()) = status;
        }
    }

    pub fn compactor_status(&self) -> Option<CompactorStatus> {
        self.compactor
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_compactor_status(&self, status: CompactorStatus) {
        *self.compactor.lock().unwrap_or_else(|e| e.into_inner()) = Some(status);
    }

    /// Resolves when the retention settings changed and the job should run now.
    pub fn retention_changed(&self) -> tokio::sync::futures::Notified<'_> {
        self.retention_wake.notified()
    }

    /// Runs the retention purges that are due now; returns the archive files written.
    pub async fn run_retention(&self) -> Result<Vec<std::path::PathBuf>, Error> {
        let archive_dir = self.data_dir.root().join("archive");
        self.db
            .run(move |c| {
                crate::store::retention::run_due(c, &archive_dir, now_ms())
                    .map_err(|e| Error::Internal(e.to_string()))
            })
            .await
    }

    /// Ends sessions past their timeout or lifetime; forgets login counters older than a
    /// day.
    pub async fn purge_expired_sessions(&self) -> Result<(), StoreError> {
        self.db
            .run(|c| {
                crate::auth::sessions::purge_expired(c)?;
                crate::auth::throttle::purge(c, now_ms()).map_err(StoreError::from)
            })
            .await
            .map(|_| ())
    }

    /// Checks for a configuration imported by another process and switches to it.
    pub async fn follow_config(&self) {
        let stored = self
            .db
            .run(|c| config::current_version(c).map_err(StoreError::from))
            .await;
        match stored {
            Ok(v) if v != self.plant().version => {
                if let Err(e) = self.reload().await {
                    tracing::error!("cannot switch to configuration {v}: {e}");
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("cannot check for a new configuration: {e}"),
        }
    }
}
