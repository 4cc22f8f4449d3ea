//! Each rule type's edges on sample sequences: deadband, delays, bits, offline, stale,
//! stops without reason, stalled counters, and alarms continued after a restart.

use std::collections::{HashMap, HashSet};

use super::*;
use crate::config::{Plant, parse};
use crate::sample::{Quality, Sample};

const PLANT: &str = r#"
[site]
name = "P"
timezone = "UTC"

[[machines]]
key = "press-1"
name = "Press 1"

[[devices]]
key = "plc"
protocol = "modbus-tcp"
host = "127.0.0.1"
machine = "press-1"
tags = [
  { name = "oil", register = 40001 },
  { name = "faults", register = 40002 },
  { name = "state", register = 40003, role = "state" },
  { name = "count", register = 40004, role = "count" },
]
"#;

// Tag ids as `plant` numbers them.
const OIL: i64 = 1;
const FAULTS: i64 = 2;
const STATE: i64 = 3;
const COUNT: i64 = 4;

fn plant(rule: &str) -> Plant {
    let text = format!(
        "{PLANT}\n[[alarms]]\nroles = [\"operator\"]\naction = \"Act\"\nname = \"A\"\n{rule}"
    );
    let config = parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut ids = HashMap::new();
    for (i, t) in config.devices[0].tags.iter().enumerate() {
        ids.insert(("plc".to_string(), t.name.clone()), i as i64 + 1);
    }
    Plant::new(1, config, ids)
}

fn eval(rule: &str) -> Evaluator {
    Evaluator::new(&plant(rule), 0)
}

/// (key, active, at) of the transitions since the last call.
fn got(e: &mut Evaluator) -> Vec<(String, bool, i64)> {
    e.take()
        .into_iter()
        .map(|t| (t.key, t.active, t.at))
        .collect()
}

fn on(key: &str, at: i64) -> (String, bool, i64) {
    (key.to_string(), true, at)
}

fn off(key: &str, at: i64) -> (String, bool, i64) {
    (key.to_string(), false, at)
}

fn feed(e: &mut Evaluator, tag: i64, values: &[(i64, f64)]) {
    let batch: Vec<Sample> = values
        .iter()
        .map(|(t, v)| Sample::good(tag, *t, *v))
        .collect();
    e.update(&batch);
}

const HIGH: &str = "key = \"hot\"\nkind = \"high\"\ntag = \"plc/oil\"\nlimit = 80.0\ndeadband = 2.0\non_delay_s = 5\n";

#[test]
fn high_limit_raises_above_the_limit_after_the_on_delay() {
    let mut e = eval(HIGH);
    // At the limit is not above it.
    feed(&mut e, OIL, &[(0, 79.0), (1000, 80.0)]);
    assert_eq!(got(&mut e), []);
    // Above from 2000: raised when 5 s have passed, at 7000 exactly.
    feed(&mut e, OIL, &[(2000, 80.5), (3000, 85.0), (6999, 85.0)]);
    assert_eq!(got(&mut e), []);
    feed(&mut e, OIL, &[(7000, 85.0)]);
    assert_eq!(got(&mut e), [on("hot", 7000)]);
}

#[test]
fn the_on_delay_runs_out_between_samples_on_a_tick() {
    let mut e = eval(HIGH);
    feed(&mut e, OIL, &[(2000, 81.0)]);
    e.tick(6999, &Context::default());
    assert_eq!(got(&mut e), []);
    e.tick(9000, &Context::default());
    // The time it became due, not the tick's.
    assert_eq!(got(&mut e), [on("hot", 7000)]);
}

#[test]
fn a_dip_below_the_limit_during_the_on_delay_starts_it_again() {
    let mut e = eval(HIGH);
    feed(
        &mut e,
        OIL,
        &[(0, 81.0), (4000, 79.0), (5000, 81.0), (9999, 81.0)],
    );
    assert_eq!(got(&mut e), []);
    feed(&mut e, OIL, &[(10_000, 81.0)]);
    assert_eq!(got(&mut e), [on("hot", 10_000)]);
}

