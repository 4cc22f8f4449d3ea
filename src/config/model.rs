//! The plant model as the TOML file and the running core see it: site, shifts,
//! machines, serial lines, devices and their tags. Defaults live here and nowhere else.
//!
//! This module only describes shapes; checking them is `validate`'s job and reading
//! them from text is `parse`'s.

use serde::{Deserialize, Serialize};

/// The whole plant model, as imported from and exported to a TOML file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PlantConfig {
    pub site: Site,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<Shift>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub machines: Vec<Machine>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buses: Vec<Bus>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<Device>,
    /// Days without production (public holidays, shutdowns): no shift starts on them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Holiday>,
    /// Alarm rules on tags, devices and machines (src/alerts evaluates them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alarms: Vec<AlarmRule>,
    /// How people may handle alarms: comments, shelving.
    #[serde(default, skip_serializing_if = "is_default")]
    pub alarm_settings: AlarmSettings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Site {
    pub name: String,
    /// IANA time zone name of the plant, e.g. "Europe/Berlin". Shift boundaries,
    /// reports and the UI use it; everything stored is UTC.
    pub timezone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Shift {
    pub name: String,
    /// Local start time, "HH:MM".
    pub start: String,
    /// Local end time, "HH:MM"; an end before the start means the shift runs past
    /// midnight (the shift belongs to the day it starts).
    pub end: String,
    /// The days of the week the shift starts on; every day when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<Weekday>,
    /// Planned stops of every machine in each instance of the shift, in local time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<Break>,
}

/// A day of the week, as shifts name the days they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// Monday 0 to Sunday 6.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A break within a shift, in local time ("HH:MM"); a time before the shift's start is
/// on the next day (a break in a night shift after midnight).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Break {
    pub start: String,
    pub end: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// A day without production.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Holiday {
    /// The local date, "YYYY-MM-DD".
    pub date: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Machine {
    /// Stable identifier used in URLs and references; lowercase letters, digits, '-'
    /// and '_'.
    pub key: String,
    pub name: String,
    /// How the value of the machine's state tag maps to a state. When empty the
    /// standard map applies: see [`Machine::state_map`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub states: Vec<StateDef>,
    /// The production line the machine is part of (reports add up lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// Stops shorter than this are micro-stops: counted, not explained. Default 120 s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub micro_stop_s: Option<u64>,
    /// A machine without a state tag or run bit: running while its part counter
    /// advanced within this many seconds, stopped otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_when_counted_s: Option<u64>,
    /// The most parts a minute the machine can make. A counter step above it (over the
    /// time since the counter's last good reading) is implausible: counted as zero,
    /// with an event a supervisor accepts or corrects. Unset: only a jump over half
    /// the counter's range is implausible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rate_per_min: Option<f64>,
}

/// Micro-stop threshold unless a machine sets its own.
pub const DEFAULT_MICRO_STOP_S: u64 = 120;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StateDef {
    pub value: i64,
    pub label: String,
    pub kind: StateKind,
}

/// What a machine state means for colours, downtime and OEE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    Running,
    Idle,
    Setup,
    Stopped,
    Fault,
    Unknown,
}

impl Machine {
    /// The configured state map, or the standard one: 0 Stopped, 1 Running, 2 Fault,
    /// 3 Setup, 4 Idle.
    pub fn state_map(&self) -> Vec<StateDef> {
        if !self.states.is_empty() {
            return self.states.clone();
        }
        [
            (0, "Stopped", StateKind::Stopped),
            (1, "Running", StateKind::Running),
            (2, "Fault", StateKind::Fault),
            (3, "Setup", StateKind::Setup),
            (4, "Idle", StateKind::Idle),
        ]
        .into_iter()
        .map(|(value, label, kind)| StateDef {
            value,
            label: label.to_string(),
            kind,
        })
        .collect()
    }
}

