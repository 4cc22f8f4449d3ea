//! The outbox: the next batch made from the store (every sample with
//! `acked_to_ts <= ts < to`, all tags, oldest first), kept in `sync_outbox` as sent
//! until the central server acknowledges it, and the position moved forward in the
//! same transaction that removes it. Reads samples through `store::raw`, so it does not
//! care whether they are hot rows or compressed blocks.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::wire::{BLOCKS_MAGIC, Batch, BlockRef, BlocksHeader, TagInfo};
use crate::sample::{Sample, Value};
use crate::store::raw;

/// Samples newer than this are not sent yet: the collector and the writer may still be
/// storing samples of that time (the writer commits at most a second apart; a poll's
/// time is taken when it starts, its answer may take the device's timeout).
pub const SETTLE_MS: i64 = 15_000;
/// The time window a batch starts from. A window holding fewer than [`FEW_SAMPLES`]
/// grows fourfold while it ends a window before the settle limit, up to
/// [`MAX_WINDOW_MS`] (sparse history: a month offline of tags
/// recorded every few minutes took thousands of nearly empty batches, most of each its
/// tag list); one holding more than [`MAX_SAMPLES`] is halved.
pub const WINDOW_MS: i64 = 600_000;
/// The longest time window one batch covers.
pub const MAX_WINDOW_MS: i64 = 86_400_000;
/// The most samples in one batch.
pub const MAX_SAMPLES: usize = 300_000;
/// A window with fewer samples than this grows (while it has not been halved).
pub const FEW_SAMPLES: usize = MAX_SAMPLES / 4;

/// The sync setting and position (the row of `sync_state`).
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub enabled: bool,
    pub url: String,
    pub site: String,
    /// SHA-256 of the central server's certificate (hex), when it is pinned.
    pub pin_sha256: String,
    pub interval_ms: i64,
    pub max_backoff_ms: i64,
    pub acked_to_ts: i64,
    pub next_seq: i64,
    pub last_seq: i64,
    pub last_ack_ts: Option<i64>,
    pub last_samples: i64,
    pub last_bytes: i64,
    pub last_attempt_ts: Option<i64>,
    pub last_error: String,
    pub failures: i64,
    pub parked: String,
    /// The bandwidth limit, bytes per second (0: none).
    pub bandwidth_bps: i64,
}

pub fn state(conn: &Connection) -> rusqlite::Result<State> {
    conn.query_row(
        "SELECT enabled, url, site, interval_ms, max_backoff_ms, acked_to_ts, next_seq, last_seq,
                last_ack_ts, last_samples, last_bytes, last_attempt_ts, last_error, failures, parked,
                pin_sha256, bandwidth_bps
         FROM sync_state WHERE id = 1",
        [],
        |r| {
            Ok(State {
                enabled: r.get(0)?,
                url: r.get(1)?,
                site: r.get(2)?,
                interval_ms: r.get(3)?,
                max_backoff_ms: r.get(4)?,
                acked_to_ts: r.get(5)?,
                next_seq: r.get(6)?,
                last_seq: r.get(7)?,
                last_ack_ts: r.get(8)?,
                last_samples: r.get(9)?,
                last_bytes: r.get(10)?,
                last_attempt_ts: r.get(11)?,
                last_error: r.get(12)?,
                failures: r.get(13)?,
                parked: r.get(14)?,
                pin_sha256: r.get(15)?,
                bandwidth_bps: r.get(16)?,
            })
        },
    )
}

/// A batch made and waiting for its acknowledgement.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub seq: i64,
    pub from_ts: i64,
    pub to_ts: i64,
    pub samples: i64,
    pub checksum: String,
    pub body: Vec<u8>,
    /// The newest note of samples sent again (sync::again) it carries; 0: none.
    pub again_to: i64,
}

pub fn pending(conn: &Connection) -> rusqlite::Result<Option<Pending>> {
    conn.query_row(
        "SELECT seq, from_ts, to_ts, samples, checksum, body, again_to FROM sync_outbox ORDER BY seq LIMIT 1",
        [],
        |r| {
            Ok(Pending {
                seq: r.get(0)?,
                from_ts: r.get(1)?,
                to_ts: r.get(2)?,
                samples: r.get(3)?,
                checksum: r.get(4)?,
                body: r.get(5)?,
                again_to: r.get(6)?,
            })
        },
    )
    .optional()
}

