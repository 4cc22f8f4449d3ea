//! Rollups: per tag and minute (and hour), the first, last, smallest and largest good
//! value with their times, the sum (for the mean), the time-weighted sum, and the counts
//! of good and bad samples. Long trends are drawn from them, and reports read them.
//!
//! A good sample holds its value until the next sample of the tag (of any quality) or
//! the end of the bucket, whichever is first; the time-weighted mean is the sum of value
//! times holding time over the time held. An hour is the merge of its minutes, so the
//! two always agree. Rollups are recomputed from the raw samples whenever samples
//! arrive late into a bucket.

use rusqlite::{Connection, params};

use super::codec::{self, CodecError};
use crate::sample::{Sample, TagId};

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 3_600_000;

/// The rollup of one tag over one bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rollup {
    /// Start of the bucket (UTC ms).
    pub t: i64,
    pub first: Option<(i64, f64)>,
    pub last: Option<(i64, f64)>,
    pub min: Option<(i64, f64)>,
    pub max: Option<(i64, f64)>,
    pub sum: f64,
    pub twa_sum: f64,
    pub twa_ms: i64,
    pub good: i64,
    pub bad: i64,
}

impl Rollup {
    pub fn empty(t: i64) -> Rollup {
        Rollup {
            t,
            first: None,
            last: None,
            min: None,
            max: None,
            sum: 0.0,
            twa_sum: 0.0,
            twa_ms: 0,
            good: 0,
            bad: 0,
        }
    }

    pub fn mean(&self) -> Option<f64> {
        (self.good > 0).then(|| self.sum / self.good as f64)
    }

    /// The time-weighted mean.
    pub fn twa(&self) -> Option<f64> {
        (self.twa_ms > 0).then(|| self.twa_sum / self.twa_ms as f64)
    }

    /// Folds `other` (of a later or the same span) into this one.
    pub fn merge(&mut self, other: &Rollup) {
        let earlier = |a: Option<(i64, f64)>, b: Option<(i64, f64)>| match (a, b) {
            (Some(x), Some(y)) => Some(if y.0 < x.0 { y } else { x }),
            (x, None) => x,
            (None, y) => y,
        };
        let later = |a: Option<(i64, f64)>, b: Option<(i64, f64)>| match (a, b) {
            (Some(x), Some(y)) => Some(if y.0 > x.0 { y } else { x }),
            (x, None) => x,
            (None, y) => y,
        };
        let pick = |a: Option<(i64, f64)>, b: Option<(i64, f64)>, smaller: bool| match (a, b) {
            (Some(x), Some(y)) => {
                let better = if smaller { y.1 < x.1 } else { y.1 > x.1 };
                Some(if better || (y.1 == x.1 && y.0 < x.0) {
                    y
                } else {
                    x
                })
            }
            (x, None) => x,
            (None, y) => y,
        };
        self.first = earlier(self.first, other.first);
        self.last = later(self.last, other.last);
        self.min = pick(self.min, other.min, true);
        self.max = pick(self.max, other.max, false);
        self.sum += other.sum;
        self.twa_sum += other.twa_sum;
        self.twa_ms += other.twa_ms;
        self.good += other.good;
        self.bad += other.bad;
    }
}

/// Rollups of `samples` (one tag, sorted by time) per bucket of `bucket_ms`; text
/// samples are left out. Buckets without samples have no rollup.
///
/// When every value of a bucket has few decimals (as the values of scaled integer
/// registers have), its sums are added as decimal integers, so they are exact: the same
/// whatever order the samples came in, and compact to store.
pub fn rollups(samples: &[Sample], bucket_ms: i64) -> Vec<Rollup> {
    let mut out: Vec<Rollup> = Vec::new();
    let numeric: Vec<&Sample> = samples.iter().filter(|s| s.text().is_none()).collect();
    let mut start = 0;
    while start < numeric.len() {
        let t = numeric[start].ts.div_euclid(bucket_ms) * bucket_ms;
        let end = numeric[start..]
            .iter()
            .position(|s| s.ts >= t + bucket_ms)
            .map_or(numeric.len(), |p| start + p);
        out.push(bucket(&numeric[start..end], t, bucket_ms));
        start = end;
    }
    out
}

