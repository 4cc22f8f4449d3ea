//! The one writer of samples. Readings arrive in batches through a channel; on its own
//! thread and connection the writer applies each tag's recording policy
//! ([`super::record`]) and commits what is kept in one transaction at least once a
//! second, so collection never waits for the disk (nor for the policies).
//!
//! A failed commit is never swallowed: the samples stay pending and are retried, the
//! failure is logged and shown in [`WriterStatus`] until a commit succeeds again.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use serde::Serialize;

use super::StoreError;
use super::gate::Gate;
use super::record::Recorder;
use crate::config::Plant;
use crate::sample::{Sample, now_ms};

/// Longest time a sample waits before its commit.
pub const COMMIT_INTERVAL: Duration = Duration::from_secs(1);

/// The commit interval: [`COMMIT_INTERVAL`], or for the crash test (which wants many
/// commits to kill Plantlog in) `PLANTLOG_COMMIT_INTERVAL_MS`, between 10 and 1000.
fn commit_interval() -> Duration {
    static INTERVAL: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();
    *INTERVAL.get_or_init(|| {
        std::env::var("PLANTLOG_COMMIT_INTERVAL_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .map(|ms| Duration::from_millis(ms.clamp(10, 1000)))
            .unwrap_or(COMMIT_INTERVAL)
    })
}
/// A batch this large is committed at once.
const MAX_BATCH: usize = 50_000;
/// Pending samples kept in memory while commits fail (about 2 GB at worst would be
/// too much for an office PC; 10 million is about 400 MB). Past it the oldest are
/// dropped and counted in `dropped`.
const MAX_PENDING: usize = 10_000_000;

enum Msg {
    /// Readings: each tag's recording policy decides which are stored.
    Record(Vec<Sample>),
    /// Samples to store as they are (markers of a start, loaded history).
    Store(Vec<Sample>),
    /// The recording policies of a new configuration.
    Policies(Arc<Plant>),
    Flush(mpsc::Sender<()>),
    /// Commit what is pending, close the connection, answer, wait at the gate until it
    /// opens and open the file again (a restore swaps it meanwhile).
    Quiesce(mpsc::Sender<()>),
    Stop,
}

/// What the writer is doing, for the status page and alarms.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WriterStatus {
    pub committed_samples: u64,
    pub commits: u64,
    pub last_commit_ms: Option<i64>,
    /// Samples received and not yet committed.
    pub pending: usize,
    /// Set while commits fail: what went wrong, and since when.
    pub error: Option<String>,
    pub error_since_ms: Option<i64>,
    /// Samples dropped because commits failed for so long that memory ran short.
    pub dropped: u64,
    /// How long commits take, over the last 256: the median and the 99th percentile.
    pub commit_p50_ms: Option<f64>,
    pub commit_p99_ms: Option<f64>,
    #[serde(skip)]
    recent_commits: std::collections::VecDeque<f64>,
}

impl WriterStatus {
    /// How long each of the last (up to 256) commits took, oldest first, in ms.
    pub fn recent_commit_ms(&self) -> impl Iterator<Item = f64> + '_ {
        self.recent_commits.iter().copied()
    }
}

/// Sends samples to the writer; cheap to clone.
#[derive(Clone)]
pub struct WriterHandle {
    tx: mpsc::Sender<Msg>,
    status: Arc<Mutex<WriterStatus>>,
}

impl WriterHandle {
    /// Queues readings; the recording policies decide which are stored. Never blocks.
    pub fn record(&self, batch: Vec<Sample>) {
        if batch.is_empty() {
            return;
        }
        // The writer only goes away at shutdown, after the collectors stopped.
        let _ = self.tx.send(Msg::Record(batch));
    }

    /// Queues samples to store as they are, whatever the policies. Never blocks.
    pub fn store(&self, batch: Vec<Sample>) {
        if batch.is_empty() {
            return;
        }
        let _ = self.tx.send(Msg::Store(batch));
    }

    /// Takes the recording policies of `plant` for the readings queued after this call.
    pub fn configure(&self, plant: Arc<Plant>) {
        let _ = self.tx.send(Msg::Policies(plant));
    }

    /// Waits until everything queued before this call is committed (or failed).
    pub fn flush(&self) {
        let (tx, rx) = mpsc::channel();
        if self.tx.send(Msg::Flush(tx)).is_ok() {
            let _ = rx.recv();
        }
    }

    /// Commits what is pending and closes the writer's connection; returns when it is
    /// closed. The writer then waits until the gate it was started with
    /// ([`Writer::start_gated`]) is open and opens the file again. Close the gate
    /// before calling this. Blocks the calling thread.
    pub fn quiesce(&self) {
        let (tx, rx) = mpsc::channel();
        if self.tx.send(Msg::Quiesce(tx)).is_ok() {
            let _ = rx.recv();
        }
    }

