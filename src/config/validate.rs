//! Checks a parsed plant configuration as a whole: names, ranges, references between
//! sections, duplicates. Every problem is collected with its place; nothing stops at
//! the first.

use std::collections::{HashMap, HashSet};

use super::Problem;
use super::model::{
    Bus, DataType, Device, Holiday, Machine, PlantConfig, Protocol, RecordMode, RegisterKind,
    Shift, Site, Tag, TagRole,
};

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
    pub buses: &'a [Bus],
    pub devices: &'a [Device],
    pub holidays: &'a [Holiday],
    pub alarms: &'a [super::model::AlarmRule],
    pub alarm_settings: &'a super::model::AlarmSettings,
    pub unreadable_machines: &'a [String],
}

impl<'a> From<&'a PlantConfig> for Parts<'a> {
    fn from(c: &'a PlantConfig) -> Self {
        Parts {
            site: Some(&c.site),
            shifts: &c.shifts,
            machines: &c.machines,
            buses: &c.buses,
            devices: &c.devices,
            holidays: &c.holidays,
            alarms: &c.alarms,
            alarm_settings: &c.alarm_settings,
            unreadable_machines: &[],
        }
    }
}

pub(crate) fn validate(config: &Parts<'_>, problems: &mut Vec<Problem>) {
    super::alarm_rules::check(
        config.alarms,
        config.alarm_settings,
        &super::alarm_rules::Refs {
            machines: config.machines,
            devices: config.devices,
            unreadable_machines: config.unreadable_machines,
        },
        problems,
    );
    if let Some(site) = config.site {
        if site.name.trim().is_empty() {
            problems.push(crate::problem!("site, field \"name\"", "empty_site_name"));
        }
        if jiff::tz::TimeZone::get(&site.timezone).is_err() {
            problems.push(crate::problem!(
                "site, field \"timezone\"",
                "unknown_zone",
                zone = site.timezone.as_str()
            ));
        }
    }

    let mut shift_names = HashSet::new();
    for (i, shift) in config.shifts.iter().enumerate() {
        let place = named("shift", i, &shift.name);
        if shift.name.trim().is_empty() {
            problems.push(crate::problem!(&place, "shift_no_name"));
        } else if !shift_names.insert(shift.name.as_str()) {
            problems.push(crate::problem!(&place, "shift_same_name"));
        }
        let start = parse_hhmm(&shift.start);
        let end = parse_hhmm(&shift.end);
        if start.is_none() {
            problems.push(crate::problem!(
                format!("{place}, field \"start\""),
                "not_time",
                value = shift.start.as_str(),
                example = "06:00"
            ));
        }
        if end.is_none() {
            problems.push(crate::problem!(
                format!("{place}, field \"end\""),
                "not_time",
                value = shift.end.as_str(),
                example = "14:00"
            ));
        }
        if start.is_some() && start == end {
            problems.push(crate::problem!(&place, "shift_no_length"));
        }
        if let (Some(s), Some(e)) = (start, end)
            && s != e
        {
            check_breaks(shift, s, e, &place, problems);
        }
        let mut days = HashSet::new();
        for d in &shift.days {
            if !days.insert(*d) {
                problems.push(crate::problem!(
                    format!("{place}, field \"days\""),
                    "day_twice",
                    day = format!("{d:?}")
                ));
            }
        }
    }
    check_shift_overlaps(config.shifts, problems);
    let mut holiday_dates = HashSet::new();
    for (i, h) in config.holidays.iter().enumerate() {
        let place = format!("holiday #{}", i + 1);
        match h.date.parse::<jiff::civil::Date>() {
            Ok(d) if h.date.len() == 10 => {
                if !holiday_dates.insert(d) {
                    problems.push(crate::problem!(
                        format!("{place}, field \"date\""),
                        "date_twice",
                        date = h.date.as_str()
                    ));
                }
            }
            _ => problems.push(crate::problem!(
                format!("{place}, field \"date\""),
                "not_date",
                value = h.date.as_str()
            )),
        }
    }

    let mut machine_keys = HashSet::new();
    for (i, machine) in config.machines.iter().enumerate() {
        let place = named("machine", i, &machine.key);
        check_key(&machine.key, &format!("{place}, field \"key\""), problems);
        if !machine.key.is_empty() && !machine_keys.insert(machine.key.as_str()) {
            problems.push(crate::problem!(
                format!("{place}, field \"key\""),
                "same_key",
                what = "machine"
            ));
        }
        if machine.name.trim().is_empty() {
            problems.push(crate::problem!(
                format!("{place}, field \"name\""),
                "empty_machine_name"
            ));
        }
        if machine.micro_stop_s.is_some_and(|v| v == 0 || v > 86_400) {
            problems.push(crate::problem!(
                format!("{place}, field \"micro_stop_s\""),
                "micro_stop_range"
            ));
        }
        if machine
            .running_when_counted_s
            .is_some_and(|v| v == 0 || v > 86_400)
        {
            problems.push(crate::problem!(
                format!("{place}, field \"running_when_counted_s\""),
                "running_counted_range"
            ));
        }
        if machine
            .max_rate_per_min
            .is_some_and(|v| !(v.is_finite() && v > 0.0))
        {
            problems.push(crate::problem!(
                format!("{place}, field \"max_rate_per_min\""),
                "max_rate_range"
            ));
        }
        if machine.line.as_deref().is_some_and(|l| l.trim().is_empty()) {
            problems.push(crate::problem!(
                format!("{place}, field \"line\""),
                "empty_line"
            ));
        }
        let mut values = HashSet::new();
        for state in &machine.states {
            if !values.insert(state.value) {
                problems.push(crate::problem!(
                    format!("{place}, field \"states\""),
                    "state_twice",
                    value = state.value
                ));
            }
        }
    }

    let mut bus_keys = HashSet::new();
    let mut ports: HashMap<String, &str> = HashMap::new();
    for (i, bus) in config.buses.iter().enumerate() {
        let place = named("serial line", i, &bus.key);
        check_key(&bus.key, &format!("{place}, field \"key\""), problems);
        if !bus.key.is_empty() && !bus_keys.insert(bus.key.as_str()) {
            problems.push(crate::problem!(
                format!("{place}, field \"key\""),
                "same_key",
                what = "serial_line"
            ));
        }
        if bus.port.trim().is_empty() {
            problems.push(crate::problem!(
                format!("{place}, field \"port\""),
                "empty_port"
            ));
        } else if let Some(other) = ports.insert(bus.port.to_lowercase(), &bus.key) {
            problems.push(crate::problem!(
                format!("{place}, field \"port\""),
                "port_used",
                port = bus.port.as_str(),
                other = other
            ));
        }
        if !(300..=1_000_000).contains(&bus.baud) {
            problems.push(crate::problem!(
                format!("{place}, field \"baud\""),
                "bad_baud",
                baud = bus.baud
            ));
        }
        if !matches!(bus.data_bits, 7 | 8) {
            problems.push(crate::problem!(
                format!("{place}, field \"data_bits\""),
                "bad_data_bits"
            ));
        }
        if !matches!(bus.stop_bits, 1 | 2) {
            problems.push(crate::problem!(
                format!("{place}, field \"stop_bits\""),
                "bad_stop_bits"
            ));
        }
        if bus
            .frame_gap_ms
            .is_some_and(|g| !(0.0..=1000.0).contains(&g))
        {
            problems.push(crate::problem!(
                format!("{place}, field \"frame_gap_ms\""),
                "bad_frame_gap"
            ));
        }
    }

    let mut device_keys = HashSet::new();
    let mut endpoints: HashMap<String, &str> = HashMap::new();
    // bus key -> serial line device using it, or the first Modbus device on it
    let mut bus_users: HashMap<&str, (&str, Protocol)> = HashMap::new();
    // (machine, role) -> place of the first tag with it
    let mut roles: HashMap<(&str, TagRole), String> = HashMap::new();
    for (i, device) in config.devices.iter().enumerate() {
        let place = named("device", i, &device.key);
        let field = |f: &str| format!("{place}, field \"{f}\"");
        check_key(&device.key, &field("key"), problems);
        if !device.key.is_empty() && !device_keys.insert(device.key.as_str()) {
            problems.push(crate::problem!(field("key"), "same_key", what = "device"));
        }
        let protocol = device.protocol;
        if protocol.is_tcp() {
            match device.host.as_deref().map(str::trim) {
                None | Some("") => problems.push(crate::problem!(
                    field("host"),
                    "needs_host",
                    protocol = protocol.name().to_string()
                )),
                Some(_) => {}
            }
            if device.port == Some(0) {
                problems.push(crate::problem!(field("port"), "port_zero"));
            }
            if device.bus.is_some() {
                problems.push(crate::problem!(
                    field("bus"),
                    "network_no_bus",
                    protocol = protocol.name().to_string()
                ));
            }
        } else {
            match device.bus.as_deref() {
                None => problems.push(crate::problem!(
                    field("bus"),
                    "needs_bus",
                    protocol = protocol.name().to_string()
                )),
                Some(b) if !config.buses.iter().any(|x| x.key == b) => {
                    problems.push(crate::problem!(field("bus"), "no_bus", b = b.to_string()))
                }
                Some(b) => {
                    if let Some((other, other_protocol)) = bus_users.get(b) {
                        if protocol == Protocol::SerialLine
                            || *other_protocol == Protocol::SerialLine
                        {
                            problems.push(crate::problem!(
                                field("bus"),
                                "bus_used",
                                b = b.to_string(),
                                other = other.to_string()
                            ));
                        }
                    } else {
                        bus_users.insert(b, (&device.key, protocol));
                    }
                }
            }
            for (f, given) in [
                ("host", device.host.is_some()),
                ("port", device.port.is_some()),
            ] {
                if given {
                    problems.push(crate::problem!(
                        field(f),
                        "serial_no_net",
                        protocol = protocol.name().to_string(),
                        f = f.to_string()
                    ));
                }
            }
        }
        if protocol.is_modbus() {
            let endpoint = if protocol.is_tcp() {
                format!(
                    "{}:{}",
                    device.host.as_deref().unwrap_or("").to_lowercase(),
                    device.tcp_port()
                )
            } else {
                format!("line {}", device.bus.as_deref().unwrap_or(""))
            };
            if protocol == Protocol::ModbusRtu && !(1..=247).contains(&device.unit_id) {
                problems.push(crate::problem!(
                    field("unit_id"),
                    "rtu_unit_range",
                    unit = device.unit_id.to_string()
                ));
            }
            if let Some(other) =
                endpoints.insert(format!("{endpoint} unit {}", device.unit_id), &device.key)
            {
                problems.push(crate::problem!(
                    field("unit_id"),
                    "unit_shared",
                    other = other.to_string(),
                    endpoint = endpoint.to_string(),
                    unit = device.unit_id.to_string()
                ));
            }
            if !(1..=125).contains(&device.max_registers) {
                problems.push(crate::problem!(
                    field("max_registers"),
                    "max_registers_range"
                ));
            }
            if !(1..=2000).contains(&device.max_bits) {
                problems.push(crate::problem!(field("max_bits"), "max_bits_range"));
            }
            for f in ["pattern", "terminator"] {
                let given = if f == "pattern" {
                    device.pattern.is_some()
                } else {
                    device.terminator.is_some()
                };
                if given {
                    problems.push(crate::problem!(field(f), "serial_only", f = f.to_string()));
                }
            }
        }
        in_range(
            device.timeout_ms,
            TIMEOUT_MS_RANGE,
            &field("timeout_ms"),
            "timeout",
            problems,
        );
        in_range(
            device.poll_ms,
            POLL_MS_RANGE,
            &field("poll_ms"),
            "poll",
            problems,
        );
        check_machine(
            device.machine.as_deref(),
            config,
            &field("machine"),
            problems,
        );

        let groups: Option<Vec<String>> = if protocol == Protocol::SerialLine {
            check_serial_line(device, &place, problems)
        } else {
            None
        };

        let mut tag_names = HashSet::new();
        for (j, tag) in device.tags.iter().enumerate() {
            let tplace = format!("{place}, {}", named("tag", j, &tag.name));
            let tfield = |f: &str| format!("{tplace}, field \"{f}\"");
            if tag.name.trim().is_empty() {
                problems.push(crate::problem!(tfield("name"), "tag_no_name"));
            } else if !tag_names.insert(tag.name.as_str()) {
                problems.push(crate::problem!(tfield("name"), "tag_same_name"));
            }
            if protocol == Protocol::SerialLine {
                check_line_tag(tag, groups.as_deref(), &tplace, problems);
            } else {
                check_modbus_tag(tag, device, &tplace, problems);
            }
            if !tag.scale.is_finite() || tag.scale == 0.0 {
                problems.push(crate::problem!(tfield("scale"), "bad_scale"));
            }
            if !tag.offset.is_finite() {
                problems.push(crate::problem!(tfield("offset"), "bad_offset"));
            }
            if let Some(poll) = tag.poll_ms {
                in_range(poll, POLL_MS_RANGE, &tfield("poll_ms"), "poll", problems);
            }
            check_machine(tag.machine.as_deref(), config, &tfield("machine"), problems);
            check_recording(tag, device, &tplace, problems);
            if let Some(role) = tag.role {
                let Some(machine) = tag.machine_key(device) else {
                    problems.push(crate::problem!(tfield("role"), "role_needs_machine"));
                    continue;
                };
                let t = tag.effective_type();
                if matches!(role, TagRole::Count | TagRole::Scrap) && !t.is_integer() {
                    problems.push(crate::problem!(tfield("type"), "counter_not_integer"));
                }
                if !matches!(tag.record, RecordMode::EveryPoll | RecordMode::OnChange) {
                    problems.push(crate::problem!(
                        tfield("record"),
                        "role_every_change",
                        role = role.name().to_string()
                    ));
                }
                if role == TagRole::State && t == DataType::String {
                    problems.push(crate::problem!(tfield("type"), "state_not_number"));
                }
                if let Some(first) = roles.insert((machine, role), tplace.clone()) {
                    problems.push(crate::problem!(
                        tfield("role"),
                        "role_twice",
                        machine = machine.to_string(),
                        role = role.name().to_string(),
                        at = first.to_string()
                    ));
                }
            }
        }
    }
    // How each machine's state is known: one state tag, or one run bit, or its counter.
    for (i, machine) in config.machines.iter().enumerate() {
        let place = named("machine", i, &machine.key);
        let has = |r: TagRole| roles.contains_key(&(machine.key.as_str(), r));
        if has(TagRole::State) && has(TagRole::Run) {
            problems.push(crate::problem!(&place, "state_and_run"));
        }
        if machine.running_when_counted_s.is_some() {
            if has(TagRole::State) || has(TagRole::Run) {
                problems.push(crate::problem!(
                    format!("{place}, field \"running_when_counted_s\""),
                    "counted_not_needed"
                ));
            } else if !has(TagRole::Count) {
                problems.push(crate::problem!(
                    format!("{place}, field \"running_when_counted_s\""),
                    "counted_needs_counter"
                ));
            }
        }
    }
}

