//! The manifest beside each backup (`manifest.json`, written last), and finding the
//! backups on a target.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::BackupError;

pub const MANIFEST: &str = "manifest.json";
/// A backup folder being written, or left by an interrupted run, ends in this.
pub const PARTIAL: &str = ".partial";
/// A backup folder whose verification failed ends in this; it is never restored.
pub const FAILED: &str = ".failed";
/// The database file in a backup.
pub const DATABASE: &str = "plantlog.db";
/// The plant configuration at the backup's moment, as TOML, for a person to read.
pub const CONFIGURATION: &str = "configuration.toml";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FileSum {
    /// The file's path inside the backup folder, with `/` between folders.
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// What the database held at the backup's moment, read in the same read transaction
/// the copy was made from: every table's row count and each tag's newest sample time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Facts {
    pub tables: BTreeMap<String, i64>,
    /// Tag id (as text, for JSON) to the time of its newest stored sample.
    pub latest: BTreeMap<String, i64>,
    pub schema_version: usize,
}

impl Facts {
    /// The differences of `other` to these, in words (empty when equal).
    pub fn differences(&self, other: &Facts) -> Vec<String> {
        let mut out = Vec::new();
        if self.schema_version != other.schema_version {
            out.push(format!(
                "schema {} instead of {}",
                other.schema_version, self.schema_version
            ));
        }
        for (t, n) in &self.tables {
            match other.tables.get(t) {
                Some(m) if m == n => {}
                Some(m) => out.push(format!("table {t}: {m} rows instead of {n}")),
                None => out.push(format!("table {t} is missing")),
            }
        }
        for t in other
            .tables
            .keys()
            .filter(|t| !self.tables.contains_key(*t))
        {
            out.push(format!("table {t} should not be there"));
        }
        let mut tags = 0;
        for (tag, ms) in &self.latest {
            if other.latest.get(tag) != Some(ms) {
                tags += 1;
                if tags <= 5 {
                    out.push(match other.latest.get(tag) {
                        Some(o) => format!("tag {tag}: newest sample at {o} instead of {ms}"),
                        None => format!("tag {tag}: no samples instead of newest at {ms}"),
                    });
                }
            }
        }
        if tags > 5 {
            out.push(format!("{} more tags differ", tags - 5));
        }
        for tag in other
            .latest
            .keys()
            .filter(|t| !self.latest.contains_key(*t))
        {
            out.push(format!("tag {tag} has samples it should not have"));
        }
        out
    }
}

/// What verification found; a backup is good only when `passed`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "BackupVerification"))]
pub struct Verification {
    pub passed: bool,
    /// `PRAGMA integrity_check` of the copy, opened read-only.
    pub integrity: String,
    /// Row counts and newest sample per tag equal to the source at the backup's moment.
    pub facts_match: bool,
    /// Every file read back from the target matched the SHA-256 taken when written.
    pub files_match: bool,
    pub tables: usize,
    pub tags: usize,
    pub took_ms: i64,
    /// What did not match.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Manifest {
    pub format: u32,
    /// The backup folder's final name (its time).
    pub name: String,
    pub created_ms: i64,
    pub plantlog_version: String,
    /// "online-backup-api" or "vacuum-into".
    pub method: String,
    /// How long the copy took (the read transaction's length), and all of it.
    pub copy_ms: i64,
    pub took_ms: i64,
    pub files: Vec<FileSum>,
    pub source: Facts,
    pub verification: Verification,
    /// Its place in a page-level chain (backups from this release on; `None` for older
    /// ones, which the next backup does not build on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<Chain>,
    /// Set when the files are encrypted (`<file>.age`; `files` names those):
    /// [`super::crypt`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<super::crypt::Encryption>,
}

