//! Version 2 of the encoded minute rollups: the minutes' fields column by column
//! (counts, flags, times, values), the whole through zstd when that is smaller, and the
//! time-weighted sum left out when it follows from the sum (regular polls).
//!
//! When every value and sum of the hour is a decimal of one exponent (scaled integer
//! registers, counters, states, float32 values with few decimals), values are written
//! relative to the minute's smallest: the smallest as a step from the minute before,
//! first, last and largest as their distance above it, the sum as its excess over
//! `good * smallest`. Those are small numbers, so about half the bytes of coding each
//! column on its own (measured in docs/ARCHITECTURE.md). Otherwise each value column is
//! coded on its own, as steps or raw doubles.

use super::{
    Frame, Rollup, V2, Values, derived, derived_twa, flags, frame, hour_exponent, read_bitmap,
    read_frame, write_frame,
};
use crate::store::codec::{self, CodecError, get_varint, put_varint, unzigzag, zigzag};
use crate::store::rollup::MINUTE_MS;

/// Set in a minute's flags when its time-weighted sum is [`derived_twa`].
const TWA_DERIVED: u8 = 1 << 5;
const COLUMNS: u8 = 0;
const RELATIVE: u8 = 1;

pub(super) fn encode(hour: i64, minutes: &[Rollup]) -> Vec<u8> {
    let f = frame(hour, minutes, |m| !derived(m));
    let mut out = vec![V2];
    // One exponent for every value, sum and stored time-weighted sum of the hour?
    let body = match hour_exponent(minutes) {
        Some(e) => {
            out.push(RELATIVE);
            out.extend_from_slice(&f.bitmap.to_le_bytes());
            put_varint(&mut out, f.unit as u64);
            out.push(e as u8);
            relative(minutes, f.unit, 10f64.powi(e as i32))
        }
        None => {
            out.push(COLUMNS);
            write_frame(&mut out, &f);
            columns(minutes, &f)
        }
    };
    let mut framed = Vec::new();
    for c in &body {
        put_varint(&mut framed, c.len() as u64);
    }
    for c in &body {
        framed.extend_from_slice(c);
    }
    match codec::zstd_compress(&framed) {
        Ok(z) if z.len() + 4 < framed.len() => {
            out.push(1);
            put_varint(&mut out, framed.len() as u64);
            out.extend_from_slice(&z);
        }
        _ => {
            out.push(0);
            out.extend_from_slice(&framed);
        }
    }
    out
}

/// Counts, gap, flags and times: the columns both modes share.
fn common(cols: &mut [Vec<u8>], m: &Rollup, unit: i64) -> Option<[(i64, f64); 4]> {
    put_varint(&mut cols[0], m.good as u64);
    put_varint(&mut cols[0], m.bad as u64);
    put_varint(&mut cols[1], ((MINUTE_MS - m.twa_ms) / unit) as u64);
    let (Some(fst), Some(lst), Some(lo), Some(hi)) = (m.first, m.last, m.min, m.max) else {
        return None;
    };
    let twa = if derived(m) { TWA_DERIVED } else { 0 };
    cols[2].push(flags(fst, lst, lo, hi) | twa);
    let mut time = |p: (i64, f64)| put_varint(&mut cols[3], ((p.0 - m.t) / unit) as u64);
    time(fst);
    if lst != fst {
        time(lst);
    }
    if lo != fst && lo != lst {
        time(lo);
    }
    if hi != fst && hi != lst {
        time(hi);
    }
    Some([fst, lst, lo, hi])
}

fn relative(minutes: &[Rollup], unit: i64, f: f64) -> Vec<Vec<u8>> {
    let mut cols: Vec<Vec<u8>> = vec![Vec::new(); 8];
    let int = |v: f64| (v * f).round() as i64;
    let mut prev_min = 0i64;
    for m in minutes {
        let Some([fst, lst, lo, hi]) = common(&mut cols, m, unit) else {
            continue;
        };
        let lo_i = int(lo.1);
        put_varint(&mut cols[4], zigzag(lo_i.wrapping_sub(prev_min)));
        prev_min = lo_i;
        let above = |v: f64| zigzag(int(v).wrapping_sub(lo_i));
        if lo != fst {
            put_varint(&mut cols[5], above(fst.1));
        }
        if lst != fst && lo != lst {
            put_varint(&mut cols[5], above(lst.1));
        }
        if hi != fst && hi != lst {
            put_varint(&mut cols[5], above(hi.1));
        }
        // Wrapping: exact modulo 2^64, and the sums themselves fit.
        let sum = int(m.sum).wrapping_sub((m.good).wrapping_mul(lo_i));
        put_varint(&mut cols[6], zigzag(sum));
        if m.twa_ms > 0 && !derived(m) {
            let twa = int(m.twa_sum).wrapping_sub(m.twa_ms.wrapping_mul(lo_i));
            put_varint(&mut cols[7], zigzag(twa));
        }
    }
    cols
}

