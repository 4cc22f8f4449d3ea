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
        stmt.execute((
            s.ts,
            s.tag_id,
            s.raw_value().map(hot_value),
            s.quality.code(),
        ))?;
    }
    Ok(())
}

/// A hot row's value in as few bytes as it takes exactly: every hot row is written
/// twice (a commit, a checkpoint) and its page rewritten when it is packed, so its size
/// is most of the bytes written per sample. Whole numbers as SQLite integers (0 and 1
/// take no bytes at all), decimals with few digits and float32 values as a short blob
/// ([`Value`]'s `FromSql` reads them), anything else as a double (NaN as its bits,
/// which SQLite would turn into NULL), text as text.
fn hot_value(v: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    let Value::Number(x) = *v else {
        return match v {
            Value::Text(t) => Sql::Text(t.to_string()),
            Value::Number(_) => Sql::Null,
        };
    };
    if x.is_nan() {
        // SQLite would store NaN as NULL: keep its bits.
        let mut b = vec![HOT_F64];
        b.extend_from_slice(&x.to_bits().to_le_bytes());
        return Sql::Blob(b);
    }
    if x.fract() == 0.0 && x.abs() < 9.0e15 && !(x == 0.0 && x.is_sign_negative()) {
        return Sql::Integer(x as i64);
    }
    let mut decimal = None;
    if let Some(e) = codec::decimal_exponent(&[x]) {
        let mut b = vec![HOT_DECIMAL, e as u8];
        codec::put_varint(
            &mut b,
            codec::zigzag((x * 10f64.powi(e as i32)).round() as i64),
        );
        decimal = Some(b);
    }
    if decimal.as_ref().is_none_or(|d| d.len() > 5) && codec::all_f32(&[x]) {
        let mut b = vec![HOT_F32];
        b.extend_from_slice(&(x as f32).to_bits().to_le_bytes());
        return Sql::Blob(b);
    }
    match decimal {
        Some(b) if b.len() < 8 => Sql::Blob(b),
        _ => Sql::Real(x),
    }
}

/// First byte of a hot value stored as a blob: a decimal (exponent, zigzag varint of
/// the scaled integer), a float32's bits, or a double's bits (little-endian; for NaN).
pub(crate) const HOT_DECIMAL: u8 = 1;
pub(crate) const HOT_F32: u8 = 2;
pub(crate) const HOT_F64: u8 = 3;

/// Reads a hot value stored as a blob by [`insert`].
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

    #[test]
    fn hot_rows_keep_every_value_exactly_in_their_short_forms() {
        let conn = crate::store::memory();
        let values = [
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
            f64::MIN_POSITIVE,
            4.5e15,
        ];
        let samples: Vec<Sample> = values
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
        // The short forms are short.
        let sizes: Vec<i64> = conn
            .prepare(
                "SELECT length(value) FROM samples_hot WHERE typeof(value) = 'blob' ORDER BY ts",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(sizes.iter().all(|n| *n <= 9), "{sizes:?}");
    }
}
