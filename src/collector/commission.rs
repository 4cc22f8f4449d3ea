//! Commissioning: reading one tag or register now, showing the raw registers beside the
//! decoded value, and scanning a line for the unit ids that answer. One path for the
//! API (through the running bus task when one owns the line, else a link of its own)
//! and the command line (always a link of its own): [`TestRead`] and [`ScanRequest`]
//! say what to do, [`read`] and [`scan_line`] do it.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::bus::Job;
use super::decode;
use super::diag::ErrorKind;
use super::link::{Exchange, Link, LinkSpec, Reply};
use super::plausible::{self, Context, Finding, RawRead};
use crate::config::{DataType, Device, Order, PlantConfig, RegisterKind, Tag};
use crate::sample::Value;

/// One read to make.
#[derive(Debug, Clone)]
pub struct ReadSpec {
    pub unit: u8,
    pub kind: RegisterKind,
    pub address: u16,
    pub count: u16,
    pub timeout: Duration,
}

impl ReadSpec {
    /// The read of one tag.
    pub fn of_tag(tag: &Tag, unit: u8, timeout: Duration) -> Option<ReadSpec> {
        let loc = tag.location()?;
        Some(ReadSpec {
            unit,
            kind: loc.kind,
            address: loc.address,
            count: loc.width,
            timeout,
        })
    }

    /// "holding register 40001 (address 0), 2 registers, function 03, unit 1".
    pub fn describe(&self) -> String {
        let what = if self.kind.is_bits() {
            if self.count == 1 { "bit" } else { "bits" }
        } else if self.count == 1 {
            "register"
        } else {
            "registers"
        };
        format!(
            "{} {} (address {}), {} {what}, function {:02}, unit {}",
            self.kind.name(),
            self.kind.manual(self.address),
            self.address,
            self.count,
            self.kind.function_code(),
            self.unit
        )
    }
}

/// Why a commissioning request cannot be carried out; each says what to give instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommissionError {
    #[error(
        "a serial line device prints its readings itself; see its diagnostics for the lines it sent"
    )]
    NotModbus,
    #[error("the device has no tag \"{0}\"")]
    NoSuchTag(String),
    #[error("the tag has no Modbus address")]
    TagWithoutAddress,
    #[error("give a tag, or register (as in the manual), or function and address")]
    NoAddress,
    #[error("{0} is not a register number as manuals write them (40001, 30001, 10001, 00001)")]
    BadRegister(u32),
    #[error("the device's serial line is not configured")]
    NoLine,
}

impl CommissionError {
    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            CommissionError::NotModbus => "not_modbus",
            CommissionError::NoSuchTag(_) => "not_found",
            CommissionError::TagWithoutAddress | CommissionError::NoAddress => "no_address",
            CommissionError::BadRegister(_) => "bad_register",
            CommissionError::NoLine => "not_found",
        }
    }
}

/// Where registers are: as in manuals (40001), or the table and the 0-based address on
/// the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Address {
    Manual(u32),
    Wire(RegisterKind, u16),
}

impl Address {
    pub fn resolve(self) -> Result<(RegisterKind, u16), CommissionError> {
        match self {
            Address::Manual(r) => {
                RegisterKind::from_manual(r).ok_or(CommissionError::BadRegister(r))
            }
            Address::Wire(kind, address) => Ok((kind, address)),
        }
    }
}

/// Registers to read now, decoded as `data_type` in `order`.
#[derive(Debug, Clone)]
pub struct AdhocRead {
    pub unit: u8,
    pub address: Address,
    /// Default: bool for coils and discrete inputs, u16 for registers.
    pub data_type: Option<DataType>,
    pub order: Order,
    pub bit: Option<u8>,
    /// Registers (or bits) to read; default: as many as the type needs.
    pub count: Option<u16>,
    pub timeout: Duration,
}

impl AdhocRead {
    /// The read to make and the tag that decodes it.
    pub fn plan(&self) -> Result<(ReadSpec, Tag), CommissionError> {
        let (kind, address) = self.address.resolve()?;
        let data_type = self.data_type.unwrap_or(if kind.is_bits() {
            DataType::Bool
        } else {
            DataType::U16
        });
        let count = self
            .count
            .unwrap_or(data_type.width(None))
            .clamp(1, if kind.is_bits() { 2000 } else { 125 });
        let tag = adhoc_tag(kind, address, data_type, self.order, self.bit, Some(count));
        let spec = ReadSpec {
            unit: self.unit,
            kind,
            address,
            count,
            timeout: self.timeout,
        };
        Ok((spec, tag))
    }
}

