//! Sections 5 and 6 of the historian benchmark: chart queries against SQL GROUP BY on a
//! plain row table, and a retention purge while the writer collects.

use std::io::Write;
use std::time::Duration;

use rusqlite::Connection;

use super::{
    Options, Signal, checkpoint, for_each_hour, median_p95, open_ours, open_plain, plain_insert,
    time_ms,
};
use crate::sample::{Sample, TagId, now_ms};
use crate::store::{self, Writer, backfill, retention};

const DAY: i64 = 86_400_000;

/// Chart queries over 30 days, 8 tags over a day, and a year.
pub fn queries(o: &Options, out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let day = DAY;
    writeln!(
        out,
        "\n5. Queries, {} runs each: median and p95 against SQL GROUP BY on the plain table",
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
        // The targets are on 30 days and a year; a day of 8 tags has none of its own.
        let verdict = if name.starts_with("8 tags") {
            String::new()
        } else {
            format!("   {}", super::met(om < 10.0 && pm / om >= 10.0))
        };
        writeln!(
            out,
            "   {name:<38} Plantlog {om:>7.1} ms (p95 {op:>7.1})   plain {pm:>8.1} ms (p95 {pp:>8.1})   {:>6.0}x faster{verdict}",
            pm / om
        )?;
    }
    writeln!(
        out,
        "   (targets: 30 days and a year each under 10 ms median, and at least 10x faster)"
    )?;
    drop(q);
    drop(qp);

    Ok(())
}

/// Purges a day of `o.tags` tags while the writer collects; prints the writer's commit
/// latency meanwhile.
pub fn retention(o: &Options, out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let day = DAY;
    writeln!(
        out,
        "\n6. Retention: purging one day of {} tags at 1 Hz while the writer collects",
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
    Ok(())
}
