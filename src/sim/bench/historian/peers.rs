//! The historian benchmark's peers: VictoriaMetrics and InfluxDB 1.x, run from their
//! Debian packages (`victoria-metrics`, `influxd`) on a private folder and a free port
//! of 127.0.0.1, loaded with the same samples over their HTTP write APIs, compacted,
//! measured on disk, queried, and stopped. A peer whose program is not installed is
//! reported as missing, never faked. Only loopback is ever contacted.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::Kind;
use crate::sample::Sample;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The two peers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum System {
    VictoriaMetrics,
    InfluxDb,
}

impl System {
    pub fn program(self) -> &'static str {
        match self {
            System::VictoriaMetrics => "victoria-metrics",
            System::InfluxDb => "influxd",
        }
    }

    pub fn package(self) -> &'static str {
        match self {
            System::VictoriaMetrics => "victoria-metrics",
            System::InfluxDb => "influxdb",
        }
    }

    /// The installed program's path, if any.
    pub fn installed(self) -> Option<PathBuf> {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|d| d.join(self.program()))
            .find(|p| p.is_file())
    }
}

/// One running peer; dropping it stops the process.
pub struct Peer {
    pub system: System,
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// The name of a sample's kind, as a label, database or measurement.
pub fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Analog => "analog",
        Kind::Counter => "counter",
        Kind::State => "state",
        Kind::Float32 => "float32",
    }
}

