//! Writing a set of files to a drive so that what arrives can be trusted. Two steps,
//! planned then done: [`Stage`] gathers the files on the PC's own disk first (CSV split
//! between records under the FAT32 limit, each with its SHA-256 and size), so every
//! check happens before the drive is touched; [`write`] then checks the free space,
//! writes into "FOLDER.partial" (each file under "NAME.part", flushed to the device,
//! then renamed), adds MANIFEST.txt and SHA256SUMS, reads every file back against its
//! checksum, and only then renames the folder to its name. A drive pulled mid-write
//! leaves a ".partial" folder and no file under its final name in it.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The largest file FAT32 holds: 4 GiB less one byte.
pub const FAT32_MAX: u64 = 4 * 1024 * 1024 * 1024 - 1;
const CHUNK: usize = 1 << 20;

/// A file ready to be written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StagedFile {
    pub name: String,
    /// What it holds, for MANIFEST.txt.
    pub what: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub size: u64,
    pub sha256: String,
}

/// Files gathered on the PC's disk before anything is written to the drive.
pub struct Stage {
    dir: tempfile::TempDir,
    files: Vec<StagedFile>,
    /// Largest file: CSVs are split into parts under it.
    split: u64,
    /// The language of MANIFEST.txt's own words (the file list's heading, "part 2 of
    /// 3"): the export's.
    lang: crate::i18n::Lang,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot prepare the export on this PC: {0}")]
    Stage(#[source] io::Error),
    #[error(
        "the drive has {free} bytes free and the export needs {need}; free space on it or choose fewer items"
    )]
    NotEnoughSpace { need: u64, free: u64 },
    #[error("{name} is {size} bytes, more than the drive's filesystem holds in one file ({max})")]
    TooLarge { name: String, size: u64, max: u64 },
    #[error("{0} is not a folder that can be written to")]
    BadTarget(String),
    #[error(
        "writing {file} failed ({source}); the drive may have been removed. The folder {partial} is incomplete: it has no SHA256SUMS, and {file} is not there under its name"
    )]
    Write {
        file: String,
        partial: String,
        #[source]
        source: io::Error,
    },
    #[error("{0} read back from the drive differs from what was written; the drive may be failing")]
    Mismatch(String),
    #[error("the export was cancelled; what it had written to the drive was removed")]
    Cancelled,
    #[error(
        "the export was cancelled; the folder {0} on the drive is incomplete (it has no SHA256SUMS) and could not be removed ({1}); delete it"
    )]
    CancelledLeft(String, io::Error),
}

/// Copies `r` to `w`, returning the SHA-256 of what went through and its size.
fn copy_hashing(r: &mut impl Read, w: &mut impl Write) -> io::Result<(String, u64)> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut n = 0u64;
    loop {
        let k = r.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        w.write_all(&buf[..k])?;
        n += k as u64;
    }
    Ok((hex::encode(h.finalize()), n))
}

