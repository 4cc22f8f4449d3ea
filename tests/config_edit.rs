//! Configuration edits cannot overwrite each other: an edit names the version it was
//! made on, and one made on an older version is refused with what changed since.

use plantlog::auth::Role;
use serde_json::{Value, json};

use crate::util::TestPlant;

async fn model(plant: &TestPlant, c: &reqwest::Client) -> (Value, i64) {
    let r = c.get(plant.url("/api/config/model")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let version = r.headers()["x-config-version"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    (r.json().await.unwrap(), version)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_admins_editing_the_same_version_the_second_gets_409() {
    let plant = TestPlant::start().await;
    let first = plant.client(Role::Admin).await;
    let second = plant.client(Role::Admin).await;

    // Both open the configuration at the same version.
    let (mut a, base) = model(&plant, &first).await;
    let (mut b, base_b) = model(&plant, &second).await;
    assert_eq!(base, base_b);

    // The first renames a machine; it is saved as the next version.
    a["machines"][0]["name"] = json!("Press One (renamed)");
    let r = first
        .put(plant.url(&format!("/api/config/model?base={base}")))
        .json(&a)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["changed"], true);
    assert_eq!(saved["version"].as_i64().unwrap(), base + 1);

    // The second, still on the old version, changes something else: refused, with
    // who changed what meanwhile; nothing is overwritten.
    b["site"]["name"] = json!("Another name");
    let r = second
        .put(plant.url(&format!("/api/config/model?base={base}")))
        .json(&b)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "config_conflict", "{body}");
    assert_eq!(body["conflict"]["base"], base);
    assert_eq!(body["conflict"]["current"], base + 1);
    assert_eq!(body["conflict"]["since"][0]["actor"], "admin");
    let changes = body["conflict"]["changes"].to_string();
    assert!(changes.contains("changed: name"), "{changes}");
    let (now, version) = model(&plant, &second).await;
    assert_eq!(version, base + 1);
    assert_eq!(now["machines"][0]["name"], "Press One (renamed)");
    assert_ne!(now["site"]["name"], "Another name");

    // The same through the TOML text, and without a base at all.
    let text = first
        .get(plant.url("/api/config"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = second
        .put(plant.url(&format!("/api/config?base={base}")))
        .body(text.replace("Press One (renamed)", "Press 1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = second
        .put(plant.url("/api/config"))
        .body(text.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 428);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "base_required");

    // On the new version the second's edit goes through.
    let mut b = now;
    b["site"]["name"] = json!("Another name");
    let r = second
        .put(plant.url(&format!("/api/config/model?base={}", base + 1)))
        .json(&b)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    plant.stop().await;
}