/// Minutes of the shift: from its start, `length` long (an end at or before the start
/// is on the next day).
fn shift_length(start: u32, end: u32) -> u32 {
    (end + 1440 - start) % 1440
}

/// A shift's breaks: each a time in the shift, ending after it starts, none
/// overlapping another.
fn check_breaks(shift: &Shift, start: u32, end: u32, place: &str, problems: &mut Vec<Problem>) {
    let length = shift_length(start, end);
    let mut spans: Vec<(u32, u32, usize)> = Vec::new();
    for (j, b) in shift.breaks.iter().enumerate() {
        let bplace = format!("{place}, break #{}", j + 1);
        let (Some(bs), Some(be)) = (parse_hhmm(&b.start), parse_hhmm(&b.end)) else {
            problems.push(crate::problem!(
                bplace,
                "bad_break",
                start = b.start.to_string(),
                end = b.end.to_string()
            ));
            continue;
        };
        let from = (bs + 1440 - start) % 1440;
        let to = from + shift_length(bs, be);
        if bs == be || to > length {
            problems.push(crate::problem!(
                bplace,
                "break_outside",
                start = b.start.to_string(),
                end = b.end.to_string(),
                shift_start = shift.start.to_string(),
                shift_end = shift.end.to_string()
            ));
            continue;
        }
        if let Some((_, _, k)) = spans.iter().find(|(f, t, _)| from < *t && *f < to) {
            problems.push(crate::problem!(
                bplace,
                "break_overlap",
                other = (k + 1).to_string()
            ));
        }
        spans.push((from, to, j));
    }
}