/// A serial line: an RS-485 port (a COM port on Windows) with its settings. Modbus RTU
/// devices on the line share it; a serial line device has one to itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Bus {
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The port: "COM3" on Windows, "/dev/ttyUSB0" on Linux.
    pub port: String,
    #[serde(default = "defaults::baud")]
    pub baud: u32,
    #[serde(default, skip_serializing_if = "is_default")]
    pub parity: Parity,
    #[serde(
        default = "defaults::data_bits",
        skip_serializing_if = "defaults::is_eight"
    )]
    pub data_bits: u8,
    #[serde(
        default = "defaults::stop_bits",
        skip_serializing_if = "defaults::is_one_u8"
    )]
    pub stop_bits: u8,
    /// Silence kept between frames, in ms. Default: 3.5 characters at the baud rate, at
    /// least 1.75 ms, as the Modbus serial line specification asks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_gap_ms: Option<f64>,
}

impl Bus {
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.key
        } else {
            &self.name
        }
    }

    /// Bits on the wire per character: start, data, parity, stop.
    pub fn bits_per_char(&self) -> u32 {
        1 + u32::from(self.data_bits)
            + u32::from(self.parity != Parity::None)
            + u32::from(self.stop_bits)
    }

    /// The silence between frames.
    pub fn frame_gap(&self) -> std::time::Duration {
        let ms = self.frame_gap_ms.unwrap_or_else(|| {
            if self.baud > 19_200 {
                1.75
            } else {
                3.5 * f64::from(self.bits_per_char()) * 1000.0 / f64::from(self.baud.max(1))
            }
        });
        std::time::Duration::from_secs_f64(ms.max(0.0) / 1000.0)
    }

    /// "COM3 9600 8N1".
    pub fn settings(&self) -> String {
        let p = match self.parity {
            Parity::None => 'N',
            Parity::Even => 'E',
            Parity::Odd => 'O',
        };
        format!(
            "{} {} {}{}{}",
            self.port, self.baud, self.data_bits, p, self.stop_bits
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Parity {
    #[default]
    None,
    Even,
    Odd,
}

/// The protocol a device is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Protocol {
    /// Modbus TCP (MBAP framing), to a device or a TCP-to-RTU gateway (unit id).
    #[serde(rename = "modbus-tcp")]
    ModbusTcp,
    /// Modbus RTU on a serial line (`bus`).
    #[serde(rename = "modbus-rtu")]
    ModbusRtu,
    /// Modbus RTU frames over TCP, as simple serial-to-Ethernet gateways pass them.
    #[serde(rename = "modbus-rtu-over-tcp")]
    ModbusRtuOverTcp,
    /// A device that prints a line of text per reading (scales, counters).
    #[serde(rename = "serial-line")]
    SerialLine,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::ModbusTcp => "modbus-tcp",
            Protocol::ModbusRtu => "modbus-rtu",
            Protocol::ModbusRtuOverTcp => "modbus-rtu-over-tcp",
            Protocol::SerialLine => "serial-line",
        }
    }

    /// Whether the device is reached over TCP (`host` and `port`).
    pub fn is_tcp(self) -> bool {
        matches!(self, Protocol::ModbusTcp | Protocol::ModbusRtuOverTcp)
    }

    pub fn is_modbus(self) -> bool {
        self != Protocol::SerialLine
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Device {
    /// Stable identifier; tags are known by (device key, tag name).
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub protocol: Protocol,
    /// modbus-tcp, modbus-rtu-over-tcp: the device's or gateway's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// modbus-rtu, serial-line: the serial line, by key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bus: Option<String>,
    /// Modbus unit id (slave address).
    #[serde(default = "defaults::unit_id")]
    pub unit_id: u8,
    /// How long to wait for one answer.
    #[serde(default = "defaults::timeout_ms")]
    pub timeout_ms: u64,
    /// Poll interval of the device's tags unless a tag sets its own.
    #[serde(default = "defaults::poll_ms")]
    pub poll_ms: u64,
    /// The machine the device's tags describe, unless a tag names another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// The register map the device's tags came from (see templates/).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Registers (or bits) of gap read across to combine two tags into one request;
    /// 0 combines only neighbours.
    #[serde(default, skip_serializing_if = "defaults::is_zero_u16")]
    pub max_gap: u16,
    /// Largest request in registers (1..=125); some devices answer fewer.
    #[serde(
        default = "defaults::max_registers",
        skip_serializing_if = "defaults::is_max_registers"
    )]
    pub max_registers: u16,
    /// Largest request in coils or discrete inputs (1..=2000).
    #[serde(
        default = "defaults::max_bits",
        skip_serializing_if = "defaults::is_max_bits"
    )]
    pub max_bits: u16,
    /// serial-line: a regular expression with named groups; each group feeds the tag
    /// whose `field` names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// serial-line: what ends a line: "\n" (default), "\r\n" or "\r".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminator: Option<String>,
    /// serial-line: longest line accepted, in bytes; longer ones are counted as
    /// malformed.
    #[serde(
        default = "defaults::max_line",
        skip_serializing_if = "defaults::is_max_line"
    )]
    pub max_line: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

