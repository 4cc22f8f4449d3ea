//! Raw samples written below the position after it passed them go again, end to end:
//! a plant with two tags' history synced (raw samples) to the real central server on a
//! throwaway PostgreSQL cluster; then history loaded afterwards into hours already sent
//! and into an hour before them, and late readings merged into an hour already packed.
//! After the next drain the central server holds per tag and hour the plant's count and
//! checksums, every sample once. The same samples loaded again (nothing new) are not
//! noted.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::sample::Sample;
use crate::store::{Db, StoreError, backfill};

const HOUR: i64 = 3_600_000;

/// A whole-number value, so sums are exact on both sides.
fn value(tag: i64, ts: i64) -> f64 {
    ((ts / 1000 + tag * 17) % 1000) as f64
}

/// Per tag and hour: samples, sum of times, sum of values.
type Sums = BTreeMap<(i64, i64), (i64, i64, i64)>;

fn plant_sums(db: &Db) -> Sums {
    db.with(|c| {
        let mut out = Sums::new();
        for tag in [1, 2] {
            for s in crate::store::raw::read(c, tag, 0, i64::MAX)? {
                let e = out.entry((tag, s.ts.div_euclid(HOUR))).or_default();
                e.0 += 1;
                e.1 += s.ts;
                e.2 += s.value().unwrap_or(0.0) as i64;
            }
        }
        Ok::<_, StoreError>(out)
    })
    .unwrap()
}

async fn central_sums(client: &plantlog_central::tokio_postgres::Client) -> Sums {
    client
        .query(
            "SELECT tag_id, div(ts, 3600000)::bigint, count(*), sum(ts)::bigint,
                    sum(value)::bigint FROM samples GROUP BY 1, 2 ORDER BY 1, 2",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| ((r.get(0), r.get(1)), (r.get(2), r.get(3), r.get(4))))
        .collect()
}

fn noted(db: &Db) -> i64 {
    db.with(|c| Ok::<_, StoreError>(super::again::waiting(c)?))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn samples_loaded_below_the_position_are_sent_again_and_applied_once() {
    let now = crate::sample::now_ms();
    let start = (now - 8 * HOUR).div_euclid(HOUR) * HOUR;
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("plantlog.db")).unwrap();
    // History of two tags every 2 s (even seconds) over six hours.
    let history: Vec<Sample> = [1i64, 2]
        .iter()
        .flat_map(|&tag| {
            (0..6 * 1800)
                .map(move |i| start + i * 2000)
                .map(move |ts| Sample::good(tag, ts, value(tag, ts)))
        })
        .collect();
    let again_first = history.clone();
    db.with(move |c| {
        c.execute_batch(
            "INSERT INTO devices (id, key, name, protocol, endpoint) VALUES (1, 'meter', 'Meter', 'modbus-tcp', 'x');
             INSERT INTO tags (id, device_id, name, label, unit, poll_ms) VALUES
                 (1, 1, 'power', 'power', 'kW', 1000), (2, 1, 'energy', 'energy', 'kWh', 1000);",
        )?;
        backfill::backfill(c, history)?;
        Ok::<_, StoreError>(())
    })
    .unwrap();

    let central = super::tests_client::RealCentral::start(&db, dir.path(), "raw").await;
    let pool = central.pool.clone();
    let batches = super::client::drain(&db, dir.path()).await.unwrap();
    assert!(batches >= 1);
    let client = pool.get().await.unwrap();
    assert_eq!(central_sums(&client).await, plant_sums(&db));
    let position = db
        .with(|c| Ok::<_, StoreError>(super::outbox::state(c)?.acked_to_ts))
        .unwrap();
    // Past the last sample of the history (the last batch ends somewhere after it).
    assert!(position > start + 6 * HOUR - 2000, "the history went out");

    // The same history loaded again: the hours are rewritten, nothing new, no note.
    db.with(move |c| Ok::<_, StoreError>(backfill::backfill(c, again_first)?))
        .unwrap();
    assert_eq!(noted(&db), 0, "a rewrite without new samples is not noted");

    // History loaded afterwards: tag 1's odd seconds in its second and third hours (the
    // hours sent, merged with what they hold), and tag 2's hour before the history.
    let mut later: Vec<Sample> = (0..2 * 1800)
        .map(|i| start + HOUR + 1000 + i * 2000)
        .map(|ts| Sample::good(1, ts, value(1, ts)))
        .collect();
    later.extend(
        (0..3600)
            .map(|i| start - HOUR + i * 1000)
            .map(|ts| Sample::good(2, ts, value(2, ts))),
    );
    db.with(move |c| Ok::<_, StoreError>(backfill::backfill(c, later)?))
        .unwrap();
    assert_eq!(noted(&db), 3, "tag 1's two hours and tag 2's hour");
    // A device's buffered readings, stored late into tag 2's fifth hour (packed into
    // its hour block already): they land in the hot rows and the compactor merges them
    // into the hour.
    db.with(move |c| {
        let late: Vec<Sample> = (0..5)
            .map(|i| start + 4 * HOUR + 1001 + i * 2000)
            .map(|ts| Sample::good(2, ts, value(2, ts)))
            .collect();
        crate::store::hot::insert(c, &late)?;
        crate::store::compact::compact(c, crate::sample::now_ms(), Duration::from_secs(30))?;
        Ok::<_, StoreError>(())
    })
    .unwrap();
    assert_eq!(noted(&db), 4, "the late readings' hour too");
    assert_ne!(
        central_sums(&client).await,
        plant_sums(&db),
        "the central server lacks them before the drain"
    );

    let more = super::client::drain(&db, dir.path()).await.unwrap();
    assert!(more >= 1);
    assert_eq!(noted(&db), 0, "the notes leave with the acknowledgement");
    let plant = plant_sums(&db);
    assert_eq!(central_sums(&client).await, plant, "per tag and hour");
    let total: i64 = plant.values().map(|v| v.0).sum();
    assert_eq!(total, 2 * 6 * 1800 + 2 * 1800 + 3600 + 5);
    // Every sample once: the batches' new samples add up to what PostgreSQL holds.
    let row = client
        .query_one(
            "SELECT (SELECT count(*) FROM samples), (SELECT sum(new_samples)::bigint FROM batches),
                    (SELECT samples FROM sites WHERE name = 'plant-a')",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(
        (
            row.get::<_, i64>(0),
            row.get::<_, i64>(1),
            row.get::<_, i64>(2)
        ),
        (total, total, total)
    );
    // The samples sent again went in a batch of its own range at the position.
    let again: i64 = client
        .query_one(
            "SELECT count(*) FROM batches WHERE from_ts = to_ts AND new_samples > 0",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(again >= 1, "a batch carried only samples sent again");
    central.stop().await;
}
