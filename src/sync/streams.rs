//! The streams beyond raw samples: minute and hour rollups, production entries, the
//! audit log and configuration versions. Each has its own position (high-water mark)
//! and numbering in `sync_streams`, and its batch waiting in `sync_stream_outbox`, kept
//! as sent until the central server acknowledges it, exactly as raw samples' batches
//! are. The central server applies a stream's batch once by (site, stream, seq) and
//! upserts its rows by their keys, so a batch sent again changes nothing.
//!
//! Positions: rollups go by hour (an hour is sent once every sample of it is out of the
//! hot rows, so its rollups are final); production entries by the time they were entered
//! or changed; audit and configuration versions by row id (they are only appended).

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::outbox::SETTLE_MS;
use super::wire::{Record, RollupCols, StreamBatch, TagInfo};
use crate::store::rollup::{self, HOUR_MS, Rollup, Table};

/// The data classes an admin can let leave the plant, in the order they are sent.
pub const CLASSES: &[&str] = &["raw", "rollups", "production", "audit", "config"];
/// What leaves the plant unless the admin chooses otherwise.
pub const DEFAULT_CLASSES: &str = "rollups,production";
/// The streams of this module (raw samples travel through `outbox`).
pub const STREAMS: &[&str] = &["rollups", "production", "audit", "config"];

/// The most rollup rows (minutes and hours) in one batch.
const MAX_ROLLUP_ROWS: i64 = 120_000;
/// The most records in one batch.
const MAX_RECORDS: usize = 5_000;

/// Parses and checks a list of classes ("rollups,production"); returns it in the
/// canonical order, comma-separated.
pub fn parse_classes(text: &str) -> Result<String, String> {
    let mut chosen = Vec::new();
    for c in text.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        if !CLASSES.contains(&c) {
            return Err(format!(
                "unknown data class {c:?}: choose among {}",
                CLASSES.join(", ")
            ));
        }
        chosen.push(c);
    }
    Ok(CLASSES
        .iter()
        .filter(|c| chosen.contains(c))
        .copied()
        .collect::<Vec<_>>()
        .join(","))
}

/// The classes chosen, as stored.
pub fn classes(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let text: String = conn.query_row("SELECT classes FROM sync_state WHERE id = 1", [], |r| {
        r.get(0)
    })?;
    Ok(text
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect())
}

/// A stream's position and numbering.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StreamState {
    pub position: i64,
    pub next_seq: i64,
    pub last_seq: i64,
    pub last_ack_ts: Option<i64>,
    pub rows_sent: i64,
    pub bytes_sent: i64,
    /// Items sent in all (rollups: tag-hours; otherwise entries or versions).
    pub items_sent: i64,
}

pub fn stream_state(conn: &Connection, stream: &str) -> rusqlite::Result<StreamState> {
    Ok(conn
        .query_row(
            "SELECT position, next_seq, last_seq, last_ack_ts, rows_sent, bytes_sent, items_sent
             FROM sync_streams WHERE stream = ?1",
            [stream],
            |r| {
                Ok(StreamState {
                    position: r.get(0)?,
                    next_seq: r.get(1)?,
                    last_seq: r.get(2)?,
                    last_ack_ts: r.get(3)?,
                    rows_sent: r.get(4)?,
                    bytes_sent: r.get(5)?,
                    items_sent: r.get(6)?,
                })
            },
        )
        .optional()?
        .unwrap_or(StreamState {
            next_seq: 1,
            ..StreamState::default()
        }))
}

/// A stream's batch made and waiting for its acknowledgement.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamPending {
    pub stream: String,
    pub seq: i64,
    pub from_pos: i64,
    pub to_pos: i64,
    pub rows: i64,
    /// Its items (rollups: tag-hours; otherwise entries or versions).
    pub items: i64,
    pub checksum: String,
    pub body: Vec<u8>,
}

