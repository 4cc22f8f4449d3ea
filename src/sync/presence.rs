//! What the central server needs to measure completeness (issue 14): each rollups batch
//! carries, as records beside the rollups, the plant's shifts over its hours (from the
//! shift calendar and time zone of the running configuration), each tag's expected
//! storage interval and recording policy, the periods Plantlog was not running on this
//! PC, and the periods a tag's device did not answer. The minute rollups carry the
//! samples that arrived (their good count); these say what was expected and why some
//! did not come.
//!
//! Plantlog's runs are recorded here too: the sync task runs whenever Plantlog does
//! (idle while sync is off), so it notes its start, a sign of life every few seconds and
//! a clean stop in `runs` (migration 18).

use rusqlite::{Connection, params};
use serde_json::json;

use super::wire::Record;
use crate::sample::{Quality, Sample};

/// How often a running Plantlog writes that it is alive (the precision of "Plantlog not
/// running" after a crash or power cut; a clean stop is exact).
pub const ALIVE_EVERY_MS: i64 = 10_000;

/// Notes the start of a run; returns its id.
pub fn run_started(conn: &Connection, now: i64) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO runs (started_at, alive_at) VALUES (?1, ?1)",
        [now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The run is still going at `now` (or, with `stopped`, ended cleanly then).
pub fn run_alive(conn: &Connection, run: i64, now: i64, stopped: bool) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE runs SET alive_at = max(alive_at, ?2),
             stopped_at = CASE WHEN ?3 THEN ?2 ELSE stopped_at END WHERE id = ?1",
        params![run, now, stopped],
    )?;
    Ok(())
}

/// The periods Plantlog was not running that overlap [from, to): from a run's end (its
/// clean stop, or its last sign of life) to the next run's start.
pub fn down_periods(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT end_ts, next_start FROM (
             SELECT coalesce(stopped_at, alive_at) AS end_ts,
                    lead(started_at) OVER (ORDER BY started_at, id) AS next_start
             FROM runs)
         WHERE next_start IS NOT NULL AND next_start > end_ts AND end_ts < ?2 AND next_start > ?1
         ORDER BY end_ts",
    )?;
    stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// The stretches of `samples` (one tag's, in time order, over [from, to)) in which its
/// device did not answer: from the first sample without an answer to the next sample
/// with one, at most one storage interval after the last sample without an answer. A
/// stretch going on at `from` (the tag's sample before it had no answer: `before`)
/// starts at `from`; one going on at `to` ends there, and the next batch continues it.
pub fn offline_periods(
    samples: &[Sample],
    before: Option<&Sample>,
    interval_ms: i64,
    from: i64,
    to: i64,
) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut open: Option<(i64, i64)> = before
        .filter(|s| s.quality == Quality::NoAnswer && s.ts + interval_ms > from)
        .map(|s| (from, s.ts));
    for s in samples.iter().filter(|s| s.ts >= from && s.ts < to) {
        match (&mut open, s.quality == Quality::NoAnswer) {
            (Some((_, last)), true) => *last = s.ts,
            (None, true) => open = Some((s.ts, s.ts)),
            (Some((start, last)), false) => {
                out.push((*start, s.ts.min(*last + interval_ms)));
                open = None;
            }
            (None, false) => {}
        }
    }
    if let Some((start, last)) = open {
        out.push((start, (last + interval_ms).min(to)));
    }
    out
}

/// The completeness records of a rollups batch over the hours [first, to), whose stream
/// position is `position`: the shifts overlapping the hours, every configured tag's
/// interval and policy, Plantlog's down periods overlapping [position, to), and per tag
/// with samples without an answer in the hours its device's offline stretches.
/// `bad_tags`: the tags whose minute rollups in the hours count bad samples.
pub fn records(
    conn: &Connection,
    position: i64,
    first: i64,
    to: i64,
    bad_tags: &[i64],
) -> rusqlite::Result<Vec<Record>> {
    let mut out = Vec::new();
    let plant = match crate::config::load_plant(conn) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!("sync: no completeness facts in this batch: {e}");
            return Ok(out);
        }
    };
    let calendar = crate::production::calendar::Calendar::new(&plant.config);
    for s in calendar.shifts_between(first, to) {
        out.push(Record {
            kind: "shift".into(),
            key: s.start.to_string(),
            at: s.start,
            data: json!({
                "name": s.name,
                "day": s.day.to_string(),
                "from_ts": s.start,
                "to_ts": s.end,
                "timezone": plant.config.site.timezone,
            }),
        });
    }
    let mut intervals = std::collections::HashMap::new();
    for t in plant.tags() {
        let interval = t.tag.storage_interval_ms(t.device);
        intervals.insert(t.id, interval);
        let record = serde_json::to_value(t.tag.record).unwrap_or(serde_json::Value::Null);
        out.push(Record {
            kind: "tag".into(),
            key: t.id.to_string(),
            at: first,
            data: json!({
                "tag": t.id,
                "device": t.device.key,
                "name": t.tag.name,
                "interval_ms": interval,
                "poll_ms": t.tag.effective_poll_ms(t.device),
                "record": record,
            }),
        });
    }
    for (a, b) in down_periods(conn, position, to)? {
        out.push(Record {
            kind: "plantlog_down".into(),
            key: a.to_string(),
            at: a,
            data: json!({ "from_ts": a, "to_ts": b }),
        });
    }
    for &tag in bad_tags {
        let Some(&interval) = intervals.get(&tag) else {
            continue;
        };
        let samples = crate::store::raw::read(conn, tag, first, to)?;
        let before = crate::store::raw::read(conn, tag, first - interval, first)?;
        for (a, b) in offline_periods(&samples, before.last(), interval, first, to) {
            out.push(Record {
                kind: "device_offline".into(),
                key: format!("{tag}@{a}"),
                at: a,
                data: json!({ "tag": tag, "from_ts": a, "to_ts": b }),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_stretches_end_at_the_next_answer_or_one_interval_after() {
        let bad = |ts| Sample::bad(1, ts, Quality::NoAnswer);
        let good = |ts| Sample::good(1, ts, 1.0);
        // Answers, no answer 3..=5, an answer at 6; no answer from 9 to the end.
        let s = vec![good(1), good(2), bad(3), bad(4), bad(5), good(6), bad(9)];
        assert_eq!(offline_periods(&s, None, 1, 0, 20), vec![(3, 6), (9, 10)]);
        // An answer long after (Plantlog was not running meanwhile): one interval.
        let s = vec![bad(3), good(50)];
        assert_eq!(offline_periods(&s, None, 2, 0, 60), vec![(3, 5)]);
        // Going on at the start: from the start; at the end: to the end.
        let s = vec![bad(10), bad(11), good(12), bad(18), bad(19)];
        assert_eq!(
            offline_periods(&s, Some(&bad(9)), 1, 10, 20),
            vec![(10, 12), (18, 20)]
        );
        // A bad sample of another kind (an exception) is not "offline".
        let s = vec![Sample::bad(1, 3, Quality::Exception(2)), good(4)];
        assert!(offline_periods(&s, None, 1, 0, 10).is_empty());
    }
}
