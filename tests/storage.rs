//! Retention through the API, as the admin uses it: a shorter retention is refused until
//! confirmed, says what it would remove, is audited, and the job then removes exactly
//! that, archiving it first when asked.

use std::io::Read;
use std::time::Duration;

use plantlog::auth::Role;
use plantlog::sample::{Sample, now_ms};
use serde_json::{Value, json};

use crate::util::{TestPlant, wait_for};

const DAY: i64 = 86_400_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shortening_retention_asks_removes_archives_and_is_audited() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let core = plant.demo.running.core.clone();
    let tag = core.plant().tag_id("press-1-plc", "temperature").unwrap();
    // Ten days ago, one sample a minute for a day: old enough for a 5-day retention.
    let t0 = (now_ms() - 10 * DAY) / 600_000 * 600_000;
    let old: Vec<Sample> = (0..1440)
        .map(|i| Sample::good(tag, t0 + i * 60_000, 40.0 + (i % 7) as f64))
        .collect();
    core.db()
        .sql(|c| plantlog::store::backfill::backfill(c, old))
        .unwrap();
    let count_old = || {
        core.db()
            .sql(|c| plantlog::store::raw::read(c, tag, t0, t0 + DAY))
            .unwrap()
            .len()
    };
    assert_eq!(count_old(), 1440);

    let change = |confirm: bool| {
        json!({"raw_days": 5, "minute_days": 730, "hour_days": null, "audit_days": 1095,
               "archive": true, "disk_warn_mb": 1024, "confirm": confirm})
    };
    // Not confirmed: refused, with what would go.
    let r = admin
        .put(plant.url("/api/storage"))
        .json(&change(false))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "confirm_required");
    assert!(e["message"].as_str().unwrap().contains("raw"), "{e}");
    let raw = e["would_remove"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["class"] == "raw")
        .unwrap_or_else(|| panic!("the raw step is listed: {e}"));
    assert_eq!(raw["samples"], 1440);
    assert_eq!(count_old(), 1440, "nothing removed before confirming");

    // A retention out of range names its field.
    let mut bad = change(true);
    bad["minute_days"] = json!(0);
    let r = admin
        .put(plant.url("/api/storage"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "bad_retention");
    assert_eq!(e["field"], "minute_days");

    // Confirmed: saved, audited, and the job removes the old day after archiving it.
    let r = admin
        .put(plant.url("/api/storage"))
        .json(&change(true))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let s: Value = r.json().await.unwrap();
    assert_eq!(s["retention"]["raw_days"], 5);
    let purge = wait_for(Duration::from_secs(30), "the raw purge", || async {
        let s = plant.get_json(&admin, "/api/storage").await;
        s["purges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["class"] == "raw")
            .cloned()
    })
    .await;
    assert_eq!(count_old(), 0);
    assert_eq!(purge["samples"], 1440);
    let archive = purge["archive"].as_str().unwrap();
    assert!(archive.ends_with(".csv.gz"), "{purge}");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(archive).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text.lines().count(), 1 + 1440, "a header and every sample");
    assert!(
        text.contains("press-1-plc,temperature,"),
        "{}",
        &text[..200]
    );

    let audit = plant.get_json(&admin, "/api/audit?limit=20").await;
    let entry = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "retention.change")
        .expect("the change is in the audit log");
    assert!(
        entry["detail"]
            .as_str()
            .unwrap()
            .contains("raw 365 days -> 5 days"),
        "{entry}"
    );
    assert_eq!(entry["actor"], "admin");
    plant.stop().await;
}
