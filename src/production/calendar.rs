//! The shift calendar in the plant's time zone: shifts with their breaks on the days
//! they run, holidays, production days, weeks and months. Inside the core time is UTC;
//! this is the edge where the plant's clock (and its daylight-saving changes) comes in.
//!
//! Rules: a shift that crosses midnight belongs to the day it starts; a production day
//! begins at the earliest shift start (so each day holds its own shifts whole); local
//! clock times are turned into instants by jiff, so a night shift over a
//! daylight-saving change is 7 or 9 hours long, as the clocks say; periods are
//! half-open, [start, end). Without configured shifts the plant runs around the clock:
//! one shift "Day" from midnight to midnight.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::config::{PlantConfig, parse_hhmm};

/// A shift as configured, in local minutes.
#[derive(Debug, Clone)]
struct ShiftDef {
    name: String,
    start: u32,
    /// Minutes long on a day without a clock change.
    length: u32,
    /// Monday 0 .. Sunday 6: whether the shift starts on that day.
    days: [bool; 7],
    /// (start, end) as minutes after the shift's start.
    breaks: Vec<(u32, u32, String)>,
}

/// A local clock time (milliseconds of the local day): "06:00", "06:00:05",
/// "06:00:05.250".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock(i64);

impl std::fmt::Display for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = self.0;
        let (h, m, sec, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        if sec == 0 && frac == 0 {
            write!(f, "{h:02}:{m:02}")
        } else if frac == 0 {
            write!(f, "{h:02}:{m:02}:{sec:02}")
        } else {
            write!(f, "{h:02}:{m:02}:{sec:02}.{frac:03}")
        }
    }
}

/// One instance of a shift: its day, its instants and its breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftSpan {
    pub name: String,
    /// The production day it belongs to (the local date it starts on).
    pub day: Date,
    pub start: i64,
    pub end: i64,
    /// Breaks, in time order, within [start, end).
    pub breaks: Vec<(i64, i64)>,
    pub break_names: Vec<String>,
}

/// What reports are cut into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum By {
    Shift,
    Day,
    Week,
    Month,
}

impl By {
    pub fn parse(s: &str) -> Option<By> {
        match s {
            "shift" => Some(By::Shift),
            "day" => Some(By::Day),
            "week" => Some(By::Week),
            "month" => Some(By::Month),
            _ => None,
        }
    }
}

/// One period of a report: a shift, the time between shifts, a production day, week or
/// month, clipped to the report's range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Period {
    /// "2026-03-02 Early", "2026-03-02 between shifts", "2026-03-02", "2026-W10",
    /// "2026-03".
    pub key: String,
    /// The shift's name (by shift); null between shifts and for days, weeks, months.
    pub shift: Option<String>,
    pub start_ms: i64,
    pub end_ms: i64,
}

/// The window the overview counts in: the current shift, or the production day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShiftWindow {
    /// The shift's name; `None` outside any shift.
    pub name: Option<String>,
    pub start_ms: i64,
    pub end_ms: i64,
}

#[derive(Debug, Clone)]
pub struct Calendar {
    tz: TimeZone,
    shifts: Vec<ShiftDef>,
    holidays: BTreeSet<Date>,
    /// Local minute the production day begins: the earliest shift start.
    day_start: u32,
}

