//! Every endpoint, called with no session and as every role, against the permission
//! matrix of `plantlog::api::ENDPOINTS`.

use plantlog::api::{Access, ENDPOINTS};
use plantlog::auth::Role;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::util::{TestPlant, anonymous};

/// How an answer says "not for you".
fn denial(status: StatusCode, body: &Value) -> Option<&'static str> {
    match (status.as_u16(), body["code"].as_str()) {
        (401, Some("unauthorized")) | (401, Some("session_expired")) => Some("401"),
        (403, Some("forbidden")) => Some("403"),
        _ => None,
    }
}

struct Ids {
    /// A backup target (on a stick that is not there).
    backup_target: i64,
    tag: i64,
    /// A reason of the demo's tree.
    reason: i64,
    victim: i64,
    config: String,
    model: Value,
    /// The running configuration version, which edits name as their base.
    version: String,
    /// The security settings as they are (a PUT sends them back).
    security: Value,
}

/// GET endpoints that find nothing on the demo plant and say so (404, once access is
/// granted): the barcode scan needs a serial-line reader, which the demo has none of
/// (tests/quality.rs reads from one on a pty pair).
const FINDS_NOTHING: &[&str] = &["/quality/scan"];

/// The endpoints anyone may call without logging in. A new public endpoint must be
/// added here on purpose; an endpoint marked public by mistake fails the test.
const PUBLIC: &[&str] = &[
    "GET /health",
    // The desktop tray's state: answered to this PC only (tests/support.rs).
    "GET /desktop",
    "GET /setup",
    "POST /setup",
    "POST /login",
    "POST /logout",
];