fn columns(minutes: &[Rollup], f: &Frame) -> Vec<Vec<u8>> {
    let mut values = Values {
        exponents: f.exponents,
        prev: [0; 6],
    };
    let mut cols: Vec<Vec<u8>> = vec![Vec::new(); 9];
    for m in minutes {
        let Some([fst, lst, lo, hi]) = common(&mut cols, m, f.unit) else {
            continue;
        };
        values.put(&mut cols[4], 0, fst.1);
        if lst != fst {
            values.put(&mut cols[5], 1, lst.1);
        }
        if lo != fst && lo != lst {
            values.put(&mut cols[6], 2, lo.1);
        }
        if hi != fst && hi != lst {
            values.put(&mut cols[7], 3, hi.1);
        }
        values.put(&mut cols[8], 4, m.sum);
        if m.twa_ms > 0 && !derived(m) {
            values.put(&mut cols[8], 5, m.twa_sum);
        }
    }
    cols
}

/// Reads the columns of a body: their lengths, then their bytes; returns the body and
/// each column's start.
pub(super) fn split(body: &[u8], n: usize) -> Result<Vec<usize>, CodecError> {
    let mut p = 0;
    let mut lens = Vec::with_capacity(n);
    for _ in 0..n {
        lens.push(get_varint(body, &mut p)? as usize);
    }
    let mut starts = Vec::with_capacity(n);
    for len in lens {
        starts.push(p);
        p = p.checked_add(len).ok_or(CodecError::Truncated)?;
    }
    if p > body.len() {
        return Err(CodecError::Truncated);
    }
    Ok(starts)
}