/// A backup as a link of a chain: a full one (`parent` None, `plantlog.db`) or an
/// incremental one (the pages changed since `parent`, `pages.zst`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "BackupChain"))]
pub struct Chain {
    /// The backup this one builds on (in the same folder); None for a full backup.
    pub parent: Option<String>,
    /// The full backup the chain starts with (this one's name for a full one).
    pub full: String,
    /// Incrementals between the full backup and this one, this one included.
    pub depth: u32,
    pub page_size: u32,
    /// The database's pages at the backup's moment, and how many this backup stores.
    pub pages: u64,
    pub stored_pages: u64,
    /// The SHA-256 of the database file this backup restores to.
    pub db_sha256: String,
}

impl Manifest {
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }

    /// Writes the manifest into `dir`: to a temporary name, synced, renamed, and the
    /// folder synced.
    pub fn write(&self, dir: &Path) -> Result<(), BackupError> {
        let tmp = dir.join(format!("{MANIFEST}.tmp"));
        let text = serde_json::to_vec_pretty(self)
            .map_err(|e| BackupError::Invalid(format!("cannot write the manifest: {e}")))?;
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&text)?;
            f.sync_all()?;
            drop(f);
            std::fs::rename(&tmp, dir.join(MANIFEST))?;
            sync_dir(dir)
        };
        write().map_err(|e| BackupError::target(dir, e))
    }

    pub fn read(dir: &Path) -> Result<Manifest, BackupError> {
        let path = dir.join(MANIFEST);
        let text = std::fs::read(&path).map_err(|source| BackupError::Read {
            path: path.clone(),
            source,
        })?;
        serde_json::from_slice(&text).map_err(|e| {
            BackupError::Invalid(format!(
                "{} is not a Plantlog backup manifest: {e}",
                path.display()
            ))
        })
    }
}

/// Syncs a folder's entries (a rename in it) to disk. Windows has no such call for
/// folders; NTFS journals renames, and FAT sticks are synced by closing the files.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The state of a backup folder as found on a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "BackupState"))]
#[serde(rename_all = "snake_case")]
pub enum Found {
    /// Verified when written; may be restored.
    Good,
    /// Its verification failed.
    Failed,
    /// Interrupted (still `.partial`) or without a readable manifest.
    Incomplete,
}

/// A backup folder on a target.
#[derive(Debug, Clone)]
pub struct Listed {
    pub name: String,
    pub dir: PathBuf,
    pub created_ms: i64,
    pub state: Found,
    pub manifest: Option<Manifest>,
    /// Why it is not good.
    pub why: Option<String>,
}

/// The backups in a target's Plantlog folder (`root`), oldest first. A missing folder
/// is an empty list; a target that cannot be read is an error.
pub fn list(root: &Path) -> Result<Vec<Listed>, BackupError> {
    let entries = match std::fs::read_dir(root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(BackupError::target(root, e)),
    };
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| BackupError::target(root, e))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let dir = e.path();
        let Some(created_ms) = super::stamp_ms(&name) else {
            continue;
        };
        if !dir.is_dir() {
            continue;
        }
        let (state, manifest, why) = if name.ends_with(PARTIAL) {
            (
                Found::Incomplete,
                None,
                Some("interrupted: it was never finished".to_string()),
            )
        } else {
            match Manifest::read(&dir) {
                Ok(m) if name.ends_with(FAILED) => {
                    let why = m.verification.problems.join("; ");
                    (Found::Failed, Some(m), Some(why))
                }
                Ok(m) if m.name == name && m.verification.passed => (Found::Good, Some(m), None),
                Ok(m) => (
                    Found::Incomplete,
                    Some(m),
                    Some("its manifest names another backup or a failed verification".into()),
                ),
                Err(e) => (Found::Incomplete, None, Some(e.to_string())),
            }
        };
        out.push(Listed {
            name,
            dir,
            created_ms,
            state,
            manifest,
            why,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The newest good backup in `root`.
pub fn newest_good(root: &Path) -> Result<Option<Listed>, BackupError> {
    Ok(list(root)?
        .into_iter()
        .rev()
        .find(|l| l.state == Found::Good))
}
