//! The shapes the production pages show: a machine's state now, its stops with their
//! reasons, the parts target, the supervisor's shift view, the operator's machine view,
//! a machine's stop history and the andon board. Built from computed figures; no
//! database, no clock.

use serde::Serialize;

use super::calendar::Calendar;
use super::compute::{Computed, MachineData, StopInfo};
use super::records::{Reason, Reasons, Records};
use super::report::{DownByState, Figures, Row, duration};
use super::spans;
use super::timeline::Recipe;
use crate::config::{Machine, StateKind};

/// A machine's state now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StateNow {
    /// The state value; null: no data.
    pub value: Option<i64>,
    /// The plant's word for it ("Tool change"), or "No data".
    pub label: String,
    pub kind: StateKind,
    /// Since when.
    pub since_ms: i64,
}

/// One reason stretch of a stop.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StopSegment {
    pub from_ms: i64,
    pub to_ms: i64,
    pub reason_id: Option<i64>,
    /// "Mechanical / Jam"; null: not explained.
    pub reason: Option<String>,
    pub planned: bool,
    pub comment: String,
    /// Who gave the reason, and when; null when none was given.
    pub entered_by: Option<String>,
    pub entered_ms: Option<i64>,
}

/// A stop: from leaving running until running again.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StopView {
    pub start_ms: i64,
    /// Null: still stopped.
    pub end_ms: Option<i64>,
    /// Downtime in planned production time (in the range shown), by state.
    pub down_s: f64,
    pub down_by_state: DownByState,
    pub no_data_s: f64,
    /// Every part of it is shorter than the micro-stop threshold (or it was planned).
    pub micro: bool,
    /// Some of its downtime (in parts that are not micro-stops) has no reason.
    pub needs_reason: bool,
    pub segments: Vec<StopSegment>,
}

/// Parts the machine should have made by now: planned production time so far divided
/// by the ideal cycle time in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Target {
    /// Null without an ideal cycle time.
    pub parts: Option<i64>,
    pub how: String,
}

fn segment_view(seg: &(i64, i64, Option<usize>), recs: &Records, reasons: &Reasons) -> StopSegment {
    let entry = seg.2.map(|k| &recs.stop_reasons[k]);
    let reason: Option<&Reason> = entry.and_then(|e| e.reason_id).and_then(|i| reasons.get(i));
    StopSegment {
        from_ms: seg.0,
        to_ms: seg.1,
        reason_id: reason.map(|r| r.id),
        reason: reason.map(Reason::label),
        planned: reason.is_some_and(|r| r.planned),
        comment: entry.map(|e| e.comment.clone()).unwrap_or_default(),
        entered_by: entry.map(|e| e.entered_by.clone()),
        entered_ms: entry.map(|e| e.entered_ms),
    }
}

pub fn stop_view(info: &StopInfo, recs: &Records, reasons: &Reasons) -> StopView {
    let s = |ms: i64| ms as f64 / 1000.0;
    StopView {
        start_ms: info.start,
        end_ms: info.end,
        down_s: s(info.down_ms),
        down_by_state: DownByState {
            stopped_s: s(info.down_by_state[0]),
            idle_s: s(info.down_by_state[1]),
            setup_s: s(info.down_by_state[2]),
            fault_s: s(info.down_by_state[3]),
        },
        no_data_s: s(info.no_data_ms),
        micro: info.parts == 0,
        needs_reason: info.needs_reason(),
        segments: info
            .segments
            .iter()
            .map(|seg| segment_view(seg, recs, reasons))
            .collect(),
    }
}

/// The state at the end of the data, with the machine's own word for it.
pub fn state_now(machine: &Machine, recipe: &Recipe, data: &MachineData) -> StateNow {
    let (since, value) = data
        .timeline
        .changes
        .last()
        .map_or((data.timeline.start, data.timeline.initial), |c| {
            (c.t, c.state)
        });
    let kind = recipe.kind(value).unwrap_or(StateKind::Unknown);
    let label = match value {
        None => "No data".to_string(),
        Some(v) => machine
            .state_map()
            .into_iter()
            .find(|d| d.value == v)
            .map(|d| d.label)
            .filter(|_| matches!(recipe.state, super::timeline::StateSource::Tag { .. }))
            .unwrap_or_else(|| match kind {
                StateKind::Running => "Running".to_string(),
                StateKind::Stopped => "Stopped".to_string(),
                _ => format!("State {v}"),
            }),
    };
    StateNow {
        value,
        label,
        kind,
        since_ms: since,
    }
}

