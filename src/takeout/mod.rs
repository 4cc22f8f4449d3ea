//! The full export (issue 17, item 2): everything the database holds, in open formats,
//! into a folder (a removable drive's or any other), so the plant can take all its data
//! out and read it without Plantlog.
//!
//! - `config.toml`: the running plant configuration;
//! - `tables/NAME.csv`: every table as it is stored, one CSV each (secrets withheld);
//! - `samples/parquet/float/tag-NNNNNN.parquet` (a tag of float32 readings, `value`
//!   FLOAT), `samples/parquet/double/tag-NNNNNN.parquet` (other tags, and the rows of
//!   such a tag whose value is not a float32, `value` DOUBLE) and
//!   `samples/csv/tag-NNNNNN-PPPP.csv`: every
//!   sample decoded from the compressed blocks, one row per sample, per tag (CSV in
//!   chunks of at most [`Options::csv_rows`] rows, so Excel opens each and no file
//!   nears FAT32's 4 GiB);
//! - `rollups/rollup_1m.*`, `rollups/rollup_1h.*`: the minute and hour rollups;
//! - `schema.md`, `schema.json`: every table and column, units, quality codes, time base;
//! - `SHA256SUMS`: every file's checksum, written last, after each file was read back.
//!
//! Work is cut into parts (the configuration, a table, a tag, a rollup table, the
//! schema). Each file is written under "NAME.part", flushed, then renamed; a part is
//! listed in `takeout-state.json` once its files are on the disk. Run again on the same
//! folder after an interruption (a cancel, a crash, a pulled stick) and it goes on from
//! the first unfinished part, with the cut-off time of the first run, so the result is
//! the same as an uninterrupted one. Headless: the CLI and the API show its progress.

pub mod forget;
pub mod history;
pub mod on_core;
pub mod parquet;
pub mod schema;
pub mod stages;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use rusqlite::Connection;
use rusqlite::types::ValueRef;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::sample::{Sample, TagId, Value, now_ms};
use crate::store::codec::{self, BlockColumns, BlockValues};
use crate::store::rollup::{self, Rollup, Table};
use crate::store::{Db, StoreError, blocks, raw};
use parquet::Cell;
use stages::Stage;

pub const STATE_FILE: &str = "takeout-state.json";
/// Version 2: samples' Parquet files in `samples/parquet/float/` and
/// `samples/parquet/double/` (version 1 had them all, DOUBLE, in `samples/parquet/`).
const FORMAT: &str = "plantlog-takeout-2";
const DAY_MS: i64 = 86_400_000;
/// Samples are exported up to this long before the export starts: the collector's
/// newest samples may still be on their way to the disk.
pub const SETTLE_MS: i64 = 60_000;

#[derive(Debug, Clone)]
pub struct Options {
    /// The export folder: created when missing; an existing one must be empty or hold an
    /// unfinished (or finished) export, which is continued.
    pub to: PathBuf,
    /// Rows per samples CSV file.
    pub csv_rows: usize,
    /// The formats of the samples and rollups (the tables are CSV either way). An
    /// export continued keeps the formats it was begun with.
    pub formats: Formats,
    /// zstd's level for the Parquet pages ([`parquet::ZSTD_LEVEL`] unless a benchmark
    /// compares levels).
    pub zstd_level: i32,
}

impl Options {
    pub fn new(to: impl Into<PathBuf>) -> Options {
        Options {
            to: to.into(),
            csv_rows: 1_000_000,
            formats: Formats::default(),
            zstd_level: parquet::ZSTD_LEVEL,
        }
    }
}

/// Which formats the samples and rollups are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Formats {
    pub parquet: bool,
    pub csv: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats {
            parquet: true,
            csv: true,
        }
    }
}

/// Where an export stands.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "TakeoutProgress"))]
pub struct Progress {
    /// "writing", "verifying", "done".
    pub phase: String,
    /// The part being written: "table users", "tag 12", ...
    pub part: String,
    pub parts_done: usize,
    pub parts_total: usize,
    /// Parts found finished by an earlier run.
    pub parts_resumed: usize,
    #[cfg_attr(test, ts(type = "number"))]
    pub rows_done: u64,
    /// Estimated from the stored counts.
    #[cfg_attr(test, ts(type = "number"))]
    pub rows_total: u64,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes_written: u64,
    #[cfg_attr(test, ts(type = "number"))]
    pub elapsed_ms: u64,
    #[cfg_attr(test, ts(type = "number | null"))]
    pub left_ms: Option<u64>,
}

