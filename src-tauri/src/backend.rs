//! Which core the window shows: one already collecting into the data folder (the
//! Plantlog service, or a `plantlog run`), found through the folder's lock info, or
//! else a core this app starts: the `plantlog` program beside it (`plantlog run
//! --desktop`), in a process of its own. The service's folder is looked at first, so on
//! a PC with the service installed the desktop app never starts a second core.
//!
//! The app never runs the core in its own process: the shell stays small (the core is
//! one program, installed once, not linked into both), a fault in either cannot take
//! the other down uncaught, and the app talks to every core the same way, over its
//! HTTP API.

use std::collections::VecDeque;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plantlog::store::DataLock;

/// The core behind the window.
pub enum Backend {
    /// Started by this app; it stops when the app quits or ends.
    Own {
        core: OwnCore,
        url: String,
        /// The address for the window: `url`, with the one-time setup code in its
        /// fragment while the plant has no admin yet.
        open: String,
        data_dir: PathBuf,
    },
    /// Another process collects; quitting the app leaves it running.
    Attached { url: String, data_dir: PathBuf },
}

impl Backend {
    /// The core's address ("http://127.0.0.1:8470/"): its API is under it.
    pub fn url(&self) -> String {
        match self {
            Backend::Own { url, .. } | Backend::Attached { url, .. } => url.clone(),
        }
    }

    /// The address the window opens.
    pub fn window_url(&self) -> String {
        match self {
            Backend::Own { open, .. } => open.clone(),
            Backend::Attached { url, .. } => url.clone(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        match self {
            Backend::Own { data_dir, .. } | Backend::Attached { data_dir, .. } => data_dir.clone(),
        }
    }
}

/// A core process this app started. It holds the write end of the core's standard
/// input: closing it stops the core, and the OS closes it when the app ends in any way,
/// so the core never outlives the app.
pub struct OwnCore {
    child: Child,
    stdin: Option<ChildStdin>,
}

/// The core program: `PLANTLOG_CORE_BIN`, else `plantlog` (`plantlog.exe`) beside this
/// app, where the installer and the Linux package put it.
pub fn core_program() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("PLANTLOG_CORE_BIN") {
        return Ok(PathBuf::from(p));
    }
    let me = std::env::current_exe()
        .map_err(|e| format!("cannot find where Plantlog is installed: {e}"))?;
    let core = me.with_file_name(format!("plantlog{}", std::env::consts::EXE_SUFFIX));
    if core.is_file() {
        Ok(core)
    } else {
        Err(format!(
            "{} is missing. Install Plantlog again to repair it.",
            core.display()
        ))
    }
}

/// The line the core (`plantlog run --desktop`) starts its address with.
const DESKTOP_URL: &str = "desktop-url: ";

/// Starts the core on `data_dir` and waits up to `wait` until it says where it serves. A core that ends before that gives the last lines it wrote as the error (a
/// database from a newer Plantlog, a folder it cannot write, ...).
pub fn start_own(program: &Path, data_dir: &Path, wait: Duration) -> Result<Backend, String> {
    let mut command = Command::new(program);
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(["run", "--desktop"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("NO_COLOR", "1");
    #[cfg(windows)]
    {
        // No console window for the core.
        use std::os::windows::process::CommandExt;
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        command.creation_flags(CREATE_NO_WINDOW);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    let stdin = child.stdin.take();
    let tail = Arc::new(Mutex::new(VecDeque::<String>::new()));
    if let Some(err) = child.stderr.take() {
        let tail = tail.clone();
        std::thread::spawn(move || {
            // The core logs to its data folder; its console lines are kept here only for
            // the error dialog, and read to the end so the core never blocks on them.
            for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
                let mut t = tail.lock().unwrap_or_else(|e| e.into_inner());
                if t.len() == 20 {
                    t.pop_front();
                }
                t.push_back(line);
            }
        });
    }
    // The address the core prints for this app: with the one-time setup code while
    // there is no admin yet, which the lock's address does not carry.
    let printed = Arc::new(Mutex::new(None::<String>));
    if let Some(out) = child.stdout.take() {
        let printed = printed.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix(DESKTOP_URL) {
                    *printed.lock().unwrap_or_else(|e| e.into_inner()) = Some(url.to_string());
                }
            }
        });
    }
    let mut core = OwnCore { child, stdin };
    let until = Instant::now() + wait;
    loop {
        if let Ok(Some(status)) = core.child.try_wait() {
            // Let the reader take the last lines.
            std::thread::sleep(Duration::from_millis(200));
            let lines = tail.lock().unwrap_or_else(|e| e.into_inner());
            let said = last_error(&lines);
            return Err(match said {
                Some(s) => s,
                None => format!("Plantlog stopped at once ({status})."),
            });
        }
        let url = printed.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(open) = url {
            let open = local_url(&open);
            let url = open.split('#').next().unwrap_or(&open).to_string();
            return Ok(Backend::Own {
                core,
                url,
                open,
                data_dir: data_dir.to_path_buf(),
            });
        }
        if Instant::now() >= until {
            core.stop(Duration::from_secs(10));
            return Err(format!(
                "Plantlog did not start within {} s. Look at the logs in {}.",
                wait.as_secs(),
                plantlog::os::paths::logs_dir(data_dir).display()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The core's error from its last console lines: what it printed after its last log
/// line ("error: ...", in the plant's language), without that first word.
fn last_error(lines: &VecDeque<String>) -> Option<String> {
    let is_log = |l: &str| {
        let b = l.trim_start().as_bytes();
        b.len() > 11 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[10] == b'T'
    };
    let after = lines.iter().rposition(|l| is_log(l)).map_or(0, |i| i + 1);
    let text: Vec<&str> = lines
        .iter()
        .skip(after)
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    let text = text.join("\n");
    // "error: ", "Fehler: ", "错误：": the message follows the first colon.
    let text = match text.find([':', '：']) {
        Some(i) => text[i..].trim_start_matches([':', '：']).trim().to_string(),
        None => text,
    };
    (!text.is_empty()).then_some(text)
}

impl OwnCore {
    /// Closes the core's standard input and waits up to `wait` for it to stop cleanly
    /// (its last samples written, the lock freed); a core that does not is killed.
    pub fn stop(&mut self, wait: Duration) {
        drop(self.stdin.take());
        let until = Instant::now() + wait;
        while Instant::now() < until {
            match self.child.try_wait() {
                Ok(Some(_)) | Err(_) => return,
                Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
        tracing::warn!(
            "the core did not stop within {} s; ending it",
            wait.as_secs()
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
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

    #[test]
    fn the_cores_error_is_taken_from_its_last_lines() {
        let lines: VecDeque<String> = [
            "2026-11-29T10:00:00.123Z  INFO plantlog: opening the database",
            "Fehler: the database was written by a newer Plantlog (schema 99); this is 0.1.0",
            "  install the newer Plantlog",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(
            last_error(&lines).unwrap(),
            "the database was written by a newer Plantlog (schema 99); this is 0.1.0\ninstall the newer Plantlog"
        );
        assert_eq!(last_error(&VecDeque::new()), None);
    }
}