/// The parts target so far: each stretch of planned production time divided by the
/// ideal cycle time in force then.
pub fn target(computed: &Computed, recs: &Records, from: i64, to: i64) -> Target {
    let ppt = spans::intersect(&computed.planned, &[(from, to)]);
    if recs.ideals.is_empty() {
        return Target {
            parts: None,
            how: "No ideal cycle time is set for this machine, so there is no target.".into(),
        };
    }
    let mut total_ms_per_cycle = 0.0;
    let mut terms = Vec::new();
    let mut uncovered = 0;
    for (i, ic) in recs.ideals.iter().enumerate() {
        let end = recs.ideals.get(i + 1).map_or(i64::MAX, |n| n.from_ms);
        let ms = spans::within(&ppt, ic.from_ms, end);
        if ms > 0 {
            total_ms_per_cycle += ms as f64 / ic.cycle_ms as f64;
            terms.push(format!(
                "{} / {} s",
                duration(ms),
                ic.cycle_ms as f64 / 1000.0
            ));
        }
    }
    if let Some(first) = recs.ideals.first() {
        uncovered = spans::within(&ppt, i64::MIN, first.from_ms);
    }
    let parts = total_ms_per_cycle.floor() as i64;
    Target {
        parts: Some(parts),
        how: format!(
            "Planned production time so far divided by the ideal cycle time: {} = {parts} parts{}.",
            if terms.is_empty() {
                "no planned production time yet".to_string()
            } else {
                terms.join(" + ")
            },
            if uncovered > 0 {
                format!(
                    " ({} before the first ideal cycle time not counted)",
                    duration(uncovered)
                )
            } else {
                String::new()
            }
        ),
    }
}

/// One machine on the supervisor's shift view and the operator's tablet.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MachineShift {
    pub key: String,
    pub name: String,
    pub line: Option<String>,
    pub state: StateNow,
    /// This shift (or production day, outside shifts) so far.
    pub figures: Figures,
    pub target: Target,
    /// The stop in progress, if the machine is stopped.
    pub open_stop: Option<StopView>,
    /// Stops of the last 24 hours that still need a reason, newest first.
    pub to_explain: Vec<StopView>,
    /// Stops of the last 24 hours, newest first (at most 50).
    pub stops: Vec<StopView>,
}

/// The shift as the engine counts it now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ShiftNow {
    /// Null outside any shift (the figures are then the production day's).
    pub name: Option<String>,
    pub start_ms: i64,
    pub end_ms: i64,
}

/// The supervisor's shift view: every machine in scope, live.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ShiftView {
    pub now_ms: i64,
    pub timezone: String,
    pub shift: ShiftNow,
    pub machines: Vec<MachineShift>,
}

/// What the view of one machine needs, computed for today and for the shift.
pub struct MachineInput<'a> {
    pub machine: &'a Machine,
    pub recipe: &'a Recipe,
    pub data: &'a MachineData,
    pub recs: &'a Records,
    /// Figures of the current shift (one period).
    pub shift: &'a (Vec<Row>, Computed),
    /// The last 24 hours (one period), for their stops.
    pub recent: &'a Computed,
}

pub fn machine_shift(m: MachineInput<'_>, reasons: &Reasons, from: i64, to: i64) -> MachineShift {
    let stops: Vec<StopView> = m
        .recent
        .stops
        .iter()
        .rev()
        .filter(|s| s.down_ms > 0 || s.end.is_none())
        .map(|s| stop_view(s, m.recs, reasons))
        .collect();
    let open_stop = stops.iter().find(|s| s.end_ms.is_none()).cloned();
    let to_explain = stops.iter().filter(|s| s.needs_reason).cloned().collect();
    let figures = m
        .shift
        .0
        .first()
        .map(|r| r.figures.clone())
        .expect("one period");
    MachineShift {
        key: m.machine.key.clone(),
        name: m.machine.name.clone(),
        line: m.machine.line.clone(),
        state: state_now(m.machine, m.recipe, m.data),
        figures,
        target: target(&m.shift.1, m.recs, from, to),
        open_stop,
        to_explain,
        stops: stops.into_iter().take(50).collect(),
    }
}

