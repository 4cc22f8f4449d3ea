//! Log files in the data folder: `logs/plantlog.YYYY-MM-DD.log`, a new file each day
//! (UTC), at most [`KEEP_FILES`] files and [`MAX_TOTAL_BYTES`] in all, and at most
//! [`MAX_DAY_BYTES`] a day (a device that fails in a loop cannot fill the disk). The last
//! lines are also kept in memory for the crash record, and [`recent_problems`] reads the
//! warnings and errors back for the admin's page and the support bundle.
//!
//! Only the binaries call [`init`]; the core only emits `tracing` events.

use std::collections::VecDeque;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Log files kept (one a day).
pub const KEEP_FILES: usize = 14;
/// All log files together, at most.
pub const MAX_TOTAL_BYTES: u64 = 100 * 1024 * 1024;
/// One day's file, at most; later lines of that day are dropped (a line says so).
pub const MAX_DAY_BYTES: u64 = 20 * 1024 * 1024;
/// Lines kept in memory for a crash record.
pub const TAIL_LINES: usize = 200;

const PREFIX: &str = "plantlog";
const SUFFIX: &str = "log";

/// The filter used when `RUST_LOG` is not set.
pub const DEFAULT_FILTER: &str = "plantlog=info,plantlog_desktop=info,warn";

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("cannot create the log folder {path}: {source}")]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open a log file in {path}: {source}")]
    Appender {
        path: PathBuf,
        #[source]
        source: tracing_appender::rolling::InitError,
    },
    #[error("logging was already set up in this process")]
    AlreadySet,
}

/// The last lines logged, in memory (shared with the crash hook).
#[derive(Clone, Default)]
pub struct LogTail(Arc<Mutex<TailState>>);

#[derive(Default)]
struct TailState {
    lines: VecDeque<String>,
    /// A line not yet ended by a newline.
    partial: String,
}

impl LogTail {
    fn push(&self, bytes: &[u8]) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let text = String::from_utf8_lossy(bytes);
        let mut rest: &str = &text;
        while let Some(i) = rest.find('\n') {
            let mut line = std::mem::take(&mut t.partial);
            line.push_str(&rest[..i]);
            rest = &rest[i + 1..];
            if line.trim().is_empty() {
                continue;
            }
            if t.lines.len() == TAIL_LINES {
                t.lines.pop_front();
            }
            t.lines.push_back(line);
        }
        t.partial.push_str(rest);
    }

    /// The kept lines, oldest first.
    pub fn lines(&self) -> Vec<String> {
        let t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        t.lines.iter().cloned().collect()
    }
}

/// What [`init`] set up.
#[derive(Clone)]
pub struct Logging {
    /// The log folder, when logging to files.
    pub dir: Option<PathBuf>,
    pub tail: LogTail,
}

/// Where to log.
pub struct LogOptions {
    /// The data folder whose `logs/` receives the files; `None` logs to stderr only.
    pub data_dir: Option<PathBuf>,
    /// Also write to stderr (a console program; not a service or a window).
    pub stderr: bool,
}

/// Sets the process's tracing subscriber: `RUST_LOG` or [`DEFAULT_FILTER`], to the data
/// folder's log files and/or stderr. Call once, early, from a binary.
pub fn init(opts: LogOptions) -> Result<Logging, LogError> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| DEFAULT_FILTER.into());
    let tail = LogTail::default();
    let (file_layer, dir) = match &opts.data_dir {
        Some(data_dir) => {
            let dir = super::paths::logs_dir(data_dir);
            let sink = FileSink::open(&dir, tail.clone())?;
            let layer = tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(sink);
            (Some(layer), Some(dir))
        }
        None => (None, None),
    };
    let stderr_layer = opts
        .stderr
        .then(|| tracing_subscriber::fmt::layer().with_writer(std::io::stderr));
    tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .with(stderr_layer)
        .try_init()
        .map_err(|_| LogError::AlreadySet)?;
    Ok(Logging { dir, tail })
}

