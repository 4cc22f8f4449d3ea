//! Backups of a running plant, restored: `plantlog backup now` while `plantlog demo`
//! collects, then `plantlog backup restore` onto a fresh data folder gives the same
//! trends, users, configuration and audit as the backup's moment, and collection
//! continues into it. A restore over existing data keeps that data aside.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, types::Value};

use plantlog::store::{history, raw};

use crate::restart::start_demo;
use crate::util::sh;

fn plantlog(args: &[&str], data_dir: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "plantlog {args:?}: {text}");
    text
}

pub(crate) fn read_only(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// Every row of a query, as values.
pub(crate) fn rows(conn: &Connection, sql: &str) -> Vec<Vec<Value>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

pub(crate) fn tags(conn: &Connection) -> Vec<i64> {
    rows(conn, "SELECT id FROM tags ORDER BY id")
        .into_iter()
        .map(|r| match r[0] {
            Value::Integer(i) => i,
            _ => unreachable!(),
        })
        .collect()
}

pub(crate) fn newest_sample(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT max(t) FROM (SELECT max(last) AS t FROM samples_hot
            UNION ALL SELECT max(last) FROM blocks_fresh UNION ALL SELECT max(last) FROM blocks)",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

fn the_backup(target: &Path) -> PathBuf {
    let root = target.join("Plantlog");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs.pop().unwrap()
}

#[test]
fn a_backup_of_a_running_plant_restores_to_the_same_data_and_collection_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let plant = tmp.path().join("plant");
    let target = tmp.path().join("backup-drive");
    std::fs::create_dir(&target).unwrap();

    // Backed up while the demo plant collects (another process writes meanwhile).
    let (mut demo, _, _) = start_demo(&plant);
    std::thread::sleep(Duration::from_secs(4));
    let out = plantlog(&["backup", "now", "--to", target.to_str().unwrap()], &plant);
    assert!(out.contains("verified (integrity ok"), "{out}");
    std::thread::sleep(Duration::from_secs(2));
    demo.kill().unwrap();
    demo.wait().unwrap();
    let backup = the_backup(&target);
    let out = plantlog(&["backup", "verify", backup.to_str().unwrap()], &plant);
    assert!(out.contains("verifies"), "{out}");
    let out = plantlog(
        &["backup", "list", "--to", target.to_str().unwrap()],
        &plant,
    );
    assert!(out.contains("  good"), "{out}");

    // Restored onto a fresh data folder.
    let fresh = tmp.path().join("new-pc");
    let out = plantlog(&["backup", "restore", backup.to_str().unwrap()], &fresh);
    assert!(out.contains("The data folder was empty"), "{out}");

    let copy = read_only(&backup.join("plantlog.db"));
    let restored = read_only(&fresh.join("plantlog.db"));
    // Users, configuration (every version), and the audit log: the restore's own
    // record follows the backup's records.
    for sql in [
        "SELECT * FROM users ORDER BY id",
        "SELECT * FROM config_versions ORDER BY id",
        "SELECT * FROM tags ORDER BY id",
        "SELECT * FROM machines ORDER BY id",
        "SELECT * FROM settings ORDER BY 1",
    ] {
        assert_eq!(rows(&copy, sql), rows(&restored, sql), "{sql}");
    }
    let audit_sql = "SELECT * FROM audit ORDER BY id";
    let before = rows(&copy, audit_sql);
    let after = rows(&restored, audit_sql);
    assert!(
        before.len() > 5,
        "the demo's imports and logins are audited"
    );
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after[..before.len()], before[..]);
    let actions = rows(
        &restored,
        "SELECT action, actor FROM audit ORDER BY id DESC LIMIT 1",
    );
    assert_eq!(
        actions[0],
        [
            Value::Text("backup.restore".into()),
            Value::Text("command line".into())
        ]
    );
    let out = plantlog(&["audit", "verify"], &fresh);
    assert!(out.contains("The audit log is intact"), "{out}");

    // Trends: every tag's raw samples and its chart over the whole stored range.
    let last = newest_sample(&copy);
    let first = last - 3 * 3_600_000;
    let ids = tags(&copy);
    assert!(ids.len() > 10, "{ids:?}");
    let mut samples = 0;
    for &tag in &ids {
        let a = raw::read(&copy, tag, first, last + 1).unwrap();
        let b = raw::read(&restored, tag, first, last + 1).unwrap();
        assert_eq!(a, b, "tag {tag}");
        samples += a.len();
        assert_eq!(
            history(&copy, tag, first, last + 1, 600, 60_000).unwrap(),
            history(&restored, tag, first, last + 1, 600, 60_000).unwrap(),
            "tag {tag}"
        );
    }
    assert!(samples > 1000, "{samples} samples compared");
    drop(restored);

    // Collection continues into the restored folder.
    let (mut demo, _, _) = start_demo(&fresh);
    std::thread::sleep(Duration::from_secs(5));
    demo.kill().unwrap();
    demo.wait().unwrap();
    let restored = read_only(&fresh.join("plantlog.db"));
    assert!(
        newest_sample(&restored) > last + 2000,
        "new samples after the backup's newest"
    );
    for &tag in ids.iter().take(5) {
        assert_eq!(
            raw::read(&copy, tag, first, last + 1).unwrap(),
            raw::read(&restored, tag, first, last + 1).unwrap(),
            "tag {tag}: the restored history stays as it was"
        );
    }

    // Restored over the plant's own folder: what was there (collected after the
    // backup) is kept aside, whole.
    let newest_before = newest_sample(&read_only(&plant.join("plantlog.db")));
    assert!(newest_before > last);
    let out = plantlog(&["backup", "restore", backup.to_str().unwrap()], &plant);
    assert!(out.contains("is kept in"), "{out}");
    let aside: Vec<PathBuf> = std::fs::read_dir(plant.join("set-aside"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        newest_sample(&read_only(&aside[0].join("plantlog.db"))),
        newest_before
    );
    assert_eq!(newest_sample(&read_only(&plant.join("plantlog.db"))), last);
}

#[test]
fn a_restore_is_refused_while_plantlog_collects_into_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let plant = tmp.path().join("plant");
    let target = tmp.path().join("backup-drive");
    std::fs::create_dir(&target).unwrap();
    let (mut demo, _, _) = start_demo(&plant);
    plantlog(&["backup", "now", "--to", target.to_str().unwrap()], &plant);
    let backup = the_backup(&target);
    let out = Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .arg("--data-dir")
        .arg(&plant)
        .args(["backup", "restore"])
        .arg(&backup)
        .output()
        .unwrap();
    demo.kill().unwrap();
    demo.wait().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Stop it first"), "{err}");
    assert!(!plant.join("set-aside").exists());
}

