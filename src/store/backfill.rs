//! Bulk loading: samples of many tags written straight into blocks and rollups, without
//! passing through hot rows: for imports, generated history and benchmarks. A window
//! that already holds a block is merged with it, so a backfill can fill holes in
//! collected data.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};

use super::codec;
use super::raw::{self, BLOCK_MS};
use super::rollup::{self, HOUR_MS, MINUTE_MS, Table};
use crate::sample::{Sample, TagId};

/// Writes `samples` (any tags, any order) into blocks and rollups in one transaction.
/// Returns the number of samples written.
pub fn backfill(conn: &mut Connection, samples: Vec<Sample>) -> rusqlite::Result<usize> {
    let mut windows: BTreeMap<(TagId, i64), Vec<Sample>> = BTreeMap::new();
    let n = samples.len();
    for s in samples {
        windows
            .entry((s.tag_id, s.ts.div_euclid(BLOCK_MS) * BLOCK_MS))
            .or_default()
            .push(s);
    }
    let tx = conn.transaction()?;
    {
        let mut existing =
            tx.prepare_cached("SELECT data FROM blocks WHERE tag_id = ?1 AND t0 = ?2")?;
        let mut put = tx.prepare_cached(
            "INSERT OR REPLACE INTO blocks (tag_id, t0, n, first, last, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut hours: BTreeMap<(TagId, i64), ()> = BTreeMap::new();
        for ((tag, t0), mut new) in windows {
            if let Some(data) = existing
                .query_row((tag, t0), |r| r.get::<_, Vec<u8>>(0))
                .optional()?
            {
                let mut old = codec::decode(tag, &data).unwrap_or_default();
                old.append(&mut new);
                new = old;
            }
            raw::merge_sorted(&mut new);
            let data = codec::encode(&new);
            put.execute((
                tag,
                t0,
                new.len() as i64,
                new[0].ts,
                new[new.len() - 1].ts,
                &data,
            ))?;
            rollup::store(
                &tx,
                Table::Minute,
                tag,
                t0,
                t0 + BLOCK_MS,
                &rollup::rollups(&new, MINUTE_MS),
            )?;
            hours.insert((tag, t0.div_euclid(HOUR_MS) * HOUR_MS), ());
        }
        for (tag, hour) in hours.into_keys() {
            let minutes = rollup::load(&tx, Table::Minute, tag, hour, hour + HOUR_MS)?;
            rollup::store(
                &tx,
                Table::Hour,
                tag,
                hour,
                hour + HOUR_MS,
                &rollup::merge_into(&minutes, HOUR_MS),
            )?;
        }
    }
    tx.commit()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;

    #[test]
    fn backfill_merges_with_what_is_there() {
        let mut conn = crate::store::memory();
        let a: Vec<Sample> = (0..100)
            .map(|i| Sample::good(1, i * 2000, i as f64))
            .collect();
        let b: Vec<Sample> = (0..100)
            .map(|i| Sample::good(1, i * 2000 + 1000, -(i as f64)))
            .collect();
        backfill(&mut conn, a.clone()).unwrap();
        backfill(&mut conn, b.clone()).unwrap();
        backfill(&mut conn, vec![Sample::bad(2, 5, Quality::NoAnswer)]).unwrap();
        let mut all = [a, b].concat();
        all.sort_by_key(|s| s.ts);
        assert_eq!(raw::read(&conn, 1, 0, 1_000_000).unwrap(), all);
        let h = rollup::load(&conn, Table::Hour, 1, 0, HOUR_MS).unwrap();
        assert_eq!(h[0].good, 200);
        assert_eq!(h[0].min, Some((199_000, -99.0)));
    }
}
