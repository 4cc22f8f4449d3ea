//! Closing hours: the compactor's fresh ten-minute blocks, and every block an older
//! Plantlog wrote, whose hour has closed are merged with the other blocks of their tag
//! and hour into one hour block of the current format, and the hour's rollups are
//! written (minute rollups only where they pay). This is how a
//! database of an older release is converted: in the background, oldest hour first, a
//! few tag-hours per short transaction, so the writer's commits go on meanwhile.
//!
//! Until an hour is converted it reads as before: every reader goes through
//! store::raw, which reads blocks of any format and span.

use std::time::{Duration, Instant};

use rusqlite::Connection;
use serde::Serialize;

use std::collections::BTreeMap;

use super::blocks::{self, Block, Rewrite, Target};
use super::compact::GRACE_MS;
use super::raw::{self, BLOCK_MS};
use super::rollup::{self, HOUR_MS, MINUTE_MS, Rollup, Table};
use super::{codec, minutes};
use crate::sample::{Sample, TagId};

/// Tag-hours per transaction: each is a few row writes, so a transaction stays within
/// milliseconds.
const BATCH: usize = 4;
/// After each transaction the job rests twice as long as the transaction took (at least
/// this), so the writer, whose busy handler backs off 1, 2, 5, 10 ms..., finds the
/// database free when it retries (measured with 16 tag-hours and no rest: writer commit
/// p50 14 ms, p99 69 ms while 24 h of 1000 tags were converted on a loaded machine).
const REST: Duration = Duration::from_millis(5);
/// Transactions between the job's own checkpoints (and one when it stops): often enough
/// that the WAL never reaches SQLite's automatic checkpoint on the writer's commit, not
/// so often that pages shared by many tag-hours (indexes, hour rollups) are copied again
/// and again (a checkpoint after each transaction wrote 30 % more per sample at 200
/// tags).
const CHECKPOINT_EVERY: usize = 32;

/// What one run did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "CloseStats"))]
pub struct Stats {
    /// Tag-hours rewritten as one block.
    pub hours: usize,
    /// Blocks they replaced, and their bytes.
    pub blocks_in: usize,
    pub bytes_in: usize,
    /// Bytes of the hour blocks written.
    pub bytes_out: usize,
    pub samples: usize,
    /// Whether closed hours are still waiting (the budget ran out).
    pub more: bool,
}

impl Stats {
    pub fn add(&mut self, o: &Stats) {
        self.hours += o.hours;
        self.blocks_in += o.blocks_in;
        self.bytes_in += o.bytes_in;
        self.bytes_out += o.bytes_out;
        self.samples += o.samples;
        self.more = o.more;
    }
}

/// The start of the newest hour that is closed at `now`: every window before it is past
/// the compactor's grace.
fn closed_before(now: i64) -> i64 {
    let boundary = (now - GRACE_MS).div_euclid(BLOCK_MS) * BLOCK_MS;
    boundary.div_euclid(HOUR_MS) * HOUR_MS
}

/// The next tag-hours to close, oldest first: fresh blocks, and blocks shorter than an
/// hour (written by an older release).
fn next_hours(conn: &Connection, before: i64) -> rusqlite::Result<Vec<(TagId, i64)>> {
    let mut found: Vec<(i64, TagId)> = Vec::new();
    // `span < 3600000` as written in the partial index blocks_short, so it is used.
    for sql in [
        "SELECT t0, tag_id FROM blocks_fresh WHERE t0 < ?1 ORDER BY t0 LIMIT ?2",
        "SELECT t0, tag_id FROM blocks WHERE span < 3600000 AND t0 < ?1 ORDER BY t0 LIMIT ?2",
    ] {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map((before, (BATCH * 6) as i64), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, TagId>(1)?))
        })?;
        for row in rows {
            found.push(row?);
        }
    }
    found.sort();
    let mut out: Vec<(TagId, i64)> = Vec::new();
    for (t0, tag) in found {
        let hour = t0.div_euclid(HOUR_MS) * HOUR_MS;
        if !out.contains(&(tag, hour)) {
            out.push((tag, hour));
            if out.len() == BATCH {
                break;
            }
        }
    }
    Ok(out)
}

