//! Starting and stopping the whole core: data folder lock, database, writer,
//! collector, production engine and the HTTP server, in that order. The command line,
//! the desktop shell and the tests all start Plantlog through [`start`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::bus::SampleBus;
use crate::collector::{Collector, DiagBoard, StatusBoard};
use crate::config::{self, Plant};
use crate::live::LiveCache;
use crate::production::Production;
use crate::sample::{Sample, now_ms};
use crate::store::compact::{Compactor, CompactorStatus};
use crate::store::guard::{self, DiskStatus};
use crate::store::{DataDir, DataLock, Db, LockError, StoreError, Writer};

/// The default port of the web UI and API.
pub const DEFAULT_PORT: u16 = 8470;

/// How often the configuration is checked for an import by another process.
const CONFIG_POLL: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot read the running configuration: {0}")]
    Config(String),
    #[error(
        "cannot listen on {addr}: {source}. Another program may use the port; start with --port and another number"
    )]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// Where to listen.
pub enum Listen {
    /// Bind this address; with `fallback`, take a free port if it is in use.
    Addr { addr: SocketAddr, fallback: bool },
    /// Use a listener the caller bound (tests bind port 0).
    Listener(TcpListener),
}

pub struct Options {
    pub data_dir: PathBuf,
    pub listen: Listen,
    /// What this process is, for the lock ("plantlog demo").
    pub what: String,
}

/// What the API and background tasks share.
pub struct Core {
    pub db: Db,
    pub data_dir: DataDir,
    plant: RwLock<Arc<Plant>>,
    pub live: Arc<LiveCache>,
    pub production: Arc<Production>,
    pub status: Arc<StatusBoard>,
    pub diag: Arc<DiagBoard>,
    pub bus: SampleBus,
    collector: tokio::sync::Mutex<Collector>,
    /// Fires when Plantlog stops; long-running requests (live streams) end with it.
    pub shutdown: CancellationToken,
    /// Free space of the data folder's drive, checked every few seconds.
    pub disk: RwLock<DiskStatus>,
    /// Wakes the retention job (after its settings changed).
    pub retention_now: tokio::sync::Notify,
    /// What the compactor is doing.
    pub compactor: Arc<std::sync::Mutex<Option<CompactorStatus>>>,
}

impl Core {
    /// The running plant.
    pub fn plant(&self) -> Arc<Plant> {
        self.plant.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The job queue of the running bus `key`, for commissioning reads.
    pub async fn collector_jobs(
        &self,
        key: &str,
    ) -> Option<tokio::sync::mpsc::Sender<crate::collector::bus::Job>> {
        self.collector.lock().await.jobs(key)
    }

    /// Loads the newest configuration from the database and, if it is not the running
    /// one, switches the collector and production engine to it. Returns whether it
    /// switched.
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
        self.production.reset(&plant, now_ms());
        self.bus.configure(&plant);
        *self.plant.write().unwrap_or_else(|e| e.into_inner()) = plant.clone();
        collector.start(&plant, &self.bus).await;
        let production = self.production.clone();
        self.db
            .run(move |c| production.seed(c, now_ms()).map_err(StoreError::from))
            .await?;
        Ok(true)
    }
}

/// A running Plantlog; [`Running::shutdown`] stops it cleanly.
pub struct Running {
    pub core: Arc<Core>,
    pub local_addr: SocketAddr,
    cancel: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
    writer: Option<Writer>,
    compactor: Option<Compactor>,
    _lock: DataLock,
}

impl Running {
    /// The address to open in a browser.
    pub fn url(&self) -> String {
        format!("http://{}/", self.local_addr)
    }

