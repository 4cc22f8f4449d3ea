//! The recording policy: which readings of a tag are stored. Every reading goes to the
//! live views; this decides what the historian keeps. A change of quality is always
//! stored; so is a reading after the heartbeat, so a steady value still shows it was
//! read.
//!
//! Swinging door keeps the last reading back until the next one shows whether it is
//! needed: the stored points, joined by straight lines, stay within the deadband of
//! every reading. [`Recorder::flush`] hands out what is held back (at shutdown).

use crate::config::{DEFAULT_HEARTBEAT_S, Plant, RecordMode};
use crate::sample::{Sample, TagMap};

#[derive(Debug, Clone, Copy)]
struct Policy {
    mode: RecordMode,
    deadband: f64,
    percent: f64,
    heartbeat_ms: i64,
}

#[derive(Debug, Default)]
struct State {
    /// The last stored sample.
    stored: Option<Sample>,
    /// Swinging door: the last reading, not stored yet.
    held: Option<Sample>,
    /// Swinging door: the slopes (per ms) still allowed from the stored point.
    upper: f64,
    lower: f64,
}

/// Decides, tag by tag, which samples are stored.
#[derive(Debug, Default)]
pub struct Recorder {
    policies: TagMap<Policy>,
    states: TagMap<State>,
}

impl Recorder {
    /// Takes the policies of `plant`'s tags; state of tags that stay is kept.
    pub fn configure(&mut self, plant: &Plant) {
        self.policies = plant
            .tags()
            .map(|t| {
                (
                    t.id,
                    Policy {
                        mode: t.tag.record,
                        deadband: t.tag.deadband.unwrap_or(0.0),
                        percent: t.tag.deadband_percent.unwrap_or(0.0),
                        heartbeat_ms: t.tag.heartbeat_s.unwrap_or(DEFAULT_HEARTBEAT_S) as i64
                            * 1000,
                    },
                )
            })
            .collect();
        let policies = &self.policies;
        self.states.retain(|id, _| policies.contains_key(id));
    }

    /// The samples of `batch` to store, in time order per tag.
    pub fn filter(&mut self, batch: Vec<Sample>) -> Vec<Sample> {
        let mut out = Vec::with_capacity(batch.len());
        for s in batch {
            let policy = match self.policies.get(&s.tag_id) {
                Some(p) if p.mode != RecordMode::EveryPoll => *p,
                // Every poll, or a tag not (or no longer) configured: store it.
                _ => {
                    out.push(s);
                    continue;
                }
            };
            let state = self.states.entry(s.tag_id).or_default();
            decide(policy, state, s, &mut out);
        }
        out
    }

    /// What swinging door holds back, to store before stopping.
    pub fn flush(&mut self) -> Vec<Sample> {
        self.states
            .values_mut()
            .filter_map(|st| st.held.take())
            .collect()
    }
}

fn store(state: &mut State, s: Sample, out: &mut Vec<Sample>) {
    state.stored = Some(s.clone());
    state.held = None;
    state.upper = f64::INFINITY;
    state.lower = f64::NEG_INFINITY;
    out.push(s);
}

