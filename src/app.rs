//! The composition root: starting and stopping the whole core (data folder lock,
//! database, writer, collector, production engine, the HTTP server and the background
//! jobs, in that order), and the wiring of the collector's sink to everything that
//! listens to readings. The command line, the desktop shell and the tests all start
//! Plantlog through [`start`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::alerts::Alerts;
pub use crate::api::server::Exposure;
use crate::auth::tls::{CertResolver, TlsFiles};
use crate::collector::{Collector, DiagBoard, SharedSink, Sink, StatusBoard};
use crate::config;
use crate::core::{Core, LanView, Parts};
use crate::live::LiveCache;
use crate::production::Production;
use crate::sample::{Sample, now_ms};
use crate::store::compact::{Compactor, CompactorStatus};
use crate::store::{DataDir, DataLock, Db, LockError, StoreError, Writer, WriterHandle};

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
        "Plantlog has no admin account yet, and the first one is created on this PC: start it without --listen (or with --listen 127.0.0.1), open the address it prints and create the admin account with the setup code it prints; then start it again with --listen {addr} to serve the plant LAN"
    )]
    SetupFirst { addr: SocketAddr },
    #[error("cannot set up TLS for the plant LAN: {0}")]
    Tls(#[from] crate::auth::tls::TlsError),
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
    /// Use a listener the caller bound (tests bind port 0). On a loopback address it
    /// serves this PC; on any other, the plant LAN.
    Listener(TcpListener),
    /// Use a listener the caller bound and serve it as the plant LAN, every client
    /// counting as a LAN client, loopback too (tests, where loopback stands in for the
    /// LAN: HTTPS, plain HTTP only redirected, setup refused).
    Lan(TcpListener),
}

pub struct Options {
    pub data_dir: PathBuf,
    pub listen: Listen,
    /// What this process is, for the lock ("plantlog demo").
    pub what: String,
}

/// Where the collector's readings go: the live values and stream, the production
/// engine, and the writer (whose recording policies decide what is stored). A new
/// listener (alarms, sync) is one more field here.
pub struct Fanout {
    live: Arc<LiveCache>,
    production: Arc<Production>,
    /// The alarm rules (issue 13); `None` where a measurement leaves them out.
    alerts: Option<Arc<Alerts>>,
    /// `None` only when the collector is measured without the historian.
    writer: Option<WriterHandle>,
}

impl Fanout {
    pub fn new(
        live: Arc<LiveCache>,
        production: Arc<Production>,
        writer: Option<WriterHandle>,
    ) -> Fanout {
        Fanout {
            live,
            production,
            alerts: None,
            writer,
        }
    }

    /// The same, with the alarm rules listening too.
    pub fn with_alerts(mut self, alerts: Arc<Alerts>) -> Fanout {
        self.alerts = Some(alerts);
        self
    }
}

impl Sink for Fanout {
    fn emit(&self, batch: Vec<Sample>) {
        if batch.is_empty() {
            return;
        }
        self.live.publish(&batch);
        self.production.update(&batch);
        if let Some(a) = &self.alerts {
            a.update(&batch);
        }
        if let Some(w) = &self.writer {
            w.record(batch);
        }
    }
}

/// A running Plantlog; [`Running::shutdown`] stops it cleanly.
pub struct Running {
    pub core: Arc<Core>,
    pub local_addr: SocketAddr,
    /// Who the listener serves.
    pub exposure: Exposure,
    cancel: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
    writer: Option<Writer>,
    compactor: Option<Compactor>,
    _lock: DataLock,
}

impl Running {
    /// The address to open in a browser on this PC. While no admin account exists it
    /// carries the one-time setup code in its fragment (`#/setup?code=...`, which the
    /// browser never sends), so the desktop window opens the setup page ready to fill.
    pub fn url(&self) -> String {
        let host = if self.local_addr.ip().is_unspecified() {
            SocketAddr::new(
                std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
                self.local_addr.port(),
            )
        } else {
            self.local_addr
        };
        let scheme = match self.exposure {
            Exposure::Lan {
                trust_loopback: false,
            } => "https",
            _ => "http",
        };
        match self.core.setup_code() {
            Some(code) => format!("{scheme}://{host}/#/setup?code={code}"),
            None => format!("{scheme}://{host}/"),
        }
    }

    /// The one-time setup code while the first admin account is still to be created.
    pub fn setup_code(&self) -> Option<String> {
        self.core.setup_code()
    }

    /// How the plant LAN reaches Plantlog (addresses, certificate), when it does.
    pub fn lan(&self) -> LanView {
        self.core.lan()
    }