#[test]
fn high_limit_clears_only_at_the_deadband() {
    let mut e = eval(HIGH);
    feed(&mut e, OIL, &[(0, 90.0), (5000, 90.0)]);
    assert_eq!(got(&mut e), [on("hot", 5000)]);
    // Below the limit but inside the deadband: still active.
    feed(&mut e, OIL, &[(6000, 79.0), (7000, 78.1)]);
    assert_eq!(got(&mut e), []);
    // At limit - deadband: cleared (no off-delay).
    feed(&mut e, OIL, &[(8000, 78.0)]);
    assert_eq!(got(&mut e), [off("hot", 8000)]);
    // Back above 78 but not above 80: no new alarm.
    feed(&mut e, OIL, &[(9000, 79.5), (20_000, 80.0)]);
    assert_eq!(got(&mut e), []);
}

#[test]
fn the_off_delay_holds_the_alarm_and_a_return_cancels_it() {
    let mut e =
        eval("key = \"hot\"\nkind = \"high\"\ntag = \"plc/oil\"\nlimit = 80.0\noff_delay_s = 3\n");
    feed(&mut e, OIL, &[(0, 81.0)]);
    assert_eq!(got(&mut e), [on("hot", 0)]);
    feed(&mut e, OIL, &[(1000, 80.0), (3000, 81.0), (5000, 79.0)]);
    e.tick(7999, &Context::default());
    assert_eq!(got(&mut e), []);
    e.tick(8000, &Context::default());
    assert_eq!(got(&mut e), [off("hot", 8000)]);
}

#[test]
fn low_limit_with_deadband() {
    let mut e =
        eval("key = \"cold\"\nkind = \"low\"\ntag = \"plc/oil\"\nlimit = 10.0\ndeadband = 1.5\n");
    feed(&mut e, OIL, &[(0, 10.0), (1000, 9.9)]);
    assert_eq!(got(&mut e), [on("cold", 1000)]);
    feed(&mut e, OIL, &[(2000, 11.4)]);
    assert_eq!(got(&mut e), []);
    feed(&mut e, OIL, &[(3000, 11.5)]);
    assert_eq!(got(&mut e), [off("cold", 3000)]);
}

#[test]
fn bad_samples_neither_raise_nor_clear_a_limit() {
    let mut e = eval(HIGH);
    feed(&mut e, OIL, &[(0, 81.0)]);
    e.update(&[Sample::bad(OIL, 1000, Quality::NoAnswer)]);
    feed(&mut e, OIL, &[(5000, 81.0)]);
    assert_eq!(got(&mut e), [on("hot", 5000)]);
    e.update(&[Sample::bad(OIL, 6000, Quality::NoAnswer)]);
    assert_eq!(got(&mut e), []);
}

#[test]
fn rate_of_change_per_minute_either_way() {
    let mut e = eval("key = \"fast\"\nkind = \"rate\"\ntag = \"plc/oil\"\nlimit = 6.0\n");
    // 0.1 per second is 6 per minute: not faster than the limit.
    feed(&mut e, OIL, &[(0, 50.0), (1000, 50.1)]);
    assert_eq!(got(&mut e), []);
    feed(&mut e, OIL, &[(2000, 50.3)]);
    assert_eq!(got(&mut e), [on("fast", 2000)]);
    feed(&mut e, OIL, &[(3000, 50.35)]);
    assert_eq!(got(&mut e), [off("fast", 3000)]);
    // Falling fast counts too.
    feed(&mut e, OIL, &[(4000, 49.0)]);
    assert_eq!(got(&mut e), [on("fast", 4000)]);
}

const BITS: &str = "key = \"fw\"\nkind = \"bit\"\ntag = \"plc/faults\"\nbits = [{ bit = 0, text = \"Motor overload\" }, { bit = 3, text = \"Guard open\" }, { bit = 5, text = \"Oil low\" }]\n";

#[test]
fn a_fault_word_raises_one_alarm_per_set_bit() {
    let mut e = eval(BITS);
    let names: Vec<&str> = e.defs().iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["A: Motor overload", "A: Guard open", "A: Oil low"]);
    feed(&mut e, FAULTS, &[(0, 0.0), (1000, 0b1001 as f64)]);
    assert_eq!(got(&mut e), [on("fw/bit0", 1000), on("fw/bit3", 1000)]);
    // Bit 0 goes, bit 1 (not configured) comes: only the clear.
    feed(&mut e, FAULTS, &[(2000, 0b1010 as f64)]);
    assert_eq!(got(&mut e), [off("fw/bit0", 2000)]);
    feed(&mut e, FAULTS, &[(3000, 0b10_0000 as f64)]);
    assert_eq!(got(&mut e), [off("fw/bit3", 3000), on("fw/bit5", 3000)]);
}