/// The time of the first sample at or after `from`, in any tag, wherever it is stored.
pub fn next_sample_ts(conn: &Connection, from: i64) -> rusqlite::Result<Option<i64>> {
    let hot: Option<i64> = crate::store::hot::since(conn, from)?.first().map(|s| s.ts);
    // A block whose samples reach `from` starts at most an hour before it (its window).
    let blocks: Option<i64> = conn.query_row(
        "SELECT min(max(first, ?1)) FROM blocks WHERE t0 > ?1 - 3600001 AND last >= ?1",
        [from],
        |r| r.get(0),
    )?;
    let fresh: Option<i64> = conn.query_row(
        "SELECT min(max(first, ?1)) FROM blocks_fresh WHERE t0 > ?1 - 3600001 AND last >= ?1",
        [from],
        |r| r.get(0),
    )?;
    Ok([hot, blocks, fresh].into_iter().flatten().min())
}

pub fn tag_infos(conn: &Connection) -> rusqlite::Result<Vec<TagInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, d.key, t.name, t.unit FROM tags t JOIN devices d ON d.id = t.device_id ORDER BY t.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(TagInfo {
            id: r.get(0)?,
            device: r.get(1)?,
            name: r.get(2)?,
            unit: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Every sample with `from <= ts < to`, per tag (tags without samples left out).
pub fn read_samples(
    conn: &Connection,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<(TagInfo, Vec<Sample>)>> {
    let mut out = Vec::new();
    for info in tag_infos(conn)? {
        let samples = raw::read(conn, info.id, from, to)?;
        if !samples.is_empty() {
            out.push((info, samples));
        }
    }
    Ok(out)
}

/// Reads every sample with `from <= ts < to` into a batch in columns (without site and
/// seq).
pub fn read_batch(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<Batch> {
    Ok(columns(from, to, read_samples(conn, from, to)?))
}

/// Samples per tag as a batch in columns (without site and seq).
pub fn columns(from: i64, to: i64, per_tag: Vec<(TagInfo, Vec<Sample>)>) -> Batch {
    let mut batch = Batch {
        site: String::new(),
        seq: 0,
        from_ts: from,
        to_ts: to,
        tags: Vec::new(),
        tag: Vec::new(),
        ts: Vec::new(),
        value: Vec::new(),
        text: Vec::new(),
        quality: Vec::new(),
    };
    for (info, samples) in per_tag {
        for s in &samples {
            batch.tag.push(info.id);
            batch.ts.push(s.ts);
            match s.raw_value() {
                Some(Value::Number(v)) => {
                    batch.value.push(Some(*v));
                    batch.text.push(None);
                }
                Some(Value::Text(t)) => {
                    batch.value.push(None);
                    batch.text.push(Some(t.to_string()));
                }
                None => {
                    batch.value.push(None);
                    batch.text.push(None);
                }
            }
            batch.quality.push(s.quality.code());
        }
        batch.tags.push(info);
    }
    batch
}

/// The body of a raw samples' batch as compressed blocks (wire::BlocksHeader): per tag
/// its samples of the range in the historian's block format, so a sample costs on the
/// wire what it costs on disk.
pub fn encode_blocks(
    site: &str,
    seq: i64,
    from: i64,
    to: i64,
    per_tag: Vec<(TagInfo, Vec<Sample>)>,
) -> std::io::Result<Vec<u8>> {
    encode_blocks_again(site, seq, from, to, per_tag, Vec::new())
}

/// As [`encode_blocks`], with `again`: per tag samples below `from` sent again
/// (sync::again), after the range's blocks and marked so.
pub fn encode_blocks_again(
    site: &str,
    seq: i64,
    from: i64,
    to: i64,
    per_tag: Vec<(TagInfo, Vec<Sample>)>,
    again: Vec<(TagInfo, Vec<Sample>)>,
) -> std::io::Result<Vec<u8>> {
    let mut header = BlocksHeader {
        site: site.to_string(),
        seq,
        from_ts: from,
        to_ts: to,
        tags: Vec::with_capacity(per_tag.len()),
        blocks: Vec::with_capacity(per_tag.len()),
    };
    let mut data = Vec::new();
    let marked = per_tag
        .into_iter()
        .map(|t| (false, t))
        .chain(again.into_iter().map(|t| (true, t)));
    for (again, (info, samples)) in marked {
        let block = crate::store::codec::encode(&samples);
        header.blocks.push(BlockRef {
            tag: info.id,
            n: samples.len() as i64,
            len: block.len() as u64,
            again,
        });
        if !header.tags.iter().any(|t| t.id == info.id) {
            header.tags.push(info);
        }
        data.extend_from_slice(&block);
    }
    let json = serde_json::to_vec(&header)?;
    let head = zstd::bulk::compress(&json, 3)?;
    let mut body = Vec::with_capacity(8 + head.len() + data.len());
    body.extend_from_slice(BLOCKS_MAGIC);
    body.extend_from_slice(&(head.len() as u32).to_le_bytes());
    body.extend_from_slice(&head);
    body.extend_from_slice(&data);
    Ok(body)
}

/// Makes the next batch, if there are samples old enough to send, and keeps it in the
/// outbox with the next sequence number. Returns it (or the one already waiting).
pub fn make_next(conn: &mut Connection, site: &str, now: i64) -> rusqlite::Result<Option<Pending>> {
    if let Some(p) = pending(conn)? {
        return Ok(Some(p));
    }
    // Samples written below this from now on are noted to go again (sync::again): no
    // batch made now ends past it.
    super::again::making(conn, now - SETTLE_MS)?;
    // One snapshot for the blocks noted as removed, the samples noted to go again and
    // the samples read (see `lost`).
    let read = conn.transaction()?;
    let st = state(&read)?;
    let (noted, lost) = super::lost::raw_removed(&read, st.acked_to_ts)?;
    let (again_to, again) = super::again::read(&read, st.acked_to_ts, MAX_SAMPLES)?;
    let again_n: usize = again.iter().map(|(_, s)| s.len()).sum();
    // Many samples to send again: the batch holds only them, the range waits.
    let made = if again_n >= FEW_SAMPLES {
        None
    } else {
        read_next(&read, &st, now)?
    };
    read.commit()?;
    let from = st.acked_to_ts;
    let (to, per_tag) = match made {
        Some(m) => m,
        // Only samples to send again: an empty range at the position.
        None if again_n > 0 => (from, Vec::new()),
        // Notes whose samples all lie at or after the position: the range takes them.
        None if again_to > 0 => {
            let tx = crate::store::write_tx(conn)?;
            super::again::acknowledged(&tx, again_to)?;
            if noted > 0 {
                super::lost::keep(&tx, noted, &lost, now)?;
            }
            tx.commit()?;
            return Ok(None);
        }
        None => {
            if noted > 0 {
                let tx = crate::store::write_tx(conn)?;
                super::lost::keep(&tx, noted, &lost, now)?;
                tx.commit()?;
            }
            return Ok(None);
        }
    };
    let samples: usize = per_tag.iter().map(|(_, s)| s.len()).sum::<usize>() + again_n;
    let body = encode_blocks_again(site, st.next_seq, from, to, per_tag, again)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let p = Pending {
        seq: st.next_seq,
        from_ts: from,
        to_ts: to,
        samples: samples as i64,
        checksum: hex::encode(Sha256::digest(&body)),
        body,
        again_to,
    };
    let tx = crate::store::write_tx(conn)?;
    tx.execute(
        "INSERT INTO sync_outbox (seq, from_ts, to_ts, samples, checksum, body, made_ts, again_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            p.seq, p.from_ts, p.to_ts, p.samples, p.checksum, p.body, now, p.again_to
        ],
    )?;
    tx.execute(
        "UPDATE sync_state SET next_seq = ?1 WHERE id = 1",
        [p.seq + 1],
    )?;
    if noted > 0 {
        super::lost::keep(&tx, noted, &lost, now)?;
    }
    tx.commit()?;
    Ok(Some(p))
}

/// Samples per tag, as a batch holds them.
type PerTag = Vec<(TagInfo, Vec<Sample>)>;

/// The end and the samples of the next batch from the position, if there are samples
/// old enough to send: from the position to just past the first sample to send, then a
/// window, halved while it holds too many samples.
fn read_next(conn: &Connection, st: &State, now: i64) -> rusqlite::Result<Option<(i64, PerTag)>> {
    let limit = now - SETTLE_MS;
    let Some(first) = next_sample_ts(conn, st.acked_to_ts)? else {
        return Ok(None);
    };
    if first >= limit {
        return Ok(None);
    }
    let from = st.acked_to_ts;
    let mut span = WINDOW_MS;
    let mut may_grow = true;
    loop {
        let to = (first + span).min(limit);
        let per_tag = read_samples(conn, from, to)?;
        let n: usize = per_tag.iter().map(|(_, s)| s.len()).sum();
        if n > MAX_SAMPLES && span > 1000 {
            span /= 2;
            may_grow = false;
        } else if may_grow
            && n < FEW_SAMPLES
            && span < MAX_WINDOW_MS
            && first + span * 4 <= limit - WINDOW_MS
        {
            // Closed history only: near the present the windows stay short, so the
            // position follows what was stored and no further.
            span = (span * 4).min(MAX_WINDOW_MS);
        } else {
            return Ok(Some((to, per_tag)));
        }
    }
}

/// The central server acknowledged batch `p`: the position moves to its end and it
/// leaves the outbox, in one transaction.
pub fn acknowledged(conn: &mut Connection, p: &Pending, now: i64) -> rusqlite::Result<()> {
    let tx = crate::store::write_tx(conn)?;
    tx.execute("DELETE FROM sync_outbox WHERE seq = ?1", [p.seq])?;
    super::again::acknowledged(&tx, p.again_to)?;
    tx.execute(
        "UPDATE sync_state SET acked_to_ts = max(acked_to_ts, ?1), last_seq = ?2, last_ack_ts = ?3,
             last_samples = ?4, last_bytes = ?5, last_attempt_ts = ?3, last_error = '',
             failures = 0, parked = '' WHERE id = 1",
        params![p.to_ts, p.seq, now, p.samples, p.body.len() as i64],
    )?;
    tx.commit()
}

/// An attempt failed (the link, the server): counted, with its reason.
pub fn failed(conn: &Connection, error: &str, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sync_state SET last_attempt_ts = ?1, last_error = ?2, failures = failures + 1 WHERE id = 1",
        params![now, error],
    )?;
    Ok(())
}

/// The central server refused the batch: it waits, with the reason, for the admin.
pub fn park(conn: &Connection, reason: &str, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sync_state SET last_attempt_ts = ?1, last_error = ?2, parked = ?2 WHERE id = 1",
        params![now, reason],
    )?;
    Ok(())
}

/// Samples with `ts >= from` not yet acknowledged: hot rows, whole blocks after `from`,
/// and of a block that straddles `from` the samples after it.
pub fn backlog_samples(conn: &Connection, from: i64) -> rusqlite::Result<i64> {
    let hot = crate::store::hot::since(conn, from)?.len() as i64;
    let mut total = hot;
    for table in ["blocks", "blocks_fresh"] {
        let whole: i64 = conn.query_row(
            &format!("SELECT coalesce(sum(n), 0) FROM {table} WHERE first >= ?1"),
            [from],
            |r| r.get(0),
        )?;
        total += whole;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT tag_id, data FROM {table} WHERE first < ?1 AND last >= ?1"
        ))?;
        let rows = stmt.query_map([from], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        for row in rows {
            let (tag, data) = row?;
            if let Ok(samples) = crate::store::codec::decode(tag, &data) {
                total += samples.iter().filter(|s| s.ts >= from).count() as i64;
            }
        }
    }
    Ok(total)
}
