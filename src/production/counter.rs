//! The counter rule: parts made between two good readings of a part counter.
//!
//! In this order, with W the register's range (65536 for u16, 2^32 for u32):
//! new >= previous counts new - previous; new < previous with previous > 3W/4 and
//! new < W/4 is a wrap and counts W - previous + new; new < previous/2 is a reset (a
//! PLC restart) and counts new; any other step back counts nothing, is logged as an
//! event, and the lower value is the new baseline. The first good reading is only a
//! baseline.
//!
//! Then plausibility: a step that would count more than half the register's range, or
//! more than the machine's maximum rate allows over the time since the last good
//! reading, is implausible (a wrong word order, a wrong register, a PLC's counter
//! preset): it counts nothing, is kept as an event for a supervisor to accept (count
//! it) or correct (enter the right count), and the new value is the baseline. A
//! configuration change of the counter's decoding starts a new series: the next
//! reading is only a baseline (event "new_series").

use serde::Serialize;

use crate::config::DataType;

/// What one step of a counter was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounterStep {
    /// new >= previous: counts the difference.
    Up(i64),
    /// The register wrapped at its width: counts W - previous + new.
    Wrap(i64),
    /// Reset to a small value: counts the new value.
    Reset(i64),
    /// An unexplained small step back: counts nothing.
    Back,
    /// A step that would count this many parts, more than is plausible: counts nothing
    /// until a supervisor accepts or corrects it.
    Implausible(i64),
}

impl CounterStep {
    pub fn parts(self) -> i64 {
        match self {
            CounterStep::Up(n) | CounterStep::Wrap(n) | CounterStep::Reset(n) => n,
            CounterStep::Back | CounterStep::Implausible(_) => 0,
        }
    }
}

/// The plausibility check of a step: more than half the register's range `width`, or
/// more than `max_per_min` parts a minute over `elapsed_ms` since the last good reading
/// (at least one part), is implausible.
pub fn check(
    step: CounterStep,
    width: Option<i64>,
    max_per_min: Option<f64>,
    elapsed_ms: Option<i64>,
) -> CounterStep {
    let n = step.parts();
    if n <= 0 {
        return step;
    }
    let over_range = width.is_some_and(|w| n > w / 2);
    let over_rate = match (max_per_min, elapsed_ms) {
        (Some(rate), Some(ms)) => {
            let allowed = (rate * ms.max(1) as f64 / 60_000.0).ceil().max(1.0);
            n as f64 > allowed
        }
        _ => false,
    };
    if over_range || over_rate {
        CounterStep::Implausible(n)
    } else {
        step
    }
}

/// The register range W of a counter of type `t`: 65536 for u16, 2^32 for u32; other
/// types do not wrap within a plant's lifetime (or are signed) and have none.
pub fn width(t: DataType) -> Option<i64> {
    match t {
        DataType::U16 => Some(1 << 16),
        DataType::U32 => Some(1 << 32),
        _ => None,
    }
}

/// The counter rule, applied to one step from `previous` to `new`.
pub fn step(previous: i64, new: i64, width: Option<i64>) -> CounterStep {
    if new >= previous {
        return CounterStep::Up(new - previous);
    }
    if let Some(w) = width
        && 4 * previous > 3 * w
        && 4 * new < w
    {
        return CounterStep::Wrap(w - previous + new);
    }
    if 2 * new < previous {
        return CounterStep::Reset(new.max(0));
    }
    CounterStep::Back
}

/// A counter step that was not a plain increase, kept with the figures it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CounterEvent {
    pub ts: i64,
    #[cfg_attr(
        test,
        ts(type = r#""wrap" | "reset" | "step_back" | "implausible" | "new_series""#)
    )]
    pub kind: &'static str,
    /// The scrap counter's (true) or the part counter's.
    pub scrap: bool,
    pub previous: i64,
    pub value: i64,
    /// Parts counted for this step (0 for an implausible one until it is reviewed).
    pub counted: i64,
}

/// The kinds of counter events, by their code in the hourly summaries.
pub const EVENT_KINDS: [&str; 5] = ["wrap", "reset", "step_back", "implausible", "new_series"];

