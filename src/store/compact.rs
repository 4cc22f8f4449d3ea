//! The compactor: moves closed ten-minute windows of hot rows into fresh compressed
//! blocks, one per tag, on its own thread and connection; then closes hours
//! (store::convert: hour blocks and rollups). Samples that arrive late into a window
//! already compacted land in the hot rows again and are merged into the window's fresh
//! block, or its hour's block (and the hour's rollups recomputed), the next time round.
//!
//! The slow part (reading and encoding) runs outside any write transaction; the write
//! transaction only stores the results and removes the rows, and checks first that no
//! row arrived meanwhile (if one did, the window is done again). So the writer waits at
//! most for that short transaction.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use serde::Serialize;

use super::blocks::{self, Rewrite, Target};
use super::gate::Gate;
use super::hot;
use super::raw::BLOCK_MS;
use super::rollup::HOUR_MS;
use super::{Durability, StoreError, convert};
use crate::sample::{Sample, TagId, now_ms};

/// Hot rows stay at least this long after their window closes, for stragglers.
pub const GRACE_MS: i64 = 120_000;
/// How often the compactor looks for work.
const PERIOD: Duration = Duration::from_secs(20);
/// Time per pass for closing hours, and the pause between passes while more wait.
const CONVERT_BUDGET: Duration = Duration::from_secs(5);
const CONVERT_PAUSE: Duration = Duration::from_secs(1);

/// What one run did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Stats {
    pub windows: usize,
    pub blocks: usize,
    pub samples: usize,
    pub bytes: usize,
    /// Hours closed after the windows (store::convert).
    pub closed: convert::Stats,
}

/// Compacts every window that closed more than [`GRACE_MS`] before `now`, oldest
/// first, then closes the hours that closed, until done or `budget` is spent (closing
/// hours gets at least [`CONVERT_BUDGET`], or all of `budget` if less).
pub fn compact(conn: &mut Connection, now: i64, budget: Duration) -> rusqlite::Result<Stats> {
    let started = Instant::now();
    let mut stats = compact_windows(conn, now, budget)?;
    if stats.windows > 0 {
        convert::checkpoint(conn);
    }
    let left = budget.saturating_sub(started.elapsed());
    stats.closed = convert::convert(conn, now, left.max(CONVERT_BUDGET.min(budget)))?;
    Ok(stats)
}

fn compact_windows(conn: &mut Connection, now: i64, budget: Duration) -> rusqlite::Result<Stats> {
    let started = Instant::now();
    let boundary = (now - GRACE_MS).div_euclid(BLOCK_MS) * BLOCK_MS;
    let mut stats = Stats::default();
    loop {
        let oldest: Option<i64> = hot::oldest(conn)?;
        let Some(oldest) = oldest.filter(|t| *t < boundary) else {
            break;
        };
        let window = oldest.div_euclid(BLOCK_MS) * BLOCK_MS;
        let s = compact_window(conn, window)?;
        stats.windows += 1;
        stats.blocks += s.blocks;
        stats.samples += s.samples;
        stats.bytes += s.bytes;
        if started.elapsed() > budget {
            break;
        }
    }
    Ok(stats)
}

/// One window's work, prepared outside the write transaction.
struct Prepared {
    hot_rows: usize,
    /// Per tag: its fresh block of the window, or (its hour closed already) its hour
    /// block, with the window's hot rows merged in.
    rewrites: Vec<Rewrite>,
}

fn prepare(conn: &Connection, window: i64) -> rusqlite::Result<Prepared> {
    let end = window + BLOCK_MS;
    let hour = window.div_euclid(HOUR_MS) * HOUR_MS;
    let mut by_tag: BTreeMap<TagId, Vec<Sample>> = BTreeMap::new();
    let samples = hot::read(conn, None, window, end)?;
    let hot_rows = samples.len();
    for s in samples {
        by_tag.entry(s.tag_id).or_default().push(s);
    }
    let mut rewrites = Vec::new();
    for (tag, hot) in by_tag {
        let closed = blocks::overlapping(conn, tag, hour, hour + HOUR_MS)?
            .iter()
            .any(|b| !b.fresh && b.span >= HOUR_MS);
        let target = if closed {
            Target::Hour(hour)
        } else {
            Target::Window(window)
        };
        rewrites.extend(blocks::plan_merge(conn, tag, target, hot)?);
    }
    Ok(Prepared { hot_rows, rewrites })
}

