//! A restore from the admin page while Plantlog runs and serves: through the API, a
//! backup is restored into the running data folder; users, configuration, audit and
//! trends are then the backup's, the data that was in use is kept aside whole, requests
//! were answered all along, and collection continues into the restored database.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use plantlog::auth::Role;
use plantlog::store::{history, raw};
use rusqlite::types::Value as Sql;
use serde_json::{Value, json};

use crate::backup::{newest_sample, read_only, rows, tags};
use crate::util::{TestPlant, wait_for};

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
async fn a_restore_through_the_api_brings_back_the_backup_and_collection_goes_on_into_it() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let core = plant.demo.running.core.clone();
    let data = core.data_folder().to_path_buf();
    let tmp = tempfile::tempdir().unwrap();
    let drive = tmp.path().join("drive");
    std::fs::create_dir(&drive).unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;

    let keep = json!({"hourly": 24, "daily": 7, "weekly": 4, "monthly": 12});
    let r = admin
        .post(plant.url("/api/backups/targets"))
        .json(&json!({"name": "Drive D", "path": drive, "schedule": "daily 02:00", "keep": keep, "enabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let id = r.json::<Value>().await.unwrap()["targets"][0]["target"]["id"]
        .as_i64()
        .unwrap();
    let users_then = plant.get_json(&admin, "/api/users").await;
    let (model_then, version_then) = model(&plant, &admin).await;
    let run: Value = admin
        .post(plant.url(&format!("/api/backups/targets/{id}/run")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(run["status"], "good", "{run}");
    let name = run["name"].as_str().unwrap().to_string();
    let backup_db = drive.join("Plantlog").join(&name).join("plantlog.db");

    // After the backup: a new user, a changed configuration, more samples.
    let r = admin
        .post(plant.url("/api/users"))
        .json(&json!({"username": "late", "display_name": "Came later", "role": "operator", "password": "a long password 123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let mut changed = model_then.clone();
    changed["site"]["name"] = json!("Renamed after the backup");
    let r = admin
        .put(plant.url(&format!("/api/config/model?base={version_then}")))
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let (_, version_changed) = model(&plant, &admin).await;
    assert_eq!(version_changed, version_then + 1);
    assert_ne!(plant.get_json(&admin, "/api/users").await, users_then);
    let backup_newest = newest_sample(&read_only(&backup_db));
    wait_for(Duration::from_secs(20), "samples after the backup", || {
        let (data, core) = (data.clone(), core.clone());
        async move {
            core.flush_writer();
            (newest_sample(&read_only(&data.join("plantlog.db"))) > backup_newest + 1000)
                .then_some(())
        }
    })
    .await;
    let newest_in_use = newest_sample(&read_only(&data.join("plantlog.db")));

    // Requests go on being answered while the restore runs.
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let poller = {
        let (c, url) = (admin.clone(), plant.url("/api/overview"));
        let (stop, answered) = (stop.clone(), answered.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let r = c.get(&url).send().await.unwrap();
                assert_eq!(r.status(), 200, "the overview during the restore");
                answered.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    // An operator may not restore.
    let operator = plant.client(Role::Operator).await;
    let url = plant.url(&format!("/api/backups/targets/{id}/backups/{name}/restore"));
    assert_eq!(operator.post(&url).send().await.unwrap().status(), 403);
    let r = admin.post(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let done: Value = r.json().await.unwrap();
    stop.store(true, Ordering::SeqCst);
    poller.await.unwrap();
    assert!(answered.load(Ordering::SeqCst) > 0);
    assert_eq!(done["backup"], name.as_str());
    assert_eq!(done["config_version"], version_then);
    let aside = std::path::PathBuf::from(done["set_aside"].as_str().unwrap());
    assert!(aside.starts_with(data.join("set-aside")), "{aside:?}");
    eprintln!(
        "restore took {} ms, collection stopped {} ms, {} overviews answered meanwhile",
        done["took_ms"],
        done["stopped_ms"],
        answered.load(Ordering::SeqCst)
    );

    // Users and configuration through the API are the backup's; the running plant is
    // the backup's configuration.
    assert_eq!(plant.get_json(&admin, "/api/users").await, users_then);
    let (model_now, version_now) = model(&plant, &admin).await;
    assert_eq!(version_now, version_then);
    assert_eq!(model_now, model_then);
    assert_eq!(core.plant().version, version_then);

    // The database in use against the backup's: tables, audit (the backup's records,
    // then the restore by the admin), every tag's samples and chart up to the backup.
    let copy = read_only(&backup_db);
    let live = read_only(&data.join("plantlog.db"));
    for sql in [
        "SELECT * FROM users ORDER BY id",
        "SELECT * FROM config_versions ORDER BY id",
        "SELECT * FROM tags ORDER BY id",
        "SELECT * FROM machines ORDER BY id",
    ] {
        assert_eq!(rows(&copy, sql), rows(&live, sql), "{sql}");
    }
    let before = rows(&copy, "SELECT * FROM audit ORDER BY id");
    let after = rows(&live, "SELECT * FROM audit ORDER BY id");
    assert!(before.len() > 5);
    assert_eq!(after[..before.len()], before[..]);
    let Sql::Integer(last_id) = before.last().unwrap()[0] else {
        panic!("audit ids are integers")
    };
    assert_eq!(
        rows(
            &live,
            &format!(
                "SELECT action, actor, target FROM audit WHERE id > {last_id} ORDER BY id LIMIT 1"
            )
        )[0],
        [
            Sql::Text("backup.restore".into()),
            Sql::Text("admin".into()),
            Sql::Text(name.clone())
        ]
    );
    let chain = plant.get_json(&admin, "/api/audit/verify").await;
    assert!(chain["broken"].is_null(), "{chain}");
    let first = backup_newest - 3 * 3_600_000;
    let ids = tags(&copy);
    assert!(ids.len() > 10);
    let mut compared = 0;
    for &tag in &ids {
        let a = raw::read(&copy, tag, first, backup_newest + 1).unwrap();
        assert_eq!(
            a,
            raw::read(&live, tag, first, backup_newest + 1).unwrap(),
            "tag {tag}"
        );
        compared += a.len();
        assert_eq!(
            history(&copy, tag, first, backup_newest + 1, 600, 60_000).unwrap(),
            history(&live, tag, first, backup_newest + 1, 600, 60_000).unwrap(),
            "tag {tag}"
        );
    }
    assert!(compared > 500, "{compared} samples compared");
    drop(live);

    // What was in use is kept aside whole: the later samples, user and configuration.
    let kept = read_only(&aside.join("plantlog.db"));
    assert!(newest_sample(&kept) >= newest_in_use);
    assert_eq!(
        rows(&kept, "SELECT count(*) FROM users WHERE username = 'late'")[0][0],
        Sql::Integer(1)
    );
    assert!(
        rows(&kept, "SELECT max(id) FROM config_versions")[0][0] == Sql::Integer(version_changed)
    );

    // Collection continues into the restored database: new samples after the restore,
    // while the restored history stays as it was.
    let restored_at = plantlog::sample::now_ms();
    wait_for(Duration::from_secs(20), "samples after the restore", || {
        let (data, core) = (data.clone(), core.clone());
        async move {
            core.flush_writer();
            (newest_sample(&read_only(&data.join("plantlog.db"))) > restored_at + 1000)
                .then_some(())
        }
    })
    .await;
    let live = read_only(&data.join("plantlog.db"));
    for &tag in ids.iter().take(5) {
        assert_eq!(
            raw::read(&copy, tag, first, backup_newest + 1).unwrap(),
            raw::read(&live, tag, first, backup_newest + 1).unwrap(),
            "tag {tag}: the restored history stays"
        );
    }
    assert_eq!(core.writer_status().error, None);
    // The backup history is the targets', carried over: the run that made the backup is
    // good (in the backup itself it was still running).
    let backups = plant.get_json(&admin, "/api/backups").await;
    assert_eq!(backups["targets"][0]["target"]["name"], "Drive D");
    let history = backups["history"].as_array().unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0]["status"], "good");
    assert_eq!(history[0]["name"], name.as_str());
    plant.stop().await;
}
