//! Receiving a batch of a stream beyond raw samples (rollups, production, audit,
//! config): checked like a raw samples' batch, applied in one transaction that locks the
//! site's row of the stream, once by (site, stream, seq, checksum); its rows upserted by
//! their keys.

use deadpool_postgres::Pool;
use sha2::{Digest, Sha256};

use crate::db::DbError;
use crate::receive::{MAX_JSON, ReceiveError, now_ms};
use crate::wire::{RollupCols, STREAMS, StreamAck, StreamBatch};

/// Applies a batch of `stream` of `site` (already authenticated for `site_id`).
pub async fn apply(
    pool: &Pool,
    site_id: i64,
    site: &str,
    stream: &str,
    body: &[u8],
    claimed_checksum: Option<&str>,
) -> Result<StreamAck, ReceiveError> {
    if !STREAMS.contains(&stream) {
        return Err(ReceiveError::Bad(format!(
            "this central server does not know the stream {stream:?} (it knows {})",
            STREAMS.join(", ")
        )));
    }
    let checksum = Sha256::digest(body).to_vec();
    if let Some(claimed) = claimed_checksum
        && !claimed.eq_ignore_ascii_case(&hex::encode(&checksum))
    {
        return Err(ReceiveError::Bad(
            "the body does not match its Plantlog-Checksum: it was damaged on the way; send it again".into(),
        ));
    }
    let json = zstd::bulk::decompress(body, MAX_JSON)
        .map_err(|e| ReceiveError::Bad(format!("the body is not zstd-compressed JSON: {e}")))?;
    let batch: StreamBatch = serde_json::from_slice(&json)
        .map_err(|e| ReceiveError::Bad(format!("the batch does not parse: {e}")))?;
    if batch.site != site || batch.stream != stream {
        return Err(ReceiveError::Bad(format!(
            "the batch names site {:?} stream {:?}, sent to site {site:?} stream {stream:?}",
            batch.site, batch.stream
        )));
    }
    if batch.seq < 1 {
        return Err(ReceiveError::Bad("sequence numbers start at 1".into()));
    }
    for cols in [&batch.minutes, &batch.hours].into_iter().flatten() {
        if !cols.consistent() {
            return Err(ReceiveError::Bad(
                "the batch's rollup columns differ in length".into(),
            ));
        }
    }
    let rows = batch.records.len()
        + batch.minutes.as_ref().map_or(0, |m| m.t.len())
        + batch.hours.as_ref().map_or(0, |h| h.t.len());

    let mut client = pool.get().await.map_err(DbError::from)?;
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO site_streams (site_id, stream) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[&site_id, &stream],
    )
    .await?;
    let row = tx
        .query_one(
            "SELECT last_seq, position FROM site_streams WHERE site_id = $1 AND stream = $2 FOR UPDATE",
            &[&site_id, &stream],
        )
        .await?;
    let last_seq: i64 = row.get(0);
    let position: i64 = row.get(1);
    if batch.seq <= last_seq {
        let old = tx
            .query_opt(
                "SELECT checksum, rows FROM stream_batches WHERE site_id = $1 AND stream = $2 AND seq = $3",
                &[&site_id, &stream, &batch.seq],
            )
            .await?;
        let Some(old) = old else {
            return Err(ReceiveError::Conflict {
                message: format!(
                    "{stream} batch {} is older than the site's history here",
                    batch.seq
                ),
                expected_seq: Some(last_seq + 1),
            });
        };
        if old.get::<_, Vec<u8>>(0) != checksum {
            tx.execute(
                "INSERT INTO events (site_id, kind, detail) VALUES ($1, 'batch refused', $2)",
                &[
                    &site_id,
                    &format!(
                        "{stream} batch {} sent again with other contents",
                        batch.seq
                    ),
                ],
            )
            .await?;
            tx.commit().await?;
            return Err(ReceiveError::Conflict {
                message: format!(
                    "{stream} batch {} was received before with other contents; the plant's sync state does not follow the central server's (was the plant's database restored from an older backup?)",
                    batch.seq
                ),
                expected_seq: Some(last_seq + 1),
            });
        }
        return Ok(StreamAck {
            site: site.into(),
            stream: stream.into(),
            seq: batch.seq,
            acked_seq: last_seq,
            position,
            rows: i64::from(old.get::<_, i32>(1)),
            replay: true,
            server_ms: now_ms(),
        });
    }
    if batch.seq != last_seq + 1 {
        return Err(ReceiveError::Conflict {
            message: format!(
                "{stream} batch {} arrived, batch {} was expected next",
                batch.seq,
                last_seq + 1
            ),
            expected_seq: Some(last_seq + 1),
        });
    }
    for t in &batch.tags {
        tx.execute(
            "INSERT INTO tags (site_id, tag_id, device, name, unit) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (site_id, tag_id) DO UPDATE SET device = excluded.device,
                 name = excluded.name, unit = excluded.unit, updated_at = now()
             WHERE (tags.device, tags.name, tags.unit) IS DISTINCT FROM (excluded.device, excluded.name, excluded.unit)",
            &[&site_id, &t.id, &t.device, &t.name, &t.unit],
        )
        .await?;
    }
    if let Some(m) = &batch.minutes {
        upsert_rollups(&tx, "rollups_1m", site_id, m).await?;
    }
    if let Some(h) = &batch.hours {
        upsert_rollups(&tx, "rollups_1h", site_id, h).await?;
    }
    if !batch.records.is_empty() {
        let kinds: Vec<&str> = batch.records.iter().map(|r| r.kind.as_str()).collect();
        let keys: Vec<&str> = batch.records.iter().map(|r| r.key.as_str()).collect();
        let ats: Vec<i64> = batch.records.iter().map(|r| r.at).collect();
        let data: Vec<String> = batch.records.iter().map(|r| r.data.to_string()).collect();
        tx.execute(
            "INSERT INTO records (site_id, stream, kind, key, at, data)
             SELECT $1, $2, k, y, a, d::jsonb
             FROM unnest($3::text[], $4::text[], $5::bigint[], $6::text[]) AS x(k, y, a, d)
             ON CONFLICT (site_id, stream, kind, key) DO UPDATE SET at = excluded.at,
                 data = excluded.data, received_at = now()",
            &[&site_id, &stream, &kinds, &keys, &ats, &data],
        )
        .await?;
    }
    let new_position = position.max(batch.to_pos);
    tx.execute(
        "INSERT INTO stream_batches (site_id, stream, seq, checksum, from_pos, to_pos, rows, bytes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &site_id,
            &stream,
            &batch.seq,
            &checksum,
            &batch.from_pos,
            &batch.to_pos,
            &(rows as i32),
            &(body.len() as i32),
        ],
    )
    .await?;
    tx.execute(
        "UPDATE site_streams SET last_seq = $3, position = $4, rows = rows + $5,
             last_batch_at = now() WHERE site_id = $1 AND stream = $2",
        &[&site_id, &stream, &batch.seq, &new_position, &(rows as i64)],
    )
    .await?;
    tx.commit().await?;
    Ok(StreamAck {
        site: site.into(),
        stream: stream.into(),
        seq: batch.seq,
        acked_seq: batch.seq,
        position: new_position,
        rows: rows as i64,
        replay: false,
        server_ms: now_ms(),
    })
}