pub fn pending(conn: &Connection, stream: &str) -> rusqlite::Result<Option<StreamPending>> {
    conn.query_row(
        "SELECT seq, from_pos, to_pos, rows, checksum, body, items FROM sync_stream_outbox
         WHERE stream = ?1 ORDER BY seq LIMIT 1",
        [stream],
        |r| {
            Ok(StreamPending {
                stream: stream.to_string(),
                seq: r.get(0)?,
                from_pos: r.get(1)?,
                to_pos: r.get(2)?,
                rows: r.get(3)?,
                checksum: r.get(4)?,
                body: r.get(5)?,
                items: r.get(6)?,
            })
        },
    )
    .optional()
}

/// Forgets every stream's position and waiting batch (the plant syncs to another site).
pub fn reset(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DELETE FROM sync_stream_outbox; DELETE FROM sync_streams; DELETE FROM sync_resend_records;",
    )
}

fn empty_batch(stream: &str, from: i64, to: i64) -> StreamBatch {
    StreamBatch {
        site: String::new(),
        stream: stream.to_string(),
        seq: 0,
        from_pos: from,
        to_pos: to,
        tags: Vec::new(),
        minutes: None,
        hours: None,
        records: Vec::new(),
    }
}

/// The rows of `stream` after `position` that are ready to go, as a batch (without site
/// and seq); None when there are none.
pub fn read_next(
    conn: &Connection,
    stream: &str,
    position: i64,
    now: i64,
) -> rusqlite::Result<Option<StreamBatch>> {
    match stream {
        "rollups" => read_rollups(conn, position, now),
        "production" => read_production(conn, position, now),
        "audit" => read_appended(conn, "audit", position),
        "config" => read_appended(conn, "config", position),
        _ => Ok(None),
    }
}

