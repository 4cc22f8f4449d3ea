//! Production figures from the sample stream: machine states, parts counted this
//! shift, and the current rate. Kept in memory, fed by the sample bus, and seeded from
//! the database at start so a restart does not zero the shift's count.
//!
//! Counting: the increase of a machine's part counter between consecutive good
//! samples. A counter that drops to less than half its value was reset (or rolled
//! over) and counts from zero again; a smaller step back (a device swapped, a glitch)
//! counts nothing rather than inventing parts; bad samples are skipped, so an outage neither loses nor invents parts, as
//! long as the device's own counter kept counting.

mod overview;
mod shift;

pub use overview::{MachineTile, Overview, StateJson, TagValue, overview};
pub use shift::{ShiftCalendar, ShiftWindow};

use std::collections::VecDeque;
use std::sync::RwLock;

use rusqlite::Connection;

use crate::config::{Plant, TagRole};
use crate::sample::{Sample, TagId, TagMap};

/// The rate is the count over this much of the recent past.
pub const RATE_WINDOW_MS: i64 = 10 * 60 * 1000;
/// A rate needs at least this much history.
const RATE_MIN_SPAN_MS: i64 = 30 * 1000;

/// Parts made between two readings of a part counter: the increase; after a reset or
/// roll-over (a drop to less than half) the new value; after a smaller step back,
/// nothing.
pub fn counter_increase(previous: f64, value: f64) -> f64 {
    if value >= previous {
        value - previous
    } else if value < previous / 2.0 {
        value.max(0.0)
    } else {
        0.0
    }
}

#[derive(Debug)]
pub struct Production {
    inner: RwLock<Inner>,
}

#[derive(Debug)]
struct Inner {
    calendar: ShiftCalendar,
    counters: TagMap<Counter>,
}

#[derive(Debug, Clone)]
struct Counter {
    window: ShiftWindow,
    /// Parts counted in `window`.
    count: f64,
    /// The last good sample: (ts, value).
    last: Option<(i64, f64)>,
    /// Parts counted since tracking began, at each recent sample: (ts, total).
    recent: VecDeque<(i64, f64)>,
    total: f64,
}

impl Counter {
    fn new(window: ShiftWindow) -> Counter {
        Counter {
            window,
            count: 0.0,
            last: None,
            recent: VecDeque::new(),
            total: 0.0,
        }
    }

    fn roll(&mut self, ts: i64, calendar: &ShiftCalendar) {
        if ts >= self.window.end_ms {
            self.window = calendar.window_at(ts);
            self.count = 0.0;
        }
    }

    fn add(&mut self, ts: i64, value: f64, calendar: &ShiftCalendar) {
        if self.last.is_some_and(|(lts, _)| ts <= lts) {
            return;
        }
        self.roll(ts, calendar);
        if let Some((_, lv)) = self.last {
            let inc = counter_increase(lv, value);
            if ts >= self.window.start_ms {
                self.count += inc;
            }
            self.total += inc;
        }
        self.last = Some((ts, value));
        self.recent.push_back((ts, self.total));
        // Keep one point older than the rate window as its base.
        while self.recent.len() > 2 && self.recent[1].0 <= ts - RATE_WINDOW_MS {
            self.recent.pop_front();
        }
    }

    /// Parts per minute over the rate window, up to the last sample.
    fn rate_per_min(&self) -> Option<f64> {
        let &(last_ts, last_total) = self.recent.back()?;
        let &(first_ts, first_total) = self
            .recent
            .iter()
            .find(|(ts, _)| *ts >= last_ts - RATE_WINDOW_MS)
            .or(self.recent.front())?;
        let span = last_ts - first_ts;
        (span >= RATE_MIN_SPAN_MS).then(|| (last_total - first_total) / (span as f64 / 60_000.0))
    }
}

impl Production {
    pub fn new(plant: &Plant, now_ms: i64) -> Production {
        let p = Production {
            inner: RwLock::new(Inner {
                calendar: ShiftCalendar::new(&plant.config),
                counters: TagMap::default(),
            }),
        };
        p.reset(plant, now_ms);
        p
    }

