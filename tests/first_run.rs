//! A new installation: no users, no default password; the only thing possible is
//! creating the admin account, once.

use plantlog::app::{self, Listen};
use serde_json::{Value, json};

use crate::util::anonymous;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_admin_account_can_be_created_and_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let running = app::start(app::Options {
        data_dir: dir.path().to_path_buf(),
        listen: Listen::Listener(listener),
        what: "test".into(),
    })
    .await
    .unwrap();
    let url = |p: &str| format!("http://{}{p}", running.local_addr);
    let c = anonymous();
    let code = running
        .setup_code()
        .expect("a setup code while no admin exists");
    assert!(
        running.url().ends_with(&format!("/#/setup?code={code}")),
        "{}",
        running.url()
    );

    let s: Value = c
        .get(url("/api/setup"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s["setup_required"], true);
    assert_eq!(
        c.get(url("/api/overview")).send().await.unwrap().status(),
        401
    );
    let r = c
        .post(url("/api/login"))
        .json(&json!({"username": "admin", "password": "admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "no default account");

    let r = c
        .post(url("/api/setup"))
        .json(&json!({"username": "boss", "display_name": "The Boss", "password": "short", "setup_code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "weak_password");

    let r = c
        .post(url("/api/setup"))
        .json(
            &json!({"username": "boss", "display_name": "The Boss", "password": "a long password", "setup_code": code}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let me: Value = c
        .get(url("/api/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");
    // The admin must set up a second factor before anything else.
    assert_eq!(me["mfa_enrolment_required"], true);
    let r = c.get(url("/api/overview")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "mfa_enrolment_required");
    assert_eq!(running.setup_code(), None, "the code is used up");

    let other = anonymous();
    let r = other
        .post(url("/api/setup"))
        .json(&json!({"username": "mallory", "display_name": "M", "password": "a long password", "setup_code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let s: Value = other
        .get(url("/api/setup"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s["setup_required"], false);
    running.shutdown().await;
}
