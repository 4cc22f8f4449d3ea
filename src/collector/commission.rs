//! Commissioning: reading one tag or register now, showing the raw registers beside the
//! decoded value, and scanning a line for the unit ids that answer. Used by the API
//! (through the running bus task when one owns the line) and by the command line
//! (with a link of its own).

use std::time::Duration;

use serde::Serialize;
use tokio::sync::mpsc;

use super::bus::Job;
use super::decode;
use super::diag::ErrorKind;
use super::link::{Exchange, Link, Reply};
use crate::config::{DataType, Order, RegisterKind, Tag};
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
    pub quality: &'static str,
    pub exception_code: Option<u8>,
    pub response_ms: f64,
    pub error: Option<String>,
    pub error_kind: Option<String>,
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
pub struct ScanHit {
    pub unit: u8,
    /// "answered" (data), "exception" (the unit is there but refused the read).
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
