//! Checks the alarm rules of a configuration: each kind's fields present and the ones it
//! does not use absent, references to tags, devices and machines that exist, roles that
//! exist, limits and delays in range. Every problem is collected with its place.

use std::collections::HashSet;

use super::Problem;
use super::model::{AlarmKind, AlarmRule, AlarmSettings, Device, Machine, Tag, TagRole};
use crate::auth::roles::Role;

/// The largest bit number of a fault word (a 64-bit integer).
pub const MAX_BIT: u8 = 63;

/// What the alarm rules may refer to.
pub(crate) struct Refs<'a> {
    pub machines: &'a [Machine],
    pub devices: &'a [Device],
    pub unreadable_machines: &'a [String],
}

impl Refs<'_> {
    /// The device and tag of a "device/tag" reference.
    pub fn tag(&self, reference: &str) -> Option<(&Device, &Tag)> {
        let (d, t) = reference.split_once('/')?;
        let device = self.devices.iter().find(|x| x.key == d)?;
        Some((device, device.tags.iter().find(|x| x.name == t)?))
    }

    fn machine_has(&self, machine: &str, roles: &[TagRole]) -> bool {
        self.devices.iter().any(|d| {
            d.tags.iter().any(|t| {
                t.machine_key(d) == Some(machine) && t.role.is_some_and(|r| roles.contains(&r))
            })
        })
    }
}

pub(crate) fn check(
    rules: &[AlarmRule],
    settings: &AlarmSettings,
    refs: &Refs<'_>,
    problems: &mut Vec<Problem>,
) {
    let mut keys = HashSet::new();
    for (i, rule) in rules.iter().enumerate() {
        let place = if rule.key.is_empty() {
            format!("alarm #{}", i + 1)
        } else {
            format!("alarm \"{}\"", rule.key)
        };
        check_one(rule, &place, refs, problems);
        if !rule.key.is_empty() && !keys.insert(rule.key.as_str()) {
            problems.push(crate::problem!(&place, "alarm_same_key"));
        }
    }
    for r in &settings.shelve_roles {
        if Role::parse(r).is_none() {
            problems.push(crate::problem!(
                "alarm settings, field \"shelve_roles\"",
                "no_role",
                r = r.as_str(),
                roles = role_names()
            ));
        }
    }
    let unknown_roles = |roles: &[String], place: &str, problems: &mut Vec<Problem>| {
        for r in roles {
            if Role::parse(r).is_none() {
                problems.push(crate::problem!(
                    place,
                    "no_role",
                    r = r.to_string(),
                    roles = role_names().to_string()
                ));
            }
        }
    };
    let mut priorities = HashSet::new();
    for (i, e) in settings.escalation.iter().enumerate() {
        let place = format!("alarm settings, escalation #{}", i + 1);
        unknown_roles(&e.roles, &place, problems);
        if e.roles.is_empty() {
            problems.push(crate::problem!(&place, "escalate_roles"));
        }
        if !(1..=10_080).contains(&e.after_min) {
            problems.push(crate::problem!(&place, "after_min_range"));
        }
        if !priorities.insert(e.priority) {
            problems.push(crate::problem!(
                &place,
                "escalation_twice",
                priority = e.priority.name().to_string()
            ));
        }
    }
    unknown_roles(
        &settings.digest_roles,
        "alarm settings, field \"digest_roles\"",
        problems,
    );
    if parse_hhmm(&settings.digest_at).is_none() {
        problems.push(crate::problem!(
            "alarm settings, field \"digest_at\"",
            "digest_not_time",
            value = settings.digest_at.as_str()
        ));
    }
    if settings.shelve_max_min == 0 {
        problems.push(crate::problem!(
            "alarm settings, field \"shelve_max_min\"",
            "shelve_max_zero"
        ));
    }
}

/// "HH:MM" as (hour, minute).
pub fn parse_hhmm(s: &str) -> Option<(i8, i8)> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some((h, m))
}

