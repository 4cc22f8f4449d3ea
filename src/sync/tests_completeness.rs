//! Completeness per shift and tag, end to end: a plant (shifts in Europe/Berlin, a meter
//! read every second and one stored on change with a heartbeat) whose device did not
//! answer for 90 minutes and which was stopped for 45, syncing its rollups to the real
//! central server on a throwaway PostgreSQL cluster. The central views give the fraction
//! of expected samples per shift and tag and each gap with its cause to the second;
//! first with one batch sent (the rest "not yet synced"), then with everything.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use plantlog_central::tokio_postgres::Row;

use crate::auth::audit::Actor;
use crate::sample::{Quality, Sample};
use crate::store::{Db, StoreError, backfill};

const HOUR: i64 = 3_600_000;

const CONFIG: &str = r#"
[site]
name = "Plant A"
timezone = "Europe/Berlin"

[[shifts]]
name = "Early"
start = "06:00"
end = "14:00"

[[shifts]]
name = "Late"
start = "14:00"
end = "22:00"

[[shifts]]
name = "Night"
start = "22:00"
end = "06:00"

[[devices]]
key = "meter"
protocol = "modbus-tcp"
host = "127.0.0.1"
poll_ms = 1000

[[devices.tags]]
name = "power"
unit = "kW"
function = "holding"
address = 0
type = "u16"

[[devices.tags]]
name = "energy"
unit = "kWh"
function = "holding"
address = 1
type = "u16"
record = "on_change"
heartbeat_s = 60
"#;

/// A local time in Berlin on `day`, as UTC ms (computed here, apart from the plant's
/// calendar).
fn berlin(day: Date, h: i8, m: i8) -> i64 {
    day.to_datetime(jiff::civil::Time::new(h, m, 0, 0).unwrap())
        .to_zoned_datetime(TimeZone::get("Europe/Berlin").unwrap())
        .unwrap()
        .timestamp()
        .as_millisecond()
}

