//! The rotation plan of one target, as a pure function (STYLE.md "plan, then act"):
//! from the backups found on the target and its retention (keep N hourly, daily,
//! weekly, monthly), which to keep and why, and which to remove and why. Acting on the
//! plan (removing folders) is the job's.
//!
//! Rules: the newest restorable backup is always kept; a kept incremental backup keeps
//! every backup it builds on (down to its full backup); a backup without a manifest
//! (interrupted, failed) or whose chain is broken cannot be restored and goes.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

/// How many backups a target keeps, per period: the newest of each of the last N
/// hours, days, weeks (ISO weeks) and months that have one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "BackupKeep"))]
pub struct Keep {
    pub hourly: u32,
    pub daily: u32,
    pub weekly: u32,
    pub monthly: u32,
}

impl Default for Keep {
    fn default() -> Keep {
        Keep {
            hourly: 24,
            daily: 7,
            weekly: 4,
            monthly: 12,
        }
    }
}

/// A backup folder found on a target, as the plan sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub name: String,
    pub created_ms: i64,
    /// The backup it builds on (incremental backups only).
    pub parent: Option<String>,
    /// Its manifest was written (the backup finished and passed verification).
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Kept, with why (one or more of: newest, hourly, daily, weekly, monthly, base of X).
    pub keep: Vec<(String, String)>,
    /// To remove, newest first (an incremental before what it builds on), with why.
    pub remove: Vec<(String, String)>,
}

/// The period a backup's local time falls in (hour, day, ISO week, month).
type Bucket = fn(&jiff::ZonedDateTime) -> String;