    /// Resolves when the server stops (it only stops on shutdown or a fatal error).
    pub fn cancelled(&self) -> tokio_util::sync::WaitForCancellationFuture<'_> {
        self.cancel.cancelled()
    }

    /// Stops the server and collectors and commits what is pending (also what the
    /// recording policies held back).
    pub async fn shutdown(mut self) {
        self.cancel.cancel();
        self.core.stop_collecting().await;
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
        if let Some(w) = self.writer.take() {
            tokio::task::spawn_blocking(move || w.stop()).await.ok();
        }
        if let Some(c) = self.compactor.take() {
            tokio::task::spawn_blocking(move || drop(c)).await.ok();
        }
        tracing::info!("Plantlog stopped cleanly: every sample taken is written");
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
    // Both pass the database's gate, so a restore can swap the file under them.
    let writer = Writer::start_gated(&data_dir.database(), db.gate())?;
    let compactor = Compactor::start_gated(&data_dir.database(), db.gate())?;

    let live = Arc::new(LiveCache::default());
    let last = {
        let plant = plant.clone();
        db.with(move |c| crate::core::last_samples(c, &plant))?
    };
    live.seed(&last);
    let production = Arc::new(Production::new(&plant, now_ms()));
    {
        let production = production.clone();
        let plant = plant.clone();
        db.sql(move |c| production.seed(c, &plant, now_ms()))?;
    }
    // The alarm rules continue the alarms that were active when Plantlog stopped.
    let alerts = Arc::new(Alerts::default());
    let active = db.with(|c| crate::alerts::store::active_keys(c).map_err(StoreError::from))?;
    let gone = alerts.reset(&plant, now_ms(), &active);
    let sink: SharedSink = Arc::new(
        Fanout::new(live.clone(), production.clone(), Some(writer.handle()))
            .with_alerts(alerts.clone()),
    );
    writer.handle().configure(plant.clone());
    // Plantlog was not collecting until now: a marker before the first reading, so every
    // trend shows the time it was not running as a break, whatever the tag's recording.
    let start = now_ms() - 1;
    let markers: Vec<Sample> = plant
        .tags()
        .map(|t| Sample::bad(t.id, start, crate::sample::Quality::Stale))
        .collect();
    // The production engine sees the same break in its data as the stored history has.
    production.update(&markers);
    writer.handle().store(markers);
    let status = Arc::new(StatusBoard::default());
    let diag = Arc::new(DiagBoard::default());
    let mut collector = Collector::new(status.clone(), diag.clone());
    collector.start(&plant, &sink).await;

    let cancel = CancellationToken::new();
    let core = Arc::new(Core::new(Parts {
        db,
        data_dir,
        plant,
        live,
        production,
        alerts,
        writer: writer.handle(),
        sink,
        status,
        diag,
        collector,
        stopping: cancel.clone(),
    }));

    let (listener, trust_loopback) = match opts.listen {
        Listen::Listener(l) => (l, true),
        Listen::Lan(l) => (l, false),
        Listen::Addr { addr, fallback } => (
            match TcpListener::bind(addr).await {
                Ok(l) => l,
                Err(e) if fallback && e.kind() == std::io::ErrorKind::AddrInUse => {
                    let any = SocketAddr::new(addr.ip(), 0);
                    TcpListener::bind(any)
                        .await
                        .map_err(|source| StartError::Bind { addr: any, source })?
                }
                Err(source) => return Err(StartError::Bind { addr, source }),
            },
            true,
        ),
    };
    let local_addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        source,
    })?;
    let exposure = if local_addr.ip().is_loopback() && trust_loopback {
        Exposure::Local
    } else {
        Exposure::Lan { trust_loopback }
    };
    if let Err(e) = security_at_start(&core, exposure, local_addr).await {
        cancel.cancel();
        core.stop_collecting().await;
        tokio::task::spawn_blocking(move || {
            writer.stop();
            drop(compactor);
        })
        .await
        .ok();
        return Err(e);
    }

    // --- desktop/service attach (issue 16): the lock info names the address served,
    // so the desktop app opens this core's UI instead of starting a second core.
    if let Err(e) = lock.set_address(&format!("http://{local_addr}/")) {
        tracing::warn!("cannot record the address in the lock info: {e}");
    }
    // --- end desktop/service attach

    let tasks = vec![
        tokio::spawn(crate::api::serve_exposed(
            listener,
            core.clone(),
            cancel.clone(),
            exposure,
        )),
        tokio::spawn(watch_config(core.clone(), cancel.clone())),
        tokio::spawn(housekeeping(core.clone(), cancel.clone())),
        tokio::spawn(watch_disk(core.clone(), cancel.clone())),
        tokio::spawn(retention(core.clone(), cancel.clone())),
        tokio::spawn(backups(core.clone(), cancel.clone())),
        tokio::spawn(report_scheduler(core.clone(), cancel.clone())),
        tokio::spawn(summarize_production(core.clone(), cancel.clone())),
        tokio::spawn(alarms(core.clone(), gone, cancel.clone())),
        tokio::spawn(quality_overdue(core.clone(), cancel.clone())),
        tokio::spawn(crate::quality::service::follow_order_tags(
            core.clone(),
            cancel.clone(),
        )),
        tokio::spawn(mail(core.clone(), cancel.clone())),
        tokio::spawn(watch_compactor(
            core.clone(),
            compactor.status_handle(),
            cancel.clone(),
        )),
        // Sync (issue 14): idle while sync is off.
        tokio::spawn(crate::sync::run(
            core.db().clone(),
            core.data_folder().to_path_buf(),
            cancel.clone(),
        )),
    ];

    tracing::info!(
        "Plantlog serving {local_addr} ({}) from {}",
        if exposure == Exposure::Local {
            "this PC"
        } else {
            "the plant LAN, HTTPS"
        },
        core.data_folder().display()
    );
    Ok(Running {
        core,
        local_addr,
        exposure,
        cancel,
        tasks,
        writer: Some(writer),
        compactor: Some(compactor),
        _lock: lock,
    })
}