/// Appends one CSV record to `buf`: up to and including a line break that is outside
/// double quotes (or to the end of the file). A quoted cell's quotes come in pairs
/// (its own quotes are doubled), so a line break ends the record when the record's
/// quotes so far are even. Returns the bytes read (0 at the end).
fn read_record(r: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<usize> {
    let start = buf.len();
    let mut quotes = 0usize;
    loop {
        let from = buf.len();
        if r.read_until(b'\n', buf)? == 0 {
            break;
        }
        quotes += buf[from..].iter().filter(|c| **c == b'"').count();
        if quotes.is_multiple_of(2) {
            break;
        }
    }
    Ok(buf.len() - start)
}

fn sha_of(p: &Path) -> io::Result<(String, u64)> {
    copy_hashing(&mut File::open(p)?, &mut io::sink())
}

impl Stage {
    /// A stage in a new temporary folder under `tmp` (on the PC's disk).
    pub fn new(tmp: &Path, split: u64) -> Result<Stage, WriteError> {
        std::fs::create_dir_all(tmp).map_err(WriteError::Stage)?;
        Ok(Stage {
            dir: tempfile::tempdir_in(tmp).map_err(WriteError::Stage)?,
            files: Vec::new(),
            split: split.clamp(1024, FAT32_MAX),
            lang: crate::i18n::Lang::En,
        })
    }

    /// MANIFEST.txt says its own words in `lang`.
    pub fn speak(&mut self, lang: crate::i18n::Lang) {
        self.lang = lang;
    }

    pub fn files(&self) -> &[StagedFile] {
        &self.files
    }

    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A file as it is.
    pub fn add(&mut self, name: &str, what: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let p = self.path(name);
        std::fs::write(&p, bytes).map_err(WriteError::Stage)?;
        let (sha256, size) = sha_of(&p).map_err(WriteError::Stage)?;
        if size > self.split {
            return Err(WriteError::TooLarge {
                name: name.into(),
                size,
                max: self.split,
            });
        }
        self.files.push(StagedFile {
            name: name.into(),
            what: what.into(),
            size,
            sha256,
        });
        Ok(())
    }

    /// A CSV with a header line, split between records into parts of at most the split
    /// size ("NAME.csv", or "NAME-part1.csv", "NAME-part2.csv", ... each with the
    /// header), written by `fill`. A quoted cell holding a line break (a text sample,
    /// an audit entry's note) stays whole: a part ends only at a line break outside
    /// quotes.
    pub fn add_csv(
        &mut self,
        name: &str,
        what: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), WriteError> {
        let whole = self.path(&format!("{name}.whole"));
        {
            let mut f = io::BufWriter::new(File::create(&whole).map_err(WriteError::Stage)?);
            fill(&mut f).map_err(WriteError::Stage)?;
            f.flush().map_err(WriteError::Stage)?;
        }
        let mut r = BufReader::new(File::open(&whole).map_err(WriteError::Stage)?);
        let mut header = Vec::new();
        read_record(&mut r, &mut header).map_err(WriteError::Stage)?;
        let mut parts: Vec<PathBuf> = Vec::new();
        let mut out: Option<(io::BufWriter<File>, u64)> = None;
        let mut line = Vec::new();
        loop {
            line.clear();
            let k = read_record(&mut r, &mut line).map_err(WriteError::Stage)?;
            if k == 0 && !parts.is_empty() {
                break;
            }
            let need = (header.len() + line.len()) as u64;
            if need > self.split {
                return Err(WriteError::TooLarge {
                    name: format!("a record of {name}.csv"),
                    size: need,
                    max: self.split,
                });
            }
            let full = out
                .as_ref()
                .is_some_and(|(_, n)| n + line.len() as u64 > self.split);
            if out.is_none() || full {
                if let Some((mut w, _)) = out.take() {
                    w.flush().map_err(WriteError::Stage)?;
                }
                let p = self.path(&format!("{name}-part{}.csv", parts.len() + 1));
                let mut w = io::BufWriter::new(File::create(&p).map_err(WriteError::Stage)?);
                w.write_all(&header).map_err(WriteError::Stage)?;
                parts.push(p);
                out = Some((w, header.len() as u64));
            }
            if k == 0 {
                break;
            }
            let (w, n) = out.as_mut().expect("a part is open");
            w.write_all(&line).map_err(WriteError::Stage)?;
            *n += line.len() as u64;
        }
        if let Some((mut w, _)) = out.take() {
            w.flush().map_err(WriteError::Stage)?;
        }
        std::fs::remove_file(&whole).map_err(WriteError::Stage)?;
        let single = parts.len() == 1;
        for (i, p) in parts.iter().enumerate() {
            let file = if single {
                let plain = format!("{name}.csv");
                std::fs::rename(p, self.path(&plain)).map_err(WriteError::Stage)?;
                plain
            } else {
                format!("{name}-part{}.csv", i + 1)
            };
            let (sha256, size) = sha_of(&self.path(&file)).map_err(WriteError::Stage)?;
            self.files.push(StagedFile {
                name: file,
                what: if single {
                    what.to_string()
                } else {
                    crate::tr!(
                        self.lang,
                        "report-manifest-part",
                        what = what,
                        part = i + 1,
                        parts = parts.len()
                    )
                },
                size,
                sha256,
            });
        }
        Ok(())
    }
}

/// Where a write stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Progress {
    /// "writing", "verifying", "done".
    pub phase: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes_done: u64,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes_total: u64,
    pub files_done: usize,
    pub files_total: usize,
    #[cfg_attr(test, ts(type = "number"))]
    pub elapsed_ms: u64,
    /// From the speed so far; null until some bytes are written.
    #[cfg_attr(test, ts(type = "number | null"))]
    pub left_ms: Option<u64>,
}

/// What was written and verified.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Written {
    /// The folder on the drive.
    pub folder: String,
    pub files: Vec<StagedFile>,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes: u64,
    /// The SHA-256 of SHA256SUMS: one checksum for the whole export.
    pub sums_sha256: String,
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

