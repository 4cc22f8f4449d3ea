//! The definitions of issue 10, one test each (docs/PRODUCTION.md): a changed
//! definition changes a number here. The scenario: one machine on 2 March 2026 (UTC),
//! shift "Early" 06:00–14:00 with a break 09:00–09:15, micro-stops under 2 minutes.

use super::calendar::{By, Calendar, Period};
use super::compute::{self, Computed, MachineData, Tally, Timeline};
use super::records::{
    IdealCycle, PlannedStop, Reason, ReasonKind, Reasons, Records, ScrapEntry, StopReason,
};
use super::timeline::{Change, CounterTag, Recipe, StateSource};
use crate::config::{Break, PlantConfig, Shift, Site, StateKind};

const JAM: i64 = 1;
const SENSOR: i64 = 2;
const NO_ORDERS: i64 = 3;
const MAINTENANCE: i64 = 4;

/// Milliseconds of "HH:MM:SS" on 2 March 2026, UTC ("+1d" for the next day).
fn t(s: &str) -> i64 {
    let (s, day) = match s.strip_suffix("+1d") {
        Some(s) => (s, 1),
        None => (s, 0),
    };
    let base = "2026-03-02T00:00:00Z"
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_millisecond();
    let p: Vec<i64> = s.split(':').map(|x| x.parse().unwrap()).collect();
    base + day * 86_400_000
        + p[0] * 3_600_000
        + p[1] * 60_000
        + p.get(2).copied().unwrap_or(0) * 1000
}

fn config(tz: &str, shifts: Vec<Shift>) -> PlantConfig {
    PlantConfig {
        site: Site {
            name: "P".into(),
            timezone: tz.into(),
        },
        shifts,
        machines: vec![],
        buses: vec![],
        devices: vec![],
        holidays: vec![],
        alarms: Vec::new(),
        alarm_settings: Default::default(),
    }
}

fn shift(name: &str, start: &str, end: &str, breaks: &[(&str, &str)]) -> Shift {
    Shift {
        name: name.into(),
        start: start.into(),
        end: end.into(),
        days: vec![],
        breaks: breaks
            .iter()
            .map(|(a, b)| Break {
                start: (*a).into(),
                end: (*b).into(),
                name: String::new(),
            })
            .collect(),
    }
}

fn early() -> Calendar {
    Calendar::new(&config(
        "UTC",
        vec![shift("Early", "06:00", "14:00", &[("09:00", "09:15")])],
    ))
}

fn recipe() -> Recipe {
    Recipe {
        machine: "press-1".into(),
        state: StateSource::Tag {
            id: 1,
            hold_ms: 62_000,
        },
        count: Some(CounterTag {
            id: 2,
            width: Some(1 << 32),
            hold_ms: 62_000,
            max_per_min: None,
            ideal_max: Vec::new(),
        }),
        scrap: None,
        map: vec![
            (0, StateKind::Stopped),
            (1, StateKind::Running),
            (2, StateKind::Fault),
            (3, StateKind::Setup),
            (4, StateKind::Idle),
        ],
        micro_ms: 120_000,
    }
}

fn reasons() -> Reasons {
    let mut r = Reasons::default();
    for (id, c, n, planned) in [
        (JAM, "Mechanical", "Jam", false),
        (SENSOR, "Electrical", "Sensor", false),
        (NO_ORDERS, "Planned", "No orders", true),
        (MAINTENANCE, "Planned", "Maintenance", true),
    ] {
        r.by_id.insert(
            id,
            Reason {
                id,
                kind: ReasonKind::Downtime,
                category: c.into(),
                name: n.into(),
                planned,
                active: true,
            },
        );
    }
    r
}

fn changes(list: &[(&str, Option<i64>)]) -> Vec<Change> {
    list.iter()
        .map(|(s, v)| Change { t: t(s), state: *v })
        .collect()
}

fn reason(at: &str, id: Option<i64>) -> StopReason {
    StopReason {
        at_ms: t(at),
        reason_id: id,
        comment: String::new(),
        entered_by: "op".into(),
        entered_ms: 0,
    }
}

