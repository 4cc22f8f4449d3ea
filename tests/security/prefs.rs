//! Language and theme (issue 18): each user's own choice is stored on the server and
//! survives logging out and in; the plant's default is the admin's; every user may
//! change their own and nobody else's; unknown values are refused with a code and the
//! params the UI translates.

use plantlog::auth::Role;
use serde_json::{Value, json};

use crate::util::{TestPlant, anonymous};

async fn patch(plant: &TestPlant, c: &reqwest::Client, body: Value) -> (u16, Value) {
    let r = c
        .patch(plant.url("/api/me/preferences"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue18_language_and_theme_survive_logout_and_login() {
    let plant = TestPlant::start().await;
    let op = plant.client(Role::Operator).await;

    // Nothing chosen: the plant's language (English until the admin sets one).
    let p = plant.get_json(&op, "/api/me/preferences").await;
    assert_eq!(p["language"], Value::Null);
    assert_eq!(p["theme"], Value::Null);
    assert_eq!(p["plant_language"], "en");
    assert_eq!(p["languages"], json!(["en", "de", "es", "zh"]));
    assert_eq!(plant.get_json(&op, "/api/me").await["language"], "en");

    // Their own choice, both at once, then one alone (the other stays).
    let (s, p) = patch(&plant, &op, json!({"language": "de", "theme": "dark"})).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(
        (p["language"].as_str(), p["theme"].as_str()),
        (Some("de"), Some("dark"))
    );
    let (s, p) = patch(&plant, &op, json!({"language": "zh"})).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(
        (p["language"].as_str(), p["theme"].as_str()),
        (Some("zh"), Some("dark"))
    );

    // Unknown values: refused with a code and the params the UI translates; nothing kept.
    let (s, e) = patch(&plant, &op, json!({"language": "fr"})).await;
    assert_eq!(s, 400);
    assert_eq!(e["code"], "unknown_language");
    assert_eq!(e["params"]["language"], "fr");
    assert_eq!(e["params"]["field"], "language");
    assert!(
        e["message"].as_str().unwrap().contains("en, de, es, zh"),
        "{e}"
    );
    let (s, e) = patch(&plant, &op, json!({"theme": "pink"})).await;
    assert_eq!((s, e["code"].as_str()), (400, Some("unknown_theme")));

    // Log out, log in again: the choice is there.
    let r = op.post(plant.url("/api/logout")).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        op.get(plant.url("/api/me")).send().await.unwrap().status(),
        401
    );
    let again = plant.client(Role::Operator).await;
    let me = plant.get_json(&again, "/api/me").await;
    assert_eq!(me["language"], "zh");
    assert_eq!(me["theme"], "dark");

    // The admin sets the plant's default: those without a choice see it, also before
    // login; a user's own choice stays theirs.
    let admin = plant.client(Role::Admin).await;
    let sup = plant.client(Role::Supervisor).await;
    let r = admin
        .put(plant.url("/api/settings/language"))
        .json(&json!({"language": "es"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(plant.get_json(&sup, "/api/me").await["language"], "es");
    assert_eq!(plant.get_json(&again, "/api/me").await["language"], "zh");
    assert_eq!(
        plant.get_json(&anonymous(), "/api/setup").await["language"],
        "es"
    );
    // Back to the default: null.
    let (s, p) = patch(&plant, &again, json!({"language": null})).await;
    assert_eq!((s, p["language"].clone()), (200, Value::Null));
    assert_eq!(plant.get_json(&again, "/api/me").await["language"], "es");

    // Only the admin sets the plant's default; an unknown one is refused.
    let r = sup
        .put(plant.url("/api/settings/language"))
        .json(&json!({"language": "de"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = admin
        .put(plant.url("/api/settings/language"))
        .json(&json!({"language": "xx"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "unknown_language");
    let audit = plant.get_json(&admin, "/api/audit").await;
    assert!(
        audit.to_string().contains("settings.language"),
        "the change of the plant's language is audited"
    );
    plant.stop().await;
}