/// The end (exclusive) of the hours whose rollups are final: every sample before it has
/// left the hot rows, the fresh blocks and the short blocks (rollups are written as
/// samples are packed into hour blocks), and it is older than the settling time.
pub fn rollups_limit(conn: &Connection, now: i64) -> rusqlite::Result<i64> {
    let hot: Option<i64> = crate::store::hot::oldest(conn)?;
    // Fresh ten-minute blocks are merged into their hour's block when the hour closes,
    // and the hour's rollups written again then.
    let fresh: Option<i64> =
        conn.query_row("SELECT min(t0) FROM blocks_fresh", [], |r| r.get(0))?;
    // Blocks shorter than an hour (an older release's, or history written in ten-minute
    // blocks) are merged into hour blocks in the background, and their hour's rollups
    // written again then.
    let short: Option<i64> =
        conn.query_row("SELECT min(t0) FROM blocks WHERE span < 3600000", [], |r| {
            r.get(0)
        })?;
    let edge = [hot, fresh, short, Some(now - SETTLE_MS)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(now - SETTLE_MS);
    Ok(edge.div_euclid(HOUR_MS) * HOUR_MS)
}

fn read_rollups(
    conn: &Connection,
    position: i64,
    now: i64,
) -> rusqlite::Result<Option<StreamBatch>> {
    let limit = rollups_limit(conn, now)?;
    let first: Option<i64> = conn.query_row(
        "SELECT min(t) FROM rollup_1h WHERE t >= ?1 AND t < ?2",
        [position, limit],
        |r| r.get(0),
    )?;
    let Some(first) = first else {
        return Ok(None);
    };
    // Whole hours from the first one with rollups, as many as fit (a minute row per
    // stored minute, and the hour's row).
    let mut to = first + HOUR_MS;
    while to < limit && to < first + 24 * HOUR_MS {
        let rows: i64 = conn.query_row(
            "SELECT count(*) FROM rollup_1h WHERE t >= ?1 AND t < ?2",
            [first, to + HOUR_MS],
            |r| r.get(0),
        )?;
        if rows * 61 > MAX_ROLLUP_ROWS {
            break;
        }
        to += HOUR_MS;
    }
    let mut batch = empty_batch("rollups", position, to);
    let mut minutes = RollupCols::default();
    let mut hours = RollupCols::default();
    let mut bad_tags = Vec::new();
    for info in super::outbox::tag_infos(conn)? {
        let h = rollup::load(conn, Table::Hour, info.id, first, to)?;
        if h.is_empty() {
            continue;
        }
        let m = rollup::minutes(conn, info.id, first, to)?;
        if m.iter().any(|r| r.bad > 0) {
            bad_tags.push(info.id);
        }
        push_rollups(&mut hours, info.id, &h);
        push_rollups(&mut minutes, info.id, &m);
        batch.tags.push(info);
    }
    batch.minutes = Some(minutes);
    batch.hours = Some(hours);
    // What the central server measures completeness with (shifts, intervals, Plantlog's
    // down periods, devices offline), as records upserted by their keys.
    batch.records = super::presence::records(conn, position, first, to, &bad_tags)?;
    Ok(Some(batch))
}

/// The most tag-hours sent again in one batch.
const MAX_RESENT: i64 = 1_000;

/// Tag-hours below `position` whose rollups were written again after they were sent
/// (noted by a trigger, migration 18), as a batch that leaves the position where it is:
/// their minutes and hours as they are now, with the completeness facts of their time.
/// Returns the newest note it covers.
fn read_rewritten(
    conn: &Connection,
    position: i64,
) -> rusqlite::Result<Option<(i64, StreamBatch)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, tag_id, t FROM sync_resend_rollups ORDER BY id LIMIT ?1")?;
    let notes = stmt
        .query_map([MAX_RESENT], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let Some(newest) = notes.last().map(|n| n.0) else {
        return Ok(None);
    };
    let hours: std::collections::BTreeSet<(i64, i64)> = notes.iter().map(|n| (n.1, n.2)).collect();
    let mut batch = empty_batch("rollups", position, position);
    let mut minutes = RollupCols::default();
    let mut rows = RollupCols::default();
    let mut bad_tags = Vec::new();
    let infos = super::outbox::tag_infos(conn)?;
    let (mut first, mut to) = (i64::MAX, i64::MIN);
    for info in infos {
        let mut any = false;
        for &(_, t) in hours.range((info.id, i64::MIN)..=(info.id, i64::MAX)) {
            let h = rollup::load(conn, Table::Hour, info.id, t, t + HOUR_MS)?;
            let m = rollup::minutes(conn, info.id, t, t + HOUR_MS)?;
            if m.iter().any(|r| r.bad > 0) && !bad_tags.contains(&info.id) {
                bad_tags.push(info.id);
            }
            push_rollups(&mut rows, info.id, &h);
            push_rollups(&mut minutes, info.id, &m);
            first = first.min(t);
            to = to.max(t + HOUR_MS);
            any = true;
        }
        if any {
            batch.tags.push(info);
        }
    }
    if first < to {
        batch.records = super::presence::records(conn, first, first, to, &bad_tags)?;
    }
    batch.minutes = Some(minutes);
    batch.hours = Some(rows);
    Ok(Some((newest, batch)))
}

fn push_rollups(cols: &mut RollupCols, tag: i64, rollups: &[Rollup]) {
    for r in rollups {
        cols.tag.push(tag);
        cols.t.push(r.t);
        cols.first_ts.push(r.first.map(|x| x.0));
        cols.first.push(r.first.map(|x| x.1));
        cols.last_ts.push(r.last.map(|x| x.0));
        cols.last.push(r.last.map(|x| x.1));
        cols.min_ts.push(r.min.map(|x| x.0));
        cols.min.push(r.min.map(|x| x.1));
        cols.max_ts.push(r.max.map(|x| x.0));
        cols.max.push(r.max.map(|x| x.1));
        cols.sum.push(r.sum);
        cols.twa_sum.push(r.twa_sum);
        cols.twa_ms.push(r.twa_ms);
        cols.good.push(r.good);
        cols.bad.push(r.bad);
    }
}

/// The production record kinds: each one's query (with `{w}` for its condition), its
/// condition by change time (`?1 <= at < ?2`) and by its key in its table (`?1`, `?2`:
/// sync_resend_records' a and b).
const PRODUCTION: &[(&str, &str, &str, &str)] = &[
    (
        "reason",
        "SELECT CAST(id AS TEXT), created_at, json_object('kind', kind, 'category', category,
             'name', name, 'planned', planned, 'active', active, 'created_by', created_by)
         FROM reasons WHERE {w}",
        "created_at >= ?1 AND created_at < ?2",
        "id = ?1 AND ?2 = 0",
    ),
    (
        "stop_reason",
        "SELECT m.key || '@' || s.at, s.entered_at, json_object('machine', m.key, 'at', s.at,
             'category', r.category, 'reason', r.name, 'comment', s.comment,
             'entered_by', s.entered_by, 'entered_at', s.entered_at)
         FROM stop_reasons s JOIN machines m ON m.id = s.machine_id
         LEFT JOIN reasons r ON r.id = s.reason_id
         WHERE {w}",
        "s.entered_at >= ?1 AND s.entered_at < ?2",
        "s.machine_id = ?1 AND s.at = ?2",
    ),
    (
        "planned_stop",
        "SELECT CAST(p.id AS TEXT), max(p.entered_at, coalesce(p.cancelled_at, 0)),
             json_object('machine', m.key, 'from_ts', p.from_ts, 'to_ts', p.to_ts,
             'category', r.category, 'reason', r.name, 'comment', p.comment,
             'entered_by', p.entered_by, 'entered_at', p.entered_at,
             'cancelled_by', p.cancelled_by, 'cancelled_at', p.cancelled_at)
         FROM planned_stops p LEFT JOIN machines m ON m.id = p.machine_id
         LEFT JOIN reasons r ON r.id = p.reason_id
         WHERE {w}",
        "max(p.entered_at, coalesce(p.cancelled_at, 0)) >= ?1
           AND max(p.entered_at, coalesce(p.cancelled_at, 0)) < ?2",
        "p.id = ?1 AND ?2 = 0",
    ),
    (
        "scrap",
        "SELECT CAST(s.id AS TEXT), s.entered_at, json_object('machine', m.key, 'ts', s.ts,
             'parts', s.parts, 'category', r.category, 'reason', r.name, 'comment', s.comment,
             'entered_by', s.entered_by, 'entered_at', s.entered_at)
         FROM scrap s JOIN machines m ON m.id = s.machine_id
         LEFT JOIN reasons r ON r.id = s.reason_id
         WHERE {w}",
        "s.entered_at >= ?1 AND s.entered_at < ?2",
        "s.id = ?1 AND ?2 = 0",
    ),
    (
        "ideal_cycle",
        "SELECT m.key || '@' || c.from_ts, c.entered_at, json_object('machine', m.key,
             'from_ts', c.from_ts, 'cycle_ms', c.cycle_ms, 'comment', c.comment,
             'entered_by', c.entered_by, 'entered_at', c.entered_at)
         FROM ideal_cycles c JOIN machines m ON m.id = c.machine_id
         WHERE {w}",
        "c.entered_at >= ?1 AND c.entered_at < ?2",
        "c.machine_id = ?1 AND c.from_ts = ?2",
    ),
];

