//! From samples to what the figures are made of: one machine's state changes (with "no
//! data" as a state of its own), its counted parts, and its counter events. The live
//! engine feeds readings through here as they come; stored history is fed through the
//! same code, so both give the same changes and the same parts.
//!
//! Time semantics: a state sample holds from its time until the tag's next sample, but
//! no longer than the tag's hold (its storage interval and two polls: a longer silence
//! means Plantlog was not running or nothing was read); a bad sample begins no-data time
//! that lasts until the next good sample. State and counter tags are followed each on
//! its own, so readings of different tags may arrive in any order.

use crate::config::{Machine, Plant, StateKind, TagRole};
use crate::sample::{Quality, Sample, TagId};

use super::counter::{self, CounterEvent};

/// How a machine's state is known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StateSource {
    /// A state tag whose value the machine's state map names.
    Tag { id: TagId, hold_ms: i64 },
    /// A run bit: not 0 running, 0 stopped.
    RunBit { id: TagId, hold_ms: i64 },
    /// Running while the part counter advanced within `within_ms`.
    Counted { within_ms: i64 },
    /// Nothing tells: always no data.
    None,
}

/// A part or scrap counter tag.
#[derive(Debug, Clone, PartialEq)]
pub struct CounterTag {
    pub id: TagId,
    /// The register's range W, for wraps.
    pub width: Option<i64>,
    pub hold_ms: i64,
    /// The machine's maximum rate: faster steps are implausible.
    pub max_per_min: Option<f64>,
    /// Without a configured maximum: ten times the ideal rate in force from each time
    /// on, as (from, parts a minute), oldest first.
    pub ideal_max: Vec<(i64, f64)>,
}

/// The maximum rate is this many times the ideal rate when not configured.
pub const IDEAL_RATE_FACTOR: f64 = 10.0;

impl CounterTag {
    /// The maximum rate in force at `ts`: the configured one, else ten times the ideal
    /// rate in force then; `None` when neither is known.
    pub fn max_at(&self, ts: i64) -> Option<f64> {
        self.max_per_min.or_else(|| {
            let i = self.ideal_max.partition_point(|(from, _)| *from <= ts);
            i.checked_sub(1).map(|k| self.ideal_max[k].1)
        })
    }
}

/// How one machine's samples are read into figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipe {
    pub machine: String,
    pub state: StateSource,
    pub count: Option<CounterTag>,
    pub scrap: Option<CounterTag>,
    /// State value -> kind. Run bits and counted machines use 1 running, 0 stopped.
    pub map: Vec<(i64, StateKind)>,
    pub micro_ms: i64,
}

/// A change of a machine's state at `t`: its state value, or `None` for no data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub t: i64,
    pub state: Option<i64>,
}

