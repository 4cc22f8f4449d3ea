//! Figures' inputs from stored history: a machine's samples followed through the same
//! code as the live engine's, kept as hourly summaries (production_hours) so that a
//! year is read from summaries, not from every counter reading. Hours that are not yet
//! closed (the last quarter of an hour and more) are followed from the raw samples.
//!
//! Summaries are derived data: an import of samples removes those from its first hour
//! on ([`invalidate`]), and a summary made with another recipe (another state tag, map
//! or counter) is made again.

use rusqlite::{Connection, OptionalExtension, params};

use super::compute::{MachineData, Timeline};
use super::summary::{HOUR_MS, MINUTE_MS, Summary};
use super::timeline::{self, Carry, Out, Recipe};
use crate::sample::Sample;
use crate::store::raw;

/// An hour is summarised once it ended this long ago (late samples and the compactor's
/// grace are well within it).
pub const CLOSED_AFTER_MS: i64 = 15 * 60 * 1000;

/// Hours are built a day at a time (one read of each tag, one transaction).
const BUILD_HOURS: i64 = 24;

fn floor_hour(t: i64) -> i64 {
    t.div_euclid(HOUR_MS) * HOUR_MS
}

/// The first hour with a closed end at `now`: hours before it are summarised.
pub fn closed_before(now: i64) -> i64 {
    floor_hour(now - CLOSED_AFTER_MS)
}

/// The samples of `tags` in [from, to), in time order (ties in tag order).
fn samples(conn: &Connection, tags: &[i64], from: i64, to: i64) -> rusqlite::Result<Vec<Sample>> {
    let mut all = Vec::new();
    for &t in tags {
        all.extend(raw::read(conn, t, from, to)?);
    }
    all.sort_by_key(|s| s.ts);
    Ok(all)
}

/// When the first stored sample of any of `tags` is.
fn first_sample(conn: &Connection, tags: &[i64]) -> rusqlite::Result<Option<i64>> {
    // The hot rows hold every tag of a commit: read once, for all of `tags`.
    let mut first: Option<i64> = crate::store::hot::of_tags(conn, tags)?
        .first()
        .map(|s| s.ts);
    for &t in tags {
        let b: Option<i64> =
            conn.query_row("SELECT min(t0) FROM blocks WHERE tag_id = ?1", [t], |r| {
                r.get(0)
            })?;
        if let Some(v) = b {
            first = Some(first.map_or(v, |f: i64| f.min(v)));
        }
    }
    Ok(first)
}

/// The newest summary of a machine before hour `before` made with `recipe`.
fn latest(
    conn: &Connection,
    machine: i64,
    recipe: i64,
    before: i64,
) -> rusqlite::Result<Option<Summary>> {
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT hour, data FROM production_hours WHERE machine_id = ?1 AND recipe = ?2
             AND hour < ?3 ORDER BY hour DESC LIMIT 1",
            params![machine, recipe, before],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.and_then(|(h, d)| Summary::decode(h, &d)))
}

/// Removes a machine's summaries from the hour of `from` on (its samples changed).
pub fn invalidate(conn: &Connection, machine: i64, from: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM production_hours WHERE machine_id = ?1 AND hour >= ?2",
        params![machine, floor_hour(from)],
    )
}

/// Makes the summaries of every closed hour before `until` that are missing, from the
/// newest one there is (or the first stored sample). Returns the hours made.
pub fn ensure(
    conn: &mut Connection,
    machine: i64,
    recipe: &Recipe,
    until: i64,
) -> rusqlite::Result<usize> {
    let fp = recipe.fingerprint();
    // All of a machine's summaries have one recipe (a new one replaces them all), so the
    // newest one tells.
    let newest: Option<i64> = conn
        .query_row(
            "SELECT recipe FROM production_hours WHERE machine_id = ?1 ORDER BY hour DESC LIMIT 1",
            [machine],
            |r| r.get(0),
        )
        .optional()?;
    if newest.is_some_and(|r| r != fp) {
        conn.execute(
            "DELETE FROM production_hours WHERE machine_id = ?1",
            [machine],
        )?;
    }
    let tags = recipe.tags();
    let (mut hour, mut carry) = match latest(conn, machine, fp, until)? {
        Some(s) => (s.hour + HOUR_MS, s.end),
        None => match first_sample(conn, &tags)? {
            Some(t) => (floor_hour(t), Carry::default()),
            None => return Ok(0),
        },
    };
    let mut made = 0;
    // Summaries are derived: one lost to a power cut is made again from the samples at
    // the next call. So their commits are not each flushed to the disk (a month of 30
    // machines is 900 commits): what a power cut can take is the last of them, and the
    // database stays whole (WAL). The connection's own setting is put back after.
    let sync: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0))?;
    if hour < until && sync > 1 {
        conn.pragma_update(None, "synchronous", "NORMAL")?;
    }
    let built = build_hours(
        conn, machine, recipe, fp, &tags, &mut hour, &mut carry, until, &mut made,
    );
    if sync > 1 {
        conn.pragma_update(None, "synchronous", sync)?;
    }
    built?;
    Ok(made)
}