/// The production records of `kind` whose condition `w` holds for (`p1`, `p2`).
fn production_records(
    conn: &Connection,
    kind: &str,
    sql: &str,
    w: &str,
    p1: i64,
    p2: i64,
) -> rusqlite::Result<Vec<Record>> {
    let mut stmt = conn.prepare_cached(&sql.replace("{w}", w))?;
    let rows = stmt.query_map([p1, p2], |r| {
        let data: String = r.get(2)?;
        Ok(Record {
            kind: kind.to_string(),
            key: r.get(0)?,
            at: r.get(1)?,
            data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
        })
    })?;
    rows.collect()
}

/// Production entries entered or changed at `position <= at < now - settle`: reasons,
/// stop reasons, planned stops (and their cancelling), scrap and ideal cycle times, with
/// machines and reasons by their keys and names.
fn read_production(
    conn: &Connection,
    position: i64,
    now: i64,
) -> rusqlite::Result<Option<StreamBatch>> {
    let limit = now - SETTLE_MS;
    if position >= limit {
        return Ok(None);
    }
    let mut records = Vec::new();
    for (kind, sql, by_time, _) in PRODUCTION {
        records.extend(production_records(
            conn, kind, sql, by_time, position, limit,
        )?);
    }
    if records.is_empty() {
        // Nothing entered since the position: it moves on without a batch.
        conn.execute(
            "INSERT INTO sync_streams (stream, position) VALUES ('production', ?1)
             ON CONFLICT (stream) DO UPDATE SET position = max(position, excluded.position)",
            [limit],
        )?;
        return Ok(None);
    }
    records.sort_by(|a, b| (a.at, &a.kind, &a.key).cmp(&(b.at, &b.kind, &b.key)));
    // At most MAX_RECORDS, never splitting the records of one time.
    let mut to = limit;
    if records.len() > MAX_RECORDS {
        let cut = records[MAX_RECORDS].at;
        to = if cut > records[0].at { cut } else { cut + 1 };
        records.retain(|r| r.at < to);
    }
    let mut batch = empty_batch("production", position, to);
    batch.records = records;
    Ok(Some(batch))
}

