//! When a target's backups are due: hourly, daily at a time, or weekly on a day at a
//! time, in the plant's time zone. Pure: parsing, the next time after a moment, and
//! the interval the overdue alarm doubles.

use std::fmt;

use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, ZonedDateTime};

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// A target's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// At the top of every hour.
    Hourly,
    /// Every day at this local time.
    Daily(Time),
    /// Every week on this day at this local time.
    Weekly(Weekday, Time),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the schedule {0:?} is not understood: write \"hourly\", \"daily HH:MM\" (for example \"daily 02:00\") or \"weekly DAY HH:MM\" (for example \"weekly sunday 03:00\")"
)]
pub struct ScheduleError(pub String);

const DAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

fn parse_time(s: &str) -> Option<Time> {
    let (h, m) = s.split_once(':')?;
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    Time::new(h, m, 0, 0).ok()
}

fn day_name(d: Weekday) -> &'static str {
    DAYS.iter()
        .find(|(_, w)| *w == d)
        .map_or("monday", |(n, _)| n)
}

impl Schedule {
    pub fn parse(text: &str) -> Result<Schedule, ScheduleError> {
        let err = || ScheduleError(text.to_string());
        let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["hourly"] => Ok(Schedule::Hourly),
            ["daily", t] => parse_time(t).map(Schedule::Daily).ok_or_else(err),
            ["weekly", day, t] => {
                let day = DAYS
                    .iter()
                    .find(|(n, _)| n.starts_with(day) && day.len() >= 3)
                    .map(|(_, d)| *d)
                    .ok_or_else(err)?;
                parse_time(t)
                    .map(|t| Schedule::Weekly(day, t))
                    .ok_or_else(err)
            }
            _ => Err(err()),
        }
    }

    /// How long between two runs; a target is overdue after twice this.
    pub fn interval_ms(&self) -> i64 {
        match self {
            Schedule::Hourly => HOUR_MS,
            Schedule::Daily(_) => DAY_MS,
            Schedule::Weekly(..) => 7 * DAY_MS,
        }
    }

    /// The first scheduled time strictly after `after_ms`.
    pub fn next_after(&self, after_ms: i64, tz: &TimeZone) -> i64 {
        let Ok(ts) = Timestamp::from_millisecond(after_ms) else {
            return after_ms + self.interval_ms();
        };
        let now = ts.to_zoned_datetime(tz.clone());
        let candidate =
            |z: Result<ZonedDateTime, jiff::Error>| z.ok().map(|z| z.timestamp().as_millisecond());
        match *self {
            Schedule::Hourly => (after_ms.div_euclid(HOUR_MS) + 1) * HOUR_MS,
            Schedule::Daily(t) => {
                for d in 0..3 {
                    let day = now.date().checked_add(d.days()).ok();
                    if let Some(ms) = day
                        .and_then(|day| candidate(day.to_datetime(t).to_zoned_datetime(tz.clone())))
                        && ms > after_ms
                    {
                        return ms;
                    }
                }
                after_ms + DAY_MS
            }
            Schedule::Weekly(wd, t) => {
                for d in 0..15 {
                    let Some(day) = now.date().checked_add(d.days()).ok() else {
                        continue;
                    };
                    if day.weekday() != wd {
                        continue;
                    }
                    if let Some(ms) = candidate(day.to_datetime(t).to_zoned_datetime(tz.clone()))
                        && ms > after_ms
                    {
                        return ms;
                    }
                }
                after_ms + 7 * DAY_MS
            }
        }
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |t: &Time| format!("{:02}:{:02}", t.hour(), t.minute());
        match self {
            Schedule::Hourly => write!(f, "hourly"),
            Schedule::Daily(t) => write!(f, "daily {}", hm(t)),
            Schedule::Weekly(d, t) => write!(f, "weekly {} {}", day_name(*d), hm(t)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn parses_and_prints() {
        for text in ["hourly", "daily 02:00", "weekly sunday 03:30"] {
            assert_eq!(Schedule::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            Schedule::parse("Weekly Sun 3:05").unwrap().to_string(),
            "weekly sunday 03:05"
        );
        for bad in ["", "daily", "daily 25:00", "weekly someday 01:00", "often"] {
            let e = Schedule::parse(bad).unwrap_err().to_string();
            assert!(e.contains("daily HH:MM"), "{e}");
        }
    }

    #[test]
    fn next_times_in_the_plant_zone() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        assert_eq!(
            Schedule::Hourly.next_after(ms("2026-03-01T10:20:00Z"), &tz),
            ms("2026-03-01T11:00:00Z")
        );
        assert_eq!(
            Schedule::Hourly.next_after(ms("2026-03-01T11:00:00Z"), &tz),
            ms("2026-03-01T12:00:00Z")
        );
        let daily = Schedule::parse("daily 02:00").unwrap();
        // 02:00 in Berlin (UTC+1 in winter) is 01:00 UTC.
        assert_eq!(
            daily.next_after(ms("2026-03-01T00:30:00Z"), &tz),
            ms("2026-03-01T01:00:00Z")
        );
        assert_eq!(
            daily.next_after(ms("2026-03-01T01:00:00Z"), &tz),
            ms("2026-03-02T01:00:00Z")
        );
        // Summer time: 02:00 local is 00:00 UTC.
        assert_eq!(
            daily.next_after(ms("2026-07-01T12:00:00Z"), &tz),
            ms("2026-07-02T00:00:00Z")
        );
        let weekly = Schedule::parse("weekly sunday 03:00").unwrap();
        // 2026-03-04 is a Wednesday; the next Sunday is the 8th.
        assert_eq!(
            weekly.next_after(ms("2026-03-04T12:00:00Z"), &tz),
            ms("2026-03-08T02:00:00Z")
        );
        assert_eq!(weekly.interval_ms(), 7 * DAY_MS);
    }
}
