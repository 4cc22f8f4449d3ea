//! Version 3 of the encoded minute rollups. For hours whose values and sums are all
//! decimals of one exponent (scaled integer registers, counters, states, float32 values
//! with few decimals) it writes what the minute before already says once (other hours
//! hold version 2's encoding after version 3's two first bytes):
//!
//! - a minute that holds one value all along, the last value of the minute before, with
//!   the hour's usual counts and times (a steady state, a counter at rest) is one bit of
//!   the hour's "unchanged" bitmap and nothing else;
//! - the usual counts (good, bad, the gap before the next sample) and the usual times of
//!   the first and last sample are written once for the hour; a minute that has them
//!   says so in its flags;
//! - the first value is a step from the last of the minute before (zero for most
//!   minutes of a counter or a state), the last a step from the first, the smallest and
//!   the largest their distance below and above those two, and the sum its difference
//!   from the count times the middle of the smallest and the largest (a counter's steady
//!   rise, a noisy value's mean);
//! - the columns then go through zstd when that is smaller.
//!
//! Every minute decodes to exactly the rollup that was encoded (an unchanged minute is
//! only written as one when its reconstruction is equal bit for bit).

use super::{Rollup, derived, derived_twa, frame, hour_exponent};
use crate::store::codec::{
    self, BitReader, BitWriter, CodecError, get_varint, put_varint, unzigzag, zigzag,
};
use crate::store::rollup::MINUTE_MS;

pub(super) const V3: u8 = 3;

// Flags of a minute that is not unchanged (bits 0-4 as in version 2: which of last,
// min and max repeat first or last).
const TWA_DERIVED: u8 = 1 << 5;
const USUAL_COUNTS: u8 = 1 << 6;
const USUAL_TIMES: u8 = 1 << 7;

// Header bits.
const ALL_MINUTES: u8 = 1;
const UNCHANGED: u8 = 2;
const ZSTD: u8 = 4;
/// The rest is a version 2 blob (values that are not all decimals of one exponent).
const V2_INSIDE: u8 = 8;
/// Smallest and largest are steps from the minute before's (noisy values), not
/// distances from the first and last (values that move).
const EXTREMES_FROM_BEFORE: u8 = 16;

const COLUMNS: usize = 11;
const C_FLAGS: usize = 0;
const C_COUNTS: usize = 1;
const C_TIMES: usize = 2;
const C_FIRST: usize = 3;
const C_LAST: usize = 4;
const C_MIN: usize = 5;
const C_MAX: usize = 6;
const C_SUM: usize = 7;
const C_TWA: usize = 8;
const C_EXTREME_TIMES: usize = 9;
/// The same as C_MIN and C_MAX, in the other way ([`EXTREMES_FROM_BEFORE`]); only one
/// of the two ways is written.
const C_OTHER: usize = 10;

/// A column written as its smallest value and every value's distance above it in as
/// few bits as the largest needs (frame of reference): a column of steps of a few
/// units takes a few bits a value, a constant one none.
fn pack(values: &[i64]) -> Vec<u8> {
    let Some(&lo) = values.iter().min() else {
        return Vec::new();
    };
    let span = values
        .iter()
        .map(|v| (*v as u64).wrapping_sub(lo as u64))
        .max()
        .unwrap_or(0);
    let width = 64 - span.leading_zeros();
    let mut out = Vec::new();
    put_varint(&mut out, zigzag(lo));
    out.push(width as u8);
    let mut w = BitWriter::new(out);
    for v in values {
        w.put((*v as u64).wrapping_sub(lo as u64), width);
    }
    w.finish()
}

/// Reads a [`pack`]ed column value by value.
struct Column<'a> {
    base: i64,
    width: u32,
    bits: BitReader<'a>,
}

