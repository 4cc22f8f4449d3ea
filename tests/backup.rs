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

fn read_only(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// Every row of a query, as values.
fn rows(conn: &Connection, sql: &str) -> Vec<Vec<Value>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn tags(conn: &Connection) -> Vec<i64> {
    rows(conn, "SELECT id FROM tags ORDER BY id")
        .into_iter()
        .map(|r| match r[0] {
            Value::Integer(i) => i,
            _ => unreachable!(),
        })
        .collect()
}

fn newest_sample(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT max(t) FROM (SELECT max(ts) AS t FROM samples_hot
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
