//! The sync client against a small stand-in for the central server (in this process,
//! plain HTTP): it acknowledges every raw samples' batch and answers with a clock set
//! apart from this PC's by the test. The real central server and PostgreSQL are in
//! tests/sync.rs; this covers what the plant does with the answers.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use tokio_util::sync::CancellationToken;

use super::wire::{BLOCKS_MAGIC, BlocksHeader};
use super::{Connect, clock};
use crate::sample::{Sample, now_ms};
use crate::store::{Db, raw};

/// What the stand-in saw and how it answers.
#[derive(Default)]
struct Central {
    /// Added to this PC's clock in the answers.
    offset_ms: AtomicI64,
    batches: AtomicI64,
    bytes: AtomicI64,
    samples: AtomicI64,
}

async fn receive(State(c): State<Arc<Central>>, body: Bytes) -> String {
    assert_eq!(&body[..4], BLOCKS_MAGIC);
    let hlen = u32::from_le_bytes(body[4..8].try_into().unwrap()) as usize;
    let h: BlocksHeader =
        serde_json::from_slice(&zstd::bulk::decompress(&body[8..8 + hlen], 1 << 28).unwrap())
            .unwrap();
    c.batches.fetch_add(1, Ordering::SeqCst);
    c.bytes.fetch_add(body.len() as i64, Ordering::SeqCst);
    let n: i64 = h.blocks.iter().map(|b| b.n).sum();
    c.samples.fetch_add(n, Ordering::SeqCst);
    serde_json::json!({
        "site": h.site, "seq": h.seq, "acked_seq": h.seq, "acked_to_ts": h.to_ts,
        "samples": n, "new_samples": n, "replay": false,
        "server_ms": now_ms() + c.offset_ms.load(Ordering::SeqCst),
    })
    .to_string()
}