impl Peer {
    /// Starts `system` on a new folder `dir` and waits until it answers.
    pub fn start(system: System, dir: &Path) -> Result<Peer> {
        let program = system.installed().ok_or("not installed")?;
        std::fs::create_dir_all(dir)?;
        let port = free_port()?;
        let mut cmd = Command::new(program);
        match system {
            System::VictoriaMetrics => {
                cmd.arg(format!("-storageDataPath={}", dir.join("vm").display()))
                    .arg(format!("-httpListenAddr=127.0.0.1:{port}"))
                    .arg("-retentionPeriod=100y")
                    .arg("-loggerLevel=ERROR");
            }
            System::InfluxDb => {
                let config = dir.join("influxdb.conf");
                std::fs::write(&config, influx_config(dir, port, free_port()?))?;
                cmd.arg("run").arg("-config").arg(&config);
            }
        }
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let peer = Peer {
            system,
            child,
            port,
            dir: dir.to_path_buf(),
        };
        let ready = match system {
            System::VictoriaMetrics => "/health",
            System::InfluxDb => "/ping",
        };
        let started = Instant::now();
        while http(port, "GET", ready, b"").map_or(true, |(code, _)| code >= 300) {
            if started.elapsed() > Duration::from_secs(30) {
                return Err(format!("{} did not start", system.program()).into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        if system == System::InfluxDb {
            for k in [Kind::Analog, Kind::Counter, Kind::State, Kind::Float32] {
                let q = format!("q=CREATE+DATABASE+{}", kind_name(k));
                expect_ok(http(port, "POST", &format!("/query?{q}"), b"")?)?;
            }
        }
        Ok(peer)
    }

    /// Writes samples (good numbers) over the HTTP write API.
    pub fn load(&self, samples: &[Sample]) -> Result<()> {
        match self.system {
            System::VictoriaMetrics => {
                for chunk in samples.chunks(100_000) {
                    let mut body = String::with_capacity(chunk.len() * 40);
                    for s in chunk {
                        let Some(v) = s.value() else { continue };
                        body.push_str(&format!("plant{{tag=\"{}\"}} {v} {}\n", s.tag_id, s.ts));
                    }
                    expect_ok(http(
                        self.port,
                        "POST",
                        "/api/v1/import/prometheus",
                        body.as_bytes(),
                    )?)?;
                }
            }
            System::InfluxDb => {
                // One database per kind, so each kind's size can be read from its folder;
                // counters and states as integers, as an InfluxDB user would write them.
                for k in [Kind::Analog, Kind::Counter, Kind::State, Kind::Float32] {
                    let mine: Vec<&Sample> =
                        samples.iter().filter(|s| Kind::of(s.tag_id) == k).collect();
                    for chunk in mine.chunks(50_000) {
                        let mut body = String::with_capacity(chunk.len() * 40);
                        for s in chunk {
                            let Some(v) = s.value() else { continue };
                            let int = matches!(k, Kind::Counter | Kind::State);
                            let v = if int {
                                format!("{}i", v as i64)
                            } else {
                                v.to_string()
                            };
                            body.push_str(&format!("v,t={} value={v} {}\n", s.tag_id, s.ts));
                        }
                        let path = format!("/write?db={}&precision=ms", kind_name(k));
                        expect_ok(http(self.port, "POST", &path, body.as_bytes())?)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Makes everything written durable and fully compacted (VictoriaMetrics: a flush
    /// and a forced merge; InfluxDB: cache snapshots and full compactions, which its
    /// configuration here starts after a second of quiet), and waits until the files
    /// stop changing.
    pub fn compact(&self) -> Result<()> {
        if self.system == System::VictoriaMetrics {
            expect_ok(http(self.port, "GET", "/internal/force_flush", b"")?)?;
            expect_ok(http(self.port, "GET", "/internal/force_merge", b"")?)?;
        }
        let started = Instant::now();
        let mut last = (u64::MAX, 0);
        let mut stable = 0;
        while started.elapsed() < Duration::from_secs(300) {
            std::thread::sleep(Duration::from_secs(1));
            let now = (dir_bytes(&self.dir), self.wal_bytes());
            let busy = has_temp_files(&self.dir);
            if now == last && !busy && now.1 == 0 {
                stable += 1;
                if stable >= 3 {
                    return Ok(());
                }
            } else {
                stable = 0;
            }
            last = now;
        }
        Err(format!("{} kept compacting for 5 minutes", self.system.program()).into())
    }

    fn wal_bytes(&self) -> u64 {
        match self.system {
            System::InfluxDb => dir_bytes(&self.dir.join("wal")),
            System::VictoriaMetrics => 0,
        }
    }

    /// Bytes on disk: all of it, or one kind's (InfluxDB: its database's shards).
    pub fn bytes(&self, kind: Option<Kind>) -> u64 {
        match (self.system, kind) {
            (System::VictoriaMetrics, _) => {
                let vm = self.dir.join("vm");
                dir_bytes(&vm.join("data")) + dir_bytes(&vm.join("indexdb"))
            }
            (System::InfluxDb, Some(k)) => dir_bytes(&self.dir.join("data").join(kind_name(k))),
            (System::InfluxDb, None) => {
                dir_bytes(&self.dir.join("data")) + dir_bytes(&self.dir.join("wal"))
            }
        }
    }

    /// A chart of one tag: the smallest and largest value per column of `step_ms`
    /// over `[from, to)`. Returns the number of bytes answered.
    pub fn chart(&self, tag: i64, from: i64, to: i64, step_ms: i64) -> Result<usize> {
        match self.system {
            System::VictoriaMetrics => {
                let mut n = 0;
                for f in ["min_over_time", "max_over_time"] {
                    let path = format!(
                        "/api/v1/query_range?query={f}(plant%7Btag%3D%22{tag}%22%7D%5B{step_ms}ms%5D)&start={}&end={}&step={step_ms}ms",
                        from as f64 / 1000.0 + step_ms as f64 / 1000.0,
                        to as f64 / 1000.0
                    );
                    let (code, body) = http(self.port, "GET", &path, b"")?;
                    expect_ok((code, body.clone()))?;
                    n += body.len();
                }
                Ok(n)
            }
            System::InfluxDb => {
                let q = format!(
                    "SELECT min(value),max(value) FROM v WHERE t='{tag}' AND time >= {from}ms AND time < {to}ms GROUP BY time({step_ms}ms)"
                );
                let path = format!(
                    "/query?db={}&epoch=ms&q={}",
                    kind_name(Kind::of(tag)),
                    encode_query(&q)
                );
                let (code, body) = http(self.port, "GET", &path, b"")?;
                expect_ok((code, body.clone()))?;
                Ok(body.len())
            }
        }
    }
}

fn influx_config(dir: &Path, port: u16, rpc: u16) -> String {
    let d = dir.display();
    format!(
        r#"reporting-disabled = true
bind-address = "127.0.0.1:{rpc}"
[meta]
  dir = "{d}/meta"
  logging-enabled = false
[data]
  dir = "{d}/data"
  wal-dir = "{d}/wal"
  index-version = "inmem"
  query-log-enabled = false
  cache-snapshot-write-cold-duration = "1s"
  compact-full-write-cold-duration = "1s"
[retention]
  enabled = false
[monitor]
  store-enabled = false
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
[http]
  bind-address = "127.0.0.1:{port}"
  log-enabled = false
[logging]
  level = "error"
"#
    )
}

fn encode_query(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Bytes the files under `dir` take on disk: their length, or what is allocated where
/// that is less (a preallocated sparse file, as InfluxDB's series file, takes only what
/// is written).
pub fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => allocated(&m),
            Err(_) => 0,
        })
        .sum()
}

#[cfg(unix)]
fn allocated(m: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    // Not counting the file system's rounding up to whole blocks (VictoriaMetrics keeps
    // many small files; Plantlog's figure is its file's length too).
    (m.blocks() * 512).min(m.len())
}

#[cfg(not(unix))]
fn allocated(m: &std::fs::Metadata) -> u64 {
    m.len()
}

/// Whether a merge or compaction is writing: files in a `tmp` folder (VictoriaMetrics)
/// or named `*.tmp` (InfluxDB).
fn has_temp_files(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name().to_string_lossy().to_string();
        let is_dir = e.metadata().is_ok_and(|m| m.is_dir());
        (is_dir && name == "tmp" && dir_bytes(&e.path()) > 0)
            || name.ends_with(".tmp")
            || (is_dir && has_temp_files(&e.path()))
    })
}

fn expect_ok((code, body): (u16, Vec<u8>)) -> Result<()> {
    if (200..300).contains(&code) {
        Ok(())
    } else {
        Err(format!(
            "HTTP {code}: {}",
            String::from_utf8_lossy(&body[..body.len().min(300)])
        )
        .into())
    }
}

/// One HTTP/1.1 request to 127.0.0.1:`port`; returns the status and the body.
fn http(port: u16, method: &str, path: &str, body: &[u8]) -> Result<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(300)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )?;
    s.write_all(body)?;
    let mut answer = Vec::new();
    s.read_to_end(&mut answer)?;
    let head_end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no HTTP header")?;
    let head = String::from_utf8_lossy(&answer[..head_end]).to_lowercase();
    let code: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or("no HTTP status")?;
    let mut rest = answer[head_end + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        let mut out = Vec::new();
        let mut p = 0;
        while let Some(eol) = rest[p..].windows(2).position(|w| w == b"\r\n") {
            let size =
                usize::from_str_radix(String::from_utf8_lossy(&rest[p..p + eol]).trim(), 16)?;
            p += eol + 2;
            if size == 0 || p + size > rest.len() {
                break;
            }
            out.extend_from_slice(&rest[p..p + size]);
            p += size + 2;
        }
        rest = out;
    }
    Ok((code, rest))
}