/// The scenario's day: see each test for the part it checks.
fn day() -> (MachineData, Records) {
    let data = MachineData {
        timeline: Timeline {
            start: t("00:00:00"),
            initial: Some(1),
            initial_stop: None,
            changes: changes(&[
                ("07:00:00", Some(0)), // a 60 s micro-stop
                ("07:01:00", Some(1)),
                ("08:00:00", Some(2)), // a 10 min fault, not explained
                ("08:10:00", Some(1)),
                ("08:59:00", Some(0)), // a stop across the break, explained "Jam"
                ("09:20:00", Some(1)),
                ("10:20:00", Some(0)), // a stop into the planned stop 10:00-10:30
                ("10:40:00", Some(1)),
                ("11:00:00", Some(0)), // a stop with a device outage inside
                ("11:02:00", None),
                ("11:12:00", Some(0)),
                ("11:20:00", Some(1)),
                ("12:00:00", Some(0)), // a stop explained as planned ("No orders")
                ("12:30:00", Some(1)),
                ("13:59:00", Some(0)), // a stop across the shift's end
                ("14:03:00", Some(1)),
            ]),
        },
        steps: vec![
            (t("05:59:59") + 999, 5),
            (t("06:00:00"), 1000),
            (t("09:05:00"), 2000), // in the break, under the new ideal cycle
            (t("10:10:00"), 500),  // in the planned stop
            (t("13:59:59"), 3500),
            (t("14:00:00"), 3), // exactly at the shift's end: the next period
        ],
        scrap: vec![(t("12:00:00"), 2)],
        events: vec![],
    };
    let records = Records {
        stop_reasons: vec![
            reason("08:59:00", Some(JAM)),
            reason("11:00:00", Some(SENSOR)),
            reason("12:00:00", Some(NO_ORDERS)),
        ],
        planned: vec![PlannedStop {
            id: 1,
            machine: Some("press-1".into()),
            from_ms: t("10:00:00"),
            to_ms: t("10:30:00"),
            reason_id: MAINTENANCE,
            comment: String::new(),
            entered_by: "sup".into(),
            entered_ms: 0,
        }],
        scrap: vec![ScrapEntry {
            id: 1,
            machine: "press-1".into(),
            ts: t("13:00:00"),
            parts: 3,
            reason_id: None,
            comment: String::new(),
            entered_by: "q".into(),
            entered_ms: 0,
        }],
        ideals: vec![
            ideal("00:00:00", 2400),
            ideal("09:05:00", 3000), // a recipe change mid-shift
        ],
        reviews: vec![],
    };
    (data, records)
}

fn ideal(from: &str, cycle_ms: i64) -> IdealCycle {
    IdealCycle {
        machine: "press-1".into(),
        from_ms: t(from),
        cycle_ms,
        comment: String::new(),
        entered_by: "sup".into(),
        entered_ms: 0,
    }
}

fn by_shift(cal: &Calendar, data: &MachineData, recs: &Records) -> (Vec<Period>, Computed) {
    let periods = cal.periods(By::Shift, t("00:00:00"), t("00:00:00+1d"));
    let c = compute::compute(cal, &reasons(), &recipe(), data, recs, &periods);
    (periods, c)
}

fn early_tally() -> Tally {
    let (data, recs) = day();
    let (periods, c) = by_shift(&early(), &data, &recs);
    assert_eq!(periods[1].key, "2026-03-02 Early");
    c.periods[1].clone()
}

const S: i64 = 1000;
const MIN: i64 = 60 * S;

#[test]
fn planned_production_time_is_shift_time_minus_breaks_minus_planned_stops() {
    let e = early_tally();
    assert_eq!(e.shift_ms, 8 * 60 * MIN);
    assert_eq!(e.break_ms, 15 * MIN);
    // Planned ahead 10:00-10:30, and the stop 12:00-12:30 explained "No orders"
    // (a planned reason).
    assert_eq!(e.planned_stop_ms, 60 * MIN);
    assert_eq!(e.planned_ms, 8 * 60 * MIN - 15 * MIN - 60 * MIN);
}

#[test]
fn a_planned_stop_overlapping_a_break_is_reported_as_break() {
    let (data, mut recs) = day();
    recs.planned[0].from_ms = t("09:10:00");
    recs.planned[0].to_ms = t("09:30:00");
    let (_, c) = by_shift(&early(), &data, &recs);
    let e = &c.periods[1];
    assert_eq!(e.break_ms, 15 * MIN);
    // 09:15-09:30 of the planned stop, and the 30 minutes of "No orders".
    assert_eq!(e.planned_stop_ms, 15 * MIN + 30 * MIN);
}

#[test]
fn no_data_time_is_neither_running_nor_down() {
    let e = early_tally();
    // The device did not answer from 11:02 to 11:12, inside a stop.
    assert_eq!(e.no_data_ms, 10 * MIN);
    assert_eq!(e.planned_ms, e.run_ms + e.down_ms + e.no_data_ms);
}

