//! Raw samples, wherever they are: new ones as rows of `samples_hot`, older ones in
//! compressed blocks. Every reader of raw samples goes through here, so none has to
//! know where the compactor has got to.

use std::collections::HashMap;

use rusqlite::Connection;

use super::codec;
use crate::sample::{Quality, Sample, TagId, Value};

/// Length of a fresh block's window: the hot rows of ten minutes are packed per tag
/// into blocks of this span (closed hours are merged into hour blocks later).
pub const BLOCK_MS: i64 = 600_000;

/// Stores samples as hot rows; a second sample of a tag at the same time is ignored.
pub fn insert(conn: &Connection, samples: &[Sample]) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO samples_hot (ts, tag_id, value, quality) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for s in samples {
        stmt.execute((s.ts, s.tag_id, s.raw_value(), s.quality.code()))?;
    }
    Ok(())
}

fn row_sample(tag: TagId, ts: i64, value: Option<Value>, quality: i64) -> Sample {
    Sample::from_parts(
        tag,
        ts,
        value,
        Quality::from_code(quality).unwrap_or(Quality::NoAnswer),
    )
}

/// The hot rows of `tag` with `from <= ts < to`.
pub fn hot(conn: &Connection, tag: TagId, from: i64, to: i64) -> rusqlite::Result<Vec<Sample>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ts, value, quality FROM samples_hot WHERE ts >= ?1 AND ts < ?2 AND tag_id = ?3 ORDER BY ts",
    )?;
    let rows = stmt.query_map((from, to, tag), |r| {
        Ok(row_sample(tag, r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    rows.collect()
}

/// The decoded blocks of `tag` that may hold samples in `[from, to)`.
pub fn blocks(conn: &Connection, tag: TagId, from: i64, to: i64) -> rusqlite::Result<Vec<Sample>> {
    let found = super::blocks::overlapping(conn, tag, from, to)?;
    Ok(super::blocks::decode(tag, &found, from, to))
}

/// Every sample of `tag` with `from <= ts < to`, oldest first.
pub fn read(conn: &Connection, tag: TagId, from: i64, to: i64) -> rusqlite::Result<Vec<Sample>> {
    let mut all = blocks(conn, tag, from, to)?;
    let hot = hot(conn, tag, from, to)?;
    if all.is_empty() {
        return Ok(hot);
    }
    if !hot.is_empty() {
        all.extend(hot);
        merge_sorted(&mut all);
    }
    Ok(all)
}

/// Sorts by time and keeps one sample per time (the later one in the slice: rows, which
/// are newer than blocks).
pub fn merge_sorted(samples: &mut Vec<Sample>) {
    samples.reverse();
    samples.sort_by_key(|s| s.ts); // stable: the later of equal times comes first now
    samples.dedup_by_key(|s| s.ts);
}

/// Whether any sample is stored at all.
pub fn any(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM samples_hot) OR EXISTS (SELECT 1 FROM blocks)",
        [],
        |r| r.get(0),
    )
}

/// The newest sample and the newest good sample of each of `tags`, for the live cache
/// at start: one pass over the hot rows, then the newest block of each tag not found
/// there.
pub fn latest(
    conn: &Connection,
    tags: &[TagId],
) -> rusqlite::Result<HashMap<TagId, (Sample, Option<Sample>)>> {
    let mut out: HashMap<TagId, (Sample, Option<Sample>)> = HashMap::new();
    {
        let mut stmt =
            conn.prepare("SELECT ts, tag_id, value, quality FROM samples_hot ORDER BY ts")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let tag: TagId = r.get(1)?;
            if !tags.contains(&tag) {
                continue;
            }
            let s = row_sample(tag, r.get(0)?, r.get(2)?, r.get(3)?);
            let entry = out.entry(tag).or_insert_with(|| (s.clone(), None));
            if s.quality.is_good() {
                entry.1 = Some(s.clone());
            }
            entry.0 = s;
        }
    }
    // Tags with no good hot row: their fresh blocks (one pass, oldest first), then their
    // newest blocks, newest first, until a good sample shows (a tag bad for days is not
    // searched further than 144 blocks back).
    let needs = |out: &HashMap<TagId, (Sample, Option<Sample>)>, tag: TagId| {
        tags.contains(&tag) && !out.get(&tag).is_some_and(|e| e.1.is_some())
    };
    let mut fresh: HashMap<TagId, Vec<Vec<u8>>> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT tag_id, data FROM blocks_fresh ORDER BY t0")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let tag: TagId = r.get(0)?;
            if needs(&out, tag) {
                fresh.entry(tag).or_default().push(r.get(1)?);
            }
        }
    }
    let mut newest =
        conn.prepare("SELECT data FROM blocks WHERE tag_id = ?1 ORDER BY t0 DESC LIMIT 144")?;
    for &tag in tags {
        if !needs(&out, tag) {
            continue;
        }
        let mut found: Vec<Vec<u8>> = fresh.remove(&tag).unwrap_or_default();
        found.reverse();
        let mut rows = newest.query([tag])?;
        let mut older = Vec::new();
        while let Some(r) = rows.next()? {
            older.push(r.get::<_, Vec<u8>>(0)?);
        }
        for data in found.into_iter().chain(older) {
            let Ok(samples) = codec::decode(tag, &data) else {
                continue;
            };
            let Some(last) = samples.last() else {
                continue;
            };
            let e = out.entry(tag).or_insert_with(|| (last.clone(), None));
            e.1 = samples.iter().rev().find(|s| s.quality.is_good()).cloned();
            if e.1.is_some() {
                break;
            }
        }
    }
    Ok(out)
}
