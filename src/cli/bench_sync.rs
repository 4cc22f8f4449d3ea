//! `plantlog bench sync`: a plant with `tags` tags' minute rollups over `rollup_days`
//! and `raw_tags` tags' raw samples at 1 Hz over `raw_days` drains to a central server
//! on a throwaway PostgreSQL cluster (the real outbox, client and central server, over
//! HTTP on this PC); beside it, in the same run and database, a bare `COPY` of the same
//! rows. Prints rows per second of each, their ratio, and bytes on the wire per raw
//! sample and per rollup row.

use std::time::Instant;

use anyhow::{Context, Result, anyhow};

use plantlog::sample::Sample;
use plantlog::store::rollup::{self, HOUR_MS, MINUTE_MS, Rollup, Table};
use plantlog::store::{Db, backfill};
use plantlog::sync::{self, Connect};

pub struct Options {
    pub tags: usize,
    pub rollup_days: f64,
    pub raw_tags: usize,
    pub raw_days: f64,
}

/// A value of tag `tag` at `ts`: a slow wave with a 0.1 step, as a meter's reading.
fn value(tag: usize, ts: i64) -> f64 {
    let x = (ts / 1000) as f64 / 900.0 + tag as f64;
    ((500.0 + 80.0 * x.sin() + ((ts / 1000 + tag as i64 * 7) % 11) as f64) * 10.0).round() / 10.0
}

