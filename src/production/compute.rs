//! The figures of one machine over a list of periods, from its state changes and
//! counted parts (live or from history, the same) and what people entered. Pure: no
//! database, no clock.
//!
//! Definitions (docs/PRODUCTION.md):
//! - planned production time = shift time - breaks - planned stops (planned ahead, or
//!   a stop whose reason is marked planned); where a planned stop overlaps a break, the
//!   overlap is break;
//! - no-data time = planned production time in which the state is not known;
//! - run time = time in running within planned production time;
//! - downtime = planned production time - run time - no-data time, by state and reason;
//! - a stop begins when the machine leaves running and ends when it runs again; no data
//!   inside does not end it. It is split at breaks, planned stops and period
//!   boundaries, and each part shorter than the machine's micro-stop threshold is a
//!   micro-stop (counted, not explained);
//! - parts are attributed to the period of their sample, whether or not that time is
//!   planned; the ideal cycle time of a part is the one in force at its sample's time.

use std::collections::BTreeMap;

use crate::config::StateKind;

use super::calendar::{Calendar, Period};
use super::counter::CounterEvent;
use super::records::{Reasons, Records};
use super::spans::{self, Span};
use super::timeline::{Change, Recipe};

/// A machine's state over time: the state at `start` and the changes after it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    pub start: i64,
    pub initial: Option<i64>,
    /// When the stop in progress at `start` began (if one was).
    pub initial_stop: Option<i64>,
    pub changes: Vec<Change>,
}

/// What figures are computed from, for one machine: its timeline from at or before the
/// range's start, and its counted parts, scrap and counter events within the range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MachineData {
    pub timeline: Timeline,
    pub steps: Vec<(i64, i64)>,
    pub scrap: Vec<(i64, i64)>,
    pub events: Vec<CounterEvent>,
}

/// The down states, in the order figures list them.
pub const DOWN_STATES: [StateKind; 4] = [
    StateKind::Stopped,
    StateKind::Idle,
    StateKind::Setup,
    StateKind::Fault,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Run,
    Down(usize),
    NoData,
}

fn class(recipe: &Recipe, state: Option<i64>) -> Class {
    match recipe.kind(state) {
        None => Class::NoData,
        Some(StateKind::Running) => Class::Run,
        Some(k) => Class::Down(DOWN_STATES.iter().position(|d| *d == k).unwrap_or(0)),
    }
}

/// One period's figures, in exact milliseconds and parts; mergeable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub shift_ms: i64,
    pub break_ms: i64,
    pub planned_stop_ms: i64,
    pub planned_ms: i64,
    pub run_ms: i64,
    pub no_data_ms: i64,
    pub down_ms: i64,
    pub down_by_state: [i64; 4],
    /// Downtime of stop parts that are not micro-stops, by reason (`None`: not
    /// explained): (ms, parts).
    pub by_reason: BTreeMap<Option<i64>, (i64, i64)>,
    pub micro_count: i64,
    pub micro_ms: i64,
    pub parts: i64,
    pub scrap_counted: i64,
    pub scrap_entered: i64,
    /// Parts by the ideal cycle time (ms) in force when they were made.
    pub ideal: BTreeMap<i64, i64>,
    /// Parts made before any ideal cycle time was set.
    pub parts_without_ideal: i64,
    pub events: Vec<CounterEvent>,
    /// For explanations: the shifts, breaks, planned stops, no-data stretches and scrap
    /// entries that made the figures (a few of each).
    pub notes: Notes,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notes {
    pub shifts: Vec<(String, i64, i64)>,
    pub breaks: Vec<Span>,
    pub planned_stops: Vec<(i64, i64, Option<i64>)>,
    pub no_data: Vec<Span>,
    pub scrap: Vec<(i64, i64, Option<i64>, String)>,
    /// Machine-periods merged into this tally (1 for one machine's period).
    pub merged: usize,
}

/// Notes keep this many items of each kind.
const NOTES: usize = 6;

fn note<T>(v: &mut Vec<T>, x: T) {
    if v.len() < NOTES {
        v.push(x);
    }
}

