//! The historian's benchmark, for `plantlog bench historian`: Plantlog's storage side by
//! side with a plain `(tag_id, ts, value)` row table on the same seeded plant data, in
//! one run. The data looks like a plant's: noisy analog values with plateaus (scaled
//! integer registers), part counters, on/off states and float32 registers, a quarter of
//! the tags each.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rusqlite::Connection;

use crate::sample::{Sample, TagId, now_ms};
use crate::store::{self, Durability, Writer, backfill, compact, raw, retention};

/// Sizes of a run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Tags of the plant (1 Hz each).
    pub tags: usize,
    /// Seconds of the sustained 1 Hz run (each of ours and the plain table's).
    pub sustain_s: u64,
    /// Days of the query data set (8 tags) and of the long tag.
    pub query_days: i64,
    pub year_days: i64,
    /// Query repetitions for the median and p95.
    pub runs: usize,
    pub dir: PathBuf,
}

/// The kinds of tag the synthetic plant has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Analog,
    Counter,
    State,
    Float32,
}

impl Kind {
    pub fn of(tag: TagId) -> Kind {
        [Kind::Analog, Kind::Counter, Kind::State, Kind::Float32][tag as usize % 4]
    }
}

/// A seeded 1 Hz signal of one tag.
pub struct Signal {
    kind: Kind,
    rng: StdRng,
    value: f64,
    plateau: f64,
    hold: u32,
}

impl Signal {
    pub fn new(tag: TagId) -> Signal {
        let mut rng = StdRng::seed_from_u64(0x5EED ^ tag as u64);
        let kind = Kind::of(tag);
        let value = match kind {
            Kind::Analog => 20.0 + rng.random_range(0..400) as f64 / 10.0,
            Kind::Counter => rng.random_range(0..1_000_000) as f64,
            Kind::State => 1.0,
            Kind::Float32 => 230.0,
        };
        Signal {
            kind,
            rng,
            value,
            plateau: value,
            hold: 0,
        }
    }

    pub fn step(&mut self) -> f64 {
        let r = &mut self.rng;
        match self.kind {
            Kind::Analog => {
                // Plateaus of some minutes, a first-order move between them, noise of
                // a few tenths: a temperature in 0.1 °C.
                if self.hold == 0 {
                    self.hold = r.random_range(120..1800);
                    self.plateau = 20.0 + r.random_range(0..600) as f64 / 10.0;
                }
                self.hold -= 1;
                self.value += (self.plateau - self.value) * 0.02;
                ((self.value + r.random_range(-2..=2) as f64 / 10.0) * 10.0).round() / 10.0
            }
            Kind::Counter => {
                if r.random_bool(0.4) {
                    self.value += 1.0;
                }
                self.value
            }
            Kind::State => {
                if r.random_bool(1.0 / 300.0) {
                    self.value = 1.0 - self.value;
                }
                self.value
            }
            Kind::Float32 => {
                let v = 230.0 + r.random_range(-1.5..1.5) as f32 as f64;
                let f = v as f32;
                f.to_string().parse().unwrap_or(f64::from(f))
            }
        }
    }
}

/// `secs` seconds of `tags` tags (ids 1..=tags) from `start`, hour by hour.
fn for_each_hour(
    tags: usize,
    start: i64,
    secs: i64,
    signals: &mut Vec<Signal>,
    mut f: impl FnMut(Vec<Sample>),
) {
    if signals.len() < tags {
        *signals = (1..=tags as TagId).map(Signal::new).collect();
    }
    let mut t = 0;
    while t < secs {
        let end = (t + 3600).min(secs);
        let mut batch = Vec::with_capacity(tags * (end - t) as usize);
        for (i, sig) in signals.iter_mut().enumerate().take(tags) {
            for s in t..end {
                batch.push(Sample::good(i as TagId + 1, start + s * 1000, sig.step()));
            }
        }
        f(batch);
        t = end;
    }
}

fn open_plain(path: &Path) -> rusqlite::Result<Connection> {
    let c = Connection::open(path)?;
    store::setup(&c, Durability::Normal)?;
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS plain (tag_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL,
             PRIMARY KEY (tag_id, ts)) WITHOUT ROWID",
    )?;
    Ok(c)
}

fn plain_insert(c: &mut Connection, samples: &[Sample]) -> rusqlite::Result<()> {
    let tx = c.transaction()?;
    {
        let mut st = tx.prepare_cached(
            "INSERT OR REPLACE INTO plain (tag_id, ts, value) VALUES (?1, ?2, ?3)",
        )?;
        for s in samples {
            st.execute((s.tag_id, s.ts, s.value()))?;
        }
    }
    tx.commit()
}

