//! Section 4 of the historian benchmark: a database as the first release wrote it
//! (ten-minute blocks and minute rollups of format 1) converted by the compactor's
//! background job while the writer collects 1 Hz samples of every tag: how fast, how
//! much smaller, whether every sample reads the same afterwards, and the writer's commit
//! latency meanwhile, side by side with the same collecting without a conversion.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::{Options, Signal, checkpoint, file_bytes, for_each_hour, open_ours};
use crate::sample::{Sample, TagId, now_ms};
use crate::store::{Writer, WriterStatus, convert, raw};

/// Hours of the first-release database: long enough for the conversion to span some
/// tens of the writer's commits.
const HOURS: i64 = 12;

/// A fingerprint of every sample of `tag` in `[from, to)`: times, qualities, value bits.
fn fingerprint(c: &Connection, tag: TagId, from: i64, to: i64) -> rusqlite::Result<(usize, u64)> {
    let samples = raw::read(c, tag, from, to)?;
    let mut h = DefaultHasher::new();
    for s in &samples {
        (
            s.ts,
            s.quality.code(),
            s.value().map(f64::to_bits),
            s.text(),
        )
            .hash(&mut h);
    }
    Ok((samples.len(), h.finish()))
}

fn stored_bytes(c: &Connection) -> rusqlite::Result<(i64, i64)> {
    c.query_row(
        "SELECT (SELECT coalesce(sum(length(data)), 0) FROM blocks),
                (SELECT coalesce(sum(length(data)), 0) FROM rollup_1m)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Collects `tags` tags at 1 Hz into `path` while `during` runs; the writer's status.
fn collecting(
    path: &std::path::Path,
    tags: usize,
    during: impl FnOnce(),
) -> Result<WriterStatus, Box<dyn std::error::Error>> {
    let writer = Writer::start(path)?;
    let handle = writer.handle();
    let stop = Arc::new(AtomicBool::new(false));
    let feeder = {
        let (handle, stop) = (handle.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut sigs: Vec<Signal> = (1..=tags as TagId).map(Signal::new).collect();
            while !stop.load(Ordering::Relaxed) {
                let ts = now_ms();
                let batch = sigs
                    .iter_mut()
                    .enumerate()
                    .map(|(i, s)| Sample::good(i as TagId + 1, ts, s.step()))
                    .collect();
                handle.store(batch);
                std::thread::sleep(Duration::from_millis(1000));
            }
        })
    };
    during();
    stop.store(true, Ordering::Relaxed);
    let _ = feeder.join();
    handle.flush();
    let st = handle.status();
    drop(handle);
    writer.stop();
    Ok(st)
}

pub fn run(o: &Options, out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let hour = 3_600_000i64;
    let start = (now_ms() - 30 * 86_400_000).div_euclid(hour) * hour;
    let end = start + HOURS * hour;
    let path = o.dir.join("first-release.db");
    let mut c = open_ours(&path)?;
    let mut signals = Vec::new();
    let mut n = 0;
    for_each_hour(o.tags, start, HOURS * 3600, &mut signals, |batch| {
        n += batch.len();
        convert::write_first_release(&mut c, batch).expect("first-release blocks");
    });
    checkpoint(&c);
    writeln!(
        out,
        "\n4. Converting a first-release database ({n} samples: {} tags, {} h in ten-minute blocks of format 1) while the writer collects {} tags at 1 Hz",
        o.tags, HOURS, o.tags
    )?;
    let tags = 1..=o.tags as TagId;
    let before: Vec<(usize, u64)> = tags
        .clone()
        .map(|t| fingerprint(&c, t, start, end))
        .collect::<Result<_, _>>()?;
    let (blocks_before, minutes_before) = stored_bytes(&c)?;
    let file_before = file_bytes(&path);

    // The same collecting without a conversion, for comparison: as long as the conversion
    // takes, measured below, so first the conversion.
    let mut stats = convert::Stats::default();
    let mut took = Duration::ZERO;
    let during = collecting(&path, o.tags, || {
        let t0 = Instant::now();
        // Paced as the compactor runs it: five seconds' work, a second's pause.
        loop {
            let s = convert::convert(&mut c, now_ms(), Duration::from_secs(5)).expect("convert");
            stats.add(&s);
            if !s.more {
                break;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
        took = t0.elapsed();
    })?;
    let idle_secs = took.max(Duration::from_secs(5));
    let idle = collecting(&o.dir.join("first-release-idle.db"), o.tags, || {
        drop(open_ours(&o.dir.join("first-release-idle.db")));
        std::thread::sleep(idle_secs);
    })?;
    checkpoint(&c);
    let after: Vec<(usize, u64)> = tags
        .clone()
        .map(|t| fingerprint(&c, t, start, end))
        .collect::<Result<_, _>>()?;
    let differ = before.iter().zip(&after).filter(|(a, b)| a != b).count();
    let (blocks_after, minutes_after) = stored_bytes(&c)?;
    let old_left: i64 = c.query_row(
        "SELECT count(*) FROM blocks WHERE span < 3600000 AND t0 < ?1",
        [end],
        |r| r.get(0),
    )?;
    let per = |b: i64| b as f64 / n as f64;
    writeln!(
        out,
        "   converted {} tag-hours ({} blocks) in {:.1} s = {:.0} samples/s; blocks left in the old format: {old_left}",
        stats.hours,
        stats.blocks_in,
        took.as_secs_f64(),
        stats.samples as f64 / took.as_secs_f64()
    )?;
    writeln!(
        out,
        "   blocks {:.3} -> {:.3} B/sample, minute rollups {:.3} -> {:.3} B/sample (file {:.3} B/sample before; freed pages are reused)",
        per(blocks_before),
        per(blocks_after),
        per(minutes_before),
        per(minutes_after),
        file_before as f64 / n as f64
    )?;
    writeln!(
        out,
        "   every sample of every tag reads the same before and after: {}",
        if differ == 0 {
            "yes".to_string()
        } else {
            format!("NO, {differ} tags differ")
        }
    )?;
    let f = |v: Option<f64>| v.unwrap_or(f64::NAN);
    writeln!(
        out,
        "   writer commits during the conversion: {} commits, p50 {:.1} ms, p99 {:.1} ms; collecting alone: p50 {:.1} ms, p99 {:.1} ms",
        during.commits,
        f(during.commit_p50_ms),
        f(during.commit_p99_ms),
        f(idle.commit_p50_ms),
        f(idle.commit_p99_ms)
    )?;
    Ok(())
}
