//! Shared helpers: a demo plant on a free port, logged-in HTTP clients (the admin with
//! a second factor, set up on the first login), waiting.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use plantlog::app::Listen;
use plantlog::auth::Role;
use plantlog::sim::demo::Demo;
use reqwest::Client;
use serde_json::Value;
use tempfile::TempDir;

pub struct TestPlant {
    pub demo: Demo,
    pub base: String,
    /// Kept so the data folder lives as long as the plant.
    pub _dir: TempDir,
    /// The demo admin's second factor, once set up.
    admin_mfa: Mutex<Option<Mfa>>,
}

/// A second factor set up through the API: its secret, unused recovery codes, and the
/// last time step used (each code works once).
#[derive(Debug, Clone)]
pub struct Mfa {
    pub secret: String,
    pub recovery: Vec<String>,
    last_step: i64,
}

impl Mfa {
    /// A code not used yet: the current step's TOTP code if it is still unused, else a
    /// recovery code.
    pub fn next_code(&mut self) -> String {
        let now = plantlog::sample::now_ms();
        let step = now / 30_000;
        if step > self.last_step {
            self.last_step = step;
            return plantlog::auth::mfa::code_at(&self.secret, now).unwrap();
        }
        self.recovery.pop().expect("a recovery code left")
    }
}

/// Sets up the second factor of the user logged in on `c` (at `base`).
pub async fn enrol_mfa(c: &Client, base: &str) -> Mfa {
    let r = c
        .post(format!("{base}/api/me/mfa/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "mfa start");
    let e: Value = r.json().await.unwrap();
    let secret = e["secret"].as_str().unwrap().to_string();
    // The current step's code (one step of skew covers a step that turns meanwhile);
    // a login in the same step then takes a recovery code.
    let now = plantlog::sample::now_ms();
    let code = plantlog::auth::mfa::code_at(&secret, now).unwrap();
    let r = c
        .post(format!("{base}/api/me/mfa/confirm"))
        .json(&serde_json::json!({"code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "mfa confirm");
    let codes: Value = r.json().await.unwrap();
    Mfa {
        secret,
        recovery: codes["recovery_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect(),
        last_step: now / 30_000,
    }
}

/// Creates the first admin through the setup page with the code `running` printed, sets
/// up their second factor, and returns the logged-in client.
pub async fn setup_admin(base: &str, setup_code: &str) -> (Client, Mfa) {
    let c = anonymous();
    let r = c
        .post(format!("{base}/api/setup"))
        .json(
            &serde_json::json!({"username": "admin", "display_name": "Admin",
            "password": "a long enough password 1", "setup_code": setup_code}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        201,
        "setup: {}",
        r.text().await.unwrap_or_default()
    );
    let mfa = enrol_mfa(&c, base).await;
    (c, mfa)
}

impl TestPlant {
    /// The demo plant in a new temporary data folder, served on a free port.
    pub async fn start() -> TestPlant {
        let dir = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let demo = plantlog::sim::demo::start(dir.path(), Listen::Listener(listener))
            .await
            .unwrap();
        let base = format!("http://{}", demo.running.local_addr);
        TestPlant {
            demo,
            base,
            _dir: dir,
            admin_mfa: Mutex::new(None),
        }
    }

    pub fn password(&self, role: Role) -> String {
        self.demo
            .users
            .iter()
            .find(|u| u.role == role)
            .unwrap()
            .password
            .clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client logged in as the demo user of `role` (the admin with their second
    /// factor, set up at the first login).
    pub async fn client(&self, role: Role) -> Client {
        let c = anonymous();
        let mut body =
            serde_json::json!({"username": role.name(), "password": self.password(role)});
        if role == Role::Admin {
            let code = self
                .admin_mfa
                .lock()
                .unwrap()
                .as_mut()
                .map(|m| m.next_code());
            if let Some(code) = code {
                body["code"] = code.into();
            }
        }
        let r = c
            .post(self.url("/api/login"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "login as {}", role.name());
        let me: Value = r.json().await.unwrap();
        if me["mfa_enrolment_required"] == true {
            let mfa = enrol_mfa(&c, &self.base).await;
            *self.admin_mfa.lock().unwrap() = Some(mfa);
        }
        c
    }

    /// The admin's second factor (after a first `client(Role::Admin)`).
    pub fn admin_mfa(&self) -> Option<Mfa> {
        self.admin_mfa.lock().unwrap().clone()
    }

    pub async fn get_json(&self, c: &Client, path: &str) -> Value {
        let r = c.get(self.url(path)).send().await.unwrap();
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        r.json().await.unwrap()
    }

    pub async fn stop(self) {
        self.demo.running.shutdown().await;
    }
}

/// A client as scripts use the API: it sends `X-Plantlog-Request`, which requests that
/// change something need when they carry no Origin.
pub fn anonymous() -> Client {
    crypto();
    Client::builder()
        .cookie_store(true)
        .default_headers(script_headers())
        .build()
        .unwrap()
}

/// Installs rustls's ring provider for the test clients (once).
pub fn crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub fn script_headers() -> reqwest::header::HeaderMap {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert("x-plantlog-request", "1".parse().unwrap());
    h
}

/// Polls `f` until it returns Some, or panics after `limit` saying `what`.
pub async fn wait_for<T, F, Fut>(limit: Duration, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(start.elapsed() < limit, "waited {limit:?} for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The tile of machine `key` in an overview.
pub fn tile<'a>(overview: &'a Value, key: &str) -> &'a Value {
    overview["machines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == key)
        .unwrap_or_else(|| panic!("no tile for {key}"))
}

/// Runs a system tool (mkfs, losetup, mount...) and returns its output; panics with its
/// error output, or with the install hint when the tool is missing.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub fn sh(cmd: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e} (scripts/install-deps installs it)"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