impl<'a> Column<'a> {
    fn new(data: &'a [u8]) -> Result<Column<'a>, CodecError> {
        if data.is_empty() {
            // Nothing to read: any read is an error.
            return Ok(Column {
                base: 0,
                width: 1,
                bits: BitReader::new(data),
            });
        }
        let mut pos = 0;
        let base = unzigzag(get_varint(data, &mut pos)?);
        let width = u32::from(*data.get(pos).ok_or(CodecError::Truncated)?);
        if width > 64 {
            return Err(CodecError::Damaged("column width"));
        }
        Ok(Column {
            base,
            width,
            bits: BitReader::new(&data[pos + 1..]),
        })
    }

    fn next(&mut self) -> Result<i64, CodecError> {
        Ok(self.base.wrapping_add(self.bits.get(self.width)? as i64))
    }
}

/// The hour's usual counts and times, in units of the hour's time unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Usual {
    good: i64,
    gap: i64,
    first: i64,
    last: i64,
}

fn most_common(values: impl Iterator<Item = i64>) -> i64 {
    let mut counts: Vec<(i64, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(x, _)| *x == v) {
            Some(c) => c.1 += 1,
            None => counts.push((v, 1)),
        }
    }
    counts
        .iter()
        .max_by_key(|(v, n)| (*n, std::cmp::Reverse(*v)))
        .map_or(0, |c| c.0)
}

/// The minute an unchanged minute at `t` decodes to: `v` (scaled) all along.
fn unchanged(t: i64, v: i64, scale: f64, unit: i64, u: Usual) -> Option<Rollup> {
    if u.good < 1 {
        return None;
    }
    let value = v as f64 / scale;
    let fst = (t.wrapping_add(u.first.wrapping_mul(unit)), value);
    let lst = if u.good == 1 {
        fst
    } else {
        (t.wrapping_add(u.last.wrapping_mul(unit)), value)
    };
    let mut m = Rollup::empty(t);
    m.good = u.good;
    m.twa_ms = MINUTE_MS.wrapping_sub(u.gap.wrapping_mul(unit));
    (m.first, m.last, m.min, m.max) = (Some(fst), Some(lst), Some(fst), Some(fst));
    m.sum = v.wrapping_mul(u.good) as f64 / scale;
    if m.twa_ms > 0 {
        m.twa_sum = derived_twa(&m)?;
    }
    Some(m)
}

fn same_bits(a: &Rollup, b: &Rollup) -> bool {
    a == b && a.sum.to_bits() == b.sum.to_bits() && a.twa_sum.to_bits() == b.twa_sum.to_bits()
}

/// The sum's prediction: the count times the middle of the smallest and largest.
fn predicted_sum(good: i64, lo: i64, hi: i64) -> i64 {
    (i128::from(good) * (i128::from(lo) + i128::from(hi)) / 2) as i64
}

/// Encodes in version 3.
pub(super) fn encode(hour: i64, minutes: &[Rollup]) -> Vec<u8> {
    encode_decimals(hour, minutes).unwrap_or_else(|| {
        let mut out = vec![V3, V2_INSIDE];
        out.extend(super::v2::encode(hour, minutes));
        out
    })
}