    /// Follows a new configuration: new shifts, new count tags. Counters of tags that
    /// stay keep their state.
    pub fn reset(&self, plant: &Plant, now_ms: i64) {
        let calendar = ShiftCalendar::new(&plant.config);
        let window = calendar.window_at(now_ms);
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let mut counters = TagMap::default();
        for m in &plant.config.machines {
            if let Some(t) = plant.role_tag(&m.key, TagRole::Count) {
                let mut c = inner
                    .counters
                    .remove(&t.id)
                    .unwrap_or_else(|| Counter::new(window.clone()));
                if c.window != window && c.window.end_ms > now_ms {
                    // The shifts changed: recount from the new window's start later.
                    c = Counter::new(window.clone());
                }
                counters.insert(t.id, c);
            }
        }
        inner.calendar = calendar;
        inner.counters = counters;
    }

    /// Reads the count tags' samples of the current window (and the last one before it,
    /// as the base) from the database.
    pub fn seed(&self, conn: &Connection, now_ms: i64) -> rusqlite::Result<()> {
        let (ids, start) = {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            let ids: Vec<TagId> = inner.counters.keys().copied().collect();
            (ids, inner.calendar.window_at(now_ms).start_ms)
        };
        let since = start.min(now_ms - RATE_WINDOW_MS);
        for id in ids {
            // A little before the window too, for the counter's value at its start.
            let samples: Vec<Sample> =
                crate::store::raw::read(conn, id, since - 600_000, now_ms + 1)?
                    .into_iter()
                    .filter(|s| s.quality.is_good())
                    .collect();
            self.update(&samples);
        }
        Ok(())
    }

    pub fn update(&self, batch: &[Sample]) {
        // Most batches hold no part counter: find out under the cheaper read lock.
        {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            if !batch.iter().any(|s| inner.counters.contains_key(&s.tag_id)) {
                return;
            }
        }
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let Inner { calendar, counters } = &mut *inner;
        for s in batch {
            if let (Some(c), Some(v)) = (counters.get_mut(&s.tag_id), s.value()) {
                c.add(s.ts, v, calendar);
            }
        }
    }

    /// The window counts are summed over at `now_ms`.
    pub fn window(&self, now_ms: i64) -> ShiftWindow {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .calendar
            .window_at(now_ms)
    }

    /// Parts counted this window and the current rate per minute, for a count tag.
    pub fn count(&self, tag: TagId, now_ms: i64) -> Option<(f64, Option<f64>)> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let c = inner.counters.get(&tag)?;
        let count = if now_ms >= c.window.end_ms {
            0.0
        } else {
            c.count
        };
        Some((count, c.rate_per_min()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{PlantConfig, Site};

    fn calendar() -> ShiftCalendar {
        ShiftCalendar::new(&PlantConfig {
            site: Site {
                name: "P".into(),
                timezone: "UTC".into(),
            },
            shifts: vec![],
            machines: vec![],
            buses: vec![],
            devices: vec![],
        })
    }

    #[test]
    fn counts_increments_across_a_reset_and_rolls_at_midnight() {
        let cal = calendar();
        let day = 86_400_000;
        let mut c = Counter::new(cal.window_at(10 * day));
        c.add(10 * day + 1000, 500.0, &cal); // base
        c.add(10 * day + 2000, 510.0, &cal); // +10
        c.add(10 * day + 3000, 3.0, &cal); // reset: +3
        c.add(10 * day + 4000, 5.0, &cal); // +2
        assert_eq!(c.count, 15.0);
        c.add(11 * day + 1000, 9.0, &cal); // next day: +4 counted in the new window
        assert_eq!(c.count, 4.0);
    }

    #[test]
    fn a_small_step_back_counts_nothing() {
        assert_eq!(counter_increase(15_496_708.0, 15_495_914.0), 0.0);
        assert_eq!(counter_increase(100.0, 4.0), 4.0);
        assert_eq!(counter_increase(65_530.0, 12.0), 12.0); // a 16-bit roll-over
        assert_eq!(counter_increase(100.0, 107.0), 7.0);
    }

    #[test]
    fn rate_over_the_window() {
        let cal = calendar();
        let mut c = Counter::new(cal.window_at(0));
        for i in 0..=120 {
            c.add(i * 1000, (i * 2) as f64, &cal); // 2 parts a second
        }
        let r = c.rate_per_min().unwrap();
        assert!((r - 120.0).abs() < 1e-9, "{r}");
    }
}
