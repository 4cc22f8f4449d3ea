//! The alarm figures EEMUA 191 asks a plant to watch, so it can tune its rules: alarms
//! per hour per role, floods (more than 10 alarms in 10 minutes for one role), the most
//! frequent alarms, standing alarms (active for a day or more), and chattering alarms
//! (more than 3 transitions within a minute). Pure functions over the journal's rows,
//! and the query that reads them.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, params};
use serde::Serialize;

/// More than this many alarms within [`FLOOD_WINDOW_MS`] for one role is a flood.
pub const FLOOD_COUNT: usize = 10;
pub const FLOOD_WINDOW_MS: i64 = 10 * 60_000;
/// More than this many transitions within [`CHATTER_WINDOW_MS`] is chattering.
pub const CHATTER_COUNT: usize = 3;
pub const CHATTER_WINDOW_MS: i64 = 60_000;
/// Active this long or longer is a standing alarm.
pub const STANDING_MS: i64 = 24 * 3_600_000;

/// One raise (or return) of an alarm, with who receives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Raise {
    pub at: i64,
    pub key: String,
    pub name: String,
    pub priority: String,
    pub roles: Vec<String>,
}

/// A stretch in which one role received more than [`FLOOD_COUNT`] alarms within
/// [`FLOOD_WINDOW_MS`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Flood {
    pub role: String,
    /// The first and the last alarm of the flood.
    pub start: i64,
    pub end: i64,
    /// Alarms from start to end.
    pub alarms: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RoleRate {
    pub role: String,
    pub alarms: u32,
    /// Alarms per hour over the report's range.
    pub per_hour: f64,
    /// The most alarms within any 10 minutes.
    pub peak_10min: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Frequent {
    pub key: String,
    pub name: String,
    pub priority: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Chattering {
    pub key: String,
    pub name: String,
    /// The most transitions (raised, cleared, returned) within any minute.
    pub max_per_minute: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Standing {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub priority: String,
    pub raised_at: i64,
    /// How long it has been active, at the report's end.
    pub active_ms: i64,
}

/// The EEMUA figures over [from, to).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AlarmReport {
    pub from: i64,
    pub to: i64,
    pub per_role: Vec<RoleRate>,
    pub floods: Vec<Flood>,
    /// The 10 most frequent alarms, most frequent first.
    pub top: Vec<Frequent>,
    pub standing: Vec<Standing>,
    pub chattering: Vec<Chattering>,
}

/// The most events within any window of `window_ms` (a window holds the events `t` with
/// `start <= t < start + window_ms`); `times` sorted.
fn peak(times: &[i64], window_ms: i64) -> usize {
    let mut best = 0;
    let mut lo = 0;
    for hi in 0..times.len() {
        while times[hi] - times[lo] >= window_ms {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best
}

/// The floods in sorted raise times of one role: each run of alarms in which every
/// alarm is part of some window of more than [`FLOOD_COUNT`], merged.
fn floods_of(role: &str, times: &[i64]) -> Vec<Flood> {
    let mut out: Vec<Flood> = Vec::new();
    let mut lo = 0;
    for hi in 0..times.len() {
        while times[hi] - times[lo] >= FLOOD_WINDOW_MS {
            lo += 1;
        }
        if hi - lo + 1 > FLOOD_COUNT {
            match out.last_mut() {
                Some(f) if times[lo] <= f.end => {
                    f.end = times[hi];
                }
                _ => out.push(Flood {
                    role: role.to_string(),
                    start: times[lo],
                    end: times[hi],
                    alarms: 0,
                }),
            }
        }
    }
    for f in &mut out {
        f.alarms = times
            .iter()
            .filter(|t| **t >= f.start && **t <= f.end)
            .count() as u32;
    }
    out
}

/// The figures from the raises and transitions of [from, to) and the alarms open at `to`.
pub fn figures(
    from: i64,
    to: i64,
    raises: &[Raise],
    transitions: &[(String, String, i64)],
    open: &[Standing],
) -> AlarmReport {
    let hours = ((to - from).max(1) as f64) / 3_600_000.0;
    let mut by_role: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    let mut by_key: HashMap<&str, (u32, &Raise)> = HashMap::new();
    for r in raises {
        for role in &r.roles {
            by_role.entry(role).or_default().push(r.at);
        }
        by_key.entry(&r.key).or_insert((0, r)).0 += 1;
    }
    let mut per_role = Vec::new();
    let mut floods = Vec::new();
    for (role, times) in &mut by_role {
        times.sort_unstable();
        per_role.push(RoleRate {
            role: role.to_string(),
            alarms: times.len() as u32,
            per_hour: (times.len() as f64 / hours * 100.0).round() / 100.0,
            peak_10min: peak(times, FLOOD_WINDOW_MS) as u32,
        });
        floods.extend(floods_of(role, times));
    }
    floods.sort_by_key(|f| (f.start, f.role.clone()));
    let mut top: Vec<Frequent> = by_key
        .into_values()
        .map(|(count, r)| Frequent {
            key: r.key.clone(),
            name: r.name.clone(),
            priority: r.priority.clone(),
            count,
        })
        .collect();
    top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    top.truncate(10);
    let mut by_alarm: BTreeMap<(&str, &str), Vec<i64>> = BTreeMap::new();
    for (key, name, at) in transitions {
        by_alarm.entry((key, name)).or_default().push(*at);
    }
    let mut chattering: Vec<Chattering> = by_alarm
        .into_iter()
        .filter_map(|((key, name), mut times)| {
            times.sort_unstable();
            let p = peak(&times, CHATTER_WINDOW_MS);
            (p > CHATTER_COUNT).then(|| Chattering {
                key: key.to_string(),
                name: name.to_string(),
                max_per_minute: p as u32,
            })
        })
        .collect();
    chattering.sort_by(|a, b| {
        b.max_per_minute
            .cmp(&a.max_per_minute)
            .then_with(|| a.key.cmp(&b.key))
    });
    let mut standing: Vec<Standing> = open
        .iter()
        .filter(|s| to - s.raised_at >= STANDING_MS)
        .map(|s| Standing {
            active_ms: to - s.raised_at,
            ..s.clone()
        })
        .collect();
    standing.sort_by_key(|s| (s.raised_at, s.id));
    AlarmReport {
        from,
        to,
        per_role,
        floods,
        top,
        standing,
        chattering,
    }
}

/// Reads what the figures need from the journal and computes them.
pub fn report(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<AlarmReport> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.at, a.key, a.name, a.priority, a.roles, e.what
         FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id
         WHERE e.at >= ?1 AND e.at < ?2 AND e.what IN ('raised', 'returned', 'cleared')
         ORDER BY e.at, e.id",
    )?;
    let mut raises = Vec::new();
    let mut transitions = Vec::new();
    let rows = stmt.query_map(params![from, to], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    for row in rows {
        let (at, key, name, priority, roles, what) = row?;
        transitions.push((key.clone(), name.clone(), at));
        if what != "cleared" {
            raises.push(Raise {
                at,
                key,
                name,
                priority,
                roles: roles
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            });
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, key, name, priority, raised_at FROM alarms
         WHERE closed_at IS NULL AND cleared_at IS NULL AND raised_at < ?1",
    )?;
    let open: Vec<Standing> = stmt
        .query_map([to], |r| {
            Ok(Standing {
                id: r.get(0)?,
                key: r.get(1)?,
                name: r.get(2)?,
                priority: r.get(3)?,
                raised_at: r.get(4)?,
                active_ms: 0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(figures(from, to, &raises, &transitions, &open))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raise(at: i64, key: &str, roles: &[&str]) -> Raise {
        Raise {
            at,
            key: key.to_string(),
            name: key.to_uppercase(),
            priority: "high".to_string(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn eleven_alarms_in_ten_minutes_for_one_role_is_a_flood_ten_is_not() {
        let min = 60_000;
        // Ten operator alarms within 9 minutes: no flood.
        let mut raises: Vec<Raise> = (0..10)
            .map(|i| raise(i * min, "a", &["operator"]))
            .collect();
        let r = figures(0, 3_600_000, &raises, &[], &[]);
        assert!(r.floods.is_empty());
        assert_eq!(r.per_role[0].peak_10min, 10);
        // An eleventh at 9:59.999 (still inside the ten minutes): a flood of 11.
        raises.push(raise(10 * min - 1, "b", &["operator", "supervisor"]));
        let r = figures(0, 3_600_000, &raises, &[], &[]);
        assert_eq!(
            r.floods,
            [Flood {
                role: "operator".into(),
                start: 0,
                end: 10 * min - 1,
                alarms: 11
            }]
        );
        // At exactly 10:00 the first has left the window: no flood.
        raises.pop();
        raises.push(raise(10 * min, "b", &["operator"]));
        assert!(figures(0, 3_600_000, &raises, &[], &[]).floods.is_empty());
        // Rates per hour per role over the hour.
        let r = figures(0, 3_600_000, &raises, &[], &[]);
        assert_eq!(r.per_role[0].role, "operator");
        assert_eq!(r.per_role[0].alarms, 11);
        assert_eq!(r.per_role[0].per_hour, 11.0);
    }

    #[test]
    fn top_alarms_chattering_and_standing() {
        let raises = vec![
            raise(1, "a", &["operator"]),
            raise(2, "b", &["operator"]),
            raise(3, "b", &["operator"]),
        ];
        // Four transitions of "b" within a minute chatter; three of "a" do not.
        let t = |k: &str, at: i64| (k.to_string(), k.to_uppercase(), at);
        let transitions = vec![
            t("a", 0),
            t("a", 10_000),
            t("a", 20_000),
            t("b", 0),
            t("b", 20_000),
            t("b", 40_000),
            t("b", 59_999),
            t("a", 100_000),
        ];
        let open = vec![
            Standing {
                id: 1,
                key: "old".into(),
                name: "OLD".into(),
                priority: "low".into(),
                raised_at: 0,
                active_ms: 0,
            },
            Standing {
                id: 2,
                key: "new".into(),
                name: "NEW".into(),
                priority: "low".into(),
                raised_at: 1,
                active_ms: 0,
            },
        ];
        let r = figures(0, STANDING_MS, &raises, &transitions, &open);
        assert_eq!(
            r.top
                .iter()
                .map(|f| (f.key.as_str(), f.count))
                .collect::<Vec<_>>(),
            [("b", 2), ("a", 1)]
        );
        assert_eq!(
            r.chattering,
            [Chattering {
                key: "b".into(),
                name: "B".into(),
                max_per_minute: 4
            }]
        );
        // Active a whole day at the report's end: standing; a millisecond less: not.
        assert_eq!(r.standing.len(), 1);
        assert_eq!(r.standing[0].key, "old");
        assert_eq!(r.standing[0].active_ms, STANDING_MS);
    }
}