/// Version 3 of an hour whose values and sums are decimals of one exponent; `None` for
/// other hours.
fn encode_decimals(hour: i64, minutes: &[Rollup]) -> Option<Vec<u8>> {
    let e = hour_exponent(minutes)?;
    let scale = 10f64.powi(e as i32);
    let int = |v: f64| (v * scale).round() as i64;
    let f = frame(hour, minutes, |_| true);
    let unit = f.unit;
    let good_ones = || minutes.iter().filter(|m| m.good > 0);
    let usual = Usual {
        good: most_common(minutes.iter().map(|m| m.good)),
        gap: most_common(minutes.iter().map(|m| (MINUTE_MS - m.twa_ms) / unit)),
        first: most_common(good_ones().filter_map(|m| m.first.map(|p| (p.0 - m.t) / unit))),
        last: most_common(good_ones().filter_map(|m| m.last.map(|p| (p.0 - m.t) / unit))),
    };

    let mut cols: Vec<Vec<i64>> = vec![Vec::new(); COLUMNS];
    let mut same = 0u64;
    // The first value of the hour, written once: every other is a step from it.
    let origin = minutes.iter().find_map(|m| m.first).map_or(0, |p| int(p.1));
    let (mut prev_last, mut prev_lo, mut prev_hi) = (origin, origin, origin);
    for m in minutes {
        let i = (m.t - hour) / MINUTE_MS;
        if let Some(u) = unchanged(m.t, prev_last, scale, unit, usual)
            && same_bits(&u, m)
        {
            same |= 1 << i;
            continue;
        }
        let gap = (MINUTE_MS - m.twa_ms) / unit;
        let (Some(fst), Some(lst), Some(lo), Some(hi)) = (m.first, m.last, m.min, m.max) else {
            // No good sample: counts only.
            cols[C_FLAGS].push(0);
            cols[C_COUNTS].extend([m.good, m.bad, gap]);
            continue;
        };
        let off = |p: (i64, f64)| (p.0 - m.t) / unit;
        let mut fl = super::flags(fst, lst, lo, hi);
        if derived(m) {
            fl |= TWA_DERIVED;
        }
        if m.good == usual.good && m.bad == 0 && gap == usual.gap {
            fl |= USUAL_COUNTS;
        } else {
            cols[C_COUNTS].extend([m.good, m.bad, gap]);
        }
        if off(fst) == usual.first && (lst == fst || off(lst) == usual.last) {
            fl |= USUAL_TIMES;
        } else {
            cols[C_TIMES].push(off(fst));
            if lst != fst {
                cols[C_TIMES].push(off(lst));
            }
        }
        cols[C_FLAGS].push(i64::from(fl));
        let (fst_i, lst_i, lo_i, hi_i) = (int(fst.1), int(lst.1), int(lo.1), int(hi.1));
        cols[C_FIRST].push(fst_i.wrapping_sub(prev_last));
        if lst != fst {
            cols[C_LAST].push(lst_i.wrapping_sub(fst_i));
        }
        if lo != fst && lo != lst {
            cols[C_EXTREME_TIMES].push(off(lo));
            cols[C_MIN].push(fst_i.min(lst_i).wrapping_sub(lo_i));
            cols[C_OTHER].push(lo_i.wrapping_sub(prev_lo));
        }
        if hi != fst && hi != lst {
            cols[C_EXTREME_TIMES].push(off(hi));
            cols[C_MAX].push(hi_i.wrapping_sub(fst_i.max(lst_i)));
            cols[C_OTHER].push(hi_i.wrapping_sub(prev_hi));
        }
        cols[C_SUM].push(int(m.sum).wrapping_sub(predicted_sum(m.good, lo_i, hi_i)));
        if m.twa_ms > 0 && !derived(m) {
            cols[C_TWA].push(int(m.twa_sum).wrapping_sub(m.twa_ms.wrapping_mul(lo_i)));
        }
        (prev_last, prev_lo, prev_hi) = (lst_i, lo_i, hi_i);
    }

    let mut head = 0u8;
    if f.bitmap == (1u64 << 60) - 1 {
        head |= ALL_MINUTES;
    }
    if same != 0 {
        head |= UNCHANGED;
    }
    let mut packed: Vec<Vec<u8>> = cols.iter().map(|c| pack(c)).collect();
    // Smallest and largest: whichever way is shorter.
    let both = packed[C_MIN].len() + packed[C_MAX].len();
    let other = std::mem::take(&mut packed[C_OTHER]);
    if other.len() < both {
        head |= EXTREMES_FROM_BEFORE;
        packed[C_MIN] = other;
        packed[C_MAX].clear();
    }
    packed.truncate(C_OTHER);
    let mut body = Vec::new();
    for c in &packed {
        put_varint(&mut body, c.len() as u64);
    }
    for c in &packed {
        body.extend_from_slice(c);
    }
    let z = codec::zstd_compress(&body)
        .ok()
        .filter(|z| z.len() + 2 < body.len());
    if z.is_some() {
        head |= ZSTD;
    }
    let mut out = vec![V3, head];
    if head & ALL_MINUTES == 0 {
        out.extend_from_slice(&f.bitmap.to_le_bytes());
    }
    if head & UNCHANGED != 0 {
        out.extend_from_slice(&same.to_le_bytes());
    }
    put_varint(&mut out, unit as u64);
    out.push(e as u8);
    for v in [usual.good, usual.gap, usual.first, usual.last] {
        put_varint(&mut out, v as u64);
    }
    put_varint(&mut out, zigzag(origin));
    match z {
        Some(z) => {
            put_varint(&mut out, body.len() as u64);
            out.extend_from_slice(&z);
        }
        None => out.extend_from_slice(&body),
    }
    Some(out)
}