struct WindowStats {
    blocks: usize,
    samples: usize,
    bytes: usize,
}

fn compact_window(conn: &mut Connection, window: i64) -> rusqlite::Result<WindowStats> {
    let end = window + BLOCK_MS;
    loop {
        let p = prepare(conn, window)?;
        let tx = crate::store::write_tx(conn)?;
        let now_rows = hot::read(&tx, None, window, end)?.len();
        let mut current = now_rows == p.hot_rows;
        for rw in &p.rewrites {
            current = current && rw.still_current(&tx)?;
        }
        if !current {
            // Rows or blocks changed while the window was prepared: do it again.
            drop(tx);
            continue;
        }
        let mut stats = WindowStats {
            blocks: 0,
            samples: 0,
            bytes: 0,
        };
        let mut rewrites = p.rewrites;
        for rw in &rewrites {
            stats.blocks += 1;
            stats.samples += rw.n;
            stats.bytes += rw.data.len();
        }
        blocks::apply_all(&tx, &mut rewrites)?;
        remove_hot(&tx, window, end, p.hot_rows)?;
        tx.commit()?;
        return Ok(stats);
    }
}

/// Removes the hot samples of the window `[window, end)`, `inside` of them. Deleting
/// rows rewrites every page they were on (SQLite edits a leaf before it frees it: into
/// the WAL, and again at the checkpoint). So when the samples outside the window are
/// fewer than the window's (in operation: the two minutes of grace against ten), the
/// table is replaced instead: the rows outside the window are copied into a new table of
/// the same definition (a row straddling the window's edge without the window's
/// samples) and the old one dropped, whose pages go to the free list unwritten. Both in
/// the compactor's transaction, so no reader ever sees the table without its rows.
fn remove_hot(
    tx: &rusqlite::Transaction<'_>,
    window: i64,
    end: i64,
    inside: usize,
) -> rusqlite::Result<()> {
    let outside = (hot::count(tx)? as usize).saturating_sub(inside);
    if outside < inside
        && let Some(definition) = hot_table_definition(tx)?
    {
        tx.execute_batch(&format!(
            "{definition};
             INSERT INTO samples_hot_next (id, first, last, n, data)
                 SELECT id, first, last, n, data FROM samples_hot
                  WHERE NOT (last >= {window} AND first < {end}) ORDER BY id;"
        ))?;
        let edge: Vec<(i64, i64, Vec<u8>)> = tx
            .prepare(
                "SELECT id, first, data FROM samples_hot WHERE last >= ?1 AND first < ?2 ORDER BY id",
            )?
            .query_map((window, end), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut put = tx.prepare(
            "INSERT INTO samples_hot_next (id, first, last, n, data) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (id, first, data) in edge {
            let kept: Vec<Sample> = hot::decode(&data, first)
                .map_err(hot::damaged)?
                .into_iter()
                .filter(|s| s.ts < window || s.ts >= end)
                .collect();
            if let (Some(a), Some(b)) = (kept.first(), kept.last()) {
                put.execute((id, a.ts, b.ts, kept.len() as i64, hot::encode(&kept)))?;
            }
        }
        drop(put);
        tx.execute_batch(
            "DROP TABLE samples_hot;
             ALTER TABLE samples_hot_next RENAME TO samples_hot;",
        )?;
        return Ok(());
    }
    hot::remove_where(tx, window, end, |_| true)?;
    Ok(())
}

/// `CREATE TABLE samples_hot_next` with the hot table's own definition, when the table
/// can be replaced: nothing else (an index, a trigger, a view) is defined on it.
fn hot_table_definition(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<Option<String>> {
    let sql: Option<String> = tx
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'samples_hot'",
            [],
            |r| r.get(0),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    let others: i64 = tx.query_row(
        "SELECT count(*) FROM sqlite_master
          WHERE name <> 'samples_hot' AND sql IS NOT NULL
            AND (tbl_name = 'samples_hot' OR sql LIKE '%samples_hot%')",
        [],
        |r| r.get(0),
    )?;
    Ok(sql.filter(|_| others == 0).and_then(|sql| {
        sql.find('(')
            .map(|at| format!("CREATE TABLE samples_hot_next {}", &sql[at..]))
    }))
}

/// What the compactor is doing, for the status page.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CompactorStatus {
    pub last_run_ms: Option<i64>,
    pub last: Stats,
    /// Since start; `total.closed` counts the hours closed into hour blocks (blocks of
    /// an older release among them), `last.closed.more` whether more are waiting.
    pub total: Stats,
    pub error: Option<String>,
}

/// The compactor's thread; dropping it stops it.
pub struct Compactor {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    status: Arc<Mutex<CompactorStatus>>,
}

impl Compactor {
    pub fn start(path: &Path) -> Result<Compactor, StoreError> {
        Compactor::start_gated(path, Gate::default())
    }

    /// The same, each run inside `gate` on a connection of its own, closed between runs
    /// (so a restore can swap the file between two runs: docs/ARCHITECTURE.md).
    pub fn start_gated(path: &Path, gate: Gate) -> Result<Compactor, StoreError> {
        drop(super::open(path, Durability::Normal)?);
        let path = path.to_path_buf();
        let (stop, rx) = mpsc::channel::<()>();
        let status = Arc::new(Mutex::new(CompactorStatus::default()));
        let st = status.clone();
        let thread = std::thread::Builder::new()
            .name("plantlog-compactor".into())
            .spawn(move || {
                loop {
                    let result = {
                        let _inside = gate.enter();
                        super::open(&path, Durability::Normal)
                            .map_err(|e| e.to_string())
                            .and_then(|mut conn| {
                                compact(&mut conn, now_ms(), Duration::from_secs(10))
                                    .map_err(|e| e.to_string())
                            })
                    };
                    let mut more = false;
                    {
                        let mut s = st.lock().unwrap_or_else(|e| e.into_inner());
                        s.last_run_ms = Some(now_ms());
                        match result {
                            Ok(stats) => {
                                s.total.windows += stats.windows;
                                s.total.blocks += stats.blocks;
                                s.total.samples += stats.samples;
                                s.total.bytes += stats.bytes;
                                s.total.closed.add(&stats.closed);
                                more = stats.closed.more;
                                s.last = stats;
                                s.error = None;
                            }
                            Err(e) => {
                                tracing::error!("compaction failed: {e}");
                                s.error = Some(e.to_string());
                            }
                        }
                    }
                    // Hours still to close (an older database being converted): on soon.
                    let pause = if more { CONVERT_PAUSE } else { PERIOD };
                    match rx.recv_timeout(pause) {
                        Err(RecvTimeoutError::Timeout) => {}
                        _ => return,
                    }
                }
            })
            .map_err(|_| StoreError::TaskGone)?;
        Ok(Compactor {
            stop: Some(stop),
            thread: Some(thread),
            status,
        })
    }

    pub fn status(&self) -> CompactorStatus {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A handle on the status, to watch it from elsewhere.
    pub fn status_handle(&self) -> Arc<Mutex<CompactorStatus>> {
        self.status.clone()
    }
}

impl Drop for Compactor {
    fn drop(&mut self) {
        self.stop.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;
    use crate::store::raw;
    use crate::store::rollup::{self, MINUTE_MS, Table};

    #[test]
    fn windows_become_blocks_and_late_samples_are_merged() {
        let mut conn = crate::store::memory();
        let base = 1_800_000_000_000 - 1_800_000_000_000 % HOUR_MS;
        let mut samples: Vec<Sample> = (0..1200)
            .map(|i| Sample::good(1, base + i * 1000, i as f64))
            .collect();
        samples.push(Sample::bad(2, base + 5000, Quality::NoAnswer));
        raw::insert(&conn, &samples).unwrap();
        let now = base + 20 * 60_000 + GRACE_MS + 1;
        let stats = compact(&mut conn, now, Duration::from_secs(10)).unwrap();
        assert_eq!(stats.windows, 2);
        assert_eq!(stats.samples, 1201);
        assert_eq!(hot::count(&conn).unwrap(), 0);
        assert_eq!(
            raw::read(&conn, 1, base, base + HOUR_MS).unwrap(),
            samples[..1200]
        );

        // A late sample into the first window, and a replacement of an existing one.
        let late = [
            Sample::good(1, base + 500, -1.0),
            Sample::bad(1, base + 1000, Quality::Exception(4)),
        ];
        raw::insert(&conn, &late).unwrap();
        compact(&mut conn, now, Duration::from_secs(10)).unwrap();
        let back = raw::read(&conn, 1, base, base + 2000).unwrap();
        assert_eq!(
            back,
            vec![samples[0].clone(), late[0].clone(), late[1].clone()]
        );
        // Two fresh blocks, no rollups while the hour is open; closed, one hour block.
        let fresh: i64 = conn
            .query_row("SELECT count(*) FROM blocks_fresh", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fresh, 3);
        assert!(
            rollup::load(&conn, Table::Hour, 1, base, base + HOUR_MS)
                .unwrap()
                .is_empty()
        );
        let later = base + HOUR_MS + GRACE_MS + BLOCK_MS;
        convert::convert(&mut conn, later, Duration::from_secs(10)).unwrap();
        let (fresh, closed): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM blocks_fresh), (SELECT count(*) FROM blocks)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((fresh, closed), (0, 2));
        assert_eq!(
            raw::read(&conn, 1, base, base + 2000).unwrap(),
            vec![samples[0].clone(), late[0].clone(), late[1].clone()]
        );
        let minute = rollup::load(&conn, Table::Minute, 1, base, base + MINUTE_MS).unwrap();
        assert_eq!((minute[0].good, minute[0].bad), (60, 1));
        assert_eq!(minute[0].min, Some((base + 500, -1.0)));
        let hour = rollup::load(&conn, Table::Hour, 1, base, base + HOUR_MS).unwrap();
        assert_eq!((hour[0].good, hour[0].bad), (1200, 1));
    }

    /// In operation a window is compacted two minutes into the next one: the hot table
    /// is then replaced, not deleted from, and the WAL gets the blocks and the copied
    /// two minutes, not every page the window's rows were on.
    #[test]
    fn a_window_leaves_by_replacing_the_hot_table_without_rewriting_its_pages() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut conn = crate::store::open(&path, Durability::Normal).unwrap();
        crate::store::migrate(&mut conn, &path).unwrap();
        let secure: i64 = conn
            .query_row("PRAGMA secure_delete", [], |r| r.get(0))
            .unwrap();
        assert_eq!(secure, 0, "dropped pages would be overwritten with zeros");
        let base = 1_800_000_000_000 - 1_800_000_000_000 % HOUR_MS;
        let tags = 60;
        let secs = 600 + 130;
        let mut all = Vec::new();
        for s in 0..secs {
            all.extend(
                (1..=tags).map(|t| Sample::good(t, base + s * 1000, (s % 97) as f64 / 10.0)),
            );
        }
        raw::insert(&conn, &all).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        let pages_before: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        let now = base + BLOCK_MS + GRACE_MS + 5_000;
        let stats = compact_windows(&mut conn, now, Duration::from_secs(10)).unwrap();
        assert_eq!((stats.windows, stats.samples), (1, 600 * tags as usize));
        let wal = std::fs::metadata(dir.path().join("t.db-wal"))
            .unwrap()
            .len();
        // The window's rows filled most of the file; deleting them would write each of
        // their pages, and the blocks besides.
        let hot_bytes = pages_before as u64 * 4096 * 600 / secs as u64;
        assert!(
            wal < hot_bytes,
            "{wal} bytes written to the WAL for {hot_bytes} bytes of hot pages"
        );
        assert_eq!(hot::count(&conn).unwrap(), 130 * tags);
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'samples_hot'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(sql.contains("id      INTEGER PRIMARY KEY") && sql.contains("data    BLOB"));
        // Every sample reads back, from the blocks and the new table; late rows still
        // go in and a second sample at one time is still ignored.
        for t in [1, tags] {
            let back = raw::read(&conn, t, base, base + secs * 1000).unwrap();
            let want: Vec<Sample> = all.iter().filter(|s| s.tag_id == t).cloned().collect();
            assert_eq!(back, want);
        }
        raw::insert(&conn, &[Sample::good(1, base + 700_000, 99.0)]).unwrap();
        assert_eq!(
            raw::read(&conn, 1, base + 700_000, base + 700_001).unwrap()[0].value(),
            Some((700 % 97) as f64 / 10.0)
        );
        // With more rows after the window than in it (a backlog), rows are deleted.
        let next = base + 2 * BLOCK_MS;
        let later: Vec<Sample> = (0..10_000)
            .map(|i| Sample::good(1, next + i * 1000, 1.0))
            .collect();
        raw::insert(&conn, &later).unwrap();
        compact_windows(&mut conn, next + GRACE_MS, Duration::from_secs(10)).unwrap();
        assert_eq!(
            raw::read(&conn, 1, base, next + 10_000_000).unwrap().len(),
            secs as usize + 10_000
        );
    }
}
