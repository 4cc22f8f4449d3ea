//! Version 1 of the block format (Plantlog's first release): times as Gorilla
//! delta-of-delta bits, qualities as runs, values as XOR doubles or singles, or decimal
//! integers in delta or delta-of-delta bits, or text. Still read wherever old blocks
//! are; the compactor rewrites them to the current version over time. The encoder is
//! kept to make old-format blocks for tests and the migration benchmark.

use std::sync::Arc;

use super::bits::{
    BitReader, BitWriter, get_signed, get_varint, get_xor, put_signed, put_varint, put_xor,
    unzigzag, zigzag,
};
use super::{CodecError, all_f32, decimal_exponent, f32_to_f64, gcd};
use crate::sample::{Quality, Sample, TagId, Value};

/// Format version, the first byte of every block of this version.
pub(crate) const VERSION: u8 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    F64Xor = 0,
    F32Xor = 1,
    DecimalDelta = 2,
    DecimalDod = 3,
    Text = 4,
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
