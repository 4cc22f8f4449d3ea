//! Checks a parsed plant configuration as a whole: names, ranges, references between
//! sections, duplicates. Every problem is collected with its place; nothing stops at
//! the first.

use std::collections::{HashMap, HashSet};

use super::Problem;
use super::model::{DataType, Device, Machine, PlantConfig, Shift, Site, TagRole};

/// Largest and smallest poll interval and timeout accepted, in milliseconds.
pub const POLL_MS_RANGE: (u64, u64) = (100, 86_400_000);
pub const TIMEOUT_MS_RANGE: (u64, u64) = (50, 60_000);

/// The parts of a configuration that could be read. Items that could not be read are
/// left out (their problems are reported already); machines among them are named in
/// `unreadable_machines` so that references to them are not reported again.
pub(crate) struct Parts<'a> {
    pub site: Option<&'a Site>,
    pub shifts: &'a [Shift],
    pub machines: &'a [Machine],
    pub devices: &'a [Device],
    pub unreadable_machines: &'a [String],
}

impl<'a> From<&'a PlantConfig> for Parts<'a> {
    fn from(c: &'a PlantConfig) -> Self {
        Parts {
            site: Some(&c.site),
            shifts: &c.shifts,
            machines: &c.machines,
            devices: &c.devices,
            unreadable_machines: &[],
        }
    }
}

