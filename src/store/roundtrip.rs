//! The historian's round trip, as a property: whatever samples arrive (bad qualities,
//! late arrivals into windows already compacted or hours already closed, backfills,
//! and a database of the first release underneath, converted meanwhile), every one
//! reads back exactly from blocks of any format and rows, the stored rollups equal
//! rollups computed from the samples directly (minute rollups where they are stored,
//! computed from samples where they are not), and a chart at any resolution draws only
//! points that are samples.

use std::collections::HashSet;
use std::time::Duration;

use proptest::prelude::*;

use super::rollup::{self, HOUR_MS, MINUTE_MS, Table};
use super::{backfill, compact, convert, history, raw};
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

/// How a sample arrives.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Way {
    /// Already in the database, written by the first release.
    Old,
    /// A hot row from the writer.
    Row,
    /// A backfill.
    Backfill,
}

/// Samples of three tags over about three hours, unique per tag and time, with the
/// order they arrive in and how each arrives.
fn arrivals() -> impl Strategy<Value = Vec<(Sample, Way)>> {
    prop::collection::vec(
        (
            1i64..4,
            0i64..(3 * HOUR_MS / 500),
            quality(),
            -1000i64..1000,
            any::<bool>(),
            prop_oneof![3 => Just(Way::Old), 6 => Just(Way::Row), 1 => Just(Way::Backfill)],
        ),
        1..600,
    )
    .prop_map(|v| {
        let mut seen = HashSet::new();
        v.into_iter()
            .filter(|(tag, slot, ..)| seen.insert((*tag, *slot)))
            .map(|(tag, slot, q, x, decimal, way)| {
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
                (s, way)
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
        convert_every in 1usize..200,
    ) {
        let mut conn = crate::store::memory();
        // A database of the first release, then arrivals in the generated order (late
        // ones included), compacting and closing hours now and then with the clock far
        // enough on that every window and hour is closed.
        let now = BASE + 4 * HOUR_MS;
        let old: Vec<Sample> = arrivals.iter().filter(|a| a.1 == Way::Old).map(|a| a.0.clone()).collect();
        convert::write_first_release(&mut conn, old).unwrap();
        let mut step = 0;
        for (s, way) in arrivals.iter().filter(|a| a.1 != Way::Old) {
            if *way == Way::Backfill {
                backfill::backfill(&mut conn, vec![s.clone()]).unwrap();
            } else {
                raw::insert(&conn, std::slice::from_ref(s)).unwrap();
            }
            step += 1;
            if step % compact_every == compact_every - 1 {
                compact::compact(&mut conn, now, Duration::from_secs(60)).unwrap();
            }
            if step % convert_every == convert_every - 1 {
                convert::convert(&mut conn, now, Duration::from_secs(60)).unwrap();
            }
        }
        // Read back wherever the samples are now: hot rows, fresh blocks, blocks of
        // either format, hour blocks.
        for tag in 1..4 as TagId {
            let mut want: Vec<Sample> = arrivals.iter().map(|a| a.0.clone()).filter(|s| s.tag_id == tag).collect();
            want.sort_by_key(|s| s.ts);
            prop_assert_eq!(raw::read(&conn, tag, BASE, now).unwrap(), want);
        }
        // The compactor's pass: the windows, then the closed hours.
        compact::compact(&mut conn, now, Duration::from_secs(60)).unwrap();

        for tag in 1..4 as TagId {
            let mut want: Vec<Sample> = arrivals.iter().map(|a| a.0.clone()).filter(|s| s.tag_id == tag).collect();
            want.sort_by_key(|s| s.ts);
            let got = raw::read(&conn, tag, BASE, now).unwrap();
            prop_assert_eq!(&got, &want);

            let minutes = rollup::rollups(&want, MINUTE_MS);
            prop_assert_eq!(rollup::minutes(&conn, tag, BASE, now).unwrap(), minutes.clone());
            for stored in rollup::load(&conn, Table::Minute, tag, BASE, now).unwrap() {
                prop_assert!(minutes.contains(&stored), "stored minute {:?} is not the samples' rollup", stored);
            }
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
