//! Diagnostics of devices and buses for commissioning and maintenance: requests per
//! second, response time p50 and p95, errors by kind, the last error and when. What a
//! technician needs to tell a dead device from a bad cable from a wrong address.

use std::collections::{BTreeMap, VecDeque};
use std::sync::RwLock;

use serde::Serialize;

use crate::sample::{KeyMap, now_ms};

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// No answer within the timeout.
    Timeout,
    /// Bytes came back but their checksum was wrong (noise, a bad cable, two masters).
    Crc,
    /// Bytes came back that are not a whole Modbus frame, or noise around a good one.
    Framing,
    /// The device answered with a Modbus exception code.
    Exception(u8),
    /// An answer that belonged to another request (late, or from another unit).
    LateAnswer,
    /// The connection or port could not be opened, or broke.
    Connection,
    /// A serial line device sent a line that does not match its pattern.
    Malformed,
}

impl ErrorKind {
    pub fn name(&self) -> String {
        match self {
            ErrorKind::Timeout => "timeout".into(),
            ErrorKind::Crc => "crc".into(),
            ErrorKind::Framing => "framing".into(),
            ErrorKind::Exception(c) => format!("exception_{c}"),
            ErrorKind::LateAnswer => "late_answer".into(),
            ErrorKind::Connection => "connection".into(),
            ErrorKind::Malformed => "malformed".into(),
        }
    }
}

/// How many recent requests the rates and percentiles cover.
const WINDOW: usize = 512;
/// Requests per second are counted over this long.
const RATE_WINDOW_MS: i64 = 10_000;

#[derive(Debug, Default)]
struct Counters {
    requests: u64,
    answered: u64,
    errors: BTreeMap<ErrorKind, u64>,
    /// (time, response ms) of recent answered requests.
    recent: VecDeque<(i64, f64)>,
    /// Times of recent requests, answered or not.
    times: VecDeque<i64>,
    last_error: Option<(i64, ErrorKind, String)>,
    last_success_ms: Option<i64>,
    /// Lines read, for serial line devices.
    lines: u64,
}

impl Counters {
    fn request(&mut self, at: i64) {
        self.requests += 1;
        self.times.push_back(at);
        while self.times.len() > WINDOW
            || self.times.front().is_some_and(|t| *t < at - RATE_WINDOW_MS)
        {
            self.times.pop_front();
        }
    }

    fn answered(&mut self, at: i64, ms: f64) {
        self.answered += 1;
        self.last_success_ms = Some(at);
        self.recent.push_back((at, ms));
        if self.recent.len() > WINDOW {
            self.recent.pop_front();
        }
    }

    fn error(&mut self, at: i64, kind: ErrorKind, message: String) {
        *self.errors.entry(kind.clone()).or_default() += 1;
        self.last_error = Some((at, kind, message));
    }

    fn snapshot(&self, now: i64) -> Diagnostics {
        let mut times: Vec<f64> = self.recent.iter().map(|(_, ms)| *ms).collect();
        times.sort_by(f64::total_cmp);
        let pct = |p: f64| -> Option<f64> {
            if times.is_empty() {
                return None;
            }
            let i = ((times.len() as f64 - 1.0) * p).round() as usize;
            Some((times[i] * 100.0).round() / 100.0)
        };
        let span = self
            .times
            .front()
            .map(|t| (now - t).clamp(1000, RATE_WINDOW_MS))
            .unwrap_or(RATE_WINDOW_MS);
        let recent_requests = self
            .times
            .iter()
            .filter(|t| **t >= now - RATE_WINDOW_MS)
            .count();
        Diagnostics {
            requests: self.requests,
            answered: self.answered,
            requests_per_s: (recent_requests as f64 * 1000.0 / span as f64 * 100.0).round() / 100.0,
            response_p50_ms: pct(0.5),
            response_p95_ms: pct(0.95),
            errors: self.errors.iter().map(|(k, v)| (k.name(), *v)).collect(),
            last_error: self.last_error.as_ref().map(|(_, _, m)| m.clone()),
            last_error_kind: self.last_error.as_ref().map(|(_, k, _)| k.name()),
            last_error_ms: self.last_error.as_ref().map(|(t, _, _)| *t),
            last_success_ms: self.last_success_ms,
            lines: self.lines,
        }
    }
}

