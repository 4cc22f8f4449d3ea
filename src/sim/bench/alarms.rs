//! The alarm benchmark, for `plantlog bench alarms` (issue 13): Plantlog as `plantlog
//! run` starts it, collecting `tags` tags at 1 Hz from simulated Modbus TCP devices
//! (100 registers each) with one high-limit rule per tag; every second some tags go
//! over their limit and the ones of the second before come back. Measured side by side
//! in one run, from the same readings: the time from a reading (its timestamp) to the
//! live value being handed to the API's live stream (`event: samples`), and to the alarm
//! it raised being stored and announced there (`event: alarms`); and the process CPU
//! with and without the rules (run after each other with the same load), whose
//! difference is what the rules cost.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::app::{self, Listen};
use crate::auth::audit::Actor;
use crate::sample::now_ms;
use crate::sim::simulator::{Registers, serve_shared};
use crate::store::{DataDir, Db};

#[derive(Debug, Clone)]
pub struct Options {
    pub tags: usize,
    pub seconds: u64,
    /// Tags sent over their limit each second (and back the second after).
    pub flips: usize,
    pub dir: PathBuf,
}

const PER_DEVICE: usize = 100;
const LIMIT: f64 = 100.0;
const OVER: u16 = 200;

/// What one run measured.
#[derive(Debug, Default)]
pub struct Measured {
    pub cpu_pct: Option<f64>,
    /// Reading to live value, ms, one per reading over the limit.
    pub live_ms: Vec<i64>,
    /// Reading to stored alarm announced, ms, one per alarm raised.
    pub alarm_ms: Vec<i64>,
    pub raised: usize,
}

fn config(ports: &[u16], tags: usize, rules: bool) -> String {
    let mut s = String::from("[site]\nname = \"Alarm bench\"\ntimezone = \"UTC\"\n\n");
    for (d, port) in ports.iter().enumerate() {
        s.push_str(&format!(
            "[[devices]]\nkey = \"d{d}\"\nprotocol = \"modbus-tcp\"\nhost = \"127.0.0.1\"\nport = {port}\npoll_ms = 1000\ntimeout_ms = 900\ntags = [\n"
        ));
        for i in 0..PER_DEVICE.min(tags - d * PER_DEVICE) {
            s.push_str(&format!(
                "  {{ name = \"t{i}\", register = {} }},\n",
                40001 + i
            ));
        }
        s.push_str("]\n\n");
    }
    if rules {
        for n in 0..tags {
            let (d, i) = (n / PER_DEVICE, n % PER_DEVICE);
            s.push_str(&format!(
                "[[alarms]]\nkey = \"hot-{n}\"\nname = \"Tag {n} high\"\nkind = \"high\"\ntag = \"d{d}/t{i}\"\nlimit = {LIMIT:.1}\nroles = [\"operator\"]\naction = \"Check it\"\n\n"
            ));
        }
    }
    s
}

/// The `p`-th percentile (0..=100) of `v`, sorted here.
pub fn percentile(v: &mut [i64], p: f64) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    Some(v[rank.clamp(1, v.len()) - 1])
}