/// A finished export.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "TakeoutOutcome"))]
pub struct Outcome {
    pub folder: String,
    pub files: usize,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes: u64,
    #[cfg_attr(test, ts(type = "number"))]
    pub sample_rows: u64,
    pub parts: usize,
    /// Parts an earlier, interrupted run had finished.
    pub parts_resumed: usize,
    /// Samples up to (not including) this time (UTC ms) are in it.
    #[cfg_attr(test, ts(type = "number"))]
    pub until_ms: i64,
    /// The SHA-256 of SHA256SUMS.
    pub sums_sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TakeoutError {
    #[error(
        "{0} holds other files; choose an empty or new folder (or the folder of an unfinished export to continue it)"
    )]
    NotEmpty(String),
    #[error("{0} is not a Plantlog export state ({1}); choose another folder")]
    BadState(String, String),
    #[error(
        "cannot write {file}: {source}. What is finished is kept: run the export again on the same folder to continue"
    )]
    Write { file: String, source: io::Error },
    #[error("cannot write the Parquet file {file}: {message}")]
    Parquet { file: String, message: String },
    #[error(
        "{0} does not match the checksum it was written with: the drive may be failing; run the export again to rewrite it"
    )]
    Mismatch(String),
    #[error(
        "the export was cancelled; what is finished is kept: run it again on the same folder to continue"
    )]
    Cancelled,
    #[error("the configuration cannot be read: {0}")]
    Config(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for TakeoutError {
    fn from(e: rusqlite::Error) -> Self {
        TakeoutError::Store(StoreError::from(e))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileDone {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PartDone {
    pub files: Vec<FileDone>,
    pub rows: u64,
}

/// `takeout-state.json`: the cut-off and the finished parts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub format: String,
    pub started_ms: i64,
    pub until_ms: i64,
    pub parts: BTreeMap<String, PartDone>,
    /// Set when SHA256SUMS was written and every file verified.
    #[serde(default)]
    pub complete: bool,
    /// The formats the export was begun with (both, for a state written before there
    /// was a choice).
    #[serde(default)]
    pub formats: Formats,
}

impl State {
    pub fn read(folder: &Path) -> Option<Result<State, String>> {
        let text = std::fs::read_to_string(folder.join(STATE_FILE)).ok()?;
        Some(
            serde_json::from_str::<State>(&text)
                .map_err(|e| e.to_string())
                .and_then(|s| {
                    if s.format == FORMAT {
                        Ok(s)
                    } else {
                        Err(format!("format {}", s.format))
                    }
                }),
        )
    }

    fn write(&self, folder: &Path) -> Result<(), TakeoutError> {
        let text = serde_json::to_vec_pretty(self).expect("state serializes");
        let mut f = HashFile::create(folder, STATE_FILE)?;
        f.write_all(&text).map_err(|e| f.fail(e))?;
        f.finish()?;
        Ok(())
    }
}

/// A file written under "NAME.part", hashed as it goes, flushed and renamed at the end.
struct HashFile {
    folder: PathBuf,
    name: String,
    w: BufWriter<File>,
    sha: Sha256,
    bytes: u64,
}

impl HashFile {
    fn create(folder: &Path, name: &str) -> Result<HashFile, TakeoutError> {
        let path = folder.join(format!("{name}.part"));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| TakeoutError::Write {
                file: dir.display().to_string(),
                source: e,
            })?;
        }
        let f = File::create(&path).map_err(|e| TakeoutError::Write {
            file: path.display().to_string(),
            source: e,
        })?;
        Ok(HashFile {
            folder: folder.to_path_buf(),
            name: name.to_string(),
            w: BufWriter::with_capacity(1 << 20, f),
            sha: Sha256::new(),
            bytes: 0,
        })
    }

    fn fail(&self, e: io::Error) -> TakeoutError {
        TakeoutError::Write {
            file: self.folder.join(&self.name).display().to_string(),
            source: e,
        }
    }

    fn finish(self) -> Result<FileDone, TakeoutError> {
        stages::time(Stage::Sync, || self.finish_now())
    }

    fn finish_now(mut self) -> Result<FileDone, TakeoutError> {
        self.w.flush().map_err(|e| self.fail(e))?;
        let f = self.w.get_ref();
        f.sync_all().map_err(|e| self.fail(e))?;
        let final_path = self.folder.join(&self.name);
        let part = self.folder.join(format!("{}.part", self.name));
        std::fs::rename(&part, &final_path).map_err(|e| self.fail(e))?;
        if let Some(dir) = final_path.parent() {
            sync_dir(dir).map_err(|e| self.fail(e))?;
        }
        Ok(FileDone {
            name: self.name.clone(),
            bytes: self.bytes,
            sha256: hex::encode(self.sha.clone().finalize()),
        })
    }
}

impl Write for HashFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        stages::time(Stage::Write, || {
            let n = self.w.write(buf)?;
            self.sha.update(&buf[..n]);
            self.bytes += n as u64;
            Ok(n)
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// Flushes a folder's entries (a rename) to the device; Windows flushes with the file.
fn sync_dir(d: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(d)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = d;
        Ok(())
    }
}

/// The SHA-256 of a file on the disk, read back.
pub fn sha_of(path: &Path) -> io::Result<(String, u64)> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((hex::encode(h.finalize()), n))
}

/// Reads `files` back and compares each with the checksum it was written with.
fn verify(folder: &Path, files: &[FileDone]) -> Result<(), TakeoutError> {
    for f in files {
        let (got, _) = sha_of(&folder.join(&f.name)).map_err(|e| TakeoutError::Write {
            file: f.name.clone(),
            source: e,
        })?;
        if got != f.sha256 {
            return Err(TakeoutError::Mismatch(f.name.clone()));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Config,
    Table(String),
    Tag(TagId),
    Rollups(Table),
    Schema,
}

impl Part {
    fn key(&self) -> String {
        match self {
            Part::Config => "config".into(),
            Part::Table(t) => format!("table {t}"),
            Part::Tag(t) => format!("tag {t}"),
            Part::Rollups(Table::Minute) => "rollup_1m".into(),
            Part::Rollups(Table::Hour) => "rollup_1h".into(),
            Part::Schema => "schema".into(),
        }
    }
}

/// The tags that have samples or rollups, or are configured.
fn tag_ids(conn: &Connection) -> rusqlite::Result<Vec<TagId>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM tags UNION SELECT DISTINCT tag_id FROM blocks \
         UNION SELECT DISTINCT tag_id FROM blocks_fresh \
         UNION SELECT DISTINCT tag_id FROM rollup_1h ORDER BY 1",
    )?;
    let mut ids: Vec<TagId> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.extend(crate::store::hot::tags(conn)?);
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The first and last stored sample time of `tag`.
fn span(conn: &Connection, tag: TagId) -> rusqlite::Result<Option<(i64, i64)>> {
    let mut lo = i64::MAX;
    let mut hi = i64::MIN;
    for sql in [
        "SELECT min(first), max(last) FROM blocks WHERE tag_id = ?1",
        "SELECT min(first), max(last) FROM blocks_fresh WHERE tag_id = ?1",
    ] {
        let (a, b): (Option<i64>, Option<i64>) =
            conn.query_row(sql, [tag], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if let (Some(a), Some(b)) = (a, b) {
            lo = lo.min(a);
            hi = hi.max(b);
        }
    }
    if let Some((a, b)) = crate::store::hot::span_of(conn, tag)? {
        lo = lo.min(a);
        hi = hi.max(b);
    }
    Ok((lo <= hi).then_some((lo, hi)))
}

/// Rows the export will write, from the stored counts (blocks' sample counts).
fn estimate(conn: &Connection, tables: &[String]) -> rusqlite::Result<u64> {
    let mut n: i64 = conn.query_row(
        "SELECT (SELECT coalesce(sum(n), 0) FROM blocks) + (SELECT coalesce(sum(n), 0) FROM blocks_fresh) \
         + (SELECT coalesce(sum(n), 0) FROM samples_hot) + (SELECT count(*) FROM rollup_1h)",
        [],
        |r| r.get(0),
    )?;
    for t in tables {
        n += conn.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| {
            r.get::<_, i64>(0)
        })?;
    }
    Ok(n.max(0) as u64)
}

fn time_utc(ts: i64) -> String {
    jiff::Timestamp::from_millisecond(ts)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Removes files a killed run left half-written ("*.part").
fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            sweep(&p);
        } else if p.extension().is_some_and(|x| x == "part") {
            let _ = std::fs::remove_file(&p);
        }
    }
}