/// Copies the WAL into the database file here, on the compactor's thread: otherwise the
/// writer's next commit past the WAL's limit would (SQLite's automatic checkpoint runs
/// in whichever connection commits), and its commit would wait for the copying of what
/// the compactor wrote. A passive checkpoint never waits for the writer.
pub(crate) fn checkpoint(conn: &Connection) {
    if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(PASSIVE)") {
        tracing::warn!("checkpoint after closing hours failed: {e}");
    }
}

/// After one short transaction of the conversion: a checkpoint every
/// [`CHECKPOINT_EVERY`] of them, and when `budget` is spent since `started` a last one
/// and `true` (stop; the rest waits for the next round).
fn step_done(conn: &Connection, done: &mut usize, started: Instant, budget: Duration) -> bool {
    *done += 1;
    if done.is_multiple_of(CHECKPOINT_EVERY) {
        checkpoint(conn);
    }
    if started.elapsed() > budget {
        checkpoint(conn);
        return true;
    }
    false
}

/// Closes hours until none is left or `budget` is spent.
pub fn convert(conn: &mut Connection, now: i64, budget: Duration) -> rusqlite::Result<Stats> {
    let started = Instant::now();
    let before = closed_before(now);
    let mut stats = Stats::default();
    let mut rest: Option<Duration> = None;
    let mut done = 0usize;
    let mut minutes_after = 0i64;
    loop {
        let todo = next_hours(conn, before)?;
        if todo.is_empty() {
            // Then minute rollups of older versions, in the current one.
            if let Some(d) = rest.take() {
                std::thread::sleep(d);
            }
            let locked = Instant::now();
            if upgrade_minutes(conn, &mut minutes_after)? > 0 {
                if step_done(conn, &mut done, started, budget) {
                    stats.more = true;
                    return Ok(stats);
                }
                rest = Some((locked.elapsed() * 2).max(REST));
                continue;
            }
            if done > 0 {
                checkpoint(conn);
            }
            stats.more = false;
            return Ok(stats);
        }
        if let Some(d) = rest.take() {
            std::thread::sleep(d);
        }
        // Read, decode and encode outside the write transaction.
        let mut plans: Vec<(Rewrite, usize)> = Vec::new();
        for (tag, hour) in &todo {
            let old: Vec<Block> = blocks::overlapping(conn, *tag, *hour, hour + HOUR_MS)?
                .into_iter()
                .filter(|b| b.t0 >= *hour)
                .collect();
            let bytes_in = old.iter().map(|b| b.data.len()).sum();
            let all = blocks::decode(*tag, &old, *hour, hour + HOUR_MS);
            match Rewrite::plan(*tag, Target::Hour(*hour), &all, &old) {
                Some(rw) => plans.push((rw, bytes_in)),
                None => {
                    // Blocks with nothing readable in them: remove them.
                    let tx = crate::store::write_tx(conn)?;
                    for b in &old {
                        let table = if b.fresh { "blocks_fresh" } else { "blocks" };
                        tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [b.id])?;
                    }
                    tx.commit()?;
                }
            }
        }
        let locked = Instant::now();
        let tx = crate::store::write_tx(conn)?;
        let mut current = Vec::new();
        for (rw, bytes_in) in plans {
            if !rw.still_current(&tx)? {
                continue; // changed meanwhile: its turn comes again
            }
            stats.hours += 1;
            stats.blocks_in += rw.replaces.len();
            stats.bytes_in += bytes_in;
            stats.bytes_out += rw.data.len();
            stats.samples += rw.n;
            current.push(rw);
        }
        blocks::apply_all(&tx, &mut current)?;
        tx.commit()?;
        let held = locked.elapsed();
        if step_done(conn, &mut done, started, budget) {
            stats.more = true;
            return Ok(stats);
        }
        rest = Some((held * 2).max(REST));
    }
}

/// Minute rows rewritten per transaction: each is a decode and an encode (microseconds)
/// and a row write.
const MINUTES_BATCH: usize = 32;

