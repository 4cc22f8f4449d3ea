//! Shared helpers: a demo plant on a free port, logged-in HTTP clients, waiting.

use std::future::Future;
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

    /// A client logged in as the demo user of `role`.
    pub async fn client(&self, role: Role) -> Client {
        let c = anonymous();
        let r = c
            .post(self.url("/api/login"))
            .json(&serde_json::json!({"username": role.name(), "password": self.password(role)}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "login as {}", role.name());
        c
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

pub fn anonymous() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
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