struct Run<'a> {
    db: &'a Db,
    folder: PathBuf,
    opts: &'a Options,
    state: State,
    progress: Progress,
    started: Instant,
    on_progress: &'a mut dyn FnMut(&Progress),
    cancel: &'a AtomicBool,
    /// Parts written and read back against their checksums by this run.
    verified: std::collections::BTreeSet<String>,
}

impl Run<'_> {
    fn tell(&mut self) {
        let p = &mut self.progress;
        p.elapsed_ms = self.started.elapsed().as_millis() as u64;
        p.left_ms = (p.rows_done > 0 && p.rows_total > p.rows_done).then(|| {
            (p.elapsed_ms as f64 * (p.rows_total - p.rows_done) as f64 / p.rows_done as f64) as u64
        });
        (self.on_progress)(&self.progress);
    }

    fn check_cancel(&self) -> Result<(), TakeoutError> {
        if self.cancel.load(Ordering::Relaxed) {
            Err(TakeoutError::Cancelled)
        } else {
            Ok(())
        }
    }

    fn parquet_err(file: &str, e: ::parquet::errors::ParquetError) -> TakeoutError {
        TakeoutError::Parquet {
            file: file.to_string(),
            message: e.to_string(),
        }
    }

    fn part(&mut self, part: &Part) -> Result<PartDone, TakeoutError> {
        match part {
            Part::Config => {
                let text = self.db.with(|c| {
                    let plant = crate::config::load_plant(c)
                        .map_err(|e| TakeoutError::Config(e.to_string()))?;
                    Ok::<_, TakeoutError>(if plant.version == 0 {
                        "# This plant has no configuration yet.\n".to_string()
                    } else {
                        crate::config::export(&plant.config)
                    })
                })?;
                let mut f = HashFile::create(&self.folder, "config.toml")?;
                f.write_all(text.as_bytes()).map_err(|e| f.fail(e))?;
                Ok(PartDone {
                    files: vec![f.finish()?],
                    rows: 0,
                })
            }
            Part::Table(t) => self.table(t),
            Part::Tag(_) | Part::Rollups(_) => {
                self.pool(std::slice::from_ref(part))?;
                Ok(self.state.parts.remove(&part.key()).unwrap_or_default())
            }
            Part::Schema => {
                let samples: u64 = self
                    .state
                    .parts
                    .iter()
                    .filter(|(k, _)| k.starts_with("tag "))
                    .map(|(_, p)| p.rows)
                    .sum();
                let r1m = self.state.parts.get("rollup_1m").map_or(0, |p| p.rows);
                let r1h = self.state.parts.get("rollup_1h").map_or(0, |p| p.rows);
                let mut doc = self
                    .db
                    .sql(|c| schema::describe(c, samples as i64, (r1m as i64, r1h as i64)))?;
                // Only the files of the formats written.
                let formats = self.state.formats;
                for t in &mut doc.tables {
                    t.files.retain(|f| {
                        f.starts_with("tables/")
                            || (formats.parquet && f.ends_with(".parquet"))
                            || (formats.csv && f.ends_with(".csv"))
                    });
                }
                let mut files = Vec::new();
                let mut f = HashFile::create(&self.folder, "schema.md")?;
                f.write_all(schema::markdown(&doc).as_bytes())
                    .map_err(|e| f.fail(e))?;
                files.push(f.finish()?);
                let mut f = HashFile::create(&self.folder, "schema.json")?;
                f.write_all(&serde_json::to_vec_pretty(&doc).expect("schema serializes"))
                    .map_err(|e| f.fail(e))?;
                files.push(f.finish()?);
                Ok(PartDone { files, rows: 0 })
            }
        }
    }

    fn table(&mut self, t: &str) -> Result<PartDone, TakeoutError> {
        let name = format!("tables/{t}.csv");
        let mut f = HashFile::create(&self.folder, &name)?;
        let rows = {
            let fref = &mut f;
            self.db.with(|c| -> Result<u64, TakeoutError> {
                let cols = schema::columns(c, t)?;
                let mut w = csv::Writer::from_writer(&mut *fref);
                let io = |e: csv::Error| TakeoutError::Write {
                    file: name.clone(),
                    source: e.into(),
                };
                w.write_record(cols.iter().map(|c| c.0.as_str()))
                    .map_err(io)?;
                let secret: Vec<bool> = cols.iter().map(|c| schema::secret(t, &c.0)).collect();
                let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\""))?;
                let mut rows = stmt.query([])?;
                let mut n = 0u64;
                let mut rec: Vec<String> = Vec::with_capacity(cols.len());
                while let Some(r) = rows.next()? {
                    rec.clear();
                    for (i, hidden) in secret.iter().enumerate() {
                        let v = r.get_ref(i)?;
                        rec.push(match v {
                            ValueRef::Null => String::new(),
                            _ if *hidden => "(withheld)".into(),
                            ValueRef::Integer(x) => x.to_string(),
                            ValueRef::Real(x) => ryu::Buffer::new().format(x).to_string(),
                            ValueRef::Text(s) => String::from_utf8_lossy(s).into_owned(),
                            ValueRef::Blob(b) => hex::encode(b),
                        });
                    }
                    w.write_record(&rec).map_err(io)?;
                    n += 1;
                }
                w.flush().map_err(|e| TakeoutError::Write {
                    file: name.clone(),
                    source: e,
                })?;
                Ok(n)
            })?
        };
        self.progress.rows_done += rows;
        self.progress.bytes_written += f.bytes;
        Ok(PartDone {
            files: vec![f.finish()?],
            rows,
        })
    }

    /// The tag and rollup parts `parts`, written by several threads at once (each a
    /// part at a time: the minute rollups first, the largest of the work, then the tags,
    /// the largest first); each is listed in the state as it finishes. A failure or a
    /// cancel stops the others at their next day of samples or tag of rollups.
    fn pool(&mut self, parts: &[Part]) -> Result<(), TakeoutError> {
        if parts.is_empty() {
            return Ok(());
        }
        let sizes: BTreeMap<TagId, i64> = self.db.sql(|c| {
            let mut stmt = c.prepare("SELECT tag_id, sum(n) FROM blocks GROUP BY tag_id")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })?;
        let mut order = parts.to_vec();
        order.sort_by_key(|p| match p {
            Part::Rollups(Table::Minute) => (0, 0),
            Part::Rollups(Table::Hour) => (1, 0),
            Part::Tag(t) => (2, -sizes.get(t).copied().unwrap_or(0)),
            _ => (3, 0),
        });
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, MAX_WORKERS)
            .min(order.len());
        let next = AtomicUsize::new(0);
        let rows = AtomicU64::new(0);
        let failed = AtomicBool::new(false);
        let cancel = self.cancel;
        let stop = || cancel.load(Ordering::Relaxed) || failed.load(Ordering::Relaxed);
        let folder = self.folder.clone();
        let job = TagJob {
            db: self.db,
            folder: &folder,
            until: self.state.until_ms,
            csv_rows: self.opts.csv_rows,
            formats: self.state.formats,
            zstd_level: self.opts.zstd_level,
            rows: &rows,
            stop: &stop,
        };
        let rows_before = self.progress.rows_done;
        let mut first_error = None;
        std::thread::scope(|scope| -> Result<(), TakeoutError> {
            let (send, done) = std::sync::mpsc::channel();
            for _ in 0..workers {
                let send = send.clone();
                let (job, next, order, failed) = (&job, &next, &order, &failed);
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= order.len() || (job.stop)() {
                            break;
                        }
                        let r = match &order[i] {
                            Part::Tag(t) => job.write(*t),
                            Part::Rollups(which) => job.rollups(*which),
                            other => Err(TakeoutError::Config(format!(
                                "{} is not written by the threads",
                                other.key()
                            ))),
                        };
                        // Read back by the thread that wrote it, while the others write.
                        let r = r.and_then(|part| {
                            stages::time(Stage::Verify, || verify(job.folder, &part.files))?;
                            Ok(part)
                        });
                        if r.is_err() {
                            failed.store(true, Ordering::Relaxed);
                        }
                        if send.send((order[i].key(), r)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(send);
            loop {
                match done.recv_timeout(std::time::Duration::from_millis(250)) {
                    Ok((key, Ok(part))) => {
                        self.progress.bytes_written +=
                            part.files.iter().map(|f| f.bytes).sum::<u64>();
                        self.verified.insert(key.clone());
                        self.state.parts.insert(key, part);
                        self.state.write(&self.folder)?;
                        self.progress.parts_done += 1;
                    }
                    Ok((_, Err(e))) => {
                        if first_error.is_none() && !matches!(e, TakeoutError::Cancelled) {
                            first_error = Some(e);
                        }
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                }
                self.progress.rows_done = rows_before + rows.load(Ordering::Relaxed);
                self.progress.part = format!("tags and rollups ({workers} at a time)");
                self.tell();
            }
            Ok(())
        })?;
        if let Some(e) = first_error {
            return Err(e);
        }
        self.check_cancel()
    }
}

/// Threads writing tag parts at once, at most.
const MAX_WORKERS: usize = 4;

/// What a thread writing tag parts needs.
struct TagJob<'a> {
    db: &'a Db,
    folder: &'a Path,
    until: i64,
    csv_rows: usize,
    formats: Formats,
    zstd_level: i32,
    /// Samples written, by all threads.
    rows: &'a AtomicU64,
    stop: &'a (dyn Fn() -> bool + Sync),
}

