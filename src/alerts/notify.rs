//! Who is told of an alarm later (issue 13), planned by pure functions of the open
//! alarms, what was done, the configuration and the time (the core carries the plan
//! out: mails in the queue, rows in `alarm_escalations` and `mail_digests`):
//!
//! - escalation: an alarm active and not acknowledged `after_min` minutes after it was
//!   raised is sent to the first role of its escalation list, after twice that to the
//!   second, and so on (not while shelved or suppressed; each step once);
//! - the daily digest: at `digest_at` (the plant's local time) each digest role gets
//!   the alarms raised the day before.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::store::AlarmView;
use crate::config::{AlarmSettings, Plant, Priority};

/// An alarm's escalation: minutes between steps and the role of each step.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub after_min: u64,
    pub roles: Vec<String>,
}

/// The escalation of an alarm: its rule's own (the rule key is the alarm key before any
/// "/bitN"), else its priority's from the settings; none for system alarms without one.
pub fn policy(plant: &Plant, a: &AlarmView) -> Option<Policy> {
    let rule = a.key.split('/').next().unwrap_or(&a.key);
    if let Some(r) = plant.config.alarms.iter().find(|r| r.key == rule)
        && let Some(after_min) = r.escalate_after_min
        && !r.escalate_to.is_empty()
    {
        return Some(Policy {
            after_min,
            roles: r.escalate_to.clone(),
        });
    }
    by_priority(&plant.config.alarm_settings, &a.priority)
}

fn by_priority(s: &AlarmSettings, priority: &str) -> Option<Policy> {
    let p = Priority::parse(priority)?;
    s.escalation
        .iter()
        .find(|e| e.priority == p)
        .map(|e| Policy {
            after_min: e.after_min,
            roles: e.roles.clone(),
        })
}

/// One escalation step to carry out.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub alarm_id: i64,
    /// 1 for the first role of the list.
    pub step: u32,
    pub role: String,
    /// When it fell due.
    pub at: i64,
}

/// The escalation steps due at `now` and not yet done (`done`: the highest step done
/// per alarm).
pub fn escalations(
    open: &[AlarmView],
    done: &HashMap<i64, u32>,
    policy: impl Fn(&AlarmView) -> Option<Policy>,
    now: i64,
) -> Vec<Step> {
    let mut out = Vec::new();
    for a in open {
        if a.acked_at.is_some()
            || a.cleared_at.is_some()
            || a.suppressed
            || a.shelved_until.is_some_and(|u| u > now)
        {
            continue;
        }
        let Some(p) = policy(a) else { continue };
        let every = p.after_min as i64 * 60_000;
        if every <= 0 {
            continue;
        }
        let first = done.get(&a.id).copied().unwrap_or(0) + 1;
        for (i, role) in p.roles.iter().enumerate().skip(first as usize - 1) {
            let step = i as u32 + 1;
            let at = a.raised_at + every * step as i64;
            if at > now {
                break;
            }
            out.push(Step {
                alarm_id: a.id,
                step,
                role: role.clone(),
                at,
            });
        }
    }
    out
}

/// A daily digest to send: the alarms raised in `[from, to)`, the local day `day`.
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    pub role: String,
    pub day: String,
    pub from: i64,
    pub to: i64,
}

