//! Version 2 of the block format, the one written now. Like version 1 it keeps every
//! sample exactly (times, qualities as runs, numbers, text); what changed is how the
//! pieces are coded, after measuring on plant data (docs/ARCHITECTURE.md):
//!
//! - times: a constant step costs nothing per sample; otherwise deltas or
//!   delta-of-deltas (in the block's time unit) as varints;
//! - decimal values (value * 10^e is an integer): deltas or delta-of-deltas as varints,
//!   runs of equal values (states) or of equal deltas (counters advancing by a constant
//!   step), or bit-packed from the block's smallest value or delta (frame of
//!   reference: counters that advance by 0 or 1 cost a bit a sample);
//! - float32 values: their exact 32-bit patterns bit-packed from the smallest, or
//!   XORed as in Gorilla; other doubles XORed;
//! - every byte stream then goes through zstd when that makes it smaller.
//!
//! The encoder tries each coding that applies and keeps the smallest.
//!
//! Version 3 is this format with one coding more: float32 patterns whose span is not a
//! power of two written a few at a time as one number in base span (mixed radix), so
//! a value costs log2(span) bits, not the next whole bit: 17.6 instead of 18 bits for
//! noise on a 230 V reading (measured in docs/ARCHITECTURE.md). Version 2 blocks read
//! as before; [`encode_version`] writes either, for the tests.

use std::borrow::Cow;
use std::sync::Arc;

use super::bits::{
    BitReader, BitWriter, byte, get_varint, get_xor, put_varint, put_xor, take, unzigzag, zigzag,
};
use super::{BlockColumns, BlockValues, CodecError, all_f32, decimal_exponent, gcd};
use crate::sample::{Quality, Sample, TagId};

/// Format version written now, the first byte of every block of this version.
pub(crate) const VERSION: u8 = 3;
/// The version before: the same codings but [`V_F32_RADIX`].
pub(crate) const VERSION_2: u8 = 2;

/// Streams shorter than this are never worth zstd's frame header.
const ZSTD_MIN: usize = 24;

// Time codings.
const T_STEP: u8 = 0;
const T_DOD: u8 = 1;
const T_DELTA: u8 = 2;

// Value codings.
const V_F64_XOR: u8 = 0;
const V_F32_XOR: u8 = 1;
const V_F32_PACK: u8 = 2;
const V_DEC_DELTA: u8 = 3;
const V_DEC_DOD: u8 = 4;
const V_DEC_RUNS: u8 = 5;
const V_DEC_PACK: u8 = 6;
const V_TEXT: u8 = 7;
const V_DEC_DELTA_PACK: u8 = 8;
const V_DEC_VALUE_RUNS: u8 = 9;
/// Version 3 only.
const V_F32_RADIX: u8 = 10;

// ---------------------------------------------------------------- streams

/// A byte stream, raw or through zstd, whichever is smaller.
fn put_stream(out: &mut Vec<u8>, bytes: &[u8]) {
    if bytes.len() >= ZSTD_MIN
        && let Ok(z) = super::zstd_compress(bytes)
        && z.len() + 2 < bytes.len()
    {
        out.push(1);
        put_varint(out, bytes.len() as u64);
        put_varint(out, z.len() as u64);
        out.extend_from_slice(&z);
        return;
    }
    out.push(0);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn get_stream<'a>(data: &'a [u8], pos: &mut usize) -> Result<Cow<'a, [u8]>, CodecError> {
    match byte(data, pos)? {
        0 => {
            let len = get_varint(data, pos)? as usize;
            Ok(Cow::Borrowed(take(data, pos, len)?))
        }
        1 => {
            let raw = get_varint(data, pos)? as usize;
            let len = get_varint(data, pos)? as usize;
            let z = take(data, pos, len)?;
            if raw > 64 << 20 {
                return Err(CodecError::Damaged("stream length"));
            }
            let out =
                super::zstd_decompress(z, raw).map_err(|_| CodecError::Damaged("zstd stream"))?;
            if out.len() != raw {
                return Err(CodecError::Damaged("zstd stream length"));
            }
            Ok(Cow::Owned(out))
        }
        _ => Err(CodecError::Damaged("stream kind")),
    }
}

fn varints(values: impl Iterator<Item = u64>) -> Vec<u8> {
    let mut out = Vec::new();
    for v in values {
        put_varint(&mut out, v);
    }
    out
}