fn u64_at(data: &[u8], pos: &mut usize) -> Result<u64, CodecError> {
    let b = data.get(*pos..*pos + 8).ok_or(CodecError::Truncated)?;
    *pos += 8;
    Ok(u64::from_le_bytes(
        b.try_into().map_err(|_| CodecError::Truncated)?,
    ))
}

/// Decodes a version 3 blob. With `sums` false the sums and time-weighted sums are left
/// at 0 (a chart needs only first, last, smallest, largest and the counts).
pub(super) fn decode(hour: i64, data: &[u8], sums: bool) -> Result<Vec<Rollup>, CodecError> {
    let mut pos = 1;
    let head = *data.get(pos).ok_or(CodecError::Truncated)?;
    pos += 1;
    if head & V2_INSIDE != 0 {
        let inner = &data[pos..];
        if codec::version(inner)? != super::V2 {
            return Err(CodecError::Damaged("minutes inside version 3"));
        }
        return super::v2::decode(hour, inner);
    }
    let bitmap = if head & ALL_MINUTES != 0 {
        (1u64 << 60) - 1
    } else {
        u64_at(data, &mut pos)?
    };
    let same = if head & UNCHANGED != 0 {
        u64_at(data, &mut pos)?
    } else {
        0
    };
    let unit = get_varint(data, &mut pos)? as i64;
    if unit < 1 {
        return Err(CodecError::Damaged("time unit"));
    }
    let e = *data.get(pos).ok_or(CodecError::Truncated)?;
    pos += 1;
    if e > 6 {
        return Err(CodecError::Damaged("decimal exponent"));
    }
    let scale = 10f64.powi(i32::from(e));
    let mut u = [0i64; 4];
    for v in &mut u {
        *v = get_varint(data, &mut pos)? as i64;
    }
    let usual = Usual {
        good: u[0],
        gap: u[1],
        first: u[2],
        last: u[3],
    };
    let origin = unzigzag(get_varint(data, &mut pos)?);
    let owned;
    let body: &[u8] = if head & ZSTD != 0 {
        let len = get_varint(data, &mut pos)? as usize;
        if len > 1 << 20 {
            return Err(CodecError::Damaged("minutes length"));
        }
        owned = codec::zstd_decompress(data.get(pos..).ok_or(CodecError::Truncated)?, len)
            .map_err(|_| CodecError::Damaged("zstd"))?;
        &owned
    } else {
        data.get(pos..).ok_or(CodecError::Truncated)?
    };
    let starts = super::v2::split(body, C_OTHER)?;
    let mut c = Vec::with_capacity(C_OTHER);
    for (k, s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(body.len());
        c.push(Column::new(
            body.get(*s..end).ok_or(CodecError::Truncated)?,
        )?);
    }
    let from_before = head & EXTREMES_FROM_BEFORE != 0;
    let mut out = Vec::with_capacity(bitmap.count_ones() as usize);
    let (mut prev_last, mut prev_lo, mut prev_hi) = (origin, origin, origin);
    for i in 0..60 {
        if bitmap & (1 << i) == 0 {
            continue;
        }
        let t = hour + i * MINUTE_MS;
        if same & (1 << i) != 0 {
            let mut m = unchanged(t, prev_last, scale, unit, usual)
                .ok_or(CodecError::Damaged("unchanged minute"))?;
            if !sums {
                (m.sum, m.twa_sum) = (0.0, 0.0);
            }
            out.push(m);
            continue;
        }
        let fl = u8::try_from(c[C_FLAGS].next()?).map_err(|_| CodecError::Damaged("flags"))?;
        let mut m = Rollup::empty(t);
        let gap;
        if fl & USUAL_COUNTS != 0 {
            (m.good, m.bad, gap) = (usual.good, 0, usual.gap);
        } else {
            m.good = c[C_COUNTS].next()?;
            m.bad = c[C_COUNTS].next()?;
            gap = c[C_COUNTS].next()?;
        }
        m.twa_ms = MINUTE_MS.wrapping_sub(gap.wrapping_mul(unit));
        if m.good == 0 {
            out.push(m);
            continue;
        }
        let at = |o: i64| t.wrapping_add(o.wrapping_mul(unit));
        let single = fl & 1 != 0;
        let (t_fst, t_lst) = if fl & USUAL_TIMES != 0 {
            (at(usual.first), at(usual.last))
        } else {
            let f = at(c[C_TIMES].next()?);
            let l = if single { f } else { at(c[C_TIMES].next()?) };
            (f, l)
        };
        let fst_i = prev_last.wrapping_add(c[C_FIRST].next()?);
        let lst_i = if single {
            fst_i
        } else {
            fst_i.wrapping_add(c[C_LAST].next()?)
        };
        let v = |i: i64| i as f64 / scale;
        let fst = (t_fst, v(fst_i));
        let lst = if single { fst } else { (t_lst, v(lst_i)) };
        let (lo, lo_i) = match (fl & 2 != 0, fl & 4 != 0) {
            (true, _) => (fst, fst_i),
            (_, true) => (lst, lst_i),
            _ => {
                let tm = at(c[C_EXTREME_TIMES].next()?);
                let i = if from_before {
                    prev_lo.wrapping_add(c[C_MIN].next()?)
                } else {
                    fst_i.min(lst_i).wrapping_sub(c[C_MIN].next()?)
                };
                ((tm, v(i)), i)
            }
        };
        let (hi, hi_i) = match (fl & 8 != 0, fl & 16 != 0) {
            (true, _) => (fst, fst_i),
            (_, true) => (lst, lst_i),
            _ => {
                let tm = at(c[C_EXTREME_TIMES].next()?);
                let i = if from_before {
                    prev_hi.wrapping_add(c[C_MIN].next()?)
                } else {
                    fst_i.max(lst_i).wrapping_add(c[C_MAX].next()?)
                };
                ((tm, v(i)), i)
            }
        };
        (m.first, m.last, m.min, m.max) = (Some(fst), Some(lst), Some(lo), Some(hi));
        let twa_stored = m.twa_ms > 0 && fl & TWA_DERIVED == 0;
        if sums {
            let sum = c[C_SUM]
                .next()?
                .wrapping_add(predicted_sum(m.good, lo_i, hi_i));
            m.sum = v(sum);
            if twa_stored {
                let twa = c[C_TWA].next()?.wrapping_add(m.twa_ms.wrapping_mul(lo_i));
                m.twa_sum = v(twa);
            } else if m.twa_ms > 0 {
                m.twa_sum = derived_twa(&m).ok_or(CodecError::Damaged("derived mean"))?;
            }
        }
        (prev_last, prev_lo, prev_hi) = (lst_i, lo_i, hi_i);
        out.push(m);
    }
    Ok(out)
}
