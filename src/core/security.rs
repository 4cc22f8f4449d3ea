//! Security as the running core keeps it: the one-time setup code, the limit on
//! password hashing, one commissioning job per line, what a vendor may see (`Scope`),
//! the LAN state and TLS certificate; and the admin's security work: settings, sessions,
//! second factors, vendor accounts, the access review, the audit chain, certificate
//! uploads. The rules themselves are `auth`'s.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use serde::Serialize;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::{Core, Error};
use crate::auth::audit::{self, Actor, AuditEntry, ChainReport};
use crate::auth::policy::{self, PolicyError, SecuritySettings};
use crate::auth::review::{self, AccessReview};
use crate::auth::sessions::{self, SessionView};
use crate::auth::tls::{CertInfo, CertResolver, TlsError, TlsFiles};
use crate::auth::vendor::{self, NewVendor, VendorAccount, VendorChange, VendorError};
use crate::auth::{User, mfa};
use crate::config::Plant;
use crate::sample::{TagId, now_ms};

/// What a caller may see of the plant: everything, or a vendor's machines.
#[derive(Debug, Clone, Default)]
pub enum Scope {
    #[default]
    All,
    Machines(Arc<HashSet<String>>),
}

impl Scope {
    pub fn machine(&self, key: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Machines(m) => m.contains(key),
        }
    }

    /// Whether tag `id` describes a machine in scope (a retired tag only for all).
    pub fn tag(&self, plant: &Plant, id: TagId) -> bool {
        match self {
            Scope::All => true,
            Scope::Machines(_) => plant
                .tag(id)
                .and_then(|t| t.tag.machine_key(t.device))
                .is_some_and(|m| self.machine(m)),
        }
    }

    /// Whether any of `machines` is in scope.
    pub fn any(&self, machines: &[String]) -> bool {
        matches!(self, Scope::All) || machines.iter().any(|m| self.machine(m))
    }

    pub fn is_all(&self) -> bool {
        matches!(self, Scope::All)
    }
}

/// Password hashes at once, and how many more may wait: argon2 takes 19 MiB and a core
/// for tens of milliseconds, so a flood of logins must queue, and past the queue be
/// refused, rather than take the memory and the cores the collector needs. The hashes
/// run on a few threads of their own: memory the allocator keeps after a hash stays
/// with those threads, instead of with every thread of the blocking pool that once
/// checked a password (which is how a flood used to leave gigabytes behind).
pub struct HashLimiter {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    active: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
    jobs: Mutex<std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>>,
}

impl HashLimiter {
    /// `at_once` hashing threads; `max_waiting` requests may wait for one.
    pub fn new(at_once: usize, max_waiting: usize) -> HashLimiter {
        let at_once = at_once.max(1);
        let (tx, rx) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..at_once {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("plantlog-hash-{i}"))
                .spawn(move || {
                    loop {
                        let job = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        match job {
                            // A job catches its own panic (its caller gets an
                            // internal error) and the thread serves the next.
                            Ok(job) => job(),
                            // The core is gone.
                            Err(_) => return,
                        }
                    }
                })
                .expect("a hashing thread starts");
        }
        HashLimiter {
            permits: Arc::new(Semaphore::new(at_once)),
            waiting: AtomicUsize::new(0),
            max_waiting,
            active: Arc::new(AtomicUsize::new(0)),
            peak: Arc::new(AtomicUsize::new(0)),
            jobs: Mutex::new(tx),
        }
    }

    /// Waits for a free hashing thread (or refuses at once when too many wait already)
    /// and runs `f` there.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Error> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Error::TooMany {
                code: "busy",
                message: "Plantlog is busy checking other logins; try again in a few seconds"
                    .into(),
            });
        }
        let permit = self.permits.clone().acquire_owned().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let permit: OwnedSemaphorePermit = permit.expect("the hashing semaphore is never closed");
        let (tx, rx) = tokio::sync::oneshot::channel();
        let (active, peak) = (self.active.clone(), self.peak.clone());
        // The permit goes with the job: a client that leaves does not free its thread
        // for the next one while its hash still runs.
        let job = Box::new(move || {
            let _permit = permit;
            let n = active.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(n, Ordering::SeqCst);
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            active.fetch_sub(1, Ordering::SeqCst);
            if let Ok(out) = out {
                let _ = tx.send(out);
            }
        });
        self.jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(job)
            .map_err(|_| Error::Internal("the hashing threads stopped".into()))?;
        rx.await
            .map_err(|_| Error::Internal("a password check failed on its thread".into()))
    }

    /// The most hashes that ran at once since the start.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