/// Reads `n` varints from a whole stream.
fn get_varints(stream: &[u8], n: usize) -> Result<Vec<u64>, CodecError> {
    let mut pos = 0;
    let mut out = Vec::with_capacity(n.min(stream.len()));
    for _ in 0..n {
        out.push(get_varint(stream, &mut pos)?);
    }
    Ok(out)
}

/// Bit-packs `values` in `width` bits each.
fn pack(values: impl Iterator<Item = u64>, width: u32) -> Vec<u8> {
    let mut w = BitWriter::new(Vec::new());
    for v in values {
        w.put(v, width);
    }
    w.finish()
}

fn width_of(range: u64) -> u32 {
    64 - range.leading_zeros()
}

/// The candidate codings of one section; the smallest wins.
fn smallest(candidates: Vec<Vec<u8>>) -> Vec<u8> {
    candidates
        .into_iter()
        .min_by_key(Vec::len)
        .unwrap_or_default()
}

// ---------------------------------------------------------------- encode

/// Encodes the samples of one tag, sorted by time with no two at the same time.
pub fn encode(samples: &[Sample]) -> Vec<u8> {
    encode_version(samples, VERSION)
}

/// [`encode`] in version 2 or 3.
pub(crate) fn encode_version(samples: &[Sample], version: u8) -> Vec<u8> {
    let mut out = vec![version];
    put_varint(&mut out, samples.len() as u64);
    if samples.is_empty() {
        return out;
    }

    // Qualities as runs.
    let mut runs: Vec<(u64, i64)> = Vec::new();
    for s in samples {
        match runs.last_mut() {
            Some((n, q)) if *q == s.quality.code() => *n += 1,
            _ => runs.push((1, s.quality.code())),
        }
    }
    // No runs: every sample is good.
    if runs.len() == 1 && runs[0].1 == Quality::Good.code() {
        out.push(0);
    } else {
        put_varint(&mut out, runs.len() as u64);
        for (n, q) in &runs {
            put_varint(&mut out, *n);
            put_varint(&mut out, *q as u64);
        }
    }

    encode_times(&mut out, samples);

    let good: Vec<&Sample> = samples.iter().filter(|s| s.quality.is_good()).collect();
    if good.iter().any(|s| s.text().is_some()) {
        out.push(V_TEXT);
        let mut texts = Vec::new();
        let mut prev: Option<&str> = None;
        for s in &good {
            let t = s.text().unwrap_or("");
            if prev == Some(t) {
                texts.push(0);
            } else {
                texts.push(1);
                put_varint(&mut texts, t.len() as u64);
                texts.extend_from_slice(t.as_bytes());
            }
            prev = Some(t);
        }
        put_stream(&mut out, &texts);
        return out;
    }
    let numbers: Vec<f64> = good.iter().map(|s| s.value().unwrap_or(0.0)).collect();
    out.extend_from_slice(&encode_numbers(&numbers, version));
    out
}

fn encode_times(out: &mut Vec<u8>, samples: &[Sample]) {
    let first = samples[0].ts;
    put_varint(out, zigzag(first));
    if samples.len() < 2 {
        return;
    }
    // Wrapping: any two i64 times are at most 2^64 - 1 apart, which a u64 holds.
    let deltas: Vec<u64> = samples
        .windows(2)
        .map(|p| p[1].ts.wrapping_sub(p[0].ts) as u64)
        .collect();
    if deltas.iter().all(|d| *d == deltas[0]) {
        out.push(T_STEP);
        put_varint(out, deltas[0]);
        return;
    }
    let unit = deltas.iter().fold(0u64, |g, d| gcd(g, *d)).max(1);
    let units: Vec<u64> = deltas.iter().map(|d| d / unit).collect();
    let mut dod = vec![T_DOD];
    put_varint(&mut dod, unit);
    let mut prev = 0u64;
    put_stream(
        &mut dod,
        &varints(units.iter().map(|&d| {
            let x = zigzag(d.wrapping_sub(prev) as i64);
            prev = d;
            x
        })),
    );
    let mut delta = vec![T_DELTA];
    put_varint(&mut delta, unit);
    put_stream(&mut delta, &varints(units.iter().copied()));
    out.extend_from_slice(&smallest(vec![dod, delta]));
}