fn bucket(samples: &[&Sample], t: i64, bucket_ms: i64) -> Rollup {
    let values: Vec<f64> = samples.iter().filter_map(|s| s.value()).collect();
    let scale = codec::decimal_exponent(&values).map(|e| 10f64.powi(e as i32));
    let mut r = Rollup::empty(t);
    let (mut sum_i, mut twa_i) = (0i128, 0i128);
    for (i, s) in samples.iter().enumerate() {
        let Some(v) = s.value() else {
            r.bad += 1;
            continue;
        };
        // Held until the next sample of the bucket, or the bucket's end.
        let until = samples
            .get(i + 1)
            .map_or(t + bucket_ms, |n| n.ts.min(t + bucket_ms));
        let dt = (until - s.ts).max(0);
        let point = Some((s.ts, v));
        if r.first.is_none() {
            r.first = point;
        }
        r.last = point;
        if r.min.is_none_or(|m| v < m.1) {
            r.min = point;
        }
        if r.max.is_none_or(|m| v > m.1) {
            r.max = point;
        }
        r.good += 1;
        r.twa_ms += dt;
        match scale {
            Some(f) => {
                let vi = (v * f).round() as i128;
                sum_i += vi;
                twa_i += vi * i128::from(dt);
            }
            None => {
                r.sum += v;
                r.twa_sum += v * dt as f64;
            }
        }
    }
    if let Some(f) = scale {
        r.sum = sum_i as f64 / f;
        r.twa_sum = twa_i as f64 / f;
    }
    r
}

/// Merges minute rollups into rollups of `bucket_ms` (an hour).
pub fn merge_into(minutes: &[Rollup], bucket_ms: i64) -> Vec<Rollup> {
    let mut out: Vec<Rollup> = Vec::new();
    for m in minutes {
        let t = m.t.div_euclid(bucket_ms) * bucket_ms;
        if out.last().is_none_or(|r| r.t != t) {
            out.push(Rollup::empty(t));
        }
        out.last_mut().expect("pushed above").merge(m);
    }
    out
}

/// The rollup tables: minutes and hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Minute,
    Hour,
}

impl Table {
    pub fn bucket_ms(self) -> i64 {
        match self {
            Table::Minute => MINUTE_MS,
            Table::Hour => HOUR_MS,
        }
    }
}

/// Replaces the rollups of `tag` in `[from, to)` of `table` by `rollups`.
pub fn store(
    conn: &Connection,
    table: Table,
    tag: TagId,
    from: i64,
    to: i64,
    rollups: &[Rollup],
) -> rusqlite::Result<()> {
    match table {
        Table::Minute => store_minutes(conn, tag, from, to, rollups),
        Table::Hour => store_rows(conn, tag, from, to, rollups),
    }
}

/// The rollups of `tag` with `from <= t < to`, in time order.
pub fn load(
    conn: &Connection,
    table: Table,
    tag: TagId,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<Rollup>> {
    match table {
        Table::Minute => load_minutes(conn, tag, from, to),
        Table::Hour => load_rows(conn, tag, from, to),
    }
}

/// Minutes live in one encoded row per tag and hour.
fn store_minutes(
    conn: &Connection,
    tag: TagId,
    from: i64,
    to: i64,
    rollups: &[Rollup],
) -> rusqlite::Result<()> {
    let mut hour = from.div_euclid(HOUR_MS) * HOUR_MS;
    while hour < to {
        let end = hour + HOUR_MS;
        let mut minutes: Vec<Rollup> = load_minutes(conn, tag, hour, end)?
            .into_iter()
            .filter(|m| m.t < from || m.t >= to)
            .collect();
        minutes.extend(
            rollups
                .iter()
                .filter(|r| r.t >= hour && r.t < end && r.t >= from && r.t < to),
        );
        minutes.sort_by_key(|m| m.t);
        if minutes.is_empty() {
            conn.prepare_cached("DELETE FROM rollup_1m WHERE tag_id = ?1 AND hour = ?2")?
                .execute((tag, hour))?;
        } else {
            conn.prepare_cached(
                "INSERT OR REPLACE INTO rollup_1m (tag_id, hour, data) VALUES (?1, ?2, ?3)",
            )?
            .execute((tag, hour, encode_minutes(hour, &minutes)))?;
        }
        hour = end;
    }
    Ok(())
}

fn load_minutes(
    conn: &Connection,
    tag: TagId,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<Rollup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT hour, data FROM rollup_1m WHERE tag_id = ?1 AND hour > ?2 AND hour < ?3 ORDER BY hour",
    )?;
    let mut rows = stmt.query((tag, from.saturating_sub(HOUR_MS), to))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let hour: i64 = r.get(0)?;
        let data: Vec<u8> = r.get(1)?;
        match decode_minutes(hour, &data) {
            Ok(ms) => out.extend(ms.into_iter().filter(|m| m.t >= from && m.t < to)),
            Err(e) => {
                tracing::error!("the minute rollups of tag {tag} at {hour} cannot be read: {e}")
            }
        }
    }
    Ok(out)
}