async fn call(
    plant: &TestPlant,
    c: &Client,
    method: &str,
    path: &str,
    ids: &Ids,
    n: usize,
) -> (StatusCode, Value) {
    let path_key = if method == "PUT" && path == "/config" {
        "/config@PUT"
    } else {
        path
    };
    let concrete = path_key
        .replace("/machines/{key}", "/machines/press-1")
        .replace("/devices/{key}", "/devices/press-1-plc")
        .replace("/templates/{key}", "/templates/eastron-sdm630")
        .replace("/tags/{id}", &format!("/tags/{}", ids.tag))
        .replace(
            "/export/samples.csv",
            &format!("/export/samples.csv?tags={}", ids.tag),
        )
        .replace("/users/{id}", &format!("/users/{}", ids.victim))
        .replace("/production/machines/{key}", "/production/machines/press-1")
        .replace(
            "/production/reasons/{id}",
            &format!("/production/reasons/{}", ids.reason),
        )
        .replace(
            "/production/planned-stops/{id}",
            "/production/planned-stops/1",
        )
        .replace(
            "/production/operators/{id}",
            &format!("/production/operators/{}", ids.victim),
        )
        .replace("/displays/{id}", "/displays/1")
        .replace(
            "/reports/file",
            &format!(
                "/reports/file?kind=production&format=csv&from={}&to={}",
                plantlog::sample::now_ms() - 3_600_000,
                plantlog::sample::now_ms()
            ),
        )
        .replace(
            "/reports/tags",
            &format!(
                "/reports/tags?tags={}&step=hour&format=csv&from={}&to={}",
                ids.tag,
                plantlog::sample::now_ms() - 3_600_000,
                plantlog::sample::now_ms()
            ),
        )
        .replace(
            "/reports/energy",
            &format!(
                "/reports/energy?format=csv&from={}&to={}",
                plantlog::sample::now_ms() - 3_600_000,
                plantlog::sample::now_ms()
            ),
        )
        // Quality (issue 15): the demo's first lot, measured characteristic and material lot.
        .replace("/quality/lots/{code}", "/quality/lots/L2601")
        .replace("/quality/spc/{id}", "/quality/spc/1")
        .replace("/quality/trace/{code}", "/quality/trace/NS-24-7781")
        .replace(
            "/quality/material-lots/{code}",
            "/quality/material-lots/ML-2401",
        )
        .replace("/sessions/{id}", "/sessions/999999")
        .replace("/report-schedules/{id}", "/report-schedules/999999")
        .replace("/exports/{id}", "/exports/999999")
        .replace(
            "/backups/targets/{id}",
            &format!("/backups/targets/{}", ids.backup_target),
        )
        .replace("/backups/{name}/", "/backups/none/")
        .replace("/vendors/{id}", &format!("/vendors/{}", ids.victim))
        .replace(
            "/config/model",
            &format!("/config/model?base={}", ids.version),
        )
        .replace("/config@PUT", &format!("/config?base={}", ids.version));
    let url = plant.url(&format!("/api{concrete}"));
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let concrete_get = method.as_str() == "GET";
    let url = if concrete_get {
        url.replace(&format!("?base={}", ids.version), "")
    } else {
        url
    };
    let mut req = c.request(method.clone(), &url);
    req = match (method.as_str(), path) {
        ("POST", "/me/password") => req.json(&json!({"current_password": "not it at all", "new_password": "another long password"})),
        ("POST", "/users") => req.json(&json!({"username": format!("made-{n}"), "display_name": "Made", "role": "operator", "password": "a long password"})),
        ("PATCH", "/users/{id}") => req.json(&json!({"display_name": "Victim"})),
        ("POST", "/users/{id}/password") => req.json(&json!({"password": "a new long password"})),
        ("PUT", "/config") | ("POST", "/config/check") => req.body(ids.config.clone()),
        ("PUT", "/config/model") => req.json(&ids.model),
        ("PUT", "/storage") => req.json(&json!({"raw_days": 400, "minute_days": 800, "hour_days": null, "audit_days": 1200, "archive": false, "disk_warn_mb": 512})),
        ("POST", "/commissioning/read") => req.json(&json!({"device": "press-1-plc", "tag": "state"})),
        ("PUT", "/production/stop-reasons") => req.json(&json!({"machine": "press-1", "at_ms": 0, "reason_id": null})),
        ("POST", "/production/reasons") => req.json(&json!({"kind": "downtime", "category": "Test", "name": format!("Reason {n}")})),
        ("PATCH", "/production/reasons/{id}") => req.json(&json!({"active": true})),
        ("POST", "/production/planned-stops") => req.json(&json!({"machine": "press-1", "from_ms": 0, "to_ms": 60000, "reason_id": 999999})),
        ("POST", "/production/scrap") => req.json(&json!({"machine": "press-1", "parts": 1})),
        ("POST", "/production/ideal-cycles") => req.json(&json!({"machine": "press-1", "from_ms": 0, "cycle_s": 2.4})),
        ("PUT", "/production/operators/{id}") => req.json(&json!({"machines": ["press-1"]})),
        ("POST", "/displays") => req.json(&json!({"name": format!("TV {n}"), "machines": [], "cycle_s": 0})),
        ("POST", "/commissioning/scan") => {
            req.json(&json!({"device": "press-1-plc", "from": 1, "to": 2, "timeout_ms": 50}))
        }
        ("POST", "/me/mfa/confirm") => req.json(&json!({"code": "000000"})),
        ("PUT", "/security") => req.json(&ids.security),
        ("POST", "/security/certificate") => {
            req.json(&json!({"certificate_pem": "not a certificate", "private_key_pem": "nor a key"}))
        }
        ("POST", "/vendors") => req.json(&json!({"username": format!("vendor-{n}"), "display_name": "Vendor",
            "company": "ACME", "password": "a long first password", "expires_ms": plantlog::sample::now_ms() + 86_400_000,
            "machines": ["press-1"], "permissions": ["view_plant"]})),
        ("PATCH", "/vendors/{id}") => req.json(&json!({"machines": ["press-2"]})),
        ("POST", "/backups/targets") | ("PUT", "/backups/targets/{id}") => req.json(&json!({"name": format!("target {n}"),
            "path": "/nonexistent/stick", "schedule": "daily 02:00",
            "keep": {"hourly": 0, "daily": 7, "weekly": 4, "monthly": 12}, "enabled": true})),
        ("POST", "/report-schedules") | ("PUT", "/report-schedules/{id}") => req.json(&json!({"name": format!("schedule {n}"),
            "kind": "shift", "format": "pdf", "run_at": "shift", "folder": null, "usb": true, "enabled": true})),
        ("POST", "/exports") => req.json(&json!({"drive": "/nonexistent/stick", "from": "2026-01-01", "until": "2026-01-02",
            "reports": [{"kind": "shift", "format": "pdf"}], "tags": [], "config": false, "audit": false})),
        _ => req,
    };
    let r = req.send().await.unwrap();
    let status = r.status();
    let is_stream = r
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap().starts_with("text/event-stream"));
    if is_stream {
        // The live stream: the status is the answer; the body never ends.
        return (status, json!({"stream": true}));
    }
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The ids the endpoints' paths and bodies need, with a user to act on.
async fn ids(plant: &TestPlant, admin: &Client) -> Ids {
    let victim = admin
        .post(plant.url("/api/users"))
        .json(&json!({"username": "victim", "display_name": "V", "role": "operator", "password": "a long password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(victim.status(), 201);
    let victim: Value = victim.json().await.unwrap();
    let machine = plant.get_json(admin, "/api/machines/press-1").await;
    let version = admin
        .get(plant.url("/api/config"))
        .send()
        .await
        .unwrap()
        .headers()["x-config-version"]
        .to_str()
        .unwrap()
        .to_string();
    let reasons = plant.get_json(admin, "/api/production/reasons").await;
    let target = admin
        .post(plant.url("/api/backups/targets"))
        .json(
            &json!({"name": "a stick", "path": "/nonexistent/stick", "schedule": "daily 02:00",
            "keep": {"hourly": 0, "daily": 7, "weekly": 4, "monthly": 12}, "enabled": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(target.status(), 200);
    let target: Value = target.json().await.unwrap();
    Ids {
        backup_target: target["targets"][0]["target"]["id"].as_i64().unwrap(),
        reason: reasons[0]["id"].as_i64().unwrap(),
        version,
        tag: machine["tags"][0]["id"].as_i64().unwrap(),
        victim: victim["id"].as_i64().unwrap(),
        config: admin
            .get(plant.url("/api/config"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        model: plant.get_json(admin, "/api/config/model").await,
        security: plant.get_json(admin, "/api/security").await["settings"].clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_for_every_role() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let ids = ids(&plant, &admin).await;

    let mut callers: Vec<(Option<Role>, Client)> = vec![(None, anonymous())];
    for role in Role::ALL {
        callers.push((Some(role), plant.client(role).await));
    }

    for e in ENDPOINTS {
        let name = format!("{} {}", e.method, e.path);
        assert_eq!(
            e.access == Access::Public,
            PUBLIC.contains(&name.as_str()),
            "{name}: public endpoints are exactly {PUBLIC:?}"
        );
    }

    let mut checked = 0;
    let mut n = 0;
    for e in ENDPOINTS {
        // Login, logout and setup change sessions; they are checked below.
        if matches!(e.path, "/login" | "/logout" | "/setup") && e.method == "POST" {
            continue;
        }
        for (role, client) in &callers {
            n += 1;
            let (status, body) = call(&plant, client, e.method, e.path, &ids, n).await;
            let who = role.map_or("no session", |r| r.name());
            let expect_allowed = match (e.access, role) {
                (Access::Public, _) => true,
                (_, None) => false,
                (Access::AnySession, Some(_)) => true,
                (Access::Needs(p), Some(r)) => r.can(p),
                // A display's token, never a session (tests/production.rs uses tokens).
                (Access::Display, _) => false,
            };
            let denied = denial(status, &body);
            // A handler reached without the caller its access rule admits (a route
            // outside the table, or a rule that admits too much) answers 500.
            assert!(
                !status.is_server_error(),
                "{} {} as {who}: {status} {body}",
                e.method,
                e.path
            );
            if expect_allowed {
                assert_eq!(
                    denied, None,
                    "{} {} as {who}: {status} {body}",
                    e.method, e.path
                );
                if e.method == "GET" && FINDS_NOTHING.contains(&e.path) {
                    assert_eq!(
                        (status.as_u16(), body["code"].as_str()),
                        (404, Some("not_found")),
                        "{} {} as {who}: {status} {body}",
                        e.method,
                        e.path
                    );
                } else if e.method == "GET" {
                    assert!(
                        status.is_success(),
                        "{} {} as {who}: {status} {body}",
                        e.method,
                        e.path
                    );
                }
            } else {
                let want = if role.is_none() { "401" } else { "403" };
                assert_eq!(
                    denied,
                    Some(want),
                    "{} {} as {who}: {status} {body}",
                    e.method,
                    e.path
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, (ENDPOINTS.len() - 3) * 8);

    // The acceptance's own words.
    let op = &callers[1].1;
    for path in ["/api/users", "/api/config"] {
        let r = op.get(plant.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 403, "operator on {path}");
    }
    let sup = plant.client(Role::Supervisor).await;
    let overview = plant.get_json(&sup, "/api/overview").await;
    assert!(overview["machines"].as_array().unwrap().len() >= 6);

    // Session-changing endpoints.
    let anon = anonymous();
    let r = anon
        .post(plant.url("/api/setup"))
        .json(&json!({"username": "x", "display_name": "X", "password": "a long password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "setup once users exist");
    let r = anon
        .post(plant.url("/api/login"))
        .json(&json!({"username": "admin", "password": "wrong password!"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "bad_credentials");
    let r = sup.post(plant.url("/api/logout")).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let r = sup.get(plant.url("/api/overview")).send().await.unwrap();
    assert_eq!(r.status(), 401, "after logout");

    // Logins and failed logins were audited.
    let audit = plant.get_json(&admin, "/api/audit?limit=1000").await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "login",
        "login.failed",
        "logout",
        "user.create",
        "user.update",
        "user.password_reset",
    ] {
        assert!(actions.contains(&a), "audit lacks {a}: {actions:?}");
    }
    plant.stop().await;
}

/// A vendor account with every page a vendor can be given reaches the endpoints of
/// those pages (view_plant, view_devices, commission) and those of any session, and
/// nothing else: production, configuration, users, audit and displays are refused
/// before their bodies are read, and each of its requests is audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_reaches_only_its_pages() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let ids = ids(&plant, &admin).await;
    let r = admin
        .post(plant.url("/api/vendors"))
        .json(&json!({"username": "acme-tech", "display_name": "Tech (ACME)", "company": "ACME",
            "password": "first password for tech", "expires_ms": plantlog::sample::now_ms() + 86_400_000,
            "machines": ["press-1"], "permissions": ["view_plant", "view_devices", "commission"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let vendor = anonymous();
    let r = vendor
        .post(plant.url("/api/login"))
        .json(&json!({"username": "acme-tech", "password": "first password for tech"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = vendor
        .post(plant.url("/api/me/password"))
        .json(&json!({"current_password": "first password for tech", "new_password": "the techs own passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let me = plant.get_json(&vendor, "/api/me").await;
    assert_eq!(
        me["permissions"],
        json!(["view_plant", "view_devices", "commission"])
    );

    let mut refused = Vec::new();
    let mut n = 1000;
    for e in ENDPOINTS {
        if matches!(e.path, "/login" | "/logout" | "/setup" | "/me/password") && e.method == "POST"
        {
            continue;
        }
        n += 1;
        let (status, body) = call(&plant, &vendor, e.method, e.path, &ids, n).await;
        let allowed = match e.access {
            Access::Public | Access::AnySession => true,
            Access::Needs(p) => plantlog::auth::vendor::PERMISSIONS.contains(&p),
            Access::Display => false,
        };
        let what = format!("{} {} as a vendor: {status} {body}", e.method, e.path);
        assert!(!status.is_server_error(), "{what}");
        if (e.method, e.path) == ("POST", "/commissioning/scan") {
            // Admitted by its page, then refused by its scope: a scan asks every device
            // on the line, also other machines'.
            assert!(allowed, "{what}");
            assert_eq!(status, 403, "{what}");
            assert!(
                body["message"]
                    .as_str()
                    .unwrap()
                    .contains("beyond your machines"),
                "{what}"
            );
        } else if allowed {
            assert_eq!(denial(status, &body), None, "{what}");
        } else {
            assert_eq!(denial(status, &body), Some("403"), "{what}");
            refused.push(format!("{} {}", e.method, e.path));
        }
    }
    // Production's endpoints among the refused, reads and changes alike.
    for p in [
        "GET /production/report",
        "GET /production/shift",
        "PUT /production/stop-reasons",
        "POST /production/scrap",
        "GET /displays",
        "POST /displays",
        "GET /display/board",
    ] {
        assert!(refused.contains(&p.to_string()), "{p} refused: {refused:?}");
    }
    // A refused change was refused before its body was read: a malformed one is 403 too.
    let r = vendor
        .post(plant.url("/api/production/scrap"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Every request was audited, the refused ones included.
    let audit = plant.get_json(&admin, "/api/audit?limit=1000").await;
    let requests: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "vendor.request")
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert!(
        requests.contains(&"GET /api/production/report"),
        "{requests:?}"
    );
    assert!(requests.contains(&"POST /api/displays"), "{requests:?}");
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_password_must_be_changed_first() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let users: Value = plant.get_json(&admin, "/api/users").await;
    let op = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "operator")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = admin
        .post(plant.url(&format!("/api/users/{op}/password")))
        .json(&json!({"password": "temporary password 1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);

    let c = anonymous();
    let r = c
        .post(plant.url("/api/login"))
        .json(&json!({"username": "operator", "password": "temporary password 1"}))
        .send()
        .await
        .unwrap();
    let me: Value = r.json().await.unwrap();
    assert_eq!(me["must_change_password"], true);
    let r = c.get(plant.url("/api/overview")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "password_change_required");
    let r = c
        .post(plant.url("/api/me/password"))
        .json(
            &json!({"current_password": "temporary password 1", "new_password": "my own password"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = c.get(plant.url("/api/overview")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    plant.stop().await;
}