impl Device {
    /// A Modbus TCP device at `host:port` with every other setting at its default, as
    /// a file that names only these would give.
    pub fn modbus_tcp(key: &str, host: &str, port: u16, tags: Vec<Tag>) -> Device {
        Device {
            key: key.to_string(),
            name: String::new(),
            protocol: Protocol::ModbusTcp,
            host: Some(host.to_string()),
            port: Some(port),
            bus: None,
            unit_id: defaults::unit_id(),
            timeout_ms: defaults::timeout_ms(),
            poll_ms: defaults::poll_ms(),
            machine: None,
            template: None,
            max_gap: 0,
            max_registers: defaults::max_registers(),
            max_bits: defaults::max_bits(),
            pattern: None,
            terminator: None,
            max_line: defaults::max_line(),
            tags,
        }
    }

    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.key
        } else {
            &self.name
        }
    }

    /// Where the device is: "192.168.1.20:502 unit 1", "line-1 unit 3", "scale-port".
    pub fn endpoint(&self) -> String {
        match self.protocol {
            Protocol::ModbusTcp | Protocol::ModbusRtuOverTcp => format!(
                "{}:{} unit {}",
                self.host.as_deref().unwrap_or("?"),
                self.port.unwrap_or(502),
                self.unit_id
            ),
            Protocol::ModbusRtu => format!(
                "{} unit {}",
                self.bus.as_deref().unwrap_or("?"),
                self.unit_id
            ),
            Protocol::SerialLine => self.bus.clone().unwrap_or_default(),
        }
    }

    /// The TCP port, 502 unless set.
    pub fn tcp_port(&self) -> u16 {
        self.port.unwrap_or(502)
    }

    /// The line terminator of a serial line device.
    pub fn line_terminator(&self) -> &str {
        self.terminator.as_deref().unwrap_or("\n")
    }
}

/// The Modbus table a tag is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RegisterKind {
    /// Coils, function 01 (0xxxx in manuals).
    Coil,
    /// Discrete inputs, function 02 (1xxxx in manuals).
    Discrete,
    /// Input registers, function 04 (3xxxx in manuals).
    Input,
    /// Holding registers, function 03 (4xxxx in manuals).
    Holding,
}

impl RegisterKind {
    /// Whether the table holds bits (coils, discrete inputs) rather than registers.
    pub fn is_bits(self) -> bool {
        matches!(self, RegisterKind::Coil | RegisterKind::Discrete)
    }

    /// The Modbus function code that reads the table.
    pub fn function_code(self) -> u8 {
        match self {
            RegisterKind::Coil => 1,
            RegisterKind::Discrete => 2,
            RegisterKind::Holding => 3,
            RegisterKind::Input => 4,
        }
    }

    /// The first digit of the table in manual (Modicon) notation.
    pub fn prefix(self) -> u32 {
        match self {
            RegisterKind::Coil => 0,
            RegisterKind::Discrete => 1,
            RegisterKind::Input => 3,
            RegisterKind::Holding => 4,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RegisterKind::Coil => "coil",
            RegisterKind::Discrete => "discrete input",
            RegisterKind::Input => "input register",
            RegisterKind::Holding => "holding register",
        }
    }

