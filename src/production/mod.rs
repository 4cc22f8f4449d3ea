//! The production engine: machine states, counted parts, downtime with reasons, shifts
//! and OEE, live from the sample stream and from stored history on demand, with the
//! same code between samples and figures for both (a report over a past range gives
//! the numbers the live view gave).
//!
//! - [`timeline`]: samples to state changes, counted parts and counter events
//!   ([`counter`] is the counter rule);
//! - [`calendar`]: shifts, breaks, holidays, production days, weeks, months;
//! - [`compute`]: the figures of one machine over periods, from its timeline and what
//!   people entered ([`records`]: reasons, planned stops, scrap, ideal cycles);
//! - [`summary`] and [`history`]: stored history as hourly summaries;
//! - [`query`]: reports over any range; [`views`]: the shift, operator and stop views;
//!   [`report`]: figures with how each was computed, JSON and CSV;
//! - [`Production`] (here): the live engine, fed by `app::Fanout`;
//! - [`overview`]: the overview tiles;
//! - [`review`]: supervisors' reviews of implausible counter steps;
//! - [`series`]: the markers that start a new series when a tag's decoding changes.
//!
//! It imports config, sample, store and health; never api, app or core.

pub mod calendar;
pub mod compute;
pub mod counter;
pub mod events;
pub mod history;
mod overview;
pub mod query;
pub mod records;
pub mod report;
pub mod review;
pub mod series;
pub mod spans;
pub mod summary;
#[cfg(test)]
mod tests;
pub mod timeline;
pub mod views;
#[cfg(test)]
pub(crate) mod tests_support {
    //! Shared by the engine's tests.
    use crate::config::{Break, PlantConfig, Shift, Site};

    /// UTC, one shift "Early" 06:00-14:00 with a break 09:00-09:15.
    pub fn config_with_shift() -> PlantConfig {
        PlantConfig {
            site: Site {
                name: "P".into(),
                timezone: "UTC".into(),
            },
            shifts: vec![Shift {
                name: "Early".into(),
                start: "06:00".into(),
                end: "14:00".into(),
                days: vec![],
                breaks: vec![Break {
                    start: "09:00".into(),
                    end: "09:15".into(),
                    name: String::new(),
                }],
            }],
            machines: vec![],
            buses: vec![],
            devices: vec![],
            holidays: vec![],
            alarms: Vec::new(),
            alarm_settings: Default::default(),
        }
    }
}

pub use calendar::{By, Calendar, Period, ShiftWindow};
pub use overview::{MachineTile, Overview, StateJson, TagValue, overview};

use std::collections::VecDeque;
use std::sync::RwLock;

use rusqlite::Connection;

use crate::config::Plant;
use crate::sample::{Sample, TagId, TagMap};
use compute::{MachineData, Timeline};
use timeline::{Carry, Out, Recipe};

/// The rate is the count over this much of the recent past.
pub const RATE_WINDOW_MS: i64 = 10 * 60 * 1000;
/// A rate needs at least this much history.
const RATE_MIN_SPAN_MS: i64 = 30 * 1000;

/// One machine as the live engine follows it: its state changes since the start of
/// the previous production day (stops of the last day can be explained), its parts
/// since the start of the current one, and where following its samples stands.
#[derive(Debug, Clone)]
struct Followed {
    recipe: Recipe,
    carry: Carry,
    /// State changes are kept from here on.
    start: i64,
    /// Parts are kept from here on.
    parts_from: i64,
    initial: Option<i64>,
    initial_stop: Option<i64>,
    out: Out,
    /// Parts counted since following began, at recent counter samples: (ts, total).
    recent: VecDeque<(i64, i64)>,
    total: i64,
}

impl Followed {
    fn new(recipe: Recipe, start: i64, parts_from: i64) -> Followed {
        Followed {
            recipe,
            carry: Carry::default(),
            start,
            parts_from,
            initial: None,
            initial_stop: None,
            out: Out::default(),
            recent: VecDeque::new(),
            total: 0,
        }
    }

    fn push(&mut self, s: &Sample) {
        let steps = self.out.steps.len();
        timeline::push(&self.recipe, &mut self.carry, s, &mut self.out);
        if self.recipe.count.as_ref().is_some_and(|c| c.id == s.tag_id) && s.quality.is_good() {
            self.total += self.out.steps[steps..].iter().map(|(_, n)| n).sum::<i64>();
            self.recent.push_back((s.ts, self.total));
            while self.recent.len() > 2 && self.recent[1].0 <= s.ts - RATE_WINDOW_MS {
                self.recent.pop_front();
            }
        }
    }