/// Security before serving: seals audit records written before the chain existed; with
/// no admin yet, makes the one-time setup code (and refuses to serve the LAN); for the
/// LAN, loads or generates the TLS certificate.
async fn security_at_start(
    core: &Arc<Core>,
    exposure: Exposure,
    local_addr: SocketAddr,
) -> Result<(), StartError> {
    core.db()
        .run(|c| crate::auth::audit::seal(c).map_err(StoreError::from))
        .await?;
    let setup = core.setup_required().await.unwrap_or(false);
    if setup && exposure != Exposure::Local {
        return Err(StartError::SetupFirst { addr: local_addr });
    }
    if setup {
        let _ = core.prepare_setup_code().await;
    }
    if exposure == Exposure::Local {
        core.set_lan(
            LanView {
                lan: false,
                listen: local_addr.to_string(),
                urls: Vec::new(),
                certificate: None,
            },
            None,
        );
        return Ok(());
    }
    let names = crate::core::this_pc_names();
    let mut ips: Vec<std::net::IpAddr> = if local_addr.ip().is_unspecified() {
        if_addrs::get_if_addrs()
            .map(|l| l.into_iter().map(|i| i.ip()).collect())
            .unwrap_or_default()
    } else {
        vec![local_addr.ip()]
    };
    ips.retain(|ip| !ip.is_unspecified());
    ips.sort();
    ips.dedup();
    let mut sans = names.clone();
    sans.push("localhost".to_string());
    let files = TlsFiles::new(core.data_folder());
    let (key, info) = tokio::task::spawn_blocking({
        let ips = ips.clone();
        move || files.load_or_generate(&sans, &ips, now_ms())
    })
    .await
    .map_err(|_| StartError::Config("the TLS task stopped".into()))??;
    let port = local_addr.port();
    let mut urls: Vec<String> = names
        .iter()
        .take(1)
        .map(|n| format!("https://{n}:{port}/"))
        .collect();
    urls.extend(
        ips.iter()
            .filter(|ip| !ip.is_loopback() && !matches!(ip, std::net::IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80))
            .map(|ip| format!("https://{}/", SocketAddr::new(*ip, port))),
    );
    if local_addr.ip().is_loopback() {
        urls.push(format!("https://{local_addr}/"));
    }
    core.set_lan(
        LanView {
            lan: true,
            listen: local_addr.to_string(),
            urls,
            certificate: Some(info),
        },
        Some(Arc::new(CertResolver::new(key))),
    );
    Ok(())
}

/// Picks up configurations imported by another process (`plantlog config import`).
async fn watch_config(core: Arc<Core>, cancel: CancellationToken) {
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(CONFIG_POLL) => {}
        }
        core.follow_config().await;
    }
}

