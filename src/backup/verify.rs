//! Checking a backup: every file read back and its SHA-256 compared with the manifest's,
//! the database opened read-only, `PRAGMA integrity_check`, and its row counts and each
//! tag's newest sample compared with the source's at the backup's moment.

use std::path::Path;
use std::time::Instant;

use rusqlite::{Connection, OpenFlags};

use super::manifest::{DATABASE, Facts, FileSum, Manifest, Verification};
use super::{BackupError, snapshot};

/// Verifies the backup in `dir` against its manifest (`plantlog backup verify`, before
/// a restore, the drill).
pub fn verify(dir: &Path) -> Result<(Manifest, Verification), BackupError> {
    let m = Manifest::read(dir)?;
    let v = check(dir, &m.files, &m.source);
    Ok((m, v))
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
    if !files.iter().any(|f| f.name == DATABASE) {
        v.files_match = false;
        v.problems.push("the backup has no database file".into());
    }
    match open_copy(&dir.join(DATABASE)) {
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
    v.passed = v.files_match && v.facts_match && v.integrity == "ok";
    v.took_ms = t0.elapsed().as_millis() as i64;
    v
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
