//! The newest samples: `samples_hot`, one row per commit of the writer (or per insert of
//! a backfill, a late sample, a restore), holding all its samples packed.
//!
//! A row per sample, keyed (ts, tag_id), made every commit of a small plant write five
//! pages or so (SQLite rebalances the last leaf of a key-ordered table with its two
//! neighbours, then their parent and the free list): about 90 bytes written a sample at
//! 200 tags. One row per commit, appended to a rowid table, writes the page it lands on
//! and, once a page in a few, the next page and the parent: the bytes of the samples,
//! not of five pages.
//!
//! A row: `first` and `last` (the times of its first and last sample), `n`, and `data`:
//! a version byte, then each sample in time and tag order as the time's increase from
//! the one before (varint; the first from `first`), the tag's difference from the one
//! before (zigzag varint), a head byte (the value's kind; bit 4: a quality other than
//! good follows as a varint) and the value in its shortest exact form: a whole number as
//! a zigzag varint, a decimal as its exponent in the head byte and the scaled integer, a
//! float32's or a double's bits, or text. A tag's second sample at the same time is
//! ignored, as it was with rows keyed (ts, tag_id): an insert leaves out the samples
//! rows already hold.
//!
//! Everything that reads hot samples goes through here (store::raw for the samples of a
//! tag; sync, takeout, backups, the passport and production for counts and times), and
//! reads whole rows: the table holds the last ten to twelve minutes, a few hundred rows.

use std::collections::HashSet;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension};

use super::codec;
use crate::sample::{Quality, Sample, TagId, Value};

/// At most this many samples in one row (a backfill or a writer catching up after a
/// stop commits more at once): the compactor re-encodes rows that straddle a window's
/// end, so rows stay short.
const ROW_SAMPLES: usize = 4096;

const VERSION: u8 = 1;
const K_NONE: u8 = 0;
const K_INT: u8 = 1;
const K_F32: u8 = 2;
const K_F64: u8 = 3;
const K_TEXT: u8 = 4;
/// Decimals: `K_DECIMAL + e`, e in 0..=6.
const K_DECIMAL: u8 = 8;
const BAD_QUALITY: u8 = 16;

/// Packs `samples` (sorted by time and tag, at most one per tag and time).
pub fn encode(samples: &[Sample]) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 + samples.len() * 6);
    out.push(VERSION);
    let mut prev_ts = samples.first().map_or(0, |s| s.ts);
    let mut prev_tag: TagId = 0;
    for s in samples {
        codec::put_varint(&mut out, (s.ts - prev_ts) as u64);
        codec::put_varint(&mut out, codec::zigzag(s.tag_id - prev_tag));
        prev_ts = s.ts;
        prev_tag = s.tag_id;
        let q = s.quality.code();
        let flag = if q == 0 { 0 } else { BAD_QUALITY };
        let at = out.len();
        out.push(flag);
        let kind = put_value(&mut out, s.raw_value());
        out[at] |= kind;
        if q != 0 {
            codec::put_varint(&mut out, codec::zigzag(q));
        }
    }
    out
}

/// Writes a value's bytes, returns its kind.
fn put_value(out: &mut Vec<u8>, v: Option<&Value>) -> u8 {
    let x = match v {
        None => return K_NONE,
        Some(Value::Text(t)) => {
            codec::put_varint(out, t.len() as u64);
            out.extend_from_slice(t.as_bytes());
            return K_TEXT;
        }
        Some(Value::Number(x)) => *x,
    };
    if x.fract() == 0.0 && x.abs() < 9.0e15 && !(x == 0.0 && x.is_sign_negative()) {
        codec::put_varint(out, codec::zigzag(x as i64));
        return K_INT;
    }
    let mut decimal = None;
    if !x.is_nan()
        && let Some(e) = codec::decimal_exponent(&[x])
    {
        let mut b = Vec::with_capacity(8);
        codec::put_varint(
            &mut b,
            codec::zigzag((x * 10f64.powi(e as i32)).round() as i64),
        );
        decimal = Some((e as u8, b));
    }
    if decimal.as_ref().is_none_or(|(_, b)| b.len() > 4) && !x.is_nan() && codec::all_f32(&[x]) {
        out.extend_from_slice(&(x as f32).to_bits().to_le_bytes());
        return K_F32;
    }
    match decimal {
        Some((e, b)) if b.len() < 8 => {
            out.extend_from_slice(&b);
            K_DECIMAL + e
        }
        _ => {
            out.extend_from_slice(&x.to_bits().to_le_bytes());
            K_F64
        }
    }
}