    /// Resolves when the server stops (it only stops on shutdown or a fatal error).
    pub fn cancelled(&self) -> tokio_util::sync::WaitForCancellationFuture<'_> {
        self.cancel.cancelled()
    }

    /// Stops the server and collectors and commits what is pending.
    pub async fn shutdown(mut self) {
        self.cancel.cancel();
        self.core.collector.lock().await.stop().await;
        self.core.bus.flush_held();
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
        if let Some(w) = self.writer.take() {
            tokio::task::spawn_blocking(move || w.stop()).await.ok();
        }
        if let Some(c) = self.compactor.take() {
            tokio::task::spawn_blocking(move || drop(c)).await.ok();
        }
    }
}

/// Takes the data folder's lock and starts.
pub async fn start(opts: Options) -> Result<Running, StartError> {
    let data_dir = DataDir::create(&opts.data_dir).map_err(|source| StartError::DataDir {
        path: opts.data_dir.clone(),
        source,
    })?;
    let lock = DataLock::acquire(&data_dir, &opts.what)?;
    start_locked(opts, lock).await
}

/// Starts with the data folder's lock already held (the demo prepares the database
/// before starting).
pub async fn start_locked(opts: Options, lock: DataLock) -> Result<Running, StartError> {
    let data_dir = DataDir::create(&opts.data_dir).map_err(|source| StartError::DataDir {
        path: opts.data_dir.clone(),
        source,
    })?;
    let db = Db::open(&data_dir.database())?;
    let plant = db
        .with(|c| Ok::<_, StoreError>(config::load_plant(c)))?
        .map_err(|e| StartError::Config(e.to_string()))?;
    let plant = Arc::new(plant);
    let writer = Writer::start(&data_dir.database())?;
    let compactor = Compactor::start(&data_dir.database())?;

    let live = Arc::new(LiveCache::default());
    let last = {
        let plant = plant.clone();
        db.with(move |c| last_samples(c, &plant))?
    };
    live.seed(&last);
    let production = Arc::new(Production::new(&plant, now_ms()));
    {
        let production = production.clone();
        db.sql(move |c| production.seed(c, now_ms()))?;
    }
    let bus = SampleBus::new(writer.handle(), live.clone(), production.clone());
    bus.configure(&plant);
    // Plantlog was not collecting until now: a marker before the first reading, so every
    // trend shows the time it was not running as a break, whatever the tag's recording.
    let start = now_ms() - 1;
    writer.handle().send(
        plant
            .tags()
            .map(|t| Sample::bad(t.id, start, crate::sample::Quality::Stale))
            .collect(),
    );
    let status = Arc::new(StatusBoard::default());
    let diag = Arc::new(DiagBoard::default());
    let mut collector = Collector::new(status.clone(), diag.clone());
    collector.start(&plant, &bus).await;

    let cancel = CancellationToken::new();
    let core = Arc::new(Core {
        db,
        data_dir,
        plant: RwLock::new(plant),
        live,
        production,
        status,
        diag,
        bus,
        collector: tokio::sync::Mutex::new(collector),
        shutdown: cancel.clone(),
        disk: RwLock::new(DiskStatus::default()),
        retention_now: tokio::sync::Notify::new(),
        compactor: Arc::default(),
    });

    let listener = match opts.listen {
        Listen::Listener(l) => l,
        Listen::Addr { addr, fallback } => match TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) if fallback && e.kind() == std::io::ErrorKind::AddrInUse => {
                let any = SocketAddr::new(addr.ip(), 0);
                TcpListener::bind(any)
                    .await
                    .map_err(|source| StartError::Bind { addr: any, source })?
            }
            Err(source) => return Err(StartError::Bind { addr, source }),
        },
    };
    let local_addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        source,
    })?;

    // --- desktop/service attach (issue 16): the lock info names the address served,
    // so the desktop app opens this core's UI instead of starting a second core.
    if let Err(e) = lock.set_address(&format!("http://{local_addr}/")) {
        tracing::warn!("cannot record the address in the lock info: {e}");
    }
    // --- end desktop/service attach

    let tasks = vec![
        tokio::spawn(crate::api::serve(listener, core.clone(), cancel.clone())),
        tokio::spawn(watch_config(core.clone(), cancel.clone())),
        tokio::spawn(housekeeping(core.clone(), cancel.clone())),
        tokio::spawn(watch_disk(core.clone(), cancel.clone())),
        tokio::spawn(retention(core.clone(), cancel.clone())),
        tokio::spawn(watch_compactor(
            core.clone(),
            compactor.status_handle(),
            cancel.clone(),
        )),
    ];

    tracing::info!(
        "Plantlog serving http://{local_addr}/ from {}",
        core.data_dir.root().display()
    );
    Ok(Running {
        core,
        local_addr,
        cancel,
        tasks,
        writer: Some(writer),
        compactor: Some(compactor),
        _lock: lock,
    })
}

