//! When a check of an inspection plan is due on a running lot, and when it is overdue.
//!
//! A pure function of what is stored: the lot's start and its part count (kept by the
//! production engine, so a restart or a shift change changes nothing), the last check of
//! the plan in the lot, the current shift's start and the time now. The next check
//! counts from the last one done (a check done late moves the next one with it, so two
//! checks are never further apart than the plan's interval plus its grace), or from the
//! start of the lot when none has been done.

use serde::Serialize;

/// How often a plan's check is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "every", rename_all = "snake_case")]
pub enum Frequency {
    /// Once, when the lot starts.
    LotStart,
    /// After every `parts` parts of the lot.
    Parts { parts: u64 },
    /// Every `minutes` minutes while the lot runs.
    Minutes { minutes: u32 },
    /// Once in every shift the lot runs in.
    ShiftStart,
}

/// How long a due check may wait before it is flagged overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Grace {
    pub minutes: u32,
    /// For checks due by parts: parts made past the due point.
    pub parts: u64,
}

/// A check that was made: when, and at which part count of the lot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Done {
    pub at_ms: i64,
    pub parts: u64,
}

/// What the schedule is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub now_ms: i64,
    pub lot_started_ms: i64,
    /// Parts counted in the lot so far.
    pub parts: u64,
    pub shift_started_ms: i64,
    /// The newest check of this plan in this lot.
    pub last: Option<Done>,
}

