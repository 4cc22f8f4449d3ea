//! The block tables: which blocks hold a tag's samples over a range, and rewriting a
//! tag's samples of one window or hour. Fresh samples are packed per ten-minute window
//! into `blocks_fresh` (keyed by time, so a window's blocks are written side by side);
//! an hour once closed, a backfill, or a block of an older format becomes one hour
//! block of the current format in `blocks` (keyed by tag, for reading long ranges),
//! with the hour's rollups. The blocks of one tag never overlap in time.
//!
//! Plans are made outside write transactions ([`Rewrite`]); applying one is a few
//! row writes, so the writer never waits long.

use rusqlite::{Connection, OptionalExtension};

use super::codec;
use super::raw::{self, BLOCK_MS};
use super::rollup::{self, HOUR_MS, MINUTE_MS, Rollup, Table};
use crate::sample::{Sample, TagId};

/// One stored block.
#[derive(Debug, Clone)]
pub struct Block {
    /// In `blocks_fresh` (a ten-minute window of an open hour), not `blocks`.
    pub fresh: bool,
    pub id: i64,
    pub t0: i64,
    pub span: i64,
    pub n: i64,
    pub data: Vec<u8>,
}

/// The start of the oldest fresh block, if any.
pub fn fresh_from(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT min(t0) FROM blocks_fresh")?
        .query_row([], |r| r.get(0))
}

/// The blocks of `tag` that may hold samples in `[from, to)`, oldest first.
pub fn overlapping(
    conn: &Connection,
    tag: TagId,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<Block>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, t0, span, n, data FROM blocks
         WHERE tag_id = ?1 AND t0 > ?2 AND t0 < ?3 AND last >= ?4 ORDER BY t0",
    )?;
    let rows = stmt.query_map((tag, from.saturating_sub(HOUR_MS), to, from), |r| {
        Ok(Block {
            fresh: false,
            id: r.get(0)?,
            t0: r.get(1)?,
            span: r.get(2)?,
            n: r.get(3)?,
            data: r.get(4)?,
        })
    })?;
    for b in rows {
        out.push(b?);
    }
    if let Some(fresh) = fresh_from(conn)?.filter(|f| *f < to) {
        let first = from.div_euclid(BLOCK_MS) * BLOCK_MS;
        let first = first.max(fresh);
        let fresh_row = |r: &rusqlite::Row<'_>| {
            Ok(Block {
                fresh: true,
                id: r.get(0)?,
                t0: r.get(1)?,
                span: BLOCK_MS,
                n: r.get(2)?,
                data: r.get(3)?,
            })
        };
        if (to - first) / BLOCK_MS <= 64 {
            // A few windows: one lookup each.
            let mut one = conn.prepare_cached(
                "SELECT id, t0, n, data FROM blocks_fresh WHERE t0 = ?1 AND tag_id = ?2 AND last >= ?3",
            )?;
            let mut w = first;
            while w < to {
                out.extend(one.query_row((w, tag, from), fresh_row).optional()?);
                w += BLOCK_MS;
            }
        } else {
            let mut many = conn.prepare_cached(
                "SELECT id, t0, n, data FROM blocks_fresh
                 WHERE t0 >= ?1 AND t0 < ?2 AND tag_id = ?3 AND last >= ?4 ORDER BY t0",
            )?;
            for b in many.query_map((first, to, tag, from), fresh_row)? {
                out.push(b?);
            }
        }
        out.sort_by_key(|b| b.t0);
    }
    Ok(out)
}

/// The samples of `blocks` within `[from, to)`, in time order; a damaged block is
/// logged and skipped.
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

/// Where a rewrite puts its samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// One fresh block of a ten-minute window (its hour still open); no rollups yet.
    Window(i64),
    /// The hour block, with the hour's rollups.
    Hour(i64),
}

/// The write that makes `samples` (sorted, one per time) the whole content of one
/// tag's window or hour: the blocks it replaces, the new block, and the hour's rollups.
#[derive(Debug, Clone)]
pub struct Rewrite {
    pub tag: TagId,
    pub target: Target,
    /// Blocks replaced: (fresh, id, samples), to see whether they changed meanwhile.
    pub replaces: Vec<(bool, i64, i64)>,
    pub n: usize,
    pub first: i64,
    pub last: i64,
    pub data: Vec<u8>,
    /// Minute rollups, empty where they do not pay (rollup::minutes_pay).
    pub minutes: Vec<Rollup>,
    pub hours: Vec<Rollup>,
}

