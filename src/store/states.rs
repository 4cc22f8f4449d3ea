//! Time in each state: how long a state tag (a machine's state code) held each value
//! over a range, exactly, from the raw samples. Charts of long ranges draw a state
//! timeline from a few values per pixel, which cannot say how long each state lasted;
//! this can, for any range, reading a day of samples at a time.
//!
//! A good sample's value holds until the next sample, but not longer than `hold_ms`
//! (the tag's storage interval and two polls, as for chart breaks): after that, and
//! after a bad sample, the time counts as no data.

use std::collections::BTreeMap;

use rusqlite::Connection;
use serde::Serialize;

use super::raw;
use crate::sample::{Sample, TagId};

/// Samples are read this much at a time.
const STEP_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StateTimes {
    /// Milliseconds per value, by value, for values that are whole numbers (state codes).
    pub states: Vec<StateTime>,
    /// Milliseconds with no good value: bad samples, and times without samples.
    pub no_data_ms: i64,
    /// When asked for columns: the range cut into that many equal columns, and the
    /// state that held longest in each (`None`: no data held longest). This is what a
    /// state timeline of a long range draws, one column per pixel.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub columns: Option<Vec<Option<i64>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StateTime {
    pub value: i64,
    pub ms: i64,
}

/// Adds up stretches of state, in total and per column.
struct Tally {
    from: i64,
    to: i64,
    by_value: BTreeMap<i64, i64>,
    no_data: i64,
    /// Per column: milliseconds per state (`None`: no data).
    columns: Vec<BTreeMap<Option<i64>, i64>>,
}

impl Tally {
    /// The start of column `k`.
    fn edge(&self, k: usize) -> i64 {
        let n = self.columns.len() as i128;
        (self.from as i128 + (self.to - self.from) as i128 * k as i128 / n) as i64
    }

    fn column_of(&self, t: i64) -> usize {
        let n = self.columns.len() as i128;
        (((t - self.from) as i128 * n) / (self.to - self.from) as i128) as usize
    }

    fn add(&mut self, since: i64, value: Option<i64>, until: i64) {
        if until <= since {
            return;
        }
        match value {
            Some(v) => *self.by_value.entry(v).or_default() += until - since,
            None => self.no_data += until - since,
        }
        if self.columns.is_empty() {
            return;
        }
        let mut t = since;
        let mut k = self.column_of(since);
        while t < until && k < self.columns.len() {
            let end = self.edge(k + 1).min(until);
            *self.columns[k].entry(value).or_default() += end - t;
            t = end;
            k += 1;
        }
    }
}

