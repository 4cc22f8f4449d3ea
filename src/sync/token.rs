//! The sync token: a secret, so never in SQLite, the configuration, logs or exports.
//! Kept in a file of its own in the data folder, `sync-token.secret`, readable only by
//! the account Plantlog runs as (on Unix mode 0600; on Windows the data folder's
//! permissions, which are the user's). The OS keyring is the intended home (issue 14);
//! this file is the clearly named fallback until it is wired in.

use std::io::Write;
use std::path::{Path, PathBuf};

pub const FILE: &str = "sync-token.secret";

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// Stores the token, replacing any before.
pub fn store(data_dir: &Path, token: &str) -> std::io::Result<()> {
    let token = token.trim();
    if token.is_empty() || token.chars().any(|c| c.is_control() || c == ' ') {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the token is empty or holds spaces or control characters",
        ));
    }
    let target = path(data_dir);
    let tmp = data_dir.join(format!("{FILE}.new"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(&tmp)?;
    f.write_all(token.as_bytes())?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, &target)
}

/// The token, if one is stored.
pub fn load(data_dir: &Path) -> Option<String> {
    let t = std::fs::read_to_string(path(data_dir)).ok()?;
    let t = t.trim().to_string();
    (!t.is_empty()).then_some(t)
}

pub fn remove(data_dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path(data_dir)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
