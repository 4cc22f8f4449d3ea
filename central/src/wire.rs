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

/// Streams beyond raw samples the central server stores.
pub const STREAMS: &[&str] = &["rollups", "production", "audit", "config"];

/// A batch of one stream: rows with `from_pos <= position < to_pos` (rollups: hours;
/// production: change times; audit and config: row ids). Sent to
/// `POST /api/v1/sites/{site}/streams/{stream}/batches`, compressed and checksummed as a
/// raw samples' batch is.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StreamBatch {
    pub site: String,
    pub stream: String,
    pub seq: i64,
    pub from_pos: i64,
    pub to_pos: i64,
    #[serde(default)]
    pub tags: Vec<TagInfo>,
    #[serde(default)]
    pub minutes: Option<RollupCols>,
    #[serde(default)]
    pub hours: Option<RollupCols>,
    #[serde(default)]
    pub records: Vec<Record>,
}

/// Rollups in columns (see the table rollups_1m).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RollupCols {
    pub tag: Vec<i64>,
    pub t: Vec<i64>,
    pub first_ts: Vec<Option<i64>>,
    pub first: Vec<Option<f64>>,
    pub last_ts: Vec<Option<i64>>,
    pub last: Vec<Option<f64>>,
    pub min_ts: Vec<Option<i64>>,
    pub min: Vec<Option<f64>>,
    pub max_ts: Vec<Option<i64>>,
    pub max: Vec<Option<f64>>,
    pub sum: Vec<f64>,
    pub twa_sum: Vec<f64>,
    pub twa_ms: Vec<i64>,
    pub good: Vec<i64>,
    pub bad: Vec<i64>,
}

impl RollupCols {
    /// Whether every column has as many rows as `t`.
    pub fn consistent(&self) -> bool {
        let n = self.t.len();
        [
            self.tag.len(),
            self.first_ts.len(),
            self.first.len(),
            self.last_ts.len(),
            self.last.len(),
            self.min_ts.len(),
            self.min.len(),
            self.max_ts.len(),
            self.max.len(),
            self.sum.len(),
            self.twa_sum.len(),
            self.twa_ms.len(),
            self.good.len(),
            self.bad.len(),
        ]
        .iter()
        .all(|&l| l == n)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub kind: String,
    pub key: String,
    pub at: i64,
    pub data: serde_json::Value,
}

/// The answer to a stream batch applied (now or before).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StreamAck {
    pub site: String,
    pub stream: String,
    pub seq: i64,
    pub acked_seq: i64,
    /// The stream's high-water mark after the batch.
    pub position: i64,
    pub rows: i64,
    pub replay: bool,
    pub server_ms: i64,
}

/// The content type of a raw samples' batch sent as compressed blocks.
pub const BLOCKS_TYPE: &str = "application/vnd.plantlog.blocks";

/// The header of a raw samples' batch sent as blocks. The body is `PLB1`, the header's
/// length (u32, little-endian), the header (JSON, zstd-compressed), then the blocks one
/// after the other: per tag of `blocks`, its samples with `from_ts <= ts < to_ts` in the
/// plant's block format (src/store/codec), `len` bytes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BlocksHeader {
    pub site: String,
    pub seq: i64,
    pub from_ts: i64,
    pub to_ts: i64,
    pub tags: Vec<TagInfo>,
    pub blocks: Vec<BlockRef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BlockRef {
    pub tag: i64,
    /// Samples in the block.
    pub n: i64,
    /// Its length in bytes.
    pub len: u64,
    /// Samples below the batch's range sent again: written on the plant after its
    /// position passed them (history loaded later, readings a device buffered). They
    /// are inserted as the others, once.
    #[serde(default)]
    pub again: bool,
}

/// The magic bytes a blocks body starts with.
pub const BLOCKS_MAGIC: &[u8; 4] = b"PLB1";