#[test]
fn run_time_is_running_within_planned_production_time() {
    let e = early_tally();
    // Planned 6 h 45 min, less 38 min down and 10 min no data. The running after
    // 10:30 planned stop's start (10:00-10:20) is not run time.
    assert_eq!(e.run_ms, 405 * MIN - 38 * MIN - 10 * MIN);
}

#[test]
fn downtime_is_planned_less_run_less_no_data_by_state_and_reason() {
    let e = early_tally();
    // 07:00 1 min, 08:00 10 min fault, 08:59 1 + 5 min around the break, 10:30-10:40,
    // 11:00 2 + 8 min around the outage, 13:59 1 min.
    assert_eq!(e.down_ms, 38 * MIN);
    assert_eq!(e.down_by_state, [28 * MIN, 0, 0, 10 * MIN]);
    // Not explained: the fault and 10:30-10:40; Jam: the 5 minutes after the break
    // (its minute before the break is a micro-stop); Sensor: 10 minutes down (the
    // outage inside is no data).
    assert_eq!(e.by_reason.get(&None), Some(&(20 * MIN, 2)));
    assert_eq!(e.by_reason.get(&Some(JAM)), Some(&(5 * MIN, 1)));
    assert_eq!(e.by_reason.get(&Some(SENSOR)), Some(&(10 * MIN, 1)));
    assert_eq!(
        e.by_reason.get(&Some(NO_ORDERS)),
        None,
        "planned: not downtime"
    );
    let reasons_ms: i64 = e.by_reason.values().map(|v| v.0).sum();
    assert_eq!(reasons_ms + e.micro_ms, e.down_ms);
}

#[test]
fn stops_are_split_at_breaks_and_period_boundaries_and_parts_shorter_than_the_threshold_are_micro_stops()
 {
    let e = early_tally();
    // 07:00 (1 min), 08:59-09:00 (the part before the break), 13:59-14:00 (the part
    // before the shift's end).
    assert_eq!(e.micro_count, 3);
    assert_eq!(e.micro_ms, 3 * MIN);
    // With a 30 s threshold none of them is micro.
    let (data, recs) = day();
    let mut r = recipe();
    r.micro_ms = 30 * S;
    let periods = early().periods(By::Shift, t("00:00:00"), t("00:00:00+1d"));
    let c = compute::compute(&early(), &reasons(), &r, &data, &recs, &periods);
    assert_eq!(c.periods[1].micro_count, 0);
    assert_eq!(c.periods[1].by_reason.get(&None), Some(&(22 * MIN, 4)));
    assert_eq!(c.periods[1].by_reason.get(&Some(JAM)), Some(&(6 * MIN, 2)));
}

#[test]
fn a_stop_begins_when_the_machine_leaves_running_and_ends_when_it_runs_again() {
    let (data, recs) = day();
    let (_, c) = by_shift(&early(), &data, &recs);
    let starts: Vec<(i64, Option<i64>)> = c.stops.iter().map(|s| (s.start, s.end)).collect();
    assert_eq!(
        starts[4],
        (t("11:00:00"), Some(t("11:20:00"))),
        "no data does not end a stop"
    );
    let outage = &c.stops[4];
    assert_eq!((outage.down_ms, outage.no_data_ms), (10 * MIN, 10 * MIN));
    assert!(!outage.needs_reason());
    assert!(c.stops[1].needs_reason(), "the 08:00 fault has no reason");
    assert!(!c.stops[0].needs_reason(), "a micro-stop needs no reason");
}

#[test]
fn a_stop_can_be_split_with_two_reasons() {
    let (data, mut recs) = day();
    // The fault 08:00-08:10: Jam until 08:04, then Sensor.
    recs.stop_reasons.insert(0, reason("08:00:00", Some(JAM)));
    recs.stop_reasons
        .insert(1, reason("08:04:00", Some(SENSOR)));
    let (_, c) = by_shift(&early(), &data, &recs);
    let e = &c.periods[1];
    assert_eq!(e.by_reason.get(&Some(JAM)), Some(&(4 * MIN + 5 * MIN, 2)));
    assert_eq!(
        e.by_reason.get(&Some(SENSOR)),
        Some(&(6 * MIN + 10 * MIN, 2))
    );
}

#[test]
fn availability_is_run_time_over_planned_less_no_data() {
    let e = early_tally();
    assert_eq!(
        e.availability(),
        Some((357 * MIN) as f64 / (395 * MIN) as f64)
    );
}