    /// The table and 0-based address of a number in manual notation: 5 digits
    /// (40001 = holding register 0) or 6 digits (400001).
    pub fn from_manual(number: u32) -> Option<(RegisterKind, u16)> {
        let (prefix, offset) = if number >= 100_000 {
            (number / 100_000, number % 100_000)
        } else {
            (number / 10_000, number % 10_000)
        };
        let kind = match prefix {
            0 => RegisterKind::Coil,
            1 => RegisterKind::Discrete,
            3 => RegisterKind::Input,
            4 => RegisterKind::Holding,
            _ => return None,
        };
        let address = offset.checked_sub(1)?;
        u16::try_from(address).ok().map(|a| (kind, a))
    }

    /// The number in manual notation of a 0-based address: 5 digits while they suffice.
    pub fn manual(self, address: u16) -> u32 {
        let n = u32::from(address) + 1;
        if n <= 9999 {
            self.prefix() * 10_000 + n
        } else {
            self.prefix() * 100_000 + n
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DataType {
    /// A coil or discrete input: 0 or 1.
    Bool,
    /// One bit of a register (`bit`): 0 or 1.
    Bit,
    U16,
    I16,
    U32,
    I32,
    U64,
    I64,
    F32,
    F64,
    /// ASCII text in `length` registers, two characters each.
    String,
}

impl DataType {
    /// Number of registers (or bits, for bool) the type occupies; strings take their
    /// `length`.
    pub fn width(self, length: Option<u16>) -> u16 {
        match self {
            DataType::Bool | DataType::Bit | DataType::U16 | DataType::I16 => 1,
            DataType::U32 | DataType::I32 | DataType::F32 => 2,
            DataType::U64 | DataType::I64 | DataType::F64 => 4,
            DataType::String => length.unwrap_or(1),
        }
    }

    pub fn is_integer(self) -> bool {
        !matches!(self, DataType::F32 | DataType::F64 | DataType::String)
    }

    pub fn name(self) -> &'static str {
        match self {
            DataType::Bool => "bool",
            DataType::Bit => "bit",
            DataType::U16 => "u16",
            DataType::I16 => "i16",
            DataType::U32 => "u32",
            DataType::I32 => "i32",
            DataType::U64 => "u64",
            DataType::I64 => "i64",
            DataType::F32 => "f32",
            DataType::F64 => "f64",
            DataType::String => "string",
        }
    }
}

/// Byte and word order of a value of more than one byte, named by where the bytes of
/// the big-endian value ABCD (A the highest) travel on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Order {
    /// High word first, high byte first: the Modbus convention.
    #[default]
    #[serde(rename = "ABCD")]
    Abcd,
    /// Low word first, high byte first (common in meters and PLCs).
    #[serde(rename = "CDAB")]
    Cdab,
    /// High word first, bytes swapped within each word.
    #[serde(rename = "BADC")]
    Badc,
    /// Low word first, bytes swapped: fully little-endian.
    #[serde(rename = "DCBA")]
    Dcba,
}

impl Order {
    pub fn words_reversed(self) -> bool {
        matches!(self, Order::Cdab | Order::Dcba)
    }

    pub fn bytes_swapped(self) -> bool {
        matches!(self, Order::Badc | Order::Dcba)
    }
}

/// What a tag means for production figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TagRole {
    /// The machine's state; its value is looked up in the machine's state map.
    State,
    /// The machine's part counter; increments count as produced parts.
    Count,
    /// A run bit: not 0 is running, 0 is stopped (for a machine without a state tag).
    Run,
    /// A scrap counter: its increments count as scrapped parts.
    Scrap,
}