/// Which backups to keep and which to remove, at `now` in the plant's zone `tz`.
/// `busy` names a backup being written now: it is neither kept nor removed.
pub fn plan(found: &[Found], keep: &Keep, tz: &TimeZone, busy: Option<&str>) -> Plan {
    let by_name: BTreeMap<&str, &Found> = found.iter().map(|f| (f.name.as_str(), f)).collect();
    // Restorable: complete, and so is everything it builds on.
    let restorable = |f: &Found| {
        let mut cur = f;
        let mut steps = 0;
        loop {
            if !cur.complete || steps > found.len() {
                return false;
            }
            match &cur.parent {
                None => return true,
                Some(p) => match by_name.get(p.as_str()) {
                    Some(parent) => cur = parent,
                    None => return false,
                },
            }
            steps += 1;
        }
    };
    let mut good: Vec<&Found> = found
        .iter()
        .filter(|f| Some(f.name.as_str()) != busy && restorable(f))
        .collect();
    good.sort_by(|a, b| b.created_ms.cmp(&a.created_ms).then(b.name.cmp(&a.name)));

    let mut why: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(newest) = good.first() {
        why.entry(newest.name.clone())
            .or_default()
            .push("newest".into());
    }
    let periods: [(&str, u32, Bucket); 4] = [
        ("hourly", keep.hourly, |z| {
            z.strftime("%Y-%m-%d %H").to_string()
        }),
        ("daily", keep.daily, |z| z.strftime("%Y-%m-%d").to_string()),
        ("weekly", keep.weekly, |z| {
            let w = z.date().iso_week_date();
            format!("{}-W{:02}", w.year(), w.week())
        }),
        ("monthly", keep.monthly, |z| z.strftime("%Y-%m").to_string()),
    ];
    for (label, n, bucket) in periods {
        let mut seen = BTreeSet::new();
        for f in &good {
            if seen.len() >= n as usize {
                break;
            }
            let Ok(ts) = Timestamp::from_millisecond(f.created_ms) else {
                continue;
            };
            if seen.insert(bucket(&ts.to_zoned_datetime(tz.clone()))) {
                why.entry(f.name.clone()).or_default().push(label.into());
            }
        }
    }
    // What kept incrementals build on.
    let kept: Vec<String> = why.keys().cloned().collect();
    for name in kept {
        let mut cur = by_name.get(name.as_str()).and_then(|f| f.parent.clone());
        while let Some(p) = cur {
            why.entry(p.clone())
                .or_default()
                .push(format!("base of {name}"));
            cur = by_name.get(p.as_str()).and_then(|f| f.parent.clone());
        }
    }
    let mut all: Vec<&Found> = found.iter().collect();
    all.sort_by(|a, b| b.created_ms.cmp(&a.created_ms).then(b.name.cmp(&a.name)));
    let mut plan = Plan {
        keep: Vec::new(),
        remove: Vec::new(),
    };
    for f in all {
        if Some(f.name.as_str()) == busy {
            continue;
        }
        if let Some(reasons) = why.get(&f.name) {
            let mut r = reasons.clone();
            r.dedup();
            plan.keep.push((f.name.clone(), r.join(", ")));
        } else if !f.complete {
            plan.remove.push((
                f.name.clone(),
                "incomplete: it has no manifest (interrupted or failed)".into(),
            ));
        } else if !restorable(f) {
            plan.remove.push((
                f.name.clone(),
                "cannot be restored: a backup it builds on is missing or incomplete".into(),
            ));
        } else {
            plan.remove
                .push((f.name.clone(), "beyond the retention".into()));
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;
    const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z, a Thursday

    fn full(name: &str, at: i64) -> Found {
        Found {
            name: name.into(),
            created_ms: at,
            parent: None,
            complete: true,
        }
    }

    fn incr(name: &str, at: i64, parent: &str) -> Found {
        Found {
            parent: Some(parent.into()),
            ..full(name, at)
        }
    }

    fn names(v: &[(String, String)]) -> Vec<&str> {
        v.iter().map(|(n, _)| n.as_str()).collect()
    }

    #[test]
    fn keeps_the_newest_per_period() {
        // A full backup every hour for three days.
        let found: Vec<Found> = (0..72)
            .map(|i| full(&format!("b{i:02}"), T0 + i * H))
            .collect();
        let keep = Keep {
            hourly: 3,
            daily: 2,
            weekly: 0,
            monthly: 0,
        };
        let p = plan(&found, &keep, &TimeZone::UTC, None);
        // The last three hours, and the newest of the last two days (b71 is day 3's).
        assert_eq!(names(&p.keep), ["b71", "b70", "b69", "b47"]);
        assert_eq!(p.remove.len(), 68);
        assert!(p.remove.iter().all(|(_, r)| r == "beyond the retention"));
        let why: BTreeMap<_, _> = p.keep.iter().cloned().collect();
        assert_eq!(why["b71"], "newest, hourly, daily");
        assert_eq!(why["b47"], "daily");
    }

    #[test]
    fn incrementals_keep_their_chain_and_broken_ones_go() {
        let found = vec![
            full("f1", T0),
            incr("i1", T0 + H, "f1"),
            incr("i2", T0 + 2 * H, "i1"),
            full("f2", T0 + 3 * H),
            incr("i3", T0 + 4 * H, "f2"),
            // An interrupted one, and one whose parent is gone.
            Found {
                complete: false,
                ..incr("i4", T0 + 5 * H, "i3")
            },
            incr("x1", T0 + 6 * H, "gone"),
        ];
        let keep = Keep {
            hourly: 1,
            daily: 0,
            weekly: 0,
            monthly: 0,
        };
        let p = plan(&found, &keep, &TimeZone::UTC, None);
        assert_eq!(names(&p.keep), ["i3", "f2"]);
        let why: BTreeMap<_, _> = p.keep.iter().cloned().collect();
        assert_eq!(why["f2"], "base of i3");
        assert_eq!(names(&p.remove), ["x1", "i4", "i2", "i1", "f1"]);
        assert!(p.remove[0].1.contains("cannot be restored"));
        assert!(p.remove[1].1.contains("incomplete"));
        // Keeping the older day too keeps i2's whole chain.
        let keep = Keep { hourly: 3, ..keep };
        let p = plan(&found, &keep, &TimeZone::UTC, None);
        assert_eq!(names(&p.keep), ["i3", "f2", "i2", "i1", "f1"]);
    }

    #[test]
    fn the_backup_being_written_is_left_alone_and_the_newest_is_always_kept() {
        let found = vec![
            full("f1", T0),
            Found {
                complete: false,
                ..full("f2", T0 + H)
            },
        ];
        let none = Keep {
            hourly: 0,
            daily: 0,
            weekly: 0,
            monthly: 0,
        };
        let p = plan(&found, &none, &TimeZone::UTC, Some("f2"));
        assert_eq!(names(&p.keep), ["f1"]);
        assert!(p.remove.is_empty());
        let p = plan(&found, &none, &TimeZone::UTC, None);
        assert_eq!(names(&p.remove), ["f2"]);
    }

    #[test]
    fn weeks_and_months_in_the_plant_zone() {
        // Sunday 2026-01-04 23:30 in Berlin is already Monday of the next week locally.
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let sunday_late_utc = T0 + 3 * 24 * H + 23 * H + H / 2;
        let found = vec![
            full("a", sunday_late_utc - 2 * H),
            full("b", sunday_late_utc),
        ];
        let keep = Keep {
            hourly: 0,
            daily: 0,
            weekly: 2,
            monthly: 1,
        };
        let p = plan(&found, &keep, &tz, None);
        // Two local weeks: both kept; one month: the newest.
        let why: BTreeMap<_, _> = p.keep.iter().cloned().collect();
        assert_eq!(why["b"], "newest, weekly, monthly");
        assert_eq!(why["a"], "weekly");
        let p = plan(&found, &keep, &TimeZone::UTC, None);
        assert_eq!(names(&p.keep), ["b"]);
    }
}
