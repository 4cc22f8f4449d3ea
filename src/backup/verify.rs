//! Checking a backup: every file read back and its SHA-256 compared with the manifest's,
//! the database opened read-only, `PRAGMA integrity_check`, and its row counts and each
//! tag's newest sample compared with the source's at the backup's moment.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rusqlite::{Connection, OpenFlags};

use super::manifest::{DATABASE, Facts, FileSum, Manifest, Verification};
use super::{BackupError, snapshot};

/// Verifies the backup in `dir` against its manifest (`plantlog backup verify`, before
/// a restore, the drill). An incremental one is checked with the chain it builds on:
/// every link's files, the database rebuilt from them (in a temporary folder) equal to
/// the one backed up, then integrity and facts.
pub fn verify(dir: &Path) -> Result<(Manifest, Verification), BackupError> {
    verify_into(dir, None)
}

/// [`verify`] of a backup that may be encrypted: decrypted with `key` into a temporary
/// folder first ([`super::crypt::open`]). Refused without the key, or with another key.
/// The manifest returned is the backup's own (naming its encrypted files).
pub fn verify_with(
    dir: &Path,
    key: Option<&age::x25519::Identity>,
) -> Result<(Manifest, Verification), BackupError> {
    let m = Manifest::read(dir)?;
    let t0 = Instant::now();
    let opened = match super::crypt::open(dir, key, &std::env::temp_dir()) {
        Ok(o) => o,
        Err(BackupError::Verification(why)) => {
            let v = Verification {
                problems: vec![why],
                took_ms: t0.elapsed().as_millis() as i64,
                ..Verification::default()
            };
            return Ok((m, v));
        }
        Err(e) => return Err(e),
    };
    let (_, v) = verify_into(&opened.dir, None)?;
    Ok((m, v))
}

/// [`verify`]; an incremental backup's database is rebuilt into `out` (kept there, for
/// a restore) when given.
pub fn verify_into(
    dir: &Path,
    out: Option<&Path>,
) -> Result<(Manifest, Verification), BackupError> {
    let m = Manifest::read(dir)?;
    let Some(chain) = m.chain.clone().filter(|c| c.parent.is_some()) else {
        let v = check(dir, &m.files, &m.source);
        return Ok((m, v));
    };
    let t0 = Instant::now();
    let mut v = Verification {
        tables: m.source.tables.len(),
        tags: m.source.latest.len(),
        files_match: true,
        ..Verification::default()
    };
    let links = match chain_of(dir, &m) {
        Ok(l) => l,
        Err(e) => {
            v.files_match = false;
            v.problems.push(e.to_string());
            v.took_ms = t0.elapsed().as_millis() as i64;
            return Ok((m, v));
        }
    };
    for (d, lm) in &links {
        check_files(d, &lm.files, &mut v);
    }
    let tmp;
    let out = match out {
        Some(p) => p.to_path_buf(),
        None => {
            tmp = tempfile::Builder::new()
                .prefix("plantlog-verify-")
                .tempdir()
                .map_err(|source| BackupError::Read {
                    path: std::env::temp_dir(),
                    source,
                })?;
            tmp.path().join(DATABASE)
        }
    };
    let dirs: Vec<&Path> = links.iter().map(|(d, _)| d.as_path()).collect();
    if v.files_match {
        match super::pages::rebuild(&dirs, chain.page_size, chain.pages, &out)
            .and_then(|_| super::pages::scan(&out, |_, _, _| Ok(())))
        {
            Ok(s) if s.sha256 == chain.db_sha256 => check_db(&out, &m.source, &mut v),
            Ok(_) => {
                v.files_match = false;
                v.problems.push(
                    "the database rebuilt from the chain is not the one backed up (SHA-256)".into(),
                );
            }
            Err(e) => v.problems.push(format!("cannot rebuild the database: {e}")),
        }
    }
    v.passed = v.files_match && v.facts_match && v.integrity == "ok";
    v.took_ms = t0.elapsed().as_millis() as i64;
    Ok((m, v))
}

