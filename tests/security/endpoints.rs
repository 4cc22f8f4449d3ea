//! The security work holds for every endpoint, the production engine's (issue 10)
//! included: each change needs a same-origin request and each body has its limit,
//! checked over the whole endpoint table so a new endpoint cannot slip past; andon
//! display tokens are counted per address like failed logins.

use plantlog::api::{ENDPOINTS, body_limit, request_bodies};
use plantlog::auth::Role;
use serde_json::{Value, json};

use crate::util::{TestPlant, anonymous};

/// An endpoint's path with its parameters filled in (the answer past the checks does
/// not matter here).
fn concrete(path: &str) -> String {
    let p = path.replace("{id}", "1").replace("{key}", "press-1");
    match p.as_str() {
        "/config/model" | "/config" => format!("/api{p}?base=0"),
        _ => format!("/api{p}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_checks_its_origin_and_every_body_its_limit() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let mut production = 0;
    for e in ENDPOINTS.iter().filter(|e| e.method != "GET") {
        let name = format!("{} {}", e.method, e.path);
        let method = reqwest::Method::from_bytes(e.method.as_bytes()).unwrap();
        let url = plant.url(&concrete(e.path));
        // From another site's page: refused before anything else, logged in or not.
        let r = admin
            .request(method.clone(), &url)
            .header("origin", "https://evil.example")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{name} from a foreign origin");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "cross_origin", "{name}");
        if e.path.starts_with("/production") || e.path.starts_with("/display") {
            production += 1;
        }
    }
    assert!(production >= 8, "production's changes were among them");

    // One byte over its limit: 413 as JSON, for every endpoint that takes a body.
    for (name, _) in request_bodies() {
        let e = ENDPOINTS
            .iter()
            .find(|e| format!("{} {}", e.method, e.path) == *name)
            .unwrap();
        let method = reqwest::Method::from_bytes(e.method.as_bytes()).unwrap();
        let big = vec![b' '; body_limit(e) + 1];
        let r = admin
            .request(method, plant.url(&concrete(e.path)))
            .header("content-type", "application/json")
            .body(big)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413, "{name} with a body over its limit");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "too_large", "{name}");
    }
    assert_eq!(
        body_limit(
            ENDPOINTS
                .iter()
                .find(|e| e.path == "/production/scrap" && e.method == "POST")
                .unwrap()
        ),
        64 * 1024,
        "production's forms are small forms"
    );
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn display_token_guesses_are_limited_like_logins() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let r = admin
        .post(plant.url("/api/displays"))
        .json(&json!({"name": "Hall TV", "machines": [], "cycle_s": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let tv = anonymous();
    let board = |t: String| {
        let r = tv
            .get(plant.url("/api/display/board"))
            .header("x-display-token", t)
            .send();
        async move {
            let r = r.await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap()["code"].clone())
        }
    };
    // 30 guesses (the login limit per address) are each refused as wrong ...
    for i in 0..30 {
        let guess = format!("{i:064x}");
        assert_eq!(
            board(guess).await,
            (401, json!("display_revoked")),
            "guess {i}"
        );
    }
    // ... then the address is refused, even with the right token.
    assert_eq!(
        board(format!("{:064x}", 99)).await,
        (429, json!("too_many_attempts"))
    );
    assert_eq!(board(token).await, (429, json!("too_many_attempts")));
    // Audited compactly: the first wrong token and the refusal, not a row per guess.
    let audit = plant.get_json(&admin, "/api/audit?limit=200").await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .filter(|a| a.starts_with("display."))
        .collect();
    assert_eq!(
        actions,
        ["display.refused", "display.failed", "display.create"]
    );
    plant.stop().await;
}