impl Calendar {
    /// The calendar of a configuration (which `config::validate` has checked).
    pub fn new(config: &PlantConfig) -> Calendar {
        let tz = TimeZone::get(&config.site.timezone).unwrap_or(TimeZone::UTC);
        let mut shifts: Vec<ShiftDef> = config
            .shifts
            .iter()
            .filter_map(|s| {
                let start = parse_hhmm(&s.start)?;
                let end = parse_hhmm(&s.end)?;
                let length = (end + 1440 - start) % 1440;
                if length == 0 {
                    return None;
                }
                let mut days = [s.days.is_empty(); 7];
                for d in &s.days {
                    days[d.index()] = true;
                }
                let breaks = s
                    .breaks
                    .iter()
                    .filter_map(|b| {
                        let bs = parse_hhmm(&b.start)?;
                        let be = parse_hhmm(&b.end)?;
                        let from = (bs + 1440 - start) % 1440;
                        let to = from + (be + 1440 - bs) % 1440;
                        (to > from && to <= length).then(|| (from, to, b.name.clone()))
                    })
                    .collect::<Vec<_>>();
                Some(ShiftDef {
                    name: s.name.clone(),
                    start,
                    length,
                    days,
                    breaks,
                })
            })
            .collect();
        if shifts.is_empty() {
            shifts.push(ShiftDef {
                name: "Day".to_string(),
                start: 0,
                length: 1440,
                days: [true; 7],
                breaks: Vec::new(),
            });
        }
        shifts.sort_by_key(|s| s.start);
        let day_start = shifts.iter().map(|s| s.start).min().unwrap_or(0);
        let holidays = config
            .holidays
            .iter()
            .filter_map(|h| h.date.parse::<Date>().ok())
            .collect();
        Calendar {
            tz,
            shifts,
            holidays,
            day_start,
        }
    }

    pub fn timezone(&self) -> &TimeZone {
        &self.tz
    }