/// The Parquet files of a tag's samples: its rows go to a FLOAT file when the tag is
/// at home there ([`parquet::home_of`]) and the value is a single, else to a DOUBLE
/// file; each file is begun at its first row group.
struct TagParquet {
    tag: TagId,
    level: i32,
    home: Option<parquet::Width>,
    /// The next row group of each file: FLOAT, DOUBLE.
    next: [parquet::Columns; 2],
    files: [Option<(parquet::SampleFile<HashFile>, String)>; 2],
}

const WIDTHS: [parquet::Width; 2] = [parquet::Width::F32, parquet::Width::F64];

/// A window of a tag's samples as read: decoded samples (when it has hot rows, or CSV is
/// written too), or the stored blocks, for the Parquet alone.
enum Window {
    Samples(Vec<Sample>),
    Blocks(Vec<blocks::Block>),
}

/// The columns of `found`; a damaged block is logged and skipped, as a raw read does.
fn block_columns(tag: TagId, found: &[blocks::Block]) -> Vec<BlockColumns> {
    found
        .iter()
        .filter_map(|b| match codec::decode_columns(&b.data) {
            Ok(c) => Some(c),
            Err(e) => {
                tracing::error!("the block of tag {tag} at {} cannot be read: {e}", b.t0);
                None
            }
        })
        .collect()
}

/// [`parquet::home_of`] for the samples in `[from, to)` of `blocks`.
fn home_of_blocks(blocks: &[BlockColumns], from: i64, to: i64) -> parquet::Width {
    let (mut n, mut singles) = (0usize, 0usize);
    for b in blocks {
        let mut good = 0usize;
        for (&ts, q) in b.times.iter().zip(&b.qualities) {
            if !q.is_good() {
                continue;
            }
            let v = good;
            good += 1;
            if ts < from || ts >= to {
                continue;
            }
            let single = match &b.values {
                BlockValues::Texts(_) => continue,
                BlockValues::Singles(x) => parquet::bits_single(x[v]),
                BlockValues::Decimals { exponent, ints } => {
                    let x = ints[v] as f64 / 10f64.powi(i32::from(*exponent));
                    parquet::decimal_single(ints[v], *exponent, x)
                }
                BlockValues::Doubles(d) => parquet::single(d[v]),
            };
            n += 1;
            singles += usize::from(single);
        }
    }
    parquet::home_of_counts(n, singles)
}