/// Production entries sent before and changed since without a new change time (noted
/// by a trigger, migration 20: a reason renamed and the entries naming it), as they are
/// now, in a batch that leaves the position where it is. Returns the newest note it
/// covers (0: none) and the batch (None when none of them is below the position any
/// more: the range carries them).
fn read_changed_records(
    conn: &Connection,
    position: i64,
) -> rusqlite::Result<(i64, Option<StreamBatch>)> {
    let mut stmt =
        conn.prepare_cached("SELECT id, kind, a, b FROM sync_resend_records ORDER BY id LIMIT ?1")?;
    let notes = stmt
        .query_map([MAX_RECORDS as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let newest = notes.last().map_or(0, |n| n.0);
    let mut records: Vec<Record> = Vec::new();
    for (_, kind, a, b) in &notes {
        let Some((_, sql, _, by_key)) = PRODUCTION.iter().find(|q| q.0 == kind) else {
            continue;
        };
        for r in production_records(conn, kind, sql, by_key, *a, *b)? {
            // One changed at or after the position goes in the range anyway.
            if r.at < position && !records.iter().any(|x| x.kind == r.kind && x.key == r.key) {
                records.push(r);
            }
        }
    }
    if records.is_empty() {
        return Ok((newest, None));
    }
    records.sort_by(|a, b| (a.at, &a.kind, &a.key).cmp(&(b.at, &b.kind, &b.key)));
    let mut batch = empty_batch("production", position, position);
    batch.records = records;
    Ok((newest, Some(batch)))
}

/// Audit entries or configuration versions with id >= `position` (only appended).
fn read_appended(
    conn: &Connection,
    stream: &str,
    position: i64,
) -> rusqlite::Result<Option<StreamBatch>> {
    let (kind, sql) = if stream == "audit" {
        (
            "audit",
            "SELECT id, ts, json_object('ts', ts, 'actor', actor, 'action', action,
                 'target', target, 'detail', detail, 'client', client)
             FROM audit WHERE id >= ?1 ORDER BY id LIMIT ?2",
        )
    } else {
        (
            "config_version",
            "SELECT id, ts, json_object('ts', ts, 'actor', actor, 'toml', toml)
             FROM config_versions WHERE id >= ?1 ORDER BY id LIMIT ?2",
        )
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![position, MAX_RECORDS as i64], |r| {
        let data: String = r.get(2)?;
        Ok((
            r.get::<_, i64>(0)?,
            Record {
                kind: kind.to_string(),
                key: r.get::<_, i64>(0)?.to_string(),
                at: r.get(1)?,
                data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
            },
        ))
    })?;
    let mut records = Vec::new();
    let mut last = position;
    for row in rows {
        let (id, rec) = row?;
        last = id;
        records.push(rec);
    }
    if records.is_empty() {
        return Ok(None);
    }
    let mut batch = empty_batch(stream, position, last + 1);
    batch.records = records;
    Ok(Some(batch))
}

/// The rows a batch holds.
pub fn rows_of(b: &StreamBatch) -> i64 {
    (b.records.len()
        + b.minutes.as_ref().map_or(0, |m| m.t.len())
        + b.hours.as_ref().map_or(0, |h| h.t.len())) as i64
}

/// Makes the stream's next batch (or returns the one waiting) and keeps it in the outbox.
pub fn make_next(
    conn: &mut Connection,
    site: &str,
    stream: &str,
    now: i64,
) -> rusqlite::Result<Option<StreamPending>> {
    if let Some(p) = pending(conn, stream)? {
        return Ok(Some(p));
    }
    if stream == "audit" {
        // Entries retention removed before they were sent: reported, and the position
        // moves past them (they cannot be sent any more).
        let position = stream_state(conn, stream)?.position;
        if let Some(gap) = super::lost::audit_gap(conn, position)? {
            let tx = crate::store::write_tx(conn)?;
            super::lost::keep(&tx, 0, std::slice::from_ref(&gap), now)?;
            tx.execute(
                "INSERT INTO sync_streams (stream, position) VALUES ('audit', ?1)
                 ON CONFLICT (stream) DO UPDATE SET position = max(position, excluded.position)",
                [gap.to_ts + 1],
            )?;
            tx.commit()?;
        }
    }
    if stream == "rollups" {
        // Rollups retention removed before they were sent: reported.
        let (newest, lost) = super::lost::rollups_removed(conn)?;
        if newest > 0 {
            let tx = crate::store::write_tx(conn)?;
            super::lost::keep(&tx, 0, &lost, now)?;
            super::lost::forget_rollup_notes(&tx, newest)?;
            tx.commit()?;
        }
    }
    if stream == "rollups" {
        // Hours this batch may read, from now on noted when written again (they may
        // go out as read before); notes of hours not sent yet are dropped (they go as
        // they are now).
        let limit = rollups_limit(conn, now)?;
        let tx = crate::store::write_tx(conn)?;
        tx.execute(
            "INSERT INTO sync_streams (stream, making_to) VALUES ('rollups', ?1)
             ON CONFLICT (stream) DO UPDATE SET making_to = max(making_to, excluded.making_to)",
            [limit],
        )?;
        tx.execute(
            "DELETE FROM sync_resend_rollups
             WHERE t >= (SELECT position FROM sync_streams WHERE stream = 'rollups')",
            [],
        )?;
        tx.commit()?;
    }
    if stream == "production" {
        // Entries this batch may read, from now on noted when changed without a new
        // change time (they may go out as read before).
        conn.execute(
            "INSERT INTO sync_streams (stream, making_to) VALUES ('production', ?1)
             ON CONFLICT (stream) DO UPDATE SET making_to = max(making_to, excluded.making_to)",
            [now - SETTLE_MS],
        )?;
    }
    let st = stream_state(conn, stream)?;
    // Hours sent before and written again since go first, as they are now; so do
    // production entries changed since they were sent.
    let mut resent = 0;
    let mut records_resent = 0;
    let batch = match stream {
        "rollups" => match read_rewritten(conn, st.position)? {
            Some((newest, b)) => {
                resent = newest;
                Some(b)
            }
            None => read_next(conn, stream, st.position, now)?,
        },
        "production" => match read_changed_records(conn, st.position)? {
            (newest, Some(b)) => {
                records_resent = newest;
                Some(b)
            }
            (newest, None) => {
                if newest > 0 {
                    // All at or after the position: the range carries them.
                    conn.execute("DELETE FROM sync_resend_records WHERE id <= ?1", [newest])?;
                }
                read_next(conn, stream, st.position, now)?
            }
        },
        _ => read_next(conn, stream, st.position, now)?,
    };
    let Some(mut batch) = batch else {
        return Ok(None);
    };
    batch.site = site.to_string();
    batch.seq = st.next_seq;
    let json = serde_json::to_vec(&batch)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let body = zstd::bulk::compress(&json, 3)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let p = StreamPending {
        stream: stream.to_string(),
        seq: batch.seq,
        from_pos: batch.from_pos,
        to_pos: batch.to_pos,
        rows: rows_of(&batch),
        items: batch
            .hours
            .as_ref()
            .map_or(batch.records.len(), |h| h.t.len()) as i64,
        checksum: hex::encode(Sha256::digest(&body)),
        body,
    };
    let tx = crate::store::write_tx(conn)?;
    tx.execute(
        "INSERT INTO sync_stream_outbox (stream, seq, from_pos, to_pos, rows, checksum, body, made_ts, items)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![p.stream, p.seq, p.from_pos, p.to_pos, p.rows, p.checksum, p.body, now, p.items],
    )?;
    if resent > 0 {
        // In the outbox now: sent, and sent again, as made.
        tx.execute("DELETE FROM sync_resend_rollups WHERE id <= ?1", [resent])?;
    }
    if records_resent > 0 {
        tx.execute(
            "DELETE FROM sync_resend_records WHERE id <= ?1",
            [records_resent],
        )?;
    }
    tx.execute(
        "INSERT INTO sync_streams (stream, position, next_seq) VALUES (?1, ?2, ?3)
         ON CONFLICT (stream) DO UPDATE SET next_seq = excluded.next_seq",
        params![p.stream, st.position, p.seq + 1],
    )?;
    tx.commit()?;
    Ok(Some(p))
}

/// The central server acknowledged the stream's batch: its position moves to the
/// batch's end and it leaves the outbox, in one transaction.
pub fn acknowledged(conn: &mut Connection, p: &StreamPending, now: i64) -> rusqlite::Result<()> {
    let tx = crate::store::write_tx(conn)?;
    tx.execute(
        "DELETE FROM sync_stream_outbox WHERE stream = ?1 AND seq = ?2",
        params![p.stream, p.seq],
    )?;
    tx.execute(
        "UPDATE sync_streams SET position = max(position, ?2), last_seq = ?3, last_ack_ts = ?4,
             rows_sent = rows_sent + ?5, bytes_sent = bytes_sent + ?6, items_sent = items_sent + ?7
         WHERE stream = ?1",
        params![
            p.stream,
            p.to_pos,
            p.seq,
            now,
            p.rows,
            p.body.len() as i64,
            p.items
        ],
    )?;
    tx.execute(
        "UPDATE sync_state SET last_attempt_ts = ?1, last_error = '', failures = 0 WHERE id = 1",
        [now],
    )?;
    tx.commit()
}

/// A tag's info as the batches carry it (re-exported for the tests).
pub fn tags(conn: &Connection) -> rusqlite::Result<Vec<TagInfo>> {
    super::outbox::tag_infos(conn)
}

/// What of a stream could leave now and has not been acknowledged: how many items
/// (rollups: tag-hours; production: entries; audit: entries; config: versions) and the
/// time of the oldest of them (UTC ms), None when nothing is waiting. Only what is
/// ready counts: a rollup hour still open, or an entry younger than the settling time,
/// is not late.
pub fn waiting(
    conn: &Connection,
    stream: &str,
    position: i64,
    now: i64,
) -> rusqlite::Result<(i64, Option<i64>)> {
    let pair = |sql: &str, a: i64, b: i64| -> rusqlite::Result<(i64, Option<i64>)> {
        conn.query_row(sql, [a, b], |r| Ok((r.get(0)?, r.get(1)?)))
    };
    match stream {
        "rollups" => pair(
            "SELECT count(*), min(t) FROM rollup_1h WHERE t >= ?1 AND t < ?2",
            position,
            rollups_limit(conn, now)?,
        ),
        "production" => pair(
            "SELECT count(*), min(at) FROM (
                 SELECT created_at AS at FROM reasons
                 UNION ALL SELECT entered_at FROM stop_reasons
                 UNION ALL SELECT max(entered_at, coalesce(cancelled_at, 0)) FROM planned_stops
                 UNION ALL SELECT entered_at FROM scrap
                 UNION ALL SELECT entered_at FROM ideal_cycles)
             WHERE at >= ?1 AND at < ?2",
            position,
            now - SETTLE_MS,
        ),
        "audit" => pair(
            "SELECT count(*), min(ts) FROM audit WHERE id >= ?1 AND ?2 = ?2",
            position,
            0,
        ),
        "config" => pair(
            "SELECT count(*), min(ts) FROM config_versions WHERE id >= ?1 AND ?2 = ?2",
            position,
            0,
        ),
        _ => Ok((0, None)),
    }
}
