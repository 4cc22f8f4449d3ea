//! Raw samples, wherever they are: new ones as rows of `samples_hot`, older ones in
//! compressed blocks. Every reader of raw samples goes through here, so none has to
//! know where the compactor has got to.

use std::collections::HashMap;

use rusqlite::Connection;

use super::codec;
use crate::sample::{Sample, TagId};

/// Length of a fresh block's window: the hot rows of ten minutes are packed per tag
/// into blocks of this span (closed hours are merged into hour blocks later).
pub const BLOCK_MS: i64 = 600_000;

/// Stores samples as hot rows (store::hot); a second sample of a tag at the same time
/// is ignored.
pub fn insert(conn: &Connection, samples: &[Sample]) -> rusqlite::Result<()> {
    super::hot::insert(conn, samples).map(|_| ())
}

/// First byte of a hot value stored as a blob by an older version (a row per sample, as
/// migration 17 finds them): a decimal (exponent, zigzag varint of the scaled integer),
/// a float32's bits, or a double's bits (little-endian; for NaN).
pub(crate) const HOT_DECIMAL: u8 = 1;
pub(crate) const HOT_F32: u8 = 2;
pub(crate) const HOT_F64: u8 = 3;

/// Reads a hot value stored as a blob by an older version.
pub(crate) fn hot_blob(b: &[u8]) -> Option<f64> {
    match b.split_first()? {
        (&HOT_DECIMAL, rest) => {
            let (&e, rest) = rest.split_first()?;
            if e > 6 {
                return None;
            }
            let mut pos = 0;
            let i = codec::unzigzag(codec::get_varint(rest, &mut pos).ok()?);
            Some(i as f64 / 10f64.powi(i32::from(e)))
        }
        (&HOT_F32, rest) => Some(codec::f32_to_f64(f32::from_bits(u32::from_le_bytes(
            rest.try_into().ok()?,
        )))),
        (&HOT_F64, rest) => Some(f64::from_bits(u64::from_le_bytes(rest.try_into().ok()?))),
        _ => None,
    }
}

/// The hot samples of `tag` with `from <= ts < to`.
pub fn hot(conn: &Connection, tag: TagId, from: i64, to: i64) -> rusqlite::Result<Vec<Sample>> {
    super::hot::read(conn, Some(tag), from, to)
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
    for s in super::hot::read(conn, None, i64::MIN, i64::MAX)? {
        if !tags.contains(&s.tag_id) {
            continue;
        }
        let entry = out.entry(s.tag_id).or_insert_with(|| (s.clone(), None));
        if s.quality.is_good() {
            entry.1 = Some(s.clone());
        }
        entry.0 = s;
    }
    // Tags with no good hot row: their fresh blocks (one pass, oldest first), then their
    // newest blocks, newest first, until a good sample shows (a tag bad for days is not
    // searched further than 144 blocks back).
    let needs = |out: &HashMap<TagId, (Sample, Option<Sample>)>, tag: TagId| {
        tags.contains(&tag) && out.get(&tag).is_none_or(|e| e.1.is_none())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;

    #[test]
    fn hot_samples_read_back_exactly_through_read() {
        let conn = crate::store::memory();
        let samples: Vec<Sample> = super::super::hot::awkward_values()
            .iter()
            .enumerate()
            .map(|(i, v)| Sample::good(1, i as i64, *v))
            .chain([
                Sample::good_text(1, 100, "lot 7"),
                Sample::bad(1, 101, Quality::Stale),
            ])
            .collect();
        insert(&conn, &samples).unwrap();
        let back = read(&conn, 1, 0, 1000).unwrap();
        assert_eq!(back.len(), samples.len());
        for (a, b) in back.iter().zip(&samples) {
            assert_eq!(
                a.value().map(f64::to_bits),
                b.value().map(f64::to_bits),
                "{b:?}"
            );
            assert_eq!((a.text(), a.quality), (b.text(), b.quality));
        }
    }
}
