//! Alarm rules evaluated on the sample stream: pure, no clock and no database. Samples
//! and ticks (the time now, with what people entered about stops) go in; transitions
//! (an alarm becoming active or clearing, at the exact millisecond its delay ran out)
//! come out.
//!
//! Every rule comes down to one or more [`Edge`]s: a condition with an on-delay and an
//! off-delay. The condition of a limit rule has a deadband (hysteresis); the time-based
//! rules (offline, stale, stop without reason, counter stalled) are conditions that
//! start at a sample's time and whose delay is the rule's "after".

use std::collections::{HashMap, HashSet};

use crate::config::{AlarmKind, AlarmRule, Plant, Priority, StateKind, TagRole};
use crate::sample::{Quality, Sample, TagId, TagMap};

/// One alarm a rule can raise (a fault word's rule raises one per bit).
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmDef {
    /// Stable: the rule's key, "/bit3" after it for a bit; "system/<code>" for Plantlog's own.
    pub key: String,
    pub rule: String,
    pub kind: &'static str,
    /// The alarm's text in lists: the rule's name, and a bit's text after it.
    pub name: String,
    pub priority: Priority,
    pub roles: Vec<String>,
    pub action: String,
    pub machine: Option<String>,
}

/// An alarm becoming active or clearing.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub key: String,
    pub active: bool,
    /// When: the sample's time plus the delay that ran out (UTC ms).
    pub at: i64,
    /// The value that made it, where there is one.
    pub value: Option<f64>,
}

/// A condition with delays. `since` is when the condition began to differ from `active`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Edge {
    pub active: bool,
    since: Option<i64>,
}

impl Edge {
    /// The condition holds (or not) at `ts`: returns the transition time when the
    /// alarm's state changes.
    pub fn step(&mut self, cond: bool, ts: i64, on_ms: i64, off_ms: i64) -> Option<i64> {
        if cond == self.active {
            self.since = None;
            return None;
        }
        let since = *self.since.get_or_insert(ts);
        self.ripe(since, ts, on_ms, off_ms)
    }

    /// Time passes without a new sample: a pending change whose delay ran out happens.
    pub fn tick(&mut self, now: i64, on_ms: i64, off_ms: i64) -> Option<i64> {
        let since = self.since?;
        self.ripe(since, now, on_ms, off_ms)
    }

    fn ripe(&mut self, since: i64, now: i64, on_ms: i64, off_ms: i64) -> Option<i64> {
        let delay = if self.active { off_ms } else { on_ms };
        if now - since >= delay {
            self.active = !self.active;
            self.since = None;
            Some(since + delay)
        } else {
            None
        }
    }
}

/// What the core knows at a tick that samples do not say.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Per machine, the newest time a reason was given to one of its stops.
    pub reasons: HashMap<String, i64>,
}

#[derive(Debug, Clone)]
enum Watch {
    /// The deadband applies once the alarm is active: raised above (below) the limit,
    /// cleared only past the limit minus (plus) the deadband.
    Limit {
        high: bool,
        limit: f64,
        deadband: f64,
    },
    Rate {
        limit: f64,
        prev: Option<(i64, f64)>,
    },
    Bits {
        bits: Vec<u8>,
    },
    Values {
        values: Vec<i64>,
    },
    /// The energy counter's reading at the start of the current demand interval.
    Demand {
        interval_ms: i64,
        limit_kw: f64,
        /// (interval start, baseline reading) of the current interval.
        base: Option<(i64, f64)>,
        /// The last good reading.
        last: Option<(i64, f64)>,
    },
    Offline,
    Stale,
    Stop {
        state: TagId,
        run_bit: bool,
        kinds: Vec<(i64, StateKind)>,
        stopped_since: Option<i64>,
        /// A reason was given to the current stop.
        explained: bool,
    },
    Stalled {
        state: TagId,
        run_bit: bool,
        kinds: Vec<(i64, StateKind)>,
        count: TagId,
        running: bool,
        last_count: Option<f64>,
    },
}

#[derive(Debug, Clone)]
struct Rule {
    watch: Watch,
    /// One edge per alarm (per bit for a fault word), with its definition's index.
    edges: Vec<(usize, Edge)>,
    on_ms: i64,
    off_ms: i64,
    last_value: Option<f64>,
}

/// Every rule of a configuration, indexed by the tags they read.
#[derive(Debug, Clone, Default)]
pub struct Evaluator {
    defs: Vec<AlarmDef>,
    rules: Vec<Rule>,
    by_tag: TagMap<Vec<usize>>,
    out: Vec<Transition>,
}

fn secs(s: f64) -> i64 {
    (s * 1000.0).round() as i64
}

