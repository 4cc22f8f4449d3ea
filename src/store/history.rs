//! Reading a tag back for a chart: a time range and a width in pixels become at most
//! four points per pixel column (first, smallest, largest, last, "M4"), which draws the
//! same line as all the samples would. The source is chosen by the width of a column:
//! hour rollups for columns of an hour or more, minute rollups for a minute or more
//! (rolled up from the samples for hours too sparse to store them), raw samples (blocks
//! and hot rows) below that; the hours not closed yet come from the raw samples in
//! every case.
//!
//! Breaks in the line come back as nulls: a bad sample, or no sample for longer than
//! the gap threshold (Plantlog was not running, or the device was not polled).

use rusqlite::Connection;
use serde::Serialize;

use super::rollup::{self, HOUR_MS, MINUTE_MS, Rollup, Table};
use super::{blocks, raw};
use crate::sample::TagId;

/// A chart series: times and values, `None` where the line breaks.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct History {
    pub t: Vec<i64>,
    pub v: Vec<Option<f64>>,
}

impl History {
    fn point(&mut self, t: i64, v: f64) {
        if self.t.last().is_some_and(|last| *last >= t) {
            return; // one value per time; the line only goes forward
        }
        self.t.push(t);
        self.v.push(Some(v));
    }

    fn gap(&mut self, t: i64) {
        if let Some(Some(_)) = self.v.last() {
            let t = self.t.last().map_or(t, |last| t.max(last + 1));
            self.t.push(t);
            self.v.push(None);
        }
    }
}

/// The series of `tag` over `from <= t < to` for a chart `points` pixels wide. Good
/// samples further apart than `gap_ms` (or a pixel column, when that is wider) are drawn
/// with a break between them.
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
    let pixel_ms = (span / points).max(1);
    let table = if pixel_ms >= HOUR_MS {
        Some(Table::Hour)
    } else if pixel_ms >= MINUTE_MS {
        Some(Table::Minute)
    } else {
        None
    };
    let Some(table) = table else {
        return raw_history(conn, tag, from, to, points, gap_ms);
    };

    // Rollups cover the closed hours; the rest is still hot rows and fresh blocks.
    let bucket = table.bucket_ms();
    // The oldest hot sample of any tag (a hot row holds all tags of a commit; in
    // operation every tag's hot samples start in the same window).
    let hot_from: Option<i64> = super::hot::oldest(conn)?;
    let open_from = [hot_from, blocks::fresh_from(conn)?]
        .into_iter()
        .flatten()
        .min()
        .map_or(i64::MAX, |t| t.div_euclid(HOUR_MS) * HOUR_MS);
    let split = open_from.clamp(from, to);
    let first_bucket = from.div_euclid(bucket) * bucket;
    let mut rollups = match table {
        Table::Minute => rollup::chart_minutes(conn, tag, first_bucket, split)?,
        Table::Hour => rollup::load(conn, table, tag, first_bucket, split)?,
    };
    if split < to {
        // Raw samples from the start of the split's bucket, so that bucket is whole.
        let start = split.div_euclid(bucket) * bucket;
        rollups.retain(|r| r.t < start);
        let recent = raw::read(conn, tag, start, to)?;
        let minutes = rollup::extremes(&recent, MINUTE_MS);
        rollups.extend(if table == Table::Hour {
            rollup::merge_into(&minutes, HOUR_MS)
        } else {
            minutes
        });
    }

    // Columns: whole buckets, as many as fit in a pixel.
    let col_ms = bucket * (pixel_ms / bucket).max(1);
    let gap = gap_ms.max(col_ms);
    let mut out = History::default();
    let mut column: Option<(i64, Rollup)> = None;
    let mut last_good: Option<i64> = None;
    let flush = |out: &mut History, c: &Rollup, last_good: &mut Option<i64>| {
        let mut pts: Vec<(i64, f64)> = [c.first, c.min, c.max, c.last]
            .into_iter()
            .flatten()
            .collect();
        pts.sort_by_key(|p| p.0);
        if let (Some(prev), Some(first)) = (*last_good, pts.first())
            && first.0 - prev > gap
        {
            out.gap(prev + 1);
        }
        for (t, v) in &pts {
            out.point(*t, *v);
        }
        if let Some(p) = pts.last() {
            *last_good = Some(p.0);
        }
        if c.bad > 0 {
            let at = c.last.map_or(c.t, |l| l.0 + 1);
            out.gap(at);
        }
    };
    for r in rollups.iter().filter(|r| r.t + bucket > from && r.t < to) {
        let col = r.t.div_euclid(col_ms) * col_ms;
        match &mut column {
            Some((c, acc)) if *c == col => acc.merge(r),
            _ => {
                if let Some((_, acc)) = column.take() {
                    flush(&mut out, &acc, &mut last_good);
                }
                let mut acc = Rollup::empty(col);
                acc.merge(r);
                column = Some((col, acc));
            }
        }
    }
    if let Some((_, acc)) = column {
        flush(&mut out, &acc, &mut last_good);
    }
    Ok(out)
}