/// The rolling file with the caps; cheap to clone, one per log line.
#[derive(Clone)]
pub struct FileSink {
    inner: Arc<Mutex<SinkState>>,
    tail: LogTail,
}

struct SinkState {
    dir: PathBuf,
    file: RollingFileAppender,
    /// UTC day number of the file being written, and what was written to it.
    day: i64,
    written: u64,
    capped: bool,
    day_cap: u64,
}

fn utc_day() -> i64 {
    jiff::Timestamp::now()
        .as_millisecond()
        .div_euclid(86_400_000)
}

impl FileSink {
    /// Opens today's file in `dir` (created if needed) and prunes old files.
    pub fn open(dir: &Path, tail: LogTail) -> Result<FileSink, LogError> {
        Self::open_with_cap(dir, tail, MAX_DAY_BYTES)
    }

    fn open_with_cap(dir: &Path, tail: LogTail, day_cap: u64) -> Result<FileSink, LogError> {
        std::fs::create_dir_all(dir).map_err(|source| LogError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
        let file = RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix(PREFIX)
            .filename_suffix(SUFFIX)
            .max_log_files(KEEP_FILES)
            .build(dir)
            .map_err(|source| LogError::Appender {
                path: dir.to_path_buf(),
                source,
            })?;
        let _ = prune(dir, KEEP_FILES, MAX_TOTAL_BYTES);
        // A restart on the same day continues that day's count.
        let today = log_files(dir)
            .ok()
            .and_then(|files| files.last().cloned())
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(0, |m| m.len());
        Ok(FileSink {
            inner: Arc::new(Mutex::new(SinkState {
                dir: dir.to_path_buf(),
                file,
                day: utc_day(),
                written: today,
                capped: false,
                day_cap,
            })),
            tail,
        })
    }
}

impl Write for FileSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tail.push(buf);
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let day = utc_day();
        if day != s.day {
            s.day = day;
            s.written = 0;
            s.capped = false;
            let dir = s.dir.clone();
            let _ = prune(&dir, KEEP_FILES, MAX_TOTAL_BYTES);
        }
        if s.written + buf.len() as u64 > s.day_cap {
            if !s.capped {
                s.capped = true;
                let note = format!(
                    "{} WARN plantlog::os::logs: this day's log reached {} MB; further lines of today are not written to the file\n",
                    jiff::Timestamp::now(),
                    s.day_cap / (1024 * 1024)
                );
                s.file.write_all(note.as_bytes())?;
            }
            return Ok(buf.len());
        }
        s.written += buf.len() as u64;
        s.file.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .file
            .flush()
    }
}