impl TagParquet {
    fn new(tag: TagId, level: i32) -> TagParquet {
        TagParquet {
            tag,
            level,
            home: None,
            next: WIDTHS.map(parquet::Columns::new),
            files: [None, None],
        }
    }

    /// Adds a day of samples; a full row group is written.
    fn push(&mut self, folder: &Path, samples: &[Sample]) -> Result<(), TakeoutError> {
        let home = *self.home.get_or_insert_with(|| parquet::home_of(samples));
        stages::time(Stage::Rows, || match home {
            parquet::Width::F64 => self.next[1].push(samples),
            parquet::Width::F32 => {
                for s in samples {
                    let double = s.value().is_some_and(|v| !parquet::single(v));
                    self.next[usize::from(double)].push_one(s);
                }
            }
        });
        self.flush_full(folder)
    }

    /// Adds a day of samples as their blocks hold them (`[from, to)` of `blocks`),
    /// the same rows [`TagParquet::push`] would add for their samples: a float32
    /// reading goes to the FLOAT file as its own 32 bits, without the double of its
    /// shortest decimal and the check that it is one ([`parquet::single`]).
    fn push_blocks(
        &mut self,
        folder: &Path,
        blocks: &[BlockColumns],
        from: i64,
        to: i64,
    ) -> Result<(), TakeoutError> {
        let home = *self
            .home
            .get_or_insert_with(|| home_of_blocks(blocks, from, to));
        let tag = self.tag;
        let [f32s, f64s] = &mut self.next;
        stages::time(Stage::Rows, || {
            for b in blocks {
                let scale = match &b.values {
                    BlockValues::Decimals { exponent, .. } => 10f64.powi(i32::from(*exponent)),
                    _ => 1.0,
                };
                let mut good = 0usize;
                for (&ts, q) in b.times.iter().zip(&b.qualities) {
                    let v = good;
                    good += usize::from(q.is_good());
                    if ts < from || ts >= to {
                        continue;
                    }
                    let code = q.code() as i32;
                    let (cell, double) = if !q.is_good() {
                        (Cell::None, false)
                    } else {
                        match (&b.values, home) {
                            (BlockValues::Texts(t), _) => (Cell::Text(&t[v]), false),
                            (BlockValues::Singles(x), parquet::Width::F32) => {
                                if parquet::bits_single(x[v]) {
                                    (Cell::Single(x[v]), false)
                                } else {
                                    (Cell::Double(codec::f32_to_f64(x[v])), true)
                                }
                            }
                            (BlockValues::Singles(x), parquet::Width::F64) => {
                                (Cell::Double(codec::f32_to_f64(x[v])), true)
                            }
                            (BlockValues::Decimals { exponent, ints }, _) => {
                                let x = ints[v] as f64 / scale;
                                match home {
                                    parquet::Width::F32
                                        if parquet::decimal_single(ints[v], *exponent, x) =>
                                    {
                                        (Cell::Single(x as f32), false)
                                    }
                                    _ => (Cell::Double(x), true),
                                }
                            }
                            (BlockValues::Doubles(d), _) => {
                                let x = d[v];
                                match home {
                                    parquet::Width::F32 if parquet::single(x) => {
                                        (Cell::Single(x as f32), false)
                                    }
                                    _ => (Cell::Double(x), true),
                                }
                            }
                        }
                    };
                    // A tag at home in DOUBLE has all its rows there; one at home in FLOAT
                    // its singles, texts and bad samples in FLOAT, its doubles in DOUBLE.
                    if double || home == parquet::Width::F64 {
                        f64s.push_cell(tag, ts, cell, code);
                    } else {
                        f32s.push_cell(tag, ts, cell, code);
                    }
                }
            }
        });
        self.flush_full(folder)
    }

    /// Writes the row group of a file whose rows make one.
    fn flush_full(&mut self, folder: &Path) -> Result<(), TakeoutError> {
        for i in 0..2 {
            if self.next[i].len() >= parquet::ROW_GROUP {
                self.flush(folder, i)?;
            }
        }
        Ok(())
    }

    /// Writes the rows buffered for file `i` as a row group (the first begins the file).
    fn flush(&mut self, folder: &Path, i: usize) -> Result<(), TakeoutError> {
        stages::time(Stage::Parquet, || self.flush_now(folder, i))
    }

    fn flush_now(&mut self, folder: &Path, i: usize) -> Result<(), TakeoutError> {
        if self.next[i].is_empty() {
            return Ok(());
        }
        if self.files[i].is_none() {
            let width = WIDTHS[i];
            let name = format!(
                "samples/parquet/{}/tag-{:06}.parquet",
                width.folder(),
                self.tag
            );
            let f = HashFile::create(folder, &name)?;
            let pq = parquet::SampleFile::new(f, width, self.level)
                .map_err(|e| Run::parquet_err(&name, e))?;
            self.files[i] = Some((pq, name));
        }
        let (pq, name) = self.files[i].as_mut().expect("begun above");
        pq.group(&self.next[i])
            .map_err(|e| Run::parquet_err(name, e))?;
        self.next[i].clear();
        Ok(())
    }

    /// Writes the last row groups and the footers; the files written.
    fn finish(mut self, folder: &Path) -> Result<Vec<FileDone>, TakeoutError> {
        let mut out = Vec::new();
        for i in 0..2 {
            self.flush(folder, i)?;
            if let Some((pq, name)) = self.files[i].take() {
                let hf = stages::time(Stage::Parquet, || pq.finish())
                    .map_err(|e| Run::parquet_err(&name, e))?;
                out.push(hf.finish()?);
            }
        }
        Ok(out)
    }

    /// Removes the unfinished files.
    fn abandon(&mut self, folder: &Path) {
        for f in &mut self.files {
            if let Some((pq, name)) = f.take() {
                drop(pq);
                let _ = std::fs::remove_file(folder.join(format!("{name}.part")));
            }
        }
    }
}