/// A point in a lot: a time or a part count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "at", rename_all = "snake_case")]
pub enum Point {
    Time(i64),
    Part(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Status {
    /// Nothing more is due until the lot (or, for shift checks, the shift) changes.
    Satisfied,
    /// Due next at this point.
    NotDue { at: Point },
    /// Due since this point; overdue once past the grace.
    Due { since: Point, overdue: bool },
}

const MINUTE_MS: i64 = 60_000;

/// The plan's state on the lot now.
pub fn status(frequency: Frequency, grace: Grace, ctx: &Context) -> Status {
    let by_time = |since: i64| {
        if ctx.now_ms >= since {
            Status::Due {
                since: Point::Time(since),
                overdue: ctx.now_ms - since > i64::from(grace.minutes) * MINUTE_MS,
            }
        } else {
            Status::NotDue {
                at: Point::Time(since),
            }
        }
    };
    match frequency {
        Frequency::LotStart => match ctx.last {
            Some(_) => Status::Satisfied,
            None => by_time(ctx.lot_started_ms),
        },
        Frequency::Parts { parts } => {
            let next = ctx.last.map_or(0, |d| d.parts) + parts;
            if ctx.parts >= next {
                Status::Due {
                    since: Point::Part(next),
                    overdue: ctx.parts - next > grace.parts,
                }
            } else {
                Status::NotDue {
                    at: Point::Part(next),
                }
            }
        }
        Frequency::Minutes { minutes } => {
            let base = ctx.last.map_or(ctx.lot_started_ms, |d| d.at_ms);
            by_time(base + i64::from(minutes) * MINUTE_MS)
        }
        Frequency::ShiftStart => {
            let start = ctx.shift_started_ms.max(ctx.lot_started_ms);
            match ctx.last {
                Some(d) if d.at_ms >= start => Status::Satisfied,
                _ => by_time(start),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRACE: Grace = Grace {
        minutes: 10,
        parts: 5,
    };
    const H: i64 = 3_600_000;

    fn ctx(now_ms: i64, parts: u64, shift_started_ms: i64, last: Option<Done>) -> Context {
        Context {
            now_ms,
            lot_started_ms: 0,
            parts,
            shift_started_ms,
            last,
        }
    }

    #[test]
    fn every_n_parts_counts_on_across_a_shift_change_and_a_restart() {
        let every = Frequency::Parts { parts: 50 };
        // Early shift: 49 parts, not yet; 50, due; 55 still within grace; 56 overdue.
        assert_eq!(
            status(every, GRACE, &ctx(H, 49, 0, None)),
            Status::NotDue {
                at: Point::Part(50)
            }
        );
        assert_eq!(
            status(every, GRACE, &ctx(H, 50, 0, None)),
            Status::Due {
                since: Point::Part(50),
                overdue: false
            }
        );
        assert_eq!(
            status(every, GRACE, &ctx(H, 55, 0, None)),
            Status::Due {
                since: Point::Part(50),
                overdue: false
            }
        );
        assert_eq!(
            status(every, GRACE, &ctx(H, 56, 0, None)),
            Status::Due {
                since: Point::Part(50),
                overdue: true
            }
        );
        // Checked at part 52; the shift changes at part 80: the count goes on, the next
        // check is at 102, not at 50 parts into the new shift.
        let done = Some(Done {
            at_ms: H,
            parts: 52,
        });
        let shift2 = 8 * H;
        assert_eq!(
            status(every, GRACE, &ctx(shift2 + 60_000, 80, shift2, done)),
            Status::NotDue {
                at: Point::Part(102)
            }
        );
        // A restart rebuilds the context from what is stored (the lot's count and the
        // last check): the same answer.
        let after_restart = Context {
            now_ms: shift2 + 120_000,
            lot_started_ms: 0,
            parts: 101,
            shift_started_ms: shift2,
            last: Some(Done {
                at_ms: H,
                parts: 52,
            }),
        };
        assert_eq!(
            status(every, GRACE, &after_restart),
            Status::NotDue {
                at: Point::Part(102)
            }
        );
        assert_eq!(
            status(
                every,
                GRACE,
                &Context {
                    parts: 102,
                    ..after_restart
                }
            ),
            Status::Due {
                since: Point::Part(102),
                overdue: false
            }
        );
    }

    #[test]
    fn every_n_minutes_from_the_last_check_and_overdue_after_the_grace() {
        let every = Frequency::Minutes { minutes: 30 };
        let m = 60_000;
        assert_eq!(
            status(every, GRACE, &ctx(29 * m, 0, 0, None)),
            Status::NotDue {
                at: Point::Time(30 * m)
            }
        );
        // On the minute it is due; ten minutes past it is still in grace; a millisecond more is overdue.
        assert_eq!(
            status(every, GRACE, &ctx(40 * m, 0, 0, None)),
            Status::Due {
                since: Point::Time(30 * m),
                overdue: false
            }
        );
        assert_eq!(
            status(every, GRACE, &ctx(40 * m + 1, 0, 0, None)),
            Status::Due {
                since: Point::Time(30 * m),
                overdue: true
            }
        );
        let late = Some(Done {
            at_ms: 38 * m,
            parts: 0,
        });
        assert_eq!(
            status(every, GRACE, &ctx(40 * m, 0, 0, late)),
            Status::NotDue {
                at: Point::Time(68 * m)
            }
        );
    }

    #[test]
    fn lot_start_once_and_shift_start_once_a_shift() {
        assert_eq!(
            status(Frequency::LotStart, GRACE, &ctx(60_000, 3, 0, None)),
            Status::Due {
                since: Point::Time(0),
                overdue: false
            }
        );
        let done = Some(Done {
            at_ms: 60_000,
            parts: 3,
        });
        assert_eq!(
            status(Frequency::LotStart, GRACE, &ctx(9 * H, 900, 8 * H, done)),
            Status::Satisfied
        );
        // The shift check done in the first shift does not count for the second.
        assert_eq!(
            status(Frequency::ShiftStart, GRACE, &ctx(H, 30, 0, done)),
            Status::Satisfied
        );
        assert_eq!(
            status(Frequency::ShiftStart, GRACE, &ctx(9 * H, 900, 8 * H, done)),
            Status::Due {
                since: Point::Time(8 * H),
                overdue: true
            }
        );
        // A lot started mid-shift is due from its own start.
        let mid = Context {
            now_ms: 5 * H + 60_000,
            lot_started_ms: 5 * H,
            parts: 2,
            shift_started_ms: 0,
            last: None,
        };
        assert_eq!(
            status(Frequency::ShiftStart, GRACE, &mid),
            Status::Due {
                since: Point::Time(5 * H),
                overdue: false
            }
        );
    }
}