fn encode_numbers(numbers: &[f64], version: u8) -> Vec<u8> {
    if numbers.is_empty() {
        return vec![V_F64_XOR];
    }
    let mut candidates: Vec<Vec<u8>> = Vec::new();
    if let Some(e) = decimal_exponent(numbers) {
        let f = 10f64.powi(e as i32);
        let ints: Vec<i64> = numbers.iter().map(|v| (v * f).round() as i64).collect();
        candidates.extend(encode_decimals(e as u8, &ints));
    }
    // Values of float32 registers often have few decimals too (228.50102), but their
    // 32-bit patterns pack tighter than the decimals.
    if all_f32(numbers) {
        let singles: Vec<u32> = numbers.iter().map(|v| (*v as f32).to_bits()).collect();
        let mut w = BitWriter::new(Vec::new());
        put_xor(
            &mut w,
            &singles.iter().map(|b| u64::from(*b)).collect::<Vec<_>>(),
            32,
        );
        let mut c = vec![V_F32_XOR];
        put_stream(&mut c, &w.finish());
        candidates.push(c);
        // Order-preserving keys of the bit patterns, packed from the smallest.
        let keys: Vec<u32> = singles.iter().map(|b| f32_key(*b)).collect();
        let lo = keys.iter().copied().min().unwrap_or(0);
        let hi = keys.iter().copied().max().unwrap_or(0);
        let width = width_of(u64::from(hi - lo));
        let mut c = vec![V_F32_PACK];
        put_varint(&mut c, u64::from(lo));
        c.push(width as u8);
        put_stream(&mut c, &pack(keys.iter().map(|k| u64::from(k - lo)), width));
        candidates.push(c);
        let span = u64::from(hi - lo) + 1;
        if version >= VERSION && span > 2 && !span.is_power_of_two() {
            let mut c = vec![V_F32_RADIX];
            put_varint(&mut c, u64::from(lo));
            put_varint(&mut c, span);
            put_stream(
                &mut c,
                &radix_pack(keys.iter().map(|k| u64::from(k - lo)), span),
            );
            candidates.push(c);
        }
    }
    if candidates.is_empty() {
        let bits: Vec<u64> = numbers.iter().map(|v| v.to_bits()).collect();
        let mut w = BitWriter::new(Vec::new());
        put_xor(&mut w, &bits, 64);
        let mut c = vec![V_F64_XOR];
        put_stream(&mut c, &w.finish());
        candidates.push(c);
    }
    smallest(candidates)
}

/// How many values in `[0, span)` make one group (the most whose span^k fits in 64
/// bits), and the bits a group of `n` of them takes: ceil(n * log2(span)).
fn radix_group(span: u64) -> usize {
    let (mut k, mut p) = (1usize, u128::from(span));
    while p * u128::from(span) <= 1u128 << 64 {
        p *= u128::from(span);
        k += 1;
    }
    k
}

fn radix_bits(span: u64, n: usize) -> u32 {
    let p = (0..n).fold(1u128, |p, _| p * u128::from(span));
    128 - (p - 1).leading_zeros()
}

/// Values in `[0, span)` as groups of [`radix_group`] values, each the number
/// v0·span^(k-1) + ... + v(k-1) in [`radix_bits`] bits; the last group may be shorter.
fn radix_pack(values: impl Iterator<Item = u64>, span: u64) -> Vec<u8> {
    let k = radix_group(span);
    let full = radix_bits(span, k);
    let mut w = BitWriter::new(Vec::new());
    let (mut acc, mut n) = (0u64, 0usize);
    for v in values {
        acc = acc * span + v;
        n += 1;
        if n == k {
            w.put(acc, full);
            (acc, n) = (0, 0);
        }
    }
    if n > 0 {
        w.put(acc, radix_bits(span, n));
    }
    w.finish()
}

fn radix_unpack(stream: &[u8], span: u64, count: usize) -> Result<Vec<u64>, CodecError> {
    if span < 2 {
        return Err(CodecError::Damaged("radix span"));
    }
    let k = radix_group(span);
    let full = radix_bits(span, k);
    let mut r = BitReader::new(stream);
    let mut out = Vec::with_capacity(count.min(stream.len() * 8 + 1));
    let mut group = vec![0u64; k];
    while out.len() < count {
        let n = k.min(count - out.len());
        let mut acc = r.get(if n == k { full } else { radix_bits(span, n) })?;
        for slot in group[..n].iter_mut().rev() {
            *slot = acc % span;
            acc /= span;
        }
        if acc != 0 {
            return Err(CodecError::Damaged("radix group"));
        }
        out.extend_from_slice(&group[..n]);
    }
    Ok(out)
}