impl TagJob<'_> {
    /// The rollups of `which`, every tag's, in one Parquet file and one CSV file.
    fn rollups(&self, which: Table) -> Result<PartDone, TakeoutError> {
        let until = self.until;
        let formats = self.formats;
        let base = match which {
            Table::Minute => "rollups/rollup_1m",
            Table::Hour => "rollups/rollup_1h",
        };
        let pq_name = format!("{base}.parquet");
        let csv_name = format!("{base}.csv");
        let mut pq = if formats.parquet {
            let f = HashFile::create(self.folder, &pq_name)?;
            Some(
                parquet::RollupFile::new(f, self.zstd_level)
                    .map_err(|e| Run::parquet_err(&pq_name, e))?,
            )
        } else {
            None
        };
        let mut cw = if formats.csv {
            let mut cw = csv::Writer::from_writer(HashFile::create(self.folder, &csv_name)?);
            let mut head = vec!["tag_id", "t", "time_utc"];
            head.extend([
                "first_ts", "first", "last_ts", "last", "min_ts", "min", "max_ts", "max", "sum",
                "twa_sum", "twa_ms", "good", "bad",
            ]);
            cw.write_record(&head).map_err(|e| csv_err(&csv_name, e))?;
            Some(cw)
        } else {
            None
        };
        let tags = self.db.sql(|c| tag_ids(c))?;
        let mut pending: Vec<(TagId, Rollup)> = Vec::new();
        let mut rows = 0u64;
        for tag in tags {
            if (self.stop)() {
                return Err(TakeoutError::Cancelled);
            }
            let got = stages::time(Stage::RollupRead, || {
                self.db.sql(|c| rollup::load(c, which, tag, 0, until))
            })?;
            for r in got.iter().filter(|_| formats.csv) {
                let Some(cw) = cw.as_mut() else { break };
                let opt_t = |p: Option<(i64, f64)>| p.map(|p| p.0.to_string()).unwrap_or_default();
                let opt_v = |p: Option<(i64, f64)>| {
                    p.map(|p| ryu::Buffer::new().format(p.1).to_string())
                        .unwrap_or_default()
                };
                let f = |x: f64| ryu::Buffer::new().format(x).to_string();
                cw.write_record([
                    tag.to_string(),
                    r.t.to_string(),
                    time_utc(r.t),
                    opt_t(r.first),
                    opt_v(r.first),
                    opt_t(r.last),
                    opt_v(r.last),
                    opt_t(r.min),
                    opt_v(r.min),
                    opt_t(r.max),
                    opt_v(r.max),
                    f(r.sum),
                    f(r.twa_sum),
                    r.twa_ms.to_string(),
                    r.good.to_string(),
                    r.bad.to_string(),
                ])
                .map_err(|e| csv_err(&csv_name, e))?;
            }
            rows += got.len() as u64;
            if which == Table::Hour {
                self.rows.fetch_add(got.len() as u64, Ordering::Relaxed);
            }
            if let Some(pq) = pq.as_mut() {
                pending.extend(got.into_iter().map(|r| (tag, r)));
                if pending.len() >= parquet::ROW_GROUP {
                    stages::time(Stage::Parquet, || pq.group(&pending))
                        .map_err(|e| Run::parquet_err(&pq_name, e))?;
                    pending.clear();
                }
            }
        }
        let mut files = Vec::new();
        if let Some(mut pq) = pq {
            let f = stages::time(Stage::Parquet, || {
                pq.group(&pending)?;
                pq.finish()
            })
            .map_err(|e| Run::parquet_err(&pq_name, e))?;
            files.push(f.finish()?);
        }
        if let Some(cw) = cw {
            files.push(close_csv(cw, &csv_name)?);
        }
        Ok(PartDone { files, rows })
    }

    /// The samples of `tag` up to the cut-off: Parquet files and CSV chunks, read a day
    /// at a time.
    fn write(&self, tag: TagId) -> Result<PartDone, TakeoutError> {
        let until = self.until;
        let Some((first, last)) = self.db.sql(|c| span(c, tag))? else {
            return Ok(PartDone::default());
        };
        if first >= until {
            return Ok(PartDone::default());
        }
        let end = (last + 1).min(until);
        let mut pq = self
            .formats
            .parquet
            .then(|| TagParquet::new(tag, self.zstd_level));
        let mut files = Vec::new();
        let mut csv: Option<(csv::Writer<HashFile>, String, usize)> = None;
        let mut chunk = 0usize;
        let mut rows = 0u64;
        let mut w = first.div_euclid(DAY_MS) * DAY_MS;
        while w < end {
            if (self.stop)() {
                if let Some(pq) = pq.as_mut() {
                    pq.abandon(self.folder);
                }
                return Err(TakeoutError::Cancelled);
            }
            let to = (w + DAY_MS).min(end);
            let from = w.max(first);
            // One snapshot per window: the compactor moving rows into blocks in between
            // can neither hide nor double a sample.
            let window = stages::time(Stage::Read, || {
                self.db.sql(|c| {
                    let tx = c.transaction()?;
                    if !self.formats.csv && raw::hot(&tx, tag, from, to)?.is_empty() {
                        let found = blocks::overlapping(&tx, tag, from, to)?;
                        return Ok(Window::Blocks(found));
                    }
                    Ok(Window::Samples(raw::read(&tx, tag, from, to)?))
                })
            })?;
            let samples = match window {
                Window::Samples(s) => s,
                Window::Blocks(found) => {
                    // Only the Parquet: the blocks' columns go there as they are.
                    let cols = stages::time(Stage::Decode, || block_columns(tag, &found));
                    let n: usize = cols
                        .iter()
                        .map(|b| b.times.iter().filter(|&&t| t >= from && t < to).count())
                        .sum();
                    rows += n as u64;
                    self.rows.fetch_add(n as u64, Ordering::Relaxed);
                    if let Some(p) = pq.as_mut()
                        && let Err(e) = p.push_blocks(self.folder, &cols, from, to)
                    {
                        p.abandon(self.folder);
                        return Err(e);
                    }
                    w += DAY_MS;
                    continue;
                }
            };
            for s in samples.iter().filter(|_| self.formats.csv) {
                if csv.as_ref().is_none_or(|c| c.2 >= self.csv_rows) {
                    if let Some((cw, name, _)) = csv.take() {
                        files.push(close_csv(cw, &name)?);
                    }
                    chunk += 1;
                    let name = format!("samples/csv/tag-{tag:06}-{chunk:04}.csv");
                    let f = HashFile::create(self.folder, &name)?;
                    let mut cw = csv::Writer::from_writer(f);
                    cw.write_record(["tag_id", "ts_ms", "time_utc", "value", "text", "quality"])
                        .map_err(|e| csv_err(&name, e))?;
                    csv = Some((cw, name, 0));
                }
                let (cw, name, n) = csv.as_mut().expect("opened above");
                let mut ib = itoa::Buffer::new();
                let mut tb = itoa::Buffer::new();
                let mut qb = itoa::Buffer::new();
                let mut rb = ryu::Buffer::new();
                let (value, text) = match s.raw_value() {
                    Some(Value::Number(v)) => (rb.format(*v), ""),
                    Some(Value::Text(t)) => ("", &**t),
                    None => ("", ""),
                };
                cw.write_record([
                    ib.format(s.tag_id),
                    tb.format(s.ts),
                    &time_utc(s.ts),
                    value,
                    text,
                    qb.format(s.quality.code()),
                ])
                .map_err(|e| csv_err(name, e))?;
                *n += 1;
            }
            rows += samples.len() as u64;
            self.rows.fetch_add(samples.len() as u64, Ordering::Relaxed);
            if let Some(p) = pq.as_mut()
                && let Err(e) = p.push(self.folder, &samples)
            {
                p.abandon(self.folder);
                return Err(e);
            }
            w += DAY_MS;
        }
        if let Some((cw, name, _)) = csv.take() {
            files.push(close_csv(cw, &name)?);
        }
        if let Some(p) = pq {
            let parquets = p.finish(self.folder)?;
            files.splice(0..0, parquets);
        }
        if rows == 0 {
            return Ok(PartDone::default());
        }
        Ok(PartDone { files, rows })
    }
}

