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

/// A batch of one stream other than raw samples: rows with `from_pos <= position <
/// to_pos` of the stream (rollups: hours; production: change times; audit and config:
/// row ids). Sent to `POST /api/v1/sites/{site}/streams/{stream}/batches`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StreamBatch {
    pub site: String,
    pub stream: String,
    pub seq: i64,
    pub from_pos: i64,
    pub to_pos: i64,
    /// The tags the rollups refer to.
    #[serde(default)]
    pub tags: Vec<TagInfo>,
    #[serde(default)]
    pub minutes: Option<RollupCols>,
    #[serde(default)]
    pub hours: Option<RollupCols>,
    #[serde(default)]
    pub records: Vec<Record>,
}

/// Rollups in columns: per row its tag and bucket start, the first, last, smallest and
/// largest good value with their times, the sum, time-weighted sum and its time, and the
/// counts of good and bad samples.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
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

/// A record of production, audit or configuration: its kind (the plant's table), its key
/// there, when it was made or changed, and its fields.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Record {
    pub kind: String,
    pub key: String,
    pub at: i64,
    pub data: serde_json::Value,
}

/// The central server's acknowledgement of a stream batch.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct StreamAck {
    pub site: String,
    pub stream: String,
    pub seq: i64,
    pub acked_seq: i64,
    pub position: i64,
    pub rows: i64,
    pub replay: bool,
    pub server_ms: i64,
}

/// The content type of a raw samples' batch sent as compressed blocks.
pub const BLOCKS_TYPE: &str = "application/vnd.plantlog.blocks";
/// The magic bytes a blocks body starts with.
pub const BLOCKS_MAGIC: &[u8; 4] = b"PLB1";

/// The header of a raw samples' batch sent as blocks: the body is `PLB1`, the header's
/// length (u32, little-endian), the header (JSON, zstd-compressed), then per entry of
/// `blocks` the tag's samples of the range in the historian's block format
/// (store::codec), `len` bytes each.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BlocksHeader {
    pub site: String,
    pub seq: i64,
    pub from_ts: i64,
    pub to_ts: i64,
    pub tags: Vec<TagInfo>,
    pub blocks: Vec<BlockRef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BlockRef {
    pub tag: i64,
    pub n: i64,
    pub len: u64,
    /// Samples below the batch's range sent again (written after the position passed
    /// them: sync::again); absent (false) for the range's own blocks.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub again: bool,
}