/// The stand-in central server, serving on a free port of 127.0.0.1.
async fn stand_in() -> (Arc<Central>, std::net::SocketAddr) {
    let central = Arc::new(Central::default());
    let app = Router::new()
        .route("/api/v1/sites/{site}/batches", post(receive))
        .with_state(central.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (central, addr)
}

/// Switches sync on as site "plant-a" towards the server at `addr` over plain HTTP,
/// sending `classes` with `token`, polling every 100 ms.
pub(super) fn connect_plain(
    c: &rusqlite::Connection,
    data: &std::path::Path,
    addr: std::net::SocketAddr,
    classes: &str,
    token: &str,
) {
    super::connect(
        c,
        data,
        &Connect {
            url: format!("http://{addr}"),
            site: "plant-a".into(),
            pin_sha256: String::new(),
            interval_ms: 100,
            max_backoff_ms: 1000,
            classes: Some(classes.into()),
        },
        token,
    )
    .unwrap();
}

/// The real central server on a throwaway PostgreSQL cluster, with site "plant-a", and
/// the plant at `data` connected to it sending `classes`. Stop it with
/// [`RealCentral::stop`].
pub(super) struct RealCentral {
    /// Kept to the end: dropping it stops the cluster.
    _pg: plantlog_central::pgtest::PgCluster,
    pub pool: plantlog_central::db::Pool,
    stop: tokio_util::sync::CancellationToken,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RealCentral {
    pub(super) async fn start(db: &Db, data: &std::path::Path, classes: &'static str) -> Self {
        let pg = plantlog_central::pgtest::PgCluster::start().await.unwrap();
        let pool = plantlog_central::db::pool(&pg.url("plantlog"), 4).unwrap();
        plantlog_central::db::migrate(&pool).await.unwrap();
        let token = plantlog_central::db::add_site(&pool, "plant-a")
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = tokio_util::sync::CancellationToken::new();
        let server = tokio::spawn(plantlog_central::serve(
            listener,
            pool.clone(),
            stop.clone(),
        ));
        let data = data.to_path_buf();
        db.with(move |c| {
            connect_plain(c, &data, addr, classes, &token);
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
        RealCentral {
            _pg: pg,
            pool,
            stop,
            server,
        }
    }

    pub(super) async fn stop(self) {
        self.stop.cancel();
        let _ = self.server.await;
    }
}

/// Switches sync on towards the stand-in at `addr`, raw samples only.
fn connect_raw(c: &rusqlite::Connection, data: &std::path::Path, addr: std::net::SocketAddr) {
    connect_plain(c, data, addr, "raw", "secret-token");
}

/// A plant with `hours` of one tag at 1 Hz ending a minute ago, connected (raw samples
/// only) to a stand-in central server.
async fn plant(hours: i64) -> (tempfile::TempDir, Db, Arc<Central>) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("plantlog.db")).unwrap();
    let (central, addr) = stand_in().await;
    let end = now_ms() - 60_000;
    let start = end - hours * 3_600_000;
    let data = dir.path().to_path_buf();
    db.with(move |c| {
        c.execute_batch(
            "INSERT INTO devices (id, key, name, protocol, endpoint) VALUES (1, 'meter', 'Meter', 'modbus-tcp', 'x');
             INSERT INTO tags (id, device_id, name, label, unit, poll_ms) VALUES (10, 1, 'power', 'Power', 'kW', 1000);",
        )?;
        let samples: Vec<Sample> = (0..(end - start) / 1000)
            .map(|i| Sample::good(10, start + i * 1000, ((i * 7919) % 1000) as f64 / 10.0))
            .collect();
        raw::insert(c, &samples)?;
        connect_raw(c, &data, addr);
        Ok::<_, crate::store::StoreError>(())
    })
    .unwrap();
    (dir, db, central)
}

#[tokio::test]
async fn a_clock_off_by_more_than_a_minute_is_kept_and_cleared_by_an_exchange_within_it() {
    let (dir, db, central) = plant(1).await;
    central.offset_ms.store(-5 * 60_000, Ordering::SeqCst);
    let sent = super::client::drain(&db, dir.path()).await.unwrap();
    assert!(sent >= 1);
    let path = dir.path().to_path_buf();
    let read = |db: &Db| {
        let path = path.clone();
        db.with(move |c| Ok::<_, crate::store::StoreError>(super::status(c, &path, now_ms())?))
            .unwrap()
    };
    let s = read(&db);
    let skew = s.clock_skew_ms.unwrap();
    assert!(
        (-5 * 60_000 - 2_000..=-5 * 60_000 + 2_000).contains(&skew),
        "{skew}"
    );
    let since = s.clock_off_since.expect("off by 5 min");
    assert_eq!(
        db.with(|c| Ok::<_, crate::store::StoreError>(clock::read(c)?))
            .unwrap()
            .unwrap()
            .off_since,
        Some(since)
    );
    // The clocks agree again: the next exchange clears it.
    central.offset_ms.store(1_500, Ordering::SeqCst);
    let more: Vec<Sample> = (0..30)
        .map(|i| Sample::good(10, now_ms() - 40_000 + i * 100, 1.0))
        .collect();
    db.with(move |c| Ok::<_, crate::store::StoreError>(raw::insert(c, &more)?))
        .unwrap();
    super::client::drain(&db, dir.path()).await.unwrap();
    let s = read(&db);
    assert_eq!(s.clock_off_since, None);
    assert!(s.clock_skew_ms.unwrap().abs() < 60_000);
    // Switched off: nothing measured any more.
    let p = dir.path().to_path_buf();
    db.with(move |c| {
        super::disconnect(c, &p).unwrap();
        Ok::<_, crate::store::StoreError>(())
    })
    .unwrap();
    assert_eq!(read(&db).clock_skew_ms, None);
}

fn status_now(db: &Db, dir: &std::path::Path) -> super::SyncStatus {
    let dir = dir.to_path_buf();
    db.with(move |c| Ok::<_, crate::store::StoreError>(super::status(c, &dir, now_ms())?))
        .unwrap()
}

#[tokio::test]
async fn the_catch_up_estimate_comes_from_the_rate_reached_and_what_the_plant_adds() {
    let (dir, db, _central) = plant(3).await;
    let s = status_now(&db, dir.path());
    assert_eq!(s.state, super::SyncState::Behind);
    // Nothing sent yet: no rate, no estimate; what waits counts at a typical 2 bytes a
    // sample.
    assert_eq!(
        (s.rate_bps, s.catch_up_ms, s.falls_behind),
        (None, None, false)
    );
    let samples = s.backlog_samples;
    assert!((10_700..=10_800).contains(&samples), "{samples}");
    assert_eq!(s.waiting_bytes, samples * 2);
    // At 10 kB/s: the bytes over the rate less the plant's 2 bytes a second.
    db.with(|c| Ok::<_, crate::store::StoreError>(super::pace::record(c, 10_000, 1_000)?))
        .unwrap();
    let s = status_now(&db, dir.path());
    assert_eq!(s.rate_bps, Some(10_000));
    let ms = s.catch_up_ms.expect("an estimate");
    assert!((2_000..=2_300).contains(&ms), "{ms}");
    // Slower than the plant adds: it never catches up, and says so.
    db.with(|c| {
        c.execute("UPDATE sync_state SET rate_bytes = 1, rate_ms = 1000", [])?;
        Ok::<_, crate::store::StoreError>(())
    })
    .unwrap();
    let s = status_now(&db, dir.path());
    assert_eq!((s.catch_up_ms, s.falls_behind), (None, true));
}

#[tokio::test]
async fn batches_are_paced_to_the_bandwidth_limit() {
    let (dir, db, central) = plant(3).await;
    const LIMIT: i64 = 4096;
    db.with(|c| {
        super::pace::set_limit(c, LIMIT).unwrap();
        Ok::<_, crate::store::StoreError>(())
    })
    .unwrap();
    let started = std::time::Instant::now();
    let sent = super::client::drain(&db, dir.path()).await.unwrap();
    let took = started.elapsed().as_millis() as i64;
    let bytes = central.bytes.load(Ordering::SeqCst);
    assert_eq!(sent as i64, central.batches.load(Ordering::SeqCst));
    // 160 minutes in one (a sample a second of one tag is few), then ten-minute windows.
    assert!(sent >= 3, "{sent} batches");
    // Every batch is followed by its pause: the whole drain took at least the bytes
    // over the limit.
    assert!(
        took >= bytes * 1000 / LIMIT - 50,
        "{bytes} bytes in {took} ms"
    );
    let s = status_now(&db, dir.path());
    assert_eq!(s.bandwidth_bps, LIMIT);
    let rate = s.rate_bps.unwrap();
    assert!(rate <= LIMIT + LIMIT / 20, "rate {rate}");
    assert!(rate >= LIMIT / 2, "rate {rate}");
    assert_eq!(s.state, super::SyncState::Connected);
    assert_eq!(s.catch_up_ms, None);
}

/// Issue 14, a month offline: 31 days of 200 tags' history wait when the link comes
/// back; they drain completely, oldest first, while the writer goes on committing the
/// live samples, and its commits take no longer than they did before the drain (the
/// drain only reads, and its small writes of the position wait their turn). One sample
/// per tag every 10 minutes here (892,800); `PLANTLOG_MONTH_STEP_S=60` (the extended
/// stage of .ci/run) makes it one a minute (8.9 million).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_offline_drains_completely_while_the_writer_keeps_its_pace() {
    use crate::store::Writer;
    const TAGS: i64 = 200;
    let step_s: i64 = std::env::var("PLANTLOG_MONTH_STEP_S")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plantlog.db");
    let db = Db::open(&path).unwrap();
    let (central, addr) = stand_in().await;

    // 31 days of history, backfilled day by day, ending ten minutes ago.
    let end = (now_ms() - 600_000) / 1000 * 1000;
    let start = end - 31 * 86_400_000;
    let data = dir.path().to_path_buf();
    let history = db
        .with(move |c| {
            c.execute(
                "INSERT INTO devices (id, key, name, protocol, endpoint) VALUES (1, 'line', 'Line', 'modbus-tcp', 'x')",
                [],
            )?;
            for t in 1..=TAGS {
                c.execute(
                    "INSERT INTO tags (id, device_id, name, label, unit, poll_ms) VALUES (?1, 1, ?2, ?2, 'bar', 1000)",
                    rusqlite::params![t, format!("t{t}")],
                )?;
            }
            let mut n = 0;
            let mut day = start;
            while day < end {
                let to = (day + 86_400_000).min(end);
                let mut samples = Vec::new();
                for t in 1..=TAGS {
                    let mut ts = day;
                    while ts < to {
                        let i = (ts - start) / 1000 / step_s;
                        samples.push(Sample::good(t, ts, ((i * 7919 + t * 31) % 1000) as f64 / 10.0));
                        ts += step_s * 1000;
                    }
                }
                n += crate::store::backfill::backfill(c, samples)?;
                day = to;
            }
            connect_raw(c, &data, addr);
            Ok::<_, crate::store::StoreError>(n as i64)
        })
        .unwrap();
    assert_eq!(history, TAGS * 31 * 86_400 / step_s);
    let before = status_now(&db, dir.path());
    assert!(
        before.backlog_samples >= history,
        "{}",
        before.backlog_samples
    );
    assert!(before.oldest_waiting_ts.unwrap() <= start + 3_600_000);

    // The collector's part: 200 live readings every 200 ms through the writer.
    let writer = Writer::start(&path).unwrap();
    let handle = writer.handle();
    let feeding = CancellationToken::new();
    let feeder = {
        let (handle, stop) = (handle.clone(), feeding.clone());
        tokio::spawn(async move {
            while !stop.is_cancelled() {
                let ts = now_ms();
                handle.store((1..=TAGS).map(|t| Sample::good(t, ts, t as f64)).collect());
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        })
    };
    // Commit times alone, then during the drain.
    let commits_from = |from: u64| {
        let s = handle.status();
        let fresh = s.commits.saturating_sub(from) as usize;
        let all: Vec<f64> = s.recent_commit_ms().collect();
        let mut v = all[all.len().saturating_sub(fresh)..].to_vec();
        v.sort_by(f64::total_cmp);
        (s.commits, v)
    };
    tokio::time::sleep(std::time::Duration::from_secs(8)).await;
    let (mark, alone) = commits_from(0);
    let started = std::time::Instant::now();
    let sent = super::client::drain(&db, dir.path()).await.unwrap();
    let took = started.elapsed();
    let (_, during) = commits_from(mark);
    feeding.cancel();
    feeder.await.unwrap();
    writer.stop();

    let after = status_now(&db, dir.path());
    assert!(
        after.acked_to_ts >= end,
        "caught up to {} of {end}",
        after.acked_to_ts
    );
    assert_eq!(after.state, super::SyncState::Connected, "{after:?}");
    // Every stored sample below the acknowledged position reached the central server,
    // once: as many as the plant holds there.
    let acked = after.acked_to_ts;
    let held = db
        .with(move |c| {
            let mut n = 0;
            for t in 1..=TAGS {
                n += raw::read(c, t, 0, acked)?.len() as i64;
            }
            Ok::<_, crate::store::StoreError>(n)
        })
        .unwrap();
    let received: i64 = central.samples.load(Ordering::SeqCst);
    assert_eq!(received, held, "{sent} batches");
    assert!(held >= history);
    let p = |v: &[f64], q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    eprintln!(
        "month offline: {history} samples of history in {sent} batches, {} bytes, {:.1} s; \
         writer commits alone p50 {:.1} ms p99 {:.1} ms ({}), during the drain p50 {:.1} ms \
         max {:.1} ms ({})",
        central.bytes.load(Ordering::SeqCst),
        took.as_secs_f64(),
        p(&alone, 0.5),
        p(&alone, 0.99),
        alone.len(),
        p(&during, 0.5),
        p(&during, 1.0),
        during.len()
    );
    assert!(!during.is_empty(), "the writer committed during the drain");
    // Within the normal range: the median as before (with room for a noisy machine), and
    // no commit held up for as long as a second (the writer's pace: a commit a second).
    assert!(
        p(&during, 0.5) <= 3.0 * p(&alone, 0.5) + 20.0,
        "commits slowed: {during:?} against {alone:?}"
    );
    assert!(
        p(&during, 1.0) < 1000.0,
        "a commit waited: {during:?} against {alone:?}"
    );
}