#[test]
fn performance_counts_each_part_under_the_ideal_cycle_in_force_at_its_sample() {
    let e = early_tally();
    // 1000 parts at 2.4 s before 09:05; the parts at 09:05:00 (the change's own time)
    // and after at 3.0 s; the 5 parts at 05:59:59.999 are not in this shift.
    assert_eq!(e.ideal.get(&2400), Some(&1000));
    assert_eq!(e.ideal.get(&3000), Some(&6000));
    assert_eq!(e.ideal_ms(), Some(1000 * 2400 + 6000 * 3000));
    assert_eq!(e.performance(), Some(20_400_000.0 / (357 * MIN) as f64));
}

#[test]
fn performance_is_not_capped_and_needs_an_ideal_cycle() {
    let (mut data, mut recs) = day();
    data.steps.push((t("13:00:00"), 10_000));
    data.steps.sort();
    let (_, c) = by_shift(&early(), &data, &recs);
    assert!(c.periods[1].performance().unwrap() > 1.0);
    recs.ideals.remove(0); // no ideal cycle before 09:05
    let (_, c) = by_shift(&early(), &data, &recs);
    assert_eq!(c.periods[1].parts_without_ideal, 1000);
    assert_eq!(c.periods[1].performance(), None);
    assert_eq!(c.periods[1].oee(), None);
}

#[test]
fn quality_is_good_parts_over_total_parts_with_scrap_counted_and_entered() {
    let e = early_tally();
    assert_eq!(e.parts, 7000);
    assert_eq!((e.scrap_counted, e.scrap_entered), (2, 3));
    assert_eq!(e.good(), 6995);
    assert_eq!(e.quality(), Some(6995.0 / 7000.0));
}

#[test]
fn oee_is_availability_times_performance_times_quality() {
    let e = early_tally();
    let want = e.availability().unwrap() * e.performance().unwrap() * e.quality().unwrap();
    assert_eq!(e.oee(), Some(want));
}

#[test]
fn parts_count_in_the_period_of_their_sample_even_outside_planned_time() {
    let (data, recs) = day();
    let (periods, c) = by_shift(&early(), &data, &recs);
    let parts: Vec<(&str, i64)> = periods
        .iter()
        .zip(&c.periods)
        .map(|(p, t)| (p.key.as_str(), t.parts))
        .collect();
    // 05:59:59.999 before the shift; 06:00:00 in it; 14:00:00 after it.
    assert_eq!(
        parts,
        [
            ("2026-03-01 between shifts", 5),
            ("2026-03-02 Early", 7000),
            ("2026-03-02 between shifts", 3)
        ]
    );
    // Between shifts: parts but no planned time, so no availability and no OEE.
    let after = &c.periods[2];
    assert_eq!((after.planned_ms, after.run_ms), (0, 0));
    assert_eq!(after.availability(), None);
    assert_eq!(after.quality(), Some(1.0));
    assert_eq!(after.oee(), None);
}

#[test]
fn a_night_shift_counts_in_the_day_it_starts_and_lasts_7_hours_when_clocks_go_forward() {
    let cal = Calendar::new(&config(
        "Europe/Berlin",
        vec![
            shift("Early", "06:00", "14:00", &[]),
            shift("Late", "14:00", "22:00", &[]),
            shift("Night", "22:00", "06:00", &[]),
        ],
    ));
    // Saturday 28 March 2026, 06:00 CET, to Sunday 06:00 CEST: the clocks go forward.
    let start = "2026-03-28T05:00:00Z"
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_millisecond();
    let end = "2026-03-29T04:00:00Z"
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_millisecond();
    let data = MachineData {
        timeline: Timeline {
            start,
            initial: Some(1),
            initial_stop: None,
            changes: vec![],
        },
        // A part at 05:00 on Sunday belongs to Saturday's night shift.
        steps: vec![(end - 3_600_000, 42)],
        ..MachineData::default()
    };
    let periods = cal.periods(By::Day, start, end);
    assert_eq!(periods.len(), 1);
    assert_eq!(periods[0].key, "2026-03-28");
    let c = compute::compute(
        &cal,
        &reasons(),
        &recipe(),
        &data,
        &Records::default(),
        &periods,
    );
    assert_eq!(c.periods[0].planned_ms, 23 * 60 * MIN);
    assert_eq!(c.periods[0].parts, 42);
    let shifts = cal.periods(By::Shift, start, end);
    let night = shifts
        .iter()
        .position(|p| p.key == "2026-03-28 Night")
        .unwrap();
    let c = compute::compute(
        &cal,
        &reasons(),
        &recipe(),
        &data,
        &Records::default(),
        &shifts,
    );
    assert_eq!(c.periods[night].planned_ms, 7 * 60 * MIN);
    assert_eq!(c.periods[night].parts, 42);
}