/// Shifts must not overlap on a day they both run, and every shift must end by the
/// start of the next production day (the earliest shift start), so each day's shifts
/// and the day's time belong together.
fn check_shift_overlaps(shifts: &[Shift], problems: &mut Vec<Problem>) {
    let parsed: Vec<(usize, &Shift, u32, u32)> = shifts
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let a = parse_hhmm(&s.start)?;
            let b = parse_hhmm(&s.end)?;
            (a != b).then_some((i, s, a, shift_length(a, b)))
        })
        .collect();
    let Some(day_start) = parsed.iter().map(|p| p.2).min() else {
        return;
    };
    let runs_on = |s: &Shift, d: usize| s.days.is_empty() || s.days.iter().any(|x| x.index() == d);
    for (n, &(i, s, a, len)) in parsed.iter().enumerate() {
        let place = named("shift", i, &s.name);
        let offset = a - day_start;
        if offset + len > 1440 {
            problems.push(crate::problem!(
                &place,
                "shift_past_day",
                day_start = format!("{:02}:{:02}", day_start / 60, day_start % 60)
            ));
        }
        for &(_, t, b, tlen) in &parsed[..n] {
            let o2 = b - day_start;
            let common_day = (0..7).any(|d| runs_on(s, d) && runs_on(t, d));
            if common_day && offset < o2 + tlen && o2 < offset + len {
                problems.push(crate::problem!(
                    &place,
                    "shift_overlap",
                    other = t.name.to_string(),
                    start = t.start.to_string(),
                    end = t.end.to_string()
                ));
            }
        }
    }
}