/// Picks up configurations imported by another process (`plantlog config import`).
async fn watch_config(core: Arc<Core>, cancel: CancellationToken) {
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(CONFIG_POLL) => {}
        }
        let stored = core
            .db
            .run(|c| config::current_version(c).map_err(StoreError::from))
            .await;
        match stored {
            Ok(v) if v != core.plant().version => {
                if let Err(e) = core.reload().await {
                    tracing::error!("cannot switch to configuration {v}: {e}");
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("cannot check for a new configuration: {e}"),
        }
    }
}

/// Checks free space every few seconds.
async fn watch_disk(core: Arc<Core>, cancel: CancellationToken) {
    loop {
        check_disk(&core).await;
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}

/// Measures free space now against the configured warning level and updates
/// `core.disk`; also called when the level changes, so the alarm follows at once.
pub async fn check_disk(core: &Core) {
    let dir = core.data_dir.root().to_path_buf();
    let warn = core
        .db
        .run(|c| guard::warn_mb(c).map_err(StoreError::from))
        .await
        .unwrap_or(guard::DEFAULT_WARN_MB);
    if let Ok(status) = tokio::task::spawn_blocking(move || guard::check(&dir, warn)).await {
        let was_low = core.disk.read().unwrap_or_else(|e| e.into_inner()).low;
        if status.low && !was_low {
            tracing::warn!("free space is low: {:?} bytes left", status.free_bytes);
        }
        *core.disk.write().unwrap_or_else(|e| e.into_inner()) = status;
    }
}

/// Mirrors the compactor's status into the core.
async fn watch_compactor(
    core: Arc<Core>,
    status: Arc<std::sync::Mutex<CompactorStatus>>,
    cancel: CancellationToken,
) {
    loop {
        let s = status.lock().unwrap_or_else(|e| e.into_inner()).clone();
        *core.compactor.lock().unwrap_or_else(|e| e.into_inner()) = Some(s);
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}

/// The retention job: hourly, and at once when its settings change.
async fn retention(core: Arc<Core>, cancel: CancellationToken) {
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = core.retention_now.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
        let archive_dir = core.data_dir.root().join("archive");
        let result = core
            .db
            .run(move |c| {
                let settings = crate::store::retention::settings(c)?;
                let steps = crate::store::retention::plan(c, &settings, now_ms())?;
                let archive = settings.archive.then_some(archive_dir.as_path());
                crate::store::retention::act(c, &steps, archive)
            })
            .await;
        match result {
            Ok(files) if !files.is_empty() => tracing::info!("retention archived to {files:?}"),
            Ok(_) => {}
            Err(e) => tracing::error!("retention failed: {e}"),
        }
    }
}

/// Periodic clean-up: expired sessions.
async fn housekeeping(core: Arc<Core>, cancel: CancellationToken) {
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(600)) => {}
        }
        let purged = core
            .db
            .run(|c| crate::auth::sessions::purge_expired(c).map_err(StoreError::from))
            .await;
        if let Err(e) = purged {
            tracing::warn!("cannot purge expired sessions: {e}");
        }
    }
}

/// The newest sample and the newest good sample of every configured tag.
fn last_samples(conn: &mut rusqlite::Connection, plant: &Plant) -> Result<Vec<Sample>, StoreError> {
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