pub(crate) fn validate(config: &Parts<'_>, problems: &mut Vec<Problem>) {
    if let Some(site) = config.site {
        if site.name.trim().is_empty() {
            problems.push(Problem::new(
                "site, field \"name\"",
                "the site name is empty; give the plant's name",
            ));
        }
        if jiff::tz::TimeZone::get(&site.timezone).is_err() {
            problems.push(Problem::new(
                "site, field \"timezone\"",
                format!(
                    "\"{}\" is not a known time zone; use an IANA name such as \"Europe/Berlin\" or \"America/Chicago\"",
                    site.timezone
                ),
            ));
        }
    }

    let mut shift_names = HashSet::new();
    for (i, shift) in config.shifts.iter().enumerate() {
        let place = named("shift", i, &shift.name);
        if shift.name.trim().is_empty() {
            problems.push(Problem::new(
                &place,
                "the shift has no name; give it one such as \"Early\"",
            ));
        } else if !shift_names.insert(shift.name.as_str()) {
            problems.push(Problem::new(
                &place,
                "another shift has the same name; shift names must differ",
            ));
        }
        let start = parse_hhmm(&shift.start);
        let end = parse_hhmm(&shift.end);
        if start.is_none() {
            problems.push(Problem::new(
                format!("{place}, field \"start\""),
                format!(
                    "\"{}\" is not a time; write it as \"HH:MM\", e.g. \"06:00\"",
                    shift.start
                ),
            ));
        }
        if end.is_none() {
            problems.push(Problem::new(
                format!("{place}, field \"end\""),
                format!(
                    "\"{}\" is not a time; write it as \"HH:MM\", e.g. \"14:00\"",
                    shift.end
                ),
            ));
        }
        if start.is_some() && start == end {
            problems.push(Problem::new(
                &place,
                "the shift starts when it ends; a shift needs a length",
            ));
        }
    }

    let mut machine_keys = HashSet::new();
    for (i, machine) in config.machines.iter().enumerate() {
        let place = named("machine", i, &machine.key);
        check_key(&machine.key, &format!("{place}, field \"key\""), problems);
        if !machine.key.is_empty() && !machine_keys.insert(machine.key.as_str()) {
            problems.push(Problem::new(
                format!("{place}, field \"key\""),
                "another machine has the same key; keys must differ",
            ));
        }
        if machine.name.trim().is_empty() {
            problems.push(Problem::new(
                format!("{place}, field \"name\""),
                "the machine name is empty; give the name people use for it",
            ));
        }
        let mut values = HashSet::new();
        for state in &machine.states {
            if !values.insert(state.value) {
                problems.push(Problem::new(
                    format!("{place}, field \"states\""),
                    format!(
                        "the value {} is mapped twice; each state value maps to one state",
                        state.value
                    ),
                ));
            }
        }
    }

    let mut device_keys = HashSet::new();
    let mut endpoints: HashMap<(String, u16, u8), &str> = HashMap::new();
    // (machine, role) -> place of the first tag with it
    let mut roles: HashMap<(&str, TagRole), String> = HashMap::new();
    for (i, device) in config.devices.iter().enumerate() {
        let place = named("device", i, &device.key);
        check_key(&device.key, &format!("{place}, field \"key\""), problems);
        if !device.key.is_empty() && !device_keys.insert(device.key.as_str()) {
            problems.push(Problem::new(
                format!("{place}, field \"key\""),
                "another device has the same key; keys must differ",
            ));
        }
        if device.host.trim().is_empty() {
            problems.push(Problem::new(
                format!("{place}, field \"host\""),
                "the host is empty; give the device's IP address or host name",
            ));
        }
        if device.port == 0 {
            problems.push(Problem::new(
                format!("{place}, field \"port\""),
                "port 0 is not a port; Modbus TCP devices usually listen on 502",
            ));
        }
        let endpoint = (device.host.to_lowercase(), device.port, device.unit_id);
        if let Some(other) = endpoints.insert(endpoint, &device.key) {
            problems.push(Problem::new(
                &place,
                format!(
                    "device \"{other}\" already reads {}; two devices cannot share a host, port and unit id",
                    device.endpoint()
                ),
            ));
        }
        in_range(
            device.timeout_ms,
            TIMEOUT_MS_RANGE,
            &format!("{place}, field \"timeout_ms\""),
            "the timeout",
            problems,
        );
        in_range(
            device.poll_ms,
            POLL_MS_RANGE,
            &format!("{place}, field \"poll_ms\""),
            "the poll interval",
            problems,
        );

        let mut tag_names = HashSet::new();
        for (j, tag) in device.tags.iter().enumerate() {
            let tplace = format!("{place}, {}", named("tag", j, &tag.name));
            if tag.name.trim().is_empty() {
                problems.push(Problem::new(
                    format!("{tplace}, field \"name\""),
                    "the tag has no name; give it one such as \"temperature\"",
                ));
            } else if !tag_names.insert(tag.name.as_str()) {
                problems.push(Problem::new(
                    format!("{tplace}, field \"name\""),
                    "another tag of this device has the same name; tag names must differ within a device",
                ));
            }
            let last = u32::from(tag.address) + u32::from(tag.data_type.registers()) - 1;
            if last > u32::from(u16::MAX) {
                problems.push(Problem::new(
                    format!("{tplace}, field \"address\""),
                    format!(
                        "a {:?} at address {} runs past the last register 65535; check the address",
                        tag.data_type, tag.address
                    ),
                ));
            }
            if !tag.scale.is_finite() || tag.scale == 0.0 {
                problems.push(Problem::new(
                    format!("{tplace}, field \"scale\""),
                    "the scale must be a number other than 0; use 1 for none",
                ));
            }
            if !tag.offset.is_finite() {
                problems.push(Problem::new(
                    format!("{tplace}, field \"offset\""),
                    "the offset must be a finite number; use 0 for none",
                ));
            }
            if let Some(poll) = tag.poll_ms {
                in_range(
                    poll,
                    POLL_MS_RANGE,
                    &format!("{tplace}, field \"poll_ms\""),
                    "the poll interval",
                    problems,
                );
            }
            match &tag.machine {
                Some(m)
                    if !config.machines.iter().any(|x| &x.key == m)
                        && !config.unreadable_machines.contains(m) =>
                {
                    problems.push(Problem::new(
                        format!("{tplace}, field \"machine\""),
                        format!(
                            "there is no machine \"{m}\"; add it under [[machines]] or correct the key"
                        ),
                    ));
                }
                _ => {}
            }
            if let Some(role) = tag.role {
                let Some(machine) = tag.machine.as_deref() else {
                    problems.push(Problem::new(
                        format!("{tplace}, field \"role\""),
                        "a tag with a role must name its machine; add machine = \"...\"",
                    ));
                    continue;
                };
                if role == TagRole::Count && tag.data_type == DataType::F32 {
                    problems.push(Problem::new(
                        format!("{tplace}, field \"type\""),
                        "a part counter must be an integer type (u16, u32, i16, i32)",
                    ));
                }
                if let Some(first) = roles.insert((machine, role), tplace.clone()) {
                    problems.push(Problem::new(
                        format!("{tplace}, field \"role\""),
                        format!(
                            "machine \"{machine}\" already has its {} tag at {first}; a machine has one",
                            match role {
                                TagRole::State => "state",
                                TagRole::Count => "count",
                            }
                        ),
                    ));
                }
            }
        }
    }
}

/// Minutes after local midnight of an "HH:MM" time.
pub fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn named(noun: &str, index: usize, name: &str) -> String {
    if name.is_empty() {
        format!("{noun} #{}", index + 1)
    } else {
        format!("{noun} \"{name}\"")
    }
}

fn check_key(key: &str, place: &str, problems: &mut Vec<Problem>) {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !ok {
        problems.push(Problem::new(
            place,
            format!(
                "\"{key}\" is not a usable key; use 1 to 64 lowercase letters, digits, '-' or '_', e.g. \"press-1\""
            ),
        ));
    }
}

fn in_range(v: u64, (lo, hi): (u64, u64), place: &str, what: &str, problems: &mut Vec<Problem>) {
    if v < lo || v > hi {
        problems.push(Problem::new(
            place,
            format!("{what} {v} ms is outside {lo} to {hi} ms"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hhmm() {
        assert_eq!(parse_hhmm("06:00"), Some(360));
        assert_eq!(parse_hhmm("23:59"), Some(1439));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("6:00"), None);
        assert_eq!(parse_hhmm("ab:cd"), None);
    }
}