#[test]
fn a_device_offline_longer_than_its_time() {
    let mut e = eval("key = \"gone\"\nkind = \"offline\"\ndevice = \"plc\"\nafter_s = 10\n");
    feed(&mut e, OIL, &[(0, 1.0)]);
    // Plantlog's own start marker says nothing about the device.
    e.update(&[Sample::bad(OIL, 500, Quality::Stale)]);
    e.update(&[
        Sample::bad(OIL, 1000, Quality::NoAnswer),
        Sample::bad(FAULTS, 1000, Quality::NoAnswer),
        Sample::bad(OIL, 2000, Quality::Exception(4)),
    ]);
    e.tick(10_999, &Context::default());
    assert_eq!(got(&mut e), []);
    e.tick(11_000, &Context::default());
    assert_eq!(got(&mut e), [on("gone", 11_000)]);
    // Any good answer of the device clears it.
    feed(&mut e, COUNT, &[(12_000, 3.0)]);
    assert_eq!(got(&mut e), [off("gone", 12_000)]);
}

#[test]
fn stale_data_counts_from_the_last_good_sample() {
    let mut e = eval("key = \"old\"\nkind = \"stale\"\ntag = \"plc/oil\"\nafter_s = 5\n");
    // From the start (0) until the first good sample.
    feed(&mut e, OIL, &[(1000, 1.0)]);
    e.update(&[Sample::bad(OIL, 2000, Quality::NoAnswer)]);
    e.tick(5999, &Context::default());
    assert_eq!(got(&mut e), []);
    e.tick(6000, &Context::default());
    assert_eq!(got(&mut e), [on("old", 6000)]);
    feed(&mut e, OIL, &[(7000, 1.0)]);
    assert_eq!(got(&mut e), [off("old", 7000)]);
    e.tick(12_000, &Context::default());
    assert_eq!(got(&mut e), [on("old", 12_000)]);
}

const STOP: &str =
    "key = \"why\"\nkind = \"stop_without_reason\"\nmachine = \"press-1\"\nafter_min = 20\n";

#[test]
fn a_stop_without_reason_longer_than_its_minutes() {
    let mut e = eval(STOP);
    let ctx = Context::default();
    // Running, then stopped (0) from 60 s; fault (2) is still the same stop.
    feed(&mut e, STATE, &[(0, 1.0), (60_000, 0.0), (120_000, 2.0)]);
    e.tick(60_000 + 20 * 60_000 - 1, &ctx);
    assert_eq!(got(&mut e), []);
    e.tick(60_000 + 20 * 60_000, &ctx);
    assert_eq!(got(&mut e), [on("why", 1_260_000)]);
    // A reason is given to the stop: cleared at the next tick.
    let given = Context {
        reasons: HashMap::from([("press-1".to_string(), 60_000)]),
    };
    e.tick(1_300_000, &given);
    assert_eq!(got(&mut e), [off("why", 1_300_000)]);
    // The same stop goes on: no new alarm.
    feed(&mut e, STATE, &[(1_400_000, 0.0)]);
    e.tick(4_000_000, &given);
    assert_eq!(got(&mut e), []);
    // Running, then a new stop, whose reason is not given.
    feed(&mut e, STATE, &[(4_000_000, 1.0), (4_100_000, 0.0)]);
    e.tick(4_100_000 + 1_200_000, &given);
    assert_eq!(got(&mut e), [on("why", 5_300_000)]);
    // Running again clears it.
    feed(&mut e, STATE, &[(5_400_000, 1.0)]);
    assert_eq!(got(&mut e), [off("why", 5_400_000)]);
}

#[test]
fn a_stop_given_a_reason_in_time_raises_nothing() {
    let mut e = eval(STOP);
    feed(&mut e, STATE, &[(0, 0.0)]);
    let given = Context {
        reasons: HashMap::from([("press-1".to_string(), 0)]),
    };
    e.tick(600_000, &given);
    e.tick(3_000_000, &given);
    assert_eq!(got(&mut e), []);
}

