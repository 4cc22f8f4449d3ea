//! The plant model as the TOML file and the running core see it: site, shifts,
//! machines, devices and their tags. Defaults live here and nowhere else.
//!
//! This module only describes shapes; checking them is `validate`'s job and reading
//! them from text is `parse`'s.

use serde::{Deserialize, Serialize};

/// The whole plant model, as imported from and exported to a TOML file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlantConfig {
    pub site: Site,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<Shift>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub machines: Vec<Machine>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<Device>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub name: String,
    /// IANA time zone name of the plant, e.g. "Europe/Berlin". Shift boundaries,
    /// reports and the UI use it; everything stored is UTC.
    pub timezone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    pub name: String,
    /// Local start time, "HH:MM".
    pub start: String,
    /// Local end time, "HH:MM"; an end before the start means the shift runs past
    /// midnight.
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// Stable identifier used in URLs and references; lowercase letters, digits, '-'
    /// and '_'.
    pub key: String,
    pub name: String,
    /// How the value of the machine's state tag maps to a state. When empty the
    /// standard map applies: see [`Machine::state_map`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub states: Vec<StateDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateDef {
    pub value: i64,
    pub label: String,
    pub kind: StateKind,
}

/// What a machine state means for colours, downtime and OEE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// The protocol a device is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Protocol {
    #[serde(rename = "modbus-tcp")]
    ModbusTcp,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::ModbusTcp => "modbus-tcp",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// Stable identifier; tags are known by (device key, tag name).
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub protocol: Protocol,
    pub host: String,
    #[serde(default = "defaults::port")]
    pub port: u16,
    /// Modbus unit id (slave address); 1 unless a gateway needs another.
    #[serde(default = "defaults::unit_id")]
    pub unit_id: u8,
    /// How long to wait for one answer.
    #[serde(default = "defaults::timeout_ms")]
    pub timeout_ms: u64,
    /// Poll interval of the device's tags unless a tag sets its own.
    #[serde(default = "defaults::poll_ms")]
    pub poll_ms: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

impl Device {
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.key
        } else {
            &self.name
        }
    }

    pub fn endpoint(&self) -> String {
        format!("{}:{} unit {}", self.host, self.port, self.unit_id)
    }
}

/// The Modbus table a tag is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterKind {
    /// Holding registers, function 03 (4xxxx in manuals).
    Holding,
    /// Input registers, function 04 (3xxxx in manuals).
    Input,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataType {
    U16,
    I16,
    U32,
    I32,
    F32,
}

impl DataType {
    /// Number of 16-bit registers the type occupies.
    pub fn registers(self) -> u16 {
        match self {
            DataType::U16 | DataType::I16 => 1,
            DataType::U32 | DataType::I32 | DataType::F32 => 2,
        }
    }

    pub fn is_integer(self) -> bool {
        !matches!(self, DataType::F32)
    }
}

/// Order of the 16-bit words of a 32-bit value. Bytes within a word are always
/// big-endian, as Modbus defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WordOrder {
    /// High word first (ABCD), the Modbus convention.
    #[default]
    Big,
    /// Low word first (CDAB), common in meters and PLCs.
    Little,
}

/// What a tag means for production figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagRole {
    /// The machine's state; its value is looked up in the machine's state map.
    State,
    /// The machine's part counter; increments count as produced parts.
    Count,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// Unique within its device.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The machine this tag describes, by key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<TagRole>,
    pub function: RegisterKind,
    /// 0-based register address, as sent on the wire.
    pub address: u16,
    #[serde(rename = "type")]
    pub data_type: DataType,
    #[serde(default, skip_serializing_if = "is_default")]
    pub word_order: WordOrder,
    #[serde(default = "defaults::scale", skip_serializing_if = "defaults::is_one")]
    pub scale: f64,
    #[serde(default, skip_serializing_if = "defaults::is_zero")]
    pub offset: f64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// Poll interval of this tag; the device's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll_ms: Option<u64>,
}

impl Tag {
    pub fn display_label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }

    pub fn effective_poll_ms(&self, device: &Device) -> u64 {
        self.poll_ms.unwrap_or(device.poll_ms)
    }
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
    const KEYS: &'static [&'static str] = &["name", "start", "end"];
}
impl Keys for Machine {
    const KEYS: &'static [&'static str] = &["key", "name", "states"];
}
impl Keys for Device {
    const KEYS: &'static [&'static str] = &[
        "key",
        "name",
        "protocol",
        "host",
        "port",
        "unit_id",
        "timeout_ms",
        "poll_ms",
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
        "type",
        "word_order",
        "scale",
        "offset",
        "unit",
        "poll_ms",
    ];
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

pub(crate) mod defaults {
    pub fn port() -> u16 {
        502
    }
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
    pub fn is_one(v: &f64) -> bool {
        *v == 1.0
    }
    pub fn is_zero(v: &f64) -> bool {
        *v == 0.0
    }
}