impl Evaluator {
    /// The rules of a plant; `start` is when watching began (a stale rule counts from
    /// there until its tag's first good sample).
    pub fn new(plant: &Plant, start: i64) -> Evaluator {
        let mut e = Evaluator::default();
        for rule in &plant.config.alarms {
            e.add(plant, rule, start);
        }
        e
    }

    fn add(&mut self, plant: &Plant, r: &AlarmRule, start: i64) {
        let tag = r.tag.as_deref().and_then(|t| {
            let (d, n) = t.split_once('/')?;
            plant.tag_id(d, n)
        });
        let machine = r.machine.clone().or_else(|| {
            if let Some(id) = tag {
                let t = plant.tag(id)?;
                return t.tag.machine_key(t.device).map(str::to_string);
            }
            let d = plant
                .config
                .devices
                .iter()
                .find(|d| Some(&d.key) == r.device.as_ref())?;
            d.machine.clone()
        });
        let def = |key: String, name: String| AlarmDef {
            key,
            rule: r.key.clone(),
            kind: r.kind.name(),
            name,
            priority: r.priority,
            roles: r.roles.clone(),
            action: r.action.clone(),
            machine: machine.clone(),
        };
        let index = self.rules.len();
        let mut tags: Vec<TagId> = Vec::new();
        let mut edges = Vec::new();
        let mut on_ms = secs(r.on_delay_s);
        let off_ms = secs(r.off_delay_s);
        let machine_tags = |m: &str| {
            let state = plant
                .role_tag(m, TagRole::State)
                .map(|t| (t.id, false))
                .or_else(|| plant.role_tag(m, TagRole::Run).map(|t| (t.id, true)));
            let kinds: Vec<(i64, StateKind)> = plant
                .machine(m)
                .map(|mm| mm.state_map().iter().map(|s| (s.value, s.kind)).collect())
                .unwrap_or_default();
            (state, kinds)
        };
        let watch = match r.kind {
            AlarmKind::High | AlarmKind::Low | AlarmKind::Rate | AlarmKind::Bit => {
                let Some(id) = tag else { return };
                tags.push(id);
                match r.kind {
                    AlarmKind::Bit => {
                        for b in &r.bits {
                            edges.push((self.defs.len(), Edge::default()));
                            self.defs.push(def(
                                format!("{}/bit{}", r.key, b.bit),
                                format!("{}: {}", r.name, b.text),
                            ));
                        }
                        Watch::Bits {
                            bits: r.bits.iter().map(|b| b.bit).collect(),
                        }
                    }
                    AlarmKind::Rate => Watch::Rate {
                        limit: r.limit.unwrap_or(f64::INFINITY),
                        prev: None,
                    },
                    k => Watch::Limit {
                        high: k == AlarmKind::High,
                        limit: r.limit.unwrap_or(f64::NAN),
                        deadband: r.deadband.unwrap_or(0.0),
                    },
                }
            }
            AlarmKind::State => {
                let Some(id) = tag else { return };
                tags.push(id);
                for v in &r.values {
                    edges.push((self.defs.len(), Edge::default()));
                    self.defs.push(def(
                        format!("{}/value{}", r.key, v.value),
                        format!("{}: {}", r.name, v.text),
                    ));
                }
                Watch::Values {
                    values: r.values.iter().map(|v| v.value).collect(),
                }
            }
            AlarmKind::Demand => {
                let Some(id) = tag else { return };
                tags.push(id);
                Watch::Demand {
                    interval_ms: r.interval_min.unwrap_or(15).max(1) as i64 * 60_000,
                    limit_kw: r.limit.unwrap_or(f64::INFINITY),
                    base: None,
                    last: None,
                }
            }
            AlarmKind::Stale => {
                let Some(id) = tag else { return };
                tags.push(id);
                on_ms = r.after_s.unwrap_or(0) as i64 * 1000;
                Watch::Stale
            }
            AlarmKind::Offline => {
                let Some(d) = plant
                    .config
                    .devices
                    .iter()
                    .find(|d| Some(&d.key) == r.device.as_ref())
                else {
                    return;
                };
                tags.extend(d.tags.iter().filter_map(|t| plant.tag_id(&d.key, &t.name)));
                on_ms = r.after_s.unwrap_or(0) as i64 * 1000;
                Watch::Offline
            }
            AlarmKind::StopWithoutReason | AlarmKind::CounterStalled => {
                let Some(m) = machine.as_deref() else { return };
                let (Some((state, run_bit)), kinds) = machine_tags(m) else {
                    return;
                };
                tags.push(state);
                on_ms = r.after_min.unwrap_or(0) as i64 * 60_000;
                if r.kind == AlarmKind::StopWithoutReason {
                    Watch::Stop {
                        state,
                        run_bit,
                        kinds,
                        stopped_since: None,
                        explained: false,
                    }
                } else {
                    let Some(count) = plant.role_tag(m, TagRole::Count) else {
                        return;
                    };
                    tags.push(count.id);
                    Watch::Stalled {
                        state,
                        run_bit,
                        kinds,
                        count: count.id,
                        running: false,
                        last_count: None,
                    }
                }
            }
        };
        if edges.is_empty() {
            edges.push((self.defs.len(), Edge::default()));
            self.defs.push(def(r.key.clone(), r.name.clone()));
        }
        let mut rule = Rule {
            watch,
            edges,
            on_ms,
            off_ms,
            last_value: None,
        };
        if matches!(rule.watch, Watch::Stale) {
            // Counting from the start until the first good sample.
            rule.edges[0].1.step(true, start, on_ms, off_ms);
        }
        for t in tags {
            self.by_tag.entry(t).or_default().push(index);
        }
        self.rules.push(rule);
    }

