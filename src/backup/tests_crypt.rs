//! Encrypted backups on real SQLite files: a full backup and an incremental on it,
//! encrypted; no file on the target holds a known tag name nor even SQLite's header
//! (an unencrypted backup of the same folder does: the search can find it); verify,
//! restore and drill with the key give the data of the moment; without the key, or with
//! another, they are refused with what to do; a changed byte fails verification; with
//! the key not at hand the next backup is a full one, still encrypted.

use std::path::{Path, PathBuf};

use super::crypt::{self, Keys};
use super::manifest::DATABASE;
use super::{BackupError, Quiet, incremental, restore, snapshot, verify};
use crate::auth::audit::Actor;
use crate::sample::Sample;
use crate::store::{Db, raw};

const MARKER: &str = "Kiln7-ZoneTemp-WestBurner";

fn files_under(p: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(p).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(files_under(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

/// The files under `p` whose bytes hold `needle`.
fn holding(p: &Path, needle: &[u8]) -> Vec<PathBuf> {
    files_under(p)
        .into_iter()
        .filter(|f| {
            std::fs::read(f)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle)
        })
        .collect()
}

fn actor() -> Actor {
    Actor {
        id: None,
        name: "test".into(),
        client: "local".into(),
    }
}

fn more_samples(db: &Db) {
    db.sql(|c| {
        let tx = c.transaction()?;
        let batch: Vec<Sample> = (0..3000)
            .map(|i| Sample::good(1 + i % 3, 9_000_000_000 + i * 1000, i as f64))
            .collect();
        raw::insert(&tx, &batch)?;
        tx.execute(
            "INSERT INTO tag_names VALUES (?1)",
            [format!("{MARKER}-added")],
        )?;
        tx.commit()
    })
    .unwrap();
}

#[test]
fn an_encrypted_backup_holds_no_plaintext_and_restores_only_with_its_key() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let stick = tmp.path().join("stick");
    std::fs::create_dir(&stick).unwrap();
    let db = super::tests_engine::data_folder(&data);
    db.sql(|c| {
        c.execute_batch("CREATE TABLE tag_names (n TEXT)")?;
        for i in 0..200 {
            c.execute(
                "INSERT INTO tag_names VALUES (?1)",
                [format!("{MARKER}-{i}")],
            )?;
        }
        Ok(())
    })
    .unwrap();

    let (key, recovery) = crypt::generate();
    assert!(recovery.starts_with("AGE-SECRET-KEY-1"), "{recovery}");
    // The recovery key as a person types it back: lower case, broken over lines.
    let typed = format!(
        "  {}\n{}  ",
        &recovery[..30].to_lowercase(),
        &recovery[30..]
    );
    let again = crypt::parse_key(&typed).unwrap();
    assert_eq!(crypt::recipient_of(&again), crypt::recipient_of(&key));
    assert!(crypt::parse_key("AGE-SECRET-KEY-1NOTAKEY").is_err());
    let keys = Keys {
        encrypt_to: Some(key.to_public()),
        key: Some(key.clone()),
    };

    let full = incremental::make_next_with(&data, &stick, &keys, &Quiet).unwrap();
    assert!(full.manifest.verification.passed, "{:?}", full.manifest);
    assert!(full.manifest.encryption.is_some());
    assert!(full.manifest.files.iter().all(|f| f.name.ends_with(".age")));
    more_samples(&db);
    let inc = incremental::make_next_with(&data, &stick, &keys, &Quiet).unwrap();
    let chain = inc.manifest.chain.clone().unwrap();
    assert_eq!(chain.parent.as_deref(), Some(full.manifest.name.as_str()));
    assert!(inc.manifest.verification.passed);
    let copy = tmp.path().join("copy.db");
    db.sql(|c| c.backup(rusqlite::MAIN_DB, &copy, None))
        .unwrap();

    // The bytes on the stick: no tag name, no SQLite header, no certificate text.
    assert!(!holding(&data, MARKER.as_bytes()).is_empty());
    assert_eq!(holding(&stick, MARKER.as_bytes()), Vec::<PathBuf>::new());
    assert_eq!(holding(&stick, b"SQLite format 3"), Vec::<PathBuf>::new());
    assert_eq!(holding(&stick, b"certificate"), Vec::<PathBuf>::new());
    // The same search finds the name in an unencrypted backup of the same folder.
    let plain = tmp.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    super::make(&data, &plain, &Quiet).unwrap();
    assert!(!holding(&plain, MARKER.as_bytes()).is_empty());
    // Nothing was left in the data folder by the stage.
    let left: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("backup-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // Verify: with the key it passes; without it, or with another, refused saying what to do.
    let (_, v) = verify::verify_with(&inc.dir, Some(&key)).unwrap();
    assert!(v.passed, "{v:?}");
    let e = verify::verify_with(&inc.dir, None).unwrap_err();
    assert!(matches!(e, BackupError::KeyMissing { .. }), "{e}");
    assert!(e.to_string().contains("enter the recovery key"), "{e}");
    assert_eq!(e.code(), "backup_key_missing");
    let (other, _) = crypt::generate();
    let e = verify::verify_with(&inc.dir, Some(&other)).unwrap_err();
    assert!(matches!(e, BackupError::KeyWrong { .. }), "{e}");
    assert!(e.to_string().contains("another key"), "{e}");

    // Restore without the key: refused, nothing written into the folder.
    let refused = tmp.path().join("refused");
    let e = restore::restore_with(&inc.dir, &refused, None, &actor(), &Quiet).unwrap_err();
    assert!(matches!(e, BackupError::KeyMissing { .. }), "{e}");
    assert!(!refused.join(DATABASE).exists());
    let e = restore::restore_with(&inc.dir, &refused, Some(&other), &actor(), &Quiet).unwrap_err();
    assert!(matches!(e, BackupError::KeyWrong { .. }), "{e}");
    assert!(!refused.join(DATABASE).exists());

    // With the key: equal to the copy of the moment, the files beside it too.
    let fresh = tmp.path().join("new-pc");
    restore::restore_with(&inc.dir, &fresh, Some(&again), &actor(), &Quiet).unwrap();
    let restored = verify::open_copy(&fresh.join(DATABASE)).unwrap();
    let copied = verify::open_copy(&copy).unwrap();
    assert_eq!(snapshot::integrity(&restored).unwrap(), "ok");
    let (a, b) = (
        snapshot::facts(&copied).unwrap(),
        snapshot::facts(&restored).unwrap(),
    );
    assert_eq!(a.latest, b.latest);
    let names = |c: &rusqlite::Connection| -> Vec<String> {
        let mut s = c.prepare("SELECT n FROM tag_names ORDER BY rowid").unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(names(&restored), names(&copied));
    assert_eq!(names(&restored).len(), 201);
    assert_eq!(
        std::fs::read_to_string(fresh.join("tls/cert.pem")).unwrap(),
        "certificate"
    );
    let left: Vec<_> = std::fs::read_dir(&fresh)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("backup-"))
        .collect();
    assert!(left.is_empty(), "decrypted files left behind: {left:?}");

    // The drill decrypts too; without the key it fails saying so.
    let into = tempfile::tempdir().unwrap();
    super::drill::drill_with(&inc.dir, into.path(), Some(&key)).unwrap();
    let into = tempfile::tempdir().unwrap();
    let why = super::drill::drill_with(&inc.dir, into.path(), None).unwrap_err();
    assert!(why.contains("enter the recovery key"), "{why}");

    // A changed byte in an encrypted file: verification fails, no restore.
    let pages = inc.dir.join("pages.zst.age");
    let mut bytes = std::fs::read(&pages).unwrap();
    let n = bytes.len() / 2;
    bytes[n] ^= 0x40;
    std::fs::write(&pages, &bytes).unwrap();
    let (_, v) = verify::verify_with(&inc.dir, Some(&key)).unwrap();
    assert!(!v.passed, "{v:?}");
    assert!(
        v.problems.iter().any(|p| p.contains("SHA-256")),
        "{:?}",
        v.problems
    );

    // The key not at hand (a restart without a keyring): backups go on, as full ones,
    // still encrypted.
    let no_key = Keys {
        encrypt_to: Some(key.to_public()),
        key: None,
    };
    let next = incremental::make_next_with(&data, &stick, &no_key, &Quiet).unwrap();
    assert!(next.manifest.verification.passed);
    assert_eq!(next.manifest.chain.unwrap().parent, None);
    assert!(next.manifest.encryption.is_some());
    assert_eq!(holding(&stick, MARKER.as_bytes()), Vec::<PathBuf>::new());
}