/// A test read on a configured device's line, as the API takes it: one of its tags
/// (decoded as configured), or registers given here.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
pub struct TestRead {
    /// The device whose line (and unit id, unless `unit` is given) to use.
    pub device: String,
    /// Read this tag of the device, decoded as configured.
    pub tag: Option<String>,
    pub unit: Option<u8>,
    pub function: Option<RegisterKind>,
    pub address: Option<u16>,
    /// As in manuals, instead of function and address.
    pub register: Option<u32>,
    pub count: Option<u16>,
    #[serde(rename = "type")]
    pub data_type: Option<DataType>,
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<Order>", optional))]
    pub order: Order,
    pub bit: Option<u8>,
    /// With type "string": registers of text.
    pub length: Option<u16>,
    /// Scale and offset of the value (`raw * scale + offset`), as the tag would have.
    pub scale: Option<f64>,
    pub offset: Option<f64>,
    /// The engineering unit of the value (°C is judged as a temperature).
    pub value_unit: Option<String>,
    /// What the value means (a counter is judged for jumps).
    pub role: Option<crate::config::TagRole>,
    pub timeout_ms: Option<u64>,
    /// Earlier reads of the same registers (oldest first), to judge how the value moves.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<Vec<EarlierRead>>", optional))]
    pub previous: Vec<EarlierRead>,
}

/// An earlier read of the same registers, as a test read returned them.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EarlierRead {
    /// When it was read, ms since 1970 (UTC).
    pub ms: i64,
    pub raw: Vec<u16>,
}

/// The timeout of a test read through a running line: as asked (the device's own when
/// not), but no longer than twice the device's own or a second, whichever is longer, and
/// never over ten seconds, so a test read cannot hold the line's polls up for long.
pub fn capped_timeout_ms(asked: Option<u64>, device_ms: u64) -> u64 {
    let cap = device_ms.saturating_mul(2).clamp(1000, 10_000);
    asked.unwrap_or(device_ms).clamp(50, cap)
}

impl TestRead {
    /// The read to make on `device` and the tag that decodes it.
    pub fn plan(&self, device: &Device) -> Result<(ReadSpec, Tag), CommissionError> {
        if !device.protocol.is_modbus() {
            return Err(CommissionError::NotModbus);
        }
        let timeout = Duration::from_millis(
            self.timeout_ms
                .unwrap_or(device.timeout_ms)
                .clamp(50, 60_000),
        );
        let unit = self.unit.unwrap_or(device.unit_id);
        if let Some(name) = &self.tag {
            let tag = device
                .tags
                .iter()
                .find(|t| &t.name == name)
                .ok_or_else(|| CommissionError::NoSuchTag(name.clone()))?
                .clone();
            let spec =
                ReadSpec::of_tag(&tag, unit, timeout).ok_or(CommissionError::TagWithoutAddress)?;
            return Ok((spec, tag));
        }
        let address = match (self.register, self.function, self.address) {
            (Some(r), _, _) => Address::Manual(r),
            (None, Some(f), Some(a)) => Address::Wire(f, a),
            _ => return Err(CommissionError::NoAddress),
        };
        let count = self.count.or_else(|| {
            (self.data_type == Some(DataType::String)).then(|| self.length.unwrap_or(1))
        });
        let (spec, mut tag) = AdhocRead {
            unit,
            address,
            data_type: self.data_type,
            order: self.order,
            bit: self.bit,
            count,
            timeout,
        }
        .plan()?;
        tag.scale = self.scale.unwrap_or(1.0);
        tag.offset = self.offset.unwrap_or(0.0);
        tag.unit = self.value_unit.clone().unwrap_or_default();
        tag.role = self.role;
        if tag.data_type == Some(DataType::String) {
            tag.length = Some(spec.count);
        }
        Ok((spec, tag))
    }

