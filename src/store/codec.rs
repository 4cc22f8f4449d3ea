//! The compressed block format of the historian: the samples of one tag in one time
//! window, lossless. Times as delta-of-delta in variable bit lengths (regular polls cost
//! one bit a sample), qualities as runs (transitions survive exactly), and the values
//! of good samples in whichever of these is smallest for the block:
//!
//! - XOR of consecutive IEEE doubles, as in Gorilla (Facebook, VLDB 2015);
//! - XOR of consecutive IEEE singles, for values that came from float32 registers;
//! - the values as decimal integers (value * 10^e) in delta or delta-of-delta coding,
//!   for counters, states and scaled integer registers (temperature in 0.1 °C);
//! - text, each string or "same as before".
//!
//! Pure functions: no I/O. Property tests check that every block decodes to exactly
//! what was encoded.

use std::sync::Arc;

use crate::sample::{Quality, Sample, TagId, Value};

/// Format version, the first byte of every block.
pub(crate) const VERSION: u8 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    F64Xor = 0,
    F32Xor = 1,
    DecimalDelta = 2,
    DecimalDod = 3,
    Text = 4,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CodecError {
    #[error("the block is cut short")]
    Truncated,
    #[error("the block has format version {0}, newer than this Plantlog reads")]
    Version(u8),
    #[error("the block is damaged: {0}")]
    Damaged(&'static str),
}

// ---------------------------------------------------------------- bits

struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    bits: u32,
}

impl BitWriter {
    fn new(out: Vec<u8>) -> BitWriter {
        BitWriter {
            out,
            acc: 0,
            bits: 0,
        }
    }

    /// Writes the low `n` bits of `v`, most significant first (n <= 64).
    fn put(&mut self, v: u64, n: u32) {
        if n == 0 {
            return;
        }
        if n > 32 {
            self.put(v >> 32, n - 32);
            self.put(v & 0xFFFF_FFFF, 32);
            return;
        }
        let v = v & ((1u64 << n) - 1);
        self.acc = (self.acc << n) | v;
        self.bits += n;
        while self.bits >= 8 {
            self.bits -= 8;
            self.out.push((self.acc >> self.bits) as u8);
        }
        self.acc &= (1u64 << self.bits) - 1;
    }

    fn bit(&mut self, b: bool) {
        self.put(u64::from(b), 1);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.bits > 0 {
            let pad = 8 - self.bits;
            self.put(0, pad);
        }
        self.out
    }
}

struct BitReader<'a> {
    data: &'a [u8],
    pos: usize, // in bits
}

impl<'a> BitReader<'a> {
    fn new(data: &'a [u8]) -> BitReader<'a> {
        BitReader { data, pos: 0 }
    }

    fn get(&mut self, n: u32) -> Result<u64, CodecError> {
        if n > 32 {
            let hi = self.get(n - 32)?;
            let lo = self.get(32)?;
            return Ok((hi << 32) | lo);
        }
        let mut v = 0u64;
        for _ in 0..n {
            let byte = *self.data.get(self.pos / 8).ok_or(CodecError::Truncated)?;
            let bit = (byte >> (7 - (self.pos % 8))) & 1;
            v = (v << 1) | u64::from(bit);
            self.pos += 1;
        }
        Ok(v)
    }

    fn bit(&mut self) -> Result<bool, CodecError> {
        Ok(self.get(1)? == 1)
    }
}

// ---------------------------------------------------------------- varints

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(crate) fn get_varint(data: &[u8], pos: &mut usize) -> Result<u64, CodecError> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *data.get(*pos).ok_or(CodecError::Truncated)?;
        *pos += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Ok(v);
        }
    }
    Err(CodecError::Damaged("varint too long"))
}

pub(crate) fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

pub(crate) fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

pub(crate) fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

// ---------------------------------------------------------------- signed buckets

/// Gorilla's variable-length signed integers: '0' for 0, then buckets of 7, 12, 20 bits,
/// and 64 bits for anything else.
fn put_signed(w: &mut BitWriter, v: i64) {
    if v == 0 {
        w.bit(false);
        return;
    }
    for (prefix, prefix_bits, bits) in [(0b10u64, 2u32, 7u32), (0b110, 3, 12), (0b1110, 4, 20)] {
        let limit = 1i64 << (bits - 1);
        if (-limit..limit).contains(&v) {
            w.put(prefix, prefix_bits);
            w.put(v as u64, bits);
            return;
        }
    }
    w.put(0b1111, 4);
    w.put(v as u64, 64);
}