impl Recipe {
    /// The recipe of a configured machine.
    pub fn of(plant: &Plant, m: &Machine) -> Recipe {
        let hold = |t: crate::config::TagRef<'_>| {
            t.tag.storage_interval_ms(t.device) + 2 * t.tag.effective_poll_ms(t.device) as i64
        };
        let counter = |role| {
            plant.role_tag(&m.key, role).map(|t| CounterTag {
                id: t.id,
                width: counter::width(t.tag.effective_type()),
                hold_ms: hold(t),
                max_per_min: m.max_rate_per_min,
                ideal_max: Vec::new(),
            })
        };
        let count = counter(TagRole::Count);
        let run_map = vec![(0, StateKind::Stopped), (1, StateKind::Running)];
        let (state, map) = if let Some(t) = plant.role_tag(&m.key, TagRole::State) {
            let map = m
                .state_map()
                .into_iter()
                .map(|d| (d.value, d.kind))
                .collect();
            (
                StateSource::Tag {
                    id: t.id,
                    hold_ms: hold(t),
                },
                map,
            )
        } else if let Some(t) = plant.role_tag(&m.key, TagRole::Run) {
            (
                StateSource::RunBit {
                    id: t.id,
                    hold_ms: hold(t),
                },
                run_map,
            )
        } else if let (Some(s), Some(_)) = (m.running_when_counted_s, &count) {
            (
                StateSource::Counted {
                    within_ms: s as i64 * 1000,
                },
                run_map,
            )
        } else {
            (StateSource::None, run_map)
        };
        Recipe {
            machine: m.key.clone(),
            state,
            count,
            scrap: counter(TagRole::Scrap),
            map,
            micro_ms: m
                .micro_stop_s
                .unwrap_or(crate::config::DEFAULT_MICRO_STOP_S) as i64
                * 1000,
        }
    }

    /// The recipe with the machine's ideal cycle times (all of them, oldest first) as
    /// the counters' maximum rate where none is configured.
    pub fn with_ideals(mut self, ideals: &[super::records::IdealCycle]) -> Recipe {
        let limits: Vec<(i64, f64)> = ideals
            .iter()
            .filter(|i| i.cycle_ms > 0)
            .map(|i| (i.from_ms, IDEAL_RATE_FACTOR * 60_000.0 / i.cycle_ms as f64))
            .collect();
        for c in [self.count.as_mut(), self.scrap.as_mut()]
            .into_iter()
            .flatten()
        {
            if c.max_per_min.is_none() {
                c.ideal_max = limits.clone();
            }
        }
        self
    }

    /// The recipe of machine `m` with its ideal cycle times from the database.
    pub fn load(
        conn: &rusqlite::Connection,
        plant: &Plant,
        m: &Machine,
    ) -> rusqlite::Result<Recipe> {
        let recipe = Recipe::of(plant, m);
        let Some(id) = super::records::machine_id(conn, &m.key)? else {
            return Ok(recipe);
        };
        let ideals = super::records::ideal_cycles(conn, id, &m.key)?;
        Ok(recipe.with_ideals(&ideals))
    }

    /// The kind of a state value; `None` for no data, and for a value the state map
    /// does not name (or names "unknown"): its time is no-data time.
    pub fn kind(&self, state: Option<i64>) -> Option<StateKind> {
        let v = state?;
        self.map
            .iter()
            .find(|(value, _)| *value == v)
            .map(|(_, k)| *k)
            .filter(|k| *k != StateKind::Unknown)
    }

    /// The tags whose samples this recipe reads.
    pub fn tags(&self) -> Vec<TagId> {
        let mut v = Vec::new();
        match self.state {
            StateSource::Tag { id, .. } | StateSource::RunBit { id, .. } => v.push(id),
            _ => {}
        }
        v.extend(self.count.iter().map(|c| c.id));
        v.extend(self.scrap.iter().map(|c| c.id));
        v.sort_unstable();
        v.dedup();
        v
    }

    /// A fingerprint of what the hourly summaries depend on (not the micro-stop
    /// threshold, which applies when figures are computed).
    pub fn fingerprint(&self) -> i64 {
        let text = format!(
            "v2|{:?}|{:?}|{:?}|{:?}",
            self.state, self.count, self.scrap, self.map
        );
        // FNV-1a, 64 bits.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h as i64
    }
}

/// Where following a machine's samples has got to: enough to go on from here exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carry {
    /// The state now (`None`: no data).
    pub state: Option<i64>,
    /// When the stop in progress began.
    pub stop_start: Option<i64>,
    /// The state tag's last sample.
    pub state_ts: Option<i64>,
    /// The part counter's last good value, and its last sample's time.
    pub count_base: Option<i64>,
    pub count_ts: Option<i64>,
    /// Counted machines: running until then.
    pub run_until: Option<i64>,
    pub scrap_base: Option<i64>,
    pub scrap_ts: Option<i64>,
    /// The time of the part and scrap counters' last good readings (the time a step
    /// took, for plausibility).
    pub count_good_ts: Option<i64>,
    pub scrap_good_ts: Option<i64>,
}