impl<'a> MakeWriter<'a> for FileSink {
    type Writer = FileSink;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// The log files in `dir`, oldest first (their names end in the date).
pub fn log_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("plantlog.") && n.ends_with(".log"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Removes the oldest log files until at most `keep` remain and they take at most
/// `max_total` bytes; the newest file is always kept. Returns the files removed.
pub fn prune(dir: &Path, keep: usize, max_total: u64) -> std::io::Result<Vec<PathBuf>> {
    let files = log_files(dir)?;
    let sizes: Vec<u64> = files
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .collect();
    let mut total: u64 = sizes.iter().sum();
    let mut count = files.len();
    let mut removed = Vec::new();
    for (path, size) in files.iter().zip(&sizes) {
        if count <= 1 || (count <= keep && total <= max_total) {
            break;
        }
        std::fs::remove_file(path)?;
        removed.push(path.clone());
        total -= size;
        count -= 1;
    }
    Ok(removed)
}

/// One warning or error read back from the log files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogLine {
    /// As written: an RFC 3339 UTC time.
    pub time: String,
    /// "ERROR" or "WARN".
    pub level: String,
    /// The rest of the line: where and what.
    pub message: String,
}

/// The newest `max` warnings and errors in the log files of `data_dir`, newest first;
/// what the admin's "recent errors" list shows. An empty list when there are no logs.
pub fn recent_problems(data_dir: &Path, max: usize) -> Vec<LogLine> {
    let dir = super::paths::logs_dir(data_dir);
    let mut out = Vec::new();
    let Ok(files) = log_files(&dir) else {
        return out;
    };
    for file in files.iter().rev() {
        let Ok(lines) = LinesFromEnd::open(file) else {
            continue;
        };
        for line in lines {
            let line = String::from_utf8_lossy(&line);
            if let Some(l) = parse_problem(line.trim_end_matches('\r')) {
                out.push(l);
                if out.len() == max {
                    return out;
                }
            }
        }
    }
    out
}

/// The lines of a file from the last to the first, read in blocks from the end, so
/// finding the newest problems does not read a whole day's log (up to
/// [`MAX_DAY_BYTES`]) when they are near its end. A read error ends the lines early.
struct LinesFromEnd {
    file: std::fs::File,
    /// Where the part not yet read ends (read backwards from here).
    pos: u64,
    /// Bytes read but not yet returned: the start of the file's unread part is before it.
    pending: Vec<u8>,
}

impl LinesFromEnd {
    const BLOCK: u64 = 64 * 1024;

    fn open(path: &Path) -> std::io::Result<LinesFromEnd> {
        let file = std::fs::File::open(path)?;
        let pos = file.metadata()?.len();
        Ok(LinesFromEnd {
            file,
            pos,
            pending: Vec::new(),
        })
    }
}

impl Iterator for LinesFromEnd {
    type Item = Vec<u8>;

    fn next(&mut self) -> Option<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        loop {
            // A whole line is known once a newline stands before it (the file's own
            // last newline ends the last line and gives none).
            let end = self.pending.len();
            let trimmed = if self.pending.last() == Some(&b'\n') {
                end - 1
            } else {
                end
            };
            if let Some(nl) = self.pending[..trimmed].iter().rposition(|&b| b == b'\n') {
                let line = self.pending[nl + 1..trimmed].to_vec();
                self.pending.truncate(nl + 1);
                return Some(line);
            }
            if self.pos == 0 {
                if self.pending.is_empty() {
                    return None;
                }
                let line = self.pending[..trimmed].to_vec();
                self.pending.clear();
                return Some(line);
            }
            let take = self.pos.min(Self::BLOCK);
            self.pos -= take;
            let mut block = vec![0u8; take as usize];
            if self.file.seek(SeekFrom::Start(self.pos)).is_err()
                || self.file.read_exact(&mut block).is_err()
            {
                return None;
            }
            block.extend_from_slice(&self.pending);
            self.pending = block;
        }
    }
}

