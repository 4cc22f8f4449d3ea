//! The disk guard: free space on the drive that holds the data folder, checked every
//! few seconds, so the admin is warned before anything fails. When the disk fills
//! anyway, SQLite refuses the write (nothing is corrupted), the writer keeps the
//! samples in memory and retries, and says so; it goes on by itself when space returns.

use std::path::Path;

use serde::Serialize;

/// Warn below this much free space unless the admin sets another threshold.
pub const DEFAULT_WARN_MB: u64 = 1024;

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DiskStatus {
    pub checked_ms: Option<i64>,
    pub free_bytes: Option<u64>,
    pub total_bytes: Option<u64>,
    pub warn_below_bytes: u64,
    /// Set when free space is below the threshold.
    pub low: bool,
    pub error: Option<String>,
}

/// Reads the free space of the drive holding `dir`.
pub fn check(dir: &Path, warn_below_mb: u64) -> DiskStatus {
    let warn = warn_below_mb.saturating_mul(1024 * 1024);
    match fs4::statvfs(dir) {
        Ok(s) => DiskStatus {
            checked_ms: Some(crate::sample::now_ms()),
            free_bytes: Some(s.available_space()),
            total_bytes: Some(s.total_space()),
            warn_below_bytes: warn,
            low: s.available_space() < warn,
            error: None,
        },
        Err(e) => DiskStatus {
            checked_ms: Some(crate::sample::now_ms()),
            warn_below_bytes: warn,
            error: Some(format!(
                "cannot read the free space of {}: {e}",
                dir.display()
            )),
            ..DiskStatus::default()
        },
    }
}

/// The warning threshold from settings, in MB.
pub fn warn_mb(conn: &rusqlite::Connection) -> rusqlite::Result<u64> {
    use rusqlite::OptionalExtension;
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'storage.disk_warn_mb'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_WARN_MB))
}

pub fn set_warn_mb(conn: &rusqlite::Connection, mb: u64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('storage.disk_warn_mb', ?1)",
        [mb.to_string()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_free_space() {
        let dir = tempfile::tempdir().unwrap();
        let s = super::check(dir.path(), 0);
        assert!(s.free_bytes.unwrap() > 0 && s.total_bytes.unwrap() >= s.free_bytes.unwrap());
        assert!(!s.low);
        let s = super::check(dir.path(), u64::MAX / (1024 * 1024));
        assert!(s.low);
    }
}
