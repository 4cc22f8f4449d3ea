//! Crash records: a panic hook that writes `crash/crash-<time>.txt` in the data folder
//! with the panic message, where it happened, a backtrace, the version and the last log
//! lines, before the previous hook runs. A vendor reads them in the support bundle.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::logs::LogTail;

/// Installs the hook for this process. `what` names the program ("plantlog service").
pub fn install_panic_hook(data_dir: &Path, what: &str, tail: LogTail) {
    let dir = super::paths::crash_dir(data_dir);
    let what = what.to_string();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = if let Some(s) = info.payload().downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "(no message)".to_string()
        };
        let place = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let record = CrashRecord {
            what: what.clone(),
            thread: std::thread::current()
                .name()
                .unwrap_or("unnamed")
                .to_string(),
            message,
            place,
            backtrace: std::backtrace::Backtrace::force_capture().to_string(),
            last_lines: tail.lines(),
        };
        match write(&dir, &record) {
            Ok(path) => tracing::error!(
                "panic in thread {}: {} at {}; crash record {}",
                record.thread,
                record.message,
                record.place,
                path.display()
            ),
            Err(e) => eprintln!("cannot write a crash record in {}: {e}", dir.display()),
        }
        previous(info);
    }));
}

/// What a crash record holds.
#[derive(Debug, Clone)]
pub struct CrashRecord {
    pub what: String,
    pub thread: String,
    pub message: String,
    pub place: String,
    pub backtrace: String,
    pub last_lines: Vec<String>,
}

impl CrashRecord {
    /// The record as the text written to its file.
    pub fn text(&self, time: jiff::Timestamp) -> String {
        let mut t = String::new();
        let _ = writeln!(t, "Plantlog crash record");
        let _ = writeln!(t, "time (UTC): {time}");
        let _ = writeln!(t, "program:    {} {}", self.what, env!("CARGO_PKG_VERSION"));
        let _ = writeln!(
            t,
            "system:     {} {}",
            std::env::consts::OS,
            std::env::consts::ARCH
        );
        let _ = writeln!(t, "thread:     {}", self.thread);
        let _ = writeln!(t, "panic:      {}", self.message);
        let _ = writeln!(t, "at:         {}", self.place);
        let _ = writeln!(t, "\nLast log lines ({}):", self.last_lines.len());
        for l in &self.last_lines {
            let _ = writeln!(t, "  {l}");
        }
        let _ = writeln!(t, "\nBacktrace:\n{}", self.backtrace);
        t
    }
}

/// Writes `record` into `dir` as `crash-YYYYMMDDTHHMMSSZ-<pid>.txt`.
pub fn write(dir: &Path, record: &CrashRecord) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let now = jiff::Timestamp::now();
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let path = dir.join(format!("crash-{stamp}-{}.txt", std::process::id()));
    std::fs::write(&path, record.text(now))?;
    Ok(path)
}

/// The crash records of a data folder, newest first.
pub fn list(data_dir: &Path) -> Vec<PathBuf> {
    let dir = super::paths::crash_dir(data_dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files.reverse();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_has_the_panic_and_the_last_lines() {
        let tmp = tempfile::tempdir().unwrap();
        let record = CrashRecord {
            what: "plantlog test".into(),
            thread: "main".into(),
            message: "boom".into(),
            place: "src/x.rs:1:2".into(),
            backtrace: "frames".into(),
            last_lines: vec!["line one".into(), "line two".into()],
        };
        let dir = super::super::paths::crash_dir(tmp.path());
        let path = write(&dir, &record).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("panic:      boom"), "{text}");
        assert!(text.contains("src/x.rs:1:2"));
        assert!(text.contains("  line two"));
        assert_eq!(list(tmp.path()), vec![path]);
    }
}
