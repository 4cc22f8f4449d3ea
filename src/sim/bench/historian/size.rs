//! Sections 1 and 2 of the historian benchmark: the same samples stored by Plantlog,
//! VictoriaMetrics and InfluxDB, each fully compacted: bytes per sample on disk in all
//! and by kind, the loading rate, and a one-tag chart query on each.

use std::collections::HashMap;
use std::io::Write;

use super::peers::{Peer, System};
use super::{
    Kind, Options, checkpoint, file_bytes, for_each_hour, median_p95, met, open_ours, time_ms,
};
use crate::sample::{Sample, TagId, now_ms};
use crate::store::{self, backfill};

const KINDS: [Kind; 4] = [Kind::Analog, Kind::Counter, Kind::State, Kind::Float32];
const HOURS: i64 = 2;

/// One system's figures.
struct Figures {
    name: String,
    /// Bytes in all, and bytes per sample of each kind.
    total: f64,
    by_kind: HashMap<Kind, f64>,
    load_per_s: f64,
    chart_ms: Option<(f64, f64)>,
}

fn version(package: &str) -> String {
    std::process::Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", package])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|v| !v.is_empty())
        .map_or(String::new(), |v| {
            format!(" {}", v.split(['+', '~', '-']).next().unwrap_or(&v))
        })
}