fn f32_key(bits: u32) -> u32 {
    if bits & 0x8000_0000 != 0 {
        !bits
    } else {
        bits | 0x8000_0000
    }
}

fn f32_unkey(key: u32) -> u32 {
    if key & 0x8000_0000 != 0 {
        key & 0x7FFF_FFFF
    } else {
        !key
    }
}

fn encode_decimals(e: u8, ints: &[i64]) -> Vec<Vec<u8>> {
    let head = |mode: u8| {
        let mut c = vec![mode, e];
        put_varint(&mut c, zigzag(ints[0]));
        c
    };
    // |values| < 4.5e15, so neither deltas nor delta-of-deltas overflow.
    let deltas: Vec<i64> = ints.windows(2).map(|p| p[1] - p[0]).collect();
    let mut out = Vec::new();

    let mut c = head(V_DEC_DELTA);
    put_stream(&mut c, &varints(deltas.iter().map(|d| zigzag(*d))));
    out.push(c);

    let mut c = head(V_DEC_DOD);
    let mut prev = 0i64;
    put_stream(
        &mut c,
        &varints(deltas.iter().map(|&d| {
            let x = zigzag(d - prev);
            prev = d;
            x
        })),
    );
    out.push(c);

    let mut runs: Vec<(i64, u64)> = Vec::new();
    for &d in &deltas {
        match runs.last_mut() {
            Some((v, n)) if *v == d => *n += 1,
            _ => runs.push((d, 1)),
        }
    }
    if runs.len() * 4 < deltas.len() + 4 {
        let mut c = head(V_DEC_RUNS);
        put_varint(&mut c, runs.len() as u64);
        put_stream(
            &mut c,
            &varints(runs.iter().flat_map(|(d, n)| [zigzag(*d), n - 1])),
        );
        out.push(c);
    }

    let mut values: Vec<(i64, u64)> = Vec::new();
    for &v in ints {
        match values.last_mut() {
            Some((x, n)) if *x == v => *n += 1,
            _ => values.push((v, 1)),
        }
    }
    if values.len() * 4 < ints.len() + 4 {
        let mut c = head(V_DEC_VALUE_RUNS);
        put_varint(&mut c, values.len() as u64);
        let mut prev = 0i64;
        put_stream(
            &mut c,
            &varints(values.iter().flat_map(|&(v, n)| {
                let d = zigzag(v - prev);
                prev = v;
                [d, n - 1]
            })),
        );
        out.push(c);
    }

    if let (Some(lo), Some(hi)) = (deltas.iter().min(), deltas.iter().max()) {
        let width = width_of(hi.wrapping_sub(*lo) as u64);
        let mut c = head(V_DEC_DELTA_PACK);
        put_varint(&mut c, zigzag(*lo));
        c.push(width as u8);
        put_stream(
            &mut c,
            &pack(deltas.iter().map(|d| d.wrapping_sub(*lo) as u64), width),
        );
        out.push(c);
    }

    let lo = ints.iter().copied().min().unwrap_or(0);
    let hi = ints.iter().copied().max().unwrap_or(0);
    let width = width_of(hi.wrapping_sub(lo) as u64);
    let mut c = head(V_DEC_PACK);
    put_varint(&mut c, zigzag(lo));
    c.push(width as u8);
    put_stream(
        &mut c,
        &pack(ints.iter().map(|v| v.wrapping_sub(lo) as u64), width),
    );
    out.push(c);
    out
}

// ---------------------------------------------------------------- decode

/// Decodes a version 2 block of `tag` back into its samples.
pub fn decode(tag: TagId, data: &[u8]) -> Result<Vec<Sample>, CodecError> {
    Ok(decode_columns(data)?.into_samples(tag))
}

