//! The encoded minute rollups of one tag and hour (a row of `rollup_1m`): up to sixty
//! [`Rollup`]s in one blob. Version 2 is written now: the minutes' fields column by
//! column (counts, then flags, then times, then each value column as deltas from the
//! minute before), the whole through zstd when that is smaller, and the time-weighted
//! sum left out when it follows from the sum (regular polls). Version 3 (written now,
//! [`v3`]) writes what the minute before already says once: unchanged minutes as one bit,
//! the hour's usual counts and times once, values as steps from the minute before.
//! Versions 1 (of the first release) and 2 are still read, and the compactor rewrites
//! them in version 3 over time (store::convert). Pure functions, no I/O.

use super::codec::{self, CodecError, get_varint, put_varint, unzigzag, zigzag};
use super::rollup::{MINUTE_MS, Rollup};

const V1: u8 = 1;
const V2: u8 = 2;

mod v2;
mod v3;

/// The version [`encode`] writes.
pub const VERSION: u8 = v3::V3;

/// Encodes the minutes of the hour starting at `hour`, in the current version.
pub fn encode(hour: i64, minutes: &[Rollup]) -> Vec<u8> {
    v3::encode(hour, minutes)
}

/// Encodes in version 2, as the previous release wrote them (for tests).
#[cfg(test)]
pub(crate) fn encode_v2(hour: i64, minutes: &[Rollup]) -> Vec<u8> {
    v2::encode(hour, minutes)
}

/// Decodes minutes of any version.
pub fn decode(hour: i64, data: &[u8]) -> Result<Vec<Rollup>, CodecError> {
    match codec::version(data)? {
        V1 => decode_v1(hour, data),
        V2 => v2::decode(hour, data),
        v3::V3 => v3::decode(hour, data, true),
        v => Err(CodecError::Version(v)),
    }
}

/// Decodes minutes for a chart: first, last, smallest, largest and the counts are
/// exact; the sums and time-weighted sums may be left at 0 (version 3 skips them).
pub fn decode_extremes(hour: i64, data: &[u8]) -> Result<Vec<Rollup>, CodecError> {
    match codec::version(data)? {
        v3::V3 => v3::decode(hour, data, false),
        _ => decode(hour, data),
    }
}

/// The time-weighted sum when every sample of the minute was held equally long.
fn derived_twa(m: &Rollup) -> Option<f64> {
    (m.good > 0 && m.twa_ms % m.good == 0).then(|| m.sum * (m.twa_ms / m.good) as f64)
}

/// Whether the minute's stored time-weighted sum is the derived one (then not stored).
fn derived(m: &Rollup) -> bool {
    m.twa_ms > 0 && derived_twa(m).map(f64::to_bits) == Some(m.twa_sum.to_bits())
}

/// The one decimal exponent of every value, sum and stored time-weighted sum of the
/// hour's minutes, if there is one.
fn hour_exponent(minutes: &[Rollup]) -> Option<u32> {
    let mut all = Vec::new();
    for m in minutes {
        if let (Some(a), Some(b), Some(c), Some(d)) = (m.first, m.last, m.min, m.max) {
            all.extend([a.1, b.1, c.1, d.1, m.sum]);
            if m.twa_ms > 0 && !derived(m) {
                all.push(m.twa_sum);
            }
        }
    }
    crate::store::codec::decimal_exponent(&all)
}

/// What every version shares: the bitmap of minutes present, the time unit of the
/// offsets, and per value column its decimal exponent (None: raw doubles).
struct Frame {
    bitmap: u64,
    unit: i64,
    exponents: [Option<u32>; 6],
}

