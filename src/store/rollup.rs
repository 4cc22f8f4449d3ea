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

use super::codec;
use super::minutes;
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

/// Samples an hour must hold per minute with data, on average, for its minute rollups
/// to be stored: below that, reading and rolling up the samples themselves is as fast
/// as reading the rollups, and they would take more room than the samples.
pub const MINUTES_PAY_FROM: usize = 6;

/// Whether the minute rollups of an hour of `samples` samples are worth storing.
pub fn minutes_pay(samples: usize, minutes: &[Rollup]) -> bool {
    samples >= MINUTES_PAY_FROM * minutes.len().max(1)
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

/// The minute rollups of `tag` with `from <= t < to` (`from` on a minute edge): stored ones where the hour has them, and rolled up from the samples where
/// the hour was too sparse for them to be stored ([`minutes_pay`]).
pub fn minutes(conn: &Connection, tag: TagId, from: i64, to: i64) -> rusqlite::Result<Vec<Rollup>> {
    minutes_with(conn, tag, from, to, minutes::decode, |s| {
        rollups(s, MINUTE_MS)
    })
}

/// [`minutes`] for drawing: first, last, smallest and largest values and counts are
/// exact, sums may be left at 0 (a chart does not use them): stored minutes are decoded
/// without their sums where the format allows, and sparse hours' minutes are rolled up
/// without them ([`extremes`]; measured: a 30-day chart of a tag recorded on change,
/// 43,200 minutes, 17 ms with sums).
pub fn chart_minutes(
    conn: &Connection,
    tag: TagId,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<Rollup>> {
    minutes_with(conn, tag, from, to, minutes::decode_extremes, |s| {
        extremes(s, MINUTE_MS)
    })
}

/// Per bucket of `bucket_ms`: first, last, smallest and largest value with their times,
/// good and bad counts, as [`rollups`] has them; sums and time-weighted sums left at 0.
pub fn extremes(samples: &[Sample], bucket_ms: i64) -> Vec<Rollup> {
    let mut out: Vec<Rollup> = Vec::new();
    for s in samples.iter().filter(|s| s.text().is_none()) {
        let t = s.ts.div_euclid(bucket_ms) * bucket_ms;
        if out.last().is_none_or(|r| r.t != t) {
            out.push(Rollup::empty(t));
        }
        let r = out.last_mut().expect("pushed above");
        let Some(v) = s.value() else {
            r.bad += 1;
            continue;
        };
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
    }
    out
}

type Decoder = fn(i64, &[u8]) -> Result<Vec<Rollup>, codec::CodecError>;

fn minutes_with(
    conn: &Connection,
    tag: TagId,
    from: i64,
    to: i64,
    decode: Decoder,
    roll: impl Fn(&[Sample]) -> Vec<Rollup>,
) -> rusqlite::Result<Vec<Rollup>> {
    let mut with_minutes = Vec::new();
    let mut out = load_minutes_with(conn, tag, from, to, decode, &mut with_minutes)?;
    let first_hour = from.div_euclid(HOUR_MS) * HOUR_MS;
    // Hours of the range that have an hour rollup but no stored minutes: both in time
    // order, so one merge-walk finds them.
    let mut sparse: Vec<i64> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT t FROM rollup_1h WHERE tag_id = ?1 AND t >= ?2 AND t < ?3 ORDER BY t",
        )?;
        let mut rows = stmt.query((tag, first_hour, to))?;
        let mut k = 0;
        while let Some(r) = rows.next()? {
            let h: i64 = r.get(0)?;
            while k < with_minutes.len() && with_minutes[k] < h {
                k += 1;
            }
            if with_minutes.get(k) != Some(&h) {
                sparse.push(h);
            }
        }
    }
    if sparse.is_empty() {
        return Ok(out);
    }
    // Runs of neighbouring sparse hours, each read in one go.
    let mut start = 0;
    while start < sparse.len() {
        let mut end = start + 1;
        while end < sparse.len() && sparse[end] == sparse[end - 1] + HOUR_MS {
            end += 1;
        }
        // Whole minutes, as stored ones are.
        let to_edge = (to + MINUTE_MS - 1).div_euclid(MINUTE_MS) * MINUTE_MS;
        let (a, b) = (
            sparse[start].max(from),
            (sparse[end - 1] + HOUR_MS).min(to_edge),
        );
        out.extend(roll(&super::raw::read(conn, tag, a, b)?));
        start = end;
    }
    out.sort_by_key(|m| m.t);
    Ok(out)
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
            .execute((tag, hour, minutes::encode(hour, &minutes)))?;
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
    load_minutes_with(conn, tag, from, to, minutes::decode, &mut Vec::new())
}

/// The stored minutes of `tag` in `[from, to)`, decoded by `decode`; the hours that have
/// a row go into `hours`, in time order.
fn load_minutes_with(
    conn: &Connection,
    tag: TagId,
    from: i64,
    to: i64,
    decode: Decoder,
    hours: &mut Vec<i64>,
) -> rusqlite::Result<Vec<Rollup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT hour, data FROM rollup_1m WHERE tag_id = ?1 AND hour > ?2 AND hour < ?3 ORDER BY hour",
    )?;
    let mut rows = stmt.query((tag, from.saturating_sub(HOUR_MS), to))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let hour: i64 = r.get(0)?;
        hours.push(hour);
        let data = r.get_ref(1)?.as_blob()?;
        match decode(hour, data) {
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
    fn extremes_are_the_rollups_without_their_sums() {
        let s: Vec<Sample> = (0..500)
            .map(|i| match i % 7 {
                0 => Sample::bad(1, i * 700, Quality::NoAnswer),
                _ => Sample::good(1, i * 700, ((i * 31) % 17) as f64),
            })
            .collect();
        let full = rollups(&s, MINUTE_MS);
        let chart = extremes(&s, MINUTE_MS);
        assert_eq!(full.len(), chart.len());
        for (a, b) in full.iter().zip(&chart) {
            assert_eq!(
                (a.t, a.first, a.last, a.min, a.max, a.good, a.bad),
                (b.t, b.first, b.last, b.min, b.max, b.good, b.bad)
            );
        }
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
}