fn check_recording(tag: &Tag, device: &Device, place: &str, problems: &mut Vec<Problem>) {
    let field = |f: &str| format!("{place}, field \"{f}\"");
    let positive = |v: Option<f64>| v.is_some_and(|x| x.is_finite() && x > 0.0);
    match tag.record {
        RecordMode::EveryPoll | RecordMode::OnChange => {
            for (f, given) in [
                ("deadband", tag.deadband.is_some()),
                ("deadband_percent", tag.deadband_percent.is_some()),
            ] {
                if given {
                    problems.push(crate::problem!(
                        field(f),
                        "deadband_unused",
                        f = f.to_string()
                    ));
                }
            }
        }
        RecordMode::Deadband => {
            if !positive(tag.deadband) && !positive(tag.deadband_percent) {
                problems.push(crate::problem!(field("deadband"), "deadband_needed"));
            }
        }
        RecordMode::SwingingDoor => {
            if !positive(tag.deadband) {
                problems.push(crate::problem!(field("deadband"), "door_needs_deadband"));
            }
        }
    }
    if tag.is_text() && matches!(tag.record, RecordMode::Deadband | RecordMode::SwingingDoor) {
        problems.push(crate::problem!(field("record"), "text_no_deadband"));
    }
    if let Some(h) = tag.heartbeat_s {
        let poll_s = tag.effective_poll_ms(device).div_ceil(1000);
        if h == 0 || h > 86_400 || h < poll_s {
            problems.push(crate::problem!(
                field("heartbeat_s"),
                "heartbeat_range",
                poll_s = poll_s.to_string()
            ));
        }
        if tag.record == RecordMode::EveryPoll {
            problems.push(crate::problem!(
                field("heartbeat_s"),
                "heartbeat_every_poll"
            ));
        }
    }
}

