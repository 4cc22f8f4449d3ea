//! The historian's round trip, as a property: whatever samples arrive (bad qualities,
//! late arrivals into windows already compacted, backfills), every one reads back
//! exactly from blocks and rows, the stored rollups equal rollups computed from the
//! samples directly, and a chart at any resolution draws only points that are samples.

use std::collections::HashSet;
use std::time::Duration;

use proptest::prelude::*;

use super::rollup::{self, HOUR_MS, MINUTE_MS, Table};
use super::{backfill, compact, history, raw};
use crate::sample::{Quality, Sample, TagId};

const BASE: i64 = 1_800_000_000_000;

fn quality() -> impl Strategy<Value = Quality> {
    prop_oneof![
        10 => Just(Quality::Good),
        2 => Just(Quality::NoAnswer),
        1 => (1u8..12).prop_map(Quality::Exception),
        1 => Just(Quality::Stale),
    ]
}

/// Samples of three tags over about three hours, unique per tag and time, with the
/// order they arrive in and how each arrives (hot row, or backfill).
fn arrivals() -> impl Strategy<Value = Vec<(Sample, bool)>> {
    prop::collection::vec(
        (
            1i64..4,
            0i64..(3 * HOUR_MS / 500),
            quality(),
            -1000i64..1000,
            any::<bool>(),
            prop::bool::weighted(0.1),
        ),
        1..600,
    )
    .prop_map(|v| {
        let mut seen = HashSet::new();
        v.into_iter()
            .filter(|(tag, slot, ..)| seen.insert((*tag, *slot)))
            .map(|(tag, slot, q, x, decimal, backfilled)| {
                let ts = BASE + slot * 500;
                let value = if decimal {
                    x as f64 / 10.0
                } else {
                    x as f64 * 1.0001
                };
                let s = if q.is_good() {
                    Sample::good(tag, ts, value)
                } else {
                    Sample::bad(tag, ts, q)
                };
                (s, backfilled)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_sample_reads_back_from_blocks_rows_and_rollups(
        arrivals in arrivals(),
        compact_every in 1usize..80,
    ) {
        let mut conn = crate::store::memory();
        // Arrive in the generated order (late ones included), compacting now and then
        // with the clock far enough on that every window is closed.
        let now = BASE + 4 * HOUR_MS;
        for (i, (s, backfilled)) in arrivals.iter().enumerate() {
            if *backfilled {
                backfill::backfill(&mut conn, vec![s.clone()]).unwrap();
            } else {
                raw::insert(&conn, std::slice::from_ref(s)).unwrap();
            }
            if i % compact_every == compact_every - 1 {
                compact::compact(&mut conn, now, Duration::from_secs(60)).unwrap();
            }
        }
        compact::compact(&mut conn, now, Duration::from_secs(60)).unwrap();

        for tag in 1..4 as TagId {
            let mut want: Vec<Sample> = arrivals.iter().map(|a| a.0.clone()).filter(|s| s.tag_id == tag).collect();
            want.sort_by_key(|s| s.ts);
            let got = raw::read(&conn, tag, BASE, now).unwrap();
            prop_assert_eq!(&got, &want);

            let minutes = rollup::rollups(&want, MINUTE_MS);
            prop_assert_eq!(rollup::load(&conn, Table::Minute, tag, BASE, now).unwrap(), minutes.clone());
            let hours = rollup::merge_into(&minutes, HOUR_MS);
            prop_assert_eq!(rollup::load(&conn, Table::Hour, tag, BASE, now).unwrap(), hours);

            // A chart at every resolution draws only the samples themselves.
            let good: HashSet<(i64, u64)> = want
                .iter()
                .filter_map(|s| Some((s.ts, s.value()?.to_bits())))
                .collect();
            for points in [3u32, 50, 2000, 20_000] {
                let h = history::history(&conn, tag, BASE, now, points, 5000).unwrap();
                for (t, v) in h.t.iter().zip(&h.v) {
                    if let Some(v) = v {
                        prop_assert!(good.contains(&(*t, v.to_bits())), "{} px: ({}, {}) is no sample", points, t, v);
                    }
                }
                // Every good sample's extremes are drawn.
                if let Some(max) = want.iter().filter_map(|s| s.value()).reduce(f64::max) {
                    prop_assert!(h.v.iter().flatten().any(|v| *v == max), "{} px: the largest value is not drawn", points);
                }
            }
        }
    }
}