/// What following samples produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Out {
    pub changes: Vec<Change>,
    /// Parts counted at a sample's time (only steps that counted).
    pub steps: Vec<(i64, i64)>,
    pub scrap: Vec<(i64, i64)>,
    pub events: Vec<CounterEvent>,
}

impl Out {
    pub fn clear(&mut self) {
        self.changes.clear();
        self.steps.clear();
        self.scrap.clear();
        self.events.clear();
    }
}

fn set(recipe: &Recipe, carry: &mut Carry, t: i64, state: Option<i64>, out: &mut Out) {
    if carry.state == state {
        return;
    }
    carry.state = state;
    out.changes.push(Change { t, state });
    match recipe.kind(state) {
        Some(StateKind::Running) => carry.stop_start = None,
        Some(_) => {
            carry.stop_start.get_or_insert(t);
        }
        // No data neither begins nor ends a stop.
        None => {}
    }
}

/// Applies what happens by itself before `t`: a state's hold running out, a counted
/// machine's run time running out.
pub fn advance(recipe: &Recipe, carry: &mut Carry, t: i64, out: &mut Out) {
    match recipe.state {
        StateSource::Tag { hold_ms, .. } | StateSource::RunBit { hold_ms, .. } => {
            if let Some(last) = carry.state_ts
                && last + hold_ms < t
            {
                set(recipe, carry, last + hold_ms, None, out);
            }
        }
        StateSource::Counted { .. } => loop {
            let hold = recipe.count.as_ref().map_or(0, |c| c.hold_ms);
            let run_end = carry.run_until.filter(|u| *u < t && carry.state == Some(1));
            let silent = carry
                .count_ts
                .map(|l| l + hold)
                .filter(|h| *h < t && carry.state.is_some());
            match (run_end, silent) {
                (Some(r), Some(h)) if h < r => set(recipe, carry, h, None, out),
                (Some(r), _) => set(recipe, carry, r, Some(0), out),
                (None, Some(h)) => set(recipe, carry, h, None, out),
                (None, None) => break,
            }
        },
        StateSource::None => {}
    }
}

/// Follows one sample. Samples of one tag must come in time order; an older one than
/// the last of its tag is ignored.
pub fn push(recipe: &Recipe, carry: &mut Carry, s: &Sample, out: &mut Out) {
    match recipe.state {
        StateSource::Tag { id, hold_ms } | StateSource::RunBit { id, hold_ms }
            if id == s.tag_id =>
        {
            if let Some(last) = carry.state_ts {
                if s.ts <= last {
                    return;
                }
                if s.ts > last + hold_ms {
                    set(recipe, carry, last + hold_ms, None, out);
                }
            }
            let run_bit = matches!(recipe.state, StateSource::RunBit { .. });
            let v = s.value().map(|v| {
                if run_bit {
                    i64::from(v != 0.0)
                } else {
                    v.round() as i64
                }
            });
            set(recipe, carry, s.ts, v, out);
            carry.state_ts = Some(s.ts);
        }
        _ => {}
    }
    if let Some(c) = &recipe.count
        && c.id == s.tag_id
    {
        if carry.count_ts.is_some_and(|l| s.ts <= l) {
            return;
        }
        let counted = matches!(recipe.state, StateSource::Counted { .. });
        if counted {
            advance(recipe, carry, s.ts, out);
        }
        carry.count_ts = Some(s.ts);
        if s.quality == Quality::Reconfigured {
            new_series(&mut carry.count_base, s.ts, false, out);
        }
        let Some(v) = s.value().map(|v| v.round() as i64) else {
            if counted {
                set(recipe, carry, s.ts, None, out);
            }
            return;
        };
        let parts = match carry.count_base {
            None => 0,
            Some(p) => {
                let st = counter::step(p, v, c.width);
                let since = carry.count_good_ts.map(|g| s.ts - g);
                let st = counter::check(st, c.width, c.max_at(s.ts), since);
                out.events.extend(CounterEvent::of(s.ts, false, p, v, st));
                st.parts()
            }
        };
        carry.count_base = Some(v);
        carry.count_good_ts = Some(s.ts);
        if parts > 0 {
            out.steps.push((s.ts, parts));
        }
        if let StateSource::Counted { within_ms } = recipe.state {
            if parts > 0 {
                carry.run_until = Some(s.ts + within_ms);
                set(recipe, carry, s.ts, Some(1), out);
            } else if carry.state != Some(1) || carry.run_until.is_some_and(|u| u <= s.ts) {
                set(recipe, carry, s.ts, Some(0), out);
            }
        }
    }
    if let Some(c) = &recipe.scrap
        && c.id == s.tag_id
    {
        if carry.scrap_ts.is_some_and(|l| s.ts <= l) {
            return;
        }
        carry.scrap_ts = Some(s.ts);
        if s.quality == Quality::Reconfigured {
            new_series(&mut carry.scrap_base, s.ts, true, out);
        }
        let Some(v) = s.value().map(|v| v.round() as i64) else {
            return;
        };
        if let Some(p) = carry.scrap_base {
            let st = counter::step(p, v, c.width);
            let since = carry.scrap_good_ts.map(|g| s.ts - g);
            let st = counter::check(st, c.width, c.max_at(s.ts), since);
            out.events.extend(CounterEvent::of(s.ts, true, p, v, st));
            if st.parts() > 0 {
                out.scrap.push((s.ts, st.parts()));
            }
        }
        carry.scrap_base = Some(v);
        carry.scrap_good_ts = Some(s.ts);
    }
}