impl TagRole {
    pub fn name(self) -> &'static str {
        match self {
            TagRole::State => "state",
            TagRole::Count => "count",
            TagRole::Run => "run",
            TagRole::Scrap => "scrap",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Tag {
    /// Unique within its device.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The machine this tag describes, by key; the device's machine when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<TagRole>,
    /// Modbus: the table. May be left out when `register` gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<RegisterKind>,
    /// Modbus: 0-based address as sent on the wire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<u16>,
    /// Modbus: the number as printed in manuals (40001 = holding register at address 0).
    /// Also taken as a string, so coils can keep their leading zeros: "00001".
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "manual_number"
    )]
    pub register: Option<u32>,
    /// Modbus: how the registers hold the value.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub data_type: Option<DataType>,
    /// With type "bit": which bit of the register, 0 the least significant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bit: Option<u8>,
    /// With type "string": number of registers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u16>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub order: Order,
    /// serial-line: the named group of the device's pattern that holds the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default = "defaults::scale", skip_serializing_if = "defaults::is_one")]
    pub scale: f64,
    #[serde(default, skip_serializing_if = "defaults::is_zero")]
    pub offset: f64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// Poll interval of this tag; the device's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll_ms: Option<u64>,
    /// Which readings are stored (all are shown live).
    #[serde(default, skip_serializing_if = "is_default")]
    pub record: RecordMode,
    /// With record = "deadband" or "swinging_door": the change that counts, in the
    /// tag's unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadband: Option<f64>,
    /// With record = "deadband": the change that counts, in percent of the last stored
    /// value (instead of `deadband`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadband_percent: Option<f64>,
    /// Unless record = "every_poll": a reading is stored at least this often, so a
    /// steady value still shows that it was read. Default 60 s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_s: Option<u64>,
}

/// Which readings of a tag are stored. A change of quality is always stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RecordMode {
    /// Every reading.
    #[default]
    EveryPoll,
    /// A reading whose value differs from the last stored one.
    OnChange,
    /// A reading that moved more than the deadband from the last stored one.
    Deadband,
    /// Swinging-door compression with the deadband as the door's width: the stored
    /// points, joined by straight lines, stay within the deadband of every reading.
    SwingingDoor,
}

/// Heartbeat when the configuration gives none.
pub const DEFAULT_HEARTBEAT_S: u64 = 60;

/// Where a Modbus tag's value is: table, first address, width in registers or bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Location {
    pub kind: RegisterKind,
    pub address: u16,
    pub width: u16,
}

impl Tag {
    pub fn display_label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }

    pub fn effective_poll_ms(&self, device: &Device) -> u64 {
        self.poll_ms.unwrap_or(device.poll_ms)
    }

    /// The machine the tag describes: its own, or its device's.
    pub fn machine_key<'a>(&'a self, device: &'a Device) -> Option<&'a str> {
        self.machine.as_deref().or(device.machine.as_deref())
    }

    /// The Modbus location, from `function` and `address` or from `register`. `None`
    /// when neither says (a serial line tag, or a mistake `validate` reports).
    pub fn location(&self) -> Option<Location> {
        let (kind, address) = match (self.register, self.address) {
            (Some(r), _) => RegisterKind::from_manual(r)?,
            (None, Some(a)) => (self.function?, a),
            (None, None) => return None,
        };
        let data_type = self.data_type.unwrap_or(if kind.is_bits() {
            DataType::Bool
        } else {
            DataType::U16
        });
        Some(Location {
            kind,
            address,
            width: data_type.width(self.length),
        })
    }

    /// Longest time between stored samples while the device answers: the poll interval
    /// for every-poll tags, the heartbeat for the others. A longer time without a stored
    /// sample is a gap.
    pub fn storage_interval_ms(&self, device: &Device) -> i64 {
        let poll = self.effective_poll_ms(device) as i64;
        match self.record {
            RecordMode::EveryPoll => poll,
            _ => (self.heartbeat_s.unwrap_or(DEFAULT_HEARTBEAT_S) as i64 * 1000).max(poll),
        }
    }

    /// The type, with the default for the table: bool for bits, u16 for registers.
    pub fn effective_type(&self) -> DataType {
        match self.data_type {
            Some(t) => t,
            None => match self.location() {
                Some(l) if l.kind.is_bits() => DataType::Bool,
                _ => DataType::U16,
            },
        }
    }

    /// True when the value is text rather than a number.
    pub fn is_text(&self) -> bool {
        self.data_type == Some(DataType::String)
    }
}

/// A register number as an integer (40001) or, with the leading zeros manuals print for
/// coils, as a string of digits ("00001"; TOML integers cannot start with 0).
fn manual_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Int(u32),
        Text(String),
    }
    match Option::<Number>::deserialize(d)? {
        None => Ok(None),
        Some(Number::Int(n)) => Ok(Some(n)),
        Some(Number::Text(t)) => {
            let t = t.trim();
            if !t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit()) {
                Ok(Some(t.parse().map_err(serde::de::Error::custom)?))
            } else {
                Err(serde::de::Error::custom(format!(
                    "\"{t}\" is not a register number; write it as in the manual: 40001, 30001, 10001, or \"00001\" for coil 1"
                )))
            }
        }
    }
}