    /// Judges a read's value with the earlier reads of the same registers (see
    /// [`plausible`](super::plausible)): what looks wrong lands in `result.findings`.
    pub fn judge(&self, result: &mut ReadResult, tag: &Tag, now_ms: i64, ctx: &Context) {
        if result.quality != "good" || tag.is_text() || result.raw.is_empty() {
            return;
        }
        let mut reads: Vec<RawRead> = self
            .previous
            .iter()
            .rev()
            .take(20)
            .rev()
            .filter(|p| p.raw.len() == result.raw.len())
            .map(|p| RawRead {
                ms: p.ms,
                words: p.raw.clone(),
            })
            .collect();
        reads.push(RawRead {
            ms: now_ms,
            words: result.raw.clone(),
        });
        result.findings = plausible::judge_reads(tag, &reads, ctx);
    }
}

/// A scan of a line for the unit ids that answer.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
pub struct ScanRequest {
    pub from: Option<u8>,
    pub to: Option<u8>,
    /// The register asked of each unit, as in manuals; 40001 unless given.
    pub register: Option<u32>,
    pub timeout_ms: Option<u64>,
}

/// What a scan asked and found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ScanReport {
    /// The line, in words.
    pub line: String,
    pub asked: String,
    pub found: Vec<ScanHit>,
}

impl ScanRequest {
    /// Scans through `via`, calling `progress(unit)` before each unit.
    pub async fn run(
        &self,
        via: &mut Via<'_>,
        line: String,
        progress: impl FnMut(u8),
    ) -> Result<ScanReport, CommissionError> {
        let register = self.register.unwrap_or(40001);
        let (kind, address) = Address::Manual(register).resolve()?;
        let from = self.from.unwrap_or(1).max(1);
        let to = self.to.unwrap_or(247).clamp(from, 247);
        let timeout = Duration::from_millis(self.timeout_ms.unwrap_or(200).clamp(20, 1000));
        let found = scan(via, from..=to, kind, address, timeout, progress).await;
        Ok(ScanReport {
            line,
            asked: format!(
                "{} {} of units {from} to {to}, {} ms each",
                kind.name(),
                kind.manual(address),
                timeout.as_millis()
            ),
            found,
        })
    }
}

/// A link of its own to `device`'s line, for when no bus task owns it.
pub fn own_link(config: &PlantConfig, device: &Device) -> Result<Link, CommissionError> {
    LinkSpec::of_device(config, device)
        .map(|s| s.link())
        .ok_or(CommissionError::NoLine)
}

/// Reads `spec` through `via` and decodes it as `tag`.
pub async fn read(via: &mut Via<'_>, spec: &ReadSpec, tag: Option<&Tag>) -> ReadResult {
    let ex = via.read(spec).await;
    result(spec, ex, tag)
}

/// Where a commissioning read goes: the running bus task's queue, or a link of its own.
pub enum Via<'a> {
    Bus(&'a mpsc::Sender<Job>),
    Link(&'a mut Link),
}

impl Via<'_> {
    pub async fn read(&mut self, spec: &ReadSpec) -> Option<Exchange> {
        match self {
            Via::Bus(jobs) => {
                super::read_through(
                    jobs,
                    spec.unit,
                    spec.kind,
                    spec.address,
                    spec.count,
                    spec.timeout,
                )
                .await
            }
            Via::Link(link) => Some(
                link.read(spec.unit, spec.kind, spec.address, spec.count, spec.timeout)
                    .await,
            ),
        }
    }
}

/// What a test read showed.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReadResult {
    /// What was asked, in words.
    pub request: String,
    /// The registers (or bits as 0/1) as they came.
    pub raw: Vec<u16>,
    /// The same, in hexadecimal.
    pub raw_hex: Vec<String>,
    /// The decoded value, when a tag or a type was given.
    pub value: Option<f64>,
    pub text: Option<String>,
    /// good, no_answer, exception, bad_value.
    #[cfg_attr(
        test,
        ts(type = r#""good" | "no_answer" | "stale" | "bad_value" | "exception""#)
    )]
    pub quality: &'static str,
    pub exception_code: Option<u8>,
    pub response_ms: f64,
    pub error: Option<String>,
    pub error_kind: Option<String>,
    /// The same registers decoded under each word order that gives a different value
    /// for the type, so the right order is picked by looking.
    pub orders: Vec<OrderValue>,
    /// What looks wrong about the value (and the earlier reads), with the likely cause.
    pub findings: Vec<Finding>,
}

/// The registers of a test read decoded under one word order.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct OrderValue {
    pub order: Order,
    pub value: Option<f64>,
    pub text: Option<String>,
}

