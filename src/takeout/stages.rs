//! Thread time spent in each stage of the full export, summed over the threads since
//! the process started (or [`reset`]): what `plantlog bench export` prints to say where
//! an export's time goes. A few clock reads per day of a tag's samples; nothing else
//! reads them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// A stage of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading a day of a tag's blocks (or samples) from SQLite.
    Read,
    /// Decoding the blocks into their columns.
    Decode,
    /// Sorting the rows into the FLOAT and DOUBLE files' columns.
    Rows,
    /// Parquet: encoding, zstd, and handing the bytes to [`Stage::Write`].
    Parquet,
    /// SHA-256 of each byte and the buffered write to the file (inside Parquet's time).
    Write,
    /// Flushing a finished file to the disk (fsync), renaming it and flushing its folder.
    Sync,
    /// Reading each finished file back against its checksum.
    Verify,
    /// Reading a tag's rollups (minute rollups decoded, or rolled up from samples).
    RollupRead,
}

pub const ALL: [Stage; 8] = [
    Stage::Read,
    Stage::Decode,
    Stage::Rows,
    Stage::Parquet,
    Stage::Write,
    Stage::Sync,
    Stage::Verify,
    Stage::RollupRead,
];

static NANOS: [AtomicU64; 8] = [const { AtomicU64::new(0) }; 8];

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read blocks from SQLite",
            Stage::Decode => "decode blocks",
            Stage::Rows => "rows into columns",
            Stage::Parquet => "Parquet encode + zstd (+ write)",
            Stage::Write => "SHA-256 + write (within Parquet)",
            Stage::Sync => "flush to disk, rename",
            Stage::Verify => "read back + SHA-256",
            Stage::RollupRead => "read rollups",
        }
    }
}

/// Runs `f`, adding its time to `stage`.
pub fn time<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    NANOS[stage as usize].fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
    out
}

/// The seconds each stage took, summed over threads.
pub fn seconds() -> Vec<(Stage, f64)> {
    ALL.iter()
        .map(|&s| (s, NANOS[s as usize].load(Ordering::Relaxed) as f64 / 1e9))
        .collect()
}

pub fn reset() {
    for n in &NANOS {
        n.store(0, Ordering::Relaxed);
    }
}
