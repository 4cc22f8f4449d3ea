//! The production benchmark, for `plantlog bench production`: a report of a plant's
//! machines over a year by shift, from stored history, side by side in one run with
//! the same figures recomputed by a plain SQL query over a plain table of the same raw
//! samples; and the live engine's CPU for the plant at one reading a second.
//!
//! The plant is synthetic and seeded: each machine runs (counting parts at its cycle
//! time, 6 to 120 s across the plant), stops for a minute or two, breaks down, sets up
//! and idles, and is recorded as Plantlog records it (states and counters on change,
//! with a reading at least a minute apart).

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rusqlite::{Connection, params};

use crate::auth::audit::Actor;
use crate::config::{
    self, Break, DataType, Device, Machine, Order, Plant, PlantConfig, RecordMode, Shift, Site,
    Tag, TagRole,
};
use crate::production::calendar::{By, Calendar, Period};
use crate::production::records::{self, Reasons, Records};
use crate::production::timeline::Recipe;
use crate::production::{Production, query};
use crate::sample::{Sample, now_ms};
use crate::store::{self, DataDir, Db, Durability, backfill};

#[derive(Debug, Clone)]
pub struct Options {
    pub machines: usize,
    pub days: i64,
    /// Hours of readings fed to the live engine for its CPU.
    pub live_hours: i64,
    pub dir: PathBuf,
}

const HOLD_MS: i64 = 62_000;
const HEARTBEAT_MS: i64 = 60_000;
const W: i64 = 1 << 32;

fn tag(name: &str, machine: &str, role: TagRole, address: u16, t: DataType) -> Tag {
    Tag {
        name: name.into(),
        label: None,
        machine: Some(machine.into()),
        role: Some(role),
        function: Some(config::RegisterKind::Holding),
        address: Some(address),
        register: None,
        data_type: Some(t),
        bit: None,
        length: None,
        order: Order::Abcd,
        field: None,
        scale: 1.0,
        offset: 0.0,
        unit: String::new(),
        poll_ms: None,
        record: RecordMode::OnChange,
        deadband: None,
        deadband_percent: None,
        heartbeat_s: None,
    }
}

pub fn key(i: usize) -> String {
    format!("m{:02}", i + 1)
}

/// The benchmark plant: machines with a state and a u32 part counter, three shifts with
/// breaks in Europe/Berlin.
pub fn plant_config(n: usize) -> PlantConfig {
    let shift = |name: &str, a: &str, b: &str, br: (&str, &str)| Shift {
        name: name.into(),
        start: a.into(),
        end: b.into(),
        days: vec![],
        breaks: vec![Break {
            start: br.0.into(),
            end: br.1.into(),
            name: String::new(),
        }],
    };
    PlantConfig {
        site: Site {
            name: "Benchmark plant".into(),
            timezone: "Europe/Berlin".into(),
        },
        shifts: vec![
            shift("Early", "06:00", "14:00", ("10:00", "10:30")),
            shift("Late", "14:00", "22:00", ("18:00", "18:30")),
            shift("Night", "22:00", "06:00", ("02:00", "02:30")),
        ],
        machines: (0..n)
            .map(|i| Machine {
                key: key(i),
                name: format!("Machine {}", i + 1),
                states: vec![],
                line: Some(format!("Line {}", i / 5 + 1)),
                micro_stop_s: None,
                running_when_counted_s: None,
                max_rate_per_min: None,
            })
            .collect(),
        buses: vec![],
        devices: (0..n)
            .map(|i| {
                Device::modbus_tcp(
                    &format!("{}-plc", key(i)),
                    "127.0.0.1",
                    1502 + i as u16,
                    vec![
                        tag("state", &key(i), TagRole::State, 0, DataType::U16),
                        tag("count", &key(i), TagRole::Count, 1, DataType::U32),
                    ],
                )
            })
            .collect(),
        holidays: vec![],
        alarms: Vec::new(),
        alarm_settings: Default::default(),
    }
}

/// A machine's cycle time: spread from 6 s to 120 s across the plant.
pub fn cycle_ms(i: usize, n: usize) -> f64 {
    let f = if n > 1 {
        i as f64 / (n - 1) as f64
    } else {
        0.0
    };
    6000.0 * (20f64).powf(f)
}

