//! Incremental backups: the database copied (online backup API, one read transaction,
//! as for a full backup) into a stage file in the data folder, its pages hashed, and
//! only the pages whose hash differs from the backup it builds on written to the target,
//! compressed. A full backup starts a chain; [`choose`] says when the next backup is
//! incremental (a full one weekly). docs/ARCHITECTURE.md, "Incremental backups".
//!
//! Verification when written, without reading the full backup back: the stored pages
//! are read back from the target and compared with the stage; the pages not stored have
//! the hashes of the backup built on (itself verified); every file's SHA-256; and the
//! stage database (the exact file the chain rebuilds to, whose SHA-256 the manifest
//! records) opened read-only, `integrity_check`, facts. A restore, `plantlog backup
//! verify` and the drill rebuild the database from the whole chain and compare it with
//! that SHA-256 ([`super::verify::verify`]).

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::time::Instant;

use super::crypt::Keys;
use super::engine::{self, BESIDE, Made};
use super::manifest::{self, CONFIGURATION, Chain, DATABASE, Found, Listed, Manifest, PARTIAL};
use super::pages::{self, HASHES, PAGES, PageWriter};
use super::{BackupError, FOLDER, Progress, snapshot};
use crate::sample::now_ms;

pub const METHOD: &str = "page-incremental";

/// A full backup at least this often (a week): a chain never grows past it.
pub const FULL_EVERY_MS: i64 = 7 * 24 * 3_600_000;
/// Nor past this many incrementals (hourly for a week is 168).
pub const MAX_DEPTH: u32 = 200;

/// The backup the next one on `root` builds on: the newest good backup, when it is a
/// link of a chain whose full backup is younger than [`FULL_EVERY_MS`] and not too
/// deep. None: the next backup is a full one.
pub fn choose(listed: &[Listed], now: i64) -> Option<Listed> {
    let newest = listed.iter().rev().find(|l| l.state == Found::Good)?;
    let chain = newest.manifest.as_ref()?.chain.as_ref()?;
    let full = listed.iter().find(|l| l.name == chain.full)?;
    (full.state == Found::Good && now - full.created_ms < FULL_EVERY_MS && chain.depth < MAX_DEPTH)
        .then(|| newest.clone())
}

/// Backs up `data_dir` into `target` as the pages changed since `parent` (a good backup
/// of a chain in the same target).
pub fn make(
    data_dir: &Path,
    target: &Path,
    parent: &Listed,
    progress: &dyn Progress,
) -> Result<Made, BackupError> {
    let hashes = super::crypt::parent_hashes(parent, None)?;
    make_on(data_dir, target, parent, hashes, progress)
}