/// Rewrites up to [`MINUTES_BATCH`] minute rows of an older version in the current one
/// (found through the partial index rollup_1m_outdated); returns how many it looked at.
/// A row that changed meanwhile is left for the next pass; one that cannot be read is
/// left as it is (its reader reports it).
fn upgrade_minutes(conn: &mut Connection, after: &mut i64) -> rusqlite::Result<usize> {
    let rows: Vec<(i64, i64, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT id, hour, data FROM rollup_1m WHERE substr(data, 1, 1) < x'03' AND id > ?1
             ORDER BY id LIMIT ?2",
        )?
        .query_map((*after, MINUTES_BATCH as i64), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<Result<_, _>>()?;
    let Some(last) = rows.last() else {
        return Ok(0);
    };
    *after = last.0;
    let mut new = Vec::with_capacity(rows.len());
    for (id, hour, data) in &rows {
        match minutes::decode(*hour, data) {
            Ok(m) => new.push((*id, minutes::encode(*hour, &m), data)),
            // Left as it is (its readers report it); the next pass looks again.
            Err(e) => tracing::warn!("the minute rollups row {id} cannot be read: {e}"),
        }
    }
    let tx = crate::store::write_tx(conn)?;
    for (id, data, old) in &new {
        tx.prepare_cached("UPDATE rollup_1m SET data = ?2 WHERE id = ?1 AND data = ?3")?
            .execute((id, data, old))?;
    }
    tx.commit()?;
    Ok(rows.len())
}

/// Writes `samples` as the first release stored them: ten-minute blocks of format 1
/// with format 1 minute rollups, and hour rollups. For tests and the conversion
/// benchmark: this is what an older database holds.
#[doc(hidden)]
pub fn write_first_release(conn: &mut Connection, samples: Vec<Sample>) -> rusqlite::Result<()> {
    let mut windows: BTreeMap<(TagId, i64), Vec<Sample>> = BTreeMap::new();
    for s in samples {
        windows
            .entry((s.tag_id, s.ts.div_euclid(BLOCK_MS) * BLOCK_MS))
            .or_default()
            .push(s);
    }
    let tx = conn.transaction()?;
    let mut hours: BTreeMap<(TagId, i64), Vec<Rollup>> = BTreeMap::new();
    for ((tag, t0), mut s) in windows {
        raw::merge_sorted(&mut s);
        let data = codec::v1::encode(&s);
        tx.execute(
            "INSERT OR REPLACE INTO blocks (tag_id, t0, n, first, last, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            (tag, t0, s.len() as i64, s[0].ts, s[s.len() - 1].ts, &data),
        )?;
        hours
            .entry((tag, t0.div_euclid(HOUR_MS) * HOUR_MS))
            .or_default()
            .extend(rollup::rollups(&s, MINUTE_MS));
    }
    for ((tag, hour), minutes) in hours {
        tx.execute(
            "INSERT OR REPLACE INTO rollup_1m (tag_id, hour, data) VALUES (?1, ?2, ?3)",
            (tag, hour, minutes::encode_v1(hour, &minutes)),
        )?;
        let h = rollup::merge_into(&minutes, HOUR_MS);
        rollup::store(&tx, Table::Hour, tag, hour, hour + HOUR_MS, &h)?;
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;
    use crate::store::compact;

    #[test]
    fn closed_hours_become_one_block_and_read_the_same() {
        let mut conn = crate::store::memory();
        let base = 1_800_000_000_000 - 1_800_000_000_000 % HOUR_MS;
        let mut samples: Vec<Sample> = (0..5400)
            .map(|i| Sample::good(1, base + i * 1000, (i % 100) as f64 * 0.1))
            .collect();
        samples[7] = Sample::bad(1, base + 7000, Quality::NoAnswer);
        samples.extend((0..40).map(|i| Sample::good(2, base + i * 90_000, i as f64)));
        samples.sort_by_key(|s| s.ts);
        raw::insert(&conn, &samples).unwrap();
        let now = base + 2 * HOUR_MS;
        let before: Vec<Vec<Sample>> = (1..=2)
            .map(|t| raw::read(&conn, t, base, now).unwrap())
            .collect();
        // The compactor's pass: windows into fresh blocks, then the closed hour.
        let stats = compact::compact(&mut conn, now, Duration::from_secs(60))
            .unwrap()
            .closed;
        // The first hour of both tags closed; the second is still open.
        assert_eq!(stats.hours, 2);
        assert!(!stats.more);
        let spans: Vec<(TagId, i64, i64)> = conn
            .prepare("SELECT tag_id, t0, span FROM blocks ORDER BY tag_id, t0")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(spans, vec![(1, base, HOUR_MS), (2, base, HOUR_MS)]);
        let fresh: i64 = conn
            .query_row("SELECT count(*) FROM blocks_fresh", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fresh, 3);
        for t in 1..=2 {
            assert_eq!(
                raw::read(&conn, t, base, now).unwrap(),
                before[t as usize - 1]
            );
        }
        // Minute rollups stay for the dense tag, not for the sparse one; hours for both.
        let m1 = rollup::load(&conn, Table::Minute, 1, base, base + HOUR_MS).unwrap();
        assert_eq!(m1, rollup::rollups(&before[0], MINUTE_MS)[..60].to_vec());
        assert!(
            rollup::load(&conn, Table::Minute, 2, base, base + HOUR_MS)
                .unwrap()
                .is_empty()
        );
        let h2 = rollup::load(&conn, Table::Hour, 2, base, base + HOUR_MS).unwrap();
        assert_eq!(h2[0].good, 40);
        // A late sample into a closed hour lands in its hour block.
        raw::insert(&conn, &[Sample::good(2, base + 1, 0.5)]).unwrap();
        compact::compact(&mut conn, now, Duration::from_secs(60)).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM blocks WHERE tag_id = 2", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(raw::read(&conn, 2, base, base + 2).unwrap().len(), 2);
    }

    #[test]
    fn minute_rows_of_older_versions_are_rewritten_and_read_the_same() {
        let mut conn = crate::store::memory();
        let base = 1_800_000_000_000 - 1_800_000_000_000 % HOUR_MS;
        // Three hours of a counter and a steady state, closed, as the first release and
        // the previous one wrote their minutes.
        let mut samples = Vec::new();
        for i in 0..3 * 3600 {
            samples.push(Sample::good(1, base + i * 1000, (1000 + i / 7) as f64));
            samples.push(Sample::good(2, base + i * 1000, ((i / 1000) % 2) as f64));
        }
        write_first_release(&mut conn, samples).unwrap();
        let v2_hour = base + HOUR_MS;
        for tag in 1..=2 {
            let m = rollup::load(&conn, Table::Minute, tag, v2_hour, v2_hour + HOUR_MS).unwrap();
            conn.execute(
                "UPDATE rollup_1m SET data = ?3 WHERE tag_id = ?1 AND hour = ?2",
                (tag, v2_hour, minutes::encode_v2(v2_hour, &m)),
            )
            .unwrap();
        }
        let before: Vec<Vec<Rollup>> = (1..=2)
            .map(|t| rollup::load(&conn, Table::Minute, t, base, base + 3 * HOUR_MS).unwrap())
            .collect();
        let versions = |conn: &Connection| -> Vec<(u8, i64, i64)> {
            conn.prepare(
                "SELECT unicode(CAST(substr(data, 1, 1) AS TEXT)), count(*), sum(length(data))
                 FROM rollup_1m GROUP BY 1 ORDER BY 1",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)? as u8, r.get(1)?, r.get(2)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        };
        let old = versions(&conn);
        assert_eq!(
            old.iter().map(|v| (v.0, v.1)).collect::<Vec<_>>(),
            [(1, 4), (2, 2)]
        );
        // The partial index is what finds them.
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT id FROM rollup_1m WHERE substr(data, 1, 1) < x'03' AND id > 0",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("rollup_1m_outdated"), "{plan}");
        let stats = convert(&mut conn, base + 10 * HOUR_MS, Duration::from_secs(60)).unwrap();
        assert!(!stats.more);
        let new = versions(&conn);
        assert_eq!(new.iter().map(|v| (v.0, v.1)).collect::<Vec<_>>(), [(3, 6)]);
        assert!(
            new[0].2 * 2 < old.iter().map(|v| v.2).sum::<i64>(),
            "{new:?} {old:?}"
        );
        for t in 1..=2 {
            let after = rollup::load(&conn, Table::Minute, t, base, base + 3 * HOUR_MS).unwrap();
            assert_eq!(after, before[t as usize - 1]);
            for (a, b) in after.iter().zip(&before[t as usize - 1]) {
                assert_eq!(a.sum.to_bits(), b.sum.to_bits());
                assert_eq!(a.twa_sum.to_bits(), b.twa_sum.to_bits());
            }
        }
    }
}