fn check_machine(
    machine: Option<&str>,
    config: &Parts<'_>,
    place: &str,
    problems: &mut Vec<Problem>,
) {
    if let Some(m) = machine
        && !config.machines.iter().any(|x| x.key == m)
        && !config.unreadable_machines.iter().any(|x| x == m)
    {
        problems.push(crate::problem!(place, "no_machine", m = m.to_string()));
    }
}

/// A serial line device's pattern; returns its named groups.
fn check_serial_line(
    device: &Device,
    place: &str,
    problems: &mut Vec<Problem>,
) -> Option<Vec<String>> {
    let field = |f: &str| format!("{place}, field \"{f}\"");
    if let Some(t) = &device.terminator
        && !matches!(t.as_str(), "\n" | "\r\n" | "\r")
    {
        problems.push(crate::problem!(field("terminator"), "bad_terminator"));
    }
    if !(8..=65_536).contains(&device.max_line) {
        problems.push(crate::problem!(field("max_line"), "max_line_range"));
    }
    let Some(pattern) = &device.pattern else {
        problems.push(crate::problem!(field("pattern"), "pattern_needed"));
        return None;
    };
    match regex::Regex::new(pattern) {
        Ok(re) => {
            let groups: Vec<String> = re.capture_names().flatten().map(str::to_string).collect();
            if groups.is_empty() {
                problems.push(crate::problem!(field("pattern"), "pattern_no_group"));
            }
            Some(groups)
        }
        Err(e) => {
            problems.push(crate::problem!(
                field("pattern"),
                "bad_pattern",
                e = e.to_string()
            ));
            None
        }
    }
}

fn check_line_tag(tag: &Tag, groups: Option<&[String]>, place: &str, problems: &mut Vec<Problem>) {
    let field = |f: &str| format!("{place}, field \"{f}\"");
    match (&tag.field, groups) {
        (None, _) => problems.push(crate::problem!(field("field"), "field_needed")),
        (Some(f), Some(groups)) if !groups.iter().any(|g| g == f) => {
            problems.push(crate::problem!(
                field("field"),
                "no_group",
                f = f.to_string(),
                groups = groups.join(", ").to_string()
            ))
        }
        _ => {}
    }
    for (f, given) in [
        ("function", tag.function.is_some()),
        ("address", tag.address.is_some()),
        ("register", tag.register.is_some()),
        ("bit", tag.bit.is_some()),
        ("length", tag.length.is_some()),
    ] {
        if given {
            problems.push(crate::problem!(field(f), "modbus_only", f = f.to_string()));
        }
    }
    // type = "string": the group's text as it is (a barcode reader's scanned code).
}

