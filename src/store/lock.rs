//! One collecting process per data folder. The lock is an OS file lock (released by
//! the OS when the process dies, also on SIGKILL or a crash); a second file beside it
//! says who holds it, because a locked file cannot be read on Windows. Once the
//! holder serves HTTP, the info names its address too, so the desktop app can open the
//! running core's UI instead of starting a second one ([`DataLock::holder`]).

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
    info_path: PathBuf,
    info: String,
}

/// Who holds a data folder's lock, as its info file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockInfo {
    /// The whole line, for people.
    pub text: String,
    pub pid: Option<u32>,
    /// The URL it serves, once it listens.
    pub url: Option<String>,
}

impl LockInfo {
    /// Reads "process 1234 (plantlog run), since 2026-11-28T10:00:00Z, serving
    /// http://127.0.0.1:8470/".
    pub fn parse(text: &str) -> LockInfo {
        let text = text.trim().to_string();
        let pid = text
            .strip_prefix("process ")
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok());
        let url = text
            .split(", serving ")
            .nth(1)
            .map(|u| u.trim().to_string())
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
        LockInfo { text, pid, url }
    }
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
        Ok(DataLock {
            _file: file,
            info_path,
            info,
        })
    }

    /// Records the address this process serves in the lock info ("..., serving URL").
    pub fn set_address(&self, url: &str) -> std::io::Result<()> {
        std::fs::write(&self.info_path, format!("{}, serving {url}", self.info))
    }

    /// Who collects into `dir` now, if anyone: probes the lock without taking it (a
    /// shared lock on a read-only handle, so it also works on a service's folder the
    /// user may not write) and reads the info file. `None` when nobody holds it.
    pub fn holder(dir: &std::path::Path) -> Option<LockInfo> {
        if !dir.is_dir() {
            return None;
        }
        let dir = DataDir::create(dir).ok()?;
        let file = File::open(dir.lock_file()).ok()?;
        match file.try_lock_shared() {
            Ok(()) => {
                let _ = file.unlock();
                None
            }
            Err(TryLockError::WouldBlock) => Some(LockInfo::parse(
                &std::fs::read_to_string(dir.lock_info_file()).unwrap_or_default(),
            )),
            Err(TryLockError::Error(_)) => None,
        }
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

    #[test]
    fn holder_names_the_address_once_set() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::create(tmp.path()).unwrap();
        assert_eq!(DataLock::holder(tmp.path()), None);
        let lock = DataLock::acquire(&dir, "plantlog run").unwrap();
        let held = DataLock::holder(tmp.path()).expect("the lock is held");
        assert_eq!(held.pid, Some(std::process::id()));
        assert_eq!(held.url, None);
        lock.set_address("http://127.0.0.1:8470/").unwrap();
        let held = DataLock::holder(tmp.path()).unwrap();
        assert_eq!(held.url.as_deref(), Some("http://127.0.0.1:8470/"));
        assert!(held.text.contains("(plantlog run)"), "{}", held.text);
        // The refusal of a second process names the address too.
        let err = DataLock::acquire(&dir, "second").unwrap_err().to_string();
        assert!(err.contains("serving http://127.0.0.1:8470/"), "{err}");
        drop(lock);
        assert_eq!(DataLock::holder(tmp.path()), None);
    }

    #[test]
    fn lock_info_parses_old_and_new_lines() {
        let old = LockInfo::parse("process 42 (plantlog demo), since 2026-01-01T00:00:00Z\n");
        assert_eq!(old.pid, Some(42));
        assert_eq!(old.url, None);
        let new = LockInfo::parse(
            "process 7 (Plantlog service), since 2026-01-01T00:00:00Z, serving http://0.0.0.0:8470/",
        );
        assert_eq!(new.pid, Some(7));
        assert_eq!(new.url.as_deref(), Some("http://0.0.0.0:8470/"));
        assert_eq!(LockInfo::parse("garbage").pid, None);
    }
}
