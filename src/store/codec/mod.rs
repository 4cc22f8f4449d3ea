//! The compressed block format of the historian: the samples of one tag in one time
//! window, lossless. The first byte of a block is its format version; [`encode`]
//! writes the current one (version 3, [`v2`]'s format with one coding more),
//! [`decode`] reads every version ever written ([`v1`] from the first release, version
//! 2), so a database of an older release reads as it did while the compactor rewrites
//! its ten-minute blocks (store::convert); hour blocks of version 2 stay as they are.
//!
//! Pure functions: no I/O. Property tests check that every block decodes to exactly
//! what was encoded, in every version.

mod bits;
pub(crate) mod v1;
pub(crate) mod v2;

pub(crate) use bits::{BitReader, BitWriter, get_varint, put_varint, take, unzigzag, zigzag};

use std::sync::Arc;

use crate::sample::{Quality, Sample, TagId, Value};

/// The version [`encode`] writes.
pub const VERSION: u8 = v2::VERSION;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CodecError {
    #[error("the block is cut short")]
    Truncated,
    #[error("the block has format version {0}, newer than this Plantlog reads")]
    Version(u8),
    #[error("the block is damaged: {0}")]
    Damaged(&'static str),
}

/// Encodes the samples of one tag, sorted by time with no two at the same time, in the
/// current format.
pub fn encode(samples: &[Sample]) -> Vec<u8> {
    v2::encode(samples)
}

/// Decodes a block of `tag` (of any version) back into its samples.
pub fn decode(tag: TagId, data: &[u8]) -> Result<Vec<Sample>, CodecError> {
    match version(data)? {
        v1::VERSION => v1::decode(tag, data),
        v2::VERSION_2 | v2::VERSION => v2::decode(tag, data),
        v => Err(CodecError::Version(v)),
    }
}

/// A block's samples as columns, its values as the block codes them: what a reader
/// that writes them on (the full export) needs, without a [`Sample`] each.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockColumns {
    pub times: Vec<i64>,
    pub qualities: Vec<Quality>,
    /// The values of the good samples, in order.
    pub values: BlockValues,
}

/// The good samples' values of a block, by how the block codes them.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockValues {
    /// float32 readings as their 32 bits; Plantlog reads each as the double of its
    /// shortest decimal (0.1f32 is 0.1).
    Singles(Vec<f32>),
    /// Decimals: each value is `ints[i] / 10^exponent` (exponent 0 to 6).
    Decimals {
        exponent: u8,
        ints: Vec<i64>,
    },
    Doubles(Vec<f64>),
    Texts(Vec<Arc<str>>),
}

