//! The support page as maintenance and the admin use it: recent warnings and errors read
//! back from the log files, crash records, the support bundle as a zip (audited), and the
//! desktop app's quit setting (admin only, audited).

use std::io::Read;

use plantlog::auth::Role;
use serde_json::{Value, json};

use crate::util::TestPlant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recent_problems_crashes_and_the_bundle_reach_maintenance_and_the_admin() {
    let plant = TestPlant::start().await;
    let dir = plant.demo.running.core.data_folder().to_path_buf();
    let logs = plantlog::os::paths::logs_dir(&dir);
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(
        logs.join("plantlog.2026-11-27.log"),
        "2026-11-27T22:00:00.000001Z  INFO plantlog::app: collecting\n\
         2026-11-27T22:10:00.000001Z  WARN plantlog::collector: line \"hall-1\": press-1-plc did not answer\n",
    )
    .unwrap();
    std::fs::write(
        logs.join("plantlog.2026-11-28.log"),
        "2026-11-28T06:00:00.000001Z ERROR plantlog::store::writer: a commit failed: disk full\n\
         2026-11-28T06:00:01.000001Z  INFO plantlog::store::writer: the writer goes on\n",
    )
    .unwrap();
    let crashes = plantlog::os::paths::crash_dir(&dir);
    std::fs::create_dir_all(&crashes).unwrap();
    std::fs::write(
        crashes.join("crash-20261128T060500Z-4242.txt"),
        "Plantlog crash record\ntime (UTC): 2026-11-28T06:05:00Z\npanic:      index out of bounds\n",
    )
    .unwrap();

    // Maintenance reads the page; the newest problem first, INFO lines left out.
    let maint = plant.client(Role::Maintenance).await;
    let v = plant.get_json(&maint, "/api/support").await;
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{v}");
    assert_eq!(problems[0]["level"], "ERROR");
    assert_eq!(problems[0]["time"], "2026-11-28T06:00:00.000001Z");
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("a commit failed: disk full")
    );
    assert_eq!(problems[1]["level"], "WARN");
    assert_eq!(v["crashes"][0]["file"], "crash-20261128T060500Z-4242.txt");
    assert_eq!(v["crashes"][0]["panic"], "index out of bounds");
    assert_eq!(v["crashes"][0]["time"], "2026-11-28T06:05:00Z");
    assert_eq!(v["quit_admin_only"], false);

    // The bundle: a zip with the logs, the crash record and the problems, audited.
    let r = maint
        .post(plant.url("/api/support/bundle"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains("plantlog-support-") && disposition.ends_with(".zip\""),
        "{disposition}"
    );
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    for want in [
        "README.txt",
        "versions.txt",
        "system.txt",
        "config.toml",
        "recent-problems.txt",
        "logs/plantlog.2026-11-28.log",
        "crash/crash-20261128T060500Z-4242.txt",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    let mut text = String::new();
    zip.by_name("recent-problems.txt")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.contains("disk full"), "{text}");

    // Others may not.
    let operator = plant.client(Role::Operator).await;
    let r = operator
        .get(plant.url("/api/support"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = operator
        .post(plant.url("/api/support/bundle"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // The quit setting is the admin's.
    let r = maint
        .put(plant.url("/api/support/desktop"))
        .json(&json!({"quit_admin_only": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let admin = plant.client(Role::Admin).await;
    let r = admin
        .put(plant.url("/api/support/desktop"))
        .json(&json!({"quit_admin_only": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v = plant.get_json(&admin, "/api/support").await;
    assert_eq!(v["quit_admin_only"], true);
    let core = plant.demo.running.core.clone();
    assert!(
        core.db()
            .sql(|c| plantlog::os::desktop::quit_admin_only(c))
            .unwrap(),
        "the desktop app reads the same setting"
    );

    // The desktop app on this PC reads the tray's state and who may quit with the
    // window's session: the admin may, the operator may not, nobody logged in may not.
    let tray = plant.get_json(&admin, "/api/desktop").await;
    assert_eq!(tray["quit_admin_only"], true, "{tray}");
    assert_eq!(tray["admin"], true, "{tray}");
    assert!(
        ["collecting", "alarm", "storage", "not_collecting"]
            .contains(&tray["state"].as_str().unwrap()),
        "{tray}"
    );
    assert!(!tray["text"].as_str().unwrap().is_empty(), "{tray}");
    let tray = plant.get_json(&operator, "/api/desktop").await;
    assert_eq!(tray["admin"], false, "{tray}");
    let anonymous = reqwest::Client::new();
    let tray: Value = anonymous
        .get(plant.url("/api/desktop"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tray["admin"], false, "{tray}");
    assert_eq!(tray["quit_admin_only"], true, "{tray}");

    let audit: Value = plant.get_json(&admin, "/api/audit?limit=50").await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"support.bundle"), "{actions:?}");
    assert!(actions.contains(&"desktop.settings"), "{actions:?}");
    plant.stop().await;
}