fn decide(p: Policy, state: &mut State, s: Sample, out: &mut Vec<Sample>) {
    let Some(last) = state.stored.clone() else {
        store(state, s, out);
        return;
    };
    if s.ts <= last.ts {
        // A reading older than the last stored one (a clock step): keep it, in order.
        out.push(s);
        return;
    }
    let quality_changed =
        s.quality != last.quality || state.held.as_ref().is_some_and(|h| h.quality != s.quality);
    let heartbeat = s.ts - last.ts >= p.heartbeat_ms;
    if quality_changed || heartbeat {
        if let Some(h) = state.held.take() {
            if h.quality.is_good() && s.quality.is_good() && !quality_changed {
                // Heartbeat in the middle of a door: the held point goes first.
                store(state, h, out);
            } else {
                // The end of a good stretch is stored before the change.
                out.push(h);
            }
        }
        store(state, s, out);
        return;
    }
    if !s.quality.is_good() {
        return; // more of the same bad quality: the transition is stored already
    }
    let (Some(v), Some(lv)) = (s.value(), last.value()) else {
        // Text: stored on change.
        if s.text() != last.text() {
            store(state, s, out);
        }
        return;
    };
    match p.mode {
        RecordMode::EveryPoll => store(state, s, out),
        RecordMode::OnChange => {
            if v != lv {
                store(state, s, out);
            }
        }
        RecordMode::Deadband => {
            let band = if p.deadband > 0.0 {
                p.deadband
            } else {
                lv.abs() * p.percent / 100.0
            };
            if (v - lv).abs() > band {
                store(state, s, out);
            }
        }
        RecordMode::SwingingDoor => {
            let dt = (s.ts - last.ts) as f64;
            let up = (v + p.deadband - lv) / dt;
            let down = (v - p.deadband - lv) / dt;
            let upper = state.upper.min(up);
            let lower = state.lower.max(down);
            if lower <= upper {
                // Still inside the door: hold this reading back.
                state.upper = upper;
                state.lower = lower;
                state.held = Some(s);
            } else {
                // The door closed: the held reading is stored and a new door starts there.
                match state.held.take() {
                    Some(h) => {
                        store(state, h, out);
                        decide(p, state, s, out);
                    }
                    None => store(state, s, out),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;

    fn policy(mode: RecordMode, deadband: f64) -> Policy {
        Policy {
            mode,
            deadband,
            percent: 0.0,
            heartbeat_ms: 60_000,
        }
    }

    fn run(p: Policy, input: &[Sample]) -> Vec<Sample> {
        let mut st = State::default();
        let mut out = Vec::new();
        for s in input {
            decide(p, &mut st, s.clone(), &mut out);
        }
        out.extend(st.held.take());
        out
    }

    #[test]
    fn on_change_keeps_changes_quality_and_heartbeats() {
        let mut input: Vec<Sample> = (0..200)
            .map(|i| Sample::good(1, i * 1000, if i < 100 { 1.0 } else { 2.0 }))
            .collect();
        input.insert(150, Sample::bad(1, 149_500, Quality::NoAnswer));
        input.insert(151, Sample::bad(1, 149_700, Quality::NoAnswer));
        let out = run(policy(RecordMode::OnChange, 0.0), &input);
        let ts: Vec<i64> = out.iter().map(|s| s.ts).collect();
        // first, heartbeat at 60 s, change at 100 s, the bad transition, the good after it,
        // heartbeat 60 s after that
        assert_eq!(ts, vec![0, 60_000, 100_000, 149_500, 150_000]);
    }

    #[test]
    fn swinging_door_stays_within_its_deadband() {
        // A slow ramp with noise: few points, and every reading within the band of the
        // straight lines between them.
        let input: Vec<Sample> = (0..600)
            .map(|i| {
                Sample::good(
                    1,
                    i * 1000,
                    i as f64 * 0.01 + ((i * 7919) % 13) as f64 * 0.003,
                )
            })
            .collect();
        let band = 0.05;
        let out = run(
            Policy {
                heartbeat_ms: 1_000_000,
                ..policy(RecordMode::SwingingDoor, band)
            },
            &input,
        );
        assert!(out.len() < 60, "{} points kept", out.len());
        for s in &input {
            let i = out.partition_point(|o| o.ts <= s.ts);
            if i == 0 || i == out.len() {
                continue;
            }
            let (a, b) = (&out[i - 1], &out[i]);
            let line = a.value().unwrap()
                + (b.value().unwrap() - a.value().unwrap()) * (s.ts - a.ts) as f64
                    / (b.ts - a.ts) as f64;
            assert!(
                (line - s.value().unwrap()).abs() <= band + 1e-9,
                "at {}",
                s.ts
            );
        }
    }

    #[test]
    fn deadband_absolute_and_percent() {
        let input: Vec<Sample> = [10.0, 10.4, 10.6, 11.2, 11.0]
            .iter()
            .enumerate()
            .map(|(i, v)| Sample::good(1, i as i64 * 1000, *v))
            .collect();
        let out = run(policy(RecordMode::Deadband, 0.5), &input);
        assert_eq!(
            out.iter().map(|s| s.value().unwrap()).collect::<Vec<_>>(),
            vec![10.0, 10.6, 11.2]
        );
        let pct = Policy {
            percent: 6.0,
            ..policy(RecordMode::Deadband, 0.0)
        };
        let out = run(pct, &input);
        assert_eq!(
            out.iter().map(|s| s.value().unwrap()).collect::<Vec<_>>(),
            vec![10.0, 11.2]
        );
    }
}