/// What an alarm rule watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AlarmKind {
    /// A tag's value above `limit` (cleared at or below `limit - deadband`).
    High,
    /// A tag's value below `limit` (cleared at or above `limit + deadband`).
    Low,
    /// A tag's value changing faster than `limit` units per minute, up or down.
    Rate,
    /// Bits of an integer tag (a PLC fault word or one alarm bit): one alarm per bit.
    Bit,
    /// A device not answering for `after_s` seconds.
    Offline,
    /// A tag without a good sample for `after_s` seconds.
    Stale,
    /// A machine stopped for `after_min` minutes with no reason given.
    StopWithoutReason,
    /// A machine running for `after_min` minutes while its counter does not advance.
    CounterStalled,
    /// A state word (a PLC's state or fault code): one alarm per listed value, active
    /// while the tag holds that value.
    State,
    /// Energy demand: the energy counted by `tag` (kWh) within the current demand
    /// interval of `interval_min` minutes, as average kW, above `limit`.
    Demand,
}

impl AlarmKind {
    pub fn name(self) -> &'static str {
        match self {
            AlarmKind::High => "high",
            AlarmKind::Low => "low",
            AlarmKind::Rate => "rate",
            AlarmKind::Bit => "bit",
            AlarmKind::Offline => "offline",
            AlarmKind::Stale => "stale",
            AlarmKind::StopWithoutReason => "stop_without_reason",
            AlarmKind::CounterStalled => "counter_stalled",
            AlarmKind::State => "state",
            AlarmKind::Demand => "demand",
        }
    }
}

/// How urgent an alarm is, most urgent first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Critical,
    High,
    #[default]
    Medium,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Critical,
        Priority::High,
        Priority::Medium,
        Priority::Low,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Priority::Critical => "critical",
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }

    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.name() == s)
    }
}

/// The text of one bit of a fault word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BitText {
    /// Bit number, 0 the least significant.
    pub bit: u8,
    /// What the bit means ("Motor overload").
    pub text: String,
}

/// The text of one value of a state word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ValueText {
    pub value: i64,
    /// What the value means ("Emergency stop").
    pub text: String,
}

/// One alarm rule of the plant configuration. Which fields it needs depends on `kind`;
/// `validate` says which are missing or do not belong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AlarmRule {
    /// Stable identifier: alarms keep it across restarts and configuration changes.
    pub key: String,
    /// What the alarm is called in lists ("Oil temperature high").
    pub name: String,
    pub kind: AlarmKind,
    /// The tag watched, as "device/tag" (high, low, rate, bit, stale).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The device watched (offline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// The machine watched (stop_without_reason, counter_stalled); for the other kinds
    /// the tag's or device's machine is taken when this is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// The limit: in the tag's unit (high, low), in the tag's unit per minute (rate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<f64>,
    /// Hysteresis: how far back past the limit the value must go to clear (high, low).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadband: Option<f64>,
    /// The condition must hold this long before the alarm is raised.
    #[serde(default, skip_serializing_if = "defaults::is_zero_f64")]
    pub on_delay_s: f64,
    /// The condition must be gone this long before the alarm clears.
    #[serde(default, skip_serializing_if = "defaults::is_zero_f64")]
    pub off_delay_s: f64,
    /// Seconds without an answer (offline) or a good sample (stale).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_s: Option<u64>,
    /// Minutes stopped without reason, or running without counting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_min: Option<u64>,
    /// The bits of a fault word (bit), each its own alarm with its own text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bits: Vec<BitText>,
    /// The values of a state word (state), each its own alarm with its own text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueText>,
    /// The demand interval in minutes (demand), aligned to the clock: 15 means :00,
    /// :15, :30, :45.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_min: Option<u64>,
    #[serde(default)]
    pub priority: Priority,
    /// The roles that receive the alarm.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// What to do when the alarm comes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub action: String,
    /// Escalation: while the alarm is active and not acknowledged, each time this many
    /// minutes pass since it was raised, it is mailed to the next role of
    /// `escalate_to`. Overrides `alarm_settings.escalation` for this rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalate_after_min: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalate_to: Vec<String>,
}