pub async fn run(o: Options) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let db = Db::open(&dir.path().join("plantlog.db"))?;
    let now = plantlog::sample::now_ms();
    let end = (now - 2 * HOUR_MS).div_euclid(HOUR_MS) * HOUR_MS;
    let rollup_from = end - (o.rollup_days * 86_400_000.0) as i64 / HOUR_MS * HOUR_MS;
    let raw_from = end - (o.raw_days * 86_400_000.0) as i64 / HOUR_MS * HOUR_MS;
    let tags = o.tags.max(o.raw_tags);

    // 1. The plant: tags, minute and hour rollups of the rollup tags, raw samples of the
    //    raw tags (stored as the historian stores them, in blocks).
    let a = Instant::now();
    {
        let n = tags;
        db.run(move |c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO devices (id, key, name, protocol, endpoint) VALUES (1, 'bench', 'Bench', 'modbus-tcp', 'x')",
                [],
            )?;
            for t in 1..=n {
                tx.execute(
                    "INSERT INTO tags (id, device_id, name, label, unit, poll_ms) VALUES (?1, 1, ?2, ?2, 'kW', 1000)",
                    rusqlite::params![t as i64, format!("t{t}")],
                )?;
            }
            tx.commit()?;
            Ok::<_, anyhow::Error>(())
        })
        .await?;
    }
    let mut minutes_rows = 0usize;
    // Every tag has minute rollups over the rollup days: a raw tag's over its raw days
    // come from its samples (backfill writes both), the rest are made as a 1 Hz tag's
    // would be.
    for tag in 1..=o.tags {
        let made_to = if tag <= o.raw_tags { raw_from } else { end };
        let mut day = rollup_from;
        while day < made_to {
            let to = (day + 86_400_000).min(made_to);
            let minutes: Vec<Rollup> = (0..(to - day) / MINUTE_MS)
                .map(|i| {
                    let t = day + i * MINUTE_MS;
                    let vs: Vec<(i64, f64)> = (0..60)
                        .map(|s| (t + s * 1000, value(tag, t + s * 1000)))
                        .collect();
                    let sum: f64 = vs.iter().map(|v| v.1).sum();
                    let min = vs
                        .iter()
                        .copied()
                        .fold(vs[0], |m, v| if v.1 < m.1 { v } else { m });
                    let max = vs
                        .iter()
                        .copied()
                        .fold(vs[0], |m, v| if v.1 > m.1 { v } else { m });
                    Rollup {
                        t,
                        first: Some(vs[0]),
                        last: Some(vs[59]),
                        min: Some(min),
                        max: Some(max),
                        sum,
                        twa_sum: sum * 1000.0,
                        twa_ms: 60_000,
                        good: 60,
                        bad: 0,
                    }
                })
                .collect();
            minutes_rows += minutes.len();
            let hours = rollup::merge_into(&minutes, HOUR_MS);
            let t = tag as i64;
            db.run(move |c| {
                let tx = c.transaction()?;
                rollup::store(&tx, Table::Minute, t, day, to, &minutes)?;
                rollup::store(&tx, Table::Hour, t, day, to, &hours)?;
                tx.commit()?;
                Ok::<_, anyhow::Error>(())
            })
            .await?;
            day = to;
        }
    }
    let mut raw_samples = 0usize;
    for tag in 1..=o.raw_tags {
        let mut hour = raw_from;
        while hour < end {
            let samples: Vec<Sample> = (0..3600)
                .map(|s| {
                    let ts = hour + s * 1000;
                    Sample::good(tag as i64, ts, value(tag, ts))
                })
                .collect();
            raw_samples += samples.len();
            db.run(move |c| backfill::backfill(c, samples).map_err(anyhow::Error::from))
                .await?;
            hour += HOUR_MS;
        }
    }
    println!(
        "1. Plant: {} tags' minute rollups over {} days ({minutes_rows} minutes made as rollups, the rest from the samples), {} of them with raw samples at 1 Hz over the last {} days ({raw_samples} samples); made in {:.1} s",
        o.tags,
        o.rollup_days,
        o.raw_tags,
        o.raw_days,
        a.elapsed().as_secs_f64()
    );

    // 2. The central server on a throwaway PostgreSQL.
    let mut pg = plantlog_central::pgtest::PgCluster::start()
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let url = pg.url("plantlog");
    let pool = plantlog_central::db::pool(&url, 4).map_err(|e| anyhow!("{e}"))?;
    plantlog_central::db::migrate(&pool)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let token = plantlog_central::db::add_site(&pool, "bench")
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let stop = tokio_util::sync::CancellationToken::new();
    let server = tokio::spawn(plantlog_central::serve(
        listener,
        pool.clone(),
        stop.clone(),
    ));
    let data_dir = dir.path().to_path_buf();
    {
        let c = Connect {
            url: format!("http://{addr}"),
            site: "bench".into(),
            pin_sha256: String::new(),
            interval_ms: 1000,
            max_backoff_ms: 60_000,
            classes: Some("raw,rollups".into()),
        };
        let d = data_dir.clone();
        db.run(move |conn| sync::connect(conn, &d, &c, &token).map_err(|e| anyhow!(e)))
            .await?;
    }

    // 3. Drain: every batch made, sent, applied and acknowledged.
    let a = Instant::now();
    let batches = sync::client::drain(&db, &data_dir)
        .await
        .map_err(|e| anyhow!("the sync stopped: {e}"))?;
    let sync_s = a.elapsed().as_secs_f64();
    let client = pool.get().await.context("PostgreSQL")?;
    let row = client
        .query_one(
            "SELECT coalesce(sum(samples), 0)::bigint, coalesce(sum(bytes), 0)::bigint FROM batches",
            &[],
        )
        .await?;
    let (raw_sent, raw_bytes): (i64, i64) = (row.get(0), row.get(1));
    let row = client
        .query_one(
            "SELECT coalesce(sum(rows), 0)::bigint, coalesce(sum(bytes), 0)::bigint FROM stream_batches",
            &[],
        )
        .await?;
    let (rollup_rows, rollup_bytes): (i64, i64) = (row.get(0), row.get(1));
    let central_samples: i64 = client
        .query_one("SELECT count(*) FROM samples", &[])
        .await?
        .get(0);
    let central_minutes: i64 = client
        .query_one("SELECT count(*) FROM rollups_1m", &[])
        .await?
        .get(0);
    let total = (raw_sent + rollup_rows) as f64;
    println!(
        "2. Sync: {batches} batches, {raw_sent} raw samples and {rollup_rows} rollup rows (minutes and hours) in {sync_s:.1} s: {:.0} rows/s; PostgreSQL holds {central_samples} samples and {central_minutes} minute rollups",
        total / sync_s
    );
    println!(
        "   On the wire: {:.2} B per raw sample ({raw_bytes} B), {:.2} B per rollup row ({rollup_bytes} B)",
        raw_bytes as f64 / raw_sent.max(1) as f64,
        rollup_bytes as f64 / rollup_rows.max(1) as f64
    );

    // 4. A bare COPY of the same rows into the same database: the samples and the
    //    rollups as PostgreSQL holds them, copied out to memory first (not timed).
    client
        .batch_execute(
            "CREATE TABLE copy_samples (LIKE samples INCLUDING ALL);
             CREATE TABLE copy_rollups_1m (LIKE rollups_1m INCLUDING ALL);
             CREATE TABLE copy_rollups_1h (LIKE rollups_1h INCLUDING ALL);",
        )
        .await?;
    let mut copied = 0u64;
    let mut copy_s = 0.0;
    for (from, to) in [
        ("samples", "copy_samples"),
        ("rollups_1m", "copy_rollups_1m"),
        ("rollups_1h", "copy_rollups_1h"),
    ] {
        use futures_util::{SinkExt, StreamExt};
        let mut text = Vec::new();
        let out = client.copy_out(&format!("COPY {from} TO STDOUT")).await?;
        futures_util::pin_mut!(out);
        while let Some(chunk) = out.next().await {
            let chunk: axum::body::Bytes = chunk?;
            text.extend_from_slice(&chunk);
        }
        let a = Instant::now();
        let sink = client
            .copy_in::<_, axum::body::Bytes>(&format!("COPY {to} FROM STDIN"))
            .await?;
        futures_util::pin_mut!(sink);
        for piece in text.chunks(1 << 20) {
            sink.send(axum::body::Bytes::copy_from_slice(piece)).await?;
        }
        copied += sink.finish().await?;
        copy_s += a.elapsed().as_secs_f64();
    }
    println!(
        "3. COPY of the same {copied} rows into the same database: {copy_s:.1} s, {:.0} rows/s",
        copied as f64 / copy_s
    );
    println!(
        "   Sync end to end against bare COPY: {:.2}x (target at least 0.3x); {:.2} B per raw sample on the wire (target under 2)",
        (total / sync_s) / (copied as f64 / copy_s),
        raw_bytes as f64 / raw_sent.max(1) as f64
    );
    stop.cancel();
    let _ = server.await;
    drop(client);
    pg.stop().map_err(|e| anyhow!("{e}"))?;
    Ok(())
}
