//! Backups of a data folder while collection runs, checked after they are written, and
//! restores from them.
//!
//! A backup is a folder on a target, `<target>/Plantlog/<time>`: the database file as it
//! was at one moment, the files beside it in the data folder (the TLS certificate and
//! key), the plant configuration as TOML (for a person to read; the database holds it
//! too), and `manifest.json` with the SHA-256 of each file, what the database held at
//! that moment (row counts, each tag's newest sample) and what verification found. The
//! folder is written as `<time>.partial` and renamed only when verification passed; one
//! that failed is renamed `<time>.failed`. A backup is good exactly when its folder has
//! its final name and its manifest says verification passed.
//!
//! The copy is made with SQLite's online backup API while a read transaction on the
//! source is held open: the facts and the pages are of the same moment, and in WAL mode
//! the writer goes on committing meanwhile (docs/ARCHITECTURE.md, "Backups").
//!
//! Submodules: [`snapshot`] (facts of a moment, integrity), [`manifest`] (the record
//! beside each backup, finding backups), [`engine`] (making one), [`verify`] (checking
//! one), [`restore`] (putting one into a data folder), [`drill`] (a restore into a
//! temporary folder, checked, monthly), [`schedule`] (when), [`plan`]
//! (which to keep).
//!
//! A room of its own: it reads the configuration (to write it beside the database) and
//! the audit log (a restore is audited), and `config` and `auth` import `store`, so the
//! backups cannot live inside `store`. Imports store, config, auth and sample; never
//! api, app or core.

pub mod crypt;
pub mod drill;
pub mod engine;
pub mod incremental;
pub mod manifest;
pub mod pages;
pub mod plan;
pub mod restore;
pub mod schedule;
pub mod snapshot;
pub mod targets;
pub mod verify;

#[cfg(test)]
mod tests_crypt;
#[cfg(test)]
mod tests_engine;
#[cfg(test)]
mod tests_incremental;
#[cfg(test)]
mod tests_targets;

use std::path::PathBuf;

pub use engine::{Made, make};
pub use manifest::{Chain, Facts, FileSum, Manifest, Verification};
pub use plan::Keep;
pub use schedule::Schedule;

/// The folder inside a target that holds this plant's backups.
pub const FOLDER: &str = "Plantlog";

/// Progress of a long step: what is being done, and how far (done of total units).
pub trait Progress: Send + Sync {
    fn step(&self, what: &str, done: u64, total: u64);
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {
    fn step(&self, _: &str, _: u64, _: u64) {}
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "the backup target {path} is not there. Is the drive, stick or network share connected?"
    )]
    TargetMissing {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the backup target {path} is full: free space on it, lower its retention, or choose another target"
    )]
    TargetFull { path: PathBuf },
    #[error(
        "cannot write to the backup target {path}: {source}. Check that it is connected and writable"
    )]
    Target {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the backup {name} is encrypted and the backup key is not here: enter the recovery key (AGE-SECRET-KEY-1…) written down when encryption was turned on, on the Backups page (Encryption, Enter the recovery key) or with --key-file on the command line"
    )]
    KeyMissing { name: String },
    #[error(
        "the backup {name} is encrypted to another key than the one entered: enter the recovery key that was shown when encryption was turned on for it"
    )]
    KeyWrong { name: String },
    #[error("{0}")]
    Invalid(String),
    #[error("the backup failed verification: {0}")]
    Verification(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl BackupError {
    /// An I/O error on the target, as a person reads it: missing, full, or other.
    pub fn target(path: impl Into<PathBuf>, source: std::io::Error) -> BackupError {
        let path = path.into();
        if is_full(&source) {
            return BackupError::TargetFull { path };
        }
        match source.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotConnected => {
                BackupError::TargetMissing { path, source }
            }
            _ if is_gone(&source) => BackupError::TargetMissing { path, source },
            _ => BackupError::Target { path, source },
        }
    }

    /// A stable code for the admin page and the alarm.
    pub fn code(&self) -> &'static str {
        match self {
            BackupError::TargetMissing { .. } => "target_missing",
            BackupError::TargetFull { .. } => "target_full",
            BackupError::Target { .. } => "target_error",
            BackupError::Read { .. } => "backup_unreadable",
            BackupError::KeyMissing { .. } => "backup_key_missing",
            BackupError::KeyWrong { .. } => "backup_key_wrong",
            BackupError::Invalid(_) => "backup_invalid",
            BackupError::Verification(_) => "verification_failed",
            BackupError::Sqlite(_) | BackupError::Store(_) => "database",
        }
    }
}

fn is_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) || e.raw_os_error().is_some_and(|c| {
        // ENOSPC, EDQUOT on Unix; ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL on Windows.
        if cfg!(windows) {
            c == 39 || c == 112
        } else {
            c == 28 || c == 122
        }
    })
}

/// A device that went away mid-write: a pulled stick (EIO, ENXIO, ENODEV, ENOTCONN),
/// a share that dropped (ERROR_NOT_READY, ERROR_NETNAME_DELETED, ERROR_BAD_NETPATH,
/// ERROR_DEVICE_NOT_CONNECTED).
fn is_gone(e: &std::io::Error) -> bool {
    e.raw_os_error().is_some_and(|c| {
        if cfg!(windows) {
            matches!(c, 21 | 53 | 64 | 1167)
        } else {
            matches!(c, 5 | 6 | 19 | 107)
        }
    })
}

/// `ms` as a backup folder's name: `2026-11-28T100000.123Z`.
pub fn stamp(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%dT%H%M%S%.3fZ").to_string())
        .unwrap_or_else(|_| ms.to_string())
}

/// The time a backup folder's name gives, or None for a folder that is not a backup.
pub fn stamp_ms(name: &str) -> Option<i64> {
    let base = name.get(..22)?;
    let (secs, frac) = base.strip_suffix('Z')?.split_once('.')?;
    let t = jiff::fmt::strtime::parse("%Y-%m-%dT%H%M%S", secs)
        .ok()?
        .to_datetime()
        .ok()?
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()?;
    let ms: i64 = frac.parse().ok()?;
    Some(t.timestamp().as_millisecond() + ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_their_time_back() {
        let ms = 1_767_225_600_123;
        assert_eq!(stamp(ms), "2026-01-01T000000.123Z");
        assert_eq!(stamp_ms(&stamp(ms)), Some(ms));
        assert_eq!(stamp_ms("2026-01-01T000000.123Z.failed"), Some(ms));
        assert_eq!(stamp_ms("notes"), None);
    }

    #[test]
    fn target_errors_say_missing_or_full() {
        let full = BackupError::target("/x", std::io::Error::from_raw_os_error(28));
        let gone = BackupError::target("/x", std::io::Error::from(std::io::ErrorKind::NotFound));
        if cfg!(unix) {
            assert_eq!(full.code(), "target_full");
            assert!(full.to_string().contains("is full"), "{full}");
        }
        assert_eq!(gone.code(), "target_missing");
        assert!(gone.to_string().contains("connected"), "{gone}");
    }
}