/// One run: Plantlog on the simulated plant, with or without the rules.
pub async fn measure(o: &Options, rules: bool) -> Result<Measured, String> {
    let devices = o.tags.div_ceil(PER_DEVICE);
    let mut banks = Vec::new();
    let mut ports = Vec::new();
    let mut servers = Vec::new();
    for _ in 0..devices {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        ports.push(l.local_addr().map_err(|e| e.to_string())?.port());
        let bank = Arc::new(Mutex::new(Registers {
            holding: vec![0; PER_DEVICE],
            input: vec![0; PER_DEVICE],
        }));
        servers.push(serve_shared(l, bank.clone()));
        banks.push(bank);
    }
    let dir = o
        .dir
        .join(if rules { "with-rules" } else { "without-rules" });
    let data = DataDir::create(&dir).map_err(|e| e.to_string())?;
    let db = Db::open(&data.database()).map_err(|e| e.to_string())?;
    let text = config(&ports, o.tags, rules);
    db.with(|c| {
        crate::core::import_text(c, &text, crate::config::Base::Any, &Actor::command_line())
    })
    .map_err(|e| e.to_string())?;
    drop(db);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let running = app::start(app::Options {
        data_dir: dir.clone(),
        listen: Listen::Listener(listener),
        what: "plantlog bench alarms".into(),
    })
    .await
    .map_err(|e| e.to_string())?;
    let core = running.core.clone();
    let plant = core.plant();
    // tag index -> tag id
    let ids: Vec<i64> = (0..o.tags)
        .map(|n| {
            plant
                .tag_id(
                    &format!("d{}", n / PER_DEVICE),
                    &format!("t{}", n % PER_DEVICE),
                )
                .unwrap_or(-1)
        })
        .collect();
    // Let the first polls come.
    tokio::time::sleep(Duration::from_secs(3)).await;

    let mut samples = core.subscribe_samples();
    let mut changes = core.subscribe_alarm_changes();
    let set = |n: usize, v: u16| {
        let mut b = banks[n / PER_DEVICE]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        b.holding[n % PER_DEVICE] = v;
    };
    let mut m = Measured::default();
    // The first reading over the limit of each tag sent over, by tag id: its time.
    let mut over_at: HashMap<i64, i64> = HashMap::new();
    let mut waiting: HashSet<i64> = HashSet::new();
    let mut seen_alarms: HashSet<i64> = HashSet::new();
    let cpu0 = super::process_cpu();
    let started = Instant::now();
    let end = started + Duration::from_secs(o.seconds);
    let mut round = 0usize;
    let mut next_flip = Instant::now();
    let mut prev: Vec<usize> = Vec::new();
    while Instant::now() < end {
        if Instant::now() >= next_flip {
            for n in prev.drain(..) {
                set(n, 0);
            }
            for k in 0..o.flips {
                let n = (round * o.flips + k) % o.tags;
                set(n, OVER);
                waiting.insert(ids[n]);
                prev.push(n);
            }
            round += 1;
            next_flip += Duration::from_secs(1);
        }
        let wait = next_flip.saturating_duration_since(Instant::now());
        tokio::select! {
            b = samples.recv() => {
                let Ok(batch) = b else { continue };
                let now = now_ms();
                for s in batch.iter() {
                    if s.value() == Some(OVER as f64) && waiting.remove(&s.tag_id) {
                        over_at.insert(s.tag_id, s.ts);
                        m.live_ms.push(now - s.ts);
                    } else if s.value() == Some(0.0) {
                        over_at.remove(&s.tag_id);
                    }
                }
            }
            c = changes.recv() => {
                if c.is_err() { continue }
                let now = now_ms();
                let open = core
                    .db()
                    .run(|c| crate::alerts::store::list_open(c).map_err(crate::core::Error::from))
                    .await
                    .map_err(|e| e.to_string())?;
                for a in open {
                    if a.cleared_at.is_none() && seen_alarms.insert(a.id) {
                        m.raised += 1;
                        m.alarm_ms.push(now - a.raised_at);
                    }
                }
            }
            _ = tokio::time::sleep(wait) => {}
        }
    }
    let wall = started.elapsed();
    m.cpu_pct = match (cpu0, super::process_cpu()) {
        (Some(a), Some(b)) => Some((b - a).as_secs_f64() / wall.as_secs_f64() * 100.0),
        _ => None,
    };
    running.shutdown().await;
    for s in servers {
        s.abort();
    }
    Ok(m)
}

/// Both runs and the table.
pub async fn run(o: &Options, out: &mut impl Write) -> Result<(), String> {
    let w = |out: &mut dyn Write, s: String| {
        let _ = writeln!(out, "{s}");
    };
    w(
        out,
        format!(
            "Alarm benchmark: {} tags at 1 Hz on {} simulated Modbus TCP devices; {} tags over their limit each second (and back the second after); {} s per run",
            o.tags,
            o.tags.div_ceil(PER_DEVICE),
            o.flips,
            o.seconds
        ),
    );
    let without = measure(o, false).await?;
    let mut with = measure(o, true).await?;
    let pct = |p: Option<f64>| p.map_or("n/a".to_string(), |p| format!("{p:.1}%"));
    w(
        out,
        format!(
            "   Plantlog process CPU, without rules: {}   with {} high-limit rules: {}",
            pct(without.cpu_pct),
            o.tags,
            pct(with.cpu_pct)
        ),
    );
    if let (Some(a), Some(b)) = (without.cpu_pct, with.cpu_pct) {
        w(
            out,
            format!(
                "   the rules' share: {:.1}% of one core (target under 5%)",
                b - a
            ),
        );
    }
    let live99 = percentile(&mut with.live_ms, 99.0);
    let live50 = percentile(&mut with.live_ms, 50.0);
    let alarm99 = percentile(&mut with.alarm_ms, 99.0);
    let alarm50 = percentile(&mut with.alarm_ms, 50.0);
    let ms = |v: Option<i64>| v.map_or("n/a".to_string(), |v| format!("{v} ms"));
    w(
        out,
        format!(
            "   reading -> live value in the live stream:  p50 {}  p99 {}  ({} readings)",
            ms(live50),
            ms(live99),
            with.live_ms.len()
        ),
    );
    w(
        out,
        format!(
            "   reading -> alarm in the live stream:       p50 {}  p99 {}  ({} alarms raised; the alarm job runs every 250 ms)",
            ms(alarm50),
            ms(alarm99),
            with.raised
        ),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut v: Vec<i64> = (1..=100).rev().collect();
        assert_eq!(percentile(&mut v, 99.0), Some(99));
        assert_eq!(percentile(&mut v, 50.0), Some(50));
        assert_eq!(percentile(&mut v, 100.0), Some(100));
        assert_eq!(percentile(&mut [7], 99.0), Some(7));
        assert_eq!(percentile(&mut [], 99.0), None);
    }
}