fn frame(hour: i64, minutes: &[Rollup], twa_column: impl Fn(&Rollup) -> bool) -> Frame {
    let mut bitmap = 0u64;
    let mut unit = 0u64;
    let mut columns: [Vec<f64>; 6] = Default::default();
    for m in minutes {
        let i = (m.t - hour) / MINUTE_MS;
        debug_assert!((0..60).contains(&i), "a minute outside its hour");
        bitmap |= 1 << i;
        for (ts, _) in [m.first, m.last, m.min, m.max].into_iter().flatten() {
            unit = codec::gcd(unit, (ts - m.t) as u64);
        }
        unit = codec::gcd(unit, (MINUTE_MS - m.twa_ms) as u64);
        if let (Some(a), Some(b), Some(c), Some(d)) = (m.first, m.last, m.min, m.max) {
            columns[0].push(a.1);
            columns[1].push(b.1);
            columns[2].push(c.1);
            columns[3].push(d.1);
            columns[4].push(m.sum);
            if m.twa_ms > 0 && twa_column(m) {
                columns[5].push(m.twa_sum);
            }
        }
    }
    let mut exponents = [None; 6];
    for (e, c) in exponents.iter_mut().zip(&columns) {
        *e = codec::decimal_exponent(c);
    }
    Frame {
        bitmap,
        unit: unit.max(1) as i64,
        exponents,
    }
}

/// Writes one value of column `col`: a decimal delta from the column's last value, or
/// the raw double.
struct Values {
    exponents: [Option<u32>; 6],
    prev: [i64; 6],
}

impl Values {
    fn put(&mut self, out: &mut Vec<u8>, col: usize, v: f64) {
        match self.exponents[col] {
            Some(e) => {
                let i = (v * 10f64.powi(e as i32)).round() as i64;
                put_varint(out, zigzag(i.wrapping_sub(self.prev[col])));
                self.prev[col] = i;
            }
            None => out.extend_from_slice(&v.to_bits().to_le_bytes()),
        }
    }

    fn get(&mut self, data: &[u8], pos: &mut usize, col: usize) -> Result<f64, CodecError> {
        match self.exponents[col] {
            None => {
                let b = data.get(*pos..*pos + 8).ok_or(CodecError::Truncated)?;
                *pos += 8;
                Ok(f64::from_bits(u64::from_le_bytes(
                    b.try_into().map_err(|_| CodecError::Truncated)?,
                )))
            }
            Some(e) => {
                let i = self.prev[col].wrapping_add(unzigzag(get_varint(data, pos)?));
                self.prev[col] = i;
                Ok(i as f64 / 10f64.powi(e as i32))
            }
        }
    }
}

/// Reads a frame starting at `pos`.
fn read_frame(data: &[u8], pos: &mut usize) -> Result<Frame, CodecError> {
    let bitmap = read_bitmap(data, pos)?;
    let unit = get_varint(data, pos)? as i64;
    if unit < 1 {
        return Err(CodecError::Damaged("time unit"));
    }
    let mut exponents = [None; 6];
    for e in &mut exponents {
        let b = *data.get(*pos).ok_or(CodecError::Truncated)?;
        *pos += 1;
        *e = match b {
            255 => None,
            0..=6 => Some(u32::from(b)),
            _ => return Err(CodecError::Damaged("decimal exponent")),
        };
    }
    Ok(Frame {
        bitmap,
        unit,
        exponents,
    })
}

fn read_bitmap(data: &[u8], pos: &mut usize) -> Result<u64, CodecError> {
    let b = data.get(*pos..*pos + 8).ok_or(CodecError::Truncated)?;
    *pos += 8;
    Ok(u64::from_le_bytes(
        b.try_into().map_err(|_| CodecError::Truncated)?,
    ))
}

fn write_frame(out: &mut Vec<u8>, f: &Frame) {
    out.extend_from_slice(&f.bitmap.to_le_bytes());
    put_varint(out, f.unit as u64);
    for e in &f.exponents {
        out.push(e.map_or(255, |e| e as u8));
    }
}

/// Which of last, min and max repeat first or last (bit 0 last = first, 1 min = first,
/// 2 min = last, 3 max = first, 4 max = last).
fn flags(fst: (i64, f64), lst: (i64, f64), lo: (i64, f64), hi: (i64, f64)) -> u8 {
    u8::from(lst == fst)
        | u8::from(lo == fst) << 1
        | u8::from(lo == lst) << 2
        | u8::from(hi == fst) << 3
        | u8::from(hi == lst) << 4
}