impl Tally {
    /// Adds another tally (another machine, or another period) to this one.
    pub fn merge(&mut self, o: &Tally) {
        self.shift_ms += o.shift_ms;
        self.break_ms += o.break_ms;
        self.planned_stop_ms += o.planned_stop_ms;
        self.planned_ms += o.planned_ms;
        self.run_ms += o.run_ms;
        self.no_data_ms += o.no_data_ms;
        self.down_ms += o.down_ms;
        for (a, b) in self.down_by_state.iter_mut().zip(o.down_by_state) {
            *a += b;
        }
        for (k, (ms, n)) in &o.by_reason {
            let e = self.by_reason.entry(*k).or_default();
            e.0 += ms;
            e.1 += n;
        }
        self.micro_count += o.micro_count;
        self.micro_ms += o.micro_ms;
        self.parts += o.parts;
        self.scrap_counted += o.scrap_counted;
        self.scrap_entered += o.scrap_entered;
        for (k, n) in &o.ideal {
            *self.ideal.entry(*k).or_default() += n;
        }
        self.parts_without_ideal += o.parts_without_ideal;
        self.events.extend(o.events.iter().cloned());
        // A tally of one machine-period keeps its explanations; one of several names how
        // many machine-periods it adds up (the report then shows no shifts or breaks), so
        // only the first one's notes are copied.
        if self.notes.merged == 0 {
            self.notes = o.notes.clone();
            self.notes.merged = 0;
        }
        self.notes.merged += o.notes.merged.max(1);
    }

    pub fn scrap(&self) -> i64 {
        self.scrap_counted + self.scrap_entered
    }

    pub fn good(&self) -> i64 {
        self.parts - self.scrap()
    }

    /// Σ ideal cycle × parts, in ms; `None` when some parts have no ideal cycle time.
    pub fn ideal_ms(&self) -> Option<i64> {
        (self.parts_without_ideal == 0).then(|| self.ideal.iter().map(|(c, n)| c * n).sum())
    }

    /// Availability = run time / (planned production time - no-data time).
    pub fn availability(&self) -> Option<f64> {
        ratio(self.run_ms, self.planned_ms - self.no_data_ms)
    }

    /// Performance = (ideal cycle time x total parts) / run time; not capped at 1.
    pub fn performance(&self) -> Option<f64> {
        ratio(self.ideal_ms()?, self.run_ms)
    }

    /// Quality = good parts / total parts.
    pub fn quality(&self) -> Option<f64> {
        ratio(self.good(), self.parts)
    }

    /// OEE = availability x performance x quality; null when any of them is.
    pub fn oee(&self) -> Option<f64> {
        Some(self.availability()? * self.performance()? * self.quality()?)
    }
}

/// A ratio, null when its denominator is 0.
pub fn ratio(num: i64, den: i64) -> Option<f64> {
    (den != 0).then(|| num as f64 / den as f64)
}

/// One stop as the machine's history and the operator see it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StopInfo {
    pub start: i64,
    /// `None`: not running again by the range's end.
    pub end: Option<i64>,
    /// Downtime within planned production time in the range, by state.
    pub down_ms: i64,
    pub down_by_state: [i64; 4],
    pub no_data_ms: i64,
    /// Time of the stop that was planned (a planned reason, or planned ahead) or break.
    pub unplanned_ms: i64,
    /// Its parts that were micro-stops, and the others.
    pub micro_parts: i64,
    pub parts: i64,
    /// Downtime of parts that are not micro-stops and have no reason.
    pub unexplained_ms: i64,
    /// The reason stretches: (from, to, index into the records' stop reasons or None).
    pub segments: Vec<(i64, i64, Option<usize>)>,
}

impl StopInfo {
    /// A stop people must explain: some of its downtime is in parts that are not
    /// micro-stops and has no reason.
    pub fn needs_reason(&self) -> bool {
        self.unexplained_ms > 0
    }
}

/// Every machine's figures over some periods, and its stops.
#[derive(Debug, Clone, Default)]
pub struct Computed {
    pub periods: Vec<Tally>,
    pub stops: Vec<StopInfo>,
    /// Planned production time within the periods.
    pub planned: Vec<Span>,
}

/// Cumulative down time over state segments, for "down time between a and b".
struct DownIndex<'a> {
    segs: &'a [(i64, i64, Class)],
    cum: Vec<i64>,
}