fn get_signed(r: &mut BitReader<'_>) -> Result<i64, CodecError> {
    if !r.bit()? {
        return Ok(0);
    }
    let bits = if !r.bit()? {
        7
    } else if !r.bit()? {
        12
    } else if !r.bit()? {
        20
    } else {
        return Ok(r.get(64)? as i64);
    };
    let raw = r.get(bits)?;
    // sign-extend
    let shift = 64 - bits;
    Ok(((raw << shift) as i64) >> shift)
}

// ---------------------------------------------------------------- XOR floats

/// Gorilla's XOR coding of a series of `width`-bit floats (as raw bits).
fn put_xor(w: &mut BitWriter, values: &[u64], width: u32) {
    let Some((&first, rest)) = values.split_first() else {
        return;
    };
    w.put(first, width);
    let (lead_bits, len_bits) = if width == 64 { (6, 6) } else { (5, 5) };
    let mut prev = first;
    let mut window: Option<(u32, u32)> = None; // (leading zeros, meaningful length)
    for &v in rest {
        let x = v ^ prev;
        prev = v;
        if x == 0 {
            w.bit(false);
            continue;
        }
        w.bit(true);
        let lead = (x.leading_zeros() - (64 - width)).min((1 << lead_bits) - 1);
        let trail = x.trailing_zeros();
        let len = width - lead - trail;
        match window {
            Some((wl, wlen)) if lead >= wl && lead + len <= wl + wlen => {
                w.bit(false);
                let wtrail = width - wl - wlen;
                w.put(x >> wtrail, wlen);
            }
            _ => {
                w.bit(true);
                w.put(u64::from(lead), lead_bits);
                // Length 1..=width, stored minus one.
                w.put(u64::from(len - 1), len_bits);
                w.put(x >> trail, len);
                window = Some((lead, len));
            }
        }
    }
}

fn get_xor(r: &mut BitReader<'_>, n: usize, width: u32) -> Result<Vec<u64>, CodecError> {
    let mut out = Vec::with_capacity(n);
    if n == 0 {
        return Ok(out);
    }
    let (lead_bits, len_bits) = if width == 64 { (6, 6) } else { (5, 5) };
    let mut prev = r.get(width)?;
    out.push(prev);
    let mut window: Option<(u32, u32)> = None;
    for _ in 1..n {
        if !r.bit()? {
            out.push(prev);
            continue;
        }
        let (lead, len) = if !r.bit()? {
            window.ok_or(CodecError::Damaged("XOR window used before it was set"))?
        } else {
            let lead = r.get(lead_bits)? as u32;
            let len = r.get(len_bits)? as u32 + 1;
            if lead + len > width {
                return Err(CodecError::Damaged("XOR window out of range"));
            }
            window = Some((lead, len));
            (lead, len)
        };
        let trail = width - lead - len;
        let x = r.get(len)? << trail;
        prev ^= x;
        out.push(prev);
    }
    Ok(out)
}

// ---------------------------------------------------------------- encode

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
fn all_f32(values: &[f64]) -> bool {
    values.iter().all(|&v| {
        let s = v as f32;
        s.is_finite() && s.to_string().parse::<f64>().ok() == Some(v)
    })
}

fn f32_to_f64(v: f32) -> f64 {
    v.to_string().parse().unwrap_or(f64::from(v))
}

