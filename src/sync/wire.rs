//! The shapes sent to the central server and its answers: the plant's copy of
//! central/src/wire.rs (the central crate is not a dependency of the plant; the
//! end-to-end tests in tests/sync.rs hold the two together).

use serde::{Deserialize, Serialize};

/// Every sample of the site with `from_ts <= ts < to_ts`, in columns.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Batch {
    pub site: String,
    pub seq: i64,
    pub from_ts: i64,
    pub to_ts: i64,
    pub tags: Vec<TagInfo>,
    pub tag: Vec<i64>,
    pub ts: Vec<i64>,
    pub value: Vec<Option<f64>>,
    pub text: Vec<Option<String>>,
    pub quality: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TagInfo {
    pub id: i64,
    pub device: String,
    pub name: String,
    pub unit: String,
}

/// The central server's acknowledgement.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Ack {
    pub site: String,
    pub seq: i64,
    pub acked_seq: i64,
    pub acked_to_ts: i64,
    pub samples: i64,
    pub new_samples: i64,
    pub replay: bool,
    pub server_ms: i64,
}

/// The central server's refusal.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Refusal {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub expected_seq: Option<i64>,
}