impl Rewrite {
    /// Plans `target` of `tag` to hold exactly `samples`, replacing `replaces` (every
    /// block of the target's range).
    pub fn plan(
        tag: TagId,
        target: Target,
        samples: &[Sample],
        replaces: &[Block],
    ) -> Option<Rewrite> {
        let (first, last) = (samples.first()?.ts, samples.last()?.ts);
        let (minutes, hours) = match target {
            Target::Window(_) => (Vec::new(), Vec::new()),
            Target::Hour(_) => {
                let minutes = rollup::rollups(samples, MINUTE_MS);
                let hours = rollup::merge_into(&minutes, HOUR_MS);
                let pays = rollup::minutes_pay(samples.len(), &minutes);
                (if pays { minutes } else { Vec::new() }, hours)
            }
        };
        Some(Rewrite {
            tag,
            target,
            replaces: replaces.iter().map(|b| (b.fresh, b.id, b.n)).collect(),
            n: samples.len(),
            first,
            last,
            data: codec::encode(samples),
            minutes,
            hours,
        })
    }

    fn range(&self) -> (i64, i64) {
        match self.target {
            Target::Window(t) => (t, t + BLOCK_MS),
            Target::Hour(t) => (t, t + HOUR_MS),
        }
    }

    /// Whether the blocks it replaces are still as they were when it was planned.
    pub fn still_current(&self, conn: &Connection) -> rusqlite::Result<bool> {
        let (from, to) = self.range();
        let now: Vec<(bool, i64, i64)> = overlapping(conn, self.tag, from, to)?
            .iter()
            .filter(|b| b.t0 >= from)
            .map(|b| (b.fresh, b.id, b.n))
            .collect();
        Ok(now == self.replaces)
    }