/// The digests due at `now`: once the local time passed `at` (hour, minute) today, the
/// day before, for each role without one for that day in `done` (role, day).
pub fn digests(
    now: i64,
    tz: &TimeZone,
    at: (i8, i8),
    roles: &[String],
    done: &HashSet<(String, String)>,
) -> Vec<Digest> {
    let Ok(ts) = jiff::Timestamp::from_millisecond(now) else {
        return Vec::new();
    };
    let local = ts.to_zoned_datetime(tz.clone());
    let today: Date = local.date();
    let send = today
        .at(at.0, at.1, 0, 0)
        .to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp().as_millisecond());
    if send.is_err() || now < send.unwrap_or(i64::MAX) {
        return Vec::new();
    }
    let Ok(yesterday) = today.yesterday() else {
        return Vec::new();
    };
    let start = |d: Date| {
        d.to_zoned_datetime(tz.clone())
            .map(|z| z.timestamp().as_millisecond())
    };
    let (Ok(from), Ok(to)) = (start(yesterday), start(today)) else {
        return Vec::new();
    };
    let day = yesterday.to_string();
    roles
        .iter()
        .filter(|r| !done.contains(&((*r).clone(), day.clone())))
        .map(|r| Digest {
            role: r.clone(),
            day: day.clone(),
            from,
            to,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::store::AlarmState;

    fn alarm(id: i64, raised_at: i64) -> AlarmView {
        AlarmView {
            id,
            key: format!("hot-{id}"),
            kind: "high".into(),
            name: "Hot".into(),
            priority: "high".into(),
            roles: vec!["operator".into()],
            action: String::new(),
            machine: None,
            value: Some(61.0),
            state: AlarmState::ActiveUnacked,
            raised_at,
            cleared_at: None,
            acked_at: None,
            acked_by: None,
            ack_comment: None,
            shelved_until: None,
            shelved_by: None,
            shelve_reason: None,
            suppressed: false,
        }
    }

    fn two_steps(_: &AlarmView) -> Option<Policy> {
        Some(Policy {
            after_min: 15,
            roles: vec!["supervisor".into(), "admin".into()],
        })
    }

    const MIN: i64 = 60_000;

    #[test]
    fn each_step_falls_due_at_its_exact_minute_once() {
        let a = alarm(1, 1_000_000);
        let mut done = HashMap::new();
        // 14:59.999 after the raise: nothing
        assert_eq!(
            escalations(
                std::slice::from_ref(&a),
                &done,
                two_steps,
                1_000_000 + 15 * MIN - 1
            ),
            []
        );
        // at 15:00 exactly: the supervisor
        let due = escalations(
            std::slice::from_ref(&a),
            &done,
            two_steps,
            1_000_000 + 15 * MIN,
        );
        assert_eq!(
            due,
            [Step {
                alarm_id: 1,
                step: 1,
                role: "supervisor".into(),
                at: 1_000_000 + 15 * MIN
            }]
        );
        done.insert(1, 1);
        // done: not again
        assert_eq!(
            escalations(
                std::slice::from_ref(&a),
                &done,
                two_steps,
                1_000_000 + 29 * MIN
            ),
            []
        );
        // 30:00: the admin; then the list is through
        let due = escalations(
            std::slice::from_ref(&a),
            &done,
            two_steps,
            1_000_000 + 30 * MIN,
        );
        assert_eq!(
            due.iter()
                .map(|s| (s.step, s.role.as_str()))
                .collect::<Vec<_>>(),
            [(2, "admin")]
        );
        done.insert(1, 2);
        assert_eq!(escalations(&[a], &done, two_steps, i64::MAX / 2), []);
    }

    #[test]
    fn overdue_steps_after_a_restart_all_fall_due_with_their_times() {
        let a = alarm(7, 0);
        let due = escalations(&[a], &HashMap::new(), two_steps, 45 * MIN);
        assert_eq!(
            due.iter().map(|s| (s.step, s.at)).collect::<Vec<_>>(),
            [(1, 15 * MIN), (2, 30 * MIN)]
        );
    }

    #[test]
    fn acknowledged_cleared_shelved_suppressed_or_without_a_list_do_not_escalate() {
        let now = 60 * MIN;
        let acked = AlarmView {
            acked_at: Some(MIN),
            ..alarm(1, 0)
        };
        let cleared = AlarmView {
            cleared_at: Some(MIN),
            ..alarm(2, 0)
        };
        let shelved = AlarmView {
            shelved_until: Some(now + 1),
            ..alarm(3, 0)
        };
        let suppressed = AlarmView {
            suppressed: true,
            ..alarm(4, 0)
        };
        let all = [acked, cleared, shelved.clone(), suppressed];
        assert_eq!(escalations(&all, &HashMap::new(), two_steps, now), []);
        assert_eq!(
            escalations(&[alarm(5, 0)], &HashMap::new(), |_| None, now),
            []
        );
        // the shelf ran out at `now`: it escalates
        let off = AlarmView {
            shelved_until: Some(now),
            ..shelved
        };
        assert_eq!(
            escalations(&[off], &HashMap::new(), two_steps, now).len(),
            2
        );
    }

    #[test]
    fn the_rule_overrides_the_priority_and_bits_find_their_rule() {
        let toml = r#"
[site]
name = "T"
timezone = "UTC"

[[machines]]
key = "m"
name = "M"

[[devices]]
key = "plc"
protocol = "modbus-tcp"
host = "127.0.0.1"
port = 502
machine = "m"
tags = [{ name = "oil", register = 40001 }, { name = "faults", register = 40002 }]

[[alarms]]
key = "hot"
name = "Hot"
kind = "high"
tag = "plc/oil"
limit = 50.0
priority = "high"
roles = ["operator"]
action = "Cool it"
escalate_after_min = 5
escalate_to = ["maintenance"]

[[alarms]]
key = "faults"
name = "Fault"
kind = "bit"
tag = "plc/faults"
bits = [{ bit = 0, text = "Overload" }]
priority = "high"
roles = ["operator"]
action = "Read the panel"

[alarm_settings]
escalation = [{ priority = "high", after_min = 20, roles = ["supervisor", "admin"] }]
digest_roles = ["supervisor"]
digest_at = "06:30"
"#;
        let plant = Plant::new(1, crate::config::parse(toml).unwrap(), HashMap::new());
        let hot = AlarmView {
            key: "hot".into(),
            ..alarm(1, 0)
        };
        let bit = AlarmView {
            key: "faults/bit0".into(),
            ..alarm(2, 0)
        };
        let low = AlarmView {
            key: "other".into(),
            priority: "low".into(),
            ..alarm(3, 0)
        };
        assert_eq!(
            policy(&plant, &hot),
            Some(Policy {
                after_min: 5,
                roles: vec!["maintenance".into()]
            })
        );
        assert_eq!(
            policy(&plant, &bit),
            Some(Policy {
                after_min: 20,
                roles: vec!["supervisor".into(), "admin".into()]
            })
        );
        assert_eq!(policy(&plant, &low), None);
    }

    #[test]
    fn the_digest_goes_once_a_day_after_its_local_time_for_the_day_before() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let roles = vec!["supervisor".to_string(), "admin".to_string()];
        // 2026-11-28 06:29:59.999 in Berlin (UTC+1) is 05:29:59.999Z
        let ms = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_millisecond();
        let mut done = HashSet::new();
        assert_eq!(
            digests(ms("2026-11-28T05:29:59.999Z"), &tz, (6, 30), &roles, &done),
            []
        );
        let due = digests(ms("2026-11-28T05:30:00Z"), &tz, (6, 30), &roles, &done);
        assert_eq!(due.len(), 2);
        assert_eq!(due[0].day, "2026-11-27");
        assert_eq!(due[0].from, ms("2026-11-26T23:00:00Z"));
        assert_eq!(due[0].to, ms("2026-11-27T23:00:00Z"));
        done.insert(("supervisor".to_string(), "2026-11-27".to_string()));
        let due = digests(ms("2026-11-28T20:00:00Z"), &tz, (6, 30), &roles, &done);
        assert_eq!(
            due.iter().map(|d| d.role.as_str()).collect::<Vec<_>>(),
            ["admin"]
        );
        // the day the clocks go back (2026-10-25 in Berlin) is 25 hours long
        let due = digests(
            ms("2026-10-26T06:00:00Z"),
            &tz,
            (6, 30),
            &roles,
            &HashSet::new(),
        );
        assert_eq!(due[0].to - due[0].from, 25 * 3_600_000);
    }
}