/// Escalation for the alarms of one priority (rules without their own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Escalation {
    pub priority: Priority,
    /// Minutes between steps: step 1 after this long unacknowledged, step 2 after twice...
    pub after_min: u64,
    /// The role each step notifies, in order.
    pub roles: Vec<String>,
}

/// How people may handle alarms, set by the admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AlarmSettings {
    /// Priorities whose alarms need a comment to be acknowledged.
    #[serde(default = "defaults::comment_required")]
    pub comment_required: Vec<Priority>,
    /// Roles that may shelve alarms.
    #[serde(default = "defaults::shelve_roles")]
    pub shelve_roles: Vec<String>,
    /// The longest time an alarm may be shelved, in minutes.
    #[serde(default = "defaults::shelve_max_min")]
    pub shelve_max_min: u64,
    /// Escalation per priority (a rule's own `escalate_to` takes precedence).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalation: Vec<Escalation>,
    /// Roles that get the daily digest: one mail a day with the previous day's alarms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub digest_roles: Vec<String>,
    /// When the digest goes, local "HH:MM".
    #[serde(default = "defaults::digest_at")]
    pub digest_at: String,
}

impl Default for AlarmSettings {
    fn default() -> Self {
        AlarmSettings {
            comment_required: defaults::comment_required(),
            shelve_roles: defaults::shelve_roles(),
            shelve_max_min: defaults::shelve_max_min(),
            escalation: Vec::new(),
            digest_roles: Vec::new(),
            digest_at: defaults::digest_at(),
        }
    }
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// The keys a section of the file accepts, for "did you mean" suggestions. A test in
/// `parse` checks each list against what the model writes.
pub(crate) trait Keys {
    const KEYS: &'static [&'static str];
}

impl Keys for Site {
    const KEYS: &'static [&'static str] = &["name", "timezone"];
}
impl Keys for Shift {
    const KEYS: &'static [&'static str] = &["name", "start", "end", "days", "breaks"];
}
impl Keys for Holiday {
    const KEYS: &'static [&'static str] = &["date", "name"];
}
impl Keys for Machine {
    const KEYS: &'static [&'static str] = &[
        "key",
        "name",
        "states",
        "line",
        "micro_stop_s",
        "running_when_counted_s",
    ];
}
impl Keys for AlarmRule {
    const KEYS: &'static [&'static str] = &[
        "key",
        "name",
        "kind",
        "tag",
        "device",
        "machine",
        "limit",
        "deadband",
        "on_delay_s",
        "off_delay_s",
        "after_s",
        "after_min",
        "bits",
        "values",
        "interval_min",
        "priority",
        "roles",
        "action",
        "escalate_after_min",
        "escalate_to",
    ];
}
impl Keys for AlarmSettings {
    const KEYS: &'static [&'static str] = &[
        "comment_required",
        "shelve_roles",
        "shelve_max_min",
        "escalation",
        "digest_roles",
        "digest_at",
    ];
}
impl Keys for Bus {
    const KEYS: &'static [&'static str] = &[
        "key",
        "name",
        "port",
        "baud",
        "parity",
        "data_bits",
        "stop_bits",
        "frame_gap_ms",
    ];
}
impl Keys for Device {
    const KEYS: &'static [&'static str] = &[
        "key",
        "name",
        "protocol",
        "host",
        "port",
        "bus",
        "unit_id",
        "timeout_ms",
        "poll_ms",
        "machine",
        "template",
        "max_gap",
        "max_registers",
        "max_bits",
        "pattern",
        "terminator",
        "max_line",
        "tags",
    ];
}
impl Keys for Tag {
    const KEYS: &'static [&'static str] = &[
        "name",
        "label",
        "machine",
        "role",
        "function",
        "address",
        "register",
        "type",
        "bit",
        "length",
        "order",
        "field",
        "scale",
        "offset",
        "unit",
        "poll_ms",
        "record",
        "deadband",
        "deadband_percent",
        "heartbeat_s",
    ];
}