// ------------------------------------------------------------------ version 1

/// Version 1: per minute its counts, flags, times and values in a row; kept to make
/// first-release rows for tests and the conversion benchmark.
pub(crate) fn encode_v1(hour: i64, minutes: &[Rollup]) -> Vec<u8> {
    let f = frame(hour, minutes, |_| true);
    let mut out = vec![V1];
    write_frame(&mut out, &f);
    let unit = f.unit;
    let mut values = Values {
        exponents: f.exponents,
        prev: [0; 6],
    };
    for m in minutes {
        put_varint(&mut out, m.good as u64);
        put_varint(&mut out, m.bad as u64);
        put_varint(&mut out, ((MINUTE_MS - m.twa_ms) / unit) as u64);
        let (Some(fst), Some(lst), Some(lo), Some(hi)) = (m.first, m.last, m.min, m.max) else {
            continue;
        };
        out.push(flags(fst, lst, lo, hi));
        let mut point = |out: &mut Vec<u8>, col: usize, p: (i64, f64)| {
            put_varint(out, ((p.0 - m.t) / unit) as u64);
            values.put(out, col, p.1);
        };
        point(&mut out, 0, fst);
        if lst != fst {
            point(&mut out, 1, lst);
        }
        if lo != fst && lo != lst {
            point(&mut out, 2, lo);
        }
        if hi != fst && hi != lst {
            point(&mut out, 3, hi);
        }
        values.put(&mut out, 4, m.sum);
        if m.twa_ms > 0 {
            values.put(&mut out, 5, m.twa_sum);
        }
    }
    out
}

