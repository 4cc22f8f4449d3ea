//! Section 3 of the historian benchmark: collecting at 1 Hz with a commit each second,
//! against a plain row table keyed by tag: CPU, commit latency and bytes written to disk
//! per sample (rows, and the compaction of their windows into blocks).

use std::io::Write;
use std::time::{Duration, Instant};

use super::{Options, Signal, checkpoint, met, open_ours, open_plain, plain_insert};
use crate::sample::{Sample, TagId, now_ms};
use crate::sim::bench;
use crate::store::{Writer, compact, raw};

/// Runs the sustained test for `tags` tags as section `section`.
pub fn run(
    o: &Options,
    tags: usize,
    section: &str,
    out: &mut impl Write,
) -> Result<(), Box<dyn std::error::Error>> {
    writeln!(
        out,
        "\n{section}. Sustained: {} tags at 1 Hz, a commit each second, {} s each",
        tags, o.sustain_s
    )?;
    let sustained_path = o.dir.join(format!("sustained-{tags}.db"));
    drop(open_ours(&sustained_path)?);
    let writer = Writer::start(&sustained_path)?;
    let handle = writer.handle();
    let mut sigs: Vec<Signal> = (1..=tags as TagId).map(Signal::new).collect();
    fn measure(secs: u64, step: &mut dyn FnMut(i64)) -> (f64, Option<f64>) {
        let (c0, w0, t0) = (
            bench::process_cpu(),
            bench::process_written(),
            Instant::now(),
        );
        for k in 0..secs {
            let due = t0 + Duration::from_secs(k);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            step(now_ms());
        }
        std::thread::sleep(Duration::from_millis(1200));
        let wall = t0.elapsed().as_secs_f64();
        let cpu = match (c0, bench::process_cpu()) {
            (Some(a), Some(b)) => (b - a).as_secs_f64() / wall * 100.0,
            _ => f64::NAN,
        };
        let written = match (w0, bench::process_written()) {
            (Some(a), Some(b)) => Some((b - a) as f64),
            _ => None,
        };
        (cpu, written)
    }
    let samples_per_run = (tags as u64 * o.sustain_s) as f64;
    let (ours_cpu, ours_written) = measure(o.sustain_s, &mut |ts| {
        let batch: Vec<Sample> = sigs
            .iter_mut()
            .enumerate()
            .map(|(i, s)| Sample::good(i as TagId + 1, ts, s.step()))
            .collect();
        handle.store(batch);
    });
    handle.flush();
    let p99 = handle.status().commit_p99_ms;
    drop(handle);
    writer.stop();
    // The compactor's work on what collecting writes, per sample, as in operation: the
    // rows arrive second by second and the compactor passes every 20 s, packing each
    // window two minutes after it closed (the rows of the next window are in the table
    // by then) and closing the hour after its last window. Measured: what the passes
    // from the hour's first window to its closing, and a checkpoint after each, wrote
    // and took of the CPU; and apart, what checkpointing the rows' own pages (before
    // each pass) wrote, which the writer's 30 s above do not reach (SQLite checkpoints
    // after 1000 pages of WAL).
    let mut c = open_ours(&o.dir.join(format!("compacted-{tags}.db")))?;
    let hour_ms = 3_600_000;
    let hour_start = (now_ms() - 3 * hour_ms).div_euclid(hour_ms) * hour_ms;
    let mut sigs2: Vec<Signal> = (1..=tags as TagId).map(Signal::new).collect();
    let pass_s = 20i64;
    let grace_s = compact::GRACE_MS / 1000;
    let (mut compact_cpu, mut compact_bytes, mut readable) = (0.0f64, 0.0f64, true);
    let mut rows_checkpoint_bytes = 0.0f64;
    let mut t = -600i64;
    while t < 3600 + grace_s {
        let tx = c.transaction()?;
        for s in t..t + pass_s {
            let batch: Vec<Sample> = sigs2
                .iter_mut()
                .enumerate()
                .map(|(i, g)| Sample::good(i as TagId + 1, hour_start + s * 1000, g.step()))
                .collect();
            raw::insert(&tx, &batch)?;
        }
        tx.commit()?;
        t += pass_s;
        let now = hour_start + t * 1000;
        let measured = t > grace_s;
        let w0 = bench::process_written();
        checkpoint(&c);
        if measured {
            match (w0, bench::process_written()) {
                (Some(a), Some(b)) => rows_checkpoint_bytes += (b - a) as f64,
                _ => readable = false,
            }
        }
        let (c0, w0) = (bench::process_cpu(), bench::process_written());
        compact::compact(&mut c, now, Duration::from_secs(600))?;
        checkpoint(&c);
        if measured {
            match (c0, bench::process_cpu()) {
                (Some(a), Some(b)) => compact_cpu += (b - a).as_secs_f64(),
                _ => compact_cpu = f64::NAN,
            }
            match (w0, bench::process_written()) {
                (Some(a), Some(b)) => compact_bytes += (b - a) as f64,
                _ => readable = false,
            }
        }
    }
    let compact_written = readable.then_some(compact_bytes);
    let wn = (3600 * tags) as f64;
    drop(c);
    // The plain table, tag first, a commit each second.
    let plain_sustained = o.dir.join(format!("plain-sustained-{tags}.db"));
    let mut pc = open_plain(&plain_sustained)?;
    let mut sigs3: Vec<Signal> = (1..=tags as TagId).map(Signal::new).collect();
    let (plain_cpu, plain_written) = measure(o.sustain_s, &mut |ts| {
        let batch: Vec<Sample> = sigs3
            .iter_mut()
            .enumerate()
            .map(|(i, s)| Sample::good(i as TagId + 1, ts, s.step()))
            .collect();
        plain_insert(&mut pc, &batch).expect("plain insert");
    });
    checkpoint(&pc);
    drop(pc);
    let per_sample_compact_cpu = compact_cpu / wn;
    let total_cpu = ours_cpu + per_sample_compact_cpu * tags as f64 * 100.0;
    writeln!(
        out,
        "   Plantlog writer:     CPU {ours_cpu:>5.1}% of one core; commit p99 {:.1} ms",
        p99.unwrap_or(f64::NAN)
    )?;
    writeln!(
        out,
        "   Plantlog compaction: {:.2} µs CPU a sample = {:.1}% of one core at this rate",
        per_sample_compact_cpu * 1e6,
        per_sample_compact_cpu * tags as f64 * 100.0
    )?;
    writeln!(
        out,
        "   Plantlog in all:     CPU {total_cpu:>5.1}% of one core   (target under 1%: {})",
        met(total_cpu < 1.0)
    )?;
    writeln!(
        out,
        "   plain row table:     CPU {plain_cpu:>5.1}% of one core"
    )?;
    match (ours_written, compact_written, plain_written) {
        (Some(a), Some(b), Some(p)) => {
            let (rows, rows_cp, comp) = (a / samples_per_run, rows_checkpoint_bytes / wn, b / wn);
            let ours_per = rows + rows_cp + comp;
            writeln!(
                out,
                "   bytes written to disk per sample: Plantlog {ours_per:.1} (rows {rows:.1} + their checkpoint {rows_cp:.1} + compaction {comp:.1}) = {:.1}x the 20-byte payload (target at most 5x: {})",
                ours_per / 20.0,
                met(ours_per / 20.0 <= 5.0)
            )?;
            writeln!(
                out,
                "                                     as counted before (rows + compaction, no checkpoint of the rows): {:.1}x",
                (rows + comp) / 20.0
            )?;
            writeln!(
                out,
                "                                     plain table {:.1} = {:.1}x the payload",
                p / samples_per_run,
                p / samples_per_run / 20.0
            )?;
        }
        _ => writeln!(out, "   bytes written: not readable on this OS")?,
    }

    Ok(())
}