/// Decodes a version 2 or 3 block into its columns, the values as the block codes them.
pub fn decode_columns(data: &[u8]) -> Result<BlockColumns, CodecError> {
    let mut pos = 1;
    let n = get_varint(data, &mut pos)? as usize;
    if n == 0 {
        return Ok(BlockColumns {
            times: Vec::new(),
            qualities: Vec::new(),
            values: BlockValues::Doubles(Vec::new()),
        });
    }
    if n > 100_000_000 {
        return Err(CodecError::Damaged("sample count"));
    }
    let nruns = get_varint(data, &mut pos)? as usize;
    let mut qualities: Vec<Quality> = Vec::with_capacity(n.min(data.len() * 64));
    if nruns == 0 {
        qualities.resize(n, Quality::Good);
    }
    for _ in 0..nruns {
        let len = get_varint(data, &mut pos)? as usize;
        let q = Quality::from_code(get_varint(data, &mut pos)? as i64)
            .ok_or(CodecError::Damaged("quality code"))?;
        if len > n - qualities.len() {
            return Err(CodecError::Damaged("quality runs longer than the block"));
        }
        qualities.extend(std::iter::repeat_n(q, len));
    }
    if qualities.len() != n {
        return Err(CodecError::Damaged("quality runs shorter than the block"));
    }

    let times = decode_times(data, &mut pos, n)?;
    let good = qualities.iter().filter(|q| q.is_good()).count();
    let values = decode_values(data, &mut pos, good, data[0])?;
    if values.len() != good {
        return Err(CodecError::Damaged("value count"));
    }
    Ok(BlockColumns {
        times,
        qualities,
        values,
    })
}

fn decode_times(data: &[u8], pos: &mut usize, n: usize) -> Result<Vec<i64>, CodecError> {
    let first = unzigzag(get_varint(data, pos)?);
    let mut times = Vec::with_capacity(n);
    times.push(first);
    if n < 2 {
        return Ok(times);
    }
    let mut t = first;
    match byte(data, pos)? {
        T_STEP => {
            let step = get_varint(data, pos)?;
            for _ in 1..n {
                t = t.wrapping_add(step as i64);
                times.push(t);
            }
        }
        mode @ (T_DOD | T_DELTA) => {
            let unit = get_varint(data, pos)?;
            let stream = get_stream(data, pos)?;
            let mut d = 0u64;
            for x in get_varints(&stream, n - 1)? {
                d = if mode == T_DOD {
                    d.wrapping_add(unzigzag(x) as u64)
                } else {
                    x
                };
                t = t.wrapping_add(d.wrapping_mul(unit) as i64);
                times.push(t);
            }
        }
        _ => return Err(CodecError::Damaged("time coding")),
    }
    Ok(times)
}

fn decode_values(
    data: &[u8],
    pos: &mut usize,
    good: usize,
    version: u8,
) -> Result<BlockValues, CodecError> {
    let mode = byte(data, pos)?;
    Ok(match mode {
        V_TEXT => {
            let stream = get_stream(data, pos)?;
            let mut values = Vec::with_capacity(good.min(stream.len()));
            let mut p = 0;
            let mut prev: Option<Arc<str>> = None;
            for _ in 0..good {
                let t = if byte(&stream, &mut p)? == 0 {
                    prev.clone()
                        .ok_or(CodecError::Damaged("repeat of no text"))?
                } else {
                    let len = get_varint(&stream, &mut p)? as usize;
                    let bytes = take(&stream, &mut p, len)?;
                    Arc::from(std::str::from_utf8(bytes).map_err(|_| CodecError::Damaged("text"))?)
                };
                values.push(t.clone());
                prev = Some(t);
            }
            BlockValues::Texts(values)
        }
        V_F64_XOR | V_F32_XOR if good == 0 => BlockValues::Doubles(Vec::new()),
        V_F64_XOR => {
            let stream = get_stream(data, pos)?;
            BlockValues::Doubles(
                get_xor(&mut BitReader::new(&stream), good, 64)?
                    .into_iter()
                    .map(f64::from_bits)
                    .collect(),
            )
        }
        V_F32_XOR => {
            let stream = get_stream(data, pos)?;
            BlockValues::Singles(
                get_xor(&mut BitReader::new(&stream), good, 32)?
                    .into_iter()
                    .map(|b| f32::from_bits(b as u32))
                    .collect(),
            )
        }
        V_F32_PACK => {
            let lo = u32::try_from(get_varint(data, pos)?)
                .map_err(|_| CodecError::Damaged("float32 base"))?;
            let width = u32::from(byte(data, pos)?);
            if width > 32 {
                return Err(CodecError::Damaged("float32 width"));
            }
            let stream = get_stream(data, pos)?;
            let mut r = BitReader::new(&stream);
            let mut values = Vec::with_capacity(good.min(stream.len() * 8 + 1));
            for _ in 0..good {
                let key = lo.wrapping_add(r.get(width)? as u32);
                values.push(f32::from_bits(f32_unkey(key)));
            }
            BlockValues::Singles(values)
        }
        V_F32_RADIX if version >= VERSION => {
            let lo = u32::try_from(get_varint(data, pos)?)
                .map_err(|_| CodecError::Damaged("float32 base"))?;
            let span = get_varint(data, pos)?;
            if span > 1 << 32 {
                return Err(CodecError::Damaged("float32 span"));
            }
            let stream = get_stream(data, pos)?;
            BlockValues::Singles(
                radix_unpack(&stream, span, good)?
                    .into_iter()
                    .map(|k| f32::from_bits(f32_unkey(lo.wrapping_add(k as u32))))
                    .collect(),
            )
        }
        V_DEC_DELTA | V_DEC_DOD | V_DEC_RUNS | V_DEC_PACK | V_DEC_DELTA_PACK | V_DEC_VALUE_RUNS => {
            let e = byte(data, pos)?;
            if e > 6 {
                return Err(CodecError::Damaged("decimal exponent"));
            }
            let first = unzigzag(get_varint(data, pos)?);
            BlockValues::Decimals {
                exponent: e,
                ints: decode_decimals(mode, data, pos, first, good)?,
            }
        }
        _ => return Err(CodecError::Damaged("value coding")),
    })
}

