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
        if let (Some(s), Some(e)) = (start, end)
            && s != e
        {
            check_breaks(shift, s, e, &place, problems);
        }
        let mut days = HashSet::new();
        for d in &shift.days {
            if !days.insert(*d) {
                problems.push(Problem::new(
                    format!("{place}, field \"days\""),
                    format!("{d:?} is listed twice; name each day once"),
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
                    problems.push(Problem::new(
                        format!("{place}, field \"date\""),
                        format!("{} is listed twice", h.date),
                    ));
                }
            }
            _ => problems.push(Problem::new(
                format!("{place}, field \"date\""),
                format!(
                    "\"{}\" is not a date; write it as \"YYYY-MM-DD\", e.g. \"2026-12-25\"",
                    h.date
                ),
            )),
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
        if machine.micro_stop_s.is_some_and(|v| v == 0 || v > 86_400) {
            problems.push(Problem::new(
                format!("{place}, field \"micro_stop_s\""),
                "the micro-stop threshold must be 1 to 86400 seconds (default 120)",
            ));
        }
        if machine
            .running_when_counted_s
            .is_some_and(|v| v == 0 || v > 86_400)
        {
            problems.push(Problem::new(
                format!("{place}, field \"running_when_counted_s\""),
                "the time must be 1 to 86400 seconds: how long after a counted part the machine still counts as running",
            ));
        }
        if machine
            .max_rate_per_min
            .is_some_and(|v| !(v.is_finite() && v > 0.0))
        {
            problems.push(Problem::new(
                format!("{place}, field \"max_rate_per_min\""),
                "the maximum rate must be a number of parts a minute above 0: a counter step faster than it is held for review",
            ));
        }
        if machine.line.as_deref().is_some_and(|l| l.trim().is_empty()) {
            problems.push(Problem::new(
                format!("{place}, field \"line\""),
                "the line name is empty; name the line or leave line out",
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

    let mut bus_keys = HashSet::new();
    let mut ports: HashMap<String, &str> = HashMap::new();
    for (i, bus) in config.buses.iter().enumerate() {
        let place = named("serial line", i, &bus.key);
        check_key(&bus.key, &format!("{place}, field \"key\""), problems);
        if !bus.key.is_empty() && !bus_keys.insert(bus.key.as_str()) {
            problems.push(Problem::new(
                format!("{place}, field \"key\""),
                "another serial line has the same key; keys must differ",
            ));
        }
        if bus.port.trim().is_empty() {
            problems.push(Problem::new(
                format!("{place}, field \"port\""),
                "the port is empty; give the serial port, e.g. \"COM3\" on Windows or \"/dev/ttyUSB0\" on Linux",
            ));
        } else if let Some(other) = ports.insert(bus.port.to_lowercase(), &bus.key) {
            problems.push(Problem::new(
                format!("{place}, field \"port\""),
                format!(
                    "port {} is used by serial line \"{other}\" already; one port is one line, put the devices on that line",
                    bus.port
                ),
            ));
        }
        if !(300..=1_000_000).contains(&bus.baud) {
            problems.push(Problem::new(
                format!("{place}, field \"baud\""),
                format!(
                    "{} baud is not a serial speed; use the device's, e.g. 9600 or 19200",
                    bus.baud
                ),
            ));
        }
        if !matches!(bus.data_bits, 7 | 8) {
            problems.push(Problem::new(
                format!("{place}, field \"data_bits\""),
                "data bits must be 7 or 8 (Modbus RTU uses 8)",
            ));
        }
        if !matches!(bus.stop_bits, 1 | 2) {
            problems.push(Problem::new(
                format!("{place}, field \"stop_bits\""),
                "stop bits must be 1 or 2",
            ));
        }
        if bus
            .frame_gap_ms
            .is_some_and(|g| !(0.0..=1000.0).contains(&g))
        {
            problems.push(Problem::new(
                format!("{place}, field \"frame_gap_ms\""),
                "the frame gap must be 0 to 1000 ms; leave it out to use 3.5 characters",
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
            problems.push(Problem::new(
                field("key"),
                "another device has the same key; keys must differ",
            ));
        }
        let protocol = device.protocol;
        if protocol.is_tcp() {
            match device.host.as_deref().map(str::trim) {
                None | Some("") => problems.push(Problem::new(
                    field("host"),
                    format!(
                        "a {} device needs the host: its IP address or name",
                        protocol.name()
                    ),
                )),
                Some(_) => {}
            }
            if device.port == Some(0) {
                problems.push(Problem::new(
                    field("port"),
                    "port 0 is not a port; Modbus TCP devices usually listen on 502",
                ));
            }
            if device.bus.is_some() {
                problems.push(Problem::new(
                    field("bus"),
                    format!(
                        "a {} device is reached over the network, not a serial line; remove bus, or use protocol = \"modbus-rtu\"",
                        protocol.name()
                    ),
                ));
            }
        } else {
            match device.bus.as_deref() {
                None => problems.push(Problem::new(
                    field("bus"),
                    format!(
                        "a {} device needs the serial line it is on: bus = \"...\", a key of [[buses]]",
                        protocol.name()
                    ),
                )),
                Some(b) if !config.buses.iter().any(|x| x.key == b) => {
                    problems.push(Problem::new(
                        field("bus"),
                        format!("there is no serial line \"{b}\"; add it under [[buses]] or correct the key"),
                    ))
                }
                Some(b) => {
                    if let Some((other, other_protocol)) = bus_users.get(b) {
                        if protocol == Protocol::SerialLine || *other_protocol == Protocol::SerialLine {
                            problems.push(Problem::new(
                                field("bus"),
                                format!(
                                    "serial line \"{b}\" is used by device \"{other}\" already; a serial line device needs a line of its own"
                                ),
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
                    problems.push(Problem::new(
                        field(f),
                        format!(
                            "a {} device is on a serial line; remove {f}",
                            protocol.name()
                        ),
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
                problems.push(Problem::new(
                    field("unit_id"),
                    format!(
                        "unit id {} cannot be addressed on a serial line; use 1 to 247",
                        device.unit_id
                    ),
                ));
            }
            if let Some(other) =
                endpoints.insert(format!("{endpoint} unit {}", device.unit_id), &device.key)
            {
                problems.push(Problem::new(
                    field("unit_id"),
                    format!(
                        "device \"{other}\" already reads {} unit {}; two devices cannot share a unit id on one line or address",
                        endpoint, device.unit_id
                    ),
                ));
            }
            if !(1..=125).contains(&device.max_registers) {
                problems.push(Problem::new(
                    field("max_registers"),
                    "the largest request must be 1 to 125 registers",
                ));
            }
            if !(1..=2000).contains(&device.max_bits) {
                problems.push(Problem::new(
                    field("max_bits"),
                    "the largest request must be 1 to 2000 coils or inputs",
                ));
            }
            for f in ["pattern", "terminator"] {
                let given = if f == "pattern" {
                    device.pattern.is_some()
                } else {
                    device.terminator.is_some()
                };
                if given {
                    problems.push(Problem::new(
                        field(f),
                        format!("{f} is for serial-line devices; a Modbus device has none"),
                    ));
                }
            }
        }
        in_range(
            device.timeout_ms,
            TIMEOUT_MS_RANGE,
            &field("timeout_ms"),
            "the timeout",
            problems,
        );
        in_range(
            device.poll_ms,
            POLL_MS_RANGE,
            &field("poll_ms"),
            "the poll interval",
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
                problems.push(Problem::new(
                    tfield("name"),
                    "the tag has no name; give it one such as \"temperature\"",
                ));
            } else if !tag_names.insert(tag.name.as_str()) {
                problems.push(Problem::new(
                    tfield("name"),
                    "another tag of this device has the same name; tag names must differ within a device",
                ));
            }
            if protocol == Protocol::SerialLine {
                check_line_tag(tag, groups.as_deref(), &tplace, problems);
            } else {
                check_modbus_tag(tag, device, &tplace, problems);
            }
            if !tag.scale.is_finite() || tag.scale == 0.0 {
                problems.push(Problem::new(
                    tfield("scale"),
                    "the scale must be a number other than 0; use 1 for none",
                ));
            }
            if !tag.offset.is_finite() {
                problems.push(Problem::new(
                    tfield("offset"),
                    "the offset must be a finite number; use 0 for none",
                ));
            }
            if let Some(poll) = tag.poll_ms {
                in_range(
                    poll,
                    POLL_MS_RANGE,
                    &tfield("poll_ms"),
                    "the poll interval",
                    problems,
                );
            }
            check_machine(tag.machine.as_deref(), config, &tfield("machine"), problems);
            check_recording(tag, device, &tplace, problems);
            if let Some(role) = tag.role {
                let Some(machine) = tag.machine_key(device) else {
                    problems.push(Problem::new(
                        tfield("role"),
                        "a tag with a role must have a machine; set machine on the tag or its device",
                    ));
                    continue;
                };
                let t = tag.effective_type();
                if matches!(role, TagRole::Count | TagRole::Scrap) && !t.is_integer() {
                    problems.push(Problem::new(
                        tfield("type"),
                        "a part counter must be an integer type (u16, u32, u64, i16, i32, i64)",
                    ));
                }
                if !matches!(tag.record, RecordMode::EveryPoll | RecordMode::OnChange) {
                    problems.push(Problem::new(
                        tfield("record"),
                        format!(
                            "a {} tag must keep every change (record = \"on_change\" or \"every_poll\"): production figures are computed from each change",
                            role.name()
                        ),
                    ));
                }
                if role == TagRole::State && t == DataType::String {
                    problems.push(Problem::new(
                        tfield("type"),
                        "a machine state must be a number that the machine's states map",
                    ));
                }
                if let Some(first) = roles.insert((machine, role), tplace.clone()) {
                    problems.push(Problem::new(
                        tfield("role"),
                        format!(
                            "machine \"{machine}\" already has its {} tag at {first}; a machine has one",
                            role.name()
                        ),
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
            problems.push(Problem::new(
                &place,
                "the machine has a state tag and a run bit; its state comes from one of them, remove the other's role",
            ));
        }
        if machine.running_when_counted_s.is_some() {
            if has(TagRole::State) || has(TagRole::Run) {
                problems.push(Problem::new(
                    format!("{place}, field \"running_when_counted_s\""),
                    "the machine's state comes from its state tag or run bit already; remove running_when_counted_s",
                ));
            } else if !has(TagRole::Count) {
                problems.push(Problem::new(
                    format!("{place}, field \"running_when_counted_s\""),
                    "running_when_counted_s needs the machine's part counter: give one of its tags role = \"count\"",
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
            problems.push(Problem::new(
                bplace,
                format!(
                    "\"{}\"–\"{}\" is not a time span; write start and end as \"HH:MM\"",
                    b.start, b.end
                ),
            ));
            continue;
        };
        let from = (bs + 1440 - start) % 1440;
        let to = from + shift_length(bs, be);
        if bs == be || to > length {
            problems.push(Problem::new(
                bplace,
                format!(
                    "the break {}–{} is not inside the shift {}–{}; a break starts and ends within its shift",
                    b.start, b.end, shift.start, shift.end
                ),
            ));
            continue;
        }
        if let Some((_, _, k)) = spans.iter().find(|(f, t, _)| from < *t && *f < to) {
            problems.push(Problem::new(
                bplace,
                format!(
                    "the break overlaps break #{}; breaks must not overlap",
                    k + 1
                ),
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
            problems.push(Problem::new(
                &place,
                format!(
                    "the shift ends after the next production day begins ({:02}:{:02}, the earliest shift start); shorten it",
                    day_start / 60,
                    day_start % 60
                ),
            ));
        }
        for &(_, t, b, tlen) in &parsed[..n] {
            let o2 = b - day_start;
            let common_day = (0..7).any(|d| runs_on(s, d) && runs_on(t, d));
            if common_day && offset < o2 + tlen && o2 < offset + len {
                problems.push(Problem::new(
                    &place,
                    format!(
                        "the shift overlaps shift \"{}\" ({}–{}); shifts of one day must not overlap",
                        t.name, t.start, t.end
                    ),
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
                    problems.push(Problem::new(
                        field(f),
                        format!("{f} applies with record = \"deadband\" or \"swinging_door\"; remove it or change record"),
                    ));
                }
            }
        }
        RecordMode::Deadband => {
            if !positive(tag.deadband) && !positive(tag.deadband_percent) {
                problems.push(Problem::new(
                    field("deadband"),
                    "record = \"deadband\" needs deadband (a change in the tag's unit) or deadband_percent, above 0",
                ));
            }
        }
        RecordMode::SwingingDoor => {
            if !positive(tag.deadband) {
                problems.push(Problem::new(
                    field("deadband"),
                    "record = \"swinging_door\" needs deadband: the door's width in the tag's unit, above 0",
                ));
            }
        }
    }
    if tag.is_text() && matches!(tag.record, RecordMode::Deadband | RecordMode::SwingingDoor) {
        problems.push(Problem::new(
            field("record"),
            "a string tag is stored every poll or on change; a deadband needs numbers",
        ));
    }
    if let Some(h) = tag.heartbeat_s {
        let poll_s = tag.effective_poll_ms(device).div_ceil(1000);
        if h == 0 || h > 86_400 || h < poll_s {
            problems.push(Problem::new(
                field("heartbeat_s"),
                format!("the heartbeat must be from the poll interval ({poll_s} s) up to 86400 s"),
            ));
        }
        if tag.record == RecordMode::EveryPoll {
            problems.push(Problem::new(
                field("heartbeat_s"),
                "every reading is stored already; a heartbeat applies with on_change, deadband or swinging_door",
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
        problems.push(Problem::new(
            place,
            format!("there is no machine \"{m}\"; add it under [[machines]] or correct the key"),
        ));
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
        problems.push(Problem::new(
            field("terminator"),
            "a line ends with \"\\n\", \"\\r\\n\" or \"\\r\"",
        ));
    }
    if !(8..=65_536).contains(&device.max_line) {
        problems.push(Problem::new(
            field("max_line"),
            "the longest line must be 8 to 65536 bytes",
        ));
    }
    let Some(pattern) = &device.pattern else {
        problems.push(Problem::new(
            field("pattern"),
            "a serial-line device needs a pattern with named groups, e.g. '^ST,GS,(?P<weight>[+-]?[0-9.]+)kg$'",
        ));
        return None;
    };
    match regex::Regex::new(pattern) {
        Ok(re) => {
            let groups: Vec<String> = re.capture_names().flatten().map(str::to_string).collect();
            if groups.is_empty() {
                problems.push(Problem::new(
                    field("pattern"),
                    "the pattern has no named group; name the part holding a value, e.g. (?P<weight>...)",
                ));
            }
            Some(groups)
        }
        Err(e) => {
            problems.push(Problem::new(
                field("pattern"),
                format!("the pattern is not a valid regular expression: {e}"),
            ));
            None
        }
    }
}

fn check_line_tag(tag: &Tag, groups: Option<&[String]>, place: &str, problems: &mut Vec<Problem>) {
    let field = |f: &str| format!("{place}, field \"{f}\"");
    match (&tag.field, groups) {
        (None, _) => problems.push(Problem::new(
            field("field"),
            "a serial-line tag needs field = \"...\": the named group of the device's pattern that holds its value",
        )),
        (Some(f), Some(groups)) if !groups.iter().any(|g| g == f) => problems.push(Problem::new(
            field("field"),
            format!(
                "the pattern has no group named \"{f}\"; its groups are: {}",
                groups.join(", ")
            ),
        )),
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
            problems.push(Problem::new(
                field(f),
                format!("{f} is for Modbus tags; a serial-line tag takes its value from field"),
            ));
        }
    }
    // type = "string": the group's text as it is (a barcode reader's scanned code).
}

fn check_modbus_tag(tag: &Tag, device: &Device, place: &str, problems: &mut Vec<Problem>) {
    let field = |f: &str| format!("{place}, field \"{f}\"");
    if tag.field.is_some() {
        problems.push(Problem::new(
            field("field"),
            "field is for serial-line tags; a Modbus tag gives function and address, or register",
        ));
    }
    let kind = match (tag.register, tag.address) {
        (Some(_), Some(_)) => {
            problems.push(Problem::new(
                field("register"),
                "give either register (as in the manual, e.g. 40001) or address (0-based on the wire), not both",
            ));
            return;
        }
        (Some(r), None) => match RegisterKind::from_manual(r) {
            Some((kind, _)) => {
                if let Some(f) = tag.function
                    && f != kind
                {
                    problems.push(Problem::new(
                        field("function"),
                        format!(
                            "register {r} is a {}, but function says {}; leave function out or correct it",
                            kind.name(),
                            f.name()
                        ),
                    ));
                }
                kind
            }
            None => {
                problems.push(Problem::new(
                    field("register"),
                    format!(
                        "{r} is not a register number; manuals write 00001-09999 (coils), 10001-19999 (discrete inputs), 30001-39999 (input registers), 40001-49999 (holding registers), or 6 digits such as 400001"
                    ),
                ));
                return;
            }
        },
        (None, Some(_)) => match tag.function {
            Some(f) => f,
            None => {
                problems.push(Problem::new(
                    field("function"),
                    "with address, say which table: function = \"holding\", \"input\", \"coil\" or \"discrete\" (or give register as in the manual instead)",
                ));
                return;
            }
        },
        (None, None) => {
            problems.push(Problem::new(
                place,
                "the tag has no register; give register as in the manual (e.g. 40001) or function and address",
            ));
            return;
        }
    };
    let t = tag.effective_type();
    if kind.is_bits() && t != DataType::Bool {
        problems.push(Problem::new(
            field("type"),
            format!("a {} holds one bit; its type is bool", kind.name()),
        ));
        return;
    }
    if !kind.is_bits() && t == DataType::Bool {
        problems.push(Problem::new(
            field("type"),
            "bool is for coils and discrete inputs; for one bit of a register use type = \"bit\" with bit = 0..15",
        ));
        return;
    }
    match (t, tag.bit) {
        (DataType::Bit, None) => problems.push(Problem::new(
            field("bit"),
            "type bit needs bit = 0..15, the bit of the register (0 the least significant)",
        )),
        (DataType::Bit, Some(b)) if b > 15 => problems.push(Problem::new(
            field("bit"),
            format!("bit {b} does not exist; a register has bits 0 to 15"),
        )),
        (DataType::Bit, Some(_)) => {}
        (_, Some(_)) => problems.push(Problem::new(
            field("bit"),
            "bit is for type = \"bit\"; remove it or change the type",
        )),
        _ => {}
    }
    match (t, tag.length) {
        (DataType::String, None) => problems.push(Problem::new(
            field("length"),
            "type string needs length: the number of registers (two characters each)",
        )),
        (DataType::String, Some(0)) => problems.push(Problem::new(
            field("length"),
            "a string needs at least one register",
        )),
        (DataType::String, Some(_))
            if tag.scale != 1.0 || tag.offset != 0.0 || tag.role.is_some() =>
        {
            problems.push(Problem::new(
                place,
                "a string tag is text: it takes no scale, offset or role",
            ));
        }
        (DataType::String, Some(_)) => {}
        (_, Some(_)) => problems.push(Problem::new(
            field("length"),
            "length is for type = \"string\"; remove it or change the type",
        )),
        _ => {}
    }
    if let Some(loc) = tag.location() {
        let last = u32::from(loc.address) + u32::from(loc.width) - 1;
        if last > u32::from(u16::MAX) {
            problems.push(Problem::new(
                field(if tag.register.is_some() {
                    "register"
                } else {
                    "address"
                }),
                format!(
                    "a {} at {} runs past the last address 65535; check the address",
                    t.name(),
                    loc.address
                ),
            ));
        }
        let limit = if kind.is_bits() {
            device.max_bits
        } else {
            device.max_registers
        };
        if loc.width > limit {
            problems.push(Problem::new(
                field("length"),
                format!(
                    "the value spans {} registers, more than the device's largest request ({limit})",
                    loc.width
                ),
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
