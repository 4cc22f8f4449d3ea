//! Which core the window shows: one already collecting into the data folder (the
//! Plantlog service, or a `plantlog run`), found through the folder's lock info, or
//! else a core started in this process. The service's folder is looked at first, so on
//! a PC with the service installed the desktop app never starts a second core.

use std::path::PathBuf;
use std::time::Duration;

use plantlog::app::Running;
use plantlog::store::DataLock;

/// The core behind the window.
pub enum Backend {
    /// Started in this process; stopped when the app quits.
    Own(Running),
    /// Another process collects; quitting the app leaves it running.
    Attached { url: String, data_dir: PathBuf },
}

impl Backend {
    pub fn url(&self) -> String {
        match self {
            Backend::Own(r) => r.url(),
            Backend::Attached { url, .. } => url.clone(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        match self {
            Backend::Own(r) => r.core.data_folder().to_path_buf(),
            Backend::Attached { data_dir, .. } => data_dir.clone(),
        }
    }
}

/// What to do at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Open this URL: a core collects into `data_dir` already.
    Attach { url: String, data_dir: PathBuf },
    /// A process holds `data_dir` but has not said where it serves (yet).
    Busy { data_dir: PathBuf, holder: String },
    /// Start a core on `data_dir`.
    Start { data_dir: PathBuf },
}

/// The folders to look at, in order: the one given (`PLANTLOG_DATA_DIR`) alone, or
/// the service's folder, then this user's.
pub fn candidates(explicit: Option<PathBuf>, service: PathBuf, user: PathBuf) -> Vec<PathBuf> {
    match explicit {
        Some(d) => vec![d],
        None if service == user => vec![user],
        None => vec![service, user],
    }
}

/// Chooses, probing each candidate's lock; the last candidate is the one to start on.
pub fn plan(candidates: &[PathBuf]) -> Plan {
    for dir in candidates {
        if let Some(holder) = DataLock::holder(dir) {
            return match holder.url {
                Some(url) => Plan::Attach {
                    url: local_url(&url),
                    data_dir: dir.clone(),
                },
                None => Plan::Busy {
                    data_dir: dir.clone(),
                    holder: holder.text,
                },
            };
        }
    }
    Plan::Start {
        data_dir: candidates.last().cloned().unwrap_or_default(),
    }
}

/// [`plan`], waiting up to `wait` for a core that is starting to say its address.
pub fn plan_waiting(candidates: &[PathBuf], wait: Duration) -> Plan {
    let until = std::time::Instant::now() + wait;
    loop {
        let p = plan(candidates);
        if !matches!(p, Plan::Busy { .. }) || std::time::Instant::now() >= until {
            return p;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// A core listening on every address is reached on this PC's loopback.
pub fn local_url(url: &str) -> String {
    url.replace("://0.0.0.0:", "://127.0.0.1:")
        .replace("://[::]:", "://[::1]:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_folder_is_looked_at_first_unless_one_is_given() {
        let s = PathBuf::from("/svc");
        let u = PathBuf::from("/user");
        assert_eq!(
            candidates(None, s.clone(), u.clone()),
            vec![s.clone(), u.clone()]
        );
        assert_eq!(
            candidates(Some("/given".into()), s, u.clone()),
            vec![PathBuf::from("/given")]
        );
        assert_eq!(candidates(None, u.clone(), u.clone()), vec![u]);
    }

    #[test]
    fn a_held_folder_with_an_address_is_attached_to() {
        let tmp = tempfile::tempdir().unwrap();
        let svc = tmp.path().join("svc");
        let user = tmp.path().join("user");
        let dirs = vec![svc.clone(), user.clone()];
        assert_eq!(
            plan(&dirs),
            Plan::Start {
                data_dir: user.clone()
            }
        );
        let d = plantlog::store::DataDir::create(&svc).unwrap();
        let lock = DataLock::acquire(&d, "Plantlog service").unwrap();
        assert!(matches!(plan(&dirs), Plan::Busy { .. }));
        lock.set_address("http://0.0.0.0:8470/").unwrap();
        assert_eq!(
            plan(&dirs),
            Plan::Attach {
                url: "http://127.0.0.1:8470/".into(),
                data_dir: svc
            }
        );
        drop(lock);
        assert_eq!(plan(&dirs), Plan::Start { data_dir: user });
    }
}