fn decode_v1(hour: i64, data: &[u8]) -> Result<Vec<Rollup>, CodecError> {
    let mut pos = 1;
    let f = read_frame(data, &mut pos)?;
    let unit = f.unit;
    let mut values = Values {
        exponents: f.exponents,
        prev: [0; 6],
    };
    let mut out = Vec::new();
    for i in 0..60 {
        if f.bitmap & (1 << i) == 0 {
            continue;
        }
        let t = hour + i * MINUTE_MS;
        let mut m = Rollup::empty(t);
        m.good = get_varint(data, &mut pos)? as i64;
        m.bad = get_varint(data, &mut pos)? as i64;
        m.twa_ms = MINUTE_MS.wrapping_sub((get_varint(data, &mut pos)? as i64).wrapping_mul(unit));
        if m.good > 0 {
            let fl = *data.get(pos).ok_or(CodecError::Truncated)?;
            pos += 1;
            let mut point = |pos: &mut usize, col: usize| -> Result<(i64, f64), CodecError> {
                let off = (get_varint(data, pos)? as i64).wrapping_mul(unit);
                Ok((t.wrapping_add(off), values.get(data, pos, col)?))
            };
            let fst = point(&mut pos, 0)?;
            let lst = if fl & 1 != 0 {
                fst
            } else {
                point(&mut pos, 1)?
            };
            let lo = match fl {
                _ if fl & 2 != 0 => fst,
                _ if fl & 4 != 0 => lst,
                _ => point(&mut pos, 2)?,
            };
            let hi = match fl {
                _ if fl & 8 != 0 => fst,
                _ if fl & 16 != 0 => lst,
                _ => point(&mut pos, 3)?,
            };
            (m.first, m.last, m.min, m.max) = (Some(fst), Some(lst), Some(lo), Some(hi));
            m.sum = values.get(data, &mut pos, 4)?;
        }
        if m.twa_ms > 0 && m.good > 0 {
            m.twa_sum = values.get(data, &mut pos, 5)?;
        }
        out.push(m);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{Quality, Sample};
    use crate::store::rollup::rollups;

    fn hour_of(f: impl Fn(i64) -> Option<Sample>) -> Vec<Rollup> {
        let s: Vec<Sample> = (0..3600).filter_map(f).collect();
        rollups(&s, MINUTE_MS)
    }

    #[test]
    fn both_versions_round_trip() {
        let hour = 7 * 3_600_000;
        let dense = hour_of(|i| {
            let ts = hour + i * 1000;
            if (600..720).contains(&i) {
                return None; // two empty minutes
            }
            Some(if i == 100 {
                Sample::bad(1, ts, Quality::NoAnswer)
            } else {
                Sample::good(1, ts, 20.0 + ((i * 31) % 17) as f64 * 0.1)
            })
        });
        let odd = hour_of(|i| {
            (i % 7 == 0).then(|| Sample::good(1, hour + i * 1000 + i % 3, (i as f64).sqrt()))
        });
        let text_free_sparse =
            hour_of(|i| (i % 900 == 5).then(|| Sample::good(1, hour + i * 1000, -0.0)));
        for m in [&dense, &odd, &text_free_sparse] {
            for data in [encode_v1(hour, m), encode_v2(hour, m), encode(hour, m)] {
                assert_eq!(&decode(hour, &data).unwrap(), m);
                // A chart's decoding: everything but the sums.
                let ex = decode_extremes(hour, &data).unwrap();
                assert_eq!(ex.len(), m.len());
                for (a, b) in ex.iter().zip(m.iter()) {
                    assert_eq!(
                        (a.t, a.first, a.last, a.min, a.max, a.good, a.bad),
                        (b.t, b.first, b.last, b.min, b.max, b.good, b.bad)
                    );
                }
            }
        }
        assert_eq!(codec::version(&encode(hour, &dense)).unwrap(), VERSION);
        let (v1, v2) = (encode_v1(hour, &dense).len(), encode_v2(hour, &dense).len());
        assert!(v2 * 2 < v1, "{v2} bytes against {v1}");
    }

    /// Minutes of the benchmark's plant (1 Hz): version 3 writes steady states and
    /// counters in a fraction of version 2's bytes, and never more on any kind.
    #[test]
    fn steady_states_and_counters_cost_little() {
        use crate::sim::bench::historian::{Kind, Signal};
        let hour0 = 1_700_000_000_000i64.div_euclid(3_600_000) * 3_600_000;
        let mut by: std::collections::BTreeMap<String, (usize, usize, usize)> = Default::default();
        for tag in 1..=40 {
            let mut sig = Signal::new(tag);
            for h in 0..2 {
                let hour = hour0 + h * 3_600_000;
                let s: Vec<Sample> = (0..3600)
                    .map(|i| Sample::good(tag, hour + i * 1000, sig.step()))
                    .collect();
                let m = rollups(&s, MINUTE_MS);
                let new = encode(hour, &m);
                assert_eq!(decode(hour, &new).unwrap(), m);
                let e = by.entry(format!("{:?}", Kind::of(tag))).or_default();
                e.0 += 1;
                e.1 += encode_v2(hour, &m).len();
                e.2 += new.len();
            }
        }
        for (kind, (n, v2, v3)) in &by {
            let (v2, v3) = (*v2 as f64 / *n as f64, *v3 as f64 / *n as f64);
            println!("{kind:8} bytes per tag-hour: version 2 {v2:6.1}, version 3 {v3:6.1}");
            assert!(v3 <= v2, "{kind}: {v3} against {v2}");
        }
        let per = |k: &str| by[k].2 as f64 / by[k].0 as f64;
        assert!(per("State") < 100.0, "{}", per("State"));
        assert!(per("Counter") < 250.0, "{}", per("Counter"));
    }

    #[test]
    fn damage_is_an_error_not_a_panic() {
        let hour = 0;
        let m = hour_of(|i| Some(Sample::good(1, hour + i * 1000, (i % 50) as f64 * 0.5)));
        let steady = hour_of(|i| Some(Sample::good(1, hour + i * 1000, (i / 500) as f64)));
        for data in [
            encode_v1(hour, &m),
            encode_v2(hour, &m),
            encode(hour, &m),
            encode(hour, &steady),
        ] {
            for cut in 0..data.len() {
                let _ = decode(hour, &data[..cut]);
                let _ = decode_extremes(hour, &data[..cut]);
            }
            for i in 0..data.len() {
                let mut bad = data.clone();
                bad[i] ^= 0x33;
                let _ = decode(hour, &bad);
                let _ = decode_extremes(hour, &bad);
            }
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn value(kind: u8) -> BoxedStrategy<f64> {
            match kind {
                0 => any::<f64>()
                    .prop_filter("finite", |v| v.is_finite())
                    .boxed(),
                1 => (-100_000i64..100_000, 0u32..4)
                    .prop_map(|(i, e)| i as f64 / 10f64.powi(e as i32))
                    .boxed(),
                _ => (0i64..3).prop_map(|i| i as f64).boxed(),
            }
        }

        proptest! {
            #[test]
            fn every_hour_of_minutes_decodes_to_what_was_encoded(
                kind in 0u8..3,
                steps in prop::collection::vec((1i64..20_000, 0u8..8), 1..400),
                values in prop::collection::vec(any::<u64>(), 400),
            ) {
                let hour = 3_600_000 * 500_000;
                let mut t = hour;
                let mut s = Vec::new();
                let mut runner = proptest::test_runner::TestRunner::deterministic();
                for (i, (dt, q)) in steps.iter().enumerate() {
                    t += dt;
                    if t >= hour + 3_600_000 {
                        break;
                    }
                    let v = value(kind).new_tree(&mut runner).unwrap().current();
                    let v = if values[i] % 5 == 0 { -v } else { v };
                    s.push(if *q == 0 { Sample::bad(1, t, Quality::NoAnswer) } else { Sample::good(1, t, v) });
                }
                let m = rollups(&s, MINUTE_MS);
                same_after_all_versions(hour, &m)?;
            }

            /// Regular polls of a value that mostly stays or steps (states, counters,
            /// scaled registers), with gaps and bad samples: unchanged minutes and the
            /// hour's usual counts and times.
            #[test]
            fn steady_and_stepping_minutes_decode_to_what_was_encoded(
                period in prop::sample::select(vec![1000i64, 2000, 5000, 10_000, 60_000]),
                offset in 0i64..1000,
                steps in prop::collection::vec(0u8..40, 3600),
                scale in prop::sample::select(vec![1.0f64, 10.0, 1000.0]),
            ) {
                let hour = 3_600_000 * 490_000;
                let mut v = 1_000_000i64;
                let mut s = Vec::new();
                for (i, step) in steps.iter().enumerate() {
                    let t = hour + offset + i as i64 * period;
                    if t >= hour + 3_600_000 {
                        break;
                    }
                    match step {
                        0 => v += 1,
                        1 => v -= 3,
                        2 => continue, // a missed poll
                        3 => {
                            s.push(Sample::bad(1, t, Quality::NoAnswer));
                            continue;
                        }
                        4 => v = -v,
                        _ => {}
                    }
                    s.push(Sample::good(1, t, v as f64 / scale));
                }
                let m = rollups(&s, MINUTE_MS);
                same_after_all_versions(hour, &m)?;
            }
        }

        fn same_after_all_versions(hour: i64, m: &[Rollup]) -> Result<(), TestCaseError> {
            for data in [encode_v2(hour, m), encode(hour, m)] {
                let back = decode(hour, &data).unwrap();
                prop_assert_eq!(back.len(), m.len());
                for (a, b) in back.iter().zip(m) {
                    prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
                    prop_assert_eq!(a.sum.to_bits(), b.sum.to_bits());
                    prop_assert_eq!(a.twa_sum.to_bits(), b.twa_sum.to_bits());
                }
                let ex = decode_extremes(hour, &data).unwrap();
                for (a, b) in ex.iter().zip(m) {
                    prop_assert_eq!(
                        format!(
                            "{:?}",
                            (a.t, a.first, a.last, a.min, a.max, a.good, a.bad, a.twa_ms)
                        ),
                        format!(
                            "{:?}",
                            (b.t, b.first, b.last, b.min, b.max, b.good, b.bad, b.twa_ms)
                        )
                    );
                }
            }
            Ok(())
        }
    }
}
