//! Tests of the block formats: every version round-trips exactly, damage is an error,
//! and the current version is at least as small as the first on plant-like data.

use super::*;
use crate::sample::Quality;

type Encoder = fn(&[Sample]) -> Vec<u8>;
const ENCODERS: [(&str, Encoder); 3] = [("v1", v1::encode), ("v2", encode_v2), ("v3", v2::encode)];

fn encode_v2(samples: &[Sample]) -> Vec<u8> {
    v2::encode_version(samples, v2::VERSION_2)
}

fn roundtrip(samples: &[Sample]) -> usize {
    let mut size = 0;
    for (name, enc) in ENCODERS {
        let data = enc(samples);
        let back = decode(samples.first().map_or(1, |s| s.tag_id), &data).unwrap();
        assert_eq!(back.len(), samples.len(), "{name}");
        for (a, b) in back.iter().zip(samples) {
            assert_eq!((a.ts, a.quality), (b.ts, b.quality), "{name}");
            assert_eq!(
                a.value().map(f64::to_bits),
                b.value().map(f64::to_bits),
                "{name}"
            );
            assert_eq!(a.text(), b.text(), "{name}");
        }
        size = data.len();
    }
    size
}

fn series(tag: TagId, n: i64, mut f: impl FnMut(i64) -> f64) -> Vec<Sample> {
    (0..n)
        .map(|i| Sample::good(tag, 1_700_000_000_000 + i * 1000, f(i)))
        .collect()
}

#[test]
fn negative_zero_comes_back_as_negative_zero() {
    for values in [vec![-0.0], vec![1.5, -0.0, 2.0], vec![-0.0, 0.0, 3.0]] {
        let s: Vec<Sample> = values
            .iter()
            .enumerate()
            .map(|(i, v)| Sample::good(4, i as i64 * 1000, *v))
            .collect();
        roundtrip(&s);
    }
}

#[test]
fn regular_series_cost_next_to_nothing() {
    // A counter advancing by one each second: one run.
    assert!(roundtrip(&series(1, 3600, |i| (1000 + i) as f64)) < 30);
    // A state that never changes.
    assert!(roundtrip(&series(1, 3600, |_| 1.0)) < 30);
    // A state that flips a dozen times an hour.
    let bytes = roundtrip(&series(1, 3600, |i| ((i / 300) % 2) as f64));
    assert!(bytes < 60, "{bytes} bytes");
}