/// The stored samples of machine `i` (state tag `sid`, counter `cid`) over [from, to):
/// what Plantlog would have recorded (changes, and a reading at least every minute).
pub fn samples(i: usize, n: usize, sid: i64, cid: i64, from: i64, to: i64) -> Vec<Sample> {
    let mut rng = StdRng::seed_from_u64(0xB0B ^ i as u64);
    let poll = |t: i64| (t - from).div_euclid(1000) * 1000 + from + 1000 + (i as i64 * 37) % 1000;
    let mut out = Vec::new();
    let mut count: i64 = if i == 0 {
        W - 2_000
    } else {
        rng.random_range(0..1_000_000)
    };
    let cycle = cycle_ms(i, n);
    let mut t = from;
    let mut last_state: i64;
    let mut last_count = i64::MIN;
    while t < to {
        // Running for a while, counting parts.
        let run_end = (t + (rng.random_range(0.05..1.0f64) * 50.0 * 60_000.0) as i64).min(to);
        out.push(Sample::good(sid, poll(t), 1.0));
        last_state = poll(t);
        let mut next_part = t as f64 + cycle * rng.random_range(0.94..1.12);
        let mut at = poll(t);
        while at < run_end {
            let mut changed = false;
            while (next_part as i64) <= at {
                count = (count + 1) % W;
                next_part += cycle * rng.random_range(0.94..1.12);
                changed = true;
            }
            if changed || at.saturating_sub(last_count) >= HEARTBEAT_MS {
                out.push(Sample::good(cid, at, count as f64));
                last_count = at;
            }
            if at - last_state >= HEARTBEAT_MS {
                out.push(Sample::good(sid, at, 1.0));
                last_state = at;
            }
            at += 1000;
        }
        // Then a stop: mostly short, now and then a fault, a setup, idle time.
        let roll: f64 = rng.random();
        let (state, len_s) = if roll < 0.6 {
            (0.0, rng.random_range(20.0..180.0))
        } else if roll < 0.75 {
            (2.0, rng.random_range(300.0..1500.0))
        } else if roll < 0.85 {
            (3.0, rng.random_range(480.0..1200.0))
        } else {
            (4.0, rng.random_range(60.0..300.0))
        };
        let stop_end = (run_end + (len_s * 1000.0) as i64).min(to);
        let mut at = poll(run_end);
        out.push(Sample::good(sid, at, state));
        last_state = at;
        while at < stop_end {
            if at - last_state >= HEARTBEAT_MS {
                out.push(Sample::good(sid, at, state));
                last_state = at;
            }
            if at.saturating_sub(last_count) >= HEARTBEAT_MS {
                out.push(Sample::good(cid, at, count as f64));
                last_count = at;
            }
            at += 1000;
        }
        t = stop_end;
    }
    out.retain(|s| s.ts < to);
    out.sort_by_key(|s| (s.ts, s.tag_id));
    out
}

fn secs(d: std::time::Duration) -> f64 {
    d.as_secs_f64()
}

