//! The blocks table: which blocks hold a tag's samples over a range, and rewriting the
//! samples of one tag and hour as one block of closed history with the hour's
//! rollups. Fresh samples are packed per ten-minute window (store::compact); an hour
//! once closed, a backfill, or a block of an older format becomes one hour block of
//! the current format. Blocks of one tag never overlap.
//!
//! Plans are made outside write transactions ([`Rewrite`]); applying one is a few
//! row writes, so the writer never waits long.

use rusqlite::Connection;

use super::codec;
use super::raw;
use super::rollup::{self, HOUR_MS, MINUTE_MS, Rollup, Table};
use crate::sample::{Sample, TagId};

/// One stored block.
#[derive(Debug, Clone)]
pub struct Block {
    pub id: i64,
    pub t0: i64,
    pub span: i64,
    pub n: i64,
    pub data: Vec<u8>,
}

/// The blocks of `tag` that may hold samples in `[from, to)`, oldest first.
pub fn overlapping(
    conn: &Connection,
    tag: TagId,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<Block>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, t0, span, n, data FROM blocks
         WHERE tag_id = ?1 AND t0 > ?2 AND t0 < ?3 AND last >= ?4 ORDER BY t0",
    )?;
    let rows = stmt.query_map((tag, from.saturating_sub(HOUR_MS), to, from), |r| {
        Ok(Block {
            id: r.get(0)?,
            t0: r.get(1)?,
            span: r.get(2)?,
            n: r.get(3)?,
            data: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// The samples of `blocks` within `[from, to)`; a damaged block is logged and skipped.
pub fn decode(tag: TagId, blocks: &[Block], from: i64, to: i64) -> Vec<Sample> {
    let mut out = Vec::new();
    for b in blocks {
        match codec::decode(tag, &b.data) {
            Ok(samples) => out.extend(samples.into_iter().filter(|s| s.ts >= from && s.ts < to)),
            Err(e) => tracing::error!("the block of tag {tag} at {} cannot be read: {e}", b.t0),
        }
    }
    out
}

/// The write that makes `samples` (sorted, one per time) the whole content of one
/// tag's hour: blocks it replaces, the new block, and the hour's rollups.
#[derive(Debug, Clone)]
pub struct Rewrite {
    pub tag: TagId,
    pub hour: i64,
    /// Blocks replaced, with their sample counts (to see whether they changed meanwhile).
    pub replaces: Vec<(i64, i64)>,
    pub n: usize,
    pub first: i64,
    pub last: i64,
    pub data: Vec<u8>,
    /// Minute rollups, empty where they do not pay (rollup::minutes_pay).
    pub minutes: Vec<Rollup>,
    pub hours: Vec<Rollup>,
}

impl Rewrite {
    /// Plans the hour `hour` of `tag` to hold exactly `samples`, replacing `replaces`.
    pub fn plan(tag: TagId, hour: i64, samples: &[Sample], replaces: &[Block]) -> Option<Rewrite> {
        let (first, last) = (samples.first()?.ts, samples.last()?.ts);
        let minutes = rollup::rollups(samples, MINUTE_MS);
        let hours = rollup::merge_into(&minutes, HOUR_MS);
        let pays = rollup::minutes_pay(samples.len(), &minutes);
        Some(Rewrite {
            tag,
            hour,
            replaces: replaces.iter().map(|b| (b.id, b.n)).collect(),
            n: samples.len(),
            first,
            last,
            data: codec::encode(samples),
            minutes: if pays { minutes } else { Vec::new() },
            hours,
        })
    }

    /// Whether the blocks it replaces are still as they were when it was planned.
    pub fn still_current(&self, conn: &Connection) -> rusqlite::Result<bool> {
        let now = overlapping(conn, self.tag, self.hour, self.hour + HOUR_MS)?;
        let now: Vec<(i64, i64)> = now.iter().map(|b| (b.id, b.n)).collect();
        Ok(now == self.replaces)
    }

    /// Writes it (inside the caller's transaction).
    pub fn apply(&self, conn: &Connection) -> rusqlite::Result<()> {
        let mut del = conn.prepare_cached("DELETE FROM blocks WHERE id = ?1")?;
        for (id, _) in &self.replaces {
            del.execute([id])?;
        }
        put(
            conn, self.tag, self.hour, HOUR_MS, self.n, self.first, self.last, &self.data,
        )?;
        let end = self.hour + HOUR_MS;
        rollup::store(conn, Table::Minute, self.tag, self.hour, end, &self.minutes)?;
        rollup::store(conn, Table::Hour, self.tag, self.hour, end, &self.hours)
    }
}

/// Stores one block (replacing one of the same tag and start).
#[allow(clippy::too_many_arguments)]
pub fn put(
    conn: &Connection,
    tag: TagId,
    t0: i64,
    span: i64,
    n: usize,
    first: i64,
    last: i64,
    data: &[u8],
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO blocks (tag_id, t0, span, n, first, last, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute((tag, t0, span, n as i64, first, last, data))?;
    Ok(())
}

/// Plans the hour of `tag` that starts at `hour` to hold what it holds now plus
/// `new` (which wins over a stored sample at the same time).
pub fn plan_merge(
    conn: &Connection,
    tag: TagId,
    hour: i64,
    new: Vec<Sample>,
) -> rusqlite::Result<Option<Rewrite>> {
    let old = overlapping(conn, tag, hour, hour + HOUR_MS)?;
    let mut all = decode(tag, &old, hour, hour + HOUR_MS);
    all.extend(new);
    raw::merge_sorted(&mut all);
    Ok(Rewrite::plan(tag, hour, &all, &old))
}