#[test]
fn periods_are_half_open_and_a_run_across_a_boundary_is_split() {
    let cal = Calendar::new(&config(
        "UTC",
        vec![
            shift("A", "06:00", "14:00", &[]),
            shift("B", "14:00", "22:00", &[]),
        ],
    ));
    let data = MachineData {
        timeline: Timeline {
            start: t("00:00:00"),
            initial: Some(1),
            initial_stop: None,
            changes: changes(&[("13:50:00", Some(0)), ("14:10:00", Some(1))]),
        },
        ..MachineData::default()
    };
    let periods = cal.periods(By::Shift, t("06:00:00"), t("22:00:00"));
    let c = compute::compute(
        &cal,
        &reasons(),
        &recipe(),
        &data,
        &Records::default(),
        &periods,
    );
    assert_eq!(c.periods[0].run_ms, 470 * MIN);
    assert_eq!(c.periods[0].down_ms, 10 * MIN);
    assert_eq!(c.periods[1].down_ms, 10 * MIN);
    assert_eq!(c.periods[1].run_ms, 470 * MIN);
    // One stop, cut in two parts of 10 minutes: each is a stop to explain.
    assert_eq!(c.stops.len(), 1);
    assert_eq!(c.stops[0].parts, 2);
}

#[test]
fn ratios_are_null_when_their_denominator_is_zero() {
    let t = Tally::default();
    assert_eq!(t.availability(), None);
    assert_eq!(t.quality(), None);
    assert_eq!(t.performance(), None);
    assert_eq!(t.oee(), None);
}

#[test]
fn a_total_of_one_machine_period_keeps_its_explanations_and_of_several_counts_them() {
    let e = early_tally();
    let mut one = Tally::default();
    one.merge(&e);
    assert_eq!(one.notes, e.notes);
    one.merge(&e);
    assert_eq!(one.notes.merged, 2);
    assert_eq!(one.shift_ms, 2 * e.shift_ms);
}

mod property {
    use super::*;
    use proptest::prelude::*;

    fn additive(t: &Tally) -> [i64; 13] {
        [
            t.shift_ms,
            t.break_ms,
            t.planned_stop_ms,
            t.planned_ms,
            t.run_ms,
            t.no_data_ms,
            t.down_ms,
            t.down_by_state[0],
            t.down_by_state[3],
            t.parts,
            t.scrap_counted,
            t.scrap_entered,
            t.ideal_ms().unwrap_or(-1),
        ]
    }

    proptest! {
        /// Splitting a range into any sub-ranges gives the same totals as the whole.
        #[test]
        fn sub_ranges_add_up_to_the_whole(
            states in proptest::collection::vec((1i64..3_600_000, proptest::option::of(0i64..3)), 0..60),
            steps in proptest::collection::vec((0i64..86_400_000, 1i64..50), 0..80),
            cuts in proptest::collection::vec(1i64..86_400_000, 0..12),
        ) {
            let (_, recs) = day();
            let mut at = t("00:00:00");
            let mut changes = Vec::new();
            for (gap, s) in states {
                at += gap;
                changes.push(Change { t: at, state: s });
            }
            let mut steps: Vec<(i64, i64)> = steps.into_iter().map(|(o, n)| (t("00:00:00") + o, n)).collect();
            steps.sort();
            steps.dedup_by_key(|s| s.0);
            let data = MachineData {
                timeline: Timeline { start: t("00:00:00"), initial: Some(1), initial_stop: None, changes },
                steps,
                ..MachineData::default()
            };
            let cal = early();
            let whole = [Period { key: "all".into(), shift: None, start_ms: t("00:00:00"), end_ms: t("00:00:00+1d") }];
            let w = compute::compute(&cal, &reasons(), &recipe(), &data, &recs, &whole);
            let mut edges: Vec<i64> = cuts.into_iter().map(|c| t("00:00:00") + c).collect();
            edges.push(t("00:00:00"));
            edges.push(t("00:00:00+1d"));
            edges.sort();
            edges.dedup();
            let parts: Vec<Period> = edges.windows(2).map(|e| Period { key: String::new(), shift: None, start_ms: e[0], end_ms: e[1] }).collect();
            let p = compute::compute(&cal, &reasons(), &recipe(), &data, &recs, &parts);
            let mut sum = Tally::default();
            for x in &p.periods { sum.merge(x); }
            prop_assert_eq!(additive(&sum), additive(&w.periods[0]));
        }
    }
}