pub(super) fn decode(hour: i64, data: &[u8]) -> Result<Vec<Rollup>, CodecError> {
    let mut pos = 1;
    let mode = *data.get(pos).ok_or(CodecError::Truncated)?;
    pos += 1;
    let (bitmap, unit, scale, f) = match mode {
        RELATIVE => {
            let bitmap = read_bitmap(data, &mut pos)?;
            let unit = get_varint(data, &mut pos)? as i64;
            let e = *data.get(pos).ok_or(CodecError::Truncated)?;
            pos += 1;
            if e > 6 {
                return Err(CodecError::Damaged("decimal exponent"));
            }
            (bitmap, unit, Some(10f64.powi(i32::from(e))), None)
        }
        COLUMNS => {
            let f = read_frame(data, &mut pos)?;
            (f.bitmap, f.unit, None, Some(f))
        }
        _ => return Err(CodecError::Damaged("minutes mode")),
    };
    if unit < 1 {
        return Err(CodecError::Damaged("time unit"));
    }
    let body: Vec<u8> = match *data.get(pos).ok_or(CodecError::Truncated)? {
        0 => data.get(pos + 1..).ok_or(CodecError::Truncated)?.to_vec(),
        1 => {
            pos += 1;
            let len = get_varint(data, &mut pos)? as usize;
            if len > 1 << 20 {
                return Err(CodecError::Damaged("minutes length"));
            }
            codec::zstd_decompress(data.get(pos..).ok_or(CodecError::Truncated)?, len)
                .map_err(|_| CodecError::Damaged("zstd"))?
        }
        _ => return Err(CodecError::Damaged("minutes body")),
    };
    let mut p = split(&body, if scale.is_some() { 8 } else { 9 })?;
    let mut values = f.map(|f| Values {
        exponents: f.exponents,
        prev: [0; 6],
    });
    let mut prev_min = 0i64;
    let mut out = Vec::new();
    let read = |p: &mut usize| get_varint(&body, p);
    for i in 0..60 {
        if bitmap & (1 << i) == 0 {
            continue;
        }
        let t = hour + i * MINUTE_MS;
        let mut m = Rollup::empty(t);
        m.good = read(&mut p[0])? as i64;
        m.bad = read(&mut p[0])? as i64;
        m.twa_ms = MINUTE_MS.wrapping_sub((read(&mut p[1])? as i64).wrapping_mul(unit));
        if m.good == 0 {
            out.push(m);
            continue;
        }
        let fl = *body.get(p[2]).ok_or(CodecError::Truncated)?;
        p[2] += 1;
        let time = |p: &mut [usize]| -> Result<i64, CodecError> {
            Ok(t.wrapping_add((read(&mut p[3])? as i64).wrapping_mul(unit)))
        };
        let t_fst = time(&mut p)?;
        let t_lst = if fl & 1 == 0 {
            Some(time(&mut p)?)
        } else {
            None
        };
        let t_lo = if fl & 6 == 0 {
            Some(time(&mut p)?)
        } else {
            None
        };
        let t_hi = if fl & 24 == 0 {
            Some(time(&mut p)?)
        } else {
            None
        };
        let twa_stored = m.twa_ms > 0 && fl & TWA_DERIVED == 0;
        let (fst, lst, lo, hi);
        match (scale, values.as_mut()) {
            (Some(f), _) => {
                let lo_i = prev_min.wrapping_add(unzigzag(read(&mut p[4])?));
                prev_min = lo_i;
                let above = |p: &mut [usize]| -> Result<f64, CodecError> {
                    Ok(lo_i.wrapping_add(unzigzag(read(&mut p[5])?)) as f64 / f)
                };
                let lo_v = lo_i as f64 / f;
                let fst_v = if fl & 2 != 0 { lo_v } else { above(&mut p)? };
                fst = (t_fst, fst_v);
                lst = match t_lst {
                    None => fst,
                    Some(tl) if fl & 4 != 0 => (tl, lo_v),
                    Some(tl) => (tl, above(&mut p)?),
                };
                lo = match (fl & 2 != 0, fl & 4 != 0) {
                    (true, _) => fst,
                    (_, true) => lst,
                    _ => (t_lo.ok_or(CodecError::Damaged("time of min"))?, lo_v),
                };
                hi = match (fl & 8 != 0, fl & 16 != 0) {
                    (true, _) => fst,
                    (_, true) => lst,
                    _ => (
                        t_hi.ok_or(CodecError::Damaged("time of max"))?,
                        above(&mut p)?,
                    ),
                };
                let sum = unzigzag(read(&mut p[6])?).wrapping_add(m.good.wrapping_mul(lo_i));
                m.sum = sum as f64 / f;
                if twa_stored {
                    let twa = unzigzag(read(&mut p[7])?).wrapping_add(m.twa_ms.wrapping_mul(lo_i));
                    m.twa_sum = twa as f64 / f;
                }
            }
            (None, Some(v)) => {
                fst = (t_fst, v.get(&body, &mut p[4], 0)?);
                lst = match t_lst {
                    None => fst,
                    Some(tl) => (tl, v.get(&body, &mut p[5], 1)?),
                };
                lo = match (fl & 2 != 0, fl & 4 != 0) {
                    (true, _) => fst,
                    (_, true) => lst,
                    _ => (
                        t_lo.ok_or(CodecError::Damaged("time of min"))?,
                        v.get(&body, &mut p[6], 2)?,
                    ),
                };
                hi = match (fl & 8 != 0, fl & 16 != 0) {
                    (true, _) => fst,
                    (_, true) => lst,
                    _ => (
                        t_hi.ok_or(CodecError::Damaged("time of max"))?,
                        v.get(&body, &mut p[7], 3)?,
                    ),
                };
                m.sum = v.get(&body, &mut p[8], 4)?;
                if twa_stored {
                    m.twa_sum = v.get(&body, &mut p[8], 5)?;
                }
            }
            (None, None) => return Err(CodecError::Damaged("minutes mode")),
        }
        (m.first, m.last, m.min, m.max) = (Some(fst), Some(lst), Some(lo), Some(hi));
        if m.twa_ms > 0 && !twa_stored {
            m.twa_sum = derived_twa(&m).ok_or(CodecError::Damaged("derived mean"))?;
        }
        out.push(m);
    }
    Ok(out)
}