fn store_rows(
    conn: &Connection,
    tag: TagId,
    from: i64,
    to: i64,
    rollups: &[Rollup],
) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM rollup_1h WHERE tag_id = ?1 AND t >= ?2 AND t < ?3")?
        .execute((tag, from, to))?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO rollup_1h (tag_id, t, first_ts, first, last_ts, last, min_ts, min, max_ts, max,
             sum, twa_sum, twa_ms, good, bad)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    for r in rollups {
        insert.execute(params![
            tag,
            r.t,
            r.first.map(|x| x.0),
            r.first.map(|x| x.1),
            r.last.map(|x| x.0),
            r.last.map(|x| x.1),
            r.min.map(|x| x.0),
            r.min.map(|x| x.1),
            r.max.map(|x| x.0),
            r.max.map(|x| x.1),
            r.sum,
            r.twa_sum,
            r.twa_ms,
            r.good,
            r.bad
        ])?;
    }
    Ok(())
}

fn load_rows(conn: &Connection, tag: TagId, from: i64, to: i64) -> rusqlite::Result<Vec<Rollup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t, first_ts, first, last_ts, last, min_ts, min, max_ts, max, sum, twa_sum, twa_ms, good, bad
         FROM rollup_1h WHERE tag_id = ?1 AND t >= ?2 AND t < ?3 ORDER BY t",
    )?;
    let rows = stmt.query_map((tag, from, to), |r| {
        let pair = |a: usize| -> rusqlite::Result<Option<(i64, f64)>> {
            Ok(
                match (r.get::<_, Option<i64>>(a)?, r.get::<_, Option<f64>>(a + 1)?) {
                    (Some(t), Some(v)) => Some((t, v)),
                    _ => None,
                },
            )
        };
        Ok(Rollup {
            t: r.get(0)?,
            first: pair(1)?,
            last: pair(3)?,
            min: pair(5)?,
            max: pair(7)?,
            sum: r.get(9)?,
            twa_sum: r.get(10)?,
            twa_ms: r.get(11)?,
            good: r.get(12)?,
            bad: r.get(13)?,
        })
    })?;
    rows.collect()
}

// ------------------------------------------------- minute rollups, encoded