/// Runs sections 1 and 2.
pub fn run(o: &Options, out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let day = 86_400_000i64;
    let start = (now_ms() - 400 * day).div_euclid(day) * day;
    let each = |tags: usize, f: &mut dyn FnMut(Vec<Sample>)| {
        let mut signals = Vec::new();
        for_each_hour(tags, start, HOURS * 3600, &mut signals, &mut *f);
    };
    // The chart: an analog tag, the whole two hours in 1000 columns.
    let chart_tag: TagId = 4;
    let (from, to) = (start, start + HOURS * 3_600_000);
    let step = (to - from) / 1000;
    let runs = o.runs.max(3);

    // Plantlog.
    let path = o.dir.join("ours.db");
    let mut ours = open_ours(&path)?;
    let (mut n, mut ms) = (0usize, 0.0);
    each(o.tags, &mut |batch| {
        n += batch.len();
        ms += time_ms(|| {
            backfill::backfill(&mut ours, batch).expect("backfill");
        });
    });
    checkpoint(&ours);
    let mut kind_bytes: HashMap<Kind, (usize, usize)> = HashMap::new();
    {
        let mut st = ours.prepare("SELECT tag_id, n, length(data) FROM blocks")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let e = kind_bytes.entry(Kind::of(r.get(0)?)).or_default();
            e.0 += r.get::<_, i64>(1)? as usize;
            e.1 += r.get::<_, i64>(2)? as usize;
        }
    }
    let minute_bytes: i64 = ours.query_row(
        "SELECT coalesce(sum(length(data)), 0) FROM rollup_1m",
        [],
        |r| r.get(0),
    )?;
    let hour_rows: i64 = ours.query_row("SELECT count(*) FROM rollup_1h", [], |r| r.get(0))?;
    let chart: Vec<f64> = (0..runs)
        .map(|_| time_ms(|| drop(store::history(&ours, chart_tag, from, to, 1000, 3000))))
        .collect();
    let per = |b: f64| b / n as f64;
    // Samples of each kind: a quarter of the tags each.
    let kind_n = |k: Kind| {
        (1..=o.tags as TagId).filter(|t| Kind::of(*t) == k).count() as f64 * (HOURS * 3600) as f64
    };
    let mut table = vec![Figures {
        name: "Plantlog blocks".into(),
        total: kind_bytes.values().map(|k| k.1).sum::<usize>() as f64,
        by_kind: kind_bytes
            .iter()
            .map(|(k, (s, b))| (*k, *b as f64 / *s as f64))
            .collect(),
        load_per_s: n as f64 / (ms / 1000.0),
        chart_ms: Some(median_p95(chart)),
    }];
    let file = file_bytes(&path) as f64;
    drop(ours);

    // The peers, on the same samples.
    let mut missing = Vec::new();
    for system in [System::VictoriaMetrics, System::InfluxDb] {
        if system.installed().is_none() {
            missing.push(system);
            continue;
        }
        let dir = o.dir.join(system.program());
        let peer = Peer::start(system, &dir)?;
        let mut load_ms = 0.0;
        each(o.tags, &mut |batch| {
            load_ms += time_ms(|| peer.load(&batch).expect("load"));
        });
        peer.compact()?;
        let chart: Vec<f64> = (0..runs)
            .map(|_| {
                time_ms(|| {
                    peer.chart(chart_tag, from, to, step).expect("chart");
                })
            })
            .collect();
        let mut by_kind = HashMap::new();
        match system {
            System::InfluxDb => {
                for k in KINDS {
                    by_kind.insert(k, peer.bytes(Some(k)) as f64 / kind_n(k));
                }
            }
            System::VictoriaMetrics => {
                // One store for all series: each kind is measured in a store of its own.
                for k in KINDS {
                    let kdir = dir.join(super::peers::kind_name(k));
                    let kp = Peer::start(system, &kdir)?;
                    each(o.tags, &mut |batch| {
                        let mine: Vec<Sample> = batch
                            .into_iter()
                            .filter(|s| Kind::of(s.tag_id) == k)
                            .collect();
                        kp.load(&mine).expect("load");
                    });
                    kp.compact()?;
                    by_kind.insert(k, kp.bytes(None) as f64 / kind_n(k));
                }
            }
        }
        table.push(Figures {
            name: format!(
                "{}{}{}",
                match system {
                    System::VictoriaMetrics => "VictoriaMetrics",
                    System::InfluxDb => "InfluxDB",
                },
                version(system.package()),
                match system {
                    System::VictoriaMetrics => ", merged",
                    System::InfluxDb => ", compacted",
                }
            ),
            total: peer.bytes(None) as f64,
            by_kind,
            load_per_s: n as f64 / (load_ms / 1000.0),
            chart_ms: Some(median_p95(chart)),
        });
    }

    writeln!(
        out,
        "\n1. Bytes per sample on disk, {n} samples ({} tags, {HOURS} h at 1 Hz), the same samples in each system",
        o.tags
    )?;
    writeln!(
        out,
        "   {:<36} {:>7} {:>8} {:>8} {:>8} {:>8}",
        "", "all", "analog", "counter", "on/off", "float32"
    )?;
    for f in &table {
        write!(out, "   {:<36} {:>7.3}", f.name, per(f.total))?;
        for k in KINDS {
            write!(
                out,
                " {:>8.3}",
                f.by_kind.get(&k).copied().unwrap_or(f64::NAN)
            )?;
        }
        writeln!(out)?;
        if f.name == "Plantlog blocks" {
            writeln!(
                out,
                "   {:<36} {:>7.3}   (minute rollups {:.3}, {hour_rows} hour rollup rows, indexes)",
                "Plantlog database file, all in",
                per(file),
                per(minute_bytes as f64)
            )?;
        }
    }
    for s in &missing {
        writeln!(
            out,
            "   {}: not installed, not measured (Debian package {}; scripts/install-deps installs it for this benchmark)",
            s.program(),
            s.package()
        )?;
    }
    let ours = &table[0];
    let vm = table.iter().find(|f| f.name.starts_with("VictoriaMetrics"));
    let blocks_ok = per(ours.total) <= 0.8;
    let kinds_vs_vm = vm.map(|vm| {
        KINDS
            .iter()
            .filter(|k| {
                ours.by_kind.get(*k).copied().unwrap_or(f64::INFINITY)
                    > vm.by_kind.get(*k).copied().unwrap_or(f64::NAN)
            })
            .map(|k| super::peers::kind_name(*k))
            .collect::<Vec<_>>()
    });
    writeln!(
        out,
        "   targets: Plantlog blocks at most 0.8: {}; at most VictoriaMetrics' figure on every kind: {}; the database file at most 1.0: {}",
        met(blocks_ok),
        match &kinds_vs_vm {
            None => "not measured (VictoriaMetrics not installed)".to_string(),
            Some(over) if over.is_empty() => "met".to_string(),
            Some(over) => format!("NOT met ({})", over.join(", ")),
        },
        met(per(file) <= 1.0)
    )?;

    writeln!(
        out,
        "\n2. Loading the same samples, and a chart of one tag (2 h to 1000 columns), {runs} runs"
    )?;
    for f in &table {
        let load = if f.name.starts_with("Plantlog") {
            "backfill into blocks and rollups"
        } else {
            "HTTP write API"
        };
        let (m, p) = f.chart_ms.unwrap_or((f64::NAN, f64::NAN));
        writeln!(
            out,
            "   {:<36} {load:<33} {:>10.0} samples/s   chart {m:>6.2} ms (p95 {p:>6.2})",
            f.name.replace(" blocks", ""),
            f.load_per_s
        )?;
    }
    writeln!(
        out,
        "   target: Plantlog's backfill at least 2,000,000 samples/s: {} (its chart reads blocks, the others min and max per column)",
        met(table[0].load_per_s >= 2_000_000.0)
    )?;
    Ok(())
}
