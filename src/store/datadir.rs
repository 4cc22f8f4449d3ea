//! Where Plantlog keeps its files: a per-OS default, overridable by `--data-dir` or
//! the `PLANTLOG_DATA_DIR` environment variable (the command line reads both).

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
    /// Uses `root`, creating it if needed.
    pub fn create(root: impl Into<PathBuf>) -> std::io::Result<DataDir> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
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