/// How Plantlog meets the network, for the admin pages.
#[derive(Debug, Clone, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LanView {
    /// Whether browsers on the plant LAN can reach Plantlog.
    pub lan: bool,
    /// The address it listens on.
    pub listen: String,
    /// The addresses to type on a LAN device (https://...).
    pub urls: Vec<String>,
    /// The certificate LAN browsers get, when LAN access is on.
    pub certificate: Option<CertInfo>,
}

/// The security state the running core keeps.
pub struct Guards {
    setup_code: Mutex<Option<String>>,
    pub(super) hashing: Arc<HashLimiter>,
    lines: Mutex<HashSet<String>>,
    tls: RwLock<Option<Arc<CertResolver>>>,
    lan: RwLock<LanView>,
    /// The admin's extra host names (None until read from the settings).
    hosts: RwLock<Option<Arc<Vec<String>>>>,
}

impl Default for Guards {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Guards {
            setup_code: Mutex::new(None),
            hashing: Arc::new(HashLimiter::new((cores / 2).max(1), 8)),
            lines: Mutex::new(HashSet::new()),
            tls: RwLock::new(None),
            lan: RwLock::new(LanView::default()),
            hosts: RwLock::new(None),
        }
    }
}

/// One commissioning job on a line; the line is free again when this drops.
pub struct LineJob<'a> {
    lines: &'a Mutex<HashSet<String>>,
    key: String,
}

impl Drop for LineJob<'_> {
    fn drop(&mut self) {
        self.lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.key);
    }
}

/// This PC's own names: its host name, without and with its domain, and with `.local`
/// (mDNS), lower case.
pub fn this_pc_names() -> Vec<String> {
    let full = gethostname::gethostname()
        .to_string_lossy()
        .trim()
        .to_ascii_lowercase();
    let short = full.split('.').next().unwrap_or("").to_string();
    let mut names = vec![full.clone(), short.clone(), format!("{short}.local")];
    names.retain(|n| !n.is_empty() && n != ".local");
    names.dedup();
    names
}

