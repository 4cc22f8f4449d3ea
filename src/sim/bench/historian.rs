//! The historian's benchmark, for `plantlog bench historian`: Plantlog's storage side by
//! side, in one run and on the same seeded plant data, with VictoriaMetrics and InfluxDB
//! (from their Debian packages, when installed) and with a plain `(tag_id, ts, value)`
//! row table. The data looks like a plant's: noisy analog values with plateaus (scaled
//! integer registers), part counters, on/off states and float32 registers, a quarter of
//! the tags each.

mod conversion;
mod later;
pub mod peers;
mod size;
mod sustain;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rusqlite::Connection;

use crate::sample::{Sample, TagId};
use crate::store::{self, Durability};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// "met" or "NOT met", printed beside a figure and its target.
fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
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

/// The environment variable that picks sections of the run (comma-separated numbers).
pub const SECTIONS_ENV: &str = "PLANTLOG_BENCH_SECTIONS";

/// Runs the whole benchmark (or the sections [`SECTIONS_ENV`] names), printing to `out`.
pub fn run(o: &Options, out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&o.dir)?;
    writeln!(
        out,
        "Plantlog historian benchmark: {} tags of plant-like data, side by side with VictoriaMetrics and InfluxDB (when installed) and a plain (tag_id, ts, value) table.",
        o.tags
    )?;
    writeln!(
        out,
        "Data: a quarter each of noisy analog values with plateaus (0.1 steps), part counters, on/off states, float32 registers; 1 Hz."
    )?;
    // PLANTLOG_BENCH_SECTIONS=3 (or 1,4 ...) runs only those sections: bytes written
    // (section 3) take minutes, the whole run most of an hour on a small machine.
    let only = std::env::var(SECTIONS_ENV).ok();
    let want = |n: &str| {
        only.as_deref()
            .is_none_or(|s| s.split(',').any(|x| x.trim() == n))
    };
    if let Some(s) = &only {
        writeln!(out, "Only sections {s} ({SECTIONS_ENV}).")?;
    }
    if want("1") || want("2") {
        size::run(o, out)?;
    }
    if want("3") {
        let small = 200.min(o.tags);
        if small < o.tags {
            sustain::run(o, small, "3a", out)?;
            sustain::run(o, o.tags, "3b", out)?;
        } else {
            sustain::run(o, o.tags, "3", out)?;
        }
    }
    if want("4") {
        conversion::run(o, out)?;
    }
    if want("5") {
        later::queries(o, out)?;
    }
    if want("6") {
        later::retention(o, out)?;
    }
    let _ = std::fs::remove_dir_all(&o.dir);
    Ok(())
}