impl<'a> DownIndex<'a> {
    fn new(segs: &'a [(i64, i64, Class)]) -> Self {
        let mut cum = Vec::with_capacity(segs.len() + 1);
        let mut acc = 0;
        cum.push(0);
        for (a, b, c) in segs {
            if matches!(c, Class::Down(_)) {
                acc += b - a;
            }
            cum.push(acc);
        }
        DownIndex { segs, cum }
    }

    /// Down time before `t`.
    fn at(&self, t: i64) -> i64 {
        let i = self.segs.partition_point(|s| s.1 <= t);
        let mut v = self.cum[i];
        if let Some((a, _, Class::Down(_))) = self.segs.get(i)
            && *a < t
        {
            v += t - a;
        }
        v
    }

    fn between(&self, a: i64, b: i64) -> i64 {
        if b <= a { 0 } else { self.at(b) - self.at(a) }
    }

    /// Down time by state between a and b.
    fn by_state(&self, a: i64, b: i64) -> [i64; 4] {
        let mut out = [0; 4];
        let i = self.segs.partition_point(|s| s.1 <= a);
        for (x, y, c) in &self.segs[i..] {
            if *x >= b {
                break;
            }
            if let Class::Down(k) = c {
                out[*k] += (*y).min(b) - (*x).max(a);
            }
        }
        out
    }
}

/// The state segments of [from, to): (start, end, class).
fn segments(recipe: &Recipe, t: &Timeline, from: i64, to: i64) -> Vec<(i64, i64, Class)> {
    let mut out = Vec::with_capacity(t.changes.len() + 1);
    let mut since = t.start;
    let mut state = t.initial;
    let push = |a: i64, b: i64, s: Option<i64>, out: &mut Vec<(i64, i64, Class)>| {
        let (a, b) = (a.max(from), b.min(to));
        if a < b {
            let c = class(recipe, s);
            match out.last_mut() {
                Some(last) if last.1 == a && last.2 == c => last.1 = b,
                _ => out.push((a, b, c)),
            }
        }
    };
    if since > from {
        push(from, since, None, &mut out);
    }
    for ch in &t.changes {
        if ch.t >= to {
            break;
        }
        push(since, ch.t, state, &mut out);
        since = ch.t;
        state = ch.state;
    }
    push(since, to, state, &mut out);
    out
}

/// The stops that reach into [from, to): (start, end or `None` while still stopped).
fn stops(recipe: &Recipe, t: &Timeline, from: i64, to: i64) -> Vec<(i64, Option<i64>)> {
    let mut out = Vec::new();
    let mut open: Option<i64> = match recipe.kind(t.initial) {
        Some(StateKind::Running) => None,
        Some(_) => Some(t.initial_stop.unwrap_or(t.start)),
        None => t.initial_stop,
    };
    for ch in &t.changes {
        if ch.t >= to {
            break;
        }
        match recipe.kind(ch.state) {
            Some(StateKind::Running) => {
                if let Some(s) = open.take()
                    && ch.t > from
                {
                    out.push((s, Some(ch.t)));
                }
            }
            Some(_) => {
                open.get_or_insert(ch.t);
            }
            None => {}
        }
    }
    if let Some(s) = open {
        out.push((s, None));
    }
    out
}