async fn upsert_rollups(
    tx: &deadpool_postgres::Transaction<'_>,
    table: &str,
    site_id: i64,
    c: &RollupCols,
) -> Result<(), ReceiveError> {
    if c.t.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO {table} (site_id, tag_id, t, first_ts, first, last_ts, last, min_ts, min,
             max_ts, max, sum, twa_sum, twa_ms, good, bad)
         SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::float8[],
             $6::bigint[], $7::float8[], $8::bigint[], $9::float8[], $10::bigint[], $11::float8[],
             $12::float8[], $13::float8[], $14::bigint[], $15::bigint[], $16::bigint[])
         ON CONFLICT (site_id, tag_id, t) DO UPDATE SET first_ts = excluded.first_ts,
             first = excluded.first, last_ts = excluded.last_ts, last = excluded.last,
             min_ts = excluded.min_ts, min = excluded.min, max_ts = excluded.max_ts,
             max = excluded.max, sum = excluded.sum, twa_sum = excluded.twa_sum,
             twa_ms = excluded.twa_ms, good = excluded.good, bad = excluded.bad"
    );
    tx.execute(
        &sql,
        &[
            &site_id,
            &c.tag,
            &c.t,
            &c.first_ts,
            &c.first,
            &c.last_ts,
            &c.last,
            &c.min_ts,
            &c.min,
            &c.max_ts,
            &c.max,
            &c.sum,
            &c.twa_sum,
            &c.twa_ms,
            &c.good,
            &c.bad,
        ],
    )
    .await?;
    Ok(())
}