impl BlockValues {
    pub fn len(&self) -> usize {
        match self {
            BlockValues::Singles(v) => v.len(),
            BlockValues::Decimals { ints, .. } => ints.len(),
            BlockValues::Doubles(v) => v.len(),
            BlockValues::Texts(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values as Plantlog reads them.
    pub fn into_values(self) -> Vec<Value> {
        match self {
            BlockValues::Singles(v) => v
                .into_iter()
                .map(|x| Value::Number(f32_to_f64(x)))
                .collect(),
            BlockValues::Decimals { exponent, ints } => {
                let f = 10f64.powi(i32::from(exponent));
                ints.into_iter()
                    .map(|i| Value::Number(i as f64 / f))
                    .collect()
            }
            BlockValues::Doubles(v) => v.into_iter().map(Value::Number).collect(),
            BlockValues::Texts(v) => v.into_iter().map(Value::Text).collect(),
        }
    }
}

impl BlockColumns {
    /// The samples of `tag`, as [`decode`] gives them.
    pub fn into_samples(self, tag: TagId) -> Vec<Sample> {
        let mut values = self.values.into_values().into_iter();
        self.times
            .into_iter()
            .zip(self.qualities)
            .map(|(ts, q)| {
                if q.is_good() {
                    Sample::good_value(tag, ts, values.next().unwrap_or(Value::Number(f64::NAN)))
                } else {
                    Sample::bad(tag, ts, q)
                }
            })
            .collect()
    }
}

/// Decodes a block (of any version) into its columns: times, qualities, and the good
/// samples' values as the block codes them (float32 readings as their 32 bits,
/// decimals as integers and an exponent). Version 1 blocks give their values as
/// [`BlockValues::Doubles`] or [`BlockValues::Texts`].
pub fn decode_columns(data: &[u8]) -> Result<BlockColumns, CodecError> {
    match version(data)? {
        v1::VERSION => {
            let samples = v1::decode(0, data)?;
            let mut numbers = Vec::new();
            let mut texts = Vec::new();
            for s in &samples {
                match s.raw_value() {
                    Some(Value::Number(v)) => numbers.push(*v),
                    Some(Value::Text(t)) => texts.push(t.clone()),
                    None => {}
                }
            }
            if !numbers.is_empty() && !texts.is_empty() {
                return Err(CodecError::Damaged("numbers and texts in one block"));
            }
            Ok(BlockColumns {
                times: samples.iter().map(|s| s.ts).collect(),
                qualities: samples.iter().map(|s| s.quality).collect(),
                values: if texts.is_empty() {
                    BlockValues::Doubles(numbers)
                } else {
                    BlockValues::Texts(texts)
                },
            })
        }
        v2::VERSION_2 | v2::VERSION => v2::decode_columns(data),
        v => Err(CodecError::Version(v)),
    }
}

/// The format version of a block.
pub fn version(data: &[u8]) -> Result<u8, CodecError> {
    data.first().copied().ok_or(CodecError::Truncated)
}

/// zstd's level for the second stage, and its shortest match: plant data is mostly
/// small numbers with little repetition, where zstd's Huffman coding of single bytes is
/// what pays and short matches cost more than they save (measured in
/// docs/ARCHITECTURE.md: 0.41 against 0.45 bytes a sample on analog values).
const ZSTD_LEVEL: i32 = 3;
const ZSTD_MIN_MATCH: u32 = 7;

type Zstd = (
    zstd::bulk::Compressor<'static>,
    zstd::bulk::Decompressor<'static>,
);

thread_local! {
    /// One zstd context per thread, made once: making one costs more than decoding a
    /// block (measured: a 30-day chart reading 720 minute rows took 39 ms with a context
    /// each, 4 ms with this).
    static ZSTD: std::cell::RefCell<Option<Zstd>> = const { std::cell::RefCell::new(None) };
}

fn with_zstd<T>(f: impl FnOnce(&mut Zstd) -> std::io::Result<T>) -> std::io::Result<T> {
    ZSTD.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            let mut c = zstd::bulk::Compressor::new(ZSTD_LEVEL)?;
            c.set_parameter(zstd::zstd_safe::CParameter::MinMatch(ZSTD_MIN_MATCH))?;
            *cell = Some((c, zstd::bulk::Decompressor::new()?));
        }
        f(cell.as_mut().expect("made above"))
    })
}

/// zstd with the historian's settings, on this thread's context.
pub(crate) fn zstd_compress(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    with_zstd(|z| z.0.compress(bytes))
}

/// Decompresses what [`zstd_compress`] made, `len` bytes at most.
pub(crate) fn zstd_decompress(bytes: &[u8], len: usize) -> std::io::Result<Vec<u8>> {
    with_zstd(|z| z.1.decompress(bytes, len))
}

pub(crate) fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The decimal exponent e (0..=6) that makes every value an integer when multiplied by
/// 10^e, exactly and within 2^52; `None` when there is none.
pub(crate) fn decimal_exponent(values: &[f64]) -> Option<u32> {
    'exp: for e in 0..=6u32 {
        let f = 10f64.powi(e as i32);
        for &v in values {
            let scaled = (v * f).round();
            // Bit for bit through the integer that is stored: -0.0 has no integer and
            // must stay a float (it would come back as 0.0).
            if scaled.abs() >= 4.5e15 || ((scaled as i64) as f64 / f).to_bits() != v.to_bits() {
                continue 'exp;
            }
        }
        return Some(e);
    }
    None
}

/// Whether every value came from a float32 exactly as the collector makes it (the
/// shortest decimal of the single, read as a double).
pub(crate) fn all_f32(values: &[f64]) -> bool {
    values.iter().all(|&v| {
        let s = v as f32;
        s.is_finite() && s.to_string().parse::<f64>().ok() == Some(v)
    })
}

pub(crate) fn f32_to_f64(v: f32) -> f64 {
    v.to_string().parse().unwrap_or(f64::from(v))
}

#[cfg(test)]
mod tests;
