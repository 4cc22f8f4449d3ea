//! `plantlog bench export --db FILE`: the full export (src/takeout) of a copy of a
//! database, beside `cp` of the same file in the same run; the output's sizes (Parquet,
//! CSV, all); and an export interrupted at half its rows, then continued, against the
//! uninterrupted one. The year demo's database (`plantlog demo --history-days 365`) is
//! the case; any demo database works.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};

use plantlog::store::Db;
use plantlog::takeout::{self, Options};

fn size_of(dir: &Path, ext: &str) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                size_of(&p, ext)
            } else if ext.is_empty() || p.extension().is_some_and(|x| x == ext) {
                e.metadata().map(|m| m.len()).unwrap_or(0)
            } else {
                0
            }
        })
        .sum()
}

fn mb(b: u64) -> f64 {
    b as f64 / 1e6
}

pub fn run(db_file: PathBuf) -> Result<()> {
    let work = tempfile::tempdir_in(db_file.parent().unwrap_or(Path::new(".")))
        .context("cannot make a working folder beside the database")?;
    let db_bytes = std::fs::metadata(&db_file)
        .with_context(|| format!("cannot read {}", db_file.display()))?
        .len();
    // cp: the baseline (the WAL is checkpointed into the file by opening it first).
    let copy = work.path().join("plantlog.db");
    let t = Instant::now();
    std::fs::copy(&db_file, &copy)?;
    let cp_s = t.elapsed().as_secs_f64();
    let db = Db::open(&copy)?;

    let full = work.path().join("full");
    let t = Instant::now();
    let out = takeout::export(
        &db,
        &Options::new(&full),
        &mut |_| {},
        &AtomicBool::new(false),
    )?;
    let full_s = t.elapsed().as_secs_f64();
    let parquet = size_of(&full, "parquet");
    let csv = size_of(&full, "csv");

    // Interrupted at half the rows, then continued.
    let half = work.path().join("half");
    let cancel = AtomicBool::new(false);
    let t = Instant::now();
    let first = takeout::export(
        &db,
        &Options::new(&half),
        &mut |p| {
            if p.rows_total > 0 && p.rows_done * 2 >= p.rows_total {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    let first_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(first.is_err(), "the export ended before half way");
    let t = Instant::now();
    let resumed = takeout::export(
        &db,
        &Options::new(&half),
        &mut |_| {},
        &AtomicBool::new(false),
    )?;
    let resume_s = t.elapsed().as_secs_f64();

    println!(
        "database {} ({:.1} MB, {} samples exported)",
        db_file.display(),
        mb(db_bytes),
        out.sample_rows
    );
    println!(
        "cp of the database file      {cp_s:8.2} s  {:8.1} MB/s",
        mb(db_bytes) / cp_s
    );
    println!(
        "full export (Parquet + CSV)  {full_s:8.2} s  {:8.1} MB/s of database  ({:.2}x the speed of cp)",
        mb(db_bytes) / full_s,
        cp_s / full_s
    );
    println!(
        "  Parquet {:.1} MB ({:.2}x the database), CSV {:.1} MB, all {:.1} MB in {} files",
        mb(parquet),
        parquet as f64 / db_bytes as f64,
        mb(csv),
        mb(out.bytes),
        out.files
    );
    println!(
        "interrupted at half the rows after {first_s:.2} s; continuing took {resume_s:.2} s ({:.0} % of a full run, {} of {} parts kept)",
        100.0 * resume_s / full_s,
        resumed.parts_resumed,
        resumed.parts
    );
    Ok(())
}
