//! Per-device status for the devices page: online or not, last success, last error,
//! response time, counts of requests and errors.

use std::sync::RwLock;

use serde::Serialize;

use crate::sample::{KeyMap, now_ms};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// No attempt finished yet.
    Connecting,
    /// The last request was answered (with data or an exception).
    Online,
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
    /// does not.
    pub fn exception(&self, key: &str, response_ms: f64, message: String) {
        self.with(key, |s| {
            s.state = LinkState::Online;
            s.response_ms = Some(response_ms);
            s.requests += 1;
            s.errors += 1;
            s.last_error = Some(message);
            s.last_error_ms = Some(now_ms());
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