    /// The instant of a local date and minute after midnight (a minute may be 1440:
    /// midnight of the next day). A time that does not exist (the hour skipped when
    /// clocks go forward) is taken as the same time after the change; a time that
    /// happens twice (clocks go back) is the first of the two.
    pub fn at(&self, day: Date, minute: u32) -> i64 {
        let (day, minute) = if minute >= 1440 {
            (
                day.checked_add((minute / 1440) as i64 * 1.day())
                    .unwrap_or(day),
                minute % 1440,
            )
        } else {
            (day, minute)
        };
        let time = Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).unwrap_or(Time::MIN);
        day.to_datetime(time)
            .to_zoned_datetime(self.tz.clone())
            .map(|z| z.timestamp().as_millisecond())
            .unwrap_or(0)
    }

    /// The local date of an instant.
    pub fn local_date(&self, ms: i64) -> Date {
        Timestamp::from_millisecond(ms)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .to_zoned_datetime(self.tz.clone())
            .date()
    }

    /// Local "HH:MM" of an instant; with seconds when they are not 0.
    pub fn clock(&self, ms: i64) -> String {
        self.clock_of(ms).to_string()
    }

    /// The local clock time of an instant, to write without a string of its own.
    pub fn clock_of(&self, ms: i64) -> Clock {
        // The offset in force, then plain arithmetic: explanations name many times.
        let ts = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
        let off = i64::from(self.tz.to_offset(ts).seconds()) * 1000;
        Clock((ts.as_millisecond() + off).rem_euclid(86_400_000))
    }

    /// Local date and time of an instant, "2026-03-02 06:00".
    pub fn date_time(&self, ms: i64) -> String {
        format!("{} {}", self.local_date(ms), self.clock(ms))
    }

    /// When production day `day` begins.
    pub fn day_start(&self, day: Date) -> i64 {
        self.at(day, self.day_start)
    }

    /// The production day an instant belongs to.
    pub fn day_of(&self, ms: i64) -> Date {
        let d = self.local_date(ms);
        if ms < self.day_start(d) {
            d.yesterday().unwrap_or(d)
        } else {
            d
        }
    }

    /// The shifts of production day `day` (none on a holiday).
    pub fn shifts_of(&self, day: Date) -> Vec<ShiftSpan> {
        if self.holidays.contains(&day) {
            return Vec::new();
        }
        let weekday = day.weekday().to_monday_zero_offset() as usize;
        self.shifts
            .iter()
            .filter(|s| s.days[weekday])
            .map(|s| ShiftSpan {
                name: s.name.clone(),
                day,
                start: self.at(day, s.start),
                end: self.at(day, s.start + s.length),
                breaks: s
                    .breaks
                    .iter()
                    .map(|(a, b, _)| (self.at(day, s.start + a), self.at(day, s.start + b)))
                    .filter(|(a, b)| a < b)
                    .collect(),
                break_names: s.breaks.iter().map(|b| b.2.clone()).collect(),
            })
            .collect()
    }

    /// Every shift that overlaps [from, to), in time order.
    pub fn shifts_between(&self, from: i64, to: i64) -> Vec<ShiftSpan> {
        let mut out = Vec::new();
        if from >= to {
            return out;
        }
        let mut day = self.day_of(from);
        let last = self.day_of(to - 1);
        loop {
            out.extend(
                self.shifts_of(day)
                    .into_iter()
                    .filter(|s| s.start < to && from < s.end),
            );
            if day >= last {
                break;
            }
            match day.tomorrow() {
                Ok(d) => day = d,
                Err(_) => break,
            }
        }
        out
    }

    /// The window the overview counts parts in at `now`: the shift running then, or
    /// the production day outside shifts.
    pub fn window_at(&self, now: i64) -> ShiftWindow {
        let day = self.day_of(now);
        for s in self.shifts_of(day) {
            if s.start <= now && now < s.end {
                return ShiftWindow {
                    name: Some(s.name),
                    start_ms: s.start,
                    end_ms: s.end,
                };
            }
        }
        ShiftWindow {
            name: None,
            start_ms: self.day_start(day),
            end_ms: self.day_start(day.tomorrow().unwrap_or(day)),
        }
    }

    /// The shift running at `now`, if any.
    pub fn shift_at(&self, now: i64) -> Option<ShiftSpan> {
        self.shifts_of(self.day_of(now))
            .into_iter()
            .find(|s| s.start <= now && now < s.end)
    }

    /// [from, to) cut into periods, each clipped to the range. By shift: the shifts and
    /// the stretches between them (so the periods cover the whole range).
    pub fn periods(&self, by: By, from: i64, to: i64) -> Vec<Period> {
        let mut out = Vec::new();
        if from >= to {
            return out;
        }
        let clip = |key: String, shift: Option<String>, a: i64, b: i64, out: &mut Vec<Period>| {
            let (a, b) = (a.max(from), b.min(to));
            if a < b {
                out.push(Period {
                    key,
                    shift,
                    start_ms: a,
                    end_ms: b,
                });
            }
        };
        match by {
            By::Shift => {
                let mut t = from;
                for s in self.shifts_between(from, to) {
                    if s.start > t {
                        let day = self.day_of(t);
                        clip(format!("{day} between shifts"), None, t, s.start, &mut out);
                    }
                    clip(
                        format!("{} {}", s.day, s.name),
                        Some(s.name.clone()),
                        s.start,
                        s.end,
                        &mut out,
                    );
                    t = t.max(s.end);
                }
                if t < to {
                    let day = self.day_of(t);
                    clip(format!("{day} between shifts"), None, t, to, &mut out);
                }
            }
            By::Day | By::Week | By::Month => {
                let mut day = self.day_of(from);
                day = match by {
                    By::Week => day
                        .checked_sub((day.weekday().to_monday_zero_offset() as i64).days())
                        .unwrap_or(day),
                    By::Month => day.first_of_month(),
                    _ => day,
                };
                loop {
                    let next = match by {
                        By::Week => day.checked_add(7.days()),
                        By::Month => day.checked_add(1.month()),
                        _ => day.checked_add(1.day()),
                    };
                    let Ok(next) = next else { break };
                    let key = match by {
                        By::Week => {
                            let w = day.iso_week_date();
                            format!("{}-W{:02}", w.year(), w.week())
                        }
                        By::Month => format!("{:04}-{:02}", day.year(), day.month()),
                        _ => day.to_string(),
                    };
                    let (a, b) = (self.day_start(day), self.day_start(next));
                    clip(key, None, a, b, &mut out);
                    if b >= to {
                        break;
                    }
                    day = next;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Break, Holiday, Shift, Site, Weekday};

    /// A shift for tests: name, start, end, breaks (start, end).
    pub(crate) type TestShift<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'a str)]);

    pub(crate) fn config(tz: &str, shifts: &[TestShift<'_>]) -> PlantConfig {
        PlantConfig {
            site: Site {
                name: "P".into(),
                timezone: tz.into(),
            },
            shifts: shifts
                .iter()
                .map(|(n, s, e, b)| Shift {
                    name: n.to_string(),
                    start: s.to_string(),
                    end: e.to_string(),
                    days: Vec::new(),
                    breaks: b
                        .iter()
                        .map(|(a, z)| Break {
                            start: a.to_string(),
                            end: z.to_string(),
                            name: String::new(),
                        })
                        .collect(),
                })
                .collect(),
            machines: vec![],
            buses: vec![],
            devices: vec![],
            holidays: vec![],
            alarms: Vec::new(),
            alarm_settings: Default::default(),
        }
    }

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn clock_times_are_local_on_both_sides_of_a_change() {
        let c = three("Europe/Berlin");
        assert_eq!(c.clock(ms("2026-03-29T00:59:59.250Z")), "01:59:59.250");
        assert_eq!(c.clock(ms("2026-03-29T01:00:00Z")), "03:00");
        assert_eq!(c.clock(ms("2026-10-25T00:30:00Z")), "02:30");
        assert_eq!(c.clock(ms("2026-10-25T01:30:05Z")), "02:30:05");
        let c = three("America/Chicago");
        assert_eq!(c.clock(ms("2026-03-08T07:59:00Z")), "01:59");
        assert_eq!(c.clock(ms("2026-03-08T08:00:00Z")), "03:00");
        assert_eq!(c.clock(ms("1969-12-31T23:00:00Z")), "17:00");
    }

    fn three(tz: &str) -> Calendar {
        Calendar::new(&config(
            tz,
            &[
                ("Early", "06:00", "14:00", &[("09:00", "09:15")]),
                ("Late", "14:00", "22:00", &[]),
                ("Night", "22:00", "06:00", &[("02:00", "02:30")]),
            ],
        ))
    }

    #[test]
    fn a_night_shift_belongs_to_the_day_it_starts() {
        let c = three("Europe/Berlin");
        // 01:30 local on 26 Nov (UTC+1) is in the night shift of 25 Nov.
        let w = c.window_at(ms("2026-11-26T00:30:00Z"));
        assert_eq!(w.name.as_deref(), Some("Night"));
        assert_eq!(w.start_ms, ms("2026-11-25T21:00:00Z"));
        assert_eq!(w.end_ms, ms("2026-11-26T05:00:00Z"));
        assert_eq!(
            c.day_of(ms("2026-11-26T00:30:00Z")).to_string(),
            "2026-11-25"
        );
        // Its break after midnight is on the next calendar day.
        let night = &c.shifts_of("2026-11-25".parse().unwrap())[2];
        assert_eq!(
            night.breaks,
            vec![(ms("2026-11-26T01:00:00Z"), ms("2026-11-26T01:30:00Z"))]
        );
        // A sample exactly at a boundary belongs to the later period.
        assert_eq!(
            c.window_at(ms("2026-11-26T05:00:00Z")).name.as_deref(),
            Some("Early")
        );
    }

    fn night_hours(tz: &str, day: &str) -> f64 {
        let c = three(tz);
        let night = c
            .shifts_of(day.parse().unwrap())
            .into_iter()
            .find(|s| s.name == "Night")
            .unwrap();
        (night.end - night.start) as f64 / 3_600_000.0
    }

    #[test]
    fn daylight_saving_gives_a_7_or_9_hour_night_shift_in_berlin() {
        // Clocks go forward on 29 March 2026 at 02:00, back on 25 October at 03:00.
        assert_eq!(night_hours("Europe/Berlin", "2026-03-28"), 7.0);
        assert_eq!(night_hours("Europe/Berlin", "2026-10-24"), 9.0);
        assert_eq!(night_hours("Europe/Berlin", "2026-03-27"), 8.0);
    }

    #[test]
    fn daylight_saving_gives_a_7_or_9_hour_night_shift_in_chicago() {
        // Clocks go forward on 8 March 2026, back on 1 November.
        assert_eq!(night_hours("America/Chicago", "2026-03-07"), 7.0);
        assert_eq!(night_hours("America/Chicago", "2026-10-31"), 9.0);
        // The production day holds 23 and 25 hours.
        let c = three("America/Chicago");
        let day = |d: &str| {
            let d: Date = d.parse().unwrap();
            (c.day_start(d.tomorrow().unwrap()) - c.day_start(d)) / 3_600_000
        };
        assert_eq!(day("2026-03-07"), 23);
        assert_eq!(day("2026-10-31"), 25);
    }

    #[test]
    fn periods_by_shift_cover_the_range_with_the_gaps_between_shifts() {
        let c = Calendar::new(&config("UTC", &[("Day", "07:00", "15:00", &[])]));
        let p = c.periods(
            By::Shift,
            ms("2026-03-02T00:00:00Z"),
            ms("2026-03-03T00:00:00Z"),
        );
        let keys: Vec<_> = p.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "2026-03-01 between shifts",
                "2026-03-02 Day",
                "2026-03-02 between shifts"
            ]
        );
        assert_eq!(p[0].start_ms, ms("2026-03-02T00:00:00Z"));
        assert_eq!(p[2].end_ms, ms("2026-03-03T00:00:00Z"));
        for w in p.windows(2) {
            assert_eq!(w[0].end_ms, w[1].start_ms);
        }
    }

    #[test]
    fn weeks_and_months_start_at_the_production_day_start() {
        let c = three("Europe/Berlin");
        let p = c.periods(
            By::Week,
            ms("2026-03-04T12:00:00Z"),
            ms("2026-03-20T00:00:00Z"),
        );
        assert_eq!(p[0].key, "2026-W10");
        assert_eq!(p[1].key, "2026-W11");
        assert_eq!(p[1].start_ms, ms("2026-03-09T05:00:00Z")); // Monday 06:00 CET
        let m = c.periods(
            By::Month,
            ms("2026-03-01T00:00:00Z"),
            ms("2026-04-15T00:00:00Z"),
        );
        let keys: Vec<_> = m.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["2026-02", "2026-03", "2026-04"]);
        assert_eq!(m[2].start_ms, ms("2026-04-01T04:00:00Z")); // 06:00 CEST
    }

    #[test]
    fn holidays_and_weekdays_have_no_shifts() {
        let mut cfg = config("UTC", &[("Day", "07:00", "15:00", &[])]);
        cfg.shifts[0].days = vec![Weekday::Mon, Weekday::Tue];
        cfg.holidays = vec![Holiday {
            date: "2026-03-03".into(),
            name: "Works outing".into(),
        }];
        let c = Calendar::new(&cfg);
        assert_eq!(c.shifts_of("2026-03-02".parse().unwrap()).len(), 1); // Monday
        assert!(c.shifts_of("2026-03-03".parse().unwrap()).is_empty()); // holiday
        assert!(c.shifts_of("2026-03-04".parse().unwrap()).is_empty()); // Wednesday
    }

    #[test]
    fn without_shifts_the_plant_runs_around_the_clock() {
        let c = Calendar::new(&config("America/Chicago", &[]));
        let w = c.window_at(ms("2026-07-01T03:00:00Z")); // 22:00 local, 30 June
        assert_eq!(w.name.as_deref(), Some("Day"));
        assert_eq!(w.start_ms, ms("2026-06-30T05:00:00Z"));
        assert_eq!(w.end_ms, ms("2026-07-01T05:00:00Z"));
    }
}