/// Runs the benchmark, printing to `out`.
pub fn run(o: &Options, out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&o.dir)?;
    let day = 86_400_000i64;
    let to = (now_ms() - 2 * day).div_euclid(day) * day;
    let from = to - o.days * day;
    writeln!(
        out,
        "Plantlog production benchmark: {} machines, {} days, stored as Plantlog stores them; the report by shift from stored history against a plain SQL recomputation of the same raw samples, in one run.",
        o.machines, o.days
    )?;
    let dir = DataDir::create(o.dir.join("ours"))?;
    let db = Db::open(&dir.database())?;
    let cfg = plant_config(o.machines);
    db.with(|c| {
        Ok::<_, store::StoreError>(config::import(
            c,
            &cfg,
            &config::export(&cfg),
            config::Base::Any,
            &Actor::command_line(),
        ))
    })??;
    let plant = db.with(|c| Ok::<_, store::StoreError>(config::load_plant(c)))??;
    let plain_path = o.dir.join("plain.db");
    let mut plain = Connection::open(&plain_path)?;
    store::setup(&plain, Durability::Normal)?;
    plain.execute_batch(
        "CREATE TABLE IF NOT EXISTS plain (tag_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL, quality INTEGER NOT NULL,
             PRIMARY KEY (tag_id, ts)) WITHOUT ROWID",
    )?;

    // 1. The data, into both.
    let ids = db.sql(|c| records::machine_ids(c))?;
    let mut total = 0usize;
    let mut load_ours = 0.0;
    let mut load_plain = 0.0;
    for i in 0..o.machines {
        let (sid, cid) = (
            plant
                .tag_id(&format!("{}-plc", key(i)), "state")
                .unwrap_or_default(),
            plant
                .tag_id(&format!("{}-plc", key(i)), "count")
                .unwrap_or_default(),
        );
        db.sql(|c| {
            records::set_ideal_cycle(
                c,
                ids[&key(i)],
                from,
                cycle_ms(i, o.machines).round() as i64,
                "",
                "bench",
                from,
            )
        })?;
        let mut t = from;
        while t < to {
            let end = (t + 30 * day).min(to);
            let s = samples(i, o.machines, sid, cid, t, end);
            total += s.len();
            let a = Instant::now();
            {
                let tx = plain.transaction()?;
                {
                    let mut st = tx.prepare_cached("INSERT OR REPLACE INTO plain (tag_id, ts, value, quality) VALUES (?1, ?2, ?3, 0)")?;
                    for x in &s {
                        st.execute(params![x.tag_id, x.ts, x.value()])?;
                    }
                }
                tx.commit()?;
            }
            load_plain += secs(a.elapsed());
            let a = Instant::now();
            db.sql(|c| backfill::backfill(c, s))?;
            load_ours += secs(a.elapsed());
            t = end;
        }
    }
    writeln!(
        out,
        "\n1. Data: {total} stored samples ({:.0} a machine-day); loaded in {load_ours:.1} s (Plantlog's backfill) and {load_plain:.1} s (plain table)",
        total as f64 / (o.machines as f64 * o.days as f64)
    )?;

    // 2. The report from stored history: the first one summarises the year's samples
    // into hours, the next ones read the summaries.
    let q = query::Query {
        from,
        to,
        by: By::Shift,
        machines: query::machines(&plant),
    };
    let now = now_ms();
    let a = Instant::now();
    let first = db.with(|c| query::report(c, &plant, &q, now).map_err(store::StoreError::from))?;
    let cold = secs(a.elapsed());
    let mut warm = Vec::new();
    let mut warm_cpu = Vec::new();
    let mut report = first.clone();
    for _ in 0..3 {
        let c0 = super::process_cpu();
        let a = Instant::now();
        report = db.with(|c| query::report(c, &plant, &q, now).map_err(store::StoreError::from))?;
        warm.push(secs(a.elapsed()));
        if let (Some(a), Some(b)) = (c0, super::process_cpu()) {
            warm_cpu.push(secs(b - a));
        }
    }
    warm.sort_by(f64::total_cmp);
    warm_cpu.sort_by(f64::total_cmp);
    let warm = warm[1];
    // On a shared machine the wall time includes waiting for a core; the CPU time is
    // what the report itself took (it runs on one thread).
    let warm_cpu = warm_cpu
        .get(1)
        .map_or(String::new(), |c| format!(", CPU {c:.3} s"));
    assert_eq!(
        first, report,
        "the report from summaries is the report from samples"
    );
    writeln!(
        out,
        "\n2. Report by shift over the whole range from stored history: {} machine-shifts, every figure (planned, break, no-data, run, downtime by state and reason, micro-stops, parts, scrap, A/P/Q/OEE) with how it was computed",
        report.rows.len()
    )?;
    writeln!(
        out,
        "   first report (summarises the samples into hours): {cold:.2} s"
    )?;
    writeln!(
        out,
        "   report again (from the hourly summaries):          {warm:.3} s (median of 3{warm_cpu})"
    )?;

    // 3. The same figures (run time within planned production time, parts) by a plain
    // SQL query over the raw samples.
    let calendar = Calendar::new(&plant.config);
    let periods: Vec<Period> = calendar.periods(By::Shift, from, to);
    let a = Instant::now();
    let sql = sql_figures(&mut plain, &plant, &calendar, &periods)?;
    let sql_s = secs(a.elapsed());
    let mut agree = 0;
    let mut differ = Vec::new();
    for r in &report.rows {
        let i = periods
            .iter()
            .position(|p| p.key == r.period.key)
            .unwrap_or(usize::MAX);
        let got = sql.get(&(r.machine.clone(), i)).copied().unwrap_or((0, 0));
        let ours = (
            (r.figures.run_s * 1000.0).round() as i64,
            r.figures.parts_total,
        );
        if got == ours {
            agree += 1;
        } else if differ.len() < 3 {
            differ.push(format!(
                "{} {}: ours {ours:?}, SQL {got:?}",
                r.machine, r.period.key
            ));
        }
    }
    writeln!(
        out,
        "\n3. Plain SQL over the raw samples (window functions: state stretches with the hold, counter steps with the counter rule; run time within shifts less breaks, and parts, per machine and shift): {sql_s:.2} s"
    )?;
    writeln!(
        out,
        "   figures agree for {agree} of {} machine-shifts{}",
        report.rows.len(),
        if differ.is_empty() {
            String::new()
        } else {
            format!("; differ: {}", differ.join("; "))
        }
    )?;
    writeln!(
        out,
        "   ratio: SQL / Plantlog from summaries = {:.0}x; SQL / Plantlog's first report = {:.1}x",
        sql_s / warm,
        sql_s / cold
    )?;

    // 4. The live engine at one reading a second of every machine.
    live(o, &plant, out)?;
    std::fs::remove_dir_all(&o.dir).ok();
    Ok(())
}

