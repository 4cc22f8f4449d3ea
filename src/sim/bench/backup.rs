//! `plantlog bench backup`: a full backup of a large database while 1000 tags at 1 Hz
//! are written, beside `cp` of the same file in the same run; the writer's commit times
//! during the backup; then an hour of simulated writes (the same tags, compacted as the
//! compactor would) and the incremental backup after it: its time and size; beside it
//! in the same run the alternative, a full compressed copy each hour, as ratios; and
//! what encryption adds.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::backup::{self, Quiet};
use crate::sample::{Sample, now_ms};
use crate::store::{self, Db, Durability, Writer};

pub struct Options {
    /// Size of the generated database in MB (ignored with `db`).
    pub mb: u64,
    /// An existing database to back up (copied into `dir` first; never changed).
    pub db: Option<PathBuf>,
    pub tags: usize,
    pub dir: PathBuf,
}

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn mb(b: u64) -> String {
    format!("{:.1} MB", b as f64 / 1e6)
}

/// A database of about `mb` MB: an hour of 1 Hz history of `tags` tags, compacted into
/// blocks, and incompressible filler pages standing for older blocks.
fn generate(path: &Path, mb: u64, tags: usize, start: i64) -> Res<()> {
    let db = Db::open(path)?;
    db.sql(|c| {
        for s in 0..3600i64 {
            let batch: Vec<Sample> = (0..tags as i64)
                .map(|t| Sample::good(t + 1, start + s * 1000, ((s + t) % 500) as f64 * 0.1))
                .collect();
            if s % 600 == 0 {
                c.execute_batch("BEGIN")?;
            }
            store::raw::insert(c, &batch)?;
            if s % 600 == 599 {
                c.execute_batch("COMMIT")?;
            }
        }
        store::compact::compact(c, start + 2 * 3_600_000, Duration::from_secs(3600))?;
        c.execute_batch("CREATE TABLE IF NOT EXISTS bench_filler (b BLOB)")?;
        // The size of the database itself, not of its WAL: the pages in use.
        let used: i64 = c.query_row(
            "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count, pragma_freelist_count, pragma_page_size",
            [],
            |r| r.get(0),
        )?;
        let have = used.max(0) as u64 / 1_000_000;
        let rows = mb.saturating_sub(have) * 1_000_000 / 60_000;
        c.execute_batch("BEGIN")?;
        for _ in 0..rows {
            c.execute("INSERT INTO bench_filler VALUES (randomblob(60000))", [])?;
        }
        c.execute_batch("COMMIT")?;
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        Ok(())
    })?;
    Ok(())
}

/// `cp` of the file and an fsync of the copy (what a backup also does); seconds.
fn cp(from: &Path, to: &Path) -> Res<f64> {
    let t = Instant::now();
    #[cfg(unix)]
    {
        let s = std::process::Command::new("cp")
            .arg(from)
            .arg(to)
            .status()?;
        if !s.success() {
            return Err("cp failed".into());
        }
    }
    #[cfg(not(unix))]
    std::fs::copy(from, to)?;
    std::fs::File::open(to)?.sync_all()?;
    let secs = t.elapsed().as_secs_f64();
    std::fs::remove_file(to)?;
    Ok(secs)
}