/// The summaries of [`ensure`] from `hour` to `until`, a day at a time.
#[allow(clippy::too_many_arguments)]
fn build_hours(
    conn: &mut Connection,
    machine: i64,
    recipe: &Recipe,
    fp: i64,
    tags: &[i64],
    hour: &mut i64,
    carry: &mut Carry,
    until: i64,
    made: &mut usize,
) -> rusqlite::Result<()> {
    while *hour < until {
        let chunk_end = (*hour + BUILD_HOURS * HOUR_MS).min(until);
        let all = samples(conn, tags, *hour, chunk_end)?;
        let tx = crate::store::write_tx(conn)?;
        {
            let mut put = tx.prepare_cached(
                "INSERT OR REPLACE INTO production_hours (machine_id, hour, recipe, data)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut i = 0;
            let mut out = Out::default();
            while *hour < chunk_end {
                let end = *hour + HOUR_MS;
                let start = carry.clone();
                out.clear();
                while i < all.len() && all[i].ts < end {
                    timeline::push(recipe, carry, &all[i], &mut out);
                    i += 1;
                }
                timeline::advance(recipe, carry, end, &mut out);
                let s = Summary::of(*hour, start, carry.clone(), &out);
                put.execute(params![machine, *hour, fp, s.encode()])?;
                *made += 1;
                *hour = end;
            }
        }
        tx.commit()?;
    }
    Ok(())
}

/// How exact the parts of a range must be.
pub enum Exact<'a> {
    /// Parts per sample everywhere (the live engine's seed).
    Samples,
    /// Exact to these times (every period boundary and ideal cycle change): parts per
    /// minute, added up between consecutive cuts, except in hours where a cut falls
    /// inside a minute (those are followed from their samples).
    Cuts(&'a [i64]),
}

/// Adds an hour's per-minute counts to `out`, one step per stretch between consecutive
/// `bounds` (sorted times inside the hour), at the stretch's first minute with parts;
/// minutes outside the range are left out.
fn gather(
    hour: i64,
    minutes: &[(u8, i64)],
    bounds: &[i64],
    in_range: &impl Fn(i64) -> bool,
    out: &mut Vec<(i64, i64)>,
) {
    let mut b = 0;
    let mut open: Option<(i64, i64)> = None;
    for &(m, n) in minutes {
        let t = hour + i64::from(m) * MINUTE_MS;
        if !in_range(t) {
            continue;
        }
        let mut crossed = false;
        while b < bounds.len() && bounds[b] <= t {
            b += 1;
            crossed = true;
        }
        match &mut open {
            Some((_, acc)) if !crossed => *acc += n,
            _ => {
                out.extend(open.take());
                open = Some((t, n));
            }
        }
    }
    out.extend(open);
}

/// A machine's data for [from, to) at `now` (to <= now), and where following its
/// samples stood at `to`. With `settle`, what happens by itself before `to` (a hold
/// running out) is applied, as a closed range needs; the live engine's seed goes on
/// from the samples instead.
#[allow(clippy::too_many_arguments)]
pub fn load(
    conn: &mut Connection,
    machine: i64,
    recipe: &Recipe,
    from: i64,
    to: i64,
    now: i64,
    exact: Exact<'_>,
    settle: bool,
) -> rusqlite::Result<(MachineData, Carry)> {
    let fp = recipe.fingerprint();
    let tags = recipe.tags();
    let h0 = floor_hour(from);
    let closed = closed_before(now).min(floor_hour(to - 1) + HOUR_MS);
    ensure(conn, machine, recipe, closed)?;
    let conn: &Connection = conn;
    let mut data = MachineData::default();
    // Cuts sorted, so each hour looks at its own cuts only.
    let mut sorted: Vec<i64> = match exact {
        Exact::Samples => Vec::new(),
        Exact::Cuts(cuts) => cuts.to_vec(),
    };
    sorted.sort_unstable();
    let needs_samples = |hour: i64| match exact {
        Exact::Samples => true,
        Exact::Cuts(_) => {
            let i = sorted.partition_point(|c| *c < hour);
            sorted[i..]
                .iter()
                .take_while(|c| **c < hour + HOUR_MS)
                .any(|c| c.rem_euclid(MINUTE_MS) != 0)
        }
    };
    let in_range = |t: i64| t >= from && t < to;
    // The summaries, each used as it is read (one summary's room, reused).
    let mut carry = Carry::default();
    let mut cursor = h0.min(closed);
    let mut any = false;
    if h0 < closed {
        let mut stmt = conn.prepare_cached(
            "SELECT hour, data FROM production_hours WHERE machine_id = ?1 AND recipe = ?2
             AND hour >= ?3 AND hour < ?4 ORDER BY hour",
        )?;
        let mut q = stmt.query(params![machine, fp, h0, closed])?;
        let mut s = Summary::default();
        let mut bounds: Vec<i64> = Vec::new();
        while let Some(r) = q.next()? {
            let h: i64 = r.get(0)?;
            if !s.decode_into(h, r.get_ref(1)?.as_blob()?) {
                continue;
            }
            if !any {
                any = true;
                data.timeline = Timeline {
                    start: s.hour,
                    initial: s.start.state,
                    initial_stop: s.start.stop_start,
                    changes: Vec::new(),
                };
            }
            data.timeline.changes.extend_from_slice(&s.changes);
            data.events
                .extend(s.events.iter().filter(|e| in_range(e.ts)).cloned());
            if needs_samples(s.hour) {
                let mut c = s.start.clone();
                let mut out = Out::default();
                for smp in samples(conn, &tags, s.hour, s.hour + HOUR_MS)? {
                    timeline::push(recipe, &mut c, &smp, &mut out);
                }
                data.steps
                    .extend(out.steps.into_iter().filter(|(t, _)| in_range(*t)));
                data.scrap
                    .extend(out.scrap.into_iter().filter(|(t, _)| in_range(*t)));
            } else {
                // Between two cuts (or the range's edges) every minute's parts fall in
                // the same period under the same ideal cycle, so they are added into one
                // step at the first such minute: the figures are the same, from far
                // fewer steps.
                let (h, h1) = (s.hour, s.hour + HOUR_MS);
                let i = sorted.partition_point(|c| *c <= h);
                bounds.clear();
                bounds.extend(sorted[i..].iter().copied().take_while(|c| *c < h1));
                bounds.extend([from, to].into_iter().filter(|c| *c > h && *c < h1));
                bounds.sort_unstable();
                gather(h, &s.parts, &bounds, &in_range, &mut data.steps);
                gather(h, &s.scrap, &bounds, &in_range, &mut data.scrap);
            }
            carry = s.end.clone();
            cursor = s.hour + HOUR_MS;
        }
    }
    if !any {
        if let Some(s) = latest(conn, machine, fp, h0.min(closed))? {
            carry = s.end;
            cursor = s.hour + HOUR_MS;
        }
        data.timeline = Timeline {
            start: cursor,
            initial: carry.state,
            initial_stop: carry.stop_start,
            changes: Vec::new(),
        };
    }
    // The rest, from the raw samples: hours not closed yet (and a range before them).
    if cursor < to {
        let mut out = Out::default();
        for smp in samples(conn, &tags, cursor, to)? {
            timeline::push(recipe, &mut carry, &smp, &mut out);
        }
        if settle {
            timeline::advance(recipe, &mut carry, to, &mut out);
        }
        data.timeline.changes.extend(out.changes);
        data.steps
            .extend(out.steps.into_iter().filter(|(t, _)| in_range(*t)));
        data.scrap
            .extend(out.scrap.into_iter().filter(|(t, _)| in_range(*t)));
        data.events
            .extend(out.events.into_iter().filter(|e| in_range(e.ts)));
    } else if settle {
        let mut out = Out::default();
        timeline::advance(recipe, &mut carry, to, &mut out);
        data.timeline.changes.extend(out.changes);
    }
    // Changes at or after `to` (from whole hours) are past the range.
    data.timeline.changes.retain(|c| c.t < to);
    Ok((data, carry))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StateKind;
    use crate::production::calendar::{By, Calendar};
    use crate::production::compute::{self, MachineData};
    use crate::production::records::{self, IdealCycle, Records};
    use crate::production::timeline::{CounterTag, StateSource};
    use crate::sample::Quality;

    fn recipe() -> Recipe {
        Recipe {
            machine: "m".into(),
            state: StateSource::Tag {
                id: 1,
                hold_ms: 62_000,
            },
            count: Some(CounterTag {
                id: 2,
                width: Some(65_536),
                hold_ms: 62_000,
                max_per_min: None,
                ideal_max: Vec::new(),
            }),
            scrap: None,
            map: vec![
                (0, StateKind::Stopped),
                (1, StateKind::Running),
                (2, StateKind::Fault),
            ],
            micro_ms: 120_000,
        }
    }

    /// Five hours of a machine: states that change, a counter that wraps, an outage,
    /// and a time Plantlog did not run.
    fn samples(start: i64) -> Vec<Sample> {
        let mut v = Vec::new();
        let mut count = 65_000.0;
        let mut state = 1.0;
        let mut t = start + 1234;
        let end = start + 5 * HOUR_MS;
        let mut i: i64 = 0;
        while t < end {
            i += 1;
            let off = (t - start) / 1000;
            let silent = (7_000..7_300).contains(&off);
            let outage = (9_000..9_100).contains(&off);
            if !silent {
                if i % 97 == 0 {
                    state = if state == 1.0 { (i % 3) as f64 } else { 1.0 };
                }
                if outage {
                    v.push(Sample::bad(1, t, Quality::NoAnswer));
                    v.push(Sample::bad(2, t, Quality::NoAnswer));
                } else {
                    v.push(Sample::good(1, t, state));
                    if state == 1.0 {
                        count += 1.0;
                        if count >= 65_536.0 {
                            count -= 65_536.0;
                        }
                    }
                    v.push(Sample::good(2, t, count));
                }
            }
            t += 2_500 + (i % 7) * 13;
        }
        v
    }

    #[test]
    fn history_gives_what_following_the_samples_live_gives() {
        let mut conn = crate::store::memory();
        conn.execute("INSERT INTO machines (key, name) VALUES ('m', 'M')", [])
            .unwrap();
        let mid = records::machine_id(&conn, "m").unwrap().unwrap();
        let start = "2026-03-02T05:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond();
        let all = samples(start);
        crate::store::backfill::backfill(&mut conn, all.clone()).unwrap();
        let r = recipe();
        let cal = Calendar::new(&crate::production::tests_support::config_with_shift());
        let (from, to) = (start + 600_000, start + 5 * HOUR_MS - 90_000);
        let now = to + 2 * HOUR_MS;

        // Live: every sample through the engine, then the tail.
        let mut carry = Carry::default();
        let mut out = Out::default();
        for s in &all {
            timeline::push(&r, &mut carry, s, &mut out);
        }
        timeline::advance(&r, &mut carry, to, &mut out);
        let live = MachineData {
            timeline: compute::Timeline {
                start,
                initial: None,
                initial_stop: None,
                changes: out.changes.iter().copied().filter(|c| c.t < to).collect(),
            },
            steps: out
                .steps
                .iter()
                .copied()
                .filter(|(t, _)| *t >= from && *t < to)
                .collect(),
            scrap: vec![],
            events: out
                .events
                .iter()
                .filter(|e| e.ts >= from && e.ts < to)
                .cloned()
                .collect(),
        };
        // An ideal cycle change in the middle of a minute.
        let recs = Records {
            ideals: vec![
                IdealCycle {
                    machine: "m".into(),
                    from_ms: start,
                    cycle_ms: 2400,
                    comment: String::new(),
                    entered_by: String::new(),
                    entered_ms: 0,
                },
                IdealCycle {
                    machine: "m".into(),
                    from_ms: start + 2 * HOUR_MS + 30_500,
                    cycle_ms: 2600,
                    comment: String::new(),
                    entered_by: String::new(),
                    entered_ms: 0,
                },
                // And one on a minute inside an hour: the minutes on each side are
                // added up apart.
                IdealCycle {
                    machine: "m".into(),
                    from_ms: start + 3 * HOUR_MS + 20 * MINUTE_MS,
                    cycle_ms: 2500,
                    comment: String::new(),
                    entered_by: String::new(),
                    entered_ms: 0,
                },
            ],
            ..Records::default()
        };
        for by in [By::Shift, By::Day] {
            let periods = cal.periods(by, from, to);
            let mut cuts: Vec<i64> = periods
                .iter()
                .flat_map(|p| [p.start_ms, p.end_ms])
                .collect();
            cuts.extend(recs.ideals.iter().map(|i| i.from_ms));
            for round in 0..2 {
                let (hist, _) =
                    load(&mut conn, mid, &r, from, to, now, Exact::Cuts(&cuts), true).unwrap();
                let reasons = records::Reasons::default();
                let a = compute::compute(&cal, &reasons, &r, &live, &recs, &periods);
                let b = compute::compute(&cal, &reasons, &r, &hist, &recs, &periods);
                assert_eq!(a.periods, b.periods, "{by:?}, round {round}");
                assert_eq!(a.stops, b.stops);
                assert!(a.periods.iter().map(|p| p.parts).sum::<i64>() > 1000);
                assert!(a.periods.iter().any(|p| !p.events.is_empty()), "the wrap");
                assert!(a.periods.iter().any(|p| p.ideal.get(&2500) > Some(&0)));
                assert!(a.periods.iter().any(|p| p.no_data_ms > 0));
                // The second round reads the summaries the first one made.
                let n: i64 = conn
                    .query_row("SELECT count(*) FROM production_hours", [], |r| r.get(0))
                    .unwrap();
                assert!(n >= 5, "{n} summaries");
            }
            // Made again after an import into the past: the same figures.
            assert!(invalidate(&conn, mid, start + HOUR_MS).unwrap() > 0);
        }
    }
}