/// Encodes up to 60 minute rollups of one hour (`hour` is its start). Which minutes are
/// present is a bitmap; per minute the counts, which of first, last, smallest and
/// largest coincide (one value, not four, for a minute with one sample), their times as
/// steps within the minute, and the values: as decimal integers (deltas from the
/// minute before) when every value has few decimals, else as raw doubles.
pub fn encode_minutes(hour: i64, minutes: &[Rollup]) -> Vec<u8> {
    let mut out = vec![codec::VERSION];
    let mut bitmap = 0u64;
    for m in minutes {
        let i = (m.t - hour) / MINUTE_MS;
        debug_assert!((0..60).contains(&i), "a minute outside its hour");
        bitmap |= 1 << i;
    }
    out.extend_from_slice(&bitmap.to_le_bytes());

    // The time step all offsets are multiples of.
    let mut unit = 0u64;
    for m in minutes {
        for (ts, _) in [m.first, m.last, m.min, m.max].into_iter().flatten() {
            unit = codec::gcd(unit, (ts - m.t) as u64);
        }
        unit = codec::gcd(unit, (MINUTE_MS - m.twa_ms) as u64);
    }
    let unit = unit.max(1);
    codec::put_varint(&mut out, unit);
    let unit = unit as i64;

    // Per column (first, last, min, max, sum, time-weighted sum) a decimal exponent
    // when every value of the column has few decimals; 255 for raw doubles.
    let mut columns: [Vec<f64>; 6] = Default::default();
    for m in minutes {
        if let (Some(a), Some(b), Some(c), Some(d)) = (m.first, m.last, m.min, m.max) {
            columns[0].push(a.1);
            columns[1].push(b.1);
            columns[2].push(c.1);
            columns[3].push(d.1);
            columns[4].push(m.sum);
            if m.twa_ms > 0 {
                columns[5].push(m.twa_sum);
            }
        }
    }
    let exponents: Vec<Option<u32>> = columns.iter().map(|c| codec::decimal_exponent(c)).collect();
    for e in &exponents {
        out.push(e.map_or(255, |e| e as u8));
    }
    let mut prev = [0i64; 6];
    let mut put_value = |out: &mut Vec<u8>, col: usize, v: f64| match exponents[col] {
        Some(e) => {
            let i = (v * 10f64.powi(e as i32)).round() as i64;
            codec::put_varint(out, codec::zigzag(i.wrapping_sub(prev[col])));
            prev[col] = i;
        }
        None => out.extend_from_slice(&v.to_bits().to_le_bytes()),
    };

    for m in minutes {
        codec::put_varint(&mut out, m.good as u64);
        codec::put_varint(&mut out, m.bad as u64);
        codec::put_varint(&mut out, ((MINUTE_MS - m.twa_ms) / unit) as u64);
        let (Some(fst), Some(lst), Some(lo), Some(hi)) = (m.first, m.last, m.min, m.max) else {
            continue;
        };
        let flags = u8::from(lst == fst)
            | u8::from(lo == fst) << 1
            | u8::from(lo == lst) << 2
            | u8::from(hi == fst) << 3
            | u8::from(hi == lst) << 4;
        out.push(flags);
        codec::put_varint(&mut out, ((fst.0 - m.t) / unit) as u64);
        put_value(&mut out, 0, fst.1);
        if lst != fst {
            codec::put_varint(&mut out, ((lst.0 - m.t) / unit) as u64);
            put_value(&mut out, 1, lst.1);
        }
        if lo != fst && lo != lst {
            codec::put_varint(&mut out, ((lo.0 - m.t) / unit) as u64);
            put_value(&mut out, 2, lo.1);
        }
        if hi != fst && hi != lst {
            codec::put_varint(&mut out, ((hi.0 - m.t) / unit) as u64);
            put_value(&mut out, 3, hi.1);
        }
        put_value(&mut out, 4, m.sum);
        if m.twa_ms > 0 {
            put_value(&mut out, 5, m.twa_sum);
        }
    }
    out
}

