//! Issue 9: configuration changes never invent production. A part counter that a
//! pymodbus server counts up (u32, high word first, +1 every 100 ms) is read with the
//! wrong word order (CDAB, as the README's example had it), then corrected to ABCD
//! while Plantlog runs. The wrong readings' jumps are implausible (over the machine's
//! maximum rate): they count nothing and wait for review; the correction starts a new
//! series, so the shift's count is exactly what the counter made after it. A
//! supervisor's correction of one step then adds exactly the parts entered, audited.

use std::time::Duration;

use plantlog::auth::audit::Actor;
use plantlog::sample::Quality;
use serde_json::{Value, json};

use crate::peer::{Peer, Plant, SITE, until};

fn config(port: u16, order: &str) -> String {
    format!(
        "{SITE}[[machines]]\nkey = \"press\"\nname = \"Press\"\nmax_rate_per_min = 1200\n\n\
         [[devices]]\nkey = \"plc\"\nprotocol = \"modbus-tcp\"\nhost = \"127.0.0.1\"\nport = {port}\npoll_ms = 500\ntimeout_ms = 300\nmachine = \"press\"\n\
         [[devices.tags]]\nname = \"count\"\nregister = 40101\ntype = \"u32\"\norder = \"{order}\"\nrole = \"count\"\n"
    )
}

async fn count_shift(plant: &Plant, c: &reqwest::Client) -> i64 {
    let o: Value = c
        .get(format!("{}/api/overview", plant.base()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    o["machines"][0]["count_shift"].as_f64().unwrap() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrected_word_order_does_not_make_the_count_jump() {
    let peer = Peer::start(&[
        "--tcp",
        "127.0.0.1:0",
        "--unit",
        "1",
        "--identity",
        "--counter",
        "100",
    ]);
    let port = peer.port();
    let plant = Plant::start(&config(port, "CDAB")).await;
    let admin = plant.admin().await;
    let id = plant.tag_id("plc", "count");

    // Read with the wrong order: each part adds 65,536; none of it counts.
    until(Duration::from_secs(15), "six wrong readings", || {
        plant
            .stored(id)
            .iter()
            .filter(|s| s.quality == Quality::Good)
            .count()
            >= 6
    })
    .await;
    let wrong: Vec<f64> = plant.stored(id).iter().filter_map(|s| s.value()).collect();
    assert!(
        wrong
            .windows(2)
            .all(|w| (w[1] - w[0]) % 65_536.0 == 0.0 && w[1] > w[0]),
        "{wrong:?}"
    );
    assert_eq!(count_shift(&plant, &admin).await, 0);
    let events: Value = admin
        .get(format!(
            "{}/api/machines/press/counter-events",
            plant.base()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = events["events"].as_array().unwrap();
    assert!(listed.len() >= 5, "{events}");
    for e in listed {
        let claimed = e["claimed"].as_i64().unwrap();
        assert_eq!(
            claimed,
            e["value"].as_i64().unwrap() - e["previous"].as_i64().unwrap()
        );
        assert_eq!(claimed % 65_536, 0, "{e}");
        assert!(e["review"].is_null());
    }

    // The order corrected while Plantlog runs.
    plant
        .running
        .core
        .db()
        .with(|c| {
            plantlog::core::import_text(
                c,
                &config(port, "ABCD"),
                plantlog::config::Base::Any,
                &Actor::command_line(),
            )
        })
        .unwrap();
    assert!(plant.running.core.reload().await.unwrap());
    tokio::time::sleep(Duration::from_secs(3)).await;
    // The server stops, so the counter stands still and the figures can be compared.
    drop(peer);
    until(Duration::from_secs(10), "the counter to go silent", || {
        plant.last(id).is_some_and(|s| !s.quality.is_good())
    })
    .await;
    let stored = plant.stored(id);
    let marker = stored
        .iter()
        .position(|s| s.quality == Quality::Reconfigured)
        .expect("the change is stored as a marker");
    let after: Vec<i64> = stored[marker..]
        .iter()
        .filter_map(|s| s.value())
        .map(|v| v as i64)
        .collect();
    assert!(after.len() >= 4, "{after:?}");
    assert!(after[0] < 100_000, "read right after the change: {after:?}");
    let made = after.last().unwrap() - after[0];
    assert!(made > 0);
    assert_eq!(count_shift(&plant, &admin).await, made);

    // The supervisor corrects the newest wrong step: 7 parts, audited.
    let newest = &listed[0];
    let r = admin
        .post(format!(
            "{}/api/machines/press/counter-events/review",
            plant.base()
        ))
        .json(&json!({"ts": newest["ts"], "decision": "correct", "parts": 7, "comment": "word order was wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(count_shift(&plant, &admin).await, made + 7);
    // A decision other than accept or correct is refused.
    let r = admin
        .post(format!(
            "{}/api/machines/press/counter-events/review",
            plant.base()
        ))
        .json(&json!({"ts": newest["ts"], "decision": "ignore"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let audit: Value = admin
        .get(format!("{}/api/audit", plant.base()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let text = audit.to_string();
    assert!(text.contains("counter.review"), "{text}");
    assert!(text.contains("corrected the counter step"), "{text}");
    plant.stop().await;
}