    /// Every alarm the rules can raise.
    pub fn defs(&self) -> &[AlarmDef] {
        &self.defs
    }

    /// Marks alarms active that were active before a restart, so they are continued
    /// (and cleared when their condition is gone) instead of raised again.
    pub fn resume(&mut self, active: &HashSet<String>) {
        for rule in &mut self.rules {
            let mut any = false;
            for (d, edge) in &mut rule.edges {
                if active.contains(&self.defs[*d].key) {
                    edge.active = true;
                    edge.since = None;
                    any = true;
                }
            }
            if any && matches!(rule.watch, Watch::Stale) {
                rule.edges[0].1.since = None;
            }
        }
    }

    /// Follows a batch of samples.
    pub fn update(&mut self, batch: &[Sample]) {
        for s in batch {
            let Some(rules) = self.by_tag.get(&s.tag_id) else {
                continue;
            };
            for &i in rules {
                let rule = &mut self.rules[i];
                step(rule, s, &self.defs, &mut self.out);
            }
        }
    }

    /// Time passes: delays that ran out by `now` take effect; stops given a reason
    /// since their start no longer count.
    pub fn tick(&mut self, now: i64, ctx: &Context) {
        for rule in &mut self.rules {
            let (on, off) = (rule.on_ms, rule.off_ms);
            if let Watch::Stop {
                stopped_since: Some(since),
                explained,
                ..
            } = &mut rule.watch
            {
                let machine = self.defs[rule.edges[0].0].machine.as_deref().unwrap_or("");
                if ctx.reasons.get(machine).is_some_and(|at| *at >= *since) {
                    *explained = true;
                    let (d, edge) = &mut rule.edges[0];
                    if let Some(at) = edge.step(false, now, on, off) {
                        push(&mut self.out, &self.defs[*d], false, at, None);
                    }
                    continue;
                }
            }
            let value = rule.last_value;
            for (d, edge) in &mut rule.edges {
                if let Some(at) = edge.tick(now, on, off) {
                    push(&mut self.out, &self.defs[*d], edge.active, at, value);
                }
            }
        }
    }

    /// The transitions since the last call, in the order they happened per alarm.
    pub fn take(&mut self) -> Vec<Transition> {
        std::mem::take(&mut self.out)
    }
}

fn push(out: &mut Vec<Transition>, def: &AlarmDef, active: bool, at: i64, value: Option<f64>) {
    out.push(Transition {
        key: def.key.clone(),
        active,
        at,
        value,
    });
}

fn kind_of(run_bit: bool, kinds: &[(i64, StateKind)], v: f64) -> Option<StateKind> {
    if run_bit {
        return Some(if v != 0.0 {
            StateKind::Running
        } else {
            StateKind::Stopped
        });
    }
    kinds
        .iter()
        .find(|(k, _)| *k as f64 == v)
        .map(|(_, kind)| *kind)
}