    pub fn status(&self) -> WriterStatus {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// The writer thread; dropping it commits what is pending and stops the thread.
pub struct Writer {
    handle: WriterHandle,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Opens its own connection to the (already migrated) database and starts.
    pub fn start(path: &Path) -> Result<Writer, StoreError> {
        Writer::start_gated(path, Gate::default())
    }

    /// The same, reopening its connection after a quiesce when `gate` is open (the
    /// running core passes its database's gate, so a restore can swap the file).
    pub fn start_gated(path: &Path, gate: Gate) -> Result<Writer, StoreError> {
        let conn = super::open(path, super::WRITER_DURABILITY)?;
        let path = path.to_path_buf();
        let (tx, rx) = mpsc::channel();
        let status = Arc::new(Mutex::new(WriterStatus::default()));
        let thread_status = status.clone();
        let thread = std::thread::Builder::new()
            .name("plantlog-writer".into())
            .spawn(move || run(conn, rx, thread_status, &path, &gate))
            .map_err(|_| StoreError::TaskGone)?;
        Ok(Writer {
            handle: WriterHandle { tx, status },
            thread: Some(thread),
        })
    }

    pub fn handle(&self) -> WriterHandle {
        self.handle.clone()
    }

    /// Stores what the recording policies hold back, commits what is pending and waits
    /// for the thread to end. Samples sent through other handles after this are not
    /// stored.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.handle.tx.send(Msg::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn run(
    mut conn: Connection,
    rx: mpsc::Receiver<Msg>,
    status: Arc<Mutex<WriterStatus>>,
    path: &Path,
    gate: &Gate,
) {
    let mut journal = super::journal::Journal::from_env();
    let mut pending: Vec<Sample> = Vec::new();
    let mut recorder = Recorder::default();
    // When the pending samples are due for a commit (or a failed one is retried).
    let mut deadline: Option<Instant> = None;
    loop {
        let wait = deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
            .unwrap_or(Duration::from_secs(3600));
        let mut stop = false;
        match rx.recv_timeout(wait) {
            Ok(Msg::Record(batch)) => {
                pending.extend(recorder.filter(batch));
                deadline = due(deadline, pending.len());
            }
            Ok(Msg::Store(batch)) => {
                pending.extend(batch);
                deadline = due(deadline, pending.len());
            }
            Ok(Msg::Policies(plant)) => recorder.configure(&plant),
            Ok(Msg::Flush(ack)) => {
                deadline = Some(Instant::now());
                commit_due(
                    &mut conn,
                    &mut pending,
                    &status,
                    &mut deadline,
                    &mut journal,
                );
                let _ = ack.send(());
            }
            Ok(Msg::Quiesce(ack)) => {
                deadline = Some(Instant::now());
                commit_due(
                    &mut conn,
                    &mut pending,
                    &status,
                    &mut deadline,
                    &mut journal,
                );
                // Closed now: the file is free to be moved (an in-memory stand-in
                // holds the place and is never written to).
                match Connection::open_in_memory() {
                    Ok(m) => drop(std::mem::replace(&mut conn, m)),
                    Err(e) => tracing::error!("the writer cannot close its connection: {e}"),
                }
                let _ = ack.send(());
                gate.wait_open();
                conn = reopen(path, &status);
            }
            Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => stop = true,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if stop {
            pending.extend(recorder.flush());
            deadline = Some(Instant::now());
        }
        commit_due(
            &mut conn,
            &mut pending,
            &status,
            &mut deadline,
            &mut journal,
        );
        status.lock().unwrap_or_else(|e| e.into_inner()).pending = pending.len();
        if stop {
            return;
        }
    }
}

/// Opens the file again after a quiesce; retries each second while it cannot (the
/// samples wait in the channel meanwhile, and the status shows why).
fn reopen(path: &Path, status: &Mutex<WriterStatus>) -> Connection {
    loop {
        match super::open(path, super::WRITER_DURABILITY) {
            Ok(c) => {
                let mut s = status.lock().unwrap_or_else(|e| e.into_inner());
                s.error = None;
                s.error_since_ms = None;
                return c;
            }
            Err(e) => {
                tracing::error!("the writer cannot open the database again: {e}");
                let mut s = status.lock().unwrap_or_else(|e| e.into_inner());
                s.error = Some(e.to_string());
                s.error_since_ms.get_or_insert(now_ms());
            }
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// When samples that just arrived are to be committed: within the commit interval, or
/// at once when the batch is large.
fn due(deadline: Option<Instant>, pending: usize) -> Option<Instant> {
    let now = Instant::now();
    let due = if pending >= MAX_BATCH {
        now
    } else {
        now + commit_interval()
    };
    Some(deadline.map_or(due, |d| d.min(due)))
}

/// Commits when the deadline has come; after a failure, retries a second later.
fn commit_due(
    conn: &mut Connection,
    pending: &mut Vec<Sample>,
    status: &Mutex<WriterStatus>,
    deadline: &mut Option<Instant>,
    journal: &mut Option<super::journal::Journal>,
) {
    if deadline.is_none_or(|d| Instant::now() < d) {
        return;
    }
    *deadline = if commit_or_keep(conn, pending, status, journal) {
        None
    } else {
        Some(Instant::now() + Duration::from_secs(1))
    };
}

/// Commits `pending`; on failure keeps it (up to [`MAX_PENDING`]) and records why.
fn commit_or_keep(
    conn: &mut Connection,
    pending: &mut Vec<Sample>,
    status: &Mutex<WriterStatus>,
    journal: &mut Option<super::journal::Journal>,
) -> bool {
    if pending.is_empty() {
        return true;
    }
    let started = Instant::now();
    match commit(conn, pending) {
        Ok(()) => {
            let took = started.elapsed().as_secs_f64() * 1000.0;
            if let Some(j) = journal {
                j.committed(pending);
            }
            let mut st = status.lock().unwrap_or_else(|e| e.into_inner());
            st.recent_commits.push_back(took);
            if st.recent_commits.len() > 256 {
                st.recent_commits.pop_front();
            }
            let mut sorted: Vec<f64> = st.recent_commits.iter().copied().collect();
            sorted.sort_by(f64::total_cmp);
            let pct = |p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize];
            st.commit_p50_ms = Some(pct(0.5));
            st.commit_p99_ms = Some(pct(0.99));
            st.committed_samples += pending.len() as u64;
            st.commits += 1;
            st.last_commit_ms = Some(now_ms());
            if st.error.take().is_some() {
                tracing::info!("sample commits work again");
            }
            st.error_since_ms = None;
            pending.clear();
            true
        }
        Err(e) => {
            let message = describe(&e);
            let mut st = status.lock().unwrap_or_else(|e| e.into_inner());
            if st.error.as_deref() != Some(message.as_str()) {
                tracing::error!("cannot store samples: {message}");
            }
            st.error = Some(message);
            st.error_since_ms.get_or_insert_with(now_ms);
            if pending.len() > MAX_PENDING {
                let excess = pending.len() - MAX_PENDING;
                pending.drain(..excess);
                st.dropped += excess as u64;
            }
            false
        }
    }
}

fn commit(conn: &mut Connection, batch: &[Sample]) -> rusqlite::Result<()> {
    // Immediate: the insert reads what the hot rows hold before it writes.
    let tx = super::write_tx(conn)?;
    super::raw::insert(&tx, batch)?;
    tx.commit()
}

fn describe(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => {
            "the disk is full; free space on the drive that holds the data folder".to_string()
        }
        Some(rusqlite::ErrorCode::ReadOnly) => {
            "the database is read-only; check the data folder's permissions".to_string()
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;

    #[test]
    fn commits_and_flushes() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("t.db");
        let db = crate::store::Db::open(&path).unwrap();
        let writer = Writer::start(&path).unwrap();
        let h = writer.handle();
        h.store(vec![
            Sample::good(1, 1000, 1.5),
            Sample::bad(1, 2000, Quality::NoAnswer),
        ]);
        h.flush();
        let rows = db
            .sql(|c| crate::store::raw::read(c, 1, 0, 10_000))
            .unwrap();
        assert_eq!(
            rows,
            vec![
                Sample::good(1, 1000, 1.5),
                Sample::bad(1, 2000, Quality::NoAnswer)
            ]
        );
        assert_eq!(h.status().committed_samples, 2);
        drop(h);
        writer.stop();
    }

    #[test]
    fn a_failed_commit_is_reported_and_nothing_is_lost() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("t.db");
        let db = crate::store::Db::open(&path).unwrap();
        let writer = Writer::start(&path).unwrap();
        let h = writer.handle();
        // Make commits fail: the table is gone.
        db.sql(|c| c.execute_batch("ALTER TABLE samples_hot RENAME TO samples_away"))
            .unwrap();
        h.store(vec![Sample::good(7, 1000, 1.0)]);
        h.flush();
        let st = h.status();
        assert!(st.error.as_deref().unwrap().contains("samples"), "{st:?}");
        assert_eq!(st.pending, 1);
        assert_eq!(st.committed_samples, 0);
        // Repaired: the next commit stores what waited, and the error clears.
        db.sql(|c| c.execute_batch("ALTER TABLE samples_away RENAME TO samples_hot"))
            .unwrap();
        h.store(vec![Sample::good(7, 2000, 2.0)]);
        h.flush();
        let st = h.status();
        assert_eq!(st.error, None);
        assert_eq!(st.committed_samples, 2);
        let n = db
            .sql(|c| crate::store::hot::read(c, Some(7), 0, i64::MAX))
            .unwrap()
            .len();
        assert_eq!(n, 2);
        drop(h);
        writer.stop();
    }
}