#[test]
fn scaled_temperature_float32_and_doubles() {
    let mut x = 250i64;
    let temps: Vec<Sample> = series(2, 600, |i| {
        x += [0, 1, -1, 0, 2, -2, 0, 0][(i * 7 % 8) as usize];
        x as f64 / 10.0
    });
    let bytes = roundtrip(&temps);
    assert!(bytes < 300, "{bytes} bytes for 600 scaled temperatures");
    let floats = series(3, 600, |i| f32_to_f64(230.0 + (i % 17) as f32 * 0.37));
    roundtrip(&floats);
    let negative = series(3, 600, |i| f32_to_f64(-1.5 + (i % 17) as f32 * 0.37));
    roundtrip(&negative);
    roundtrip(&series(3, 300, |i| (i as f64).sin() * 1e6));
    roundtrip(&series(3, 30, |i| {
        [f64::NAN, f64::INFINITY, -f64::INFINITY, -0.0, 1e300][i as usize % 5]
    }));
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
fn text_extreme_times_and_edge_values() {
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
    // The current version holds any two times, however far apart.
    let far = vec![
        Sample::good(6, i64::MIN, 1.0),
        Sample::good(6, -1, 2.0),
        Sample::good(6, i64::MAX, 3.0),
    ];
    let back = decode(6, &encode(&far)).unwrap();
    assert_eq!(back, far);
    roundtrip(&[]);
    roundtrip(&[Sample::bad(7, 9, Quality::Stale)]);
}

#[test]
fn damage_is_an_error_not_a_panic() {
    let mut mixed = series(1, 700, |i| (i % 13) as f64 * 0.5);
    mixed[100] = Sample::bad(1, mixed[100].ts, Quality::NoAnswer);
    mixed[200].ts += 7;
    let texts: Vec<Sample> = (0..50)
        .map(|i| Sample::good_text(1, i * 10, &format!("lot {}", i / 7)))
        .collect();
    let floats = series(1, 400, |i| f32_to_f64(230.0 + (i % 17) as f32 * 0.37));
    for (_, enc) in ENCODERS {
        for s in [&mixed, &texts, &floats] {
            let data = enc(s);
            for cut in 0..data.len() {
                let _ = decode(1, &data[..cut]);
            }
            for i in 0..data.len() {
                let mut bad = data.clone();
                bad[i] ^= 0x5A;
                let _ = decode(1, &bad);
            }
        }
    }
    let mut bad = encode(&mixed);
    bad[0] = 9;
    assert_eq!(decode(1, &bad), Err(CodecError::Version(9)));
}

#[test]
fn the_current_version_is_never_much_larger_than_the_first() {
    let mut x = 300i64;
    let kinds = [
        series(1, 600, |i| (i % 7) as f64 * 0.25),
        series(1, 600, |i| {
            x += (i * 7919 % 5) - 2;
            x as f64 / 10.0
        }),
        series(1, 600, |i| f32_to_f64(230.0 + (i * 31 % 97) as f32 * 0.011)),
        series(1, 600, |i| (i as f64 * 0.001).exp()),
    ];
    for s in &kinds {
        let (a, b) = (v1::encode(s).len(), v2::encode(s).len());
        assert!(b <= a + 8, "v2 {b} bytes against v1 {a}");
    }
}

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

    /// Values as the collector makes them: doubles (any bits, NaN included), float32
    /// registers, scaled integers, states and counters.
    fn value(kind: u8) -> BoxedStrategy<f64> {
        match kind {
            0 => any::<u64>().prop_map(f64::from_bits).boxed(),
            1 => any::<f32>()
                .prop_filter("finite", |v| v.is_finite())
                .prop_map(f32_to_f64)
                .boxed(),
            2 => (-100_000i64..100_000, 0u32..4)
                .prop_map(|(i, e)| i as f64 / 10f64.powi(e as i32))
                .boxed(),
            _ => (0i64..3).prop_map(|i| i as f64).boxed(),
        }
    }

    fn samples() -> impl Strategy<Value = Vec<Sample>> {
        (0u8..4, any::<i64>(), 0u8..3).prop_flat_map(|(kind, start, times)| {
            let step = match times {
                0 => (1000i64..1001).boxed(),
                1 => (1i64..5000).boxed(),
                _ => (1i64..i64::MAX / 512).boxed(),
            };
            prop::collection::vec((step, quality(), value(kind)), 0..500).prop_map(move |v| {
                let mut t = start;
                let mut out = Vec::new();
                for (dt, q, x) in v {
                    out.push(if q.is_good() {
                        Sample::good(9, t, x)
                    } else {
                        Sample::bad(9, t, q)
                    });
                    match t.checked_add(dt) {
                        Some(next) => t = next,
                        None => break,
                    }
                }
                out
            })
        })
    }

    fn same(back: &[Sample], s: &[Sample]) -> Result<(), TestCaseError> {
        prop_assert_eq!(back.len(), s.len());
        for (a, b) in back.iter().zip(s) {
            prop_assert_eq!(a.ts, b.ts);
            prop_assert_eq!(a.quality, b.quality);
            prop_assert_eq!(a.value().map(f64::to_bits), b.value().map(f64::to_bits));
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn every_block_decodes_to_what_was_encoded(s in samples()) {
            same(&decode(9, &encode(&s)).unwrap(), &s)?;
        }

        /// Blocks of the first release (times within its range) still read exactly.
        #[test]
        fn first_version_blocks_still_read(s in samples()) {
            let span_ok = s.windows(2).all(|p| p[1].ts.checked_sub(p[0].ts).is_some_and(|d| d < i64::MAX / 4));
            prop_assume!(span_ok);
            same(&decode(9, &v1::encode(&s)).unwrap(), &s)?;
        }
    }
}

/// Float32 noise on a 230 V reading: version 3 writes its patterns in mixed radix
/// (17.6 bits a value for a span of 196,608 patterns, not 18), exactly; a version 2
/// block of the same samples reads the same and is larger.
#[test]
fn float32_noise_is_written_in_mixed_radix() {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let s = series(4, 3600, |_| {
        let v = (230.0 + rng.random_range(-1.5..1.5)) as f32;
        f32_to_f64(v)
    });
    roundtrip(&s);
    let (v2, v3) = (encode_v2(&s).len(), v2::encode(&s).len());
    assert!(v3 * 100 <= v2 * 99, "version 3 {v3} bytes, version 2 {v2}");
    assert!(v3 < 3600 * 177 / 80 + 40, "{v3} bytes for 3600 values");
    // Spans around every group size, and the last group cut short.
    for span in [
        3u64,
        5,
        6,
        7,
        1000,
        65_537,
        196_609,
        1 << 20 | 1,
        (1 << 31) + 3,
    ] {
        for n in [1usize, 2, 5, 13, 64] {
            let values: Vec<u64> = (0..n as u64)
                .map(|i| (i * 7919 + span / 2) % span)
                .collect();
            let packed = v2::radix_pack_for_tests(&values, span);
            assert_eq!(
                v2::radix_unpack_for_tests(&packed, span, n).unwrap(),
                values
            );
        }
    }
    // A version 2 block never holds the coding.
    let mut block = v2::encode(&s);
    block[0] = v2::VERSION_2;
    assert!(decode(4, &block).is_err());
}

#[test]
fn columns_give_each_value_as_the_block_codes_it_and_read_as_decode_does() {
    let mut temps = series(2, 600, |i| (250 + i % 7) as f64 / 10.0);
    temps[5] = Sample::bad(2, temps[5].ts, Quality::NoAnswer);
    let floats = series(3, 600, |i| f32_to_f64(230.0 + (i % 17) as f32 * 0.37));
    let noise = series(3, 600, |i| {
        f32_to_f64(1e-3 + (i as f32 * 0.37).sin() * 1e-4)
    });
    let doubles = series(3, 300, |i| (i as f64).sin() * 1e6);
    let texts: Vec<Sample> = (0..5)
        .map(|i| Sample::good_text(4, i * 1000, if i < 3 { "A-1" } else { "B-2" }))
        .collect();
    for (name, enc) in ENCODERS {
        let mut kinds = std::collections::BTreeSet::new();
        for s in [&temps, &floats, &noise, &doubles, &texts] {
            let data = enc(s);
            let cols = decode_columns(&data).unwrap();
            assert_eq!(
                cols.clone().into_samples(s[0].tag_id),
                decode(s[0].tag_id, &data).unwrap()
            );
            assert_eq!(cols.times, s.iter().map(|x| x.ts).collect::<Vec<_>>());
            assert_eq!(
                cols.qualities,
                s.iter().map(|x| x.quality).collect::<Vec<_>>()
            );
            let good: Vec<&Sample> = s.iter().filter(|x| x.quality.is_good()).collect();
            assert_eq!(cols.values.len(), good.len());
            kinds.insert(match &cols.values {
                BlockValues::Singles(_) => "singles",
                BlockValues::Decimals { .. } => "decimals",
                BlockValues::Doubles(_) => "doubles",
                BlockValues::Texts(_) => "texts",
            });
            match (&cols.values, name) {
                (BlockValues::Texts(t), _) => {
                    assert!(good.iter().zip(t).all(|(a, b)| a.text() == Some(&**b)))
                }
                // The first version gives every number as its double.
                (BlockValues::Doubles(_), "v1") => {}
                (BlockValues::Singles(f), _) => {
                    assert!(
                        std::ptr::eq(s, &floats) || std::ptr::eq(s, &noise),
                        "{name}"
                    );
                    for (a, b) in good.iter().zip(f) {
                        assert_eq!(a.value(), Some(f32_to_f64(*b)));
                        assert_eq!(a.value().map(|v| v as f32), Some(*b));
                    }
                }
                // The encoder keeps the smallest coding: float32 readings may be
                // decimals too.
                (BlockValues::Decimals { exponent, ints }, _) => {
                    assert!(!std::ptr::eq(s, &doubles), "{name}");
                    let f = 10f64.powi(i32::from(*exponent));
                    for (a, b) in good.iter().zip(ints) {
                        assert_eq!(a.value(), Some(*b as f64 / f));
                    }
                }
                (BlockValues::Doubles(d), _) => {
                    assert!(std::ptr::eq(s, &doubles), "{name}");
                    assert!(good.iter().zip(d).all(|(a, b)| a.value() == Some(*b)));
                }
            }
        }
        let want: &[&str] = if name == "v1" {
            &["doubles", "texts"]
        } else {
            &["decimals", "doubles", "singles", "texts"]
        };
        assert_eq!(kinds.into_iter().collect::<Vec<_>>(), want, "{name}");
    }
}
