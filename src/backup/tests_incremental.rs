//! Incremental backups on real SQLite files: a full backup, then two incrementals after
//! changes; the last restores to a database equal to a copy taken at its moment
//! (integrity, every table's rows, every sample); the incrementals are small; a damaged
//! link fails verification and is not restored; retention keeps what a kept incremental
//! builds on; a week after the full one the next backup is full again.

use std::path::Path;

use rusqlite::{Connection, MAIN_DB};

use super::incremental::{self, FULL_EVERY_MS};
use super::manifest::{self, DATABASE, Found};
use super::pages::PAGES;
use super::{Keep, Quiet, restore, snapshot, verify};
use crate::auth::audit::Actor;
use crate::sample::Sample;
use crate::store::{Db, raw};

fn change(db: &Db, round: i64) {
    db.sql(|c| {
        let tx = c.transaction()?;
        let batch: Vec<Sample> = (0..3000)
            .map(|i| {
                Sample::good(
                    1 + i % 3,
                    5_000_000_000 + round * 10_000_000 + i * 1000,
                    i as f64,
                )
            })
            .collect();
        raw::insert(&tx, &batch)?;
        tx.execute(
            "UPDATE filler SET b = randomblob(60000) WHERE rowid = ?1",
            [round * 7],
        )?;
        tx.commit()
    })
    .unwrap();
}

/// A copy of the database as it is now, through SQLite (no VACUUM: the same pages).
fn copy_now(db: &Db, to: &Path) {
    db.sql(|c| c.backup(MAIN_DB, to, None)).unwrap();
}

fn all_rows(c: &Connection, table: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let mut stmt = c
        .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
        .unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_full_backup_and_its_incrementals_restore_to_the_copy_of_that_moment() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let target = tmp.path().join("drive");
    std::fs::create_dir(&target).unwrap();
    let db = super::tests_engine::data_folder(&data);

    let full = incremental::make_next(&data, &target, &Quiet).unwrap();
    let fc = full.manifest.chain.clone().unwrap();
    assert_eq!(fc.parent, None);
    assert!(
        target
            .join("Plantlog")
            .join(&full.manifest.name)
            .join(DATABASE)
            .is_file()
    );

    change(&db, 1);
    let inc1 = incremental::make_next(&data, &target, &Quiet).unwrap();
    change(&db, 2);
    let inc2 = incremental::make_next(&data, &target, &Quiet).unwrap();
    let copy = tmp.path().join("copy.db");
    copy_now(&db, &copy);
    for (inc, parent) in [(&inc1, &full), (&inc2, &inc1)] {
        let c = inc.manifest.chain.clone().unwrap();
        assert_eq!(c.parent.as_deref(), Some(parent.manifest.name.as_str()));
        assert_eq!(c.full, full.manifest.name);
        assert!(
            inc.manifest.verification.passed,
            "{:?}",
            inc.manifest.verification
        );
        assert!(
            !inc.dir.join(DATABASE).exists(),
            "an incremental holds no whole database"
        );
        // Small: a few changed pages of a ~20 MB database, compressed.
        assert!(
            c.stored_pages * 20 < c.pages,
            "{} of {} pages stored",
            c.stored_pages,
            c.pages
        );
        assert!(
            inc.manifest.bytes() * 20 < full.manifest.bytes(),
            "{} bytes against the full {}",
            inc.manifest.bytes(),
            full.manifest.bytes()
        );
    }
    // Verified again from the whole chain, the database rebuilt in a temporary folder.
    let (_, v) = verify::verify(&inc2.dir).unwrap();
    assert!(v.passed, "{v:?}");

    // Restored onto a fresh folder: equal to the copy of the moment.
    let fresh = tmp.path().join("new-pc");
    let actor = Actor {
        id: None,
        name: "test".into(),
        client: "local".into(),
    };
    let r = restore::restore(&inc2.dir, &fresh, &actor, &Quiet).unwrap();
    assert_eq!(r.manifest.name, inc2.manifest.name);
    let restored = verify::open_copy(&fresh.join(DATABASE)).unwrap();
    let copied = verify::open_copy(&copy).unwrap();
    assert_eq!(snapshot::integrity(&restored).unwrap(), "ok");
    let (a, b) = (
        snapshot::facts(&copied).unwrap(),
        snapshot::facts(&restored).unwrap(),
    );
    for (t, n) in &a.tables {
        let m = b.tables[t];
        if t == "audit" {
            assert_eq!(m, n + 1, "the restore's own record");
        } else {
            assert_eq!(m, *n, "table {t}");
        }
    }
    assert_eq!(a.latest, b.latest);
    for tag in 1..=3 {
        let (x, y) = (
            raw::read(&copied, tag, 0, i64::MAX).unwrap(),
            raw::read(&restored, tag, 0, i64::MAX).unwrap(),
        );
        assert!(x.len() > 60_000);
        assert_eq!(x, y, "tag {tag}");
    }
    assert_eq!(all_rows(&copied, "filler"), all_rows(&restored, "filler"));

    // Retention keeping only the newest: what it builds on stays.
    let removed = super::targets::apply_retention(
        &target,
        &Keep {
            hourly: 1,
            daily: 0,
            weekly: 0,
            monthly: 0,
        },
        &jiff::tz::TimeZone::UTC,
    )
    .unwrap();
    assert!(removed.is_empty(), "{removed:?}");
    let listed = manifest::list(&target.join("Plantlog")).unwrap();
    assert_eq!(listed.iter().filter(|l| l.state == Found::Good).count(), 3);

    // A week after the full one, the next backup starts a new chain.
    assert!(incremental::choose(&listed, full.manifest.created_ms + 60_000).is_some());
    assert!(incremental::choose(&listed, full.manifest.created_ms + FULL_EVERY_MS + 1).is_none());

    // A damaged link: the incremental built on it fails verification, is not restored.
    let pages = inc1.dir.join(PAGES);
    let mut bytes = std::fs::read(&pages).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&pages, bytes).unwrap();
    let (_, v) = verify::verify(&inc2.dir).unwrap();
    assert!(!v.passed);
    assert!(
        v.problems
            .iter()
            .any(|p| p.contains("pages.zst: its SHA-256")),
        "{v:?}"
    );
    let other = tmp.path().join("other-pc");
    let e = restore::restore(&inc2.dir, &other, &actor, &Quiet).unwrap_err();
    assert!(e.to_string().contains("is not restored"), "{e}");
    assert!(!other.join(DATABASE).exists());
}