/// Figures of one machine over `periods` (sorted, not overlapping), and its stops.
pub fn compute(
    calendar: &Calendar,
    reasons: &Reasons,
    recipe: &Recipe,
    data: &MachineData,
    records: &Records,
    periods: &[Period],
) -> Computed {
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return Computed::default();
    };
    let (from, to) = (first.start_ms, last.end_ms);
    let range = [(from, to)];
    let segs = segments(recipe, &data.timeline, from, to);
    let stop_list = stops(recipe, &data.timeline, from, to);

    // Each stop's reason stretches, from the entries that fall inside it.
    let entries = &records.stop_reasons;
    let mut stop_segments: Vec<Vec<(i64, i64, Option<usize>)>> = Vec::new();
    for &(s, e) in &stop_list {
        let end = e.unwrap_or(to).max(s);
        let i = entries.partition_point(|r| r.at_ms < s);
        let mut segs_of = Vec::new();
        let mut t = s;
        let mut cur: Option<usize> = None;
        for (k, r) in entries.iter().enumerate().skip(i) {
            if r.at_ms >= end {
                break;
            }
            if r.at_ms > t {
                segs_of.push((t, r.at_ms, cur));
            }
            t = r.at_ms;
            cur = Some(k);
        }
        if end > t {
            segs_of.push((t, end, cur));
        }
        stop_segments.push(segs_of);
    }

    // Planned stops: planned ahead, and stops (or parts) explained with a planned reason.
    let mut planned: Vec<Span> = records
        .planned
        .iter()
        .map(|p| (p.from_ms, p.to_ms))
        .collect();
    for segs_of in &stop_segments {
        for &(a, b, k) in segs_of {
            if reasons.planned(k.and_then(|k| entries[k].reason_id)) {
                planned.push((a, b));
            }
        }
    }
    let planned = spans::intersect(&spans::normalize(planned), &range);

    let shifts = calendar.shifts_between(from, to);
    let shift_set = spans::intersect(
        &spans::normalize(shifts.iter().map(|s| (s.start, s.end)).collect()),
        &range,
    );
    let break_set = spans::intersect(
        &spans::normalize(
            shifts
                .iter()
                .flat_map(|s| s.breaks.iter().copied())
                .collect(),
        ),
        &shift_set,
    );
    let work = spans::subtract(&shift_set, &break_set);
    let planned_stop_set = spans::intersect(&work, &planned);
    let ppt = spans::subtract(&work, &planned);

    // State segments within planned production time.
    let mut in_ppt: Vec<(i64, i64, Class)> = Vec::with_capacity(segs.len());
    {
        let mut j = 0;
        for &(a, b, c) in &segs {
            while j < ppt.len() && ppt[j].1 <= a {
                j += 1;
            }
            let mut k = j;
            while k < ppt.len() && ppt[k].0 < b {
                let (x, y) = (a.max(ppt[k].0), b.min(ppt[k].1));
                if x < y {
                    in_ppt.push((x, y, c));
                }
                k += 1;
            }
        }
    }
    let down = DownIndex::new(&in_ppt);

    let mut tallies: Vec<Tally> = periods
        .iter()
        .map(|_| Tally {
            notes: Notes {
                merged: 1,
                ..Notes::default()
            },
            ..Tally::default()
        })
        .collect();
    let period_of = |t: i64| -> Option<usize> {
        let i = periods.partition_point(|p| p.end_ms <= t);
        periods.get(i).filter(|p| p.start_ms <= t).map(|_| i)
    };

    for (i, p) in periods.iter().enumerate() {
        let (a, b) = (p.start_ms, p.end_ms);
        let t = &mut tallies[i];
        t.shift_ms = spans::within(&shift_set, a, b);
        t.break_ms = spans::within(&break_set, a, b);
        t.planned_stop_ms = spans::within(&planned_stop_set, a, b);
        t.planned_ms = spans::within(&ppt, a, b);
        let first = shifts.partition_point(|s| s.end <= a);
        for s in shifts[first..].iter().take_while(|s| s.start < b) {
            if a < s.end {
                note(
                    &mut t.notes.shifts,
                    (s.name.clone(), s.start.max(a), s.end.min(b)),
                );
            }
        }
        for &(x, y) in spans::intersect(spans::overlapping(&break_set, a, b), &[(a, b)]).iter() {
            note(&mut t.notes.breaks, (x, y));
        }
        let planned_here = spans::overlapping(&planned_stop_set, a, b);
        for &(x, y) in spans::intersect(planned_here, &[(a, b)]).iter().take(NOTES) {
            let reason = records
                .planned
                .iter()
                .find(|ps| ps.from_ms <= x && x < ps.to_ms)
                .map(|ps| ps.reason_id)
                .or_else(|| {
                    let k = entries.partition_point(|r| r.at_ms <= x);
                    k.checked_sub(1).and_then(|k| entries[k].reason_id)
                });
            note(&mut t.notes.planned_stops, (x, y, reason));
        }
    }
    // Run, no-data and down time, per period.
    {
        let mut pi = 0;
        for &(x, y, c) in &in_ppt {
            let mut x = x;
            while x < y {
                while pi < periods.len() && periods[pi].end_ms <= x {
                    pi += 1;
                }
                let Some(p) = periods.get(pi) else { break };
                let end = y.min(p.end_ms);
                let t = &mut tallies[pi];
                match c {
                    Class::Run => t.run_ms += end - x,
                    Class::NoData => {
                        t.no_data_ms += end - x;
                        note(&mut t.notes.no_data, (x, end));
                    }
                    Class::Down(k) => {
                        t.down_ms += end - x;
                        t.down_by_state[k] += end - x;
                    }
                }
                x = end;
            }
        }
    }

    // Stops, cut into parts at breaks, planned stops and period boundaries.
    let mut infos = Vec::with_capacity(stop_list.len());
    for (si, &(s, e)) in stop_list.iter().enumerate() {
        let end = e.unwrap_or(to);
        let mut info = StopInfo {
            start: s,
            end: e,
            segments: stop_segments[si].clone(),
            ..StopInfo::default()
        };
        let (ps, pe) = (s.max(from), end.min(to));
        let pieces = spans::intersect(spans::overlapping(&ppt, ps, pe), &[(ps, pe)]);
        for (x, y) in pieces {
            let mut x = x;
            while x < y {
                let Some(pi) = period_of(x) else { break };
                let b = y.min(periods[pi].end_ms);
                let down_ms = down.between(x, b);
                let by_state = down.by_state(x, b);
                info.down_ms += down_ms;
                for (a, b) in info.down_by_state.iter_mut().zip(by_state) {
                    *a += b;
                }
                info.unplanned_ms += b - x;
                info.no_data_ms += (b - x) - down_ms;
                if down_ms > 0 {
                    let t = &mut tallies[pi];
                    if b - x < recipe.micro_ms {
                        t.micro_count += 1;
                        t.micro_ms += down_ms;
                        info.micro_parts += 1;
                    } else {
                        info.parts += 1;
                        for &(ra, rb, k) in &stop_segments[si] {
                            let ms = down.between(ra.max(x), rb.min(b));
                            if ms > 0 {
                                let reason = k.and_then(|k| entries[k].reason_id);
                                let e = t.by_reason.entry(reason).or_default();
                                e.0 += ms;
                                e.1 += 1;
                                if reason.is_none() {
                                    info.unexplained_ms += ms;
                                }
                            }
                        }
                    }
                }
                x = b;
            }
        }
        infos.push(info);
    }

    // Parts, by the period of their sample and the ideal cycle in force then.
    {
        let ideals = &records.ideals;
        let mut pi = 0;
        let mut ii = 0;
        // Implausible steps count what a supervisor's review says (issue 9).
        let steps = super::review::with_reviews(&data.steps, &records.reviews, false);
        for &(ts, n) in steps.iter() {
            while pi < periods.len() && periods[pi].end_ms <= ts {
                pi += 1;
            }
            let Some(p) = periods.get(pi) else { break };
            if ts < p.start_ms {
                continue;
            }
            while ii < ideals.len() && ideals[ii].from_ms <= ts {
                ii += 1;
            }
            let t = &mut tallies[pi];
            t.parts += n;
            match ii.checked_sub(1).map(|k| ideals[k].cycle_ms) {
                Some(c) => *t.ideal.entry(c).or_default() += n,
                None => t.parts_without_ideal += n,
            }
        }
    }
    for &(ts, n) in super::review::with_reviews(&data.scrap, &records.reviews, true).iter() {
        if let Some(pi) = period_of(ts) {
            tallies[pi].scrap_counted += n;
        }
    }
    for se in &records.scrap {
        if let Some(pi) = period_of(se.ts) {
            let t = &mut tallies[pi];
            t.scrap_entered += se.parts;
            note(
                &mut t.notes.scrap,
                (se.ts, se.parts, se.reason_id, se.entered_by.clone()),
            );
        }
    }
    for ev in &data.events {
        if let Some(pi) = period_of(ev.ts) {
            let mut ev = ev.clone();
            if ev.kind == "implausible"
                && let Some(r) = records
                    .reviews
                    .iter()
                    .find(|r| r.ts == ev.ts && r.scrap == ev.scrap)
            {
                ev.counted = r.parts;
            }
            tallies[pi].events.push(ev);
        }
    }
    Computed {
        periods: tallies,
        stops: infos,
        planned: ppt,
    }
}