/// A counter's decoding changed at `ts`: its next reading is only a baseline (no
/// increase across the change), and an event says so.
fn new_series(base: &mut Option<i64>, ts: i64, scrap: bool, out: &mut Out) {
    let previous = base.take().unwrap_or(0);
    out.events.push(CounterEvent {
        ts,
        kind: "new_series",
        scrap,
        previous,
        value: previous,
        counted: 0,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;

    pub(crate) fn recipe() -> Recipe {
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

    fn run(recipe: &Recipe, samples: &[Sample]) -> (Carry, Out) {
        let mut carry = Carry::default();
        let mut out = Out::default();
        for s in samples {
            push(recipe, &mut carry, s, &mut out);
        }
        (carry, out)
    }

    #[test]
    fn a_state_holds_until_the_next_sample_and_a_bad_sample_begins_no_data() {
        let r = recipe();
        let (carry, out) = run(
            &r,
            &[
                Sample::good(1, 1000, 1.0),
                Sample::good(1, 30_000, 1.0),
                Sample::good(1, 50_000, 0.0),
                Sample::bad(1, 60_000, Quality::NoAnswer),
                Sample::bad(1, 61_000, Quality::NoAnswer),
                Sample::good(1, 90_000, 0.0),
                Sample::good(1, 95_000, 1.0),
            ],
        );
        let got: Vec<_> = out.changes.iter().map(|c| (c.t, c.state)).collect();
        assert_eq!(
            got,
            [
                (1000, Some(1)),
                (50_000, Some(0)),
                (60_000, None),
                (90_000, Some(0)),
                (95_000, Some(1))
            ]
        );
        assert_eq!(carry.stop_start, None);
    }

    #[test]
    fn silence_longer_than_the_hold_is_no_data() {
        let r = recipe();
        let (mut carry, mut out) = run(
            &r,
            &[Sample::good(1, 0, 1.0), Sample::good(1, 100_000, 1.0)],
        );
        // Plantlog did not run from 62 s (the hold) to 100 s.
        let got: Vec<_> = out.changes.iter().map(|c| (c.t, c.state)).collect();
        assert_eq!(got, [(0, Some(1)), (62_000, None), (100_000, Some(1))]);
        out.clear();
        advance(&r, &mut carry, 162_000, &mut out);
        assert!(out.changes.is_empty(), "the hold ends at 162 s, not before");
        advance(&r, &mut carry, 162_001, &mut out);
        assert_eq!(
            out.changes,
            [Change {
                t: 162_000,
                state: None
            }]
        );
    }

    #[test]
    fn a_stop_begins_when_the_machine_leaves_running_and_no_data_does_not_end_it() {
        let r = recipe();
        let (carry, _) = run(
            &r,
            &[
                Sample::good(1, 0, 1.0),
                Sample::good(1, 10_000, 2.0),
                Sample::bad(1, 20_000, Quality::NoAnswer),
                Sample::good(1, 30_000, 0.0),
            ],
        );
        assert_eq!(carry.stop_start, Some(10_000));
    }

    #[test]
    fn parts_across_an_outage_are_counted_when_the_device_returns() {
        let r = recipe();
        let (_, out) = run(
            &r,
            &[
                Sample::good(2, 0, 100.0), // baseline: counts nothing
                Sample::good(2, 1000, 103.0),
                Sample::bad(2, 2000, Quality::NoAnswer),
                Sample::bad(2, 3000, Quality::NoAnswer),
                Sample::good(2, 9000, 140.0), // the counter kept counting
                Sample::good(2, 9500, 30_000.0),
                Sample::good(2, 9700, 60_000.0),
                Sample::good(2, 10_000, 65_530.0),
                Sample::good(2, 11_000, 12.0), // u16 wrap: 18
                Sample::good(2, 12_000, 8.0),  // small step back: 0, baseline 8
                Sample::good(2, 13_000, 9.0),
            ],
        );
        assert_eq!(
            out.steps,
            [
                (1000, 3),
                (9000, 37),
                (9500, 29_860),
                (9700, 30_000),
                (10_000, 5_530),
                (11_000, 18),
                (13_000, 1)
            ]
        );
        let kinds: Vec<_> = out
            .events
            .iter()
            .map(|e| (e.ts, e.kind, e.counted))
            .collect();
        assert_eq!(kinds, [(11_000, "wrap", 18), (12_000, "step_back", 0)]);
    }

    /// Issue 9: a counter read with the wrong word order, then corrected. The wrong
    /// readings' jumps are implausible (counted as zero, held for review); the
    /// correction's marker starts a new series, so the count does not jump either way.
    #[test]
    fn a_wrong_word_order_and_its_correction_count_nothing_that_was_not_made() {
        let mut r = recipe();
        if let Some(c) = r.count.as_mut() {
            c.width = Some(1 << 32);
            c.max_per_min = Some(600.0);
        }
        // The true counter (CDAB on the device): 100_000, 100_001, ... Read as ABCD
        // the words swap: 0x86A0_0001 for 100_000, and each part adds 65_536.
        let abcd = |n: u32| f64::from(n.rotate_left(16));
        let mut samples = vec![
            Sample::good(2, 0, 99_990.0),
            Sample::good(2, 1000, 99_995.0), // right order: 5 parts
        ];
        // The order is changed to the wrong one: a new series...
        samples.push(Sample::bad(2, 1500, Quality::Reconfigured));
        for (i, n) in (100_000..100_010).enumerate() {
            samples.push(Sample::good(2, 2000 + 1000 * i as i64, abcd(n)));
        }
        // ...and corrected again: another.
        samples.push(Sample::bad(2, 11_500, Quality::Reconfigured));
        samples.push(Sample::good(2, 12_000, 100_012.0));
        samples.push(Sample::good(2, 13_000, 100_014.0));
        let (_, out) = run(&r, &samples);
        assert_eq!(out.steps, [(1000, 5), (13_000, 2)]);
        let kinds: Vec<_> = out
            .events
            .iter()
            .map(|e| (e.ts, e.kind, e.counted))
            .collect();
        let mut want = vec![(1500, "new_series", 0)];
        want.extend((1..10).map(|i| (2000 + 1000 * i, "implausible", 0)));
        want.extend([(11_500, "new_series", 0)]);
        assert_eq!(kinds, want);
        assert_eq!(out.events[1].value - out.events[1].previous, 65_536);
    }

    /// Issue 9: without a configured maximum, ten times the ideal rate in force at a
    /// step's time is the most that counts without review.
    #[test]
    fn the_ideal_rate_times_ten_is_the_default_maximum() {
        let ideal = |from_ms: i64, cycle_ms: i64| crate::production::records::IdealCycle {
            machine: "m".into(),
            from_ms,
            cycle_ms,
            comment: String::new(),
            entered_by: "sup".into(),
            entered_ms: 0,
        };
        // 6 s a part: 10 a minute ideal, 100 a minute at most; from 60 s on 3 s a part.
        let r = recipe().with_ideals(&[ideal(0, 6000), ideal(60_000, 3000)]);
        let c = r.count.as_ref().unwrap();
        assert_eq!(c.max_at(-1), None);
        assert_eq!(c.max_at(0), Some(100.0));
        assert_eq!(c.max_at(60_000), Some(200.0));
        let (_, out) = run(
            &r,
            &[
                Sample::good(2, 0, 0.0),
                Sample::good(2, 30_000, 50.0),  // 100 a minute: counts
                Sample::good(2, 36_000, 61.0),  // 11 in 6 s, over 10: held
                Sample::good(2, 66_000, 161.0), // 200 a minute from 60 s: counts
            ],
        );
        assert_eq!(out.steps, [(30_000, 50), (66_000, 100)]);
        assert_eq!(
            out.events.iter().map(|e| e.kind).collect::<Vec<_>>(),
            ["implausible"]
        );
        // A configured maximum wins over the ideal rate.
        let mut configured = recipe();
        configured.count.as_mut().unwrap().max_per_min = Some(1000.0);
        let c = configured.with_ideals(&[ideal(0, 6000)]).count.unwrap();
        assert!(c.ideal_max.is_empty());
        assert_eq!(c.max_at(5), Some(1000.0));
    }

    #[test]
    fn a_counted_machine_runs_while_its_counter_advances() {
        let mut r = recipe();
        r.state = StateSource::Counted { within_ms: 30_000 };
        r.map = vec![(0, StateKind::Stopped), (1, StateKind::Running)];
        let (mut carry, mut out) = run(
            &r,
            &[
                Sample::good(2, 0, 10.0),      // baseline: stopped
                Sample::good(2, 5000, 11.0),   // running until 35 s
                Sample::good(2, 20_000, 12.0), // until 50 s
                Sample::good(2, 40_000, 12.0), // still running
                Sample::good(2, 60_000, 12.0), // stopped since 50 s
                Sample::bad(2, 70_000, Quality::NoAnswer),
                Sample::good(2, 80_000, 13.0),
            ],
        );
        advance(&r, &mut carry, 200_000, &mut out);
        let got: Vec<_> = out.changes.iter().map(|c| (c.t, c.state)).collect();
        assert_eq!(
            got,
            [
                (0, Some(0)),
                (5000, Some(1)),
                (50_000, Some(0)),
                (70_000, None),
                (80_000, Some(1)),
                (110_000, Some(0)),
                (142_000, None)
            ]
        );
    }

    #[test]
    fn a_run_bit_is_running_when_not_zero() {
        let mut r = recipe();
        r.state = StateSource::RunBit {
            id: 1,
            hold_ms: 3000,
        };
        r.map = vec![(0, StateKind::Stopped), (1, StateKind::Running)];
        let (_, out) = run(
            &r,
            &[
                Sample::good(1, 0, 1.0),
                Sample::good(1, 1000, 0.0),
                Sample::good(1, 2000, 7.0),
            ],
        );
        let got: Vec<_> = out.changes.iter().map(|c| c.state).collect();
        assert_eq!(got, [Some(1), Some(0), Some(1)]);
    }

    #[test]
    fn an_unmapped_state_value_is_no_data() {
        let r = recipe();
        assert_eq!(r.kind(Some(9)), None);
        assert_eq!(r.kind(Some(2)), Some(StateKind::Fault));
        assert_eq!(r.kind(None), None);
    }
}