/// A read's result, decoded as `tag` says (or as raw registers only).
pub fn result(spec: &ReadSpec, ex: Option<Exchange>, tag: Option<&Tag>) -> ReadResult {
    let mut r = ReadResult {
        request: spec.describe(),
        raw: Vec::new(),
        raw_hex: Vec::new(),
        value: None,
        text: None,
        quality: "no_answer",
        exception_code: None,
        response_ms: 0.0,
        error: None,
        error_kind: None,
        orders: Vec::new(),
        findings: Vec::new(),
    };
    let Some(ex) = ex else {
        r.error = Some("the line's task stopped; try again".into());
        return r;
    };
    r.response_ms = (ex.elapsed.as_secs_f64() * 100_000.0).round() / 100.0;
    match ex.result {
        Ok(Reply::Words(words)) => {
            r.raw_hex = words.iter().map(|w| format!("0x{w:04X}")).collect();
            r.quality = "good";
            if let Some(tag) = tag {
                match decode::value(&words, tag) {
                    Some(Value::Number(v)) => r.value = Some(v),
                    Some(Value::Text(t)) => r.text = Some(t.to_string()),
                    None => r.quality = "bad_value",
                }
                r.orders = plausible::orders_for(tag.effective_type())
                    .iter()
                    .map(|&order| {
                        let mut t = tag.clone();
                        t.order = order;
                        let v = decode::value(&words, &t);
                        OrderValue {
                            order,
                            value: match &v {
                                Some(Value::Number(n)) => Some(*n),
                                _ => None,
                            },
                            text: match v {
                                Some(Value::Text(s)) => Some(s.to_string()),
                                _ => None,
                            },
                        }
                    })
                    .collect();
            }
            r.raw = words;
        }
        Err(f) => {
            if let ErrorKind::Exception(code) = f.kind {
                r.quality = "exception";
                r.exception_code = Some(code);
            }
            r.error_kind = Some(f.kind.name());
            r.error = Some(f.message);
        }
    }
    r
}

/// A tag made from ad-hoc read settings, for decoding a test read.
pub fn adhoc_tag(
    kind: RegisterKind,
    address: u16,
    data_type: DataType,
    order: Order,
    bit: Option<u8>,
    length: Option<u16>,
) -> Tag {
    Tag {
        name: "test".into(),
        label: None,
        machine: None,
        role: None,
        function: Some(kind),
        address: Some(address),
        register: None,
        data_type: Some(data_type),
        bit,
        length,
        order,
        field: None,
        scale: 1.0,
        offset: 0.0,
        unit: String::new(),
        poll_ms: None,
        record: Default::default(),
        deadband: None,
        deadband_percent: None,
        heartbeat_s: None,
    }
}

/// One unit id's answer in a scan.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ScanHit {
    pub unit: u8,
    /// "answered" (data), "exception" (the unit is there but refused the read).
    #[cfg_attr(test, ts(type = r#""answered" | "exception""#))]
    pub answer: &'static str,
    pub exception_code: Option<u8>,
    pub response_ms: f64,
}

/// Asks each unit id in `units` for `count` registers at `address` of `kind`; any
/// answer, an exception included, means a device is there. Calls `progress(unit)` before
/// each.
pub async fn scan(
    via: &mut Via<'_>,
    units: std::ops::RangeInclusive<u8>,
    kind: RegisterKind,
    address: u16,
    timeout: Duration,
    mut progress: impl FnMut(u8),
) -> Vec<ScanHit> {
    let mut hits = Vec::new();
    for unit in units {
        progress(unit);
        let spec = ReadSpec {
            unit,
            kind,
            address,
            count: 1,
            timeout,
        };
        let Some(ex) = via.read(&spec).await else {
            break;
        };
        let response_ms = (ex.elapsed.as_secs_f64() * 100_000.0).round() / 100.0;
        match ex.result {
            Ok(_) => hits.push(ScanHit {
                unit,
                answer: "answered",
                exception_code: None,
                response_ms,
            }),
            Err(f) => {
                if let ErrorKind::Exception(code) = f.kind {
                    hits.push(ScanHit {
                        unit,
                        answer: "exception",
                        exception_code: Some(code),
                        response_ms,
                    });
                }
            }
        }
    }
    hits
}
