//! Shift boundaries in the plant's time zone. Inside the core time is UTC; this is the
//! edge where the plant's clock (and its daylight-saving changes) comes in.

use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::config::{PlantConfig, parse_hhmm};

/// A stretch of time that counts are summed over: the current shift, or the plant's
/// local day when no shift is running.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ShiftWindow {
    /// The shift's name; `None` outside any configured shift.
    pub name: Option<String>,
    pub start_ms: i64,
    pub end_ms: i64,
}

#[derive(Debug, Clone)]
pub struct ShiftCalendar {
    tz: TimeZone,
    /// (name, start minute, end minute) in local time.
    shifts: Vec<(String, u32, u32)>,
}

impl ShiftCalendar {
    pub fn new(config: &PlantConfig) -> ShiftCalendar {
        ShiftCalendar {
            tz: TimeZone::get(&config.site.timezone).unwrap_or(TimeZone::UTC),
            shifts: config
                .shifts
                .iter()
                .filter_map(|s| Some((s.name.clone(), parse_hhmm(&s.start)?, parse_hhmm(&s.end)?)))
                .collect(),
        }
    }

    /// The window containing `now_ms`.
    pub fn window_at(&self, now_ms: i64) -> ShiftWindow {
        let now = Timestamp::from_millisecond(now_ms).unwrap_or(Timestamp::UNIX_EPOCH);
        let local = now.to_zoned_datetime(self.tz.clone());
        let today = local.date();
        for day_offset in [0i64, -1] {
            let Ok(day) = today.checked_add(day_offset.days()) else {
                continue;
            };
            for (name, start, end) in &self.shifts {
                let start_ts = self.at(day, *start);
                let end_day = if end <= start {
                    day.checked_add(1.day()).unwrap_or(day)
                } else {
                    day
                };
                let end_ts = self.at(end_day, *end);
                if let (Some(s), Some(e)) = (start_ts, end_ts)
                    && s <= now_ms
                    && now_ms < e
                {
                    return ShiftWindow {
                        name: Some(name.clone()),
                        start_ms: s,
                        end_ms: e,
                    };
                }
            }
        }
        let start = self.at(today, 0).unwrap_or(now_ms);
        let end = today
            .checked_add(1.day())
            .ok()
            .and_then(|d| self.at(d, 0))
            .unwrap_or(now_ms + 86_400_000);
        ShiftWindow {
            name: None,
            start_ms: start,
            end_ms: end,
        }
    }

    fn at(&self, day: jiff::civil::Date, minute: u32) -> Option<i64> {
        let time = Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).ok()?;
        day.to_datetime(time)
            .to_zoned_datetime(self.tz.clone())
            .ok()
            .map(|z| z.timestamp().as_millisecond())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Shift, Site};

    fn calendar(tz: &str, shifts: &[(&str, &str, &str)]) -> ShiftCalendar {
        ShiftCalendar::new(&PlantConfig {
            site: Site {
                name: "P".into(),
                timezone: tz.into(),
            },
            shifts: shifts
                .iter()
                .map(|(n, s, e)| Shift {
                    name: n.to_string(),
                    start: s.to_string(),
                    end: e.to_string(),
                })
                .collect(),
            machines: vec![],
            buses: vec![],
            devices: vec![],
        })
    }

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn night_shift_spans_midnight() {
        let c = calendar(
            "Europe/Berlin",
            &[
                ("Early", "06:00", "14:00"),
                ("Late", "14:00", "22:00"),
                ("Night", "22:00", "06:00"),
            ],
        );
        // 01:30 local on 26 Nov (UTC+1) belongs to the night shift that began 25 Nov 22:00.
        let w = c.window_at(ms("2026-11-26T00:30:00Z"));
        assert_eq!(w.name.as_deref(), Some("Night"));
        assert_eq!(w.start_ms, ms("2026-11-25T21:00:00Z"));
        assert_eq!(w.end_ms, ms("2026-11-26T05:00:00Z"));
        let w = c.window_at(ms("2026-11-26T05:00:00Z"));
        assert_eq!(w.name.as_deref(), Some("Early"));
    }

    #[test]
    fn outside_shifts_is_the_local_day() {
        let c = calendar("America/Chicago", &[("Day", "07:00", "15:00")]);
        let w = c.window_at(ms("2026-07-01T03:00:00Z")); // 22:00 local, 30 June
        assert_eq!(w.name, None);
        assert_eq!(w.start_ms, ms("2026-06-30T05:00:00Z"));
        assert_eq!(w.end_ms, ms("2026-07-01T05:00:00Z"));
    }
}
