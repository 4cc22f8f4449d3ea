//! Where Plantlog keeps its files: a per-OS default, overridable by `--data-dir` or
//! the `PLANTLOG_DATA_DIR` environment variable (the command line reads both); and
//! keeping them private: the data folder and the database are readable only by the
//! account Plantlog runs as (mode 0700/0600 on Unix; on Windows an ACL for that user and
//! SYSTEM, without inherited entries).

use std::path::{Path, PathBuf};

/// The default data folder: on Windows `%LOCALAPPDATA%\Plantlog`, on Linux
/// `$XDG_DATA_HOME/plantlog` (usually `~/.local/share/plantlog`), on macOS
/// `~/Library/Application Support/Plantlog`.
pub fn default_data_dir() -> PathBuf {
    #[cfg(windows)]
    let base = dirs::data_local_dir();
    #[cfg(not(windows))]
    let base = dirs::data_dir();
    let name = if cfg!(any(windows, target_os = "macos")) {
        "Plantlog"
    } else {
        "plantlog"
    };
    base.unwrap_or_else(|| PathBuf::from(".")).join(name)
}

/// The files in one data folder.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// Uses `root`, creating it if needed, readable only by this account.
    pub fn create(root: impl Into<PathBuf>) -> std::io::Result<DataDir> {
        let root = root.into();
        let existed = root.exists();
        std::fs::create_dir_all(&root)?;
        if let Err(e) = restrict_dir(&root) {
            if existed {
                // A folder someone else made (a shared drive): say so, keep going.
                tracing::warn!("cannot make {} private: {e}", root.display());
            } else {
                return Err(e);
            }
        }
        Ok(DataDir { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The SQLite database.
    pub fn database(&self) -> PathBuf {
        self.root.join("plantlog.db")
    }

    /// Held locked by the process that collects into this folder.
    pub fn lock_file(&self) -> PathBuf {
        self.root.join("plantlog.lock")
    }

    /// Says which process holds the lock.
    pub fn lock_info_file(&self) -> PathBuf {
        self.root.join("plantlog.lock.info")
    }
}

/// Makes a folder readable only by this account (and SYSTEM on Windows).
pub fn restrict_dir(path: &Path) -> std::io::Result<()> {
    restrict(path, true)
}

/// Makes a file readable only by this account (and SYSTEM on Windows).
pub fn restrict_file(path: &Path) -> std::io::Result<()> {
    restrict(path, false)
}

#[cfg(unix)]
fn restrict(path: &Path, dir: bool) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if dir { 0o700 } else { 0o600 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(windows)]
fn restrict(path: &Path, dir: bool) -> std::io::Result<()> {
    use std::os::windows::process::CommandExt;
    // The current user (DOMAIN\user) with full control, SYSTEM for a service, no
    // inherited entries; files made in a folder inherit its entries.
    let user = std::env::var("USERNAME").map_err(|_| {
        std::io::Error::other("USERNAME is not set; cannot name the account to give access")
    })?;
    let who = match std::env::var("USERDOMAIN") {
        Ok(d) if !d.is_empty() => format!("{d}\\{user}"),
        _ => user,
    };
    let inherit = if dir { "(OI)(CI)" } else { "" };
    const CREATE_NO_WINDOW: u32 = 0x0800_0000;
    let out = std::process::Command::new("icacls")
        .arg(path)
        .arg("/inheritance:r")
        .arg("/grant:r")
        .arg(format!("{who}:{inherit}F"))
        .arg("/grant:r")
        .arg(format!("*S-1-5-18:{inherit}F"))
        .creation_flags(CREATE_NO_WINDOW)
        .output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "icacls refused: {}",
            String::from_utf8_lossy(&out.stdout).trim()
        )))
    }
}

#[cfg(not(any(unix, windows)))]
fn restrict(_: &Path, _: bool) -> std::io::Result<()> {
    Ok(())
}
