//! A device that stops answering: its machine shows "no data" once its data is older
//! than three poll intervals, the other machines keep updating, its samples are stored
//! with bad quality (never as values), and it is read again when it comes back.

use std::time::Duration;

use plantlog::auth::Role;
use plantlog::sample::now_ms;
use serde_json::Value;

use crate::util::{TestPlant, tile, wait_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_device_shows_no_data_and_stores_bad_quality() {
    let mut plant = TestPlant::start().await;
    let c = plant.client(Role::Supervisor).await;

    // Every machine with live data within 10 s of the start.
    let first: Value = wait_for(
        Duration::from_secs(10),
        "every machine to have data",
        || async {
            let o = plant.get_json(&c, "/api/overview").await;
            o["machines"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["status"] == "ok")
                .then_some(o)
        },
    )
    .await;
    assert_eq!(first["machines"].as_array().unwrap().len(), 7);

    let stopped_at = now_ms();
    plant.demo.simulator.stop_device("press-2-plc");

    let mut seen = Vec::new();
    let dead: Value = loop {
        let o = plant.get_json(&c, "/api/overview").await;
        seen.push(o.clone());
        if tile(&o, "press-2")["status"] == "no_data" {
            break o;
        }
        assert!(
            now_ms() - stopped_at < 15_000,
            "press-2 never showed no data"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // In every overview seen, a tile whose newest good sample is older than its stale
    // limit says "no data" and shows no state.
    for o in &seen {
        let now = o["now_ms"].as_i64().unwrap();
        for m in o["machines"].as_array().unwrap() {
            let age = now - m["last_update_ms"].as_i64().unwrap_or(0);
            if age > m["stale_after_ms"].as_i64().unwrap() {
                assert_eq!(m["status"], "no_data", "{m}");
                assert!(m["state"].is_null(), "{m}");
            }
        }
    }
    let t = tile(&dead, "press-2");
    assert!(t["state"].is_null());
    let since_stop = dead["now_ms"].as_i64().unwrap() - stopped_at;
    let limit = t["stale_after_ms"].as_i64().unwrap() + 1000; // one poll late at most
    assert!(
        since_stop <= limit + 1000,
        "no data after {since_stop} ms, limit {limit}"
    );

    // The others keep updating.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let later = plant.get_json(&c, "/api/overview").await;
    for key in [
        "press-1",
        "cnc-1",
        "cnc-2",
        "molder-1",
        "pack-1",
        "main-incomer",
    ] {
        let before = tile(&dead, key)["last_update_ms"].as_i64().unwrap();
        let after = tile(&later, key)["last_update_ms"].as_i64().unwrap();
        assert!(after > before, "{key} stopped updating");
        assert_eq!(tile(&later, key)["status"], "ok");
    }

    // Stored with bad quality, never as a value.
    plant.demo.running.core.flush_writer();
    let db = plant.demo.running.core.db().clone();
    let plant_model = plant.demo.running.core.plant();
    // The demo records on change and by deadband, so each tag stores the change to
    // "no answer" once (and again at its heartbeat), not every failed poll.
    let tags: Vec<_> = plant_model
        .tags()
        .filter(|t| t.device.key == "press-2-plc")
        .collect();
    assert!(tags.len() >= 5, "press-2 has {} tags", tags.len());
    for t in tags {
        // From a little before the stop: a poll under way at the stop may fail with a
        // time before it, or succeed after it.
        let rows: Vec<(Option<f64>, i64)> = db
            .sql(|conn| plantlog::store::raw::read(conn, t.id, stopped_at - 2000, i64::MAX))
            .unwrap()
            .into_iter()
            .map(|s| (s.value(), s.quality.code()))
            .collect();
        // (The start marker, quality stale, may be among the first rows.)
        let first_bad = rows.iter().position(|(_, q)| *q == 1);
        let Some(first_bad) = first_bad else {
            panic!(
                "{}: the loss of the device is not stored: {rows:?}",
                t.tag.name
            );
        };
        assert!(
            rows[first_bad..]
                .iter()
                .all(|(v, q)| v.is_none() && *q == 1),
            "{}: from the loss on only no-answer samples without values: {rows:?}",
            t.tag.name
        );
    }

    // It comes back by itself.
    plant
        .demo
        .simulator
        .restart_device("press-2-plc")
        .await
        .unwrap();
    wait_for(Duration::from_secs(5), "press-2 to recover", || async {
        let o = plant.get_json(&c, "/api/overview").await;
        (tile(&o, "press-2")["status"] == "ok").then_some(())
    })
    .await;
    let devices = plant.get_json(&c, "/api/devices").await;
    let d = devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "press-2-plc")
        .unwrap();
    assert_eq!(d["state"], "online");
    assert!(d["errors"].as_u64().unwrap() > 0);
    assert!(d["last_error"].as_str().unwrap().contains("127.0.0.1"));
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trend_has_data() {
    let plant = TestPlant::start().await;
    let c = plant.client(Role::Operator).await;
    let m = plant.get_json(&c, "/api/machines/molder-1").await;
    let temp = m["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "temperature")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let h: Value = wait_for(Duration::from_secs(10), "trend points", || async {
        plant.demo.running.core.flush_writer();
        let h = plant
            .get_json(&c, &format!("/api/tags/{temp}/history?points=500"))
            .await;
        (h["v"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v.is_number())
            .count()
            >= 3)
            .then_some(h)
    })
    .await;
    let t = h["t"].as_array().unwrap();
    assert!(t.windows(2).all(|w| w[0].as_i64() < w[1].as_i64()));
    plant.stop().await;
}
