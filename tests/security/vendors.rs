//! Vendor accounts (issue 8, build 17) and the access review (build 18): a machine
//! builder's technician sees their machines' trends and diagnostics and nothing else,
//! every action is audited, and the account ends when it says; the review lists every
//! account with its second factor, sessions and last login, and suggests unused ones.

use plantlog::auth::Role;
use plantlog::sample::now_ms;
use serde_json::{Value, json};

use crate::util::{TestPlant, anonymous};

const DAY: i64 = 86_400_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn build17_a_vendor_sees_only_their_machines_until_the_account_ends() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let new = |expires: i64| {
        json!({"username": "acme-ann", "display_name": "Ann (ACME)", "company": "ACME Presses",
               "password": "first password for ann", "expires_ms": expires,
               "machines": ["press-1"], "permissions": ["view_plant", "view_devices"]})
    };
    let r = admin
        .post(plant.url("/api/vendors"))
        .json(&new(now_ms() + 40 * DAY))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "more than 30 days");
    let e: Value = r.json().await.unwrap();
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("bad_vendor"), Some("expires_ms"))
    );
    let r = admin
        .post(plant.url("/api/vendors"))
        .json(&new(now_ms() + 2 * DAY))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let vendor: Value = r.json().await.unwrap();
    let id = vendor["id"].as_i64().unwrap();

    // First login: their own password first.
    let v = anonymous();
    let r = v
        .post(plant.url("/api/login"))
        .json(&json!({"username": "acme-ann", "password": "first password for ann"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = v
        .post(plant.url("/api/me/password"))
        .json(&json!({"current_password": "first password for ann", "new_password": "anns own passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let me = plant.get_json(&v, "/api/me").await;
    assert_eq!(me["vendor"]["company"], "ACME Presses");
    assert_eq!(me["permissions"], json!(["view_plant", "view_devices"]));

    let overview = plant.get_json(&v, "/api/overview").await;
    let keys: Vec<&str> = overview["machines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["press-1"]);
    let core = plant.demo.running.core.clone();
    let mine = core.plant().tag_id("press-1-plc", "temperature").unwrap();
    let theirs = core.plant().tag_id("press-2-plc", "temperature").unwrap();
    for (path, want) in [
        ("/api/machines/press-1".to_string(), 200),
        ("/api/machines/press-2".to_string(), 404),
        (format!("/api/tags/{mine}/history"), 200),
        (format!("/api/tags/{theirs}/history"), 404),
        (format!("/api/tags/{theirs}/states"), 404),
        (format!("/api/export/samples.csv?tags={mine},{theirs}"), 404),
        ("/api/devices/press-1-plc".to_string(), 200),
        ("/api/devices/press-2-plc".to_string(), 404),
        ("/api/users".to_string(), 403),
        ("/api/audit".to_string(), 403),
        ("/api/config".to_string(), 403),
    ] {
        let r = v.get(plant.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), want, "vendor GET {path}");
    }
    let devices = plant.get_json(&v, "/api/devices").await;
    let keys: Vec<&str> = devices
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["press-1-plc"]);
    let r = v
        .post(plant.url("/api/commissioning/read"))
        .json(&json!({"device": "press-1-plc", "tag": "state"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "no commissioning without that page");

    // Every action is audited.
    let audit = plant.get_json(&admin, "/api/audit?limit=500").await;
    let requests: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "vendor.request")
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert!(
        requests.contains(&"GET /api/machines/press-2"),
        "{requests:?}"
    );
    assert!(requests.contains(&"GET /api/overview"), "{requests:?}");

    // The admin's list and the review show the scope and the end.
    let list = plant.get_json(&admin, "/api/vendors").await;
    assert_eq!(list[0]["scope"]["machines"], json!(["press-1"]));
    // The account ends: its session ends with it, and it cannot log in.
    core.db()
        .sql(|c| {
            c.execute(
                "UPDATE users SET expires_at = ?1 WHERE id = ?2",
                (now_ms() - 1, id),
            )
        })
        .unwrap();
    let r = v.get(plant.url("/api/overview")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let r = anonymous()
        .post(plant.url("/api/login"))
        .json(&json!({"username": "acme-ann", "password": "anns own passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn build18_the_access_review_lists_every_account_and_suggests_unused_ones() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let core = plant.demo.running.core.clone();
    let long_ago = now_ms() - 120 * DAY;
    core.db()
        .sql(|c| {
            c.execute(
                "UPDATE users SET last_login_at = ?1 WHERE username = 'stores'",
                [long_ago],
            )
        })
        .unwrap();
    let review = plant.get_json(&admin, "/api/access-review").await;
    let accounts = review["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 7);
    let by = |n: &str| {
        accounts
            .iter()
            .find(|a| a["user"]["username"] == n)
            .unwrap()
    };
    assert_eq!(by("admin")["user"]["mfa_enabled"], true);
    assert_eq!(by("admin")["mfa_required"], true);
    assert!(by("admin")["sessions"].as_i64().unwrap() >= 1);
    assert_eq!(by("stores")["unused_days"], 120);
    assert!(
        by("stores")["suggestion"]
            .as_str()
            .unwrap()
            .contains("120 days")
    );
    assert!(by("operator")["suggestion"].is_null());
    assert_eq!(review["audit_chain"]["broken"], Value::Null);
    assert!(review["common_passwords"].as_i64().unwrap() > 40_000);
    assert_eq!(review["lan"]["lan"], false);
    let r = admin
        .get(plant.url("/api/access-review.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    assert_eq!(csv.lines().count(), 8, "{csv}");
    assert!(
        csv.lines()
            .any(|l| l.starts_with("stores,") && l.contains("120 days")),
        "{csv}"
    );
    let sup = plant.client(Role::Supervisor).await;
    let r = sup
        .get(plant.url("/api/access-review"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    plant.stop().await;
}