/// The admin page's API: a target that is not plugged in fails with a clear error and a
/// system alarm every user sees, and the backup to a working target still runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unplugged_target_shows_its_error_and_an_alarm_and_the_working_one_still_runs() {
    use plantlog::auth::Role;
    use serde_json::json;

    let plant = crate::util::TestPlant::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let share = tmp.path().join("share");
    std::fs::create_dir(&share).unwrap();
    let stick = tmp.path().join("stick");
    let admin = plant.client(Role::Admin).await;
    let keep = json!({"hourly": 24, "daily": 7, "weekly": 4, "monthly": 12});
    for (name, path) in [("USB stick", &stick), ("Office share", &share)] {
        let r = admin
            .post(plant.url("/api/backups/targets"))
            .json(&json!({"name": name, "path": path, "schedule": "daily 02:00", "keep": keep, "enabled": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    let view = plant.get_json(&admin, "/api/backups").await;
    let id = |name: &str| {
        view["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["target"]["name"] == name)
            .unwrap()["target"]["id"]
            .as_i64()
            .unwrap()
    };
    let (stick_id, share_id) = (id("USB stick"), id("Office share"));

    let run = |id: i64| {
        let admin = admin.clone();
        let url = plant.url(&format!("/api/backups/targets/{id}/run"));
        async move {
            let r = admin.post(url).send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.json::<serde_json::Value>().await.unwrap()
        }
    };
    let failed = run(stick_id).await;
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["error_code"], "target_missing");
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .contains("Is the drive, stick or network share connected?"),
        "{failed}"
    );
    let good = run(share_id).await;
    assert_eq!(good["status"], "good", "{good}");
    assert_eq!(good["verification"]["integrity"], "ok");
    assert_eq!(good["verification"]["passed"], true);
    assert!(good["bytes"].as_i64().unwrap() > 100_000);

    // Every user sees the alarm: an operator's overview.
    let operator = plant.client(Role::Operator).await;
    let overview = plant.get_json(&operator, "/api/overview").await;
    let alarms = overview["system_alarms"].as_array().unwrap();
    let backup: Vec<&serde_json::Value> = alarms
        .iter()
        .filter(|a| a["code"].as_str().unwrap().starts_with("backup"))
        .collect();
    assert_eq!(backup.len(), 1, "{alarms:?}");
    assert_eq!(backup[0]["code"], "backup_failed");
    assert!(backup[0]["message"].as_str().unwrap().contains("USB stick"));
    // The operator may not see the backups page.
    let r = operator
        .get(plant.url("/api/backups"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // The share's backups, and one verified again.
    let list = plant
        .get_json(&admin, &format!("/api/backups/targets/{share_id}/backups"))
        .await;
    let backups = list["backups"].as_array().unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0]["state"], "good");
    assert_eq!(backups[0]["name"], good["name"]);
    let r = admin
        .post(plant.url(&format!(
            "/api/backups/targets/{share_id}/backups/{}/verify",
            good["name"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["passed"], true, "{v}");

    // The history and the audit log have both runs.
    let view = plant.get_json(&admin, "/api/backups").await;
    assert_eq!(view["history"].as_array().unwrap().len(), 2);
    let audit = plant.get_json(&admin, "/api/audit").await;
    let text = audit.to_string();
    assert!(
        text.contains("backup.target_add") && text.contains("backup.now"),
        "{text}"
    );

    // Plugged in: the next run is good and the alarm goes.
    std::fs::create_dir(&stick).unwrap();
    assert_eq!(run(stick_id).await["status"], "good");
    let overview = plant.get_json(&operator, "/api/overview").await;
    assert!(
        !overview["system_alarms"].to_string().contains("backup_"),
        "{overview}"
    );
    plant.stop().await;
}

/// `plantlog backup now` without a folder backs up to every target set up, records the
/// runs as the scheduler does, and says so; without targets it says what to do.
#[test]
fn backup_now_without_a_folder_uses_the_targets_set_up() {
    use plantlog::backup::Keep;
    use plantlog::backup::targets::{self, TargetInput};

    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .arg("--data-dir")
        .arg(&data)
        .args(["backup", "now"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no backup target is set up"), "{err}");

    let drive = tmp.path().join("drive");
    std::fs::create_dir(&drive).unwrap();
    let db = plantlog::store::Db::open(&data.join("plantlog.db")).unwrap();
    for (name, path) in [("drive", drive.clone()), ("stick", tmp.path().join("gone"))] {
        let t = TargetInput {
            name: name.into(),
            path: path.display().to_string(),
            schedule: "daily 02:00".into(),
            keep: Keep::default(),
            enabled: true,
        };
        db.sql(|c| Ok(targets::add(c, &t, 0).unwrap())).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .arg("--data-dir")
        .arg(&data)
        .args(["backup", "now"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "one target failed");
    assert!(stdout.starts_with("drive: backed up into "), "{stdout}");
    assert!(
        stderr.contains("stick: FAILED: the backup target"),
        "{stderr}"
    );
    let runs: Vec<String> = db
        .sql(|c| {
            let mut s = c.prepare("SELECT status FROM backup_runs ORDER BY id")?;
            s.query_map([], |r| r.get(0))?.collect()
        })
        .unwrap();
    assert_eq!(runs, ["good", "failed"]);
    let out = plantlog(&["backup", "list"], &data);
    assert!(out.contains("drive (") && out.contains("  good"), "{out}");

    // `plantlog backup drill`: the good backup on the drive restored into a temporary
    // folder and checked, recorded and audited; the data folder is left as it was.
    let live = std::fs::metadata(data.join("plantlog.db")).unwrap().len();
    let out = plantlog(&["backup", "drill"], &data);
    assert!(
        out.contains("The restore drill of ") && out.contains("(drive) passed"),
        "{out}"
    );
    assert!(out.contains("integrity ok"), "{out}");
    let drills: Vec<(bool, String)> = db
        .sql(|c| {
            let mut s = c.prepare("SELECT passed, target FROM backup_drills")?;
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
        })
        .unwrap();
    assert_eq!(drills, [(true, "drive".to_string())]);
    let audited: i64 = db
        .sql(|c| c.query_row("SELECT count(*) FROM audit WHERE action = 'backup.drill' AND actor = 'command line'", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(audited, 1);
    assert!(std::fs::metadata(data.join("plantlog.db")).unwrap().len() >= live);
    assert!(!data.join("set-aside").exists());
}

/// The restore drill from the Backups page: the newest good backup restored into a
/// temporary folder and checked passes and is shown; the same backup with bytes of its
/// database flipped fails with the reason, and every user sees the alarm.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_drill_of_a_good_backup_passes_and_of_a_damaged_one_fails_with_an_alarm() {
    use plantlog::auth::Role;
    use serde_json::json;

    let plant = crate::util::TestPlant::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let share = tmp.path().join("share");
    std::fs::create_dir(&share).unwrap();
    let admin = plant.client(Role::Admin).await;
    let operator = plant.client(Role::Operator).await;

    // Before any backup: never drilled, and a drill has nothing to restore.
    let view = plant.get_json(&admin, "/api/backups").await;
    assert_eq!(view["drill"]["last"], serde_json::Value::Null, "{view}");
    assert_eq!(view["drill"]["interval_days"], 30);
    assert_eq!(view["drill"]["overdue"], false);
    let r = admin
        .post(plant.url("/api/backups/drill"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: serde_json::Value = r.json().await.unwrap();
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("no good backup on any target"),
        "{e}"
    );

    let keep = json!({"hourly": 24, "daily": 7, "weekly": 4, "monthly": 12});
    let r = admin
        .post(plant.url("/api/backups/targets"))
        .json(&json!({"name": "Office share", "path": &share, "schedule": "daily 02:00", "keep": keep, "enabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let id = plant.get_json(&admin, "/api/backups").await["targets"][0]["target"]["id"]
        .as_i64()
        .unwrap();
    let r = admin
        .post(plant.url(&format!("/api/backups/targets/{id}/run")))
        .send()
        .await
        .unwrap();
    let good: serde_json::Value = r.json().await.unwrap();
    assert_eq!(good["status"], "good", "{good}");
    let backup = share.join("Plantlog").join(good["name"].as_str().unwrap());
    let before = std::fs::read(backup.join("plantlog.db")).unwrap();

    let drill = || {
        let admin = admin.clone();
        let url = plant.url("/api/backups/drill");
        async move {
            let r = admin.post(url).send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.json::<serde_json::Value>().await.unwrap()
        }
    };
    // An operator may not run one.
    let r = operator
        .post(plant.url("/api/backups/drill"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let d = drill().await;
    assert_eq!(d["passed"], true, "{d}");
    assert_eq!(d["target"], "Office share");
    assert_eq!(d["backup"], backup.display().to_string());
    let detail = d["detail"].as_str().unwrap();
    assert!(
        detail.contains("integrity ok") && detail.contains("users and the configuration"),
        "{detail}"
    );
    assert!(d["took_ms"].as_i64().unwrap() >= 0);
    // The backup itself is untouched by the drill, and nothing is left in the temp folder.
    assert_eq!(std::fs::read(backup.join("plantlog.db")).unwrap(), before);
    let view = plant.get_json(&admin, "/api/backups").await;
    assert_eq!(view["drill"]["last"], d, "{view}");
    assert_eq!(view["drill"]["overdue"], false);
    let overview = plant.get_json(&operator, "/api/overview").await;
    assert!(
        !overview["system_alarms"].to_string().contains("backup_"),
        "{overview}"
    );

    // Bytes flipped in the backup's database: the drill fails and says why.
    let mut damaged = before.clone();
    let mid = damaged.len() / 2;
    for b in &mut damaged[mid..mid + 64] {
        *b ^= 0xA5;
    }
    std::fs::write(backup.join("plantlog.db"), &damaged).unwrap();
    let d = drill().await;
    assert_eq!(d["passed"], false, "{d}");
    assert!(
        d["detail"]
            .as_str()
            .unwrap()
            .contains("plantlog.db: its SHA-256 is not the one recorded"),
        "{d}"
    );
    let view = plant.get_json(&admin, "/api/backups").await;
    assert_eq!(view["drill"]["last"], d);
    let overview = plant.get_json(&operator, "/api/overview").await;
    let alarms: Vec<&serde_json::Value> = overview["system_alarms"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["code"] == "backup_drill_failed")
        .collect();
    assert_eq!(alarms.len(), 1, "{overview}");
    assert!(
        alarms[0]["message"]
            .as_str()
            .unwrap()
            .contains("SHA-256 is not the one recorded"),
        "{overview}"
    );

    // Both drills are in the audit log.
    let audit = plant.get_json(&admin, "/api/audit").await.to_string();
    assert_eq!(audit.matches("backup.drill").count(), 2, "{audit}");
    assert!(audit.contains("FAILED, took"), "{audit}");
    plant.stop().await;
}

/// `plantlog` with an environment variable; whether it succeeded and what it said.
fn plantlog_env(args: &[&str], data_dir: &Path, env: Option<(&str, &Path)>) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plantlog"));
    cmd.arg("--data-dir").arg(data_dir).args(args);
    if let Some((k, v)) = env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// A small ext2 filesystem on a loop device, mounted by the kernel at a folder named as
/// its label (the kernel's own "no space left"); unmounted and detached on drop.
struct SmallStick {
    dev: String,
    mnt: PathBuf,
}

impl SmallStick {
    fn new(dir: &Path, label: &str, mb: u64) -> SmallStick {
        let img = dir.join("stick.img");
        let mnt = dir.join("media").join(label);
        std::fs::create_dir_all(&mnt).unwrap();
        let img_s = img.to_str().unwrap();
        sh("truncate", &["-s", &format!("{mb}M"), img_s]);
        sh("mkfs.ext2", &["-q", "-F", "-L", label, img_s]);
        let dev = sh("losetup", &["-f", "--show", img_s]).trim().to_string();
        let s = SmallStick { dev, mnt };
        sh("mount", &[&s.dev, s.mnt.to_str().unwrap()]);
        s
    }
}

impl Drop for SmallStick {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.mnt).output();
        let _ = Command::new("losetup").args(["-d", &self.dev]).output();
    }
}

/// A target that is "the stick labelled PLNTBK": skipped with "waiting for the stick"
/// while it is not plugged in; written when it is; and when the stick (a real 6 MB ext2
/// filesystem) is full, the backup fails cleanly: reported with "is full", recorded as
/// failed (`target_full`), raising the system alarm "backup failed"; its unfinished
/// folder removed; the older backup on the stick intact (it verifies); the database
/// unharmed (integrity ok, every sample there). Needs root, losetup and mkfs.ext2, as
/// the USB export tests.
#[test]
fn a_full_stick_fails_cleanly_with_an_alarm_and_the_older_backup_and_the_database_intact() {
    use plantlog::backup::targets::{self, TargetInput};
    use plantlog::sample::Sample;

    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let db_path = data.join("plantlog.db");
    let db = plantlog::store::Db::open(&db_path).unwrap();
    db.sql(|c| {
        let tx = c.transaction()?;
        let batch: Vec<Sample> = (0..20_000)
            .map(|i| Sample::good(1 + i % 4, 1_000_000 + i * 250, i as f64))
            .collect();
        raw::insert(&tx, &batch)?;
        tx.execute_batch("CREATE TABLE filler (b BLOB)")?;
        tx.execute("INSERT INTO filler VALUES (randomblob(500000))", [])?;
        tx.commit()
    })
    .unwrap();
    db.sql(|c| {
        Ok(targets::add(
            c,
            &TargetInput {
                name: "plant stick".into(),
                path: "stick:PLNTBK".into(),
                schedule: "hourly".into(),
                keep: plantlog::backup::Keep::default(),
                enabled: true,
            },
            plantlog::sample::now_ms(),
        ))
    })
    .unwrap()
    .unwrap();
    drop(db);

    // Not plugged in: skipped, said so, not a failure.
    let (ok, text) = plantlog_env(&["backup", "now"], &data, None);
    assert!(ok, "{text}");
    assert!(
        text.contains("waiting for the stick labelled \"PLNTBK\""),
        "{text}"
    );

    let stick = SmallStick::new(tmp.path(), "PLNTBK", 6);
    let drives = Some(("PLANTLOG_EXTRA_DRIVES", stick.mnt.as_path()));
    let (ok, text) = plantlog_env(&["backup", "now"], &data, drives);
    assert!(ok, "{text}");
    let root = stick.mnt.join("Plantlog");
    let first = the_backup(&stick.mnt);
    assert!(first.starts_with(&root), "{}", first.display());

    // 8 MB more that does not compress: the next backup cannot fit on the stick.
    let db = plantlog::store::Db::open(&db_path).unwrap();
    db.sql(|c| {
        for _ in 0..16 {
            c.execute("INSERT INTO filler VALUES (randomblob(500000))", [])?;
        }
        Ok(())
    })
    .unwrap();
    let samples_before = db
        .sql(|c| {
            c.query_row("SELECT coalesce(sum(n), 0) FROM samples_hot", [], |r| {
                r.get::<_, i64>(0)
            })
        })
        .unwrap();
    assert_eq!(samples_before, 20_000);
    let (ok, text) = plantlog_env(&["backup", "now"], &data, drives);
    assert!(!ok, "a backup onto a full stick succeeded: {text}");
    assert!(text.contains("is full"), "{text}");

    // Only the older backup is on the stick, and it still verifies.
    let names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [first.file_name().unwrap().to_string_lossy().into_owned()],
        "the unfinished backup was left on the stick"
    );
    let (ok, text) = plantlog_env(&["backup", "verify", first.to_str().unwrap()], &data, None);
    assert!(ok && text.contains("verifies"), "{text}");

    // Recorded as failed, full; the system alarm every user sees.
    let (states, integrity, samples_after) = db
        .sql(|c| {
            let s = targets::states(c, plantlog::sample::now_ms(), &jiff::tz::TimeZone::UTC)?;
            let i: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            let n: i64 = c.query_row("SELECT coalesce(sum(n), 0) FROM samples_hot", [], |r| {
                r.get(0)
            })?;
            Ok((s, i, n))
        })
        .unwrap();
    let last = states[0].last.clone().unwrap();
    assert_eq!(last.status, "failed");
    assert_eq!(last.error_code.as_deref(), Some("target_full"));
    let alarms = plantlog::health::backup_alarms(&states);
    assert!(
        alarms
            .iter()
            .any(|a| a.code == "backup_failed" && a.message.contains("is full")),
        "{alarms:?}"
    );
    assert_eq!(integrity, "ok");
    assert_eq!(samples_after, samples_before);
    let left: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("backup-"))
        .collect();
    assert!(
        left.is_empty(),
        "a stage was left in the data folder: {left:?}"
    );
}