/// The samples of a row's `data`, in time and tag order.
pub fn decode(data: &[u8], first: i64) -> Result<Vec<Sample>, codec::CodecError> {
    let mut out = Vec::new();
    decode_into(data, first, None, &mut out)?;
    Ok(out)
}

/// Decodes a row's samples (only those of `tag` when given) onto `out`.
fn decode_into(
    data: &[u8],
    first: i64,
    tag: Option<TagId>,
    out: &mut Vec<Sample>,
) -> Result<(), codec::CodecError> {
    use codec::CodecError::Damaged;
    let (&version, _) = data.split_first().ok_or(codec::CodecError::Truncated)?;
    if version != VERSION {
        return Err(Damaged("unknown hot row version"));
    }
    let mut pos = 1;
    let mut ts = first;
    let mut t: TagId = 0;
    while pos < data.len() {
        ts = ts.wrapping_add(codec::get_varint(data, &mut pos)? as i64);
        t = t.wrapping_add(codec::unzigzag(codec::get_varint(data, &mut pos)?));
        let head = *data.get(pos).ok_or(codec::CodecError::Truncated)?;
        pos += 1;
        let value = match head & 15 {
            K_NONE => None,
            K_INT => Some(Value::Number(
                codec::unzigzag(codec::get_varint(data, &mut pos)?) as f64,
            )),
            K_F32 => {
                let b = codec::take(data, &mut pos, 4)?;
                Some(Value::Number(codec::f32_to_f64(f32::from_bits(
                    u32::from_le_bytes(b.try_into().map_err(|_| Damaged("f32"))?),
                ))))
            }
            K_F64 => {
                let b = codec::take(data, &mut pos, 8)?;
                Some(Value::Number(f64::from_bits(u64::from_le_bytes(
                    b.try_into().map_err(|_| Damaged("f64"))?,
                ))))
            }
            K_TEXT => {
                let n = codec::get_varint(data, &mut pos)? as usize;
                let b = codec::take(data, &mut pos, n)?;
                let s = std::str::from_utf8(b).map_err(|_| Damaged("text"))?;
                Some(Value::Text(Arc::from(s)))
            }
            k @ K_DECIMAL..=14 => {
                let i = codec::unzigzag(codec::get_varint(data, &mut pos)?);
                Some(Value::Number(
                    i as f64 / 10f64.powi(i32::from(k - K_DECIMAL)),
                ))
            }
            _ => return Err(Damaged("unknown hot value kind")),
        };
        let quality = if head & BAD_QUALITY != 0 {
            let q = codec::unzigzag(codec::get_varint(data, &mut pos)?);
            Quality::from_code(q).unwrap_or(Quality::NoAnswer)
        } else {
            Quality::Good
        };
        if tag.is_none_or(|want| want == t) {
            out.push(Sample::from_parts(t, ts, value, quality));
        }
    }
    Ok(())
}

pub(crate) fn damaged(e: codec::CodecError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Blob,
        format!("a row of samples_hot cannot be read: {e}").into(),
    )
}

/// Stores `samples` as hot rows; a tag's second sample at the same time (in `samples`
/// or already stored) is ignored. Returns how many were stored.
///
/// The rows are written first and what earlier rows hold at the same times is looked
/// up after: the first statement takes the write lock, so in a deferred transaction the
/// insert never reads a snapshot another connection's commit has made stale (that
/// fails with SQLITE_BUSY_SNAPSHOT instead of waiting).
pub fn insert(conn: &Connection, samples: &[Sample]) -> rusqlite::Result<usize> {
    if samples.is_empty() {
        return Ok(0);
    }
    let mut sorted: Vec<Sample> = samples.to_vec();
    // Stable: of equal keys the first given stays first, and is kept.
    sorted.sort_by_key(|s| (s.ts, s.tag_id));
    sorted.dedup_by_key(|s| (s.ts, s.tag_id));
    let first_id = put_rows(conn, &sorted)?;
    let (lo, hi) = (sorted[0].ts, sorted[sorted.len() - 1].ts);
    let held = read_keys(conn, lo, hi, first_id)?;
    if held.is_empty() {
        return Ok(sorted.len());
    }
    conn.execute("DELETE FROM samples_hot WHERE id >= ?1", [first_id])?;
    sorted.retain(|s| !held.contains(&(s.ts, s.tag_id)));
    if !sorted.is_empty() {
        put_rows(conn, &sorted)?;
    }
    Ok(sorted.len())
}

