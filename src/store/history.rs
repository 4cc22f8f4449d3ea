//! Reading a tag's samples back for a chart: a time range reduced to at most four
//! points per pixel column (first, smallest, largest, last), which draws exactly the
//! same line as all the samples would. Breaks in the line come back as nulls: a bad
//! sample, or no sample for longer than the gap threshold (Plantlog was not running,
//! or the device was not polled).

use rusqlite::Connection;
use serde::Serialize;

use crate::sample::{Quality, TagId};

/// A chart series: times and values, `None` where the line breaks.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct History {
    pub t: Vec<i64>,
    pub v: Vec<Option<f64>>,
}

/// Samples of `tag` with `from <= ts < to`, reduced for a chart `points` pixels wide.
/// Consecutive good samples further apart than `gap_ms` (or a pixel column, when that
/// is wider) are drawn with a break between them.
pub fn history(
    conn: &Connection,
    tag: TagId,
    from: i64,
    to: i64,
    points: u32,
    gap_ms: i64,
) -> rusqlite::Result<History> {
    let points = i64::from(points.max(1));
    let span = (to - from).max(1);
    let column = |ts: i64| ((ts - from) as i128 * points as i128 / span as i128) as i64;
    let column_ms = span / points;
    let gap = gap_ms.max(column_ms);

    let mut stmt = conn.prepare_cached(
        "SELECT ts, value, quality FROM samples WHERE tag_id = ?1 AND ts >= ?2 AND ts < ?3 ORDER BY ts",
    )?;
    let rows = stmt.query_map((tag, from, to), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<crate::sample::Value>>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;

    let mut out = History::default();
    let mut bucket = Bucket::default();
    let mut last_good_ts: Option<i64> = None;
    let mut broken = true; // nothing drawn yet, so no break needed
    for row in rows {
        let (ts, value, quality) = row?;
        let good = Quality::from_code(quality).is_some_and(Quality::is_good);
        let value = match value {
            Some(crate::sample::Value::Number(v)) if good && v.is_finite() => Some(v),
            _ => None,
        };
        let col = column(ts);
        match value {
            Some(v) => {
                let gapped = last_good_ts.is_some_and(|last| ts - last > gap);
                if gapped || bucket.column != Some(col) {
                    bucket.flush(&mut out);
                    if gapped && !broken {
                        out.t.push(last_good_ts.unwrap_or(ts) + 1);
                        out.v.push(None);
                    }
                    bucket.column = Some(col);
                }
                bucket.add(ts, v);
                broken = false;
                last_good_ts = Some(ts);
            }
            None => {
                bucket.flush(&mut out);
                if !broken {
                    out.t.push(ts);
                    out.v.push(None);
                    broken = true;
                }
                last_good_ts = None;
            }
        }
    }
    bucket.flush(&mut out);
    Ok(out)
}

/// First, smallest, largest and last sample of one pixel column (within one unbroken
/// stretch of the line).
#[derive(Default)]
struct Bucket {
    column: Option<i64>,
    first: Option<(i64, f64)>,
    min: Option<(i64, f64)>,
    max: Option<(i64, f64)>,
    last: Option<(i64, f64)>,
}

impl Bucket {
    fn add(&mut self, ts: i64, v: f64) {
        if self.first.is_none() {
            self.first = Some((ts, v));
        }
        if self.min.is_none_or(|(_, m)| v < m) {
            self.min = Some((ts, v));
        }
        if self.max.is_none_or(|(_, m)| v > m) {
            self.max = Some((ts, v));
        }
        self.last = Some((ts, v));
    }

    fn flush(&mut self, out: &mut History) {
        let mut pts: Vec<(i64, f64)> = [self.first, self.min, self.max, self.last]
            .into_iter()
            .flatten()
            .collect();
        pts.sort_by_key(|p| p.0);
        pts.dedup_by_key(|p| p.0);
        for (ts, v) in pts {
            out.t.push(ts);
            out.v.push(Some(v));
        }
        *self = Bucket::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Sample;

    fn insert(conn: &Connection, samples: &[Sample]) {
        for s in samples {
            conn.execute(
                "INSERT INTO samples (tag_id, ts, value, quality) VALUES (?1, ?2, ?3, ?4)",
                (s.tag_id, s.ts, s.value(), s.quality.code()),
            )
            .unwrap();
        }
    }

    #[test]
    fn reduces_to_four_points_per_column_keeping_extremes() {
        let conn = crate::store::memory();
        let samples: Vec<_> = (0..1000)
            .map(|i| Sample::good(1, i * 1000, ((i * 37) % 101) as f64))
            .collect();
        insert(&conn, &samples);
        let h = history(&conn, 1, 0, 1_000_000, 10, 3000).unwrap();
        assert!(h.t.len() <= 40, "{}", h.t.len());
        let max = h.v.iter().flatten().cloned().fold(f64::MIN, f64::max);
        let min = h.v.iter().flatten().cloned().fold(f64::MAX, f64::min);
        assert_eq!((min, max), (0.0, 100.0));
        assert!(h.t.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn outage_and_bad_quality_are_breaks() {
        let conn = crate::store::memory();
        insert(
            &conn,
            &[
                Sample::good(1, 0, 1.0),
                Sample::good(1, 1000, 2.0),
                // Plantlog not running from 1 s to 60 s
                Sample::good(1, 60_000, 3.0),
                Sample::bad(1, 61_000, Quality::NoAnswer),
                Sample::bad(1, 62_000, Quality::NoAnswer),
                Sample::good(1, 63_000, 4.0),
            ],
        );
        let h = history(&conn, 1, 0, 64_000, 1000, 3000).unwrap();
        assert_eq!(
            h.v,
            vec![Some(1.0), Some(2.0), None, Some(3.0), None, Some(4.0)]
        );
    }
}