/// Encodes the samples of one tag, sorted by time with no two at the same time.
pub fn encode(samples: &[Sample]) -> Vec<u8> {
    let mut out = vec![VERSION];
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
    put_varint(&mut out, runs.len() as u64);
    for (n, q) in &runs {
        put_varint(&mut out, *n);
        put_varint(&mut out, *q as u64);
    }

    // Times: first, the unit all steps are multiples of (1000 for polls every few
    // seconds), then delta-of-delta in that unit.
    let first = samples[0].ts;
    put_varint(&mut out, zigzag(first));
    let unit = samples
        .windows(2)
        .fold(0u64, |g, p| gcd(g, (p[1].ts - p[0].ts) as u64))
        .max(1);
    put_varint(&mut out, unit);
    let unit = unit as i64;
    let mut w = BitWriter::new(Vec::new());
    let mut prev_delta = 0i64;
    for pair in samples.windows(2) {
        let delta = (pair[1].ts - pair[0].ts) / unit;
        put_signed(&mut w, delta - prev_delta);
        prev_delta = delta;
    }
    let times = w.finish();
    put_varint(&mut out, times.len() as u64);
    out.extend_from_slice(&times);

    // Values of the good samples.
    let good: Vec<&Sample> = samples.iter().filter(|s| s.quality.is_good()).collect();
    let texts: Vec<&str> = good.iter().filter_map(|s| s.text()).collect();
    if !texts.is_empty() {
        out.push(Mode::Text as u8);
        let mut prev: Option<&str> = None;
        for s in &good {
            let t = s.text().unwrap_or("");
            if prev == Some(t) {
                out.push(0);
            } else {
                out.push(1);
                put_varint(&mut out, t.len() as u64);
                out.extend_from_slice(t.as_bytes());
            }
            prev = Some(t);
        }
        return out;
    }
    let numbers: Vec<f64> = good.iter().map(|s| s.value().unwrap_or(0.0)).collect();
    if numbers.is_empty() {
        out.push(Mode::F64Xor as u8);
        return out;
    }
    let mut candidates: Vec<Vec<u8>> = Vec::new();
    {
        let mut w = BitWriter::new(vec![Mode::F64Xor as u8]);
        put_xor(
            &mut w,
            &numbers.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            64,
        );
        candidates.push(w.finish());
    }
    if all_f32(&numbers) {
        let mut w = BitWriter::new(vec![Mode::F32Xor as u8]);
        let bits: Vec<u64> = numbers
            .iter()
            .map(|v| u64::from((*v as f32).to_bits()))
            .collect();
        put_xor(&mut w, &bits, 32);
        candidates.push(w.finish());
    }
    if let Some(e) = decimal_exponent(&numbers) {
        let f = 10f64.powi(e as i32);
        let ints: Vec<i64> = numbers.iter().map(|v| (v * f).round() as i64).collect();
        for dod in [false, true] {
            let mut head = vec![
                if dod {
                    Mode::DecimalDod
                } else {
                    Mode::DecimalDelta
                } as u8,
                e as u8,
            ];
            put_varint(&mut head, zigzag(ints[0]));
            let mut w = BitWriter::new(head);
            let mut prev = ints[0];
            let mut prev_delta = 0i64;
            for &v in &ints[1..] {
                let delta = v.wrapping_sub(prev);
                put_signed(
                    &mut w,
                    if dod {
                        delta.wrapping_sub(prev_delta)
                    } else {
                        delta
                    },
                );
                prev = v;
                prev_delta = delta;
            }
            candidates.push(w.finish());
        }
    }
    let best = candidates
        .into_iter()
        .min_by_key(Vec::len)
        .expect("the double coding always applies");
    out.extend_from_slice(&best);
    out
}

// ---------------------------------------------------------------- decode