/// Appends `sorted` as rows; returns the first row's id.
fn put_rows(conn: &Connection, sorted: &[Sample]) -> rusqlite::Result<i64> {
    let mut stmt = conn
        .prepare_cached("INSERT INTO samples_hot (first, last, n, data) VALUES (?1, ?2, ?3, ?4)")?;
    let mut first_id = None;
    for chunk in sorted.chunks(ROW_SAMPLES) {
        stmt.execute((
            chunk[0].ts,
            chunk[chunk.len() - 1].ts,
            chunk.len() as i64,
            encode(chunk),
        ))?;
        first_id.get_or_insert(conn.last_insert_rowid());
    }
    Ok(first_id.unwrap_or(i64::MAX))
}

/// The (time, tag) of every sample with `lo <= ts <= hi` in rows older than `before`.
fn read_keys(
    conn: &Connection,
    lo: i64,
    hi: i64,
    before: i64,
) -> rusqlite::Result<HashSet<(i64, TagId)>> {
    let mut keys = HashSet::new();
    let mut stmt = conn.prepare_cached(
        "SELECT first, data FROM samples_hot WHERE last >= ?1 AND first <= ?2 AND id < ?3",
    )?;
    let mut rows = stmt.query((lo, hi, before))?;
    let mut buf = Vec::new();
    while let Some(r) = rows.next()? {
        buf.clear();
        decode_into(r.get_ref(1)?.as_blob()?, r.get(0)?, None, &mut buf).map_err(damaged)?;
        keys.extend(
            buf.iter()
                .filter(|s| s.ts >= lo && s.ts <= hi)
                .map(|s| (s.ts, s.tag_id)),
        );
    }
    Ok(keys)
}

/// The hot samples with `from <= ts < to` (of `tag` only, when given), by time and tag.
pub fn read(
    conn: &Connection,
    tag: Option<TagId>,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<Sample>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT first, data FROM samples_hot WHERE last >= ?1 AND first < ?2 ORDER BY first, id",
    )?;
    let mut rows = stmt.query((from, to))?;
    // Rows come oldest first; they are in order unless a late row overlaps an earlier.
    let mut sorted = true;
    let mut last = (i64::MIN, TagId::MIN);
    while let Some(r) = rows.next()? {
        let start = out.len();
        decode_into(r.get_ref(1)?.as_blob()?, r.get(0)?, tag, &mut out).map_err(damaged)?;
        out.retain_from(start, |s: &Sample| s.ts >= from && s.ts < to);
        if let Some(s) = out.get(start) {
            sorted &= (s.ts, s.tag_id) > last;
        }
        if let Some(s) = out.last() {
            last = last.max((s.ts, s.tag_id));
        }
    }
    if !sorted {
        out.sort_by_key(|s| (s.ts, s.tag_id));
    }
    Ok(out)
}

/// Keeps, of the items from `start` on, those `keep` says.
trait RetainFrom<T> {
    fn retain_from(&mut self, start: usize, keep: impl FnMut(&T) -> bool);
}

impl<T> RetainFrom<T> for Vec<T> {
    fn retain_from(&mut self, start: usize, mut keep: impl FnMut(&T) -> bool) {
        let mut tail = self.split_off(start);
        tail.retain(|x| keep(x));
        self.append(&mut tail);
    }
}

/// Every hot sample with `ts >= from`, by time and tag.
pub fn since(conn: &Connection, from: i64) -> rusqlite::Result<Vec<Sample>> {
    read(conn, None, from, i64::MAX)
}

/// Every hot sample of `tags`, by time and tag.
pub fn of_tags(conn: &Connection, tags: &[TagId]) -> rusqlite::Result<Vec<Sample>> {
    let mut all = read(conn, None, i64::MIN, i64::MAX)?;
    all.retain(|s| tags.contains(&s.tag_id));
    Ok(all)
}

/// How many samples the hot rows hold.
pub fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT coalesce(sum(n), 0) FROM samples_hot", [], |r| {
        r.get(0)
    })
}

/// The time of the oldest hot sample.
pub fn oldest(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT min(first) FROM samples_hot", [], |r| r.get(0))
}

/// The time of `tag`'s first hot sample at or after `from`.
pub fn first_of(conn: &Connection, tag: TagId, from: i64) -> rusqlite::Result<Option<i64>> {
    Ok(read(conn, Some(tag), from, i64::MAX)?.first().map(|s| s.ts))
}