/// The backups an incremental builds on, the full one first, each with its manifest,
/// `dir` last. Each must be there and verified.
pub fn chain_of(dir: &Path, m: &Manifest) -> Result<Vec<(PathBuf, Manifest)>, BackupError> {
    let root = dir.parent().unwrap_or(dir);
    let mut links = vec![(dir.to_path_buf(), m.clone())];
    let mut cur = m.clone();
    while let Some(parent) = cur.chain.as_ref().and_then(|c| c.parent.clone()) {
        if links.len() > 10_000 || parent.contains(['/', '\\']) {
            return Err(BackupError::Invalid(
                "the chain of backups is not one".into(),
            ));
        }
        let pdir = root.join(&parent);
        let pm = Manifest::read(&pdir).map_err(|e| {
            BackupError::Invalid(format!(
                "the backup {parent} it builds on cannot be read: {e}"
            ))
        })?;
        if pm.name != parent || !pm.verification.passed {
            return Err(BackupError::Invalid(format!(
                "the backup {parent} it builds on is not a good backup"
            )));
        }
        links.push((pdir, pm.clone()));
        cur = pm;
    }
    links.reverse();
    Ok(links)
}

/// The checks, with what did not match; `passed` only when all hold.
pub fn check(dir: &Path, files: &[FileSum], source: &Facts) -> Verification {
    let t0 = Instant::now();
    let mut v = Verification {
        tables: source.tables.len(),
        tags: source.latest.len(),
        ..Verification::default()
    };
    v.files_match = true;
    check_files(dir, files, &mut v);
    if !files.iter().any(|f| f.name == DATABASE) {
        v.files_match = false;
        v.problems.push("the backup has no database file".into());
    }
    check_db(&dir.join(DATABASE), source, &mut v);
    v.passed = v.files_match && v.facts_match && v.integrity == "ok";
    v.took_ms = t0.elapsed().as_millis() as i64;
    v
}

/// Every file read back: its size and SHA-256 as recorded.
pub fn check_files(dir: &Path, files: &[FileSum], v: &mut Verification) {
    for f in files {
        match super::engine::sha256_file(&dir.join(&f.name)) {
            Ok((bytes, sha)) if bytes == f.bytes && sha == f.sha256 => {}
            Ok((bytes, _)) if bytes != f.bytes => {
                v.files_match = false;
                v.problems
                    .push(format!("{}: {bytes} bytes instead of {}", f.name, f.bytes));
            }
            Ok(_) => {
                v.files_match = false;
                v.problems
                    .push(format!("{}: its SHA-256 is not the one recorded", f.name));
            }
            Err(e) => {
                v.files_match = false;
                v.problems.push(format!("{}: cannot be read: {e}", f.name));
            }
        }
    }
}

/// The database opened read-only: integrity, and the facts equal to `source`.
pub fn check_db(db: &Path, source: &Facts, v: &mut Verification) {
    match open_copy(db) {
        Ok(conn) => {
            match snapshot::integrity(&conn) {
                Ok(s) => v.integrity = s,
                Err(e) => v.integrity = format!("cannot be checked: {e}"),
            }
            if v.integrity != "ok" {
                v.problems.push(format!("integrity check: {}", v.integrity));
            }
            match snapshot::facts(&conn) {
                Ok(copy) => {
                    let diff = source.differences(&copy);
                    v.facts_match = diff.is_empty();
                    v.problems.extend(diff);
                }
                Err(e) => v.problems.push(format!("cannot read the copy: {e}")),
            }
        }
        Err(e) => {
            v.integrity = format!("cannot be opened: {e}");
            v.problems.push(v.integrity.clone());
        }
    }
}

/// Opens a backup's database read-only: nothing in the backup is changed by looking.
pub fn open_copy(path: &Path) -> rusqlite::Result<Connection> {
    if !path.is_file() {
        return Err(rusqlite::Error::InvalidPath(path.to_path_buf()));
    }
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}
