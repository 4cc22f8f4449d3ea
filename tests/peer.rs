//! Real peers for collector tests: the independent Modbus server in tests/peers
//! (pymodbus, in Python), socat pseudo-terminal pairs for RTU lines, and a Plantlog
//! started on a configuration written here.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use plantlog::app::{self, Listen, Running};
use plantlog::auth::audit::Actor;
use plantlog::sample::{Sample, TagId};
use plantlog::store::{DataDir, Db};
use serde_json::Value;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Python of the peer's virtual environment (tests/peers/setup.sh makes it).
fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("PLANTLOG_PEER_PYTHON") {
        return p.into();
    }
    let p = repo().join("tests/peers/.venv/bin/python");
    assert!(
        p.exists(),
        "the Modbus test peer needs its Python environment: run tests/peers/setup.sh (scripts/test-all does)"
    );
    p
}

/// A running pymodbus peer.
pub struct Peer {
    child: Child,
    stdin: ChildStdin,
    replies: mpsc::Receiver<String>,
    /// Everything the peer wrote to stderr so far (shown again when a test fails).
    log: std::sync::Arc<std::sync::Mutex<String>>,
    /// What READY said: "127.0.0.1:40123" or "/dev/pts/3".
    pub address: String,
    /// The expected values per unit and tag, when templates were served.
    pub expect: Value,
}

impl Peer {
    /// Starts `modbus_peer.py` with `args` and waits for READY.
    pub fn start(args: &[&str]) -> Peer {
        let dir = tempfile::tempdir().unwrap();
        let expect_path = dir.path().join("expect.json");
        let mut child = Command::new(python())
            .arg(repo().join("tests/peers/modbus_peer.py"))
            .args(args)
            .arg("--expect-out")
            .arg(&expect_path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the peer starts");
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                eprintln!("peer: {line}");
                sink.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let ready = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the peer says READY within 30 s");
        let address = ready
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("peer said {ready:?} instead of READY"))
            .to_string();
        let expect = std::fs::read_to_string(&expect_path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null);
        Peer {
            child,
            stdin,
            replies: rx,
            log,
            address,
            expect,
        }
    }

    /// Sends a stdin command ("kill 2") and waits for its "ok".
    pub fn command(&mut self, cmd: &str) {
        writeln!(self.stdin, "{cmd}").unwrap();
        self.stdin.flush().unwrap();
        let reply = self.replies.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(reply, "ok", "peer command {cmd}");
    }

    /// Write requests the peer received: Plantlog must never send one.
    pub fn write_attempts(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .lines()
            .filter(|l| l.contains("WRITE-ATTEMPT"))
            .map(str::to_string)
            .collect()
    }

    pub fn port(&self) -> u16 {
        self.address.rsplit(':').next().unwrap().parse().unwrap()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A pseudo-terminal pair joined by socat: what one end writes, the other reads.
pub struct PtyPair {
    child: Child,
    pub a: String,
    pub b: String,
}

impl PtyPair {
    pub fn new() -> PtyPair {
        let mut child = Command::new("socat")
            .args(["-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"])
            .stderr(Stdio::piped())
            .spawn()
            .expect("socat runs (apt-get install socat; scripts/install-deps does)");
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let mut ptys = Vec::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(p) = line.split("PTY is ").nth(1) {
                ptys.push(p.trim().to_string());
            }
            if ptys.len() == 2 {
                break;
            }
        }
        std::thread::spawn(move || for _ in lines {});
        assert_eq!(ptys.len(), 2, "socat made a pty pair");
        PtyPair {
            child,
            a: ptys.remove(0),
            b: ptys.remove(0),
        }
    }
}

impl Drop for PtyPair {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Plantlog running on a configuration given as TOML text.
pub struct Plant {
    pub running: Running,
    _dir: tempfile::TempDir,
}

impl Plant {
    pub async fn start(config_toml: &str) -> Plant {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        Plant::start_at(config_toml, &path, dir).await
    }

    /// Plantlog with its data folder at `data_dir` (made if missing).
    pub async fn start_in(config_toml: &str, data_dir: &std::path::Path) -> Plant {
        Plant::start_at(config_toml, data_dir, tempfile::tempdir().unwrap()).await
    }

    async fn start_at(config_toml: &str, at: &std::path::Path, dir: tempfile::TempDir) -> Plant {
        let data = DataDir::create(at).unwrap();
        let db = Db::open(&data.database()).unwrap();
        db.with(|c| {
            plantlog::core::import_text(
                c,
                config_toml,
                plantlog::config::Base::Any,
                &Actor::command_line(),
            )
        })
        .unwrap();
        drop(db);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let running = app::start(app::Options {
            data_dir: at.to_path_buf(),
            listen: Listen::Listener(listener),
            what: "test".into(),
        })
        .await
        .unwrap();
        Plant { running, _dir: dir }
    }

    /// The address the HTTP server listens on, as `http://host:port`.
    pub fn base(&self) -> String {
        format!("http://{}", self.running.local_addr)
    }

    /// A client logged in as the first admin, made on first call through the setup page
    /// (with the setup code the running core printed, and a second factor).
    pub async fn admin(&self) -> reqwest::Client {
        let code = self
            .running
            .setup_code()
            .expect("no admin yet: a setup code");
        crate::util::setup_admin(&self.base(), &code).await.0
    }

    pub fn tag_id(&self, device: &str, tag: &str) -> TagId {
        self.running
            .core
            .plant()
            .tag_id(device, tag)
            .unwrap_or_else(|| panic!("no tag {device}/{tag}"))
    }

    /// The newest sample of a tag.
    pub fn last(&self, id: TagId) -> Option<Sample> {
        self.running.core.latest(id).map(|l| l.last)
    }

    /// Every stored sample of a tag, oldest first.
    pub fn stored(&self, id: TagId) -> Vec<Sample> {
        self.running.core.flush_writer();
        self.running
            .core
            .db()
            .sql(|c| plantlog::store::raw::read(c, id, i64::MIN, i64::MAX))
            .unwrap()
    }

    pub fn diagnostics(&self, device: &str) -> plantlog::collector::Diagnostics {
        self.running
            .core
            .device_diagnostics(device)
            .unwrap_or_else(|| panic!("no diagnostics for {device}"))
    }

    pub async fn stop(self) {
        self.running.shutdown().await;
    }
}

/// A serial line section for a pty, 9600 8N1.
pub fn bus(key: &str, port: &str) -> String {
    format!("[[buses]]\nkey = \"{key}\"\nport = \"{port}\"\nbaud = 9600\n\n")
}

pub const SITE: &str = "[site]\nname = \"Test\"\ntimezone = \"UTC\"\n\n";

/// The path of a shipped template.
pub fn template(key: &str) -> String {
    repo()
        .join("templates")
        .join(format!("{key}.toml"))
        .display()
        .to_string()
}

/// Waits until `f` holds, checking every 100 ms; panics with `what` after `limit`.
pub async fn until(limit: Duration, what: &str, mut f: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !f() {
        assert!(start.elapsed() < limit, "waited {limit:?} for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