/// Decodes [`encode_minutes`].
pub fn decode_minutes(hour: i64, data: &[u8]) -> Result<Vec<Rollup>, CodecError> {
    let version = *data.first().ok_or(CodecError::Truncated)?;
    if version != codec::VERSION {
        return Err(CodecError::Version(version));
    }
    let bitmap = u64::from_le_bytes(
        data.get(1..9)
            .ok_or(CodecError::Truncated)?
            .try_into()
            .map_err(|_| CodecError::Truncated)?,
    );
    let mut pos = 9;
    let unit = codec::get_varint(data, &mut pos)? as i64;
    if unit < 1 {
        return Err(CodecError::Damaged("time unit"));
    }
    let mut exponents = [0u8; 6];
    for e in &mut exponents {
        *e = *data.get(pos).ok_or(CodecError::Truncated)?;
        pos += 1;
        if *e != 255 && *e > 6 {
            return Err(CodecError::Damaged("decimal exponent"));
        }
    }
    let mut prev = [0i64; 6];
    let mut value = |pos: &mut usize, col: usize| -> Result<f64, CodecError> {
        if exponents[col] == 255 {
            let b = data.get(*pos..*pos + 8).ok_or(CodecError::Truncated)?;
            *pos += 8;
            Ok(f64::from_bits(u64::from_le_bytes(
                b.try_into().map_err(|_| CodecError::Truncated)?,
            )))
        } else {
            let i = prev[col].wrapping_add(codec::unzigzag(codec::get_varint(data, pos)?));
            prev[col] = i;
            Ok(i as f64 / 10f64.powi(i32::from(exponents[col])))
        }
    };
    let mut out = Vec::new();
    for i in 0..60 {
        if bitmap & (1 << i) == 0 {
            continue;
        }
        let t = hour + i * MINUTE_MS;
        let mut m = Rollup::empty(t);
        m.good = codec::get_varint(data, &mut pos)? as i64;
        m.bad = codec::get_varint(data, &mut pos)? as i64;
        m.twa_ms =
            MINUTE_MS.wrapping_sub((codec::get_varint(data, &mut pos)? as i64).wrapping_mul(unit));
        if m.good > 0 {
            let flags = *data.get(pos).ok_or(CodecError::Truncated)?;
            pos += 1;
            let mut point = |pos: &mut usize, col: usize| -> Result<(i64, f64), CodecError> {
                let off = (codec::get_varint(data, pos)? as i64).wrapping_mul(unit);
                Ok((t.wrapping_add(off), value(pos, col)?))
            };
            let fst = point(&mut pos, 0)?;
            let lst = if flags & 1 != 0 {
                fst
            } else {
                point(&mut pos, 1)?
            };
            let lo = if flags & 2 != 0 {
                fst
            } else if flags & 4 != 0 {
                lst
            } else {
                point(&mut pos, 2)?
            };
            let hi = if flags & 8 != 0 {
                fst
            } else if flags & 16 != 0 {
                lst
            } else {
                point(&mut pos, 3)?
            };
            m.first = Some(fst);
            m.last = Some(lst);
            m.min = Some(lo);
            m.max = Some(hi);
            m.sum = value(&mut pos, 4)?;
        }
        if m.twa_ms > 0 && m.good > 0 {
            m.twa_sum = value(&mut pos, 5)?;
        }
        out.push(m);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;

    #[test]
    fn a_minute_of_samples() {
        let s = vec![
            Sample::good(1, 60_000, 10.0),
            Sample::good(1, 80_000, 20.0),
            Sample::bad(1, 100_000, Quality::NoAnswer),
            Sample::good(1, 110_000, 5.0),
            Sample::good(1, 125_000, 7.0), // next minute
        ];
        let r = rollups(&s, MINUTE_MS);
        assert_eq!(r.len(), 2);
        let m = r[0];
        assert_eq!(m.t, 60_000);
        assert_eq!((m.good, m.bad), (3, 1));
        assert_eq!(m.first, Some((60_000, 10.0)));
        assert_eq!(m.last, Some((110_000, 5.0)));
        assert_eq!(m.min, Some((110_000, 5.0)));
        assert_eq!(m.max, Some((80_000, 20.0)));
        assert_eq!(m.mean(), Some(35.0 / 3.0));
        // 10 for 20 s, 20 for 20 s (until the bad sample), 5 for 10 s (to the minute's end)
        assert_eq!(m.twa_ms, 50_000);
        assert_eq!(
            m.twa(),
            Some((10.0 * 20.0 + 20.0 * 20.0 + 5.0 * 10.0) / 50.0)
        );
        let h = merge_into(&r, HOUR_MS);
        assert_eq!(h.len(), 1);
        assert_eq!(
            (h[0].good, h[0].bad, h[0].last),
            (4, 1, Some((125_000, 7.0)))
        );
    }

    #[test]
    fn stored_and_loaded() {
        let conn = crate::store::memory();
        let s: Vec<Sample> = (0..200)
            .map(|i| Sample::good(3, i * 1000, i as f64))
            .collect();
        let r = rollups(&s, MINUTE_MS);
        store(&conn, Table::Minute, 3, 0, 240_000, &r).unwrap();
        assert_eq!(load(&conn, Table::Minute, 3, 0, 240_000).unwrap(), r);
        store(&conn, Table::Minute, 3, 0, 240_000, &r[..1]).unwrap();
        assert_eq!(load(&conn, Table::Minute, 3, 0, 240_000).unwrap().len(), 1);
    }

    #[test]
    fn minute_rollups_round_trip_small() {
        let hour = 7 * 3_600_000;
        let mut s: Vec<Sample> = (0..3600)
            .map(|i| Sample::good(1, hour + i * 1000, 20.0 + ((i * 31) % 17) as f64 * 0.1))
            .collect();
        s[100] = Sample::bad(1, hour + 100_000, Quality::NoAnswer);
        s.retain(|x| !(600_000..720_000).contains(&(x.ts - hour))); // two empty minutes
        let m = rollups(&s, MINUTE_MS);
        let data = encode_minutes(hour, &m);
        assert_eq!(decode_minutes(hour, &data).unwrap(), m);
        assert!(data.len() < 58 * 16, "{} bytes for 58 minutes", data.len());
    }
}