pub fn run(o: &Options, out: &mut impl Write) -> Res<()> {
    let data = o.dir.join("data");
    let target = o.dir.join("target");
    std::fs::create_dir_all(&data)?;
    std::fs::create_dir_all(&target)?;
    let db_path = data.join(backup::manifest::DATABASE);
    let start = now_ms() - 3 * 3_600_000;
    match &o.db {
        Some(src) => {
            writeln!(out, "Copying {} into {} …", src.display(), data.display())?;
            std::fs::copy(src, &db_path)?;
            drop(Db::open(&db_path)?);
        }
        None => {
            writeln!(out, "Generating a database of about {} MB …", o.mb)?;
            generate(&db_path, o.mb, o.tags, start)?;
        }
    }
    let size = store::database_bytes(&db_path);
    writeln!(
        out,
        "Database: {} ({} tags written at 1 Hz during the backup)",
        mb(size),
        o.tags
    )?;

    // 1. cp, the full backup while the writer commits, cp again.
    let cp1 = cp(&db_path, &o.dir.join("cp-copy.db"))?;
    let writer = Writer::start(&db_path)?;
    let handle = writer.handle();
    let stop = Arc::new(AtomicBool::new(false));
    let feeder = {
        let (stop, handle, tags) = (stop.clone(), handle.clone(), o.tags as i64);
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let t = now_ms();
                handle.record(
                    (1..=tags)
                        .map(|id| Sample::good(id, t, (t % 1000) as f64))
                        .collect(),
                );
                std::thread::sleep(Duration::from_secs(1));
            }
        })
    };
    std::thread::sleep(Duration::from_secs(2));
    // The writer commits once a second: one backup of a few seconds sees a handful of
    // commits, too few for a 99th percentile. The full backup is made again (each
    // removed after it) until at least 100 commits were made during backups.
    let mut during_ms: Vec<f64> = Vec::new();
    let mut runs = 0;
    let (full, full_s) = loop {
        let before = handle.status().commits;
        let t = Instant::now();
        let full = backup::make(&data, &target, &Quiet)?;
        let full_s = t.elapsed().as_secs_f64();
        let status = handle.status();
        let n = (status.commits - before) as usize;
        let all: Vec<f64> = status.recent_commit_ms().collect();
        during_ms.extend(&all[all.len().saturating_sub(n)..]);
        runs += 1;
        if during_ms.len() >= 100 || runs >= 30 {
            break (full, full_s);
        }
        std::fs::remove_dir_all(&full.dir)?;
    };
    during_ms.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        during_ms
            .get(((during_ms.len().max(1) - 1) as f64 * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    stop.store(true, Ordering::SeqCst);
    feeder.join().ok();
    writer.stop();
    let cp2 = cp(&db_path, &o.dir.join("cp-copy.db"))?;
    let copy_s = full.manifest.copy_ms as f64 / 1000.0;
    let cp_best = cp1.min(cp2);
    writeln!(
        out,
        "\n1. Full backup of {} while {} tags at 1 Hz are written",
        mb(size),
        o.tags
    )?;
    writeln!(
        out,
        "   cp + fsync of the file: {cp1:.2} s before, {cp2:.2} s after the backup"
    )?;
    writeln!(
        out,
        "   backup copy (online backup API, one read transaction): {copy_s:.2} s = {:.2}x the speed of cp (target: at least 0.5x: {})",
        cp_best / copy_s.max(1e-9),
        if cp_best / copy_s.max(1e-9) >= 0.5 {
            "met"
        } else {
            "NOT met"
        }
    )?;
    writeln!(
        out,
        "   whole backup (copy, page hashes, SHA-256, verification: integrity_check, facts, files read back): {full_s:.2} s = {:.2}x the speed of cp",
        cp_best / full_s.max(1e-9)
    )?;
    writeln!(
        out,
        "   writer commits during {runs} full backups: {} commits, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (target: p99 under 50 ms: {})",
        during_ms.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0),
        if pct(0.99) < 50.0 { "met" } else { "NOT met" }
    )?;

    // 2. An hour of writes (simulated time), compacted as the compactor would, then the
    // incremental backup.
    let t = Instant::now();
    let writer = Writer::start(&db_path)?;
    let h = writer.handle();
    let hour0 = now_ms();
    for s in 0..3600i64 {
        let ts = hour0 + s * 1000;
        h.store(
            (1..=o.tags as i64)
                .map(|id| Sample::good(id, ts, ((s + id) % 700) as f64 * 0.1))
                .collect(),
        );
    }
    h.flush();
    writer.stop();
    {
        let mut c = store::open(&db_path, Durability::Normal)?;
        store::compact::compact(
            &mut c,
            hour0 + 3_600_000 + store::compact::GRACE_MS + 60_000,
            Duration::from_secs(3600),
        )?;
    }
    let write_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let listed = backup::manifest::list(&target.join(backup::FOLDER))?;
    let parent = backup::incremental::choose(&listed, now_ms()).ok_or("no backup to build on")?;
    let inc = backup::incremental::make(&data, &target, &parent, &Quiet)?;
    let inc_s = t.elapsed().as_secs_f64();
    let chain = inc.manifest.chain.clone().unwrap_or_else(|| unreachable!());
    let (inc_b, full_b) = (inc.manifest.bytes(), full.manifest.bytes());
    writeln!(
        out,
        "\n2. An hour later: {} samples written and compacted ({write_s:.1} s)",
        3600 * o.tags
    )?;
    writeln!(
        out,
        "   incremental backup: {inc_s:.2} s, {} ({} of {} pages changed, compressed) = {:.2} % of the full backup's {} (target: under 5 %)",
        mb(inc_b),
        chain.stored_pages,
        chain.pages,
        inc_b as f64 * 100.0 / full_b.max(1) as f64,
        mb(full_b)
    )?;
    let t = Instant::now();
    let (_, v) = backup::verify::verify(&inc.dir)?;
    writeln!(
        out,
        "   verifying it from the chain (the database rebuilt, SHA-256, integrity, facts): {:.2} s, {}",
        t.elapsed().as_secs_f64(),
        if v.passed { "passed" } else { "FAILED" }
    )?;

    // 3. The alternative on the same database at the same moment: a whole copy each
    // hour, compressed (the online backup API into a stage, then zstd as the
    // incremental's pages are), side by side.
    let t = Instant::now();
    let alt = target.join("hourly-full.db.zst");
    let alt_b = full_compressed(&db_path, &data.join("bench-alt-stage.db"), &alt)?;
    let alt_s = t.elapsed().as_secs_f64();
    std::fs::remove_file(&alt)?;
    writeln!(
        out,
        "\n3. The alternative, in the same run on the same database: a full compressed copy each hour (online backup API, zstd level 3)"
    )?;
    writeln!(
        out,
        "   full compressed copy: {alt_s:.2} s, {} = {:.1} % of the uncompressed full backup",
        mb(alt_b),
        alt_b as f64 * 100.0 / full_b.max(1) as f64
    )?;
    writeln!(
        out,
        "   incremental against it: size {:.4}x ({} against {}), time {:.2}x ({inc_s:.2} s against {alt_s:.2} s); over a day of 24 hourly backups: {} against {}",
        inc_b as f64 / alt_b.max(1) as f64,
        mb(inc_b),
        mb(alt_b),
        inc_s / alt_s.max(1e-9),
        mb(24 * inc_b),
        mb(24 * alt_b)
    )?;

    // 4. What encryption adds: the full backup's database encrypted with age (X25519,
    // ChaCha20-Poly1305), as an encrypted backup writes it, against cp.
    let (key, _) = backup::crypt::generate();
    let t = Instant::now();
    let sealed = o.dir.join("sealed.db.age");
    backup::crypt::encrypt_file(
        &full.dir.join(backup::manifest::DATABASE),
        &sealed,
        &key.to_public(),
    )?;
    let enc_s = t.elapsed().as_secs_f64();
    std::fs::remove_file(&sealed)?;
    writeln!(
        out,
        "\n4. Encryption (age) of the full backup's {} database: {enc_s:.2} s = {:.2}x the time of cp",
        mb(full_b),
        enc_s / cp_best.max(1e-9)
    )?;
    Ok(())
}

/// A whole copy of the database (online backup API into `stage`), zstd-compressed into
/// `to` and synced; its size.
fn full_compressed(db: &Path, stage: &Path, to: &Path) -> Res<u64> {
    {
        let src = store::open(db, Durability::Normal)?;
        src.backup(rusqlite::MAIN_DB, stage, None)?;
    }
    let mut input = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(stage)?);
    let mut z = zstd::Encoder::new(std::fs::File::create(to)?, 3)?;
    std::io::copy(&mut input, &mut z)?;
    let f = z.finish()?;
    f.sync_all()?;
    std::fs::remove_file(stage)?;
    Ok(std::fs::metadata(to)?.len())
}