/// The first and last time of `tag`'s hot samples.
pub fn span_of(conn: &Connection, tag: TagId) -> rusqlite::Result<Option<(i64, i64)>> {
    let s = read(conn, Some(tag), i64::MIN, i64::MAX)?;
    Ok(s.first().zip(s.last()).map(|(a, b)| (a.ts, b.ts)))
}

/// The tags with hot samples.
pub fn tags(conn: &Connection) -> rusqlite::Result<Vec<TagId>> {
    let mut t: Vec<TagId> = read(conn, None, i64::MIN, i64::MAX)?
        .iter()
        .map(|s| s.tag_id)
        .collect();
    t.sort_unstable();
    t.dedup();
    Ok(t)
}

/// Removes every hot sample of `tags`; returns how many went. Rows left empty are
/// deleted, the others written again without them.
pub fn delete_tags(conn: &Connection, tags: &[TagId]) -> rusqlite::Result<i64> {
    remove_where(conn, i64::MIN, i64::MAX, |s| tags.contains(&s.tag_id))
}

/// Removes the hot samples with `from <= ts < to` for which `gone` holds, by deleting
/// rows that hold only such samples and rewriting the rows that hold some.
pub(crate) fn remove_where(
    conn: &Connection,
    from: i64,
    to: i64,
    mut gone: impl FnMut(&Sample) -> bool,
) -> rusqlite::Result<i64> {
    let rows: Vec<(i64, i64, Vec<u8>)> = conn
        .prepare("SELECT id, first, data FROM samples_hot WHERE last >= ?1 AND first < ?2")?
        .query_map((from, to), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut removed = 0i64;
    for (id, first, data) in rows {
        let samples = decode(&data, first).map_err(damaged)?;
        let kept: Vec<Sample> = samples
            .iter()
            .filter(|s| !(s.ts >= from && s.ts < to && gone(s)))
            .cloned()
            .collect();
        if kept.len() == samples.len() {
            continue;
        }
        removed += (samples.len() - kept.len()) as i64;
        if kept.is_empty() {
            conn.execute("DELETE FROM samples_hot WHERE id = ?1", [id])?;
        } else {
            conn.execute(
                "UPDATE samples_hot SET first = ?2, last = ?3, n = ?4, data = ?5 WHERE id = ?1",
                (
                    id,
                    kept[0].ts,
                    kept[kept.len() - 1].ts,
                    kept.len() as i64,
                    encode(&kept),
                ),
            )?;
        }
    }
    Ok(removed)
}

/// Hot rows of an older version (a row per sample, left by migration 17 as
/// `samples_hot_rows`) packed into the new rows, in one transaction.
pub(crate) fn adopt_rows(conn: &mut Connection) -> rusqlite::Result<usize> {
    let exists: Option<String> = conn
        .query_row(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'samples_hot_rows'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_none() {
        return Ok(0);
    }
    let tx = super::write_tx(conn)?;
    let samples: Vec<Sample> = tx
        .prepare("SELECT ts, tag_id, value, quality FROM samples_hot_rows ORDER BY ts, tag_id")?
        .query_map([], |r| {
            let q: i64 = r.get(3)?;
            Ok(Sample::from_parts(
                r.get(1)?,
                r.get(0)?,
                r.get(2)?,
                Quality::from_code(q).unwrap_or(Quality::NoAnswer),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let n = insert(&tx, &samples)?;
    tx.execute_batch("DROP TABLE samples_hot_rows")?;
    tx.commit()?;
    Ok(n)
}

/// Values whose exact bits a hot row must keep (signed zero, the edges of f64's whole
/// numbers, decimals, float32 registers, NaN and infinities), for the tests here and in
/// `raw`.
#[cfg(test)]
pub(crate) fn awkward_values() -> Vec<f64> {
    vec![
        0.0,
        -0.0,
        1.0,
        -7.0,
        123_456_789.0,
        9.1e15,
        2f64.powi(53) + 2.0,
        23.4,
        -0.000_001,
        228.50102,
        codec::f32_to_f64(0.1f32),
        codec::f32_to_f64(-3.4e38f32),
        1.0 / 3.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE,
        4.5e15,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_every_value_exactly_and_ignore_a_second_sample_at_a_time() {
        let conn = crate::store::memory();
        let mut samples: Vec<Sample> = awkward_values()
            .iter()
            .enumerate()
            .map(|(i, v)| Sample::good(3 + (i as i64 % 3), 1000 + i as i64 * 7, *v))
            .chain([
                Sample::good_text(9, 1000, "lot 7"),
                Sample::bad(1, 1001, Quality::Stale),
                Sample::bad(2, 1001, Quality::from_code(256 + 2).unwrap()),
            ])
            .collect();
        assert_eq!(insert(&conn, &samples).unwrap(), samples.len());
        // The same again, and a different value at a stored time: all ignored.
        assert_eq!(insert(&conn, &samples).unwrap(), 0);
        assert_eq!(
            insert(
                &conn,
                &[Sample::good(9, 1000, 5.0), Sample::good(9, 999, 5.0)]
            )
            .unwrap(),
            1
        );
        samples.push(Sample::good(9, 999, 5.0));
        samples.sort_by_key(|s| (s.ts, s.tag_id));
        let back = read(&conn, None, 0, 10_000).unwrap();
        assert_eq!(back.len(), samples.len());
        for (a, b) in back.iter().zip(&samples) {
            assert_eq!((a.ts, a.tag_id), (b.ts, b.tag_id));
            assert_eq!(
                a.value().map(f64::to_bits),
                b.value().map(f64::to_bits),
                "{b:?}"
            );
            assert_eq!((a.text(), a.quality), (b.text(), b.quality));
        }
        assert_eq!(count(&conn).unwrap(), samples.len() as i64);
        assert_eq!(oldest(&conn).unwrap(), Some(999));
        assert_eq!(read(&conn, Some(9), 0, 10_000).unwrap().len(), 2);
        assert_eq!(span_of(&conn, 3).unwrap(), Some((1000, 1000 + 15 * 7)));
        assert_eq!(first_of(&conn, 4, 1008).unwrap(), Some(1000 + 4 * 7));
        assert_eq!(tags(&conn).unwrap(), vec![1, 2, 3, 4, 5, 9]);
        // Removing a tag rewrites the rows it shared.
        assert_eq!(delete_tags(&conn, &[9]).unwrap(), 2);
        assert_eq!(count(&conn).unwrap(), samples.len() as i64 - 2);
        assert!(read(&conn, Some(9), 0, 10_000).unwrap().is_empty());
    }

    #[test]
    fn hot_rows_of_an_older_version_are_packed_when_it_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let mut conn = crate::store::open(&path, crate::store::Durability::Normal).unwrap();
        crate::store::migrations()
            .to_version(&mut conn, 16)
            .unwrap();
        // A row per sample, values in the short forms the older version wrote: 23.4 as
        // a decimal blob (exponent 1, zigzag varint of 234), a whole number, a double,
        // text, and a sample without a value.
        conn.execute_batch(
            "INSERT INTO samples_hot (ts, tag_id, value, quality) VALUES
                (1000, 1, x'0101d403', 0), (1000, 2, 7, 0), (2000, 1, 0.125, 0),
                (2000, 2, 'lot 7', 0), (3000, 1, NULL, 2)",
        )
        .unwrap();
        crate::store::migrate(&mut conn, &path).unwrap();
        let back = read(&conn, None, 0, 10_000).unwrap();
        assert_eq!(
            back,
            vec![
                Sample::good(1, 1000, 23.4),
                Sample::good(2, 1000, 7.0),
                Sample::good(1, 2000, 0.125),
                Sample::good_text(2, 2000, "lot 7"),
                Sample::bad(1, 3000, Quality::Stale),
            ]
        );
        let left: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'samples_hot_rows'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!((left, count(&conn).unwrap()), (0, 5));
    }

    #[test]
    fn a_commit_of_200_tags_packs_into_a_quarter_of_a_page() {
        // The bench's mix at 1 Hz: decimals with one digit, counters, states, float32.
        let samples: Vec<Sample> = (0..200)
            .map(|t| {
                let v = match t % 4 {
                    0 => 20.0 + f64::from(t) / 10.0,
                    1 => 100_000.0 + f64::from(t),
                    2 => f64::from(t % 2),
                    _ => codec::f32_to_f64(230.123f32 + t as f32),
                };
                Sample::good(i64::from(t) + 1, 1_700_000_000_000, v)
            })
            .collect();
        let data = encode(&samples);
        assert!(data.len() < 1100, "{} bytes", data.len());
        assert_eq!(decode(&data, 1_700_000_000_000).unwrap(), samples);
    }
}