fn role_names() -> String {
    Role::ALL.map(Role::name).join(", ")
}

fn check_one(rule: &AlarmRule, place: &str, refs: &Refs<'_>, problems: &mut Vec<Problem>) {
    let field = |f: &str| format!("{place}, field \"{f}\"");
    super::validate::check_key_pub(&rule.key, &field("key"), problems);
    if rule.name.trim().is_empty() {
        problems.push(crate::problem!(field("name"), "alarm_no_name"));
    }
    if rule.roles.is_empty() {
        problems.push(crate::problem!(
            field("roles"),
            "no_roles",
            roles = role_names().to_string()
        ));
    }
    for r in &rule.roles {
        if Role::parse(r).is_none() {
            problems.push(crate::problem!(
                field("roles"),
                "no_role",
                r = r.to_string(),
                roles = role_names().to_string()
            ));
        }
    }
    for r in &rule.escalate_to {
        if Role::parse(r).is_none() {
            problems.push(crate::problem!(
                field("escalate_to"),
                "no_role",
                r = r.to_string(),
                roles = role_names().to_string()
            ));
        }
    }
    match (rule.escalate_after_min, rule.escalate_to.is_empty()) {
        (Some(m), false) if !(1..=10_080).contains(&m) => problems.push(crate::problem!(
            field("escalate_after_min"),
            "escalate_after_range"
        )),
        (Some(_), true) => {
            problems.push(crate::problem!(field("escalate_to"), "escalate_to_needed"))
        }
        (None, false) => problems.push(crate::problem!(
            field("escalate_after_min"),
            "escalate_after_needed"
        )),
        _ => {}
    }
    if rule.action.trim().is_empty() {
        problems.push(crate::problem!(field("action"), "action_needed"));
    }
    for (f, v) in [
        ("on_delay_s", rule.on_delay_s),
        ("off_delay_s", rule.off_delay_s),
    ] {
        if !v.is_finite() || !(0.0..=86_400.0).contains(&v) {
            problems.push(crate::problem!(field(f), "bad_delay", v = v.to_string()));
        }
    }
    let kind = rule.kind;
    let uses: &[&str] = match kind {
        AlarmKind::High | AlarmKind::Low => &["tag", "limit", "deadband"],
        AlarmKind::Rate => &["tag", "limit"],
        AlarmKind::Bit => &["tag", "bits"],
        AlarmKind::Offline => &["device", "after_s"],
        AlarmKind::Stale => &["tag", "after_s"],
        AlarmKind::StopWithoutReason | AlarmKind::CounterStalled => &["machine", "after_min"],
        AlarmKind::State => &["tag", "values"],
        AlarmKind::Demand => &["tag", "limit", "interval_min"],
    };
    let given = [
        ("tag", rule.tag.is_some()),
        ("device", rule.device.is_some()),
        ("limit", rule.limit.is_some()),
        ("deadband", rule.deadband.is_some()),
        ("after_s", rule.after_s.is_some()),
        ("after_min", rule.after_min.is_some()),
        ("bits", !rule.bits.is_empty()),
        ("values", !rule.values.is_empty()),
        ("interval_min", rule.interval_min.is_some()),
    ];
    for (f, set) in given {
        if set && !uses.contains(&f) {
            problems.push(crate::problem!(
                field(f),
                "alarm_unused_field",
                article = article(kind.name()),
                kind = kind.name(),
                f = f,
                uses = uses.join(", ")
            ));
        }
    }
    for f in uses {
        let set =
            given.iter().any(|(g, s)| g == f && *s) || (*f == "machine" && rule.machine.is_some());
        if !set && *f != "deadband" {
            problems.push(crate::problem!(
                field(f),
                "alarm_needs_field",
                article = article(kind.name()),
                kind = kind.name(),
                f = *f
            ));
        }
    }
    if let Some(t) = &rule.tag {
        match refs.tag(t) {
            None => problems.push(crate::problem!(field("tag"), "no_tag", t = t.to_string())),
            Some((_, tag)) if tag.is_text() => problems.push(crate::problem!(
                field("tag"),
                "text_tag_alarm",
                t = t.to_string()
            )),
            Some(_) => {}
        }
    }
    if let Some(d) = &rule.device
        && !refs.devices.iter().any(|x| &x.key == d)
    {
        problems.push(crate::problem!(
            field("device"),
            "no_device",
            d = d.to_string()
        ));
    }
    if let Some(m) = &rule.machine {
        if refs.unreadable_machines.contains(m) {
            // Its own problem is reported already.
        } else if !refs.machines.iter().any(|x| &x.key == m) {
            problems.push(crate::problem!(
                field("machine"),
                "no_machine_alarm",
                m = m.to_string()
            ));
        } else if matches!(
            kind,
            AlarmKind::StopWithoutReason | AlarmKind::CounterStalled
        ) && !refs.machine_has(m, &[TagRole::State, TagRole::Run])
        {
            problems.push(crate::problem!(
                field("machine"),
                "machine_no_state",
                m = m.to_string()
            ));
        } else if kind == AlarmKind::CounterStalled && !refs.machine_has(m, &[TagRole::Count]) {
            problems.push(crate::problem!(
                field("machine"),
                "machine_no_counter",
                m = m.to_string()
            ));
        }
    }
    if let Some(l) = rule.limit
        && (!l.is_finite() || (matches!(kind, AlarmKind::Rate | AlarmKind::Demand) && l <= 0.0))
    {
        let what = match kind {
            AlarmKind::Rate => "rate",
            AlarmKind::Demand => "demand",
            _ => "number",
        };
        problems.push(crate::problem!(
            field("limit"),
            "bad_limit",
            l = l.to_string(),
            what = what
        ));
    }
    if let Some(d) = rule.deadband
        && (!d.is_finite() || d < 0.0)
    {
        problems.push(crate::problem!(
            field("deadband"),
            "bad_deadband",
            d = d.to_string()
        ));
    }
    if rule.after_s == Some(0) || rule.after_min == Some(0) {
        let f = if rule.after_s == Some(0) {
            "after_s"
        } else {
            "after_min"
        };
        problems.push(crate::problem!(field(f), "time_at_least_one"));
    }
    if let Some(m) = rule.interval_min
        && !(1..=60).contains(&m)
    {
        problems.push(crate::problem!(
            field("interval_min"),
            "bad_interval",
            m = m.to_string()
        ));
    }
    let mut values = HashSet::new();
    for v in &rule.values {
        let at = format!("{place}, value {}", v.value);
        if !values.insert(v.value) {
            problems.push(crate::problem!(&at, "value_twice"));
        }
        if v.text.trim().is_empty() {
            problems.push(crate::problem!(&at, "value_no_text"));
        }
    }
    let mut bits = HashSet::new();
    for b in &rule.bits {
        let at = format!("{place}, bit {}", b.bit);
        if b.bit > MAX_BIT {
            problems.push(crate::problem!(
                &at,
                "bit_past_last",
                bit = b.bit.to_string(),
                max_bit = MAX_BIT.to_string()
            ));
        }
        if !bits.insert(b.bit) {
            problems.push(crate::problem!(&at, "bit_twice"));
        }
        if b.text.trim().is_empty() {
            problems.push(crate::problem!(&at, "bit_no_text"));
        }
    }
}