fn decode_decimals(
    mode: u8,
    data: &[u8],
    pos: &mut usize,
    first: i64,
    good: usize,
) -> Result<Vec<i64>, CodecError> {
    let mut ints = Vec::with_capacity(good.min(1 << 24));
    if good == 0 {
        return Ok(ints);
    }
    match mode {
        V_DEC_PACK => {
            let lo = unzigzag(get_varint(data, pos)?);
            let width = u32::from(byte(data, pos)?);
            if width > 64 {
                return Err(CodecError::Damaged("decimal width"));
            }
            let stream = get_stream(data, pos)?;
            let mut r = BitReader::new(&stream);
            for _ in 0..good {
                ints.push(lo.wrapping_add(r.get(width)? as i64));
            }
        }
        V_DEC_DELTA_PACK => {
            let lo = unzigzag(get_varint(data, pos)?);
            let width = u32::from(byte(data, pos)?);
            if width > 64 {
                return Err(CodecError::Damaged("delta width"));
            }
            let stream = get_stream(data, pos)?;
            let mut r = BitReader::new(&stream);
            let mut v = first;
            ints.push(v);
            for _ in 1..good {
                v = v.wrapping_add(lo.wrapping_add(r.get(width)? as i64));
                ints.push(v);
            }
        }
        V_DEC_VALUE_RUNS => {
            let nruns = get_varint(data, pos)? as usize;
            let stream = get_stream(data, pos)?;
            let mut p = 0;
            let mut v = 0i64;
            for _ in 0..nruns {
                v = v.wrapping_add(unzigzag(get_varint(&stream, &mut p)?));
                let len = get_varint(&stream, &mut p)?.saturating_add(1);
                if len > (good - ints.len()) as u64 {
                    return Err(CodecError::Damaged("runs longer than the block"));
                }
                ints.extend(std::iter::repeat_n(v, len as usize));
            }
        }
        V_DEC_RUNS => {
            let nruns = get_varint(data, pos)? as usize;
            let stream = get_stream(data, pos)?;
            let mut p = 0;
            let mut v = first;
            ints.push(v);
            for _ in 0..nruns {
                let d = unzigzag(get_varint(&stream, &mut p)?);
                let len = get_varint(&stream, &mut p)?.saturating_add(1);
                if len > (good - ints.len()) as u64 {
                    return Err(CodecError::Damaged("runs longer than the block"));
                }
                for _ in 0..len {
                    v = v.wrapping_add(d);
                    ints.push(v);
                }
            }
        }
        _ => {
            let stream = get_stream(data, pos)?;
            let mut v = first;
            let mut d = 0i64;
            ints.push(v);
            for x in get_varints(&stream, good - 1)? {
                let x = unzigzag(x);
                d = if mode == V_DEC_DOD {
                    d.wrapping_add(x)
                } else {
                    x
                };
                v = v.wrapping_add(d);
                ints.push(v);
            }
        }
    }
    Ok(ints)
}

#[cfg(test)]
pub(crate) fn radix_pack_for_tests(values: &[u64], span: u64) -> Vec<u8> {
    radix_pack(values.iter().copied(), span)
}

#[cfg(test)]
pub(crate) fn radix_unpack_for_tests(
    stream: &[u8],
    span: u64,
    count: usize,
) -> Result<Vec<u64>, CodecError> {
    radix_unpack(stream, span, count)
}