/// M4 over raw samples, with breaks at bad samples and at gaps longer than `gap_ms` or a
/// pixel column.
fn raw_history(
    conn: &Connection,
    tag: TagId,
    from: i64,
    to: i64,
    points: i64,
    gap_ms: i64,
) -> rusqlite::Result<History> {
    let span = (to - from).max(1);
    let column = |ts: i64| ((ts - from) as i128 * points as i128 / span as i128) as i64;
    let gap = gap_ms.max(span / points);
    let samples = raw::read(conn, tag, from, to)?;

    let mut out = History::default();
    let mut bucket = Bucket::default();
    let mut last_good_ts: Option<i64> = None;
    for s in &samples {
        let col = column(s.ts);
        match s.value().filter(|v| v.is_finite()) {
            Some(v) => {
                let gapped = last_good_ts.is_some_and(|last| s.ts - last > gap);
                if gapped || bucket.column != Some(col) {
                    bucket.flush(&mut out);
                    if gapped {
                        out.gap(last_good_ts.unwrap_or(s.ts) + 1);
                    }
                    bucket.column = Some(col);
                }
                bucket.add(s.ts, v);
                last_good_ts = Some(s.ts);
            }
            None => {
                bucket.flush(&mut out);
                out.gap(s.ts);
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
        for (ts, v) in pts {
            out.point(ts, v);
        }
        *self = Bucket::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{Quality, Sample};
    use crate::store::compact;

    #[test]
    fn reduces_to_four_points_per_column_keeping_extremes() {
        let conn = crate::store::memory();
        let samples: Vec<_> = (0..1000)
            .map(|i| Sample::good(1, i * 1000, ((i * 37) % 101) as f64))
            .collect();
        raw::insert(&conn, &samples).unwrap();
        let h = history(&conn, 1, 0, 1_000_000, 100, 3000).unwrap();
        assert!(h.t.len() <= 400, "{}", h.t.len());
        let max = h.v.iter().flatten().cloned().fold(f64::MIN, f64::max);
        let min = h.v.iter().flatten().cloned().fold(f64::MAX, f64::min);
        assert_eq!((min, max), (0.0, 100.0));
        assert!(h.t.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn outage_and_bad_quality_are_breaks() {
        let conn = crate::store::memory();
        raw::insert(
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
        )
        .unwrap();
        let h = history(&conn, 1, 0, 64_000, 1000, 3000).unwrap();
        assert_eq!(
            h.v,
            vec![Some(1.0), Some(2.0), None, Some(3.0), None, Some(4.0)]
        );
    }

    #[test]
    fn long_ranges_come_from_rollups_and_match_the_raw_line() {
        let mut conn = crate::store::memory();
        let day = 86_400_000;
        // Two days of a 10 s tag with a 3 hour outage and a bad hour.
        let mut samples = Vec::new();
        for i in 0..(2 * day / 10_000) {
            let ts = i * 10_000;
            if (20 * HOUR_MS..23 * HOUR_MS).contains(&ts) {
                continue;
            }
            samples.push(if (30 * HOUR_MS..31 * HOUR_MS).contains(&ts) {
                Sample::bad(1, ts, Quality::NoAnswer)
            } else {
                Sample::good(1, ts, ((i * 7919) % 1000) as f64 / 10.0)
            });
        }
        raw::insert(&conn, &samples).unwrap();
        let raw_line = history(&conn, 1, 0, 2 * day, 2000, 30_000).unwrap();
        compact::compact(&mut conn, 3 * day, std::time::Duration::from_secs(60)).unwrap();
        // 2 days in 48 columns: hour rollups.
        let coarse = history(&conn, 1, 0, 2 * day, 48, 30_000).unwrap();
        assert!(coarse.t.len() <= 48 * 4 + 10, "{}", coarse.t.len());
        // The extremes of the line are the extremes of the data.
        let extremes = |h: &History| {
            let vals: Vec<f64> = h.v.iter().flatten().copied().collect();
            (
                vals.iter().copied().fold(f64::MAX, f64::min),
                vals.iter().copied().fold(f64::MIN, f64::max),
            )
        };
        assert_eq!(extremes(&coarse), extremes(&raw_line));
        // The outage and the bad hour are breaks.
        let breaks: Vec<i64> = coarse
            .t
            .iter()
            .zip(&coarse.v)
            .filter(|(_, v)| v.is_none())
            .map(|(t, _)| *t)
            .collect();
        assert!(
            breaks
                .iter()
                .any(|t| (19 * HOUR_MS..21 * HOUR_MS).contains(t)),
            "{breaks:?}"
        );
        assert!(
            breaks
                .iter()
                .any(|t| (29 * HOUR_MS..32 * HOUR_MS).contains(t)),
            "{breaks:?}"
        );
        // Minute columns too, and a range that is partly still raw.
        raw::insert(&conn, &[Sample::good(1, 2 * day + 5_000, 99.0)]).unwrap();
        let fine = history(&conn, 1, day, 2 * day + 60_000, 1400, 30_000).unwrap();
        assert_eq!(fine.t.last(), Some(&(2 * day + 5_000)));
    }
}