fn open_ours(path: &Path) -> Result<Connection, store::StoreError> {
    let mut c = store::open(path, Durability::Normal)?;
    store::migrate(&mut c, path)?;
    Ok(c)
}

fn file_bytes(path: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum()
}

fn checkpoint(c: &Connection) {
    let _ = c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
}

fn median_p95(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.95))
}

fn time_ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1000.0
}

/// Runs the whole benchmark, printing to `out`.
pub fn run(o: &Options, out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&o.dir)?;
    let day = 86_400_000i64;
    let start = (now_ms() - 400 * day).div_euclid(day) * day;
    writeln!(
        out,
        "Plantlog historian benchmark: {} tags of plant-like data, side by side with a plain (tag_id, ts, value) table.",
        o.tags
    )?;
    writeln!(
        out,
        "Data: a quarter each of noisy analog values with plateaus (0.1 steps), part counters, on/off states, float32 registers; 1 Hz."
    )?;

    // 1 and 2: storage per sample, and bulk loading.
    let hours = 2;
    let ours_path = o.dir.join("ours.db");
    let plain_path = o.dir.join("plain.db");
    let mut ours = open_ours(&ours_path)?;
    let mut plain = open_plain(&plain_path)?;
    let mut signals = Vec::new();
    let (mut ours_ms, mut plain_ms, mut n) = (0.0, 0.0, 0usize);
    let mut by_kind = [(0usize, 0usize); 4];
    for_each_hour(o.tags, start, hours * 3600, &mut signals, |batch| {
        n += batch.len();
        plain_ms += time_ms(|| plain_insert(&mut plain, &batch).expect("plain insert"));
        ours_ms += time_ms(|| {
            backfill::backfill(&mut ours, batch).expect("backfill");
        });
    });
    checkpoint(&ours);
    checkpoint(&plain);
    {
        let mut st = ours.prepare("SELECT tag_id, n, length(data) FROM blocks")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let tag: i64 = r.get(0)?;
            let k = tag as usize % 4;
            by_kind[k].0 += r.get::<_, i64>(1)? as usize;
            by_kind[k].1 += r.get::<_, i64>(2)? as usize;
        }
    }
    let block_bytes: usize = by_kind.iter().map(|k| k.1).sum();
    let rollup_bytes: i64 = ours.query_row(
        "SELECT coalesce(sum(length(data)), 0) FROM rollup_1m",
        [],
        |r| r.get(0),
    )?;
    writeln!(
        out,
        "\n1. Bytes per stored sample ({} samples: {} tags, {hours} h at 1 Hz)",
        n, o.tags
    )?;
    let per = |b: f64| b / n as f64;
    writeln!(
        out,
        "   Plantlog blocks (the samples, compressed):   {:>6.2} B/sample   (target at most 1.5; Gorilla 1.37, InfluxDB TSM 2-3)",
        per(block_bytes as f64)
    )?;
    for (i, name) in [
        "analog with plateaus",
        "counters",
        "on/off states",
        "float32 registers",
    ]
    .iter()
    .enumerate()
    {
        writeln!(
            out,
            "      {name:<24}                  {:>6.2} B/sample",
            by_kind[i].1 as f64 / by_kind[i].0.max(1) as f64
        )?;
    }
    writeln!(
        out,
        "   Plantlog minute rollups:                     {:>6.2} B/sample",
        per(rollup_bytes as f64)
    )?;
    writeln!(
        out,
        "   Plantlog database file, all in:              {:>6.2} B/sample",
        per(file_bytes(&ours_path) as f64)
    )?;
    writeln!(
        out,
        "   plain row table file:                        {:>6.2} B/sample   ratio {:.1}x",
        per(file_bytes(&plain_path) as f64),
        file_bytes(&plain_path) as f64 / file_bytes(&ours_path) as f64
    )?;
    writeln!(out, "\n2. Bulk backfill of the same samples")?;
    writeln!(
        out,
        "   Plantlog (blocks and rollups):  {:>9.0} samples/s   (target at least 1,000,000)",
        n as f64 / (ours_ms / 1000.0)
    )?;
    writeln!(
        out,
        "   plain row table:                {:>9.0} samples/s   ratio {:.1}x",
        n as f64 / (plain_ms / 1000.0),
        plain_ms / ours_ms
    )?;
    drop(ours);
    drop(plain);

    // 3: sustained 1 Hz with a commit each second, CPU and bytes written.
    writeln!(
        out,
        "\n3. Sustained: {} tags at 1 Hz, a commit each second, {} s each",
        o.tags, o.sustain_s
    )?;
    let sustained_path = o.dir.join("sustained.db");
    drop(open_ours(&sustained_path)?);
    let writer = Writer::start(&sustained_path)?;
    let handle = writer.handle();
    let mut sigs: Vec<Signal> = (1..=o.tags as TagId).map(Signal::new).collect();
    fn measure(secs: u64, step: &mut dyn FnMut(i64)) -> (f64, Option<f64>) {
        let (c0, w0, t0) = (
            super::process_cpu(),
            super::process_written(),
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
        let cpu = match (c0, super::process_cpu()) {
            (Some(a), Some(b)) => (b - a).as_secs_f64() / wall * 100.0,
            _ => f64::NAN,
        };
        let written = match (w0, super::process_written()) {
            (Some(a), Some(b)) => Some((b - a) as f64),
            _ => None,
        };
        (cpu, written)
    }
    let samples_per_run = (o.tags as u64 * o.sustain_s) as f64;
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
    // The compaction of the ten-minute windows that collecting writes, per sample.
    let mut c = open_ours(&sustained_path)?;
    let window_start = (now_ms() - 3_600_000).div_euclid(raw::BLOCK_MS) * raw::BLOCK_MS;
    let mut sigs2: Vec<Signal> = (1..=o.tags as TagId).map(Signal::new).collect();
    let window: Vec<Sample> = (0..600)
        .flat_map(|s| {
            sigs2
                .iter_mut()
                .enumerate()
                .map(move |(i, g)| (i, s, g.step()))
                .collect::<Vec<_>>()
        })
        .map(|(i, s, v)| Sample::good(i as TagId + 1, window_start + s * 1000, v))
        .collect();
    let wn = window.len() as f64;
    raw::insert(&c, &window)?;
    checkpoint(&c);
    let (c0, w0) = (super::process_cpu(), super::process_written());
    compact::compact(&mut c, now_ms(), Duration::from_secs(600))?;
    checkpoint(&c);
    let compact_cpu = match (c0, super::process_cpu()) {
        (Some(a), Some(b)) => (b - a).as_secs_f64(),
        _ => f64::NAN,
    };
    let compact_written = match (w0, super::process_written()) {
        (Some(a), Some(b)) => Some((b - a) as f64),
        _ => None,
    };
    drop(c);
    // The plain table, tag first, a commit each second.
    let plain_sustained = o.dir.join("plain-sustained.db");
    let mut pc = open_plain(&plain_sustained)?;
    let mut sigs3: Vec<Signal> = (1..=o.tags as TagId).map(Signal::new).collect();
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
    let total_cpu = ours_cpu + per_sample_compact_cpu * o.tags as f64 * 100.0;
    writeln!(
        out,
        "   Plantlog writer:     CPU {ours_cpu:>5.1}% of one core; commit p99 {:.1} ms",
        p99.unwrap_or(f64::NAN)
    )?;
    writeln!(
        out,
        "   Plantlog compaction: {:.2} µs CPU a sample = {:.1}% of one core at this rate",
        per_sample_compact_cpu * 1e6,
        per_sample_compact_cpu * o.tags as f64 * 100.0
    )?;
    writeln!(
        out,
        "   Plantlog in all:     CPU {total_cpu:>5.1}% of one core   (target under 10%)"
    )?;
    writeln!(
        out,
        "   plain row table:     CPU {plain_cpu:>5.1}% of one core"
    )?;
    match (ours_written, compact_written, plain_written) {
        (Some(a), Some(b), Some(p)) => {
            let ours_per = a / samples_per_run + b / wn;
            writeln!(
                out,
                "   bytes written to disk per sample: Plantlog {:.1} (rows {:.1} + compaction {:.1}) = {:.1}x the 20-byte payload (target at most 5x)",
                ours_per,
                a / samples_per_run,
                b / wn,
                ours_per / 20.0
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

    // 4: queries.
    writeln!(
        out,
        "\n4. Queries, {} runs each: median and p95 against SQL GROUP BY on the plain table",
        o.runs
    )?;
    let q_path = o.dir.join("query.db");
    let qp_path = o.dir.join("query-plain.db");
    let mut q = open_ours(&q_path)?;
    let mut qp = open_plain(&qp_path)?;
    let q_start = now_ms().div_euclid(day) * day - o.year_days * day;
    let mut qs = Vec::new();
    // Tag 1: the long one (year); tags 1..=8: the 30-day set.
    let set_start = q_start + (o.year_days - o.query_days) * day;
    let mut loaded = 0usize;
    for_each_hour(
        1,
        q_start,
        (o.year_days - o.query_days) * 86_400,
        &mut qs,
        |batch| {
            loaded += batch.len();
            plain_insert(&mut qp, &batch).expect("plain");
            backfill::backfill(&mut q, batch).expect("backfill");
        },
    );
    let mut qs8: Vec<Signal> = (1..=8).map(Signal::new).collect();
    for_each_hour(8, set_start, o.query_days * 86_400, &mut qs8, |batch| {
        loaded += batch.len();
        plain_insert(&mut qp, &batch).expect("plain");
        backfill::backfill(&mut q, batch).expect("backfill");
    });
    checkpoint(&q);
    checkpoint(&qp);
    writeln!(out, "   ({loaded} samples loaded)")?;
    let end = set_start + o.query_days * day;
    let plain_query =
        |c: &Connection, tag: TagId, from: i64, to: i64, px: i64| -> rusqlite::Result<usize> {
            let mut st = c.prepare_cached(
                "SELECT (ts - ?2) * ?4 / (?3 - ?2) AS col, min(ts), max(ts), min(value), max(value)
             FROM plain WHERE tag_id = ?1 AND ts >= ?2 AND ts < ?3 GROUP BY col",
            )?;
            let n = st
                .query_map((tag, from, to, px), |r| r.get::<_, i64>(0))?
                .count();
            Ok(n)
        };
    type Query<'a> = (&'a str, Vec<(TagId, i64, i64)>);
    let queries: Vec<Query<'_>> = vec![
        (
            "30 days of one 1 Hz tag to 1000 px",
            vec![(1, end - o.query_days * day, end)],
        ),
        (
            "8 tags over one day, 1000 px each",
            (1..=8).map(|t| (t, end - day, end)).collect(),
        ),
        (
            "one year to 1000 px",
            vec![(1, end - o.year_days * day, end)],
        ),
    ];
    for (name, set) in &queries {
        let ours_times: Vec<f64> = (0..o.runs)
            .map(|_| {
                time_ms(|| {
                    for (tag, from, to) in set {
                        store::history(&q, *tag, *from, *to, 1000, 3000).expect("query");
                    }
                })
            })
            .collect();
        let plain_runs = o.runs.clamp(3, 5);
        let plain_times: Vec<f64> = (0..plain_runs)
            .map(|_| {
                time_ms(|| {
                    for (tag, from, to) in set {
                        plain_query(&qp, *tag, *from, *to, 1000).expect("plain query");
                    }
                })
            })
            .collect();
        let (om, op) = median_p95(ours_times);
        let (pm, pp) = median_p95(plain_times);
        writeln!(
            out,
            "   {name:<38} Plantlog {om:>7.1} ms (p95 {op:>7.1})   plain {pm:>8.1} ms (p95 {pp:>8.1})   {:>6.0}x faster",
            pm / om
        )?;
    }
    writeln!(
        out,
        "   (targets: 30-day query under 50 ms median and at least 10x faster)"
    )?;
    drop(q);
    drop(qp);

    // 5: retention while collecting.
    writeln!(
        out,
        "\n5. Retention: purging one day of {} tags at 1 Hz while the writer collects",
        o.tags
    )?;
    let r_path = o.dir.join("retention.db");
    let mut rc = open_ours(&r_path)?;
    let purge_day = now_ms().div_euclid(day) * day - 10 * day;
    let mut rs = Vec::new();
    let mut purged_samples = 0usize;
    for_each_hour(o.tags, purge_day, 86_400, &mut rs, |batch| {
        purged_samples += batch.len();
        backfill::backfill(&mut rc, batch).expect("backfill");
    });
    checkpoint(&rc);
    let writer = Writer::start(&r_path)?;
    let handle = writer.handle();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let feeder = {
        let handle = handle.clone();
        let stop = stop.clone();
        let tags = o.tags;
        std::thread::spawn(move || {
            let mut sigs: Vec<Signal> = (1..=tags as TagId).map(Signal::new).collect();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let ts = now_ms();
                handle.store(
                    sigs.iter_mut()
                        .enumerate()
                        .map(|(i, s)| Sample::good(i as TagId + 1, ts, s.step()))
                        .collect(),
                );
                std::thread::sleep(Duration::from_millis(1000));
            }
        })
    };
    std::thread::sleep(Duration::from_secs(3));
    let settings = retention::Settings {
        raw_days: Some(5),
        minute_days: Some(5),
        hour_days: Some(5),
        audit_days: None,
        archive: false,
    };
    let steps = retention::plan(&rc, &settings, now_ms())?;
    let purge_ms = time_ms(|| {
        retention::act(&mut rc, &steps, None).expect("purge");
    });
    std::thread::sleep(Duration::from_secs(2));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = feeder.join();
    handle.flush();
    let st = handle.status();
    drop(handle);
    writer.stop();
    writeln!(
        out,
        "   purge of {purged_samples} samples: {:.1} s; writer commits meanwhile: p50 {:.1} ms, p99 {:.1} ms",
        purge_ms / 1000.0,
        st.commit_p50_ms.unwrap_or(f64::NAN),
        st.commit_p99_ms.unwrap_or(f64::NAN)
    )?;
    let _ = std::fs::remove_dir_all(&o.dir);
    Ok(())
}