    /// Writes it (inside the caller's transaction).
    pub fn apply(&self, conn: &Connection) -> rusqlite::Result<()> {
        let mut del = conn.prepare_cached("DELETE FROM blocks WHERE id = ?1")?;
        let mut del_fresh = conn.prepare_cached("DELETE FROM blocks_fresh WHERE id = ?1")?;
        for (fresh, id, _) in &self.replaces {
            if *fresh {
                del_fresh.execute([id])?;
            } else {
                del.execute([id])?;
            }
        }
        let (from, to) = self.range();
        let (n, first, last) = (self.n as i64, self.first, self.last);
        match self.target {
            Target::Window(t0) => {
                conn.prepare_cached(
                    "INSERT INTO blocks_fresh (t0, tag_id, n, first, last, data)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute((t0, self.tag, n, first, last, &self.data))?;
            }
            Target::Hour(t0) => {
                conn.prepare_cached(
                    "INSERT INTO blocks (tag_id, t0, span, n, first, last, data)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute((self.tag, t0, HOUR_MS, n, first, last, &self.data))?;
                rollup::store(conn, Table::Minute, self.tag, from, to, &self.minutes)?;
                rollup::store(conn, Table::Hour, self.tag, from, to, &self.hours)?;
            }
        }
        Ok(())
    }
}

/// Applies `plans` (inside the caller's transaction) in the order that fills the
/// blocks table's pages: rows are appended to the table's last page, and a row that no
/// longer fits there starts a new one, leaving the rest of the last one empty for
/// good. So each next row is the largest that still fits the page being filled, and a
/// new page starts with the largest left (measured: 14 % of the blocks table's pages
/// unused in tag order, 10 % largest first, see docs/ARCHITECTURE.md for this order).
pub fn apply_all(conn: &Connection, plans: &mut Vec<Rewrite>) -> rusqlite::Result<()> {
    let order = page_order(&plans.iter().map(|p| p.data.len()).collect::<Vec<_>>());
    let mut slots: Vec<Option<Rewrite>> = plans.drain(..).map(Some).collect();
    plans.extend(order.into_iter().filter_map(|i| slots[i].take()));
    for p in plans.iter() {
        p.apply(conn)?;
    }
    Ok(())
}

/// Bytes a page of a table holds for its rows (4096 less the page's header).
const PAGE_ROOM: usize = 4096 - 8;

/// The bytes a row of `blocks` with `data_len` bytes of data takes on its table page:
/// the record (about 35 bytes besides the data) and the cell's header and pointer; a
/// row past SQLite's largest local payload keeps only a part on the page (the rest on
/// full overflow pages), by SQLite's rule for table leaves with 4096-byte pages.
fn page_bytes(data_len: usize) -> usize {
    const MAX_LOCAL: usize = 4061;
    const MIN_LOCAL: usize = 489;
    const OVERFLOW_ROOM: usize = 4092;
    let payload = data_len + 35;
    let local = if payload <= MAX_LOCAL {
        payload
    } else {
        let m = MIN_LOCAL + (payload - MIN_LOCAL) % OVERFLOW_ROOM;
        if m <= MAX_LOCAL { m + 4 } else { MIN_LOCAL + 4 }
    };
    local + 7
}

/// The order to append rows of these data lengths in: the largest that fits the room
/// left on the page being filled, else (a new page) the largest left.
fn page_order(lens: &[usize]) -> Vec<usize> {
    let mut left: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, len) in lens.iter().enumerate().rev() {
        left.entry(page_bytes(*len)).or_default().push(i);
    }
    let mut order = Vec::with_capacity(lens.len());
    let mut room = PAGE_ROOM;
    while let Some((&size, _)) = left.last_key_value() {
        let size = match left.range(..=room).next_back() {
            Some((&fits, _)) => fits,
            None => {
                room = PAGE_ROOM;
                size
            }
        };
        let Some(ids) = left.get_mut(&size) else {
            break;
        };
        order.extend(ids.pop());
        if ids.is_empty() {
            left.remove(&size);
        }
        room = room.saturating_sub(size);
    }
    order
}

/// Plans the window or hour `target` of `tag` to hold what it holds now plus `new`
/// (which wins over a stored sample at the same time).
pub fn plan_merge(
    conn: &Connection,
    tag: TagId,
    target: Target,
    mut new: Vec<Sample>,
) -> rusqlite::Result<Option<Rewrite>> {
    let (from, to) = match target {
        Target::Window(t) => (t, t + BLOCK_MS),
        Target::Hour(t) => (t, t + HOUR_MS),
    };
    let old: Vec<Block> = overlapping(conn, tag, from, to)?
        .into_iter()
        .filter(|b| b.t0 >= from)
        .collect();
    let mut all = decode(tag, &old, from, to);
    all.append(&mut new);
    raw::merge_sorted(&mut all);
    Ok(Rewrite::plan(tag, target, &all, &old))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(order: &[usize], lens: &[usize]) -> usize {
        let (mut pages, mut room) = (0, 0);
        for &i in order {
            let b = page_bytes(lens[i]);
            if b > room {
                pages += 1;
                room = PAGE_ROOM;
            }
            room -= b.min(room);
        }
        pages
    }

    #[test]
    fn rows_are_ordered_to_fill_pages() {
        // An hour of the benchmark's mix: float32, analog, counter and state blocks.
        let mut lens = Vec::new();
        for t in 0..400usize {
            lens.push([1479, 473, 53, 8123][t % 4] + t % 7);
        }
        let order = page_order(&lens);
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            (0..lens.len()).collect::<Vec<_>>(),
            "every row once"
        );
        let mut largest_first: Vec<usize> = (0..lens.len()).collect();
        largest_first.sort_by_key(|i| std::cmp::Reverse(lens[*i]));
        let (ours, before) = (pages(&order, &lens), pages(&largest_first, &lens));
        // The float32 rows keep 489 bytes on the page (the rest overflows), analog
        // rows take 1521 bytes, counters 515, states 95: 263 KB in all, 65 pages
        // filled to within 2 %; appended largest first, an analog row left 1 KB free
        // on every other page.
        assert!(ours <= 65, "{ours} pages (largest first: {before})");
        assert!(
            ours + 10 <= before,
            "{ours} pages (largest first: {before})"
        );
        assert_eq!(page_order(&[]), Vec::<usize>::new());
        assert_eq!(page_order(&[5000, 10]), vec![0, 1]);
    }
}
