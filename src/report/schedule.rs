//! When a scheduled report runs and which range it covers, in the plant's calendar
//! (shifts, production days, its time zone). Pure: parsing, the run times in a stretch
//! of time (so runs missed while the PC was off are found, each once), and the range a
//! run reports on. The job history and running it are `jobs` and `core::report_jobs`.

use std::fmt;

use crate::production::By;
use crate::production::calendar::{Calendar, Period};

const DAY_MS: i64 = 86_400_000;

/// When a scheduled report runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// At the end of each shift, on that shift.
    Shift,
    /// Every day at this local minute after midnight, on the last whole production day.
    Daily(u32),
    /// Every week on this day (0 = Monday) at this minute, on the last whole week.
    Weekly(u8, u32),
    /// Every month on this day (1..=28) at this minute, on the last whole month.
    Monthly(u8, u32),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the time {0:?} is not understood: write \"shift\" (at the end of each shift), \"daily HH:MM\", \"weekly DAY HH:MM\" (for example \"weekly monday 07:00\") or \"monthly D HH:MM\" (D from 1 to 28, for example \"monthly 1 07:00\")"
)]
pub struct WhenError(pub String);

const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn hhmm(m: u32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

impl When {
    pub fn parse(text: &str) -> Result<When, WhenError> {
        let err = || WhenError(text.to_string());
        let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["shift"] => Ok(When::Shift),
            ["daily", t] => parse_hhmm(t).map(When::Daily).ok_or_else(err),
            ["weekly", day, t] => {
                let d = DAYS
                    .iter()
                    .position(|n| day.len() >= 3 && n.starts_with(day))
                    .ok_or_else(err)?;
                parse_hhmm(t)
                    .map(|t| When::Weekly(d as u8, t))
                    .ok_or_else(err)
            }
            ["monthly", d, t] => {
                let d: u8 = d
                    .parse()
                    .ok()
                    .filter(|d| (1..=28).contains(d))
                    .ok_or_else(err)?;
                parse_hhmm(t).map(|t| When::Monthly(d, t)).ok_or_else(err)
            }
            _ => Err(err()),
        }
    }

    /// How the production report of a run is cut.
    pub fn by(&self) -> By {
        match self {
            When::Shift => By::Shift,
            When::Daily(_) | When::Weekly(..) => By::Day,
            When::Monthly(..) => By::Month,
        }
    }

    /// The run times in (after, until], oldest first.
    pub fn due_between(&self, cal: &Calendar, after: i64, until: i64) -> Vec<i64> {
        let mut out = Vec::new();
        if until <= after {
            return out;
        }
        match *self {
            When::Shift => {
                // A shift ends at most a day after it starts: look one day further back.
                for s in cal.shifts_between(after - DAY_MS, until + 1) {
                    if s.end > after && s.end <= until && !out.contains(&s.end) {
                        out.push(s.end);
                    }
                }
                out.sort_unstable();
            }
            _ => {
                let mut day = cal.local_date(after);
                let last = cal.local_date(until);
                loop {
                    let at = match *self {
                        When::Daily(m) => Some(cal.at(day, m)),
                        When::Weekly(wd, m) => (day.weekday().to_monday_zero_offset() as u8 == wd)
                            .then(|| cal.at(day, m)),
                        When::Monthly(d, m) => (day.day() as u8 == d).then(|| cal.at(day, m)),
                        When::Shift => None,
                    };
                    if let Some(at) = at
                        && at > after
                        && at <= until
                    {
                        out.push(at);
                    }
                    if day >= last {
                        break;
                    }
                    match day.tomorrow() {
                        Ok(d) => day = d,
                        Err(_) => break,
                    }
                }
            }
        }
        out
    }

    /// The range a run at `due` reports on: the shift that ended then, or the last whole
    /// production day, week or month before it. None when there is none (a shift run
    /// whose shift has gone from the calendar).
    pub fn range(&self, cal: &Calendar, due: i64) -> Option<(i64, i64, String)> {
        let last_whole = |by: By, back: i64| -> Option<Period> {
            cal.periods(by, due - back, due + 40 * DAY_MS)
                .into_iter()
                .rfind(|p| p.end_ms <= due)
        };
        match self {
            When::Shift => cal
                .shifts_between(due - DAY_MS, due)
                .into_iter()
                .find(|s| s.end == due)
                .map(|s| (s.start, s.end, format!("{} {}", s.day, s.name))),
            When::Daily(_) => {
                last_whole(By::Day, 3 * DAY_MS).map(|p| (p.start_ms, p.end_ms, p.key))
            }
            When::Weekly(..) => {
                last_whole(By::Week, 22 * DAY_MS).map(|p| (p.start_ms, p.end_ms, p.key))
            }
            When::Monthly(..) => {
                last_whole(By::Month, 70 * DAY_MS).map(|p| (p.start_ms, p.end_ms, p.key))
            }
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            When::Shift => write!(f, "shift"),
            When::Daily(m) => write!(f, "daily {}", hhmm(m)),
            When::Weekly(d, m) => write!(f, "weekly {} {}", DAYS[d as usize % 7], hhmm(m)),
            When::Monthly(d, m) => write!(f, "monthly {d} {}", hhmm(m)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PlantConfig;

    fn ms(s: &str) -> i64 {
        s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    fn calendar() -> Calendar {
        let cfg: PlantConfig = toml::from_str(
            r#"
            site = { name = "P", timezone = "Europe/Berlin" }
            shifts = [
                { name = "Early", start = "06:00", end = "14:00" },
                { name = "Late", start = "14:00", end = "22:00" },
                { name = "Night", start = "22:00", end = "06:00" },
            ]
            "#,
        )
        .unwrap();
        Calendar::new(&cfg)
    }

    #[test]
    fn parses_and_prints() {
        for t in [
            "shift",
            "daily 06:30",
            "weekly monday 07:00",
            "monthly 1 07:00",
        ] {
            assert_eq!(When::parse(t).unwrap().to_string(), t);
        }
        assert_eq!(
            When::parse("Weekly Fri 7:05").unwrap().to_string(),
            "weekly friday 07:05"
        );
        for bad in [
            "",
            "daily",
            "daily 24:00",
            "monthly 29 07:00",
            "weekly xx 07:00",
        ] {
            assert!(
                When::parse(bad)
                    .unwrap_err()
                    .to_string()
                    .contains("monthly D HH:MM")
            );
        }
    }

    #[test]
    fn shift_ends_and_ranges() {
        let cal = calendar();
        // Berlin is UTC+1 in March: Early ends 13:00 UTC, Late 21:00, Night 05:00.
        let due =
            When::Shift.due_between(&cal, ms("2026-03-02T12:00:00Z"), ms("2026-03-03T06:00:00Z"));
        assert_eq!(
            due,
            vec![
                ms("2026-03-02T13:00:00Z"),
                ms("2026-03-02T21:00:00Z"),
                ms("2026-03-03T05:00:00Z")
            ]
        );
        assert_eq!(
            When::Shift.range(&cal, due[2]),
            Some((
                ms("2026-03-02T21:00:00Z"),
                ms("2026-03-03T05:00:00Z"),
                "2026-03-02 Night".into()
            ))
        );
        // A run time itself is not due again after it.
        assert!(
            When::Shift
                .due_between(&cal, due[2], due[2] + 1000)
                .is_empty()
        );
    }

    #[test]
    fn daily_weekly_monthly_ranges() {
        let cal = calendar();
        let daily = When::parse("daily 06:30").unwrap();
        let due = daily.due_between(&cal, ms("2026-03-02T00:00:00Z"), ms("2026-03-04T05:00:00Z"));
        assert_eq!(
            due,
            vec![ms("2026-03-02T05:30:00Z"), ms("2026-03-03T05:30:00Z")]
        );
        // The production day 2026-03-02 runs from 06:00 to 06:00 local.
        assert_eq!(
            daily.range(&cal, due[1]),
            Some((
                ms("2026-03-02T05:00:00Z"),
                ms("2026-03-03T05:00:00Z"),
                "2026-03-02".into()
            ))
        );
        let weekly = When::parse("weekly monday 07:00").unwrap();
        // 2026-03-09 is a Monday; the week before runs Mon 2 to Mon 9, 06:00 local.
        let due = weekly.due_between(&cal, ms("2026-03-04T00:00:00Z"), ms("2026-03-12T00:00:00Z"));
        assert_eq!(due, vec![ms("2026-03-09T06:00:00Z")]);
        assert_eq!(
            weekly.range(&cal, due[0]),
            Some((
                ms("2026-03-02T05:00:00Z"),
                ms("2026-03-09T05:00:00Z"),
                "2026-W10".into()
            ))
        );
        let monthly = When::parse("monthly 1 07:00").unwrap();
        let due = monthly.due_between(&cal, ms("2026-02-15T00:00:00Z"), ms("2026-04-15T00:00:00Z"));
        // 1 March 07:00 (UTC+1), 1 April 07:00 (UTC+2, summer time).
        assert_eq!(
            due,
            vec![ms("2026-03-01T06:00:00Z"), ms("2026-04-01T05:00:00Z")]
        );
        assert_eq!(
            monthly.range(&cal, due[1]),
            Some((
                ms("2026-03-01T05:00:00Z"),
                ms("2026-04-01T04:00:00Z"),
                "2026-03".into()
            ))
        );
    }
}