/// Run time within planned production time (ms) and parts, per (machine, period), by SQL.
fn sql_figures(
    c: &mut Connection,
    plant: &Plant,
    calendar: &Calendar,
    periods: &[Period],
) -> rusqlite::Result<HashMap<(String, usize), (i64, i64)>> {
    c.execute_batch(
        "DROP TABLE IF EXISTS seg; DROP TABLE IF EXISTS shifts; DROP TABLE IF EXISTS m;
         CREATE TEMP TABLE seg (shift INTEGER, a INTEGER, b INTEGER);
         CREATE TEMP TABLE shifts (id INTEGER PRIMARY KEY, start INTEGER, fin INTEGER);
         CREATE TEMP TABLE m (tag INTEGER PRIMARY KEY, machine TEXT, role TEXT);",
    )?;
    let tx = c.transaction()?;
    for (i, p) in periods.iter().enumerate() {
        tx.execute(
            "INSERT INTO shifts VALUES (?1, ?2, ?3)",
            params![i as i64, p.start_ms, p.end_ms],
        )?;
        for s in calendar.shifts_between(p.start_ms, p.end_ms) {
            let mut t = s.start.max(p.start_ms);
            for &(a, b) in &s.breaks {
                if a > t {
                    tx.execute(
                        "INSERT INTO seg VALUES (?1, ?2, ?3)",
                        params![i as i64, t, a.min(p.end_ms)],
                    )?;
                }
                t = t.max(b);
            }
            if s.end.min(p.end_ms) > t {
                tx.execute(
                    "INSERT INTO seg VALUES (?1, ?2, ?3)",
                    params![i as i64, t, s.end.min(p.end_ms)],
                )?;
            }
        }
    }
    for t in plant.tags() {
        let role = t.tag.role.map_or("", |r| r.name());
        tx.execute(
            "INSERT INTO m VALUES (?1, ?2, ?3)",
            params![t.id, t.tag.machine_key(t.device).unwrap_or(""), role],
        )?;
    }
    tx.execute_batch(
        "CREATE INDEX seg_a ON seg (a); CREATE INDEX shifts_start ON shifts (start);",
    )?;
    tx.commit()?;
    let mut out: HashMap<(String, usize), (i64, i64)> = HashMap::new();
    let mut st = c.prepare(&format!(
        "WITH iv AS (
           SELECT p.tag_id AS tag, p.ts AS a,
                  min(coalesce(lead(p.ts) OVER w, p.ts + {HOLD_MS}), p.ts + {HOLD_MS}) AS b,
                  p.value AS v, p.quality AS q
           FROM plain p JOIN m ON m.tag = p.tag_id AND m.role = 'state'
           WINDOW w AS (PARTITION BY p.tag_id ORDER BY p.ts))
         SELECT m.machine, seg.shift, sum(max(0, min(iv.b, seg.b) - max(iv.a, seg.a)))
         FROM iv CROSS JOIN seg ON seg.a BETWEEN iv.a - 28800000 AND iv.b - 1 AND seg.b > iv.a
              JOIN m ON m.tag = iv.tag
         WHERE iv.q = 0 AND iv.v = 1
         GROUP BY 1, 2"
    ))?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let e = out
            .entry((r.get(0)?, r.get::<_, i64>(1)? as usize))
            .or_default();
        e.0 = r.get(2)?;
    }
    let mut st = c.prepare(&format!(
        "WITH c AS (
           SELECT p.tag_id AS tag, p.ts AS ts, p.value AS v,
                  lag(p.value) OVER (PARTITION BY p.tag_id ORDER BY p.ts) AS prev
           FROM plain p JOIN m ON m.tag = p.tag_id AND m.role = 'count'
           WHERE p.quality = 0)
         SELECT m.machine, (SELECT id FROM shifts WHERE start <= c.ts ORDER BY start DESC LIMIT 1),
                sum(CASE WHEN prev IS NULL THEN 0
                         WHEN v >= prev THEN v - prev
                         WHEN 4 * prev > 3 * {W} AND 4 * v < {W} THEN {W} - prev + v
                         WHEN 2 * v < prev THEN v
                         ELSE 0 END)
         FROM c JOIN m ON m.tag = c.tag
         GROUP BY 1, 2"
    ))?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let e = out
            .entry((r.get(0)?, r.get::<_, i64>(1)? as usize))
            .or_default();
        e.1 = r.get::<_, f64>(2)? as i64;
    }
    Ok(out)
}