    /// Drops state changes before `start` (keeping the state and stop at `start`) and
    /// parts before `parts_from`.
    fn roll(&mut self, start: i64, parts_from: i64) {
        let keep = |v: &mut Vec<(i64, i64)>| {
            let i = v.partition_point(|(t, _)| *t < parts_from);
            v.drain(..i);
        };
        keep(&mut self.out.steps);
        keep(&mut self.out.scrap);
        self.parts_from = self.parts_from.max(parts_from);
        if start <= self.start {
            return;
        }
        let cut = self.out.changes.partition_point(|c| c.t <= start);
        for c in &self.out.changes[..cut] {
            self.initial = c.state;
            match self.recipe.kind(c.state) {
                Some(crate::config::StateKind::Running) => self.initial_stop = None,
                Some(_) => {
                    self.initial_stop.get_or_insert(c.t);
                }
                None => {}
            }
        }
        self.out.changes.drain(..cut);
        self.out.events.retain(|e| e.ts >= start);
        self.start = start;
    }

    /// What figures need, as of `now`: the window, and a hold that ran out by now.
    fn snapshot(&self, now: i64) -> MachineData {
        let mut carry = self.carry.clone();
        let mut tail = Out::default();
        timeline::advance(&self.recipe, &mut carry, now, &mut tail);
        let mut changes = self.out.changes.clone();
        changes.extend(tail.changes);
        MachineData {
            timeline: Timeline {
                start: self.start,
                initial: self.initial,
                initial_stop: self.initial_stop,
                changes,
            },
            steps: self.out.steps.clone(),
            scrap: self.out.scrap.clone(),
            events: self.out.events.clone(),
        }
    }

    /// Parts per minute now. A machine whose state is known is measured over its
    /// running time within the rate window (so a stopped machine's rate is 0, not the
    /// average of the last minutes); a machine without a state source over the whole
    /// window ("last 10 min"), up to its last counter sample. The flag says which.
    fn rate_per_min(&self, now: i64) -> Option<(f64, bool)> {
        let &(last_ts, _) = self.recent.back()?;
        let from = now - RATE_WINDOW_MS;
        let parts: i64 = self
            .out
            .steps
            .iter()
            .filter(|(t, _)| *t > from && *t <= now)
            .map(|(_, n)| n)
            .sum();
        if matches!(self.recipe.state, timeline::StateSource::None) {
            let &(first_ts, first_total) = self
                .recent
                .iter()
                .find(|(ts, _)| *ts >= last_ts - RATE_WINDOW_MS)
                .or(self.recent.front())?;
            let span = last_ts - first_ts;
            let last_total = self.recent.back()?.1;
            return (span >= RATE_MIN_SPAN_MS).then(|| {
                (
                    (last_total - first_total) as f64 / (span as f64 / 60_000.0),
                    false,
                )
            });
        }
        let running =
            |state: Option<i64>| self.recipe.kind(state) == Some(crate::config::StateKind::Running);
        let mut carry = self.carry.clone();
        let mut tail = Out::default();
        timeline::advance(&self.recipe, &mut carry, now, &mut tail);
        if !running(carry.state) {
            // Stopped (or no data) now: it makes nothing.
            return carry.state.is_some().then_some((0.0, true));
        }
        // Running time within the window, from the state changes.
        let mut state = self.initial;
        let mut since = from;
        let mut run_ms = 0;
        for c in self.out.changes.iter().chain(tail.changes.iter()) {
            if c.t <= from {
                state = c.state;
                continue;
            }
            if c.t > now {
                break;
            }
            if running(state) {
                run_ms += c.t - since;
            }
            state = c.state;
            since = c.t;
        }
        if running(state) {
            run_ms += now - since;
        }
        (run_ms >= RATE_MIN_SPAN_MS).then(|| (parts as f64 / (run_ms as f64 / 60_000.0), true))
    }
}

#[derive(Debug)]
struct Live {
    calendar: Calendar,
    machines: Vec<Followed>,
    by_tag: TagMap<Vec<usize>>,
    /// The current production day ends here: the window moves on then.
    day_end: i64,
}

/// The live engine: every machine's states and parts since the start of the production
/// day, from the sample stream, seeded from stored history at start.
#[derive(Debug)]
pub struct Production {
    inner: RwLock<Live>,
    /// Reviewed implausible part counter steps by machine: (time, parts). The live
    /// count adds them, as figures from history do.
    reviews: RwLock<std::collections::HashMap<String, Vec<(i64, i64)>>>,
    /// Every machine's ideal cycle times: where no maximum rate is configured, ten
    /// times the ideal rate is the counters' plausible maximum (see [`Recipe::with_ideals`]).
    ideals: RwLock<std::collections::HashMap<String, Vec<records::IdealCycle>>>,
}

