//! `plantlog bench export --db FILE`: the full export (src/takeout) of a copy of a
//! database, beside `cp` of the same file in the same run: with Parquet (its time and
//! size against the targets), interrupted at half its rows and continued
//! (against the uninterrupted one), and with CSV (its time and size). The year demo's database (`plantlog demo --history-days 365`) is
//! the case; any demo database works.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};

use plantlog::store::Db;
use plantlog::takeout::{self, Formats, Options};

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

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

/// zstd's level for the Parquet pages: PLANTLOG_BENCH_ZSTD_LEVEL, to compare levels on
/// the same database, else the export's own.
fn zstd_level() -> i32 {
    std::env::var("PLANTLOG_BENCH_ZSTD_LEVEL")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(takeout::parquet::ZSTD_LEVEL)
}

/// One export of `db` into `to` in `formats`, cancelled once `stop_at` of the rows are
/// done (when given); its time in seconds and its outcome.
fn timed(
    db: &Db,
    to: &Path,
    formats: Formats,
    stop_at: Option<f64>,
) -> (f64, Result<takeout::Outcome, takeout::TakeoutError>) {
    let cancel = AtomicBool::new(false);
    let opts = Options {
        formats,
        zstd_level: zstd_level(),
        ..Options::new(to)
    };
    let t = Instant::now();
    let out = takeout::export(
        db,
        &opts,
        &mut |p| {
            if let Some(f) = stop_at
                && p.rows_total > 0
                && p.rows_done as f64 >= f * p.rows_total as f64
            {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    (t.elapsed().as_secs_f64(), out)
}

pub fn run(db_file: PathBuf, with_csv: bool) -> Result<()> {
    let work = tempfile::tempdir_in(db_file.parent().unwrap_or(Path::new(".")))
        .context("cannot make a working folder beside the database")?;
    let db_bytes = std::fs::metadata(&db_file)
        .with_context(|| format!("cannot read {}", db_file.display()))?
        .len();
    // cp: the baseline, and the copy that is exported.
    let copy = work.path().join("plantlog.db");
    let cp_s = super::bench::time_cp(&db_file, &copy)?;
    let t = Instant::now();
    std::fs::File::open(&copy)?.sync_all()?;
    let cp_sync_s = t.elapsed().as_secs_f64();
    let db = Db::open(&copy)?;
    println!(
        "database {} ({:.1} MB)\ncp of the database file         {cp_s:8.2} s  {:8.1} MB/s (flushed to disk in {cp_sync_s:.2} s more)",
        db_file.display(),
        mb(db_bytes),
        mb(db_bytes) / cp_s,
    );

    // Parquet (samples and rollups; the tables as CSV), every file flushed and read back.
    let parquet_only = Formats {
        parquet: true,
        csv: false,
    };
    let full = work.path().join("parquet");
    takeout::stages::reset();
    let (full_s, out) = timed(&db, &full, parquet_only, None);
    let stages = takeout::stages::seconds();
    let out = out?;
    let parquet = size_of(&full, "parquet");
    let speed = cp_s / full_s;
    println!(
        "Parquet export (zstd {})        {full_s:8.2} s  {:8.1} MB/s of database, {} samples; {speed:.2}x the speed of cp (target at least 0.25x: {}), {:.2}x with cp flushed too",
        zstd_level(),
        mb(db_bytes) / full_s,
        out.sample_rows,
        verdict(speed >= 0.25),
        (cp_s + cp_sync_s) / full_s,
    );
    println!(
        "  Parquet files {:.1} MB = {:.2}x the database (target smaller: {}); samples {:.1} MB ({:.2} bytes a sample; FLOAT {:.1} MB, DOUBLE {:.1} MB), rollups {:.1} MB; the whole export {:.1} MB in {} files",
        mb(parquet),
        parquet as f64 / db_bytes as f64,
        verdict(parquet < db_bytes),
        mb(size_of(&full.join("samples"), "parquet")),
        size_of(&full.join("samples"), "parquet") as f64 / out.sample_rows.max(1) as f64,
        mb(size_of(&full.join("samples/parquet/float"), "parquet")),
        mb(size_of(&full.join("samples/parquet/double"), "parquet")),
        mb(size_of(&full.join("rollups"), "parquet")),
        mb(out.bytes),
        out.files
    );
    // Where the time went: each stage's time summed over the threads.
    let of = |s: takeout::stages::Stage| stages.iter().find(|x| x.0 == s).map_or(0.0, |x| x.1);
    use takeout::stages::Stage;
    let staged: f64 = stages
        .iter()
        .filter(|x| x.0 != Stage::Write)
        .map(|x| x.1)
        .sum();
    let mut line = format!("  time per stage, summed over the threads (of {full_s:.2} s):");
    for (s, secs) in &stages {
        line.push_str(&format!(" {} {secs:.2} s;", s.name()));
    }
    line.push_str(&format!(
        " so Parquet encoding and zstd alone {:.2} s; all stages {staged:.2} s",
        of(Stage::Parquet) - of(Stage::Write)
    ));
    println!("{line}");
    std::fs::remove_dir_all(&full)?;

    // Interrupted at half the rows, then continued.
    let half = work.path().join("half");
    let (first_s, first) = timed(&db, &half, parquet_only, Some(0.5));
    anyhow::ensure!(first.is_err(), "the export ended before half way");
    let (resume_s, resumed) = timed(&db, &half, parquet_only, None);
    let resumed = resumed?;
    let share = resume_s / full_s;
    println!(
        "Parquet export interrupted at half the rows after {first_s:.2} s; continuing took {resume_s:.2} s = {:.0} % of a full run (target about half, 35 to 65 %: {}), {} of {} parts kept",
        100.0 * share,
        verdict((0.35..=0.65).contains(&share)),
        resumed.parts_resumed,
        resumed.parts
    );
    std::fs::remove_dir_all(&half)?;

    if with_csv {
        let csv_dir = work.path().join("csv");
        let (csv_s, out) = timed(
            &db,
            &csv_dir,
            Formats {
                parquet: false,
                csv: true,
            },
            None,
        );
        let out = out?;
        let csv = size_of(&csv_dir, "csv");
        println!(
            "CSV export                     {csv_s:8.2} s  {:8.1} MB/s of database; {:.2}x the speed of cp; CSV {:.1} MB = {:.1}x the database, {:.1} MB/s written, in {} files",
            mb(db_bytes) / csv_s,
            cp_s / csv_s,
            mb(csv),
            csv as f64 / db_bytes as f64,
            mb(csv) / csv_s,
            out.files
        );
        std::fs::remove_dir_all(&csv_dir)?;
    }
    Ok(())
}
