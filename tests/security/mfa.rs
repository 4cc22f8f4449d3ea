//! The second factor (issue 8, build 15) and what it allows: enrolment with a QR code
//! and recovery codes, logins that need the code (each code once), the admin's rule per
//! role, a lost phone reset; and hole 4's last part: a locked-out admin still logs in
//! with the second factor, so nobody can lock the admin out.

use plantlog::auth::Role;
use serde_json::{Value, json};

use crate::util::{TestPlant, anonymous, enrol_mfa};

async fn login(plant: &TestPlant, user: &str, pw: &str, code: Option<&str>) -> (u16, Value) {
    let mut body = json!({"username": user, "password": pw});
    if let Some(c) = code {
        body["code"] = c.into();
    }
    let r = anonymous()
        .post(plant.url("/api/login"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn build15_enrolment_then_every_login_needs_a_code_used_once() {
    let plant = TestPlant::start().await;
    let pw = plant.password(Role::Maintenance);
    let m = plant.client(Role::Maintenance).await;
    let me: Value = plant.get_json(&m, "/api/me").await;
    assert_eq!(me["mfa_required"], false, "not required for maintenance");
    let start: Value = m
        .post(plant.url("/api/me/mfa/start"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(start["qr_svg"].as_str().unwrap().starts_with("<svg"));
    assert!(
        start["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/Plantlog:maintenance?")
    );
    let r = m
        .post(plant.url("/api/me/mfa/confirm"))
        .json(&json!({"code": "12345"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a wrong code does not switch it on");
    let mut mfa = enrol_mfa(&m, &plant.base).await;
    assert_eq!(mfa.recovery.len(), 10);

    let (s, e) = login(&plant, "maintenance", &pw, None).await;
    assert_eq!((s, e["code"].as_str()), (401, Some("mfa_required")));
    let (s, e) = login(&plant, "maintenance", &pw, Some("000000")).await;
    assert_eq!((s, e["code"].as_str()), (401, Some("bad_code")));
    let code = mfa.next_code();
    let (s, _) = login(&plant, "maintenance", &pw, Some(&code)).await;
    assert_eq!(s, 200);
    let (s, _) = login(&plant, "maintenance", &pw, Some(&code)).await;
    assert_eq!(s, 401, "a code works once");
    let recovery = mfa.recovery.pop().unwrap();
    let (s, _) = login(&plant, "maintenance", &pw, Some(&recovery)).await;
    assert_eq!(s, 200);
    let (s, _) = login(&plant, "maintenance", &pw, Some(&recovery)).await;
    assert_eq!(s, 401, "a recovery code works once");
    let (s, _) = login(
        &plant,
        "maintenance",
        "a wrong password!",
        Some(&mfa.next_code()),
    )
    .await;
    assert_eq!(s, 401, "a code is no password");

    // The admin resets a lost phone: the second factor is gone, sessions end.
    let admin = plant.client(Role::Admin).await;
    let id = me["id"].as_i64().unwrap();
    let r = admin
        .post(plant.url(&format!("/api/users/{id}/mfa/reset")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (s, _) = login(&plant, "maintenance", &pw, None).await;
    assert_eq!(s, 200);
    let audit = plant.get_json(&admin, "/api/audit?limit=200").await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"mfa.enrol") && actions.contains(&"mfa.reset"),
        "{actions:?}"
    );
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn build15_the_admin_requires_a_second_factor_per_role() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let view: Value = plant.get_json(&admin, "/api/security").await;
    let mut settings = view["settings"].clone();
    assert_eq!(settings["mfa_roles"], json!(["admin"]));
    settings["mfa_roles"] = json!(["supervisor"]);
    let r = admin
        .put(plant.url("/api/security"))
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let now: Value = r.json().await.unwrap();
    assert_eq!(
        now["settings"]["mfa_roles"],
        json!(["admin", "supervisor"]),
        "admin always"
    );
    let sup = anonymous();
    let r = sup
        .post(plant.url("/api/login"))
        .json(&json!({"username": "supervisor", "password": plant.password(Role::Supervisor)}))
        .send()
        .await
        .unwrap();
    let me: Value = r.json().await.unwrap();
    assert_eq!(me["mfa_enrolment_required"], true);
    let r = sup.get(plant.url("/api/overview")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "mfa_enrolment_required");
    enrol_mfa(&sup, &plant.base).await;
    let r = sup.get(plant.url("/api/overview")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // Required for the role: it cannot be switched off by the user.
    let r = sup
        .post(plant.url("/api/me/mfa/remove"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole4_a_locked_out_admin_still_logs_in_with_the_second_factor() {
    let plant = TestPlant::start().await;
    plant.client(Role::Admin).await; // sets up the admin's second factor
    let mut mfa = plant.admin_mfa().unwrap();
    let pw = plant.password(Role::Admin);
    for i in 0..12 {
        login(
            &plant,
            if i % 2 == 0 { "admin" } else { "ADMIN" },
            "guessing away",
            None,
        )
        .await;
    }
    let (s, e) = login(&plant, "Admin", &pw, None).await;
    assert_eq!((s, e["code"].as_str()), (429, Some("too_many_attempts")));
    let (s, _) = login(&plant, "admin", &pw, Some(&mfa.next_code())).await;
    assert_eq!(s, 200, "the second factor gets the admin in");
    plant.stop().await;
}