pub(crate) mod defaults {
    pub fn unit_id() -> u8 {
        1
    }
    pub fn timeout_ms() -> u64 {
        1000
    }
    pub fn poll_ms() -> u64 {
        1000
    }
    pub fn scale() -> f64 {
        1.0
    }
    pub fn baud() -> u32 {
        9600
    }
    pub fn data_bits() -> u8 {
        8
    }
    pub fn stop_bits() -> u8 {
        1
    }
    pub fn max_registers() -> u16 {
        125
    }
    pub fn max_bits() -> u16 {
        2000
    }
    pub fn max_line() -> usize {
        256
    }
    pub fn is_zero_f64(v: &f64) -> bool {
        *v == 0.0
    }
    pub fn comment_required() -> Vec<super::Priority> {
        vec![super::Priority::Critical, super::Priority::High]
    }
    pub fn shelve_roles() -> Vec<String> {
        vec!["supervisor".to_string(), "admin".to_string()]
    }
    pub fn digest_at() -> String {
        "07:00".to_string()
    }

    pub fn shelve_max_min() -> u64 {
        480
    }
    pub fn is_one(v: &f64) -> bool {
        *v == 1.0
    }
    pub fn is_zero(v: &f64) -> bool {
        *v == 0.0
    }
    pub fn is_zero_u16(v: &u16) -> bool {
        *v == 0
    }
    pub fn is_eight(v: &u8) -> bool {
        *v == 8
    }
    pub fn is_one_u8(v: &u8) -> bool {
        *v == 1
    }
    pub fn is_max_registers(v: &u16) -> bool {
        *v == max_registers()
    }
    pub fn is_max_bits(v: &u16) -> bool {
        *v == max_bits()
    }
    pub fn is_max_line(v: &usize) -> bool {
        *v == max_line()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_notation() {
        assert_eq!(
            RegisterKind::from_manual(40001),
            Some((RegisterKind::Holding, 0))
        );
        assert_eq!(
            RegisterKind::from_manual(30010),
            Some((RegisterKind::Input, 9))
        );
        assert_eq!(
            RegisterKind::from_manual(10001),
            Some((RegisterKind::Discrete, 0))
        );
        assert_eq!(RegisterKind::from_manual(1), Some((RegisterKind::Coil, 0)));
        assert_eq!(
            RegisterKind::from_manual(465536),
            Some((RegisterKind::Holding, 65535))
        );
        assert_eq!(RegisterKind::from_manual(40000), None);
        assert_eq!(RegisterKind::from_manual(50001), None);
        assert_eq!(RegisterKind::Holding.manual(0), 40001);
        assert_eq!(RegisterKind::Input.manual(9998), 39999);
        assert_eq!(RegisterKind::Input.manual(9999), 310000);
    }

    #[test]
    fn a_coil_register_keeps_its_leading_zeros_as_a_string() {
        let t: Tag = toml::from_str("name = 'run'\nregister = '00017'\n").unwrap();
        assert_eq!(t.register, Some(17));
        assert_eq!(t.location().unwrap().kind, RegisterKind::Coil);
        assert_eq!(t.location().unwrap().address, 16);
        let t: Tag = toml::from_str("name = 'p'\nregister = 40001\n").unwrap();
        assert_eq!(t.location().unwrap().kind, RegisterKind::Holding);
        let bad = toml::from_str::<Tag>("name = 'p'\nregister = '4x001'\n").unwrap_err();
        assert!(bad.to_string().contains("\"00001\" for coil 1"), "{bad}");
    }

    #[test]
    fn frame_gap_follows_the_baud_rate() {
        let bus: Bus = toml::from_str("key = 'l'\nport = 'COM3'\n").unwrap();
        // 3.5 characters of 10 bits at 9600 baud
        assert!((bus.frame_gap().as_secs_f64() * 1000.0 - 3.6458).abs() < 0.001);
        let fast: Bus = toml::from_str("key = 'l'\nport = 'COM3'\nbaud = 115200\n").unwrap();
        assert_eq!(fast.frame_gap().as_secs_f64() * 1000.0, 1.75);
        assert_eq!(bus.settings(), "COM3 9600 8N1");
    }
}