impl Production {
    pub fn new(plant: &Plant, now_ms: i64) -> Production {
        let p = Production {
            inner: RwLock::new(Live {
                calendar: Calendar::new(&plant.config),
                machines: Vec::new(),
                by_tag: TagMap::default(),
                day_end: 0,
            }),
            reviews: RwLock::default(),
            ideals: RwLock::default(),
        };
        p.reset(plant, now_ms);
        p
    }

    /// Follows a new configuration: new shifts, new machines and tags. A machine whose
    /// recipe did not change keeps what it followed; the others start afresh (and are
    /// seeded from history by [`Production::seed`]).
    pub fn reset(&self, plant: &Plant, now_ms: i64) {
        let calendar = Calendar::new(&plant.config);
        let day = calendar.day_of(now_ms);
        let parts_from = calendar.day_start(day);
        let start = calendar.day_start(day.yesterday().unwrap_or(day));
        let day_end = calendar.day_start(day.tomorrow().unwrap_or(day));
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let mut old = std::mem::take(&mut inner.machines);
        let mut machines = Vec::new();
        let mut by_tag: TagMap<Vec<usize>> = TagMap::default();
        let ideals = self.ideals.read().unwrap_or_else(|e| e.into_inner());
        for m in &plant.config.machines {
            let recipe =
                Recipe::of(plant, m).with_ideals(ideals.get(&m.key).map_or(&[][..], Vec::as_slice));
            let kept = old
                .iter()
                .position(|f| f.recipe == recipe && f.start == start)
                .map(|i| old.swap_remove(i));
            let f = kept.unwrap_or_else(|| Followed::new(recipe, start, parts_from));
            for t in f.recipe.tags() {
                by_tag.entry(t).or_default().push(machines.len());
            }
            machines.push(f);
        }
        inner.calendar = calendar;
        inner.machines = machines;
        inner.by_tag = by_tag;
        inner.day_end = day_end;
    }

    /// Follows the stored samples of every machine from the start of the production day
    /// to now (from the hourly summaries and the raw samples since), so a restart
    /// continues the day's figures. Machines followed already are left as they are.
    ///
    /// The machines' ideal cycle times are read first: a machine whose plausible
    /// maximum rate changed with them starts afresh from history.
    pub fn seed(&self, conn: &mut Connection, plant: &Plant, now_ms: i64) -> rusqlite::Result<()> {
        let mut ideals: std::collections::HashMap<String, Vec<records::IdealCycle>> =
            std::collections::HashMap::new();
        for i in records::all_ideal_cycles(conn)? {
            ideals.entry(i.machine.clone()).or_default().push(i);
        }
        let changed = {
            let mut held = self.ideals.write().unwrap_or_else(|e| e.into_inner());
            let changed = *held != ideals;
            *held = ideals;
            changed
        };
        if changed {
            self.reset(plant, now_ms);
        }
        let todo: Vec<(usize, Recipe, i64, i64)> = {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            inner
                .machines
                .iter()
                .enumerate()
                .filter(|(_, f)| f.carry == Carry::default() && f.out.changes.is_empty())
                .map(|(i, f)| (i, f.recipe.clone(), f.start, f.parts_from))
                .collect()
        };
        let ids = records::machine_ids(conn)?;
        self.load_reviews(conn, &ids)?;
        for (i, recipe, start, parts_from) in todo {
            let Some(&id) = ids.get(&recipe.machine) else {
                continue;
            };
            if start >= now_ms {
                continue;
            }
            let (data, carry) = history::load(
                conn,
                id,
                &recipe,
                start,
                now_ms,
                now_ms,
                history::Exact::Samples,
                false,
            )?;
            let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
            let Some(f) = inner.machines.get_mut(i) else {
                continue;
            };
            if f.recipe != recipe || f.carry != Carry::default() {
                continue;
            }
            let mut tl = data.timeline;
            // The seeded timeline starts at an hour boundary: move its start to the window.
            let mut seeded = Followed::new(recipe, tl.start, tl.start);
            seeded.initial = tl.initial;
            seeded.initial_stop = tl.initial_stop;
            seeded.out.changes = std::mem::take(&mut tl.changes);
            seeded.out.steps = data.steps;
            seeded.out.scrap = data.scrap;
            seeded.out.events = data.events;
            seeded.roll(start, parts_from);
            seeded.start = start;
            seeded.carry = carry;
            seeded.total = seeded.out.steps.iter().map(|(_, n)| n).sum();
            if let Some(&(t, _)) = seeded.out.steps.last() {
                seeded.recent.push_back((t, seeded.total));
            }
            *f = seeded;
        }
        Ok(())
    }