/// Decodes a block of `tag` back into its samples.
pub fn decode(tag: TagId, data: &[u8]) -> Result<Vec<Sample>, CodecError> {
    let version = *data.first().ok_or(CodecError::Truncated)?;
    if version != VERSION {
        return Err(CodecError::Version(version));
    }
    let mut pos = 1;
    let n = get_varint(data, &mut pos)? as usize;
    if n == 0 {
        return Ok(Vec::new());
    }
    if n > 100_000_000 {
        return Err(CodecError::Damaged("sample count"));
    }
    let nruns = get_varint(data, &mut pos)? as usize;
    let mut qualities: Vec<Quality> = Vec::with_capacity(n);
    for _ in 0..nruns {
        let len = get_varint(data, &mut pos)? as usize;
        let q = Quality::from_code(get_varint(data, &mut pos)? as i64)
            .ok_or(CodecError::Damaged("quality code"))?;
        if qualities.len() + len > n {
            return Err(CodecError::Damaged("quality runs longer than the block"));
        }
        qualities.extend(std::iter::repeat_n(q, len));
    }
    if qualities.len() != n {
        return Err(CodecError::Damaged("quality runs shorter than the block"));
    }

    let first = unzigzag(get_varint(data, &mut pos)?);
    let unit = get_varint(data, &mut pos)? as i64;
    if unit < 1 {
        return Err(CodecError::Damaged("time unit"));
    }
    let tlen = get_varint(data, &mut pos)? as usize;
    let tbytes = data.get(pos..pos + tlen).ok_or(CodecError::Truncated)?;
    pos += tlen;
    let mut r = BitReader::new(tbytes);
    let mut times = Vec::with_capacity(n);
    times.push(first);
    let mut delta = 0i64;
    for _ in 1..n {
        // Wrapping: a damaged block must give wrong times, not a panic.
        delta = delta.wrapping_add(get_signed(&mut r)?);
        times.push(
            times
                .last()
                .copied()
                .unwrap_or(0)
                .wrapping_add(delta.wrapping_mul(unit)),
        );
    }

    let good = qualities.iter().filter(|q| q.is_good()).count();
    let mode = *data.get(pos).ok_or(CodecError::Truncated)?;
    pos += 1;
    let mut values: Vec<Value> = Vec::with_capacity(good);
    match mode {
        m if m == Mode::Text as u8 => {
            let mut prev: Option<Arc<str>> = None;
            for _ in 0..good {
                let flag = *data.get(pos).ok_or(CodecError::Truncated)?;
                pos += 1;
                let t = if flag == 0 {
                    prev.clone()
                        .ok_or(CodecError::Damaged("repeat of no text"))?
                } else {
                    let len = get_varint(data, &mut pos)? as usize;
                    let bytes = data.get(pos..pos + len).ok_or(CodecError::Truncated)?;
                    pos += len;
                    Arc::from(std::str::from_utf8(bytes).map_err(|_| CodecError::Damaged("text"))?)
                };
                values.push(Value::Text(t.clone()));
                prev = Some(t);
            }
        }
        m if m == Mode::F64Xor as u8 => {
            let mut r = BitReader::new(&data[pos..]);
            for bits in get_xor(&mut r, good, 64)? {
                values.push(Value::Number(f64::from_bits(bits)));
            }
        }
        m if m == Mode::F32Xor as u8 => {
            let mut r = BitReader::new(&data[pos..]);
            for bits in get_xor(&mut r, good, 32)? {
                values.push(Value::Number(f32_to_f64(f32::from_bits(bits as u32))));
            }
        }
        m if m == Mode::DecimalDelta as u8 || m == Mode::DecimalDod as u8 => {
            let dod = m == Mode::DecimalDod as u8;
            let e = *data.get(pos).ok_or(CodecError::Truncated)?;
            pos += 1;
            if e > 6 {
                return Err(CodecError::Damaged("decimal exponent"));
            }
            let f = 10f64.powi(i32::from(e));
            if good > 0 {
                let first = unzigzag(get_varint(data, &mut pos)?);
                let mut r = BitReader::new(&data[pos..]);
                let mut v = first;
                let mut delta = 0i64;
                values.push(Value::Number(v as f64 / f));
                for _ in 1..good {
                    let x = get_signed(&mut r)?;
                    delta = if dod { delta.wrapping_add(x) } else { x };
                    v = v.wrapping_add(delta);
                    values.push(Value::Number(v as f64 / f));
                }
            }
        }
        _ => return Err(CodecError::Damaged("value coding")),
    }

    let mut values = values.into_iter();
    Ok(times
        .into_iter()
        .zip(qualities)
        .map(|(ts, q)| {
            if q.is_good() {
                Sample::good_value(tag, ts, values.next().unwrap_or(Value::Number(f64::NAN)))
            } else {
                Sample::bad(tag, ts, q)
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(samples: &[Sample]) -> usize {
        let data = encode(samples);
        let back = decode(samples.first().map_or(1, |s| s.tag_id), &data).unwrap();
        assert_eq!(back, samples);
        data.len()
    }

    #[test]
    fn negative_zero_comes_back_as_negative_zero() {
        for values in [vec![-0.0], vec![1.5, -0.0, 2.0], vec![-0.0, 0.0, 3.0]] {
            let s: Vec<Sample> = values
                .iter()
                .enumerate()
                .map(|(i, v)| Sample::good(4, i as i64 * 1000, *v))
                .collect();
            let back = decode(4, &encode(&s)).unwrap();
            let bits = |s: &[Sample]| -> Vec<_> {
                s.iter().map(|x| x.value().map(f64::to_bits)).collect()
            };
            assert_eq!(bits(&back), bits(&s), "{values:?}");
        }
    }

    #[test]
    fn regular_counter_costs_about_two_bits_a_sample() {
        let s: Vec<Sample> = (0..3600)
            .map(|i| Sample::good(1, 1_700_000_000_000 + i * 1000, (1000 + i) as f64))
            .collect();
        let bytes = roundtrip(&s);
        assert!(bytes < 3600 * 2 / 8 + 40, "{bytes} bytes");
    }

    #[test]
    fn scaled_temperature_and_float32() {
        let mut x = 250i64;
        let temps: Vec<Sample> = (0..600)
            .map(|i| {
                x += [0, 1, -1, 0, 2, -2, 0, 0][(i * 7 % 8) as usize];
                Sample::good(2, i * 1000, x as f64 / 10.0)
            })
            .collect();
        let bytes = roundtrip(&temps);
        assert!(bytes < 600, "{bytes} bytes for 600 scaled temperatures");
        let floats: Vec<Sample> = (0..600)
            .map(|i| Sample::good(3, i * 1000, f32_to_f64(230.0 + (i % 17) as f32 * 0.37)))
            .collect();
        roundtrip(&floats);
    }

    #[test]
    fn qualities_gaps_and_irregular_times() {
        let mut s = Vec::new();
        let mut t = 0;
        for i in 0..500i64 {
            t += if i % 50 == 0 { 73_000 } else { 1000 + (i % 3) };
            let q = match i % 97 {
                0..=3 => Quality::NoAnswer,
                4 => Quality::Exception(2),
                5 => Quality::BadValue,
                _ => Quality::Good,
            };
            s.push(if q.is_good() {
                Sample::good(4, t, (i as f64).sin() * 1e6)
            } else {
                Sample::bad(4, t, q)
            });
        }
        roundtrip(&s);
    }

    #[test]
    fn text_and_edge_values() {
        let s = vec![
            Sample::good_text(5, 0, "A-1"),
            Sample::good_text(5, 1, "A-1"),
            Sample::bad(5, 2, Quality::NoAnswer),
            Sample::good_text(5, 3, ""),
            Sample::good_text(5, 4, "Ü"),
        ];
        roundtrip(&s);
        let e = vec![
            Sample::good(6, -5, 0.0),
            Sample::good(6, 0, -0.0),
            Sample::good(6, i64::MAX / 4, f64::MAX),
            Sample::good(6, i64::MAX / 2, f64::MIN_POSITIVE),
            Sample::good(6, i64::MAX / 2 + 1, 4.5e15),
        ];
        roundtrip(&e);
        roundtrip(&[]);
        roundtrip(&[Sample::bad(7, 9, Quality::Stale)]);
    }

    #[test]
    fn damage_is_an_error_not_a_panic() {
        let s: Vec<Sample> = (0..100)
            .map(|i| Sample::good(1, i * 1000, i as f64 * 0.5))
            .collect();
        let data = encode(&s);
        for cut in 0..data.len() {
            let _ = decode(1, &data[..cut]);
        }
        let mut bad = data.clone();
        bad[0] = 9;
        assert_eq!(decode(1, &bad), Err(CodecError::Version(9)));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn quality() -> impl Strategy<Value = Quality> {
        prop_oneof![
            8 => Just(Quality::Good),
            1 => Just(Quality::NoAnswer),
            1 => (0u8..=255).prop_map(Quality::Exception),
            1 => Just(Quality::BadValue),
            1 => Just(Quality::Stale),
        ]
    }

    /// Values as the collector makes them: doubles, float32 registers, scaled integers.
    fn value(kind: u8) -> BoxedStrategy<f64> {
        match kind {
            0 => any::<f64>()
                .prop_filter("finite", |v| v.is_finite())
                .boxed(),
            1 => any::<f32>()
                .prop_filter("finite", |v| v.is_finite())
                .prop_map(f32_to_f64)
                .boxed(),
            _ => (-100_000i64..100_000, 0u32..4)
                .prop_map(|(i, e)| i as f64 / 10f64.powi(e as i32))
                .boxed(),
        }
    }

    fn samples() -> impl Strategy<Value = Vec<Sample>> {
        (0u8..3, 0i64..2_000_000_000_000).prop_flat_map(|(kind, start)| {
            prop::collection::vec((1i64..5000, quality(), value(kind)), 0..400).prop_map(move |v| {
                let mut t = start;
                v.into_iter()
                    .map(|(dt, q, x)| {
                        t += dt;
                        if q.is_good() {
                            Sample::good(9, t, x)
                        } else {
                            Sample::bad(9, t, q)
                        }
                    })
                    .collect()
            })
        })
    }

    proptest! {
        #[test]
        fn every_block_decodes_to_what_was_encoded(s in samples()) {
            let back = decode(9, &encode(&s)).unwrap();
            prop_assert_eq!(back.len(), s.len());
            for (a, b) in back.iter().zip(&s) {
                prop_assert_eq!(a.ts, b.ts);
                prop_assert_eq!(a.quality, b.quality);
                prop_assert_eq!(a.value().map(f64::to_bits), b.value().map(f64::to_bits));
            }
        }
    }
}
