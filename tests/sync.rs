//! Sync to a central server (issue 14), end to end with real parts: a throwaway
//! PostgreSQL cluster (plantlog_central::pgtest), the central server serving on a free
//! port, the `plantlog demo` process collecting from its simulated plant with seeded
//! history, and between them a TCP proxy that can cut the link or drop an answer after
//! the central server committed it. After each fault, the samples in PostgreSQL equal
//! the plant's, tag by tag and sample by sample: nothing lost, nothing doubled.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use plantlog_central::pgtest::PgCluster;
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

use crate::util::wait_for;

#[path = "sync_streams.rs"]
mod streams;

/// A central server in this process, stopped with [`Central::stop`].
struct Central {
    addr: SocketAddr,
    stop: CancellationToken,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Central {
    async fn start(url: &str) -> Central {
        let pool = plantlog_central::db::pool(url, 4).unwrap();
        plantlog_central::db::migrate(&pool).await.unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = CancellationToken::new();
        let task = tokio::spawn(plantlog_central::serve(listener, pool, stop.clone()));
        Central { addr, stop, task }
    }

    async fn stop(self) {
        self.stop.cancel();
        self.task.await.unwrap().unwrap();
    }
}

/// What the proxy does with the next connections.
#[derive(Default)]
struct Link {
    /// Where to forward; none: the link is down (connections are closed at once).
    upstream: Option<SocketAddr>,
    /// Answers still to drop: the central server's answer (sent after its commit) is
    /// read and the connection closed instead of passing it on.
    drop_answers: usize,
    dropped: usize,
}

struct Proxy {
    addr: SocketAddr,
    link: Arc<Mutex<Link>>,
}

impl Proxy {
    async fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let link = Arc::new(Mutex::new(Link::default()));
        let shared = link.clone();
        tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(forward(client, shared.clone()));
            }
        });
        Proxy { addr, link }
    }

    fn set(&self, upstream: Option<SocketAddr>, drop_answers: usize) {
        let mut l = self.link.lock().unwrap();
        l.upstream = upstream;
        l.drop_answers = drop_answers;
    }

    fn dropped(&self) -> usize {
        self.link.lock().unwrap().dropped
    }
}

async fn forward(client: TcpStream, link: Arc<Mutex<Link>>) {
    let Some(up) = link.lock().unwrap().upstream else {
        return; // the link is down: the connection closes
    };
    let Ok(upstream) = TcpStream::connect(up).await else {
        return;
    };
    let (mut cr, mut cw) = client.into_split();
    let (mut ur, mut uw) = upstream.into_split();
    let to_server = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut cr, &mut uw).await;
    });
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match ur.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let cut = {
            let mut l = link.lock().unwrap();
            if l.upstream != Some(up) {
                true
            } else if l.drop_answers > 0 {
                l.drop_answers -= 1;
                l.dropped += 1;
                true
            } else {
                false
            }
        };
        if cut || cw.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    to_server.abort();
}

fn plantlog(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_plantlog"));
    c.arg("--data-dir").arg(data);
    c
}