/// "a" or "an" before a rule kind's name ("an \"offline\" alarm").
fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{ConfigError, parse};

    const PLANT: &str = r#"
[site]
name = "P"
timezone = "UTC"

[[machines]]
key = "press-1"
name = "Press 1"

[[devices]]
key = "plc"
protocol = "modbus-tcp"
host = "127.0.0.1"
machine = "press-1"
tags = [
  { name = "oil", register = 40001, unit = "°C" },
  { name = "faults", register = 40002 },
  { name = "state", register = 40003, role = "state" },
]
"#;

    #[test]
    fn good_rules_of_every_kind_parse() {
        let text = format!(
            r#"{PLANT}
[[alarms]]
key = "oil-hot"
name = "Oil hot"
kind = "high"
tag = "plc/oil"
limit = 80.0
deadband = 2.0
on_delay_s = 5
priority = "high"
roles = ["operator", "maintenance"]
action = "Check the cooler"

[[alarms]]
key = "faults"
name = "Press faults"
kind = "bit"
tag = "plc/faults"
bits = [{{ bit = 0, text = "Motor overload" }}, {{ bit = 3, text = "Guard open" }}]
roles = ["maintenance"]
action = "See the fault text"

[[alarms]]
key = "no-reason"
name = "Stopped without reason"
kind = "stop_without_reason"
machine = "press-1"
after_min = 20
roles = ["supervisor"]
action = "Give the stop a reason"

[alarm_settings]
comment_required = ["critical"]
shelve_roles = ["admin"]
shelve_max_min = 60
"#
        );
        let c = parse(&text).unwrap();
        assert_eq!(c.alarms.len(), 3);
        assert_eq!(c.alarms[0].on_delay_s, 5.0);
        assert_eq!(c.alarms[1].bits[1].text, "Guard open");
        assert_eq!(c.alarm_settings.shelve_max_min, 60);
        // Written back and read again, it is the same.
        let again = parse(&crate::config::export(&c)).unwrap();
        assert_eq!(again, c);
    }

    #[test]
    fn every_mistake_is_listed_with_its_place() {
        let text = format!(
            r#"{PLANT}
[[alarms]]
key = "oil-hot"
name = "Oil hot"
kind = "high"
tag = "plc/oli"
deadband = -1
after_s = 5
roles = ["boss"]
action = "Check the cooler"

[[alarms]]
key = "oil-hot"
name = ""
kind = "bit"
tag = "plc/faults"
bits = [{{ bit = 64, text = "x" }}, {{ bit = 2, text = "" }}]
roles = ["operator"]
action = "x"

[[alarms]]
key = "stall"
name = "Stalled"
kind = "counter_stalled"
machine = "press-1"
after_min = 5
roles = ["operator"]
action = "x"
prority = "high"
"#
        );
        let Err(ConfigError::Invalid(p)) = parse(&text) else {
            panic!("accepted")
        };
        let got: Vec<String> = p.iter().map(|p| p.to_string()).collect();
        let want = [
            "alarm \"stall\", field \"prority\": unknown key \"prority\"; did you mean \"priority\"?",
            "alarm \"oil-hot\", field \"roles\": there is no role \"boss\"; roles are: operator, supervisor, maintenance, quality, stores, management, admin",
            "alarm \"oil-hot\", field \"after_s\": a \"high\" alarm does not use after_s; remove it (it uses tag, limit, deadband)",
            "alarm \"oil-hot\", field \"limit\": a \"high\" alarm needs limit; add it",
            "alarm \"oil-hot\", field \"tag\": there is no tag \"plc/oli\"; write it as \"device/tag\" with a configured device key and tag name",
            "alarm \"oil-hot\", field \"deadband\": -1 is not a deadband of 0 or more",
            "alarm \"oil-hot\", field \"name\": the alarm has no name; give it one people recognise, such as \"Oil temperature high\"",
            "alarm \"oil-hot\", bit 64: bit 64 is past the last bit (63)",
            "alarm \"oil-hot\", bit 2: the bit has no text; say what it means, such as \"Motor overload\"",
            "alarm \"oil-hot\": another alarm has the same key; alarm keys must differ",
        ];
        for w in want {
            assert!(got.iter().any(|g| g == w), "missing {w}\nin {got:#?}");
        }
        // The counter rule is refused too: the machine has no counter (only the typo
        // and that are reported for it).
        assert!(got.iter().any(|g| g
            == "alarm \"stall\", field \"machine\": machine \"press-1\" has no part counter: give one of its tags role = \"count\""));
        assert_eq!(got.len(), want.len() + 1, "{got:#?}");
    }

    #[test]
    fn escalation_and_digest_mistakes_are_listed() {
        let text = format!(
            r#"{PLANT}
[[alarms]]
key = "oil-hot"
name = "Oil hot"
kind = "high"
tag = "plc/oil"
limit = 50.0
roles = ["operator"]
action = "Check the cooler"
escalate_to = ["chief"]

[[alarms]]
key = "oil-cold"
name = "Oil cold"
kind = "low"
tag = "plc/oil"
limit = 5.0
roles = ["operator"]
action = "Warm it"
escalate_after_min = 0
escalate_to = ["supervisor"]

[alarm_settings]
escalation = [
  {{ priority = "high", after_min = 10, roles = [] }},
  {{ priority = "high", after_min = 10081, roles = ["admin"] }},
]
digest_roles = ["nobody"]
digest_at = "7:00"
"#
        );
        let Err(ConfigError::Invalid(p)) = parse(&text) else {
            panic!("accepted")
        };
        let mut got: Vec<String> = p.iter().map(|p| p.to_string()).collect();
        got.sort();
        assert_eq!(
            got,
            [
                "alarm \"oil-cold\", field \"escalate_after_min\": must be 1 to 10080 minutes (a week)",
                "alarm \"oil-hot\", field \"escalate_after_min\": escalate_to needs escalate_after_min: the minutes between steps",
                "alarm \"oil-hot\", field \"escalate_to\": there is no role \"chief\"; roles are: operator, supervisor, maintenance, quality, stores, management, admin",
                "alarm settings, escalation #1: name the roles to escalate to, in order",
                "alarm settings, escalation #2: after_min must be 1 to 10080 minutes (a week)",
                "alarm settings, escalation #2: another escalation is for high alarms; give each priority one",
                "alarm settings, field \"digest_at\": \"7:00\" is not a time; write it as HH:MM, e.g. \"07:00\"",
                "alarm settings, field \"digest_roles\": there is no role \"nobody\"; roles are: operator, supervisor, maintenance, quality, stores, management, admin",
            ]
        );
    }

    #[test]
    fn the_worked_examples_of_docs_alarms_md_parse() {
        let doc = include_str!("../../docs/ALARMS.md");
        let blocks: Vec<&str> = doc
            .split("```toml\n")
            .skip(1)
            .filter_map(|b| b.split("```").next())
            .collect();
        assert_eq!(
            blocks.len(),
            5,
            "three examples, the settings, escalation and the digest"
        );
        let plant = r#"
[site]
name = "P"
timezone = "UTC"

[[machines]]
key = "press-1"
name = "Press 1"

[[devices]]
key = "press-1-plc"
protocol = "modbus-tcp"
host = "127.0.0.1"
machine = "press-1"
tags = [
  { name = "oil_temp", register = 40001, unit = "°C" },
  { name = "fault_word", register = 40120, type = "u16" },
  { name = "state", register = 40003, role = "state" },
]
"#;
        // escalation and the digest, on their own (their settings block is another)
        let c = parse(&format!("{plant}\n{}", blocks[4])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.alarms[0].escalate_to, ["supervisor", "admin"]);
        assert_eq!(c.alarm_settings.escalation.len(), 2);
        assert_eq!(c.alarm_settings.digest_at, "07:00");
        let text = format!("{plant}\n{}", blocks[..4].join("\n"));
        let c = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            c.alarms.iter().map(|a| a.key.as_str()).collect::<Vec<_>>(),
            [
                "press-1-oil-hot",
                "press-1-faults",
                "press-1-unexplained-stop"
            ]
        );
        assert_eq!(c.alarms[1].bits.len(), 4);
    }
}