/// Checks free space every few seconds.
async fn watch_disk(core: Arc<Core>, cancel: CancellationToken) {
    loop {
        core.check_disk().await;
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
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
        core.set_compactor_status(s);
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}

/// The retention job: at start (an office PC may never stay on for an hour), hourly,
/// and at once when its settings change.
async fn retention(core: Arc<Core>, cancel: CancellationToken) {
    loop {
        match core.run_retention().await {
            Ok(files) if !files.is_empty() => tracing::info!("retention archived to {files:?}"),
            Ok(_) => {}
            Err(e) => tracing::error!("retention failed: {e}"),
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = core.retention_changed() => {}
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
    }
}

/// The backup scheduler: at start, runs a stopped process left unfinished are marked
/// failed; then every minute each target whose time has come is backed up, one after
/// another, and the targets' state (and with it the backup alarms) is read again; then
/// the restore drill runs when it is due (monthly by default).
async fn backups(core: Arc<Core>, cancel: CancellationToken) {
    if let Err(e) = core.close_interrupted_backups().await {
        tracing::warn!("cannot read the backup history: {e}");
    }
    core.refresh_drill().await;
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
        }
        if let Err(e) = core.run_due_backups().await {
            tracing::error!("the backup job failed: {e}");
        }
        if let Err(e) = core.run_due_drill().await {
            tracing::error!("the restore drill failed to run: {e}");
        }
    }
}

/// The report scheduler (issue 11): at start, jobs a stopped process left running are
/// marked failed and the runs missed while Plantlog was stopped run (each once); then
/// every half minute the runs now due, and the reports waiting for a USB stick when one
/// is in.
async fn report_scheduler(core: Arc<Core>, cancel: CancellationToken) {
    if let Err(e) = core.close_interrupted_reports().await {
        tracing::warn!("cannot read the report job history: {e}");
    }
    loop {
        if let Err(e) = core.run_due_reports(crate::sample::now_ms()).await {
            tracing::error!("the report scheduler failed: {e}");
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(30)) => {}
        }
    }
}

/// The production engine's hourly summaries of closed hours, so reports over long
/// ranges read summaries: shortly after start, then every ten minutes.
async fn summarize_production(core: Arc<Core>, cancel: CancellationToken) {
    let mut wait = Duration::from_secs(20);
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        wait = Duration::from_secs(600);
        match core.summarize_history().await {
            Ok(n) if n > 0 => tracing::info!("production: {n} hours of history summarised"),
            Ok(_) => {}
            Err(e) => tracing::warn!("production summaries failed: {e}"),
        }
    }
}

/// The alarm job: four times a second, the rules' delays that ran out and the system
/// conditions become alarm transitions, stored with the lifecycle; shelving runs out;
/// alarms of machines in a planned stop are suppressed. First, alarms whose rule was
/// removed while Plantlog was stopped are cleared.
async fn alarms(core: Arc<Core>, gone: Vec<String>, cancel: CancellationToken) {
    if let Err(e) = core.clear_alarms(gone).await {
        tracing::warn!("cannot clear alarms of removed rules: {e}");
    }
    // A failing database would fail every tick: the same error is logged once a minute.
    let mut logged: Option<(String, std::time::Instant)> = None;
    loop {
        match core.run_alarms().await {
            Ok(()) => logged = None,
            Err(e) => {
                let e = e.to_string();
                let again = logged
                    .as_ref()
                    .is_none_or(|(last, at)| *last != e || at.elapsed() >= Duration::from_secs(60));
                if again {
                    tracing::warn!("the alarm job failed: {e}");
                    logged = Some((e, std::time::Instant::now()));
                }
            }
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
        }
    }
}

/// The quality job: every 15 seconds, the machines with an overdue quality check become
/// alarms (see `quality::alarm`); entering a check looks again at once.
async fn quality_overdue(core: Arc<Core>, cancel: CancellationToken) {
    let mut logged = false;
    loop {
        match crate::quality::service::watch_overdue(&core).await {
            Ok(_) => logged = false,
            Err(_) if logged => {}
            Err(e) => {
                tracing::warn!("overdue quality checks not looked at: {e}");
                logged = true;
            }
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(15)) => {}
        }
    }
}

/// The mail job: sends the mail queue in order whenever a mail was queued, the admin
/// changed the server, or a waiting mail's retry time came (checked every second).
async fn mail(core: Arc<Core>, cancel: CancellationToken) {
    let mut logged: Option<(String, std::time::Instant)> = None;
    loop {
        match core.send_mail_queue().await {
            Ok(_) => logged = None,
            Err(e) => {
                let e = e.to_string();
                let again = logged
                    .as_ref()
                    .is_none_or(|(last, at)| *last != e || at.elapsed() >= Duration::from_secs(60));
                if again {
                    tracing::warn!("the mail job failed: {e}");
                    logged = Some((e, std::time::Instant::now()));
                }
            }
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = core.mail_queued() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
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
        if let Err(e) = core.purge_expired_sessions().await {
            tracing::warn!("cannot purge expired sessions: {e}");
        }
    }
}
