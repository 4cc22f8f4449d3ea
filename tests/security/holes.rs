//! Issue 8's holes, probed through the HTTP API as an attacker would; each of these
//! tests failed on the code before the fixes (they use only what that code had).

use std::io::{Read, Write};
use std::time::Duration;

use plantlog::app::{self, Listen};
use plantlog::auth::Role;
use serde_json::{Value, json};

use crate::util::{TestPlant, anonymous};

fn raw_client() -> reqwest::Client {
    crate::util::crypto();
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole1_setup_without_the_setup_code_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let running = app::start(app::Options {
        data_dir: dir.path().to_path_buf(),
        listen: Listen::Listener(listener),
        what: "test".into(),
    })
    .await
    .unwrap();
    let url = format!("http://{}/api/setup", running.local_addr);
    let r = anonymous()
        .post(&url)
        .json(
            &json!({"username": "mallory", "display_name": "M", "password": "a long password 123"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "setup without the console's code");
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole1_lan_listening_is_refused_until_an_admin_exists() {
    let dir = tempfile::tempdir().unwrap();
    let started = app::start(app::Options {
        data_dir: dir.path().to_path_buf(),
        listen: Listen::Addr {
            addr: "0.0.0.0:0".parse().unwrap(),
            fallback: false,
        },
        what: "test".into(),
    })
    .await;
    let refused = started.is_err();
    if let Ok(r) = started {
        r.shutdown().await;
    }
    assert!(refused, "a LAN listener with no admin yet");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole2_foreign_host_and_origin_are_refused() {
    let plant = TestPlant::start().await;
    let c = raw_client();
    let r = c
        .get(plant.url("/api/health"))
        .header("host", "rebind.attacker.example:8470")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 421, "a rebinding Host");
    let r = c
        .post(plant.url("/api/logout"))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "logout from a foreign origin");
    let r = c
        .post(plant.url("/api/login"))
        .json(&json!({"username": "operator", "password": plant.password(Role::Operator)}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        403,
        "a POST with neither Origin nor the UI's header"
    );
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole3_login_names_do_not_flood_the_audit_log() {
    let plant = TestPlant::start().await;
    let core = plant.demo.running.core.clone();
    let count = || {
        core.db()
            .sql(|c| {
                c.query_row("SELECT count(*), coalesce(sum(length(actor) + length(target) + length(detail)), 0) FROM audit", [], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
                })
            })
            .unwrap()
    };
    let (rows0, bytes0) = count();
    let c = anonymous();
    for i in 0..40 {
        let name = format!("{i}-{}", "x".repeat(20_000));
        let _ = c
            .post(plant.url("/api/login"))
            .json(&json!({"username": name, "password": "Sup3r secret typed in the name box"}))
            .send()
            .await
            .unwrap();
    }
    let r = c
        .post(plant.url("/api/login"))
        .json(&json!({"username": "correct horse battery staple", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429, "one address's failures are limited too");
    let (rows1, bytes1) = count();
    assert!(rows1 - rows0 <= 3, "audit rows added: {}", rows1 - rows0);
    assert!(
        bytes1 - bytes0 < 2_000,
        "audit bytes added: {}",
        bytes1 - bytes0
    );
    let leaked: i64 = core
        .db()
        .sql(|c| {
            c.query_row(
                "SELECT count(*) FROM audit WHERE actor LIKE '%horse%' OR target LIKE '%horse%' OR detail LIKE '%horse%'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(leaked, 0, "a name that is no account is never stored");
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole4_case_variants_share_one_lockout() {
    let plant = TestPlant::start().await;
    let c = anonymous();
    for i in 0..10 {
        let r = c
            .post(plant.url("/api/login"))
            .json(&json!({"username": "quality", "password": format!("wrong password {i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = c
        .post(plant.url("/api/login"))
        .json(&json!({"username": "QUALITY", "password": plant.password(Role::Quality)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429, "a case variant of a locked name");
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole4_parallel_guesses_cannot_pass_the_limit() {
    let plant = TestPlant::start().await;
    let mut tasks = Vec::new();
    for i in 0..30 {
        let url = plant.url("/api/login");
        tasks.push(tokio::spawn(async move {
            anonymous()
                .post(url)
                .json(&json!({"username": "stores", "password": format!("guess number {i}")}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut checked = 0;
    for t in tasks {
        if t.await.unwrap() == 401 {
            checked += 1;
        }
    }
    assert!(checked <= 10, "{checked} guesses were checked");
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole4_console_reset_lifts_the_lock() {
    let plant = TestPlant::start().await;
    let c = anonymous();
    for i in 0..12 {
        c.post(plant.url("/api/login"))
            .json(&json!({"username": "management", "password": format!("wrong password {i}")}))
            .send()
            .await
            .unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .args(["users", "reset-password", "management", "--data-dir"])
        .arg(plant._dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let pw = text
        .split("New password for management: ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let r = c
        .post(plant.url("/api/login"))
        .json(&json!({"username": "management", "password": pw}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the console's new password logs in");
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole5_unbounded_ranges_are_refused() {
    let plant = TestPlant::start().await;
    let op = plant.client(Role::Operator).await;
    let tag = plant
        .demo
        .running
        .core
        .plant()
        .tag_id("press-1-plc", "state")
        .unwrap();
    let guard = Duration::from_secs(30);
    for path in [
        format!("/api/tags/{tag}/states?from=-9223372036854775808&to=9223372036854775807"),
        format!("/api/tags/{tag}/history?from=-9223372036854775808&to=9223372036854775807"),
        format!("/api/export/samples.csv?tags={tag}&from=-9223372036854775808"),
    ] {
        let r = tokio::time::timeout(guard, op.get(plant.url(&path)).send())
            .await
            .unwrap_or_else(|_| panic!("{path} did not answer"))
            .unwrap();
        assert_eq!(r.status(), 400, "{path}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["code"], "bad_range", "{path}");
    }
    // A tag named 500 times is exported once.
    let once = op
        .get(plant.url(&format!(
            "/api/export/samples.csv?tags={tag}&to=9999999999999"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let many = vec![tag.to_string(); 500].join(",");
    let text = op
        .get(plant.url(&format!(
            "/api/export/samples.csv?tags={many}&to=9999999999999"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.lines().count() <= once.lines().count() + 5,
        "{} lines for one tag named 500 times, {} for it named once",
        text.lines().count(),
        once.lines().count()
    );
    let distinct: Vec<String> = (1..=150).map(|i| i.to_string()).collect();
    let r = op
        .get(plant.url(&format!(
            "/api/export/samples.csv?tags={}",
            distinct.join(",")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "150 tags in one export");
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole7_own_password_change_ends_other_sessions() {
    let plant = TestPlant::start().await;
    let a = plant.client(Role::Supervisor).await;
    let b = plant.client(Role::Supervisor).await;
    let r = a
        .post(plant.url("/api/me/password"))
        .json(&json!({"current_password": plant.password(Role::Supervisor), "new_password": "a brand new passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        a.get(plant.url("/api/me")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        b.get(plant.url("/api/me")).send().await.unwrap().status(),
        401
    );
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole7_wrong_current_passwords_are_throttled_and_audited() {
    let plant = TestPlant::start().await;
    let a = plant.client(Role::Stores).await;
    let mut last = 0;
    for i in 0..12 {
        last = a
            .post(plant.url("/api/me/password"))
            .json(&json!({"current_password": format!("not it {i}"), "new_password": "a brand new passphrase"}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
    }
    assert_eq!(last, 429);
    let admin = plant.client(Role::Admin).await;
    let audit = plant.get_json(&admin, "/api/audit?limit=1000").await;
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "password_change.failed"),
        "{audit}"
    );
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole8_commissioning_is_audited_and_one_at_a_time_per_line() {
    let plant = TestPlant::start().await;
    let m = plant.client(Role::Maintenance).await;
    let r = m
        .post(plant.url("/api/commissioning/read"))
        .json(&json!({"device": "press-1-plc", "tag": "state"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Every unit of the line (the simulator answers them all), so a scan lasts long
    // enough for the others sent with it to arrive while it runs: those are refused.
    let scan = |c: reqwest::Client, url: String| async move {
        c.post(url)
            .json(&json!({"device": "press-1-plc", "from": 1, "to": 247, "timeout_ms": 100}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let url = plant.url("/api/commissioning/scan");
    let (a, b, c) = tokio::join!(
        scan(m.clone(), url.clone()),
        scan(m.clone(), url.clone()),
        scan(m.clone(), url.clone())
    );
    let statuses = [a, b, c];
    assert!(
        statuses.contains(&200) && statuses.contains(&429),
        "three scans of one line at once: one runs, one at least is refused: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 429),
        "{statuses:?}"
    );
    let admin = plant.client(Role::Admin).await;
    let audit = plant.get_json(&admin, "/api/audit?limit=1000").await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"commission.read"), "{actions:?}");
    assert!(actions.contains(&"commission.scan"), "{actions:?}");
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole9_audit_is_append_only_and_its_retention_has_a_floor() {
    let plant = TestPlant::start().await;
    let core = plant.demo.running.core.clone();
    let changed = core
        .db()
        .sql(|c| c.execute("UPDATE audit SET detail = 'nothing happened'", []));
    assert!(changed.is_err(), "audit rows were changed");
    let deleted = core.db().sql(|c| c.execute("DELETE FROM audit", []));
    assert!(deleted.is_err(), "audit rows were deleted");
    let admin = plant.client(Role::Admin).await;
    let r = admin
        .put(plant.url("/api/storage"))
        .json(
            &json!({"raw_days": 365, "minute_days": 730, "hour_days": null, "audit_days": 30,
                      "archive": false, "disk_warn_mb": 1024, "confirm": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "audit retention below the floor");
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "audit_floor", "{e}");
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole10_slow_headers_are_cut_off_and_big_bodies_get_json_413() {
    let plant = TestPlant::start().await;
    let addr = plant.demo.running.local_addr;
    let slow = std::thread::spawn(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut buf = [0u8; 1024];
        // The server closes (0 bytes, or an error answer then close) instead of waiting.
        let mut got = Vec::new();
        loop {
            match s.read(&mut buf) {
                Ok(0) => return Ok(got),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => return Err(e.kind()),
            }
        }
    });
    let c = anonymous();
    let big = "x".repeat(1_000_000);
    let r = c
        .post(plant.url("/api/login"))
        .json(&json!({"username": "operator", "password": big}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "too_large");
    let outcome = tokio::task::spawn_blocking(move || slow.join().unwrap())
        .await
        .unwrap();
    assert!(
        outcome.is_ok(),
        "the slow client was kept waiting: {outcome:?}"
    );
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole12_errors_are_json_capped_and_bounded() {
    let plant = TestPlant::start().await;
    let op = plant.client(Role::Operator).await;
    let tag = plant
        .demo
        .running
        .core
        .plant()
        .tag_id("press-1-plc", "state")
        .unwrap();
    for (method, path) in [
        ("GET", format!("/api/tags/{tag}/history?from=yesterday")),
        ("DELETE", "/api/users".to_string()),
        ("GET", "/api/tags/notanumber/history".to_string()),
    ] {
        let r = op
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                plant.url(&path),
            )
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{method} {path}");
        let text = r.text().await.unwrap();
        let e: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{method} {path}: not JSON: {text:?}"));
        assert!(e["code"].is_string() && e["message"].is_string(), "{e}");
    }
    let admin = plant.client(Role::Admin).await;
    let mut junk = String::new();
    for i in 0..40_000 {
        junk.push_str(&format!("[[machines]]\nkey = \"m{i}\"\nnam = 1\n"));
    }
    let r = admin
        .post(plant.url("/api/config/check"))
        .body(junk.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(
        text.len() < junk.len() / 4 && text.len() < 200_000,
        "a {} byte answer to a {} byte request",
        text.len(),
        junk.len()
    );
    let r = admin
        .put(plant.url("/api/storage"))
        .json(
            &json!({"raw_days": 365, "minute_days": 730, "hour_days": null, "audit_days": 1095,
                      "archive": false, "disk_warn_mb": 9_000_000_000_000u64, "confirm": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a disk warning level of 9 exabytes");
    // The password an admin set must really be replaced.
    let users = plant.get_json(&admin, "/api/users").await;
    let op_id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "operator")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = admin
        .post(plant.url(&format!("/api/users/{op_id}/password")))
        .json(&json!({"password": "temporary secret 77"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let c = anonymous();
    c.post(plant.url("/api/login"))
        .json(&json!({"username": "operator", "password": "temporary secret 77"}))
        .send()
        .await
        .unwrap();
    let r = c
        .post(plant.url("/api/me/password"))
        .json(&json!({"current_password": "temporary secret 77", "new_password": "temporary secret 77"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "the admin's password kept as one's own");
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole13_private_files_and_no_caching() {
    let plant = TestPlant::start().await;
    let op = plant.client(Role::Operator).await;
    let r = op.get(plant.url("/api/overview")).send().await.unwrap();
    assert_eq!(
        r.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    plant.stop().await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("plantlog-data");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let running = app::start(app::Options {
            data_dir: dir.clone(),
            listen: Listen::Listener(listener),
            what: "test".into(),
        })
        .await
        .unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700, "data folder");
        assert_eq!(mode(&dir.join("plantlog.db")), 0o600, "database");
        running.shutdown().await;
    }
}