/// One sample through one rule.
fn step(rule: &mut Rule, s: &Sample, defs: &[AlarmDef], out: &mut Vec<Transition>) {
    let (on, off) = (rule.on_ms, rule.off_ms);
    let mut conds: Vec<Option<bool>> = vec![None; rule.edges.len()];
    // Some rules restart their condition at the sample (a fresh stale or stall count).
    let mut restart = false;
    let v = s.value();
    let active = rule.edges.first().is_some_and(|(_, e)| e.active);
    match &mut rule.watch {
        Watch::Limit {
            high,
            limit,
            deadband,
        } => {
            let Some(v) = v else { return };
            conds[0] = Some(match (*high, active) {
                (true, false) => v > *limit,
                (true, true) => v > *limit - *deadband,
                (false, false) => v < *limit,
                (false, true) => v < *limit + *deadband,
            });
        }
        Watch::Rate { limit, prev } => {
            let Some(v) = v else { return };
            if let Some((t0, v0)) = *prev
                && s.ts > t0
            {
                let per_min = (v - v0) / ((s.ts - t0) as f64 / 60_000.0);
                // Readings are scaled decimals: a change of exactly the limit (0.1 in
                // a second against 6 per minute) must not count as over it through
                // binary rounding, so the limit gets a relative margin of 1e-9.
                conds[0] = Some(per_min.abs() > *limit * (1.0 + 1e-9));
            }
            *prev = Some((s.ts, v));
        }
        Watch::Bits { bits } => {
            let Some(v) = v else { return };
            let word = v as i64 as u64;
            for (i, b) in bits.iter().enumerate() {
                conds[i] = Some(word >> b & 1 == 1);
            }
        }
        Watch::Values { values } => {
            let Some(v) = v else { return };
            for (i, x) in values.iter().enumerate() {
                conds[i] = Some(v == *x as f64);
            }
        }
        Watch::Demand {
            interval_ms,
            limit_kw,
            base,
            last,
        } => {
            let Some(v) = v else { return };
            let start = s.ts.div_euclid(*interval_ms) * *interval_ms;
            let new_interval = base.is_none_or(|(b, _)| b != start);
            if new_interval {
                // The baseline: the reading at the interval's start, or the last one
                // before it (the energy until then belongs to the interval before),
                // else this first one.
                let at_start = match *last {
                    Some((t, lv)) if t <= start && start - t < *interval_ms => lv,
                    _ => v,
                };
                *base = Some((start, at_start));
            }
            if let Some((b, bv)) = *base
                && v < bv
            {
                // The counter was reset or rolled over: count from here.
                *base = Some((b, v));
            }
            let used_kwh = v - base.map_or(v, |(_, bv)| bv);
            let kw = used_kwh * 3_600_000.0 / *interval_ms as f64;
            *last = Some((s.ts, v));
            // A small relative margin: a demand of exactly the limit is not over it.
            conds[0] = Some(kw > *limit_kw * (1.0 + 1e-9));
        }
        Watch::Offline => match s.quality {
            Quality::Good | Quality::BadValue => conds[0] = Some(false),
            Quality::NoAnswer | Quality::Exception(_) => conds[0] = Some(true),
            // Neither says whether the device answers.
            Quality::Stale | Quality::Reconfigured => {}
        },
        Watch::Stale => {
            if s.quality.is_good() {
                conds[0] = Some(false);
                restart = true;
            }
        }
        Watch::Stop {
            state,
            run_bit,
            kinds,
            stopped_since,
            explained,
        } => {
            if s.tag_id != *state {
                return;
            }
            let stopped = v
                .and_then(|v| kind_of(*run_bit, kinds, v))
                .map(|k| matches!(k, StateKind::Stopped | StateKind::Idle | StateKind::Fault));
            match stopped {
                Some(true) => {
                    if stopped_since.is_none() {
                        *stopped_since = Some(s.ts);
                        *explained = false;
                    }
                    conds[0] = Some(!*explained);
                }
                Some(false) => {
                    *stopped_since = None;
                    conds[0] = Some(false);
                }
                // No state known: the stop neither starts nor ends.
                None => return,
            }
        }
        Watch::Stalled {
            state,
            run_bit,
            kinds,
            count,
            running,
            last_count,
        } => {
            if s.tag_id == *state {
                let Some(k) = v.and_then(|v| kind_of(*run_bit, kinds, v)) else {
                    return;
                };
                let now_running = k == StateKind::Running;
                if now_running == *running {
                    return;
                }
                *running = now_running;
                conds[0] = Some(false);
                restart = now_running;
            } else if s.tag_id == *count {
                let Some(v) = v else { return };
                if last_count.is_some_and(|c| c == v) {
                    return;
                }
                *last_count = Some(v);
                conds[0] = Some(false);
                restart = *running;
            }
        }
    }
    if v.is_some() {
        rule.last_value = v;
    }
    for (i, (d, edge)) in rule.edges.iter_mut().enumerate() {
        let Some(c) = conds[i] else { continue };
        if let Some(at) = edge.step(c, s.ts, on, off) {
            push(out, &defs[*d], c, at, v);
        }
        if restart && let Some(at) = edge.step(true, s.ts, on, off) {
            push(out, &defs[*d], true, at, v);
        }
    }
}

#[cfg(test)]
#[path = "tests_eval.rs"]
mod tests;