fn check_modbus_tag(tag: &Tag, device: &Device, place: &str, problems: &mut Vec<Problem>) {
    let field = |f: &str| format!("{place}, field \"{f}\"");
    if tag.field.is_some() {
        problems.push(crate::problem!(field("field"), "field_not_modbus"));
    }
    let kind = match (tag.register, tag.address) {
        (Some(_), Some(_)) => {
            problems.push(crate::problem!(field("register"), "register_and_address"));
            return;
        }
        (Some(r), None) => match RegisterKind::from_manual(r) {
            Some((kind, _)) => {
                if let Some(f) = tag.function
                    && f != kind
                {
                    problems.push(crate::problem!(
                        field("function"),
                        "register_function",
                        r = r.to_string(),
                        kind = kind.name().to_string(),
                        function = f.name().to_string()
                    ));
                }
                kind
            }
            None => {
                problems.push(crate::problem!(
                    field("register"),
                    "bad_register",
                    r = r.to_string()
                ));
                return;
            }
        },
        (None, Some(_)) => match tag.function {
            Some(f) => f,
            None => {
                problems.push(crate::problem!(field("function"), "function_needed"));
                return;
            }
        },
        (None, None) => {
            problems.push(crate::problem!(place, "no_register"));
            return;
        }
    };
    let t = tag.effective_type();
    if kind.is_bits() && t != DataType::Bool {
        problems.push(crate::problem!(
            field("type"),
            "bits_are_bool",
            kind = kind.name().to_string()
        ));
        return;
    }
    if !kind.is_bits() && t == DataType::Bool {
        problems.push(crate::problem!(field("type"), "bool_not_register"));
        return;
    }
    match (t, tag.bit) {
        (DataType::Bit, None) => problems.push(crate::problem!(field("bit"), "bit_needed")),
        (DataType::Bit, Some(b)) if b > 15 => problems.push(crate::problem!(
            field("bit"),
            "bit_range",
            b = b.to_string()
        )),
        (DataType::Bit, Some(_)) => {}
        (_, Some(_)) => problems.push(crate::problem!(field("bit"), "bit_not_bit")),
        _ => {}
    }
    match (t, tag.length) {
        (DataType::String, None) => {
            problems.push(crate::problem!(field("length"), "length_needed"))
        }
        (DataType::String, Some(0)) => {
            problems.push(crate::problem!(field("length"), "length_zero"))
        }
        (DataType::String, Some(_))
            if tag.scale != 1.0 || tag.offset != 0.0 || tag.role.is_some() =>
        {
            problems.push(crate::problem!(place, "text_no_scale"));
        }
        (DataType::String, Some(_)) => {}
        (_, Some(_)) => problems.push(crate::problem!(field("length"), "length_not_string")),
        _ => {}
    }
    if let Some(loc) = tag.location() {
        let last = u32::from(loc.address) + u32::from(loc.width) - 1;
        if last > u32::from(u16::MAX) {
            problems.push(crate::problem!(
                field(if tag.register.is_some() {
                    "register"
                } else {
                    "address"
                }),
                "past_last_address",
                dtype = t.name(),
                address = loc.address
            ));
        }
        let limit = if kind.is_bits() {
            device.max_bits
        } else {
            device.max_registers
        };
        if loc.width > limit {
            problems.push(crate::problem!(
                field("length"),
                "too_wide",
                width = loc.width.to_string(),
                limit = limit.to_string()
            ));
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

pub(crate) fn check_key_pub(key: &str, place: &str, problems: &mut Vec<Problem>) {
    check_key(key, place, problems);
}

fn check_key(key: &str, place: &str, problems: &mut Vec<Problem>) {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !ok {
        problems.push(crate::problem!(place, "bad_key", key = key.to_string()));
    }
}

fn in_range(v: u64, (lo, hi): (u64, u64), place: &str, what: &str, problems: &mut Vec<Problem>) {
    if v < lo || v > hi {
        problems.push(crate::problem!(
            place,
            "ms_range",
            what = what,
            v = v,
            lo = lo,
            hi = hi
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
