//! The backup engine on real SQLite files: a copy made while another connection
//! commits is of one moment and passes verification; a damaged copy fails and is never
//! counted as good; a missing target is said plainly and nothing is made in its place.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::Connection;

use super::manifest::{self, DATABASE, FAILED, Found};
use super::{BackupError, Progress, Quiet, make};
use crate::sample::Sample;
use crate::store::{Db, Durability, raw};

/// A data folder whose database is larger than a few backup steps (about 20 MB), with
/// samples of three tags and a TLS folder beside it.
pub(super) fn data_folder(root: &Path) -> Db {
    let db = Db::open(&root.join(DATABASE)).unwrap();
    db.sql(|c| {
        let tx = c.transaction()?;
        let mut batch = Vec::new();
        for i in 0..60_000i64 {
            for tag in 1..=3 {
                batch.push(Sample::good(
                    tag,
                    1_000_000 + i * 1000,
                    (i * tag) as f64 * 0.5,
                ));
            }
        }
        raw::insert(&tx, &batch)?;
        tx.execute_batch("CREATE TABLE filler (b BLOB)")?;
        for _ in 0..200 {
            tx.execute("INSERT INTO filler VALUES (randomblob(60000))", [])?;
        }
        tx.commit()
    })
    .unwrap();
    std::fs::create_dir_all(root.join("tls")).unwrap();
    std::fs::write(root.join("tls/cert.pem"), "certificate").unwrap();
    std::fs::write(root.join("tls/key.pem"), "key").unwrap();
    db
}

/// Commits one sample through another connection at every step of the copy.
struct WriterBetweenSteps {
    conn: Mutex<Connection>,
    steps: Mutex<u64>,
}

impl Progress for WriterBetweenSteps {
    fn step(&self, what: &str, _: u64, _: u64) {
        if what != "copying the database" {
            return;
        }
        let mut n = self.steps.lock().unwrap();
        *n += 1;
        let conn = self.conn.lock().unwrap();
        raw::insert(&conn, &[Sample::good(1, 9_000_000_000 + *n as i64, 1.0)]).unwrap();
    }
}

#[test]
fn a_backup_made_while_another_connection_commits_is_of_one_moment() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let target = tmp.path().join("stick");
    std::fs::create_dir(&target).unwrap();
    let db = data_folder(&data);
    let before: i64 = db
        .sql(|c| c.query_row("SELECT count(*) FROM samples_hot", [], |r| r.get(0)))
        .unwrap();
    // Rows of samples_hot: the 180,000 samples packed, then a row per step's commit.
    assert_eq!(db.sql(|c| crate::store::hot::count(c)).unwrap(), 180_000);

    let writer = WriterBetweenSteps {
        conn: Mutex::new(crate::store::open(&data.join(DATABASE), Durability::Normal).unwrap()),
        steps: Mutex::new(0),
    };
    let made = make(&data, &target, &writer).unwrap();
    let steps = *writer.steps.lock().unwrap();
    assert!(steps >= 3, "the copy took {steps} steps");

    // The source moved on by one row per step; the backup holds the moment it began.
    let now: i64 = db
        .sql(|c| c.query_row("SELECT count(*) FROM samples_hot", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(now, before + steps as i64);
    let m = &made.manifest;
    assert!(m.verification.passed, "{:?}", m.verification);
    assert_eq!(m.verification.integrity, "ok");
    assert_eq!(m.source.tables["samples_hot"], before);
    assert_eq!(m.source.latest["1"], 1_000_000 + 59_999 * 1000);
    assert_eq!(m.source.latest.len(), 3);
    let copy = super::verify::open_copy(&made.dir.join(DATABASE)).unwrap();
    let n: i64 = copy
        .query_row("SELECT count(*) FROM samples_hot", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, before);
    let mode: String = copy
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");

    // The files beside it, each with its SHA-256, and the folder named by its time.
    let names: Vec<&str> = m.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [DATABASE, "pages.sha", "tls/cert.pem", "tls/key.pem"]
    );
    assert_eq!(
        m.files[3].sha256,
        "2c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b683"
    );
    assert_eq!(std::fs::read(made.dir.join("tls/key.pem")).unwrap(), b"key");
    assert_eq!(made.dir.file_name().unwrap().to_str().unwrap(), m.name);
    let listed = manifest::list(&target.join(super::FOLDER)).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, Found::Good);

    // Verified again later: still good.
    let (_, v) = super::verify::verify(&made.dir).unwrap();
    assert!(v.passed, "{v:?}");
}

/// Damages the copy after it is written, before it is verified: what a failing disk or
/// a pulled stick does.
struct DamageBeforeVerifying(std::path::PathBuf);

impl Progress for DamageBeforeVerifying {
    fn step(&self, what: &str, _: u64, _: u64) {
        if what != "verifying" {
            return;
        }
        let root = self.0.join(super::FOLDER);
        let dir = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with(manifest::PARTIAL))
            .unwrap();
        let path = dir.join(DATABASE);
        let mut bytes = std::fs::read(&path).unwrap();
        // A page in the middle of the file: the samples' b-tree.
        let at = bytes.len() / 2;
        for b in &mut bytes[at..at + 4096] {
            *b = 0x55;
        }
        std::fs::write(&path, bytes).unwrap();
    }
}

#[test]
fn a_copy_that_fails_verification_is_marked_failed_and_never_good() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let target = tmp.path().join("share");
    std::fs::create_dir(&target).unwrap();
    data_folder(&data);

    let err = make(&data, &target, &DamageBeforeVerifying(target.clone())).unwrap_err();
    assert_eq!(err.code(), "verification_failed");
    let root = target.join(super::FOLDER);
    let listed = manifest::list(&root).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, Found::Failed);
    assert!(listed[0].name.ends_with(FAILED));
    let m = listed[0].manifest.as_ref().unwrap();
    assert!(!m.verification.passed);
    assert!(!m.verification.files_match || m.verification.integrity != "ok");
    assert!(manifest::newest_good(&root).unwrap().is_none());

    // A good one afterwards; damaging it later is found by verify.
    let made = make(&data, &target, &Quiet).unwrap();
    assert_eq!(
        manifest::newest_good(&root).unwrap().unwrap().name,
        made.manifest.name
    );
    std::fs::write(made.dir.join("tls/cert.pem"), "another certificate").unwrap();
    let (_, v) = super::verify::verify(&made.dir).unwrap();
    assert!(!v.passed);
    assert!(!v.files_match);
    assert_eq!(v.integrity, "ok");
    assert!(
        v.problems[0].starts_with("tls/cert.pem: "),
        "{:?}",
        v.problems
    );
}

#[test]
fn a_missing_target_is_said_plainly_and_nothing_is_made_in_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    data_folder(&data);
    let unplugged = tmp.path().join("E-drive");
    let err = make(&data, &unplugged, &Quiet).unwrap_err();
    assert!(matches!(err, BackupError::TargetMissing { .. }), "{err:?}");
    assert!(err.to_string().contains("connected"), "{err}");
    assert!(!unplugged.exists());
}