/// Starts `plantlog demo` with a quarter hour of seeded history (on a new folder).
fn start_demo(data: &Path) -> Child {
    let mut child = plantlog(data)
        .args(["demo", "--port", "0", "--history-days", "0.01"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().starts_with("Stop with") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    child
}

fn connect(data: &Path, url: &str, site: &str, token: &str) {
    connect_with(data, url, site, token, None);
}

fn connect_pinned(data: &Path, url: &str, site: &str, token: &str, pin: &str) {
    connect_with(data, url, site, token, Some(pin));
}

/// `plantlog sync connect` with the token given in a file (removed afterwards) and, when
/// given, the certificate's pinned fingerprint.
fn connect_with(data: &Path, url: &str, site: &str, token: &str, pin: Option<&str>) {
    let token_file = data.join("token-for-test");
    std::fs::write(&token_file, token).unwrap();
    let out = plantlog(data)
        .args([
            "sync",
            "connect",
            "--url",
            url,
            "--site",
            site,
            "--interval-ms",
            "300",
            "--classes",
            "raw",
        ])
        .args(["--max-backoff-ms", "1500"])
        .args(pin.map(|p| ["--pin-sha256", p]).into_iter().flatten())
        .arg("--token-file")
        .arg(&token_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(token_file).unwrap();
}

fn status(data: &Path) -> Value {
    let out = plantlog(data).args(["sync", "status"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn sigterm(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    child.wait().unwrap();
}

fn add_site(pool_url: &str, name: &str) -> String {
    let rt = tokio::runtime::Handle::current();
    let url = pool_url.to_string();
    let name = name.to_string();
    std::thread::spawn(move || {
        rt.block_on(async {
            let pool = plantlog_central::db::pool(&url, 1).unwrap();
            plantlog_central::db::migrate(&pool).await.unwrap();
            plantlog_central::db::add_site(&pool, &name).await.unwrap()
        })
    })
    .join()
    .unwrap()
}

/// One sample as both sides hold it: tag, time, value bits, text, quality.
type Row = (i64, i64, Option<u64>, Option<String>, i64);

/// The plant's samples with ts < `to`, every tag, by tag and time.
fn plant_rows(data: &Path, to: i64) -> Vec<Row> {
    let conn =
        Connection::open_with_flags(data.join("plantlog.db"), OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let tags: Vec<i64> = conn
        .prepare("SELECT id FROM tags ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut rows = Vec::new();
    for tag in tags {
        for s in plantlog::store::raw::read(&conn, tag, 0, to).unwrap() {
            rows.push((
                tag,
                s.ts,
                s.value().map(f64::to_bits),
                s.text().map(str::to_string),
                s.quality.code(),
            ));
        }
    }
    rows
}

async fn central_rows(pg: &PgCluster, site: &str) -> Vec<Row> {
    let db = pg.connect("plantlog").await.unwrap();
    db.query(
        "SELECT x.tag_id, x.ts, x.value, x.text, x.quality::bigint FROM samples x
         JOIN sites s ON s.id = x.site_id WHERE s.name = $1 ORDER BY x.tag_id, x.ts",
        &[&site],
    )
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.get(0),
            r.get(1),
            r.get::<_, Option<f64>>(2).map(f64::to_bits),
            r.get(3),
            r.get(4),
        )
    })
    .collect()
}

fn acked_to(data: &Path) -> i64 {
    status(data)["acked_to_ts"].as_i64().unwrap()
}

async fn wait_acked(data: &Path, at_least: i64, what: &str) {
    let last = Mutex::new(Value::Null);
    let limit = Duration::from_secs(120);
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        let s = status(data);
        if s["acked_to_ts"].as_i64().unwrap() >= at_least {
            return;
        }
        *last.lock().unwrap() = s;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!(
        "waited {limit:?} for {what}; the sync status: {}",
        last.lock().unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue14_plant_syncs_through_faults_with_nothing_lost_or_doubled() {
    let mut pg = PgCluster::start().await.unwrap();
    let url = pg.url("plantlog");
    let token_a = add_site(&url, "plant-a");
    let _token_b = add_site(&url, "plant-b");
    let central = Central::start(&url).await;
    let proxy = Proxy::start().await;
    proxy.set(Some(central.addr), 0);
    let base = format!("http://{}", proxy.addr);

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let mut plant = start_demo(data);
    assert_eq!(status(data)["state"], "off", "sync is off by default");

    // Site A's token cannot write site B: the batch is parked with the reason, and
    // nothing reaches site B.
    connect(data, &base, "plant-b", &token_a);
    let parked = wait_for(
        Duration::from_secs(30),
        "the refused batch parked",
        || async {
            let s = status(data);
            (s["state"] == "parked").then_some(s)
        },
    )
    .await;
    assert!(
        parked["error"].as_str().unwrap().contains("wrong_site"),
        "{parked}"
    );
    assert!(central_rows(&pg, "plant-b").await.is_empty());

    // (a) Connected as site A: the history and the live samples arrive.
    connect(data, &base, "plant-a", &token_a);
    let t1 = plantlog::sample::now_ms();
    wait_acked(data, t1, "the first catch-up").await;
    let s = status(data);
    assert_eq!(s["state"], "connected", "{s}");
    assert_eq!(s["error"], "");

    // (b) The central server stops and the link is down: the plant keeps collecting,
    // the backlog grows and says why.
    proxy.set(None, 0);
    central.stop().await;
    let first = wait_for(
        Duration::from_secs(30),
        "sync to see the link down",
        || async {
            let s = status(data);
            (s["state"] == "offline").then_some(s)
        },
    )
    .await;
    assert!(
        first["error"]
            .as_str()
            .unwrap()
            .contains("cannot reach the central server"),
        "{first}"
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    let later = status(data);
    assert_eq!(later["state"], "offline");
    assert!(
        later["backlog_samples"].as_i64().unwrap() > first["backlog_samples"].as_i64().unwrap(),
        "the backlog grows while offline: {first} then {later}"
    );
    assert!(later["backlog_bytes"].as_i64().unwrap() > 0, "{later}");
    assert!(later["failures"].as_i64().unwrap() >= 1, "{later}");

    // (c) Another central server instance comes back on the same database, and the
    // first two answers are lost after the central server committed them: the batches
    // are sent again and recognised.
    let central = Central::start(&url).await;
    proxy.set(Some(central.addr), 2);
    let t2 = plantlog::sample::now_ms();
    wait_acked(data, t2, "the backlog to drain").await;
    assert_eq!(
        proxy.dropped(),
        2,
        "two answers were dropped after the commit"
    );

    // The plant killed mid-sync (SIGKILL) and started again: it goes on from its
    // position, its batch in flight sent again as it was.
    plant.kill().unwrap();
    plant.wait().unwrap();
    let mut plant = start_demo(data);
    let t3 = plantlog::sample::now_ms();
    wait_acked(data, t3, "the catch-up after the restart").await;

    // PostgreSQL stops under the central server (as in a crash) and starts again: the
    // central server answers 503 meanwhile, the plant waits and retries.
    pg.stop().unwrap();
    let down = wait_for(
        Duration::from_secs(30),
        "sync to see the database down",
        || async {
            let s = status(data);
            (s["state"] == "offline").then_some(s)
        },
    )
    .await;
    assert!(
        down["error"].as_str().unwrap().contains("HTTP 503"),
        "{down}"
    );
    pg.start_server().unwrap();
    let t4 = plantlog::sample::now_ms();
    wait_acked(data, t4, "the catch-up after PostgreSQL's restart").await;

    sigterm(&mut plant);
    let end = acked_to(data);
    let plant_side = plant_rows(data, end);
    let central_side = central_rows(&pg, "plant-a").await;
    assert!(plant_side.len() > 1000, "{} samples", plant_side.len());
    let oldest = plant_side.iter().map(|r| r.1).min().unwrap();
    assert!(
        oldest < t1 - 600_000,
        "the seeded history is among them (oldest {oldest}, connected at {t1})"
    );
    let tags: std::collections::BTreeSet<i64> = plant_side.iter().map(|r| r.0).collect();
    assert!(tags.len() > 10, "{} tags", tags.len());
    assert_eq!(
        central_side.len(),
        plant_side.len(),
        "as many samples centrally as on the plant"
    );
    assert!(
        central_side == plant_side,
        "the central samples equal the plant's, sample by sample"
    );

    // The batches form one unbroken sequence, and the site's high-water mark is the
    // plant's.
    let db = pg.connect("plantlog").await.unwrap();
    let row = db
        .query_one(
            "SELECT count(*), min(b.seq), max(b.seq), sum(b.new_samples)::bigint, s.last_seq, s.acked_to_ts
             FROM batches b JOIN sites s ON s.id = b.site_id WHERE s.name = 'plant-a'
             GROUP BY s.last_seq, s.acked_to_ts",
            &[],
        )
        .await
        .unwrap();
    let (n, lo, hi, new, last, central_to): (i64, i64, i64, i64, i64, i64) = (
        row.get(0),
        row.get(1),
        row.get(2),
        row.get(3),
        row.get(4),
        row.get(5),
    );
    assert_eq!((lo, hi, last), (1, n, n));
    assert_eq!(new, plant_side.len() as i64);
    assert_eq!(central_to, end);
    assert_eq!(status(data)["last_seq"].as_i64().unwrap(), n);
    central.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue14_sync_over_https_accepts_only_the_pinned_certificate() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let pg = PgCluster::start().await.unwrap();
    let url = pg.url("plantlog");
    let token = add_site(&url, "plant-a");
    let certs = tempfile::tempdir().unwrap();
    let names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    let tls =
        plantlog_central::tls::load_or_generate(&certs.path().join("central"), &names).unwrap();
    let other =
        plantlog_central::tls::load_or_generate(&certs.path().join("other"), &names).unwrap();
    assert_ne!(tls.fingerprint, other.fingerprint);
    // Generated once: loaded again, the same certificate.
    let again =
        plantlog_central::tls::load_or_generate(&certs.path().join("central"), &names).unwrap();
    assert_eq!(again.fingerprint, tls.fingerprint);

    let pool = plantlog_central::db::pool(&url, 4).unwrap();
    plantlog_central::db::migrate(&pool).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    let stop = CancellationToken::new();
    let server = tokio::spawn(plantlog_central::tls::serve(
        listener,
        pool,
        tls.config.clone(),
        stop.clone(),
    ));

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let mut plant = start_demo(data);

    // Another certificate's fingerprint pinned: nothing is sent, and the status says
    // the link fails.
    connect_pinned(data, &base, "plant-a", &token, &other.fingerprint);
    let s = wait_for(Duration::from_secs(30), "the wrong pin refused", || async {
        let s = status(data);
        (s["state"] == "offline").then_some(s)
    })
    .await;
    assert!(s["error"].as_str().unwrap().contains("certificate"), "{s}");
    assert!(central_rows(&pg, "plant-a").await.is_empty());

    // The central server's own fingerprint, as it prints it (colons allowed): synced.
    let with_colons = tls
        .fingerprint
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap().to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(":");
    connect_pinned(data, &base, "plant-a", &token, &with_colons);
    let t = plantlog::sample::now_ms();
    wait_acked(data, t, "the catch-up over HTTPS").await;
    sigterm(&mut plant);
    let end = acked_to(data);
    let plant_side = plant_rows(data, end);
    assert!(plant_side.len() > 1000, "{} samples", plant_side.len());
    assert!(central_rows(&pg, "plant-a").await == plant_side);
    stop.cancel();
    server.await.unwrap().unwrap();
}

/// The bandwidth limit from the Storage page's sync card: the admin sets it (audited),
/// a limit too small to send a batch is refused with its code and value, and only a
/// role that edits the configuration may change it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue14_the_admin_sets_the_bandwidth_limit_from_the_page() {
    use plantlog::auth::Role;
    let plant = crate::util::TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let put = |c: &reqwest::Client, bytes: i64| {
        c.put(plant.url("/api/sync/bandwidth"))
            .json(&serde_json::json!({ "bytes_per_second": bytes }))
            .send()
    };
    let r = put(&admin, 250_000).await.unwrap();
    assert_eq!(r.status(), 200);
    let s: Value = r.json().await.unwrap();
    assert_eq!(s["bandwidth_bps"], 250_000);
    assert_eq!(
        plant.get_json(&admin, "/api/sync").await["bandwidth_bps"],
        250_000
    );

    let r = put(&admin, 500).await.unwrap();
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.unwrap();
    assert_eq!(
        (e["code"].as_str(), e["params"]["bytes"].as_i64()),
        (Some("bad_bandwidth"), Some(500))
    );
    assert_eq!(
        plant.get_json(&admin, "/api/sync").await["bandwidth_bps"],
        250_000
    );

    let sup = plant.client(Role::Supervisor).await;
    assert_eq!(put(&sup, 0).await.unwrap().status(), 403);
    let r = put(&admin, 0).await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["bandwidth_bps"], 0);
    let audit = plant.get_json(&admin, "/api/audit").await.to_string();
    assert!(
        audit.contains("bandwidth limit 0 -> 250000 bytes/s"),
        "{audit}"
    );
    assert!(
        audit.contains("bandwidth limit 250000 -> 0 bytes/s"),
        "{audit}"
    );
    plant.stop().await;
}
