//! One collecting process per data folder. The lock is an OS file lock (released by
//! the OS when the process dies, also on SIGKILL or a crash); a second file beside it
//! says who holds it, because a locked file cannot be read on Windows.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::PathBuf;

use super::DataDir;

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another Plantlog process is already collecting into {dir}: {holder}. Stop it first, or give this one another --data-dir"
    )]
    Held { dir: PathBuf, holder: String },
    #[error("cannot create the lock file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Held for as long as this process collects into the folder.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
}

impl DataLock {
    /// Takes the folder's lock, or says who has it. `what` describes this process
    /// ("plantlog demo").
    pub fn acquire(dir: &DataDir, what: &str) -> Result<DataLock, LockError> {
        let path = dir.lock_file();
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| LockError::Io {
                path: path.clone(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(dir.lock_info_file())
                    .map(|s| s.trim().to_string())
                    .unwrap_or_else(|_| "a process that did not say who it is".to_string());
                return Err(LockError::Held {
                    dir: dir.root().to_path_buf(),
                    holder,
                });
            }
            Err(TryLockError::Error(source)) => return Err(LockError::Io { path, source }),
        }
        let info = format!(
            "process {} ({what}), since {}",
            std::process::id(),
            jiff::Timestamp::now()
                .round(jiff::Unit::Second)
                .unwrap_or(jiff::Timestamp::now())
        );
        let info_path = dir.lock_info_file();
        let written = File::create(&info_path).and_then(|mut f| f.write_all(info.as_bytes()));
        if let Err(source) = written {
            return Err(LockError::Io {
                path: info_path,
                source,
            });
        }
        Ok(DataLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_names_the_holder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::create(tmp.path()).unwrap();
        let first = DataLock::acquire(&dir, "first").unwrap();
        let err = DataLock::acquire(&dir, "second").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("(first)"), "{text}");
        assert!(text.contains(&std::process::id().to_string()), "{text}");
        drop(first);
        DataLock::acquire(&dir, "third").unwrap();
    }
}
