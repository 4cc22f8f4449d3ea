//! Bulk loading: samples of many tags written straight into hour blocks and rollups,
//! without passing through hot rows: for imports, generated history and benchmarks. An
//! hour that already holds blocks is merged with them, so a backfill can fill holes in
//! collected data.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::blocks::{self, Target};
use super::rollup::HOUR_MS;
use crate::sample::{Sample, TagId};

/// Writes `samples` (any tags, any order) into blocks and rollups in one transaction.
/// Returns the number of samples written.
pub fn backfill(conn: &mut Connection, samples: Vec<Sample>) -> rusqlite::Result<usize> {
    let mut hours: BTreeMap<(TagId, i64), Vec<Sample>> = BTreeMap::new();
    let n = samples.len();
    for s in samples {
        hours
            .entry((s.tag_id, s.ts.div_euclid(HOUR_MS) * HOUR_MS))
            .or_default()
            .push(s);
    }
    // Read and written in one transaction that holds the write lock from its start, so a
    // commit of the running writer in between cannot fail it (SQLITE_BUSY_SNAPSHOT).
    let tx = crate::store::write_tx(conn)?;
    let mut plans = Vec::new();
    for ((tag, hour), new) in hours {
        plans.extend(blocks::plan_merge(&tx, tag, Target::Hour(hour), new)?);
    }
    blocks::apply_all(&tx, &mut plans)?;
    tx.commit()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;
    use crate::store::raw;
    use crate::store::rollup::{self, Table};

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