/// [`make`] with the page hashes of `parent` given (read, or decrypted, by the caller).
pub fn make_on(
    data_dir: &Path,
    target: &Path,
    parent: &Listed,
    parent_hashes: Vec<pages::PageHash>,
    progress: &dyn Progress,
) -> Result<Made, BackupError> {
    let started = Instant::now();
    let db_path = data_dir.join(DATABASE);
    if !db_path.is_file() {
        return Err(BackupError::Invalid(format!(
            "{} holds no Plantlog database to back up",
            data_dir.display()
        )));
    }
    let pm = parent
        .manifest
        .clone()
        .filter(|m| m.verification.passed)
        .ok_or_else(|| BackupError::Invalid(format!("{} is not a good backup", parent.name)))?;
    let pchain = pm
        .chain
        .clone()
        .ok_or_else(|| BackupError::Invalid(format!("{} is not part of a chain", parent.name)))?;
    std::fs::metadata(target).map_err(|e| BackupError::target(target, e))?;
    let root = target.join(FOLDER);
    std::fs::create_dir_all(&root).map_err(|e| BackupError::target(&root, e))?;

    let created_ms = now_ms();
    let name = super::stamp(created_ms);
    let dir = root.join(format!("{name}{PARTIAL}"));
    std::fs::create_dir(&dir).map_err(|e| BackupError::target(&dir, e))?;

    // The stage: beside the database (same disk, removed at the end).
    let stage_dir = tempfile::Builder::new()
        .prefix("backup-stage-")
        .tempdir_in(data_dir)
        .map_err(|source| BackupError::Read {
            path: data_dir.to_path_buf(),
            source,
        })?;
    let stage = stage_dir.path().join(DATABASE);
    let src = engine::open_source(&db_path)?;
    snapshot::begin(&src)?;
    let copied = engine::copy_at_moment(&src, &stage, progress);
    snapshot::end(&src);
    drop(src);
    let (source, config_toml, copy_ms) = copied?;

    progress.step("writing the changed pages", 0, 1);
    let mut w = PageWriter::create(&dir.join(PAGES))?;
    let mut werr = None;
    let scan = pages::scan(&stage, |pgno, data, h| {
        if parent_hashes.get(pgno as usize - 1) != Some(h)
            && let Err(e) = w.page(pgno, data)
        {
            werr.get_or_insert(e);
        }
        Ok(())
    })?;
    let stored = w.pages;
    if let Some(e) = werr {
        return Err(BackupError::target(&dir, e));
    }
    w.finish().map_err(|e| BackupError::target(&dir, e))?;
    pages::write_hashes(&dir.join(HASHES), &scan.hashes)?;
    let mut files = vec![engine::sum(&dir, PAGES)?, engine::sum(&dir, HASHES)?];
    for folder in BESIDE {
        engine::copy_tree(&data_dir.join(folder), &dir, folder, &mut files)?;
    }
    if let Some(text) = config_toml {
        engine::write_synced(&dir.join(CONFIGURATION), text.as_bytes())?;
        files.push(engine::sum(&dir, CONFIGURATION)?);
    }
    manifest::sync_dir(&dir).map_err(|e| BackupError::target(&dir, e))?;

    progress.step("verifying", 0, 1);
    let t0 = Instant::now();
    let mut v = super::Verification {
        tables: source.tables.len(),
        tags: source.latest.len(),
        files_match: true,
        ..Default::default()
    };
    super::verify::check_files(&dir, &files, &mut v);
    if scan.page_size != pchain.page_size {
        v.files_match = false;
        v.problems.push(format!(
            "the page size changed ({} instead of {}): a full backup is needed",
            scan.page_size, pchain.page_size
        ));
    }
    match read_back(&dir.join(PAGES), &stage, scan.page_size) {
        Ok(n) if n == stored => {}
        Ok(n) => {
            v.files_match = false;
            v.problems
                .push(format!("{PAGES}: {n} pages read back instead of {stored}"));
        }
        Err(e) => {
            v.files_match = false;
            v.problems.push(format!("{PAGES}: {e}"));
        }
    }
    super::verify::check_db(&stage, &source, &mut v);
    v.passed = v.files_match && v.facts_match && v.integrity == "ok";
    v.took_ms = t0.elapsed().as_millis() as i64;
    drop(stage_dir);

    let m = Manifest {
        format: engine::FORMAT,
        name: name.clone(),
        created_ms,
        plantlog_version: env!("CARGO_PKG_VERSION").to_string(),
        method: METHOD.to_string(),
        copy_ms,
        took_ms: 0,
        files,
        source,
        verification: v,
        chain: Some(Chain {
            parent: Some(parent.name.clone()),
            full: pchain.full.clone(),
            depth: pchain.depth + 1,
            page_size: scan.page_size,
            pages: scan.hashes.len() as u64,
            stored_pages: stored,
            db_sha256: scan.sha256,
        }),
        encryption: None,
    };
    engine::finish(&root, &dir, m, started)
}