#[test]
fn a_counter_not_advancing_while_running() {
    let mut e =
        eval("key = \"stuck\"\nkind = \"counter_stalled\"\nmachine = \"press-1\"\nafter_min = 2\n");
    let ctx = Context::default();
    feed(&mut e, COUNT, &[(0, 10.0)]);
    // Stopped: no alarm however long.
    feed(&mut e, STATE, &[(0, 0.0)]);
    e.tick(1_000_000, &ctx);
    assert_eq!(got(&mut e), []);
    // Running from 1 000 000; a count at 1 060 000 starts the two minutes again.
    feed(&mut e, STATE, &[(1_000_000, 1.0)]);
    feed(&mut e, COUNT, &[(1_060_000, 11.0), (1_100_000, 11.0)]);
    e.tick(1_179_999, &ctx);
    assert_eq!(got(&mut e), []);
    e.tick(1_180_000, &ctx);
    assert_eq!(got(&mut e), [on("stuck", 1_180_000)]);
    feed(&mut e, COUNT, &[(1_200_000, 12.0)]);
    assert_eq!(got(&mut e), [off("stuck", 1_200_000)]);
    // Stopping ends the count of time.
    feed(&mut e, STATE, &[(1_250_000, 0.0)]);
    e.tick(2_000_000, &ctx);
    assert_eq!(got(&mut e), []);
}

#[test]
fn an_alarm_active_before_a_restart_is_continued_not_raised_again() {
    let mut e = eval(HIGH);
    e.resume(&HashSet::from(["hot".to_string()]));
    feed(&mut e, OIL, &[(0, 85.0), (10_000, 79.0)]);
    assert_eq!(got(&mut e), []);
    feed(&mut e, OIL, &[(11_000, 78.0)]);
    assert_eq!(got(&mut e), [off("hot", 11_000)]);
}

#[test]
fn a_state_word_raises_one_alarm_per_listed_value_while_it_holds_it() {
    let mut e = eval(
        "key = \"st\"\nkind = \"state\"\ntag = \"plc/faults\"\nvalues = [{ value = 3, text = \"Emergency stop\" }, { value = 7, text = \"Door open\" }]\non_delay_s = 1\n",
    );
    let names: Vec<&str> = e.defs().iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["A: Emergency stop", "A: Door open"]);
    feed(&mut e, FAULTS, &[(0, 0.0), (1000, 3.0)]);
    assert_eq!(got(&mut e), []);
    // its on-delay runs out between samples, at the exact ms
    e.tick(1999, &Context::default());
    assert_eq!(got(&mut e), []);
    e.tick(2000, &Context::default());
    assert_eq!(got(&mut e), [on("st/value3", 2000)]);
    // 7 replaces 3: one clears, the other starts its delay
    feed(&mut e, FAULTS, &[(3000, 7.0), (4000, 7.0)]);
    assert_eq!(got(&mut e), [off("st/value3", 3000), on("st/value7", 4000)]);
    // an unlisted value clears it
    feed(&mut e, FAULTS, &[(5000, 4.0)]);
    assert_eq!(got(&mut e), [off("st/value7", 5000)]);
}

#[test]
fn energy_demand_over_its_limit_within_the_interval() {
    // 15-minute intervals, 100 kW: more than 25 kWh within one interval.
    let mut e = eval(
        "key = \"peak\"\nkind = \"demand\"\ntag = \"plc/count\"\nlimit = 100.0\ninterval_min = 15\n",
    );
    const MIN: i64 = 60_000;
    // the reading at the interval's start is the baseline: 1000 kWh at 0:00
    feed(
        &mut e,
        COUNT,
        &[(0, 1000.0), (5 * MIN, 1010.0), (10 * MIN, 1025.0)],
    );
    // exactly 25 kWh = 100 kW: not over
    assert_eq!(got(&mut e), []);
    feed(&mut e, COUNT, &[(11 * MIN, 1025.1)]);
    assert_eq!(got(&mut e), [on("peak", 11 * MIN)]);
    feed(&mut e, COUNT, &[(14 * MIN, 1030.0)]);
    assert_eq!(got(&mut e), []);
    // the next interval (0:15) counts from the last reading before it (1030 at 0:14):
    // 1 kWh so far, cleared at its first reading
    feed(&mut e, COUNT, &[(16 * MIN, 1031.0)]);
    assert_eq!(got(&mut e), [off("peak", 16 * MIN)]);
    // a counter reset counts from the reset
    feed(&mut e, COUNT, &[(17 * MIN, 2.0), (20 * MIN, 20.0)]);
    assert_eq!(got(&mut e), []);
    feed(&mut e, COUNT, &[(21 * MIN, 27.5)]);
    assert_eq!(got(&mut e), [on("peak", 21 * MIN)]);
    // no reading for a whole interval: the next one's first reading is its baseline
    feed(&mut e, COUNT, &[(50 * MIN, 500.0), (51 * MIN, 510.0)]);
    assert_eq!(got(&mut e), [off("peak", 50 * MIN)]);
}