fn csv_err(name: &str, e: csv::Error) -> TakeoutError {
    TakeoutError::Write {
        file: name.to_string(),
        source: e.into(),
    }
}

fn close_csv(cw: csv::Writer<HashFile>, name: &str) -> Result<FileDone, TakeoutError> {
    let f = cw.into_inner().map_err(|e| TakeoutError::Write {
        file: name.to_string(),
        source: io::Error::other(e.to_string()),
    })?;
    f.finish()
}

/// Runs (or continues) a full export of `db` into `opts.to`; see the module's comment.
/// `progress` is told as rows are written; setting `cancel` stops at the next day of
/// samples or the next table, keeping what is finished.
pub fn export(
    db: &Db,
    opts: &Options,
    progress: &mut dyn FnMut(&Progress),
    cancel: &AtomicBool,
) -> Result<Outcome, TakeoutError> {
    let folder = opts.to.clone();
    std::fs::create_dir_all(&folder).map_err(|e| TakeoutError::Write {
        file: folder.display().to_string(),
        source: e,
    })?;
    let state = match State::read(&folder) {
        Some(Ok(s)) => s,
        Some(Err(why)) => return Err(TakeoutError::BadState(folder.display().to_string(), why)),
        None => {
            let empty = std::fs::read_dir(&folder)
                .map_err(|e| TakeoutError::Write {
                    file: folder.display().to_string(),
                    source: e,
                })?
                .next()
                .is_none();
            if !empty {
                return Err(TakeoutError::NotEmpty(folder.display().to_string()));
            }
            let now = now_ms();
            State {
                format: FORMAT.into(),
                started_ms: now,
                until_ms: now - SETTLE_MS,
                parts: BTreeMap::new(),
                complete: false,
                formats: opts.formats,
            }
        }
    };
    sweep(&folder);
    let (tables, tags, rows_total) = db.sql(|c| {
        let tables: Vec<String> = schema::tables(c)?
            .into_iter()
            .filter(|t| schema::encoded(t).is_none())
            .collect();
        let rows = estimate(c, &tables)?;
        Ok((tables, tag_ids(c)?, rows))
    })?;
    let mut parts = vec![Part::Config];
    parts.extend(tables.into_iter().map(Part::Table));
    parts.extend(tags.into_iter().map(Part::Tag));
    parts.push(Part::Rollups(Table::Hour));
    parts.push(Part::Rollups(Table::Minute));
    parts.push(Part::Schema);

    let mut run = Run {
        db,
        folder: folder.clone(),
        opts,
        state,
        progress: Progress {
            phase: "writing".into(),
            parts_total: parts.len(),
            rows_total,
            ..Progress::default()
        },
        started: Instant::now(),
        on_progress: progress,
        cancel,
        verified: Default::default(),
    };
    // Parts an earlier run finished, whose files are still there whole.
    let mut resumed = 0;
    for p in &parts {
        let key = p.key();
        let Some(done) = run.state.parts.get(&key) else {
            continue;
        };
        let whole = done
            .files
            .iter()
            .all(|f| std::fs::metadata(folder.join(&f.name)).is_ok_and(|m| m.len() == f.bytes));
        if whole {
            resumed += 1;
            run.progress.rows_done += done.rows;
        } else {
            run.state.parts.remove(&key);
            run.state.complete = false;
        }
    }
    run.progress.parts_resumed = resumed;
    run.progress.parts_done = resumed;
    run.state.write(&folder)?;
    run.tell();
    let mut tags_written = false;
    for p in &parts {
        let key = p.key();
        if run.state.parts.contains_key(&key) {
            continue;
        }
        run.check_cancel()?;
        if let Part::Tag(_) | Part::Rollups(_) = p {
            // The samples and rollups, all at once, by several threads.
            if !tags_written {
                tags_written = true;
                let pending: Vec<Part> = parts
                    .iter()
                    .filter(|p| {
                        matches!(p, Part::Tag(_) | Part::Rollups(_))
                            && !run.state.parts.contains_key(&p.key())
                    })
                    .cloned()
                    .collect();
                run.pool(&pending)?;
            }
            continue;
        }
        run.progress.part = key.clone();
        run.tell();
        let done = run.part(p)?;
        run.state.parts.insert(key, done);
        run.state.write(&folder)?;
        run.progress.parts_done += 1;
        run.tell();
    }

    // Every file read back against the checksum it was written with (the tags' and
    // rollups' files were, each by the thread that wrote it, as it finished).
    run.progress.phase = "verifying".into();
    run.progress.part = String::new();
    run.tell();
    let mut files: Vec<FileDone> = run
        .state
        .parts
        .values()
        .flat_map(|p| p.files.iter().cloned())
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    for (key, part) in &run.state.parts {
        if run.verified.contains(key) {
            continue;
        }
        run.check_cancel()?;
        if let Err(e) = verify(&folder, &part.files) {
            // Not kept as finished: the next run writes the part again.
            let key = key.clone();
            run.state.parts.remove(&key);
            run.state.write(&folder)?;
            return Err(e);
        }
    }
    let mut sums = String::new();
    for f in &files {
        sums.push_str(&format!("{}  {}\n", f.sha256, f.name));
    }
    let mut sf = HashFile::create(&folder, "SHA256SUMS")?;
    sf.write_all(sums.as_bytes()).map_err(|e| sf.fail(e))?;
    let sums_done = sf.finish()?;
    let (got, _) = sha_of(&folder.join("SHA256SUMS")).map_err(|e| TakeoutError::Write {
        file: "SHA256SUMS".into(),
        source: e,
    })?;
    if got != sums_done.sha256 {
        return Err(TakeoutError::Mismatch("SHA256SUMS".into()));
    }
    run.state.complete = true;
    run.state.write(&folder)?;
    run.progress.phase = "done".into();
    run.progress.left_ms = Some(0);
    run.tell();
    let sample_rows = run
        .state
        .parts
        .iter()
        .filter(|(k, _)| k.starts_with("tag "))
        .map(|(_, p)| p.rows)
        .sum();
    Ok(Outcome {
        folder: folder.display().to_string(),
        files: files.len() + 1,
        bytes: files.iter().map(|f| f.bytes).sum::<u64>() + sums_done.bytes,
        sample_rows,
        parts: parts.len(),
        parts_resumed: resumed,
        until_ms: run.state.until_ms,
        sums_sha256: sums_done.sha256,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;
    use crate::store::codec::f32_to_f64;

    /// The files a tag's samples make through `push` (decoded samples) and through
    /// `push_blocks` (the blocks' columns) for the same windows, by name.
    fn both_ways(blocks: &[Vec<Sample>], windows: &[(i64, i64)]) -> [Vec<(String, Vec<u8>)>; 2] {
        let encoded: Vec<blocks::Block> = blocks
            .iter()
            .map(|s| blocks::Block {
                fresh: false,
                id: 0,
                t0: s[0].ts,
                span: 0,
                n: s.len() as i64,
                data: codec::encode(s),
            })
            .collect();
        let cols = block_columns(9, &encoded);
        let mut out = [Vec::new(), Vec::new()];
        for (k, out) in out.iter_mut().enumerate() {
            let dir = tempfile::tempdir().unwrap();
            let mut p = TagParquet::new(9, parquet::ZSTD_LEVEL);
            for &(from, to) in windows {
                if k == 0 {
                    let samples = blocks::decode(9, &encoded, from, to);
                    p.push(dir.path(), &samples).unwrap();
                } else {
                    p.push_blocks(dir.path(), &cols, from, to).unwrap();
                }
            }
            for f in p.finish(dir.path()).unwrap() {
                let bytes = std::fs::read(dir.path().join(&f.name)).unwrap();
                out.push((f.name, bytes));
            }
        }
        out
    }

    fn block(t0: i64, n: i64, f: impl Fn(i64) -> Sample) -> Vec<Sample> {
        (0..n).map(|i| f(t0 + i * 1000)).collect()
    }

    #[test]
    fn the_blocks_columns_make_the_same_files_as_their_decoded_samples() {
        let reading = |t: i64| f32_to_f64(20.0 + ((t / 1000) as f32 * 0.37).sin() * 3.3);
        let day = [(0, 200_000), (200_000, 400_000), (400_000, 600_000)];
        // A float32 tag: float32 blocks (one with bad samples), a block of doubles
        // among them (2.45703125 is a single, but not its shortest decimal), decimals
        // (a few past what a single holds), and texts.
        let float_tag = vec![
            block(0, 150, |t| Sample::good(9, t, reading(t))),
            block(150_000, 100, |t| {
                if t % 7000 == 0 {
                    Sample::bad(9, t, Quality::NoAnswer)
                } else if t % 11_000 == 0 {
                    // Halfway between two shortest decimals: a DOUBLE row.
                    Sample::good(9, t, f32_to_f64(2.550_781_3))
                } else {
                    Sample::good(9, t, reading(t))
                }
            }),
            block(250_000, 50, |t| {
                Sample::good(
                    9,
                    t,
                    if t % 3000 == 0 {
                        2.457_031_25
                    } else {
                        reading(t)
                    },
                )
            }),
            block(300_000, 100, |t| {
                Sample::good(9, t, (t / 1000) as f64 / 10.0)
            }),
            block(400_000, 50, |t| {
                Sample::good(9, t, (16_777_000 + t / 100) as f64)
            }),
            block(450_000, 20, |t| Sample::good_text(9, t, "lot 7")),
        ];
        let [a, b] = both_ways(&float_tag, &day);
        assert_eq!(a.len(), 2, "a FLOAT and a DOUBLE file");
        assert_eq!(a, b);
        // A tag of doubles, with float32 blocks in it, cut at a window's edge in a block.
        let double_tag = vec![
            block(0, 300, |t| Sample::good(9, t, (t as f64).sqrt())),
            block(300_000, 200, |t| Sample::good(9, t, reading(t))),
        ];
        let [a, b] = both_ways(&double_tag, &[(0, 350_000), (350_000, 500_000)]);
        assert_eq!(a.len(), 1, "a DOUBLE file");
        assert_eq!(a, b);
    }
}
