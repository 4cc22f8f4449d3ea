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
pub fn rollups(samples: &[Sample], bucket_ms: i64) -> Vec<Rollup> {
    let mut out: Vec<Rollup> = Vec::new();
    let numeric: Vec<&Sample> = samples.iter().filter(|s| s.text().is_none()).collect();
    for (i, s) in numeric.iter().enumerate() {
        let t = s.ts.div_euclid(bucket_ms) * bucket_ms;
        if out.last().is_none_or(|r| r.t != t) {
            out.push(Rollup::empty(t));
        }
        let r = out.last_mut().expect("pushed above");
        let Some(v) = s.value() else {
            r.bad += 1;
            continue;
        };
        let end = numeric
            .get(i + 1)
            .map_or(t + bucket_ms, |n| n.ts.min(t + bucket_ms));
        let dt = (end - s.ts).max(0);
        r.merge(&Rollup {
            t,
            first: Some((s.ts, v)),
            last: Some((s.ts, v)),
            min: Some((s.ts, v)),
            max: Some((s.ts, v)),
            sum: v,
            twa_sum: v * dt as f64,
            twa_ms: dt,
            good: 1,
            bad: 0,
        });
    }
    out
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
    pub fn name(self) -> &'static str {
        match self {
            Table::Minute => "rollup_1m",
            Table::Hour => "rollup_1h",
        }
    }

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
    conn.prepare_cached(&format!(
        "DELETE FROM {} WHERE tag_id = ?1 AND t >= ?2 AND t < ?3",
        table.name()
    ))?
    .execute((tag, from, to))?;
    let mut insert = conn.prepare_cached(&format!(
        "INSERT INTO {} (tag_id, t, first_ts, first, last_ts, last, min_ts, min, max_ts, max,
             sum, twa_sum, twa_ms, good, bad)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        table.name()
    ))?;
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

/// The rollups of `tag` with `from <= t < to`, in time order.
pub fn load(
    conn: &Connection,
    table: Table,
    tag: TagId,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<Rollup>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t, first_ts, first, last_ts, last, min_ts, min, max_ts, max, sum, twa_sum, twa_ms, good, bad
         FROM {} WHERE tag_id = ?1 AND t >= ?2 AND t < ?3 ORDER BY t",
        table.name()
    ))?;
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