impl CounterEvent {
    pub fn of(ts: i64, scrap: bool, previous: i64, value: i64, s: CounterStep) -> Option<Self> {
        let kind = match s {
            CounterStep::Up(_) => return None,
            CounterStep::Wrap(_) => "wrap",
            CounterStep::Reset(_) => "reset",
            CounterStep::Back => "step_back",
            CounterStep::Implausible(_) => "implausible",
        };
        Some(CounterEvent {
            ts,
            kind,
            scrap,
            previous,
            value,
            counted: s.parts(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const U16: Option<i64> = Some(65_536);
    const U32: Option<i64> = Some(4_294_967_296);

    #[test]
    fn an_increase_counts_the_difference() {
        assert_eq!(step(100, 107, U16), CounterStep::Up(7));
        assert_eq!(step(100, 100, U16), CounterStep::Up(0));
    }

    #[test]
    fn a_u16_wrap_counts_across_the_wrap_exactly() {
        // 65530 -> 65535 -> 0 -> 12: 6 + 12 = 18 parts.
        assert_eq!(step(65_530, 12, U16), CounterStep::Wrap(18));
        // Just inside the rule's bounds: previous > 3W/4, new < W/4.
        assert_eq!(step(49_153, 16_383, U16), CounterStep::Wrap(32_766));
        // previous at exactly 3W/4 is no wrap: new < previous/2 makes it a reset.
        assert_eq!(step(49_152, 10, U16), CounterStep::Reset(10));
        // new at exactly W/4 is no wrap either.
        assert_eq!(step(60_000, 16_384, U16), CounterStep::Reset(16_384));
    }

    #[test]
    fn a_u32_wrap_counts_across_the_wrap_exactly() {
        assert_eq!(step(4_294_967_000, 4, U32), CounterStep::Wrap(300));
        // The same values on a u16 register would be a reset.
        assert_eq!(step(65_000, 4, U32), CounterStep::Reset(4));
    }

    #[test]
    fn a_reset_to_a_small_value_counts_the_new_value() {
        assert_eq!(step(1000, 3, U32), CounterStep::Reset(3));
        assert_eq!(step(1000, 499, U32), CounterStep::Reset(499));
        // A counter without a width (u64) cannot wrap: the same numbers reset.
        assert_eq!(step(65_530, 12, None), CounterStep::Reset(12));
    }

    #[test]
    fn a_small_step_back_counts_nothing() {
        assert_eq!(step(1000, 500, U32), CounterStep::Back);
        assert_eq!(step(15_496_708, 15_495_914, U32), CounterStep::Back);
        assert_eq!(step(100, 99, U16), CounterStep::Back);
        let e = CounterEvent::of(5, false, 1000, 600, CounterStep::Back).unwrap();
        assert_eq!((e.kind, e.counted), ("step_back", 0));
        assert!(CounterEvent::of(5, false, 1, 2, CounterStep::Up(1)).is_none());
    }

    #[test]
    fn an_implausible_step_counts_nothing() {
        // Over half a u32's range: a wrong word order's first step.
        let wrong = step(100, 2_254_438_401, U32);
        assert_eq!(
            check(wrong, U32, None, Some(1000)),
            CounterStep::Implausible(2_254_438_301)
        );
        // 65,536 parts in a second at a machine that makes at most 60 a minute.
        let s = step(2_254_438_401, 2_254_503_937, U32);
        assert_eq!(
            check(s, U32, Some(60.0), Some(1000)),
            CounterStep::Implausible(65_536)
        );
        assert_eq!(check(s, U32, None, Some(1000)), CounterStep::Up(65_536));
        // At the limit: 60 a minute over 10 s allows 10, over 1 ms still one.
        assert_eq!(
            check(step(0, 10, U32), U32, Some(60.0), Some(10_000)),
            CounterStep::Up(10)
        );
        assert_eq!(
            check(step(0, 11, U32), U32, Some(60.0), Some(10_000)),
            CounterStep::Implausible(11)
        );
        assert_eq!(
            check(step(0, 1, U32), U32, Some(60.0), Some(1)),
            CounterStep::Up(1)
        );
        // A wrap is checked like any step; a step back counts nothing anyway.
        assert_eq!(
            check(step(65_530, 12, U16), U16, Some(60.0), Some(60_000)),
            CounterStep::Wrap(18)
        );
        assert_eq!(
            check(CounterStep::Back, U16, Some(1.0), Some(1)),
            CounterStep::Back
        );
        let e =
            CounterEvent::of(5, false, 100, 2_254_438_401, CounterStep::Implausible(9)).unwrap();
        assert_eq!((e.kind, e.counted), ("implausible", 0));
    }

    #[test]
    fn widths_by_type() {
        assert_eq!(width(DataType::U16), U16);
        assert_eq!(width(DataType::U32), U32);
        assert_eq!(width(DataType::U64), None);
    }
}