/// Why [`state_times_until`] returned no times.
#[derive(Debug, thiserror::Error)]
pub enum StatesError {
    #[error("stopped")]
    Stopped,
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// The time `tag` spent in each state within `[from, to)`, and with `columns` > 0 the
/// longest state in each of that many columns; `to` should not be in the future (time
/// after the newest sample counts as no data once `hold_ms` has passed).
pub fn state_times(
    conn: &mut Connection,
    tag: TagId,
    from: i64,
    to: i64,
    hold_ms: i64,
    columns: usize,
) -> rusqlite::Result<StateTimes> {
    state_times_until(conn, tag, from, to, hold_ms, columns, &|| false).map_err(|e| match e {
        StatesError::Sqlite(e) => e,
        StatesError::Stopped => rusqlite::Error::QueryReturnedNoRows,
    })
}

/// [`state_times`], checking `stop` before each day read: when it says stop (the client
/// went away, Plantlog is stopping), it returns [`StatesError::Stopped`].
pub fn state_times_until(
    conn: &mut Connection,
    tag: TagId,
    from: i64,
    to: i64,
    hold_ms: i64,
    columns: usize,
    stop: &dyn Fn() -> bool,
) -> Result<StateTimes, StatesError> {
    let mut tally = Tally {
        from,
        to,
        by_value: BTreeMap::new(),
        no_data: 0,
        columns: vec![BTreeMap::new(); columns],
    };
    // The value in force and since when (clipped to `from`).
    let mut current: Option<(i64, Option<i64>)> = None;
    let mut add = |since: i64, value: Option<i64>, until: i64| tally.add(since, value, until);
    let state = |s: &Sample| {
        s.value()
            .filter(|v| v.is_finite())
            .map(|v| v.round() as i64)
    };

    // The sample in force at `from`: the last one within `hold_ms` before it.
    let tx = conn.transaction()?;
    let before = raw::read(&tx, tag, from.saturating_sub(hold_ms), from)?;
    tx.commit()?;
    if let Some(s) = before.last() {
        current = Some((s.ts, state(s)));
    }
    let mut since = from;
    let mut start = from;
    while start < to {
        if stop() {
            return Err(StatesError::Stopped);
        }
        let end = start.saturating_add(STEP_MS).min(to);
        let tx = conn.transaction()?;
        let samples = raw::read(&tx, tag, start, end)?;
        tx.commit()?;
        for s in samples {
            let v = state(&s);
            match current {
                Some((ts, value)) => account(&mut add, ts, value, since, s.ts, hold_ms),
                None => add(since, None, s.ts),
            }
            current = Some((s.ts, v));
            since = s.ts;
        }
        start = end;
    }
    match current {
        Some((ts, value)) => account(&mut add, ts, value, since, to, hold_ms),
        None => add(since, None, to),
    }
    let columns = (columns > 0).then(|| {
        tally
            .columns
            .iter()
            .map(|c| {
                c.iter()
                    .max_by_key(|(v, ms)| (**ms, v.is_some()))
                    .and_then(|(v, _)| *v)
            })
            .collect()
    });
    Ok(StateTimes {
        states: tally
            .by_value
            .into_iter()
            .filter(|(_, ms)| *ms > 0)
            .map(|(value, ms)| StateTime { value, ms })
            .collect(),
        no_data_ms: tally.no_data,
        columns,
    })
}

/// Counts the stretch `[since, until)` of a value that was read at `read_at`: it holds
/// until `read_at + hold_ms`, then it is no data.
fn account(
    add: &mut impl FnMut(i64, Option<i64>, i64),
    read_at: i64,
    value: Option<i64>,
    since: i64,
    until: i64,
    hold_ms: i64,
) {
    let held_until = (read_at + hold_ms).clamp(since, until);
    if value.is_some() {
        add(since, value, held_until);
        add(held_until, None, until);
    } else {
        add(since, None, until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;

    fn db() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut conn = super::super::open(&path, super::super::Durability::Normal).unwrap();
        super::super::migrate(&mut conn, &path).unwrap();
        (dir, conn)
    }

    fn times(t: &StateTimes) -> Vec<(i64, i64)> {
        t.states.iter().map(|s| (s.value, s.ms)).collect()
    }

    #[test]
    fn each_state_holds_until_the_next_sample_or_the_hold() {
        let (_dir, mut conn) = db();
        let h = 3_600_000;
        // Running (1) from 0, stopped (0) at 10 min, a bad sample at 20 min, running
        // again at 25 min, then nothing after 40 min (hold 5 min: data to 45 min).
        let samples = [
            Sample::good(1, 0, 1.0),
            Sample::good(1, 60_000, 1.0),
            Sample::good(1, 600_000, 0.0),
            Sample::bad(1, 1_200_000, Quality::NoAnswer),
            Sample::good(1, 1_500_000, 1.0),
            Sample::good(1, 2_400_000, 1.0),
        ];
        super::super::backfill::backfill(&mut conn, samples[..3].to_vec()).unwrap();
        raw::insert(&conn, &samples[3..]).unwrap();
        let t = state_times(&mut conn, 1, 0, h, 300_000, 0).unwrap();
        // Running: 0-1 min, 1-6 min (held 5 min, then no data to 10), 25-30, 40-45.
        // Stopped: 10-15 (held 5 min; no data 15-20). Bad 20-25.
        assert_eq!(
            times(&t),
            vec![(0, 300_000), (1, 60_000 + 300_000 + 300_000 + 300_000)]
        );
        assert_eq!(t.no_data_ms, h - 300_000 - 960_000);
        // A range starting inside a stretch takes the value in force.
        let t = state_times(&mut conn, 1, 30_000, 90_000, 300_000, 0).unwrap();
        assert_eq!(times(&t), vec![(1, 60_000)]);
        assert_eq!(t.no_data_ms, 0);
        // Ranges that add up: two halves give the whole.
        let a = state_times(&mut conn, 1, 0, 1_000_000, 300_000, 0).unwrap();
        let b = state_times(&mut conn, 1, 1_000_000, h, 300_000, 0).unwrap();
        let whole = state_times(&mut conn, 1, 0, h, 300_000, 0).unwrap();
        let sum = |v: i64| {
            [&a, &b]
                .iter()
                .flat_map(|t| t.states.iter())
                .filter(|s| s.value == v)
                .map(|s| s.ms)
                .sum::<i64>()
        };
        assert_eq!(sum(1), 960_000);
        assert_eq!(sum(0), 300_000);
        assert_eq!(a.no_data_ms + b.no_data_ms, whole.no_data_ms);
        // Twelve columns of five minutes: running, no data, stopped, no data x2,
        // running, no data x2, running, no data x3.
        let t = state_times(&mut conn, 1, 0, h, 300_000, 12).unwrap();
        assert_eq!(
            t.columns.unwrap(),
            vec![
                Some(1),
                None,
                Some(0),
                None,
                None,
                Some(1),
                None,
                None,
                Some(1),
                None,
                None,
                None
            ]
        );
        // Three columns of 20 minutes: running 6 min vs no data 14 -> no data; and so on.
        let t = state_times(&mut conn, 1, 0, h, 300_000, 3).unwrap();
        assert_eq!(t.columns.unwrap(), vec![None, None, None]);
        // Asked to stop, it stops.
        assert!(matches!(
            state_times_until(&mut conn, 1, 0, h, 300_000, 0, &|| true),
            Err(StatesError::Stopped)
        ));
        // Five columns of two minutes.
        let t = state_times(&mut conn, 1, 0, 600_000, 300_000, 5).unwrap();
        assert_eq!(
            t.columns.unwrap(),
            vec![Some(1), Some(1), Some(1), None, None]
        );
    }
}
