//! Making one backup: the database copied through SQLite's online backup API inside one
//! read transaction (the writer keeps committing), the facts of that same moment, the
//! files beside the database, the configuration as TOML, then verification and the
//! manifest. Written as `<time>.partial`, renamed `<time>` when verification passed or
//! `<time>.failed` when it did not.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};

use super::manifest::{self, CONFIGURATION, DATABASE, FAILED, FileSum, Manifest, PARTIAL};
use super::{BackupError, FOLDER, Progress, snapshot};
use crate::sample::now_ms;
use crate::store::{Durability, StoreError};

/// The folders of the data folder copied beside the database: the TLS certificate and
/// key (without them the browsers' trust in the server is lost). Logs, crash reports
/// and lock files are not part of a backup.
pub const BESIDE: &[&str] = &["tls"];

/// Pages copied per step of the online backup (16 MB at 4 KiB pages), between which
/// progress is shown and the copy synced. The unit tests' small databases take a few
/// steps of 1 MB, so a writer can commit between them.
const STEP_PAGES: i32 = if cfg!(test) { 256 } else { 4096 };

pub const METHOD: &str = "online-backup-api";
pub const FORMAT: u32 = 1;

/// A backup written and verified.
#[derive(Debug, Clone)]
pub struct Made {
    pub dir: PathBuf,
    pub manifest: Manifest,
}

/// Backs up the data folder `data_dir` into `target` (a folder that must exist: a
/// drive, a share, a stick), in `<target>/Plantlog/<time>`.
pub fn make(data_dir: &Path, target: &Path, progress: &dyn Progress) -> Result<Made, BackupError> {
    let started = Instant::now();
    let db_path = data_dir.join(DATABASE);
    if !db_path.is_file() {
        return Err(BackupError::Invalid(format!(
            "{} holds no Plantlog database to back up",
            data_dir.display()
        )));
    }
    // The target itself must be there: never create a missing drive's path on the
    // system drive.
    std::fs::metadata(target).map_err(|e| BackupError::target(target, e))?;
    let root = target.join(FOLDER);
    std::fs::create_dir_all(&root).map_err(|e| BackupError::target(&root, e))?;

    let created_ms = now_ms();
    let name = super::stamp(created_ms);
    let dir = root.join(format!("{name}{PARTIAL}"));
    std::fs::create_dir(&dir).map_err(|e| BackupError::target(&dir, e))?;

    let src = open_source(&db_path)?;
    snapshot::begin(&src)?;
    let copied = copy_at_moment(&src, &dir.join(DATABASE), progress);
    snapshot::end(&src);
    drop(src);
    let (source, config_toml, copy_ms) = copied?;

    progress.step("copying the files beside the database", 0, 1);
    // Read back once: the file's SHA-256 and each page's hash, the start of a chain.
    let scan = super::pages::scan(&dir.join(DATABASE), |_, _, _| Ok(()))?;
    let mut files = vec![FileSum {
        name: DATABASE.to_string(),
        bytes: scan.bytes,
        sha256: scan.sha256.clone(),
    }];
    super::pages::write_hashes(&dir.join(super::pages::HASHES), &scan.hashes)?;
    files.push(sum(&dir, super::pages::HASHES)?);
    let chain = super::manifest::Chain {
        parent: None,
        full: name.clone(),
        depth: 0,
        page_size: scan.page_size,
        pages: scan.hashes.len() as u64,
        stored_pages: scan.hashes.len() as u64,
        db_sha256: scan.sha256,
    };
    for folder in BESIDE {
        copy_tree(&data_dir.join(folder), &dir, folder, &mut files)?;
    }
    if let Some(text) = config_toml {
        write_synced(&dir.join(CONFIGURATION), text.as_bytes())?;
        files.push(sum(&dir, CONFIGURATION)?);
    }
    manifest::sync_dir(&dir).map_err(|e| BackupError::target(&dir, e))?;

    progress.step("verifying", 0, 1);
    let verification = super::verify::check(&dir, &files, &source);
    let m = Manifest {
        format: FORMAT,
        name: name.clone(),
        created_ms,
        plantlog_version: env!("CARGO_PKG_VERSION").to_string(),
        method: METHOD.to_string(),
        copy_ms,
        took_ms: 0,
        files,
        source,
        verification,
        chain: Some(chain),
        encryption: None,
    };
    finish(&root, &dir, m, started)
}

/// Writes the manifest (with the time taken) into the `.partial` folder `dir` and gives
/// the folder its final name: `<time>` when verification passed, `<time>.failed` when
/// not (an error then).
pub(super) fn finish(
    root: &Path,
    dir: &Path,
    mut m: Manifest,
    started: Instant,
) -> Result<Made, BackupError> {
    let name = m.name.clone();
    m.took_ms = started.elapsed().as_millis() as i64;
    m.write(dir)?;
    let passed = m.verification.passed;
    let final_dir = root.join(if passed {
        name.clone()
    } else {
        format!("{name}{FAILED}")
    });
    std::fs::rename(dir, &final_dir).map_err(|e| BackupError::target(&final_dir, e))?;
    manifest::sync_dir(root).map_err(|e| BackupError::target(root, e))?;
    if !passed {
        return Err(BackupError::Verification(
            m.verification.problems.join("; "),
        ));
    }
    Ok(Made {
        dir: final_dir,
        manifest: m,
    })
}