/// The live engine's CPU: every machine's state and counter (and three other tags the
/// engine passes over) read every second, and the shift view's figures of every
/// machine computed every 5 seconds.
fn live(
    o: &Options,
    plant: &Plant,
    out: &mut impl Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let day = 86_400_000i64;
    let start = (now_ms() - day).div_euclid(day) * day + 5 * 3_600_000;
    let engine = Production::new(plant, start);
    let calendar = Calendar::new(&plant.config);
    let reasons = Reasons::default();
    let machines: Vec<(Machine, Recipe)> = plant
        .config
        .machines
        .iter()
        .map(|m| (m.clone(), Recipe::of(plant, m)))
        .collect();
    let tags: Vec<(i64, i64)> = (0..o.machines)
        .map(|i| {
            let d = format!("{}-plc", key(i));
            (
                plant.tag_id(&d, "state").unwrap_or(0),
                plant.tag_id(&d, "count").unwrap_or(0),
            )
        })
        .collect();
    let mut cpu = std::time::Duration::ZERO;
    let mut wall = std::time::Duration::ZERO;
    let mut computed = 0usize;
    let hours = o.live_hours.max(1);
    for h in 0..hours {
        let from = start + h * 3_600_000;
        // An hour of readings, made before it is measured.
        let per: Vec<Vec<Sample>> = (0..o.machines)
            .map(|i| {
                let stored = samples(i, o.machines, tags[i].0, tags[i].1, from, from + 3_600_000);
                let mut polls = Vec::with_capacity(3600 * 5);
                let mut st = 0usize;
                let (mut sv, mut cv) = (1.0, 0.0);
                for s in 0..3600 {
                    let t = from + s * 1000 + 1000 + (i as i64 * 37) % 1000;
                    while st < stored.len() && stored[st].ts <= t {
                        if stored[st].tag_id == tags[i].0 {
                            sv = stored[st].value().unwrap_or(sv);
                        } else {
                            cv = stored[st].value().unwrap_or(cv);
                        }
                        st += 1;
                    }
                    polls.push(Sample::good(tags[i].0, t, sv));
                    polls.push(Sample::good(tags[i].1, t, cv));
                    for k in 0..3 {
                        polls.push(Sample::good(100_000 + i as i64 * 3 + k, t, 20.0 + k as f64));
                    }
                }
                polls
            })
            .collect();
        let c0 = super::process_cpu();
        let w0 = Instant::now();
        for s in 0..3600usize {
            let batch: Vec<Sample> = per
                .iter()
                .flat_map(|p| p[s * 5..s * 5 + 5].iter().cloned())
                .collect();
            engine.update(&batch);
            if s % 5 == 4 {
                let now = from + s as i64 * 1000 + 1000;
                let w = calendar.window_at(now);
                let period = [Period {
                    key: "shift".into(),
                    shift: w.name.clone(),
                    start_ms: w.start_ms,
                    end_ms: now.max(w.start_ms + 1),
                }];
                for (m, _) in &machines {
                    if let Some((recipe, data)) = engine.snapshot(&m.key, now) {
                        let rows = query::machine_rows(
                            &calendar,
                            &reasons,
                            m,
                            &recipe,
                            &data,
                            &Records::default(),
                            &period,
                        );
                        computed += rows.0.len();
                    }
                }
            }
        }
        wall += w0.elapsed();
        if let (Some(a), Some(b)) = (c0, super::process_cpu()) {
            cpu += b - a;
        }
    }
    let simulated = hours as f64 * 3600.0;
    writeln!(
        out,
        "\n4. Live engine: {} machines, 5 tags each read every second ({} readings), the shift's figures of every machine computed every 5 s ({computed} times), {hours} h of readings",
        o.machines,
        hours * 3600 * 5 * o.machines as i64
    )?;
    // CPU time as the OS counts it (10 ms steps); wall time where it cannot say.
    let used = if cpu.is_zero() { wall } else { cpu };
    writeln!(
        out,
        "   CPU {:.2} s (wall {:.2} s) for {simulated:.0} s of plant time: {:.3} % of one core",
        secs(cpu),
        secs(wall),
        secs(used) / simulated * 100.0
    )?;
    Ok(())
}