fn rows_of(rows: &[Row]) -> Vec<(String, String, i64, i64, f64)> {
    rows.iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completeness_per_shift_and_tag_with_the_gaps_causes_to_the_second() {
    // Day D three days ago (local date in Berlin).
    let now = crate::sample::now_ms();
    let today = jiff::Timestamp::from_millisecond(now)
        .unwrap()
        .to_zoned_datetime(TimeZone::get("Europe/Berlin").unwrap())
        .date();
    let d = today.checked_sub(jiff::Span::new().days(3)).unwrap();
    let d1 = d.tomorrow().unwrap();
    let early = (berlin(d, 6, 0), berlin(d, 14, 0));
    let night = (berlin(d, 22, 0), berlin(d1, 6, 0));
    let offline = (berlin(d, 7, 0), berlin(d, 8, 30));
    let down = (berlin(d, 10, 0), berlin(d, 10, 45));
    // The power meter answers with a Modbus exception for 150 s in the late shift: no
    // known cause, a gap listed by time.
    let late = (berlin(d, 14, 0), berlin(d, 22, 0));
    let refused = (berlin(d, 15, 20), berlin(d, 15, 22) + 30_000);
    // Samples from an hour before the early shift to the end of the night shift.
    let (from, to) = (early.0 - HOUR, night.1);

    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("plantlog.db")).unwrap();
    let cfg = crate::config::parse(CONFIG).unwrap();
    let (power, energy) = db
        .with(|c| {
            crate::config::import(
                c,
                &cfg,
                CONFIG,
                crate::config::Base::Any,
                &Actor::command_line(),
            )
            .unwrap();
            let plant = crate::config::load_plant(c).unwrap();
            Ok::<_, StoreError>((
                plant.tag_id("meter", "power").unwrap(),
                plant.tag_id("meter", "energy").unwrap(),
            ))
        })
        .unwrap();
    let mut samples = Vec::new();
    let mut ts = from;
    while ts < to {
        let running = !(down.0..down.1).contains(&ts);
        let answers = !(offline.0..offline.1).contains(&ts);
        if running {
            if (refused.0..refused.1).contains(&ts) {
                samples.push(Sample::bad(power, ts, Quality::Exception(2)));
            } else if answers {
                samples.push(Sample::good(power, ts, (ts / 1000 % 500) as f64));
            } else {
                samples.push(Sample::bad(power, ts, Quality::NoAnswer));
            }
            // Stored on change with a heartbeat of a minute: a steady value, stored
            // every minute, and the quality change at once.
            if (ts - from) % 60_000 == 0 || ts == offline.0 || ts == offline.1 {
                if answers {
                    samples.push(Sample::good(energy, ts, 7.0));
                } else {
                    samples.push(Sample::bad(energy, ts, Quality::NoAnswer));
                }
            }
        }
        ts += 1000;
    }
    for chunk in samples.chunks(200_000) {
        let chunk = chunk.to_vec();
        db.with(move |c| Ok::<_, StoreError>(backfill::backfill(c, chunk)?))
            .unwrap();
    }
    // Plantlog ran from before the samples to the stop, and again from the restart.
    db.with(move |c| {
        c.execute(
            "INSERT INTO runs (started_at, alive_at, stopped_at) VALUES (?1, ?2, ?2)",
            [from - 60_000, down.0],
        )?;
        c.execute(
            "INSERT INTO runs (started_at, alive_at) VALUES (?1, ?2)",
            [down.1, now],
        )?;
        Ok::<_, StoreError>(())
    })
    .unwrap();

    // The central server on a throwaway cluster.
    let central = super::tests_client::RealCentral::start(&db, dir.path(), "rollups").await;
    let pool = central.pool.clone();

    // One batch: at most a day of hours, from the first hour with samples.
    crate::auth::tls::install_client_provider();
    let mut http = None;
    let (outcome, _) = super::client::step(&db, dir.path(), &mut http)
        .await
        .unwrap();
    assert!(matches!(outcome, super::client::Outcome::Sent(_)));
    let client = pool.get().await.unwrap();
    let position: i64 = client
        .query_one(
            "SELECT position FROM site_streams WHERE stream = 'rollups'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(position, from + 24 * HOUR);

    let completeness = "SELECT shift, tag, expected, arrived, fraction FROM completeness
                        WHERE site = 'plant-a' AND from_ts = $1 ORDER BY tag";
    let gaps = "SELECT tag, cause, from_ts, to_ts, seconds::float8 FROM completeness_gaps
                WHERE site = 'plant-a' AND shift_from_ts = $1 ORDER BY tag, from_ts";
    // The early shift: 8 h; the power meter read every second, 28,800 expected; 90 min
    // offline and 45 min stopped missing: 20,700 arrived. The energy meter at least a
    // minute apart: 480 expected, 345 arrived.
    let c = rows_of(&client.query(completeness, &[&early.0]).await.unwrap());
    assert_eq!(
        c,
        vec![
            ("Early".into(), "energy".into(), 480, 345, 345.0 / 480.0),
            (
                "Early".into(),
                "power".into(),
                28_800,
                20_700,
                20_700.0 / 28_800.0
            ),
        ]
    );
    let g = rows_of(&client.query(gaps, &[&early.0]).await.unwrap());
    let expect_early = vec![
        (
            "energy".into(),
            "device offline".into(),
            offline.0,
            offline.1,
            5400.0,
        ),
        (
            "energy".into(),
            "Plantlog not running".into(),
            down.0,
            down.1,
            2700.0,
        ),
        (
            "power".into(),
            "device offline".into(),
            offline.0,
            offline.1,
            5400.0,
        ),
        (
            "power".into(),
            "Plantlog not running".into(),
            down.0,
            down.1,
            2700.0,
        ),
    ];
    assert_eq!(g, expect_early);
    // The late shift: the exceptions' 150 s are a gap whose cause is not known, to the
    // second.
    let g = rows_of(&client.query(gaps, &[&late.0]).await.unwrap());
    let expect_late = vec![(
        "power".into(),
        "cause not known".into(),
        refused.0,
        refused.1,
        150.0,
    )];
    assert_eq!(g, expect_late);
    let c = rows_of(&client.query(completeness, &[&late.0]).await.unwrap());
    assert_eq!(c[1].3, 28_800 - 150);
    // The night shift straddles the batch's end: 7 of its 8 hours arrived, the last one
    // not yet synced.
    // (A night across a change of summer time is 7 or 9 hours: counted from the times.)
    let night_s = (night.1 - night.0) / 1000;
    let sent_s = (position - night.0) / 1000;
    let c = rows_of(&client.query(completeness, &[&night.0]).await.unwrap());
    assert_eq!(
        c[1],
        (
            "Night".into(),
            "power".into(),
            night_s,
            sent_s,
            sent_s as f64 / night_s as f64
        )
    );
    let g = rows_of(&client.query(gaps, &[&night.0]).await.unwrap());
    assert_eq!(
        g,
        vec![
            (
                "energy".into(),
                "not yet synced".into(),
                position,
                night.1,
                3600.0
            ),
            (
                "power".into(),
                "not yet synced".into(),
                position,
                night.1,
                3600.0
            ),
        ]
    );

    // The rest: the night shift complete, no gap; the early shift unchanged.
    super::client::drain(&db, dir.path()).await.unwrap();
    let c = rows_of(&client.query(completeness, &[&night.0]).await.unwrap());
    assert_eq!(
        c,
        vec![
            (
                "Night".into(),
                "energy".into(),
                night_s / 60,
                night_s / 60,
                1.0
            ),
            ("Night".into(), "power".into(), night_s, night_s, 1.0),
        ]
    );
    assert!(client.query(gaps, &[&night.0]).await.unwrap().is_empty());
    let g = rows_of(&client.query(gaps, &[&early.0]).await.unwrap());
    assert_eq!(g, expect_early);
    let g = rows_of(&client.query(gaps, &[&late.0]).await.unwrap());
    assert_eq!(g, expect_late);

    // History loaded later into hours already sent: the power meter's samples of the
    // stop (read from the device's own buffer). Its hour's rollups are sent again and
    // applied once: the rollups per tag and hour equal on both sides; the early shift's
    // power now lacks only the offline stretch, and the stop is no gap of it any more.
    let filled: Vec<Sample> = (0..(down.1 - down.0) / 1000)
        .map(|i| Sample::good(power, down.0 + i * 1000, 42.0))
        .collect();
    db.with(move |c| Ok::<_, StoreError>(backfill::backfill(c, filled)?))
        .unwrap();
    super::client::drain(&db, dir.path()).await.unwrap();
    let plant_hours: Vec<(i64, i64, i64, i64)> = db
        .with(|c| {
            let mut st =
                c.prepare("SELECT tag_id, t, good, bad FROM rollup_1h ORDER BY tag_id, t")?;
            let rows = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok::<_, StoreError>(rows)
        })
        .unwrap();
    let central_hours: Vec<(i64, i64, i64, i64)> = client
        .query(
            "SELECT tag_id, t, good, bad FROM rollups_1h ORDER BY tag_id, t",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    assert_eq!(central_hours, plant_hours);
    let minute_sums: Vec<(i64, i64, i64, i64)> = client
        .query(
            "SELECT tag_id, t / 3600000 * 3600000, sum(good)::bigint, sum(bad)::bigint
             FROM rollups_1m GROUP BY 1, 2 ORDER BY 1, 2",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    assert_eq!(minute_sums, plant_hours);
    let c = rows_of(&client.query(completeness, &[&early.0]).await.unwrap());
    assert_eq!(
        c[1],
        (
            "Early".into(),
            "power".into(),
            28_800,
            23_400,
            23_400.0 / 28_800.0
        )
    );
    let g = rows_of(&client.query(gaps, &[&early.0]).await.unwrap());
    assert_eq!(
        g,
        vec![
            expect_early[0].clone(),
            expect_early[1].clone(),
            expect_early[2].clone()
        ]
    );

    // The owner's page names them.
    let shifts = plantlog_central::completeness::shifts(&pool, 7)
        .await
        .unwrap();
    let page = plantlog_central::completeness::render(&shifts);
    assert!(
        page.contains("1 h 30 min): <b>device offline</b>"),
        "{page}"
    );
    assert!(
        page.contains("45 min): <b>Plantlog not running</b>"),
        "{page}"
    );
    assert!(
        page.contains("(2 min 30 s): <b>cause not known</b>"),
        "{page}"
    );
    if let Ok(out) = std::env::var("PLANTLOG_COMPLETENESS_PAGE") {
        // For a look at the whole page: the owner's page as the server renders it.
        let sites = plantlog_central::owner::sites(&pool).await.unwrap();
        let days = plantlog_central::owner::days(&pool, 31).await.unwrap();
        let owner = plantlog_central::owner::Owner::new("a long owner password").unwrap();
        let html = plantlog_central::owner::render(
            &sites,
            &days,
            &shifts,
            &plantlog_central::owner::utc(now),
            &owner,
        );
        std::fs::write(out, html).unwrap();
    }
    central.stop().await;
}