fn parse_problem(line: &str) -> Option<LogLine> {
    let mut parts = line.splitn(3, ' ');
    let time = parts.next()?;
    let mut level = parts.next()?;
    let mut rest = parts.next()?;
    // fmt pads levels to five characters: "WARN " leaves an extra space.
    if level.is_empty() {
        let mut again = rest.splitn(2, ' ');
        level = again.next()?;
        rest = again.next().unwrap_or("");
    }
    if !(level == "ERROR" || level == "WARN") || !time.contains('T') {
        return None;
    }
    Some(LogLine {
        time: time.to_string(),
        level: level.to_string(),
        message: rest.trim_start().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_keeps_the_newest_files_within_count_and_size() {
        let tmp = tempfile::tempdir().unwrap();
        for day in 1..=5 {
            let p = tmp.path().join(format!("plantlog.2026-01-0{day}.log"));
            std::fs::write(p, vec![b'x'; 100]).unwrap();
        }
        std::fs::write(tmp.path().join("other.txt"), "keep").unwrap();
        let removed = prune(tmp.path(), 3, 10_000).unwrap();
        assert_eq!(removed.len(), 2);
        let left = log_files(tmp.path()).unwrap();
        assert_eq!(left.len(), 3);
        assert!(left[0].ends_with("plantlog.2026-01-03.log"));
        // By size: 250 bytes allow two files of 100.
        prune(tmp.path(), 10, 250).unwrap();
        assert_eq!(log_files(tmp.path()).unwrap().len(), 2);
        // The newest stays even when it alone is over the cap.
        prune(tmp.path(), 10, 1).unwrap();
        let left = log_files(tmp.path()).unwrap();
        assert_eq!(left.len(), 1);
        assert!(left[0].ends_with("plantlog.2026-01-05.log"));
        assert!(tmp.path().join("other.txt").exists());
    }

    #[test]
    fn a_day_stops_writing_at_its_cap_and_says_so_once() {
        let tmp = tempfile::tempdir().unwrap();
        let tail = LogTail::default();
        let mut sink = FileSink::open_with_cap(tmp.path(), tail.clone(), 1000).unwrap();
        for i in 0..100 {
            writeln!(sink, "2026-01-01T00:00:00Z ERROR plantlog::x: line {i:03}").unwrap();
        }
        sink.flush().unwrap();
        let files = log_files(tmp.path()).unwrap();
        assert_eq!(files.len(), 1);
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(text.len() < 1200, "{}", text.len());
        assert_eq!(text.matches("reached").count(), 1);
        // The crash tail keeps the last lines regardless of the cap.
        let lines = tail.lines();
        assert_eq!(lines.len(), 100);
        assert!(lines[99].ends_with("line 099"));
    }

    #[test]
    fn recent_problems_reads_warnings_and_errors_newest_first() {
        let tmp = tempfile::tempdir().unwrap();
        let logs = super::super::paths::logs_dir(tmp.path());
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::write(
            logs.join("plantlog.2026-01-01.log"),
            "2026-01-01T10:00:00.000000Z ERROR plantlog::store: old error\n",
        )
        .unwrap();
        std::fs::write(
            logs.join("plantlog.2026-01-02.log"),
            "2026-01-02T10:00:00.000000Z  INFO plantlog::app: started\n\
             2026-01-02T10:00:01.000000Z  WARN plantlog::collector: press-1 does not answer\n\
             2026-01-02T10:00:02.000000Z ERROR plantlog::store: disk full\n",
        )
        .unwrap();
        let p = recent_problems(tmp.path(), 10);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].message, "plantlog::store: disk full");
        assert_eq!(p[1].level, "WARN");
        assert_eq!(p[1].message, "plantlog::collector: press-1 does not answer");
        assert_eq!(p[2].time, "2026-01-01T10:00:00.000000Z");
        assert_eq!(recent_problems(tmp.path(), 1).len(), 1);
        assert!(recent_problems(&tmp.path().join("none"), 5).is_empty());
    }

    #[test]
    fn lines_from_end_splits_across_blocks_and_keeps_every_line() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("x.log");
        // Lines of varied length, so block edges fall inside lines and on newlines.
        let lines: Vec<String> = (0..20_000)
            .map(|i| format!("{i} {}", "x".repeat(i % 37)))
            .collect();
        for ending in ["\n", ""] {
            std::fs::write(&path, lines.join("\n") + ending).unwrap();
            let back: Vec<String> = LinesFromEnd::open(&path)
                .unwrap()
                .map(|l| String::from_utf8(l).unwrap())
                .collect();
            let mut expected = lines.clone();
            expected.reverse();
            assert_eq!(back, expected);
        }
        std::fs::write(&path, "").unwrap();
        assert_eq!(LinesFromEnd::open(&path).unwrap().count(), 0);
        std::fs::write(&path, "\n\nonly\n").unwrap();
        let back: Vec<Vec<u8>> = LinesFromEnd::open(&path).unwrap().collect();
        assert_eq!(back, vec![b"only".to_vec(), b"".to_vec(), b"".to_vec()]);
    }
}