/// A snapshot for the API.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Diagnostics {
    pub requests: u64,
    pub answered: u64,
    pub requests_per_s: f64,
    pub response_p50_ms: Option<f64>,
    pub response_p95_ms: Option<f64>,
    /// Errors by kind: timeout, crc, framing, exception_N, late_answer, connection,
    /// malformed.
    pub errors: BTreeMap<String, u64>,
    pub last_error: Option<String>,
    /// The kind of the last error, as in `errors`.
    pub last_error_kind: Option<String>,
    pub last_error_ms: Option<i64>,
    pub last_success_ms: Option<i64>,
    /// Lines read (serial line devices).
    pub lines: u64,
}

/// Diagnostics of every device and bus, by key.
#[derive(Debug, Default)]
pub struct DiagBoard {
    devices: RwLock<KeyMap<Counters>>,
    buses: RwLock<KeyMap<Counters>>,
}

impl DiagBoard {
    fn both(&self, device: &str, bus: &str, f: impl Fn(&mut Counters)) {
        for (map, key) in [(&self.devices, device), (&self.buses, bus)] {
            let mut map = map.write().unwrap_or_else(|e| e.into_inner());
            match map.get_mut(key) {
                Some(c) => f(c),
                None => f(map.entry(key.to_string()).or_default()),
            }
        }
    }

    /// A request to `device` on `bus` was answered after `ms`.
    pub fn answered(&self, device: &str, bus: &str, ms: f64) {
        let at = now_ms();
        self.both(device, bus, |c| {
            c.request(at);
            c.answered(at, ms);
        });
    }

    /// A request failed; an exception counts as answered (the link works).
    pub fn failed(&self, device: &str, bus: &str, kind: ErrorKind, message: &str, ms: Option<f64>) {
        let at = now_ms();
        self.both(device, bus, |c| {
            c.request(at);
            if let Some(ms) = ms {
                c.answered(at, ms);
            }
            c.error(at, kind.clone(), message.to_string());
        });
    }

    /// An error outside a request (a port that cannot be opened, a malformed line).
    pub fn error(&self, device: &str, bus: &str, kind: ErrorKind, message: &str) {
        let at = now_ms();
        self.both(device, bus, |c| {
            c.error(at, kind.clone(), message.to_string())
        });
    }

    /// An error of one device only (its link failed on another device's request): the
    /// bus counted that request already.
    pub fn device_error(&self, device: &str, kind: ErrorKind, message: &str) {
        let at = now_ms();
        let mut map = self.devices.write().unwrap_or_else(|e| e.into_inner());
        map.entry(device.to_string())
            .or_default()
            .error(at, kind, message.to_string());
    }

    /// A serial line device read a line.
    pub fn line(&self, device: &str, bus: &str, good: bool) {
        let at = now_ms();
        self.both(device, bus, |c| {
            c.lines += 1;
            if good {
                c.last_success_ms = Some(at);
            }
        });
    }

    pub fn device(&self, key: &str) -> Option<Diagnostics> {
        let now = now_ms();
        self.devices
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .map(|c| c.snapshot(now))
    }

    pub fn bus(&self, key: &str) -> Option<Diagnostics> {
        let now = now_ms();
        self.buses
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .map(|c| c.snapshot(now))
    }

    /// Forgets devices and buses no longer configured.
    pub fn retain(&self, devices: &[&str], buses: &[&str]) {
        self.devices
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|k, _| devices.contains(&k.as_str()));
        self.buses
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|k, _| buses.contains(&k.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_and_errors_by_kind() {
        let b = DiagBoard::default();
        for i in 1..=100 {
            b.answered("d", "bus", f64::from(i));
        }
        b.failed("d", "bus", ErrorKind::Timeout, "no answer", None);
        b.failed(
            "d",
            "bus",
            ErrorKind::Exception(2),
            "exception 2",
            Some(3.0),
        );
        let d = b.device("d").unwrap();
        assert_eq!(d.requests, 102);
        assert_eq!(d.response_p50_ms, Some(50.0));
        assert_eq!(d.response_p95_ms, Some(95.0));
        assert_eq!(d.errors["timeout"], 1);
        assert_eq!(d.errors["exception_2"], 1);
        assert_eq!(d.last_error.as_deref(), Some("exception 2"));
        assert_eq!(b.bus("bus").unwrap().requests, 102);
    }
}