/// Reads the stored pages back from the target and compares each with the stage's page
/// of the same number; returns how many were read.
fn read_back(pages_file: &Path, stage: &Path, page_size: u32) -> Result<u64, BackupError> {
    let mut f = std::fs::File::open(stage).map_err(|source| BackupError::Read {
        path: stage.to_path_buf(),
        source,
    })?;
    let mut want = vec![0u8; page_size as usize];
    pages::read_pages(pages_file, page_size, |pgno, data| {
        f.seek(SeekFrom::Start((pgno as u64 - 1) * page_size as u64))
            .and_then(|_| f.read_exact(&mut want))
            .map_err(|source| BackupError::Read {
                path: stage.to_path_buf(),
                source,
            })?;
        if want != data {
            return Err(BackupError::Verification(format!(
                "page {pgno} read back differs from the copy"
            )));
        }
        Ok(())
    })
}

/// The next backup of `data_dir` on `target`: incremental when [`choose`] finds a
/// backup to build on, full otherwise.
pub fn make_next(
    data_dir: &Path,
    target: &Path,
    progress: &dyn Progress,
) -> Result<Made, BackupError> {
    make_next_with(data_dir, target, &Keys::none(), progress)
}

/// [`make_next`], encrypted when `keys` says to encrypt ([`super::crypt`]): then the
/// backup is made and verified in a stage folder in the data folder and written to the
/// target encrypted. An incremental builds only on a backup encrypted to the same
/// recipient, and only when the key is at hand to read its page list; otherwise the
/// backup is a full one. When a backup fails, its unfinished folder on the target is
/// removed (the older backups are not touched).
pub fn make_next_with(
    data_dir: &Path,
    target: &Path,
    keys: &Keys,
    progress: &dyn Progress,
) -> Result<Made, BackupError> {
    let since = now_ms();
    let made = next(data_dir, target, keys, progress);
    if made.is_err() {
        remove_partials(&target.join(FOLDER), since);
    }
    made
}

fn next(
    data_dir: &Path,
    target: &Path,
    keys: &Keys,
    progress: &dyn Progress,
) -> Result<Made, BackupError> {
    let started = Instant::now();
    // A target that cannot be read is said by make(), in the target's words.
    let root = target.join(FOLDER);
    let listed = manifest::list(&root).unwrap_or_default();
    let want = keys.encrypt_to.as_ref().map(|r| r.to_string());
    let parent = choose(&listed, now_ms()).filter(|p| {
        p.manifest
            .as_ref()
            .map(|m| m.encryption.as_ref().map(|e| e.recipient.clone()))
            == Some(want.clone())
    });
    let Some(r) = &keys.encrypt_to else {
        return match parent {
            Some(parent) => make(data_dir, target, &parent, progress),
            None => engine::make(data_dir, target, progress),
        };
    };
    // Nothing is staged for a target that is not there.
    std::fs::metadata(target).map_err(|e| BackupError::target(target, e))?;
    let parent = parent.and_then(
        |p| match super::crypt::parent_hashes(&p, keys.key.as_ref()) {
            Ok(h) => Some((p, h)),
            Err(e) => {
                tracing::info!("a full backup instead of an incremental on {}: {e}", p.name);
                None
            }
        },
    );
    let stage = tempfile::Builder::new()
        .prefix("backup-stage-")
        .tempdir_in(data_dir)
        .map_err(|source| BackupError::Read {
            path: data_dir.to_path_buf(),
            source,
        })?;
    let made = match parent {
        Some((p, h)) => make_on(data_dir, stage.path(), &p, h, progress)?,
        None => engine::make(data_dir, stage.path(), progress)?,
    };
    progress.step("encrypting onto the target", 0, 1);
    super::crypt::seal(&made, &root, r, started)
}

/// Removes the `.partial` folders in `root` begun at `since` or later (by this run).
pub fn remove_partials(root: &Path, since: i64) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(PARTIAL)
            && super::stamp_ms(&name).is_some_and(|t| t >= since - 1000)
            && let Err(err) = std::fs::remove_dir_all(e.path())
        {
            tracing::warn!(
                "cannot remove the unfinished backup {}: {err}",
                e.path().display()
            );
        }
    }
}