    /// Reads the part counter reviews of the live window (issue 9).
    fn load_reviews(
        &self,
        conn: &Connection,
        ids: &std::collections::HashMap<String, i64>,
    ) -> rusqlite::Result<()> {
        let from = {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            inner.machines.iter().map(|f| f.start).min()
        };
        let Some(from) = from else { return Ok(()) };
        let mut all = std::collections::HashMap::new();
        for (key, id) in ids {
            let list: Vec<(i64, i64)> = review::load(conn, *id, key, from, i64::MAX)?
                .into_iter()
                .filter(|r| !r.scrap)
                .map(|r| (r.ts, r.parts))
                .collect();
            if !list.is_empty() {
                all.insert(key.clone(), list);
            }
        }
        *self.reviews.write().unwrap_or_else(|e| e.into_inner()) = all;
        Ok(())
    }

    /// A supervisor reviewed a part counter step of `machine` at `ts`: `parts` count.
    pub fn reviewed(&self, machine: &str, ts: i64, parts: i64) {
        let mut all = self.reviews.write().unwrap_or_else(|e| e.into_inner());
        let list = all.entry(machine.to_string()).or_default();
        list.retain(|(t, _)| *t != ts);
        list.push((ts, parts));
    }

    /// Follows a batch of readings (the collector's sink calls this).
    pub fn update(&self, batch: &[Sample]) {
        // Most batches hold no tag the engine reads: find out under the read lock.
        {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            if !batch.iter().any(|s| inner.by_tag.contains_key(&s.tag_id)) {
                return;
            }
        }
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let Live {
            calendar,
            machines,
            by_tag,
            day_end,
        } = &mut *inner;
        for s in batch {
            let Some(ms) = by_tag.get(&s.tag_id) else {
                continue;
            };
            if s.ts >= *day_end {
                let day = calendar.day_of(s.ts);
                let parts_from = calendar.day_start(day);
                let start = calendar.day_start(day.yesterday().unwrap_or(day));
                *day_end = calendar.day_start(day.tomorrow().unwrap_or(day));
                for f in machines.iter_mut() {
                    f.roll(start, parts_from);
                }
            }
            for &i in ms {
                machines[i].push(s);
            }
        }
    }

    /// The calendar of the running configuration.
    pub fn calendar(&self) -> Calendar {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .calendar
            .clone()
    }

    /// The window counts are summed over at `now_ms`.
    pub fn window(&self, now_ms: i64) -> ShiftWindow {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .calendar
            .window_at(now_ms)
    }

    /// A machine's recipe and data as of `now_ms`: its states since the previous
    /// production day began, its parts since the current one began.
    pub fn snapshot(&self, machine: &str, now_ms: i64) -> Option<(Recipe, MachineData)> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let f = inner
            .machines
            .iter()
            .find(|f| f.recipe.machine == machine)?;
        Some((f.recipe.clone(), f.snapshot(now_ms)))
    }

    /// Since when the live engine holds parts (the current production day's start).
    pub fn parts_from(&self) -> Option<i64> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.machines.first().map(|f| f.parts_from)
    }

    /// Parts counted this window and the current rate per minute (with whether it is
    /// over running time, see `Followed::rate_per_min`), for a count tag.
    pub fn count(&self, tag: TagId, now_ms: i64) -> Option<(f64, Option<(f64, bool)>)> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let f = inner
            .machines
            .iter()
            .find(|f| f.recipe.count.as_ref().is_some_and(|c| c.id == tag))?;
        let w = inner.calendar.window_at(now_ms);
        let in_window = |t: i64| t >= w.start_ms && t < w.end_ms.min(now_ms + 1);
        let reviewed: i64 = self
            .reviews
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&f.recipe.machine)
            .map_or(0, |l| {
                l.iter()
                    .filter(|(t, _)| in_window(*t))
                    .map(|(_, n)| n)
                    .sum()
            });
        let count: i64 = f
            .out
            .steps
            .iter()
            .filter(|(t, _)| in_window(*t))
            .map(|(_, n)| n)
            .sum::<i64>()
            + reviewed;
        Some((count as f64, f.rate_per_min(now_ms)))
    }
}
