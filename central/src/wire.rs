//! What travels between a plant and the central server. A plant keeps its own copy of
//! these shapes (src/sync/wire.rs in the plant); the end-to-end tests hold the two
//! together.
//!
//! A batch is JSON, compressed with zstd, sent as the body of
//! `POST /api/v1/sites/{site}/batches` with `Authorization: Bearer <token>`,
//! `Content-Encoding: zstd` and `Plantlog-Checksum: <SHA-256 of the body, hex>`.

use serde::{Deserialize, Serialize};

/// One batch: every sample of the site with `from_ts <= ts < to_ts`, in columns.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    pub site: String,
    /// 1 for the site's first batch, then each one more than the one before.
    pub seq: i64,
    pub from_ts: i64,
    pub to_ts: i64,
    /// The tags the samples refer to.
    pub tags: Vec<TagInfo>,
    pub tag: Vec<i64>,
    pub ts: Vec<i64>,
    pub value: Vec<Option<f64>>,
    pub text: Vec<Option<String>>,
    pub quality: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TagInfo {
    pub id: i64,
    pub device: String,
    pub name: String,
    pub unit: String,
}

/// The central server's answer to a batch it applied (now or before).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Ack {
    pub site: String,
    pub seq: i64,
    /// The newest batch of the site applied: the high-water mark.
    pub acked_seq: i64,
    /// Every sample of the site with ts < acked_to_ts has arrived.
    pub acked_to_ts: i64,
    pub samples: i64,
    /// Samples of this batch that were not there before.
    pub new_samples: i64,
    /// The batch had been applied before (its acknowledgement was lost); nothing changed.
    pub replay: bool,
    /// The central server's clock, UTC milliseconds.
    pub server_ms: i64,
}

/// A refusal: `{code, message}`, with the expected sequence number when it is out of
/// order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Refusal {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_seq: Option<i64>,
}