/// Writes `src` to `dir/name` under "name.part", flushed, then renamed.
fn put(
    src: &mut dyn Read,
    dir: &Path,
    name: &str,
    tick: &mut dyn FnMut(u64) -> bool,
) -> io::Result<bool> {
    let tmp = dir.join(format!("{name}.part"));
    let mut f = File::create(&tmp)?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let k = src.read(&mut buf)?;
        if k == 0 {
            break;
        }
        f.write_all(&buf[..k])?;
        if !tick(k as u64) {
            drop(f);
            let _ = std::fs::remove_file(&tmp);
            return Ok(false);
        }
    }
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, dir.join(name))?;
    sync_dir(dir)?;
    Ok(true)
}

/// A folder name not yet taken under `dest`: "NAME", "NAME (2)", ...
fn free_name(dest: &Path, name: &str) -> String {
    let mut n = name.to_string();
    let mut i = 2;
    while dest.join(&n).exists() {
        n = format!("{name} ({i})");
        i += 1;
    }
    n
}

/// A cancel during the write: the folder written so far is removed, so the drive holds
/// nothing of the export.
fn cancelled(partial: &Path, name: &str) -> WriteError {
    match std::fs::remove_dir_all(partial) {
        Ok(()) => WriteError::Cancelled,
        Err(e) => WriteError::CancelledLeft(name.to_string(), e),
    }
}

/// Room a file takes beyond its bytes (a cluster, rounded up), and for the folder.
const SLACK_PER_FILE: u64 = 64 * 1024;
const SLACK: u64 = 1024 * 1024;

