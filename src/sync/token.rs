//! The sync token: a secret, so never in SQLite, the configuration, logs or exports.
//!
//! It lives in the OS keyring (the keyring crate: Windows Credential Manager on Windows,
//! the Secret Service over D-Bus on Linux), under the service `plantlog` and an account
//! named for the data folder, so two plants on one PC keep their own. Where no keyring
//! can be reached (a Linux service with no Secret Service running), it is kept in a file
//! of its own in the data folder, `sync-token.secret`, readable only by the account
//! Plantlog runs as (on Unix mode 0600; on Windows the data folder's permissions): a
//! fallback that must survive restarts, because `plantlog sync connect` and the running
//! Plantlog are separate processes. The sync card says where it is kept. A token found
//! in the file while the keyring can be reached is moved into the keyring.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The keyring's service name for Plantlog's secrets (as for the SMTP password).
const SERVICE: &str = "plantlog";

pub const FILE: &str = "sync-token.secret";

/// Where the token is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// In the OS keyring.
    Os,
    /// In the fallback file, with why the keyring could not be used.
    File(String),
}

impl Kept {
    /// In words, for the admin.
    pub fn describe(&self) -> String {
        match self {
            Kept::Os => "in the OS keyring".to_string(),
            Kept::File(why) => format!(
                "in the file {FILE} in the data folder, readable only by this account (the OS keyring cannot be reached: {why})"
            ),
        }
    }
}

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// The keyring account of the plant whose data folder is `data_dir`.
pub fn account(data_dir: &Path) -> String {
    let dir = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    format!("sync-token:{}", dir.display())
}

/// Whether a keyring error means "no keyring here" (rather than "no such entry").
fn unreachable(e: &keyring::Error) -> bool {
    matches!(
        e,
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_)
    )
}

fn check(token: &str) -> std::io::Result<&str> {
    let token = token.trim();
    if token.is_empty() || token.chars().any(|c| c.is_control() || c == ' ') {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the token is empty or holds spaces or control characters",
        ));
    }
    Ok(token)
}

/// Stores the token, replacing any before: in the OS keyring, or where none can be
/// reached in the fallback file.
pub fn store(data_dir: &Path, token: &str) -> std::io::Result<Kept> {
    let token = check(token)?;
    match keyring::Entry::new(SERVICE, &account(data_dir)).and_then(|e| e.set_password(token)) {
        Ok(()) => {
            remove_file(data_dir)?;
            Ok(Kept::Os)
        }
        Err(e) if unreachable(&e) => {
            write_file(data_dir, token)?;
            Ok(Kept::File(e.to_string()))
        }
        Err(e) => Err(std::io::Error::other(format!(
            "the OS keyring refused the token: {e}"
        ))),
    }
}

fn write_file(data_dir: &Path, token: &str) -> std::io::Result<()> {
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

fn read_file(data_dir: &Path) -> Option<String> {
    let t = std::fs::read_to_string(path(data_dir)).ok()?;
    let t = t.trim().to_string();
    (!t.is_empty()).then_some(t)
}

fn remove_file(data_dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path(data_dir)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The token and where it is kept, if one is stored.
pub fn find(data_dir: &Path) -> Option<(String, Kept)> {
    let entry = match keyring::Entry::new(SERVICE, &account(data_dir)) {
        Ok(e) => e,
        Err(e) => return read_file(data_dir).map(|t| (t, Kept::File(e.to_string()))),
    };
    match entry.get_password() {
        Ok(t) if !t.trim().is_empty() => Some((t.trim().to_string(), Kept::Os)),
        Ok(_) => read_file(data_dir).map(|t| (t, Kept::File("an empty entry".into()))),
        Err(keyring::Error::NoEntry) => {
            // The keyring answers: a token still in the file (an older Plantlog, or a
            // keyring that came later) moves into it.
            let t = read_file(data_dir)?;
            match entry.set_password(&t) {
                Ok(()) => {
                    if let Err(e) = remove_file(data_dir) {
                        tracing::warn!(
                            "sync: the token is in the OS keyring now, but its old file stays: {e}"
                        );
                    }
                    Some((t, Kept::Os))
                }
                Err(e) => Some((t, Kept::File(e.to_string()))),
            }
        }
        Err(e) => read_file(data_dir).map(|t| (t, Kept::File(e.to_string()))),
    }
}

/// The token, if one is stored.
pub fn load(data_dir: &Path) -> Option<String> {
    find(data_dir).map(|(t, _)| t)
}

/// Forgets the token (both places).
pub fn remove(data_dir: &Path) -> std::io::Result<()> {
    if let Ok(e) = keyring::Entry::new(SERVICE, &account(data_dir)) {
        match e.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => {}
            Err(e) if unreachable(&e) => {}
            Err(e) => {
                return Err(std::io::Error::other(format!(
                    "the OS keyring did not remove the token: {e}"
                )));
            }
        }
    }
    remove_file(data_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Here no Secret Service runs: the token goes to the fallback file (mode 0600 on
    /// Unix), says so, is found again by another process's view, and is removed from
    /// both places. With a keyring (PLANTLOG_EXPECT_KEYRING set), it is in the keyring
    /// and no file is left.
    #[test]
    fn the_keyring_first_then_the_file_as_a_visible_fallback() {
        let dir = tempfile::tempdir().unwrap();
        assert!(store(dir.path(), "with space").is_err());
        let kept = store(dir.path(), " 0123abcd\n").unwrap();
        let (token, found) = find(dir.path()).unwrap();
        assert_eq!(token, "0123abcd");
        assert_eq!(kept == Kept::Os, found == Kept::Os);
        if std::env::var_os("PLANTLOG_EXPECT_KEYRING").is_some() {
            assert_eq!(kept, Kept::Os);
            assert!(!path(dir.path()).exists());
        } else {
            assert!(matches!(kept, Kept::File(_)), "{kept:?}");
            assert!(kept.describe().contains(FILE));
            assert_eq!(
                std::fs::read_to_string(path(dir.path())).unwrap(),
                "0123abcd"
            );
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(path(dir.path()))
                    .unwrap()
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o600);
            }
        }
        // Another plant's folder has its own (none).
        let other = tempfile::tempdir().unwrap();
        assert_eq!(load(other.path()), None);
        assert_ne!(account(dir.path()), account(other.path()));
        remove(dir.path()).unwrap();
        assert_eq!(load(dir.path()), None);
        assert!(!path(dir.path()).exists());
    }
}