/// A machine's history: its stops with reasons and micro-stops, and its state as
/// stretches for a timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MachineStops {
    pub key: String,
    pub name: String,
    pub from_ms: i64,
    pub to_ms: i64,
    pub timezone: String,
    /// The state as stretches: [from_ms, to_ms, state value or null for no data].
    pub states: Vec<StateStretch>,
    /// Stop value -> label and kind, for the timeline's colours.
    pub state_names: Vec<StateName>,
    pub stops: Vec<StopView>,
    pub micro_stops: i64,
    pub micro_stop_s: f64,
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StateStretch {
    pub from_ms: i64,
    pub to_ms: i64,
    pub value: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StateName {
    pub value: i64,
    pub label: String,
    pub kind: StateKind,
}

/// The state stretches of [from, to).
pub fn stretches(data: &MachineData, from: i64, to: i64) -> Vec<StateStretch> {
    let mut out = Vec::new();
    let mut since = data.timeline.start.max(from);
    let mut state = data.timeline.initial;
    if data.timeline.start > from {
        out.push(StateStretch {
            from_ms: from,
            to_ms: data.timeline.start.min(to),
            value: None,
        });
    }
    for c in &data.timeline.changes {
        if c.t >= to {
            break;
        }
        if c.t > since {
            out.push(StateStretch {
                from_ms: since,
                to_ms: c.t,
                value: state,
            });
        }
        since = since.max(c.t);
        state = c.state;
    }
    if since < to {
        out.push(StateStretch {
            from_ms: since,
            to_ms: to,
            value: state,
        });
    }
    out
}

/// The state names of a machine as its timeline shows them.
pub fn state_names(machine: &Machine, recipe: &Recipe) -> Vec<StateName> {
    match recipe.state {
        super::timeline::StateSource::Tag { .. } => machine
            .state_map()
            .into_iter()
            .map(|d| StateName {
                value: d.value,
                label: d.label,
                kind: d.kind,
            })
            .collect(),
        _ => vec![
            StateName {
                value: 0,
                label: "Stopped".into(),
                kind: StateKind::Stopped,
            },
            StateName {
                value: 1,
                label: "Running".into(),
                kind: StateKind::Running,
            },
        ],
    }
}

/// One machine on the andon board.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BoardMachine {
    pub key: String,
    pub name: String,
    pub state: StateNow,
    pub oee: Option<f64>,
    pub availability: Option<f64>,
    pub parts: i64,
    pub target: Option<i64>,
    /// The stop in progress: since when and its reason (null: not explained).
    pub stop_since_ms: Option<i64>,
    pub stop_reason: Option<String>,
    pub to_explain: i64,
}

/// The andon board: what a display may show.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Board {
    pub title: String,
    pub site: String,
    pub timezone: String,
    pub now_ms: i64,
    pub shift: ShiftNow,
    /// Seconds per page when the machines do not fit on one (0: all at once).
    pub cycle_s: i64,
    pub machines: Vec<BoardMachine>,
}

pub fn board_machine(m: &MachineShift) -> BoardMachine {
    BoardMachine {
        key: m.key.clone(),
        name: m.name.clone(),
        state: m.state.clone(),
        oee: m.figures.oee,
        availability: m.figures.availability,
        parts: m.figures.parts_total,
        target: m.target.parts,
        stop_since_ms: m.open_stop.as_ref().map(|s| s.start_ms),
        stop_reason: m
            .open_stop
            .as_ref()
            .and_then(|s| s.segments.last())
            .and_then(|seg| seg.reason.clone()),
        to_explain: m.to_explain.len() as i64,
    }
}

/// The calendar's shift (or production day) at `now`.
pub fn shift_now(calendar: &Calendar, now: i64) -> ShiftNow {
    let w = calendar.window_at(now);
    ShiftNow {
        name: w.name,
        start_ms: w.start_ms,
        end_ms: w.end_ms,
    }
}