/// The connection a backup copies from: its pages read through a memory map (up to
/// SQLite's limit) rather than one read call per page.
pub(super) fn open_source(db_path: &Path) -> Result<rusqlite::Connection, BackupError> {
    let src = crate::store::open(db_path, Durability::Normal)?;
    src.pragma_update(None, "mmap_size", 1i64 << 40)
        .map_err(|e| BackupError::Store(StoreError::Sqlite(e)))?;
    Ok(src)
}

/// Inside the read transaction held on `src`: the facts, the configuration, and the
/// pages copied into `dst_path`. Returns the facts, the configuration's TOML and how
/// long the copy took.
pub(super) fn copy_at_moment(
    src: &Connection,
    dst_path: &Path,
    progress: &dyn Progress,
) -> Result<(super::Facts, Option<String>, i64), BackupError> {
    let source = snapshot::facts(src)?;
    let config_toml = crate::config::load_plant(src)
        .ok()
        .filter(|p| p.version > 0)
        .map(|p| crate::config::export(&p.config));
    let t0 = Instant::now();
    let target_err = |e: rusqlite::Error| dst_error(dst_path, e);
    let mut dst = Connection::open_with_flags(
        dst_path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )
    .map_err(target_err)?;
    // The copy is written under the unfinished folder's name and synced whole at the
    // end, so each step needs no rollback journal and no sync of its own (with them,
    // every step wrote a journal and synced twice: a third of cp's speed). The pages
    // written are synced every step instead, so the dirty data never piles up and the
    // writer's own syncs do not wait behind it.
    dst.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
        .map_err(target_err)?;
    // Opened for writing: Windows syncs only a file opened so.
    let dst_file = std::fs::OpenOptions::new()
        .write(true)
        .open(dst_path)
        .map_err(|e| BackupError::target(dst_path, e))?;
    {
        let backup = Backup::new(src, &mut dst).map_err(target_err)?;
        loop {
            match backup.step(STEP_PAGES).map_err(target_err)? {
                StepResult::Done => break,
                StepResult::More => {
                    dst_file
                        .sync_data()
                        .map_err(|e| BackupError::target(dst_path, e))?;
                    let p = backup.progress();
                    let total = p.pagecount.max(0) as u64;
                    progress.step(
                        "copying the database",
                        total - (p.remaining.max(0) as u64).min(total),
                        total,
                    );
                }
                // The target locked by someone else: wait a moment and go on.
                StepResult::Busy | StepResult::Locked => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
    // The copy carries the source's WAL flag; a backup is one self-contained file.
    dst.pragma_update(None, "journal_mode", "DELETE")
        .map_err(target_err)?;
    dst.close().map_err(|(_, e)| target_err(e))?;
    dst_file
        .sync_all()
        .map_err(|e| BackupError::target(dst_path, e))?;
    Ok((source, config_toml, t0.elapsed().as_millis() as i64))
}

/// An SQLite error writing the copy, as a target error where it is one.
fn dst_error(path: &Path, e: rusqlite::Error) -> BackupError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => BackupError::TargetFull {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::CannotOpen) => BackupError::TargetMissing {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        },
        Some(ErrorCode::SystemIoFailure) | Some(ErrorCode::ReadOnly) => BackupError::Target {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        },
        _ => BackupError::Store(StoreError::Sqlite(e)),
    }
}

/// Copies the files under `from` (if it exists) into `dir/name`, synced, adding each
/// to `files`.
pub(super) fn copy_tree(
    from: &Path,
    dir: &Path,
    name: &str,
    files: &mut Vec<FileSum>,
) -> Result<(), BackupError> {
    let entries = match std::fs::read_dir(from) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(BackupError::Read {
                path: from.to_path_buf(),
                source,
            });
        }
    };
    let to = dir.join(name);
    std::fs::create_dir_all(&to).map_err(|e| BackupError::target(&to, e))?;
    let mut names: Vec<_> = entries.filter_map(Result::ok).collect();
    names.sort_by_key(|e| e.file_name());
    for e in names {
        let file = e.file_name().to_string_lossy().into_owned();
        let rel = format!("{name}/{file}");
        let path = e.path();
        if path.is_dir() {
            copy_tree(&path, dir, &rel, files)?;
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| BackupError::Read {
            path: path.clone(),
            source,
        })?;
        write_synced(&to.join(&file), &bytes)?;
        files.push(sum(dir, &rel)?);
    }
    manifest::sync_dir(&to).map_err(|e| BackupError::target(&to, e))?;
    Ok(())
}

pub(super) fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(path)?;
        f.write_all(bytes)?;
        f.sync_all()
    };
    write().map_err(|e| BackupError::target(path, e))
}

/// The size and SHA-256 of `dir/name`, read back from the target.
pub fn sum(dir: &Path, name: &str) -> Result<FileSum, BackupError> {
    let path = dir.join(name);
    let (bytes, sha256) = sha256_file(&path).map_err(|source| BackupError::Read {
        path: path.clone(),
        source,
    })?;
    Ok(FileSum {
        name: name.to_string(),
        bytes,
        sha256,
    })
}

pub fn sha256_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        n += k as u64;
        h.update(&buf[..k]);
    }
    Ok((n, hex::encode(h.finalize())))
}