/// Writes the staged files into a new folder `folder` under `dest` (see the module's
/// comment). `manifest_head` opens MANIFEST.txt (plant, who, when). `progress` is told
/// after each chunk; setting `cancel` stops at the next chunk.
pub fn write(
    stage: &Stage,
    dest: &Path,
    folder: &str,
    manifest_head: &str,
    max_file: u64,
    progress: &mut dyn FnMut(&Progress),
    cancel: &AtomicBool,
) -> Result<Written, WriteError> {
    if !dest.is_dir() {
        return Err(WriteError::BadTarget(dest.display().to_string()));
    }
    // Checks before the first byte.
    for f in &stage.files {
        if f.size > max_file {
            return Err(WriteError::TooLarge {
                name: f.name.clone(),
                size: f.size,
                max: max_file,
            });
        }
    }
    let mut manifest = String::from(manifest_head);
    if !manifest.ends_with('\n') {
        manifest.push('\n');
    }
    manifest.push('\n');
    manifest.push_str(&crate::tr!(stage.lang, "report-manifest-files"));
    manifest.push('\n');
    for f in &stage.files {
        manifest.push_str(&format!("{}\t{}\t{}\n", f.name, f.size, f.what));
    }
    let sums_len = stage.files.len() as u64 * 200 + 200;
    let total = stage.bytes() + manifest.len() as u64 + sums_len;
    let need = total + (stage.files.len() as u64 + 2) * SLACK_PER_FILE + SLACK;
    let io = |e| WriteError::Write {
        file: dest.display().to_string(),
        partial: String::new(),
        source: e,
    };
    let free = fs4::available_space(dest).map_err(io)?;
    // A filesystem of no size does not say (a FUSE driver such as fusefat): the write
    // then finds out, and a full drive fails with the error below and no complete file.
    let says = fs4::total_space(dest).map_err(io)? > 0;
    if says && free < need {
        return Err(WriteError::NotEnoughSpace { need, free });
    }

    let name = free_name(dest, folder);
    let partial_name = name.clone();
    let partial = dest.join(&name);
    let fail = |file: &str, e: io::Error| WriteError::Write {
        file: file.to_string(),
        partial: partial_name.clone(),
        source: e,
    };
    std::fs::create_dir(&partial).map_err(|e| fail(&partial_name, e))?;
    let started = Instant::now();
    let mut p = Progress {
        phase: "writing".into(),
        bytes_done: 0,
        bytes_total: stage.bytes(),
        files_done: 0,
        files_total: stage.files.len() + 2,
        elapsed_ms: 0,
        left_ms: None,
    };
    let report = |p: &mut Progress, progress: &mut dyn FnMut(&Progress)| {
        p.elapsed_ms = started.elapsed().as_millis() as u64;
        p.left_ms = (p.bytes_done > 0).then(|| {
            let rest = p.bytes_total.saturating_sub(p.bytes_done) as f64;
            (p.elapsed_ms as f64 * rest / p.bytes_done as f64) as u64
        });
        progress(p);
    };
    report(&mut p, progress);
    for f in &stage.files {
        let mut src = File::open(stage.path(&f.name)).map_err(WriteError::Stage)?;
        let done = {
            let mut tick = |k: u64| {
                p.bytes_done += k;
                report(&mut p, progress);
                !cancel.load(Ordering::Relaxed)
            };
            put(&mut src, &partial, &f.name, &mut tick).map_err(|e| fail(&f.name, e))?
        };
        if !done {
            return Err(cancelled(&partial, &partial_name));
        }
        p.files_done += 1;
    }
    let mut no_tick = |_| true;
    put(
        &mut manifest.as_bytes(),
        &partial,
        "MANIFEST.txt",
        &mut no_tick,
    )
    .map_err(|e| fail("MANIFEST.txt", e))?;
    let manifest_sha = hex::encode(Sha256::digest(manifest.as_bytes()));
    p.files_done += 1;

    // Every file read back from the drive against its checksum.
    p.phase = "verifying".into();
    report(&mut p, progress);
    let mut check: Vec<(String, String)> = stage
        .files
        .iter()
        .map(|f| (f.name.clone(), f.sha256.clone()))
        .collect();
    check.push(("MANIFEST.txt".into(), manifest_sha.clone()));
    for (n, want) in &check {
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled(&partial, &partial_name));
        }
        let (got, _) = sha_of(&partial.join(n)).map_err(|e| fail(n, e))?;
        if &got != want {
            return Err(WriteError::Mismatch(n.clone()));
        }
    }
    // Last, the checksums: their presence says the folder is complete.
    let mut sums = String::new();
    for (n, sha) in &check {
        sums.push_str(&format!("{sha}  {n}\n"));
    }
    put(&mut sums.as_bytes(), &partial, "SHA256SUMS", &mut no_tick)
        .map_err(|e| fail("SHA256SUMS", e))?;
    let sums_sha = hex::encode(Sha256::digest(sums.as_bytes()));
    let (got, _) = sha_of(&partial.join("SHA256SUMS")).map_err(|e| fail("SHA256SUMS", e))?;
    if got != sums_sha {
        return Err(WriteError::Mismatch("SHA256SUMS".into()));
    }
    p.files_done += 1;
    p.phase = "done".into();
    report(&mut p, progress);
    Ok(Written {
        folder: dest.join(&name).display().to_string(),
        files: stage.files.clone(),
        bytes: stage.bytes() + manifest.len() as u64 + sums.len() as u64,
        sums_sha256: sums_sha,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_is_split_between_records_never_inside_a_quoted_line_break() {
        let tmp = tempfile::tempdir().unwrap();
        let header = b"time,tag,value\n".to_vec();
        // Records of about 100 bytes, every third a text cell with line breaks (and a
        // doubled quote) placed so that a split at a plain line break would cut it.
        let mut records: Vec<Vec<u8>> = Vec::new();
        for i in 0..200 {
            let r = if i % 3 == 1 {
                format!(
                    "2026-03-02T06:{:02}:00Z,note,\"line one of {i}\nsaid \"\"stop\"\"\r\n{}\nend\"\n",
                    i % 60,
                    "x".repeat(i % 40)
                )
            } else {
                format!(
                    "2026-03-02T06:{:02}:00Z,count,{i}{}\n",
                    i % 60,
                    "0".repeat(i % 50)
                )
            };
            records.push(r.into_bytes());
        }
        let whole: Vec<u8> = header
            .iter()
            .copied()
            .chain(records.iter().flatten().copied())
            .collect();
        let mut stage = Stage::new(tmp.path(), 1024).unwrap();
        stage
            .add_csv("notes", "notes", |w| w.write_all(&whole))
            .unwrap();
        assert!(stage.files().len() > 10, "{:?}", stage.files().len());
        let mut joined = header.clone();
        let mut back = 0;
        for f in stage.files() {
            let part = std::fs::read(stage.path(&f.name)).unwrap();
            assert!(part.len() <= 1024, "{}", f.name);
            assert!(part.starts_with(&header));
            // Each part read alone is whole records with the same cells.
            let mut rd = csv::Reader::from_reader(&part[..]);
            for rec in rd.records() {
                let rec = rec.unwrap_or_else(|e| panic!("{}: {e}", f.name));
                assert_eq!(rec.len(), 3, "{}: {rec:?}", f.name);
                back += 1;
            }
            joined.extend_from_slice(&part[header.len()..]);
        }
        assert_eq!(back, records.len());
        assert!(joined == whole, "the parts put together are the file");
        // A record longer than a part is refused by name.
        let mut stage = Stage::new(tmp.path(), 1024).unwrap();
        let long = format!("a,b\n1,\"{}\n{}\"\n", "y".repeat(600), "z".repeat(600));
        let err = stage
            .add_csv("long", "notes", |w| w.write_all(long.as_bytes()))
            .unwrap_err();
        assert!(err.to_string().contains("a record of long.csv"), "{err}");
    }
}
