//! Per-device status for the devices page: online, answering with errors, offline;
//! last success, last error, response time, counts of requests and errors.
//!
//! "Online" means the device answers with data. A device that answers every request
//! with a Modbus exception is reachable but gives nothing: it is "errors" (answering
//! with errors), never online. Every device on a shared address or line has its own
//! status: an outage of the link marks each of them offline with the error.

use std::sync::RwLock;

use serde::Serialize;

use crate::sample::{KeyMap, now_ms};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// No attempt finished yet.
    Connecting,
    /// Answered with data lately.
    Online,
    /// Answers, but only with Modbus exceptions: no data within the recent window.
    Errors,
    /// The last connection attempt or request failed.
    Offline,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DeviceStatus {
    pub state: LinkState,
    pub last_success_ms: Option<i64>,
    pub last_error: Option<String>,
    pub last_error_ms: Option<i64>,
    /// Response time of the last answered request.
    pub response_ms: Option<f64>,
    pub requests: u64,
    pub errors: u64,
}

impl Default for DeviceStatus {
    fn default() -> Self {
        DeviceStatus {
            state: LinkState::Connecting,
            last_success_ms: None,
            last_error: None,
            last_error_ms: None,
            response_ms: None,
            requests: 0,
            errors: 0,
        }
    }
}

/// The status of every device, by device key.
#[derive(Debug, Default)]
pub struct StatusBoard {
    devices: RwLock<KeyMap<DeviceStatus>>,
}

impl StatusBoard {
    fn with(&self, key: &str, f: impl FnOnce(&mut DeviceStatus)) {
        let mut map = self.devices.write().unwrap_or_else(|e| e.into_inner());
        match map.get_mut(key) {
            Some(s) => f(s),
            None => f(map.entry(key.to_string()).or_default()),
        }
    }

    /// A request was answered with data.
    pub fn success(&self, key: &str, response_ms: f64) {
        self.with(key, |s| {
            s.state = LinkState::Online;
            s.last_success_ms = Some(now_ms());
            s.response_ms = Some(response_ms);
            s.requests += 1;
        });
    }

    /// A request was answered with a Modbus exception: the link works, the request
    /// does not. The device stays online when it answered another request with data
    /// within `window_ms`; otherwise it is answering with errors.
    pub fn exception(&self, key: &str, response_ms: f64, message: String, window_ms: i64) {
        let now = now_ms();
        self.with(key, |s| {
            s.state = if s.last_success_ms.is_some_and(|t| now - t <= window_ms) {
                LinkState::Online
            } else {
                LinkState::Errors
            };
            s.response_ms = Some(response_ms);
            s.requests += 1;
            s.errors += 1;
            s.last_error = Some(message);
            s.last_error_ms = Some(now);
        });
    }

    /// A connection attempt or request failed.
    pub fn failure(&self, key: &str, message: String, was_request: bool) {
        self.with(key, |s| {
            s.state = LinkState::Offline;
            if was_request {
                s.requests += 1;
            }
            s.errors += 1;
            s.last_error = Some(message);
            s.last_error_ms = Some(now_ms());
        });
    }

    pub fn get(&self, key: &str) -> DeviceStatus {
        self.devices
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
            .unwrap_or_default()
    }

    /// Forgets devices that are no longer configured.
    pub fn retain(&self, keys: &[&str]) {
        self.devices
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|k, _| keys.contains(&k.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_that_only_answers_with_exceptions_is_not_online() {
        let b = StatusBoard::default();
        b.exception("a", 3.0, "exception 2: illegal data address".into(), 2000);
        let s = b.get("a");
        assert_eq!(s.state, LinkState::Errors);
        assert_eq!((s.requests, s.errors), (1, 1));
        // Data from another request keeps it online through an exception of one.
        b.success("a", 2.0);
        b.exception("a", 3.0, "exception 2: illegal data address".into(), 2000);
        assert_eq!(b.get("a").state, LinkState::Online);
        // Data older than the window: answering with errors again.
        b.exception("a", 3.0, "exception 2: illegal data address".into(), -1);
        assert_eq!(b.get("a").state, LinkState::Errors);
        b.failure("a", "connection lost".into(), true);
        assert_eq!(b.get("a").state, LinkState::Offline);
    }
}