/// A code like "K7QF-2M9X-HC4T": what is typed from the console into the setup page.
fn new_setup_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    (0..3)
        .map(|_| {
            (0..4)
                .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn normal_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl From<PolicyError> for Error {
    fn from(e: PolicyError) -> Self {
        match e {
            PolicyError::Invalid { field, message } => Error::Invalid {
                code: "bad_setting",
                message,
                field: Some(field),
            },
            PolicyError::ConfirmRequired => Error::invalid("confirm_text_required", e.to_string()),
            PolicyError::Sqlite(e) => e.into(),
        }
    }
}

impl From<VendorError> for Error {
    fn from(e: VendorError) -> Self {
        match e {
            VendorError::Invalid { field, message } => Error::Invalid {
                code: "bad_vendor",
                message,
                field: Some(field),
            },
            VendorError::NotFound => Error::NotFound("vendor account"),
            VendorError::User(u) => u.into(),
            VendorError::Sqlite(e) => e.into(),
        }
    }
}

impl From<TlsError> for Error {
    fn from(e: TlsError) -> Self {
        match e {
            TlsError::Io { .. } | TlsError::Generate(_) => Error::Internal(e.to_string()),
            e => Error::invalid("bad_certificate", e.to_string()),
        }
    }
}

impl From<mfa::MfaError> for Error {
    fn from(e: mfa::MfaError) -> Self {
        match e {
            mfa::MfaError::Sqlite(e) => e.into(),
            mfa::MfaError::WrongCode => Error::invalid("bad_code", e.to_string()),
            mfa::MfaError::NotStarted => Error::invalid("mfa_not_started", e.to_string()),
            mfa::MfaError::Required => Error::invalid("mfa_required_for_role", e.to_string()),
        }
    }
}

/// What the admin's certificate upload carries.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CertificateUpload {
    /// The certificate chain, PEM, the server's own first.
    pub certificate_pem: String,
    /// Its private key, PEM, not encrypted.
    pub private_key_pem: String,
}

impl Core {
    // ------------------------------------------------------------ first run

    /// Makes a new one-time setup code while no user exists (at start); returns it.
    pub async fn prepare_setup_code(&self) -> Result<Option<String>, Error> {
        if !self.setup_required().await? {
            return Ok(None);
        }
        let code = new_setup_code();
        *self
            .security
            .setup_code
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(code.clone());
        Ok(Some(code))
    }

    /// The setup code while the first admin is still to be created.
    pub fn setup_code(&self) -> Option<String> {
        self.security
            .setup_code
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Checks a setup code; wrong or none gives the refusal that says where to find it.
    pub(super) fn check_setup_code(&self, given: Option<&str>) -> Result<(), Error> {
        let want = self.setup_code().map(|c| normal_code(&c));
        let given = given.map(normal_code);
        let ok = match (&want, &given) {
            (Some(w), Some(g)) => {
                // Compared in full, whatever differs first.
                w.len() == g.len() && w.bytes().zip(g.bytes()).fold(0, |a, (x, y)| a | (x ^ y)) == 0
            }
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(Error::Forbidden {
                code: "setup_code_required",
                message: "give the setup code that Plantlog printed where it was started (the console or the desktop window)".into(),
            })
        }
    }

    pub(super) fn setup_done(&self) {
        *self
            .security
            .setup_code
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = None;
    }

    // ------------------------------------------------------------ limits

    /// The most password hashes that ran at once (for tests and the attack report).
    pub fn hashing_peak(&self) -> usize {
        self.security.hashing.peak()
    }

    /// Takes line `key` for one commissioning job, or says it is busy.
    pub(super) fn line_job(&self, key: &str) -> Result<LineJob<'_>, Error> {
        let mut lines = self
            .security
            .lines
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if !lines.insert(key.to_string()) {
            return Err(Error::TooMany {
                code: "line_busy",
                message: format!(
                    "another test read or scan is running on line {key}; wait until it is done"
                ),
            });
        }
        Ok(LineJob {
            lines: &self.security.lines,
            key: key.to_string(),
        })
    }

    // ------------------------------------------------------------ LAN and TLS

    /// Records how Plantlog listens and the certificate LAN browsers get (at start).
    pub fn set_lan(&self, view: LanView, resolver: Option<Arc<CertResolver>>) {
        *self.security.lan.write().unwrap_or_else(|e| e.into_inner()) = view;
        *self.security.tls.write().unwrap_or_else(|e| e.into_inner()) = resolver;
    }

    pub fn lan(&self) -> LanView {
        self.security
            .lan
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The certificate in use for new TLS connections (the server asks it per
    /// handshake).
    pub fn tls_resolver(&self) -> Option<Arc<CertResolver>> {
        self.security
            .tls
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Checks an uploaded certificate and key, stores them and uses them for new
    /// connections; audited.
    pub async fn install_certificate(
        &self,
        upload: CertificateUpload,
        actor: Actor,
    ) -> Result<CertInfo, Error> {
        let files = TlsFiles::new(self.data_folder());
        let (key, info) = tokio::task::spawn_blocking(move || {
            files.install(
                upload.certificate_pem.as_bytes(),
                upload.private_key_pem.as_bytes(),
                now_ms(),
            )
        })
        .await
        .map_err(|_| Error::Internal("the certificate task stopped".into()))??;
        if let Some(r) = self.tls_resolver() {
            r.set(key);
        }
        let mut lan = self.lan();
        lan.certificate = Some(info.clone());
        *self.security.lan.write().unwrap_or_else(|e| e.into_inner()) = lan;
        let detail = format!(
            "SHA-256 {}; for {}",
            info.fingerprint_sha256,
            info.names.join(", ")
        );
        self.db()
            .run(move |c| {
                audit::record(
                    c,
                    &AuditEntry::new(&actor, "tls.certificate", "server", &detail),
                )
                .map_err(Error::from)
            })
            .await?;
        Ok(info)
    }

    /// Whether `host` (a Host header's name, without port) is a name this server
    /// answers to: an IP address, localhost, this PC's name, or a name the admin listed.
    /// Anything else is a page on another site whose name was pointed at this PC (DNS
    /// rebinding).
    pub async fn host_allowed(&self, host: &str) -> Result<bool, Error> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        if literal.parse::<std::net::IpAddr>().is_ok()
            || host == "localhost"
            || host.ends_with(".localhost")
        {
            return Ok(true);
        }
        if this_pc_names().contains(&host) {
            return Ok(true);
        }
        let cached = self
            .security
            .hosts
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let hosts = match cached {
            Some(h) => h,
            None => {
                let h = Arc::new(self.security_settings().await?.allowed_hosts);
                *self
                    .security
                    .hosts
                    .write()
                    .unwrap_or_else(|e| e.into_inner()) = Some(h.clone());
                h
            }
        };
        Ok(hosts.contains(&host))
    }

    // ------------------------------------------------------------ settings

    pub async fn security_settings(&self) -> Result<SecuritySettings, Error> {
        self.db()
            .run(|c| policy::load(c).map_err(Error::from))
            .await
    }

    /// Changes the security settings; audited as `security.change`.
    pub async fn change_security_settings(
        &self,
        new: SecuritySettings,
        confirm_text: Option<String>,
        actor: Actor,
    ) -> Result<SecuritySettings, Error> {
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let said = policy::store(&tx, &new, confirm_text.as_deref())?;
                if !said.is_empty() {
                    audit::record(
                        &tx,
                        &AuditEntry::new(&actor, "security.change", "settings", &said),
                    )?;
                }
                let now = policy::load(&tx)?;
                tx.commit()?;
                Ok::<_, Error>(now)
            })
            .await
            .inspect(|now| {
                *self
                    .security
                    .hosts
                    .write()
                    .unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(now.allowed_hosts.clone()));
            })
    }

    // ------------------------------------------------------------ sessions

    /// Every live session; `mine` marks the caller's.
    pub async fn sessions(&self, mine: String) -> Result<Vec<SessionView>, Error> {
        self.db()
            .run(move |c| sessions::list(c, &mine).map_err(Error::from))
            .await
    }

    /// Ends session `id`; audited as `session.end`.
    pub async fn end_session(&self, id: i64, actor: Actor) -> Result<(), Error> {
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let who = sessions::end(&tx, id)?.ok_or(Error::NotFound("session"))?;
                audit::record(
                    &tx,
                    &AuditEntry::new(&actor, "session.end", &who, &format!("session {id}")),
                )?;
                tx.commit()?;
                Ok(())
            })
            .await
    }

    // ------------------------------------------------------------ second factor

    /// Starts enrolling `user`'s authenticator: a new secret and its QR code.
    pub async fn mfa_start(&self, user: &User) -> Result<mfa::Enrolment, Error> {
        let (id, name) = (user.id, user.username.clone());
        self.db()
            .run(move |c| mfa::start(c, id, &name).map_err(Error::from))
            .await
    }

    /// Confirms the enrolment with a code; returns the recovery codes (shown once).
    /// Audited as `mfa.enrol`.
    pub async fn mfa_confirm(
        &self,
        user: &User,
        code: String,
        actor: Actor,
    ) -> Result<Vec<String>, Error> {
        let (id, name) = (user.id, user.username.clone());
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let codes = mfa::confirm(&tx, id, &name, &code, now_ms())?;
                audit::record(&tx, &AuditEntry::new(&actor, "mfa.enrol", &name, ""))?;
                tx.commit()?;
                Ok::<_, Error>(codes)
            })
            .await
    }

    /// Switches one's own second factor off, where the role does not require it;
    /// audited.
    pub async fn mfa_remove_own(&self, user: &User, actor: Actor) -> Result<(), Error> {
        let u = user.clone();
        self.db()
            .run(move |c| {
                let s = policy::load(c)?;
                if s.mfa_required(u.role, u.is_vendor()) {
                    return Err(mfa::MfaError::Required.into());
                }
                let tx = crate::store::write_tx(c)?;
                mfa::remove(&tx, u.id)?;
                audit::record(&tx, &AuditEntry::new(&actor, "mfa.remove", &u.username, ""))?;
                tx.commit()?;
                Ok(())
            })
            .await
    }

    /// The admin removes a user's second factor (a lost phone); the user enrols again at
    /// the next login where required. Their sessions end. Audited as `mfa.reset`.
    pub async fn mfa_reset(&self, id: i64, actor: Actor) -> Result<(), Error> {
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let u = crate::auth::users::get(&tx, id)?;
                mfa::remove(&tx, id)?;
                tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
                audit::record(&tx, &AuditEntry::new(&actor, "mfa.reset", &u.username, ""))?;
                tx.commit()?;
                Ok(())
            })
            .await
    }

    // ------------------------------------------------------------ vendors

    fn machine_keys(&self) -> Vec<String> {
        self.plant()
            .config
            .machines
            .iter()
            .map(|m| m.key.clone())
            .collect()
    }

    pub async fn vendors(&self) -> Result<Vec<VendorAccount>, Error> {
        self.db()
            .run(|c| vendor::list(c).map_err(Error::from))
            .await
    }

    /// Creates a vendor account; audited as `vendor.create`.
    pub async fn create_vendor(&self, new: NewVendor, actor: Actor) -> Result<User, Error> {
        let known = self.machine_keys();
        self.hashing(move |c| {
            vendor::create(c, &new, &known, &actor, now_ms()).map_err(Error::from)
        })
        .await
    }

    /// Runs `f` (which hashes a password) on a connection, on a hashing thread.
    pub(super) async fn hashing<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut rusqlite::Connection) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let db = self.db().clone();
        self.security.hashing.run(move || db.with(f)).await?
    }

    /// Changes a vendor account's end or scope; audited as `vendor.update`.
    pub async fn update_vendor(
        &self,
        id: i64,
        change: VendorChange,
        actor: Actor,
    ) -> Result<User, Error> {
        let known = self.machine_keys();
        self.db()
            .run(move |c| {
                vendor::update(c, id, &change, &known, &actor, now_ms()).map_err(Error::from)
            })
            .await
    }

    // ------------------------------------------------------------ review and audit

    /// The access review, with the LAN state.
    pub async fn access_review(&self) -> Result<AccessReviewView, Error> {
        let review = self
            .db()
            .run(|c| review::build(c, now_ms()).map_err(Error::from))
            .await?;
        Ok(AccessReviewView {
            review,
            lan: self.lan(),
        })
    }

    /// The access review as a CSV report.
    pub async fn access_review_csv(&self) -> Result<Vec<u8>, Error> {
        let r = self.access_review().await?;
        review::csv(&r.review).map_err(|e| Error::Internal(e.to_string()))
    }

    /// Checks the audit log's chain.
    pub async fn verify_audit(&self) -> Result<ChainReport, Error> {
        self.db()
            .run(|c| audit::verify(c).map_err(Error::from))
            .await
    }
}

impl Core {
    /// The overview with the machines of `scope` only.
    pub fn overview_in(&self, scope: &Scope) -> crate::production::Overview {
        let mut o = self.overview();
        if !scope.is_all() {
            o.machines.retain(|m| scope.machine(&m.key));
        }
        o
    }

    /// The samples of a batch that `scope` may see, as the live stream sends them.
    pub fn visible_samples(
        &self,
        batch: &[crate::sample::Sample],
        scope: &Scope,
    ) -> Vec<crate::sample::SampleJson> {
        let plant = self.plant();
        batch
            .iter()
            .filter(|s| scope.tag(&plant, s.tag_id))
            .map(crate::sample::SampleJson::from)
            .collect()
    }
}

/// The access review page's facts.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AccessReviewView {
    #[serde(flatten)]
    pub review: AccessReview,
    pub lan: LanView,
}
