//! What retention removed before it was sent (issue 14): reported as lost, by class,
//! tag and range, never skipped in silence.
//!
//! Raw samples: a trigger (migration 16) notes every block removed while some of its
//! samples were after the position. When the sync task makes its next batch it reads
//! those notes in the same snapshot as the samples: a note whose tag still has samples
//! over the block's time was a merge by the compactor (nothing lost); otherwise the
//! block's samples at or after the position were lost. Notes written after that
//! snapshot are decided at the next batch, against the position that batch moved to, so
//! samples that went out in the batch are not called lost.
//!
//! Audit entries: retention moves the audit chain's anchor past what it removes; entries
//! from the stream's position up to the anchor were removed before they were sent.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// A range lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lost {
    pub class: &'static str,
    pub tag_id: Option<i64>,
    pub from_ts: i64,
    pub to_ts: i64,
    pub count: i64,
}

/// What was lost in one class (and tag), in all, for the status.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LostStatus {
    pub class: String,
    /// The tag ("device/name"), for raw samples; empty for audit entries.
    pub tag: String,
    /// Raw samples: the first and last sample time lost (UTC ms); audit: entry numbers.
    pub from_ts: i64,
    pub to_ts: i64,
    /// Samples or entries.
    pub count: i64,
}

/// The raw blocks noted as removed (up to the newest note, returned as the first item)
/// decided against `position`: the ranges lost.
pub fn raw_removed(conn: &Connection, position: i64) -> rusqlite::Result<(i64, Vec<Lost>)> {
    let mut stmt = conn
        .prepare_cached("SELECT id, tag_id, first, last, n, data FROM sync_removed ORDER BY id")?;
    let notes = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Vec<u8>>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut still = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM blocks WHERE tag_id = ?1 AND first <= ?3 AND last >= ?2)
             OR EXISTS (SELECT 1 FROM blocks_fresh WHERE tag_id = ?1 AND first <= ?3 AND last >= ?2)",
    )?;
    let newest = notes.last().map_or(0, |n| n.0);
    // A block merged by the compactor and the merged block removed later: the later note
    // holds the earlier one's samples; count them once.
    let covered = |i: usize| {
        let (_, tag, first, last, n, _) = &notes[i];
        notes[i + 1..]
            .iter()
            .any(|(_, t, f, l, m, _)| t == tag && f <= first && l >= last && m >= n)
    };
    let mut lost = Vec::new();
    for (i, (_, tag, first, last, n, data)) in notes.iter().enumerate() {
        let (tag, first, last, n) = (*tag, *first, *last, *n);
        if last < position
            || covered(i)
            || still.query_row(params![tag, first, last], |r| r.get::<_, bool>(0))?
            || !crate::store::hot::read(conn, Some(tag), first, last.saturating_add(1))?.is_empty()
        {
            continue;
        }
        let (count, from) = if first >= position {
            (n, first)
        } else {
            // Partly sent: count the samples at or after the position.
            let after: Vec<i64> = crate::store::codec::decode(tag, data)
                .map(|s| {
                    s.into_iter()
                        .map(|s| s.ts)
                        .filter(|t| *t >= position)
                        .collect()
                })
                .unwrap_or_default();
            (
                after.len() as i64,
                after.first().copied().unwrap_or(position),
            )
        };
        if count > 0 {
            lost.push(Lost {
                class: "raw",
                tag_id: Some(tag),
                from_ts: from,
                to_ts: last,
                count,
            });
        }
    }
    Ok((newest, lost))
}

/// Keeps `lost` and forgets the notes up to `newest` (in the caller's transaction).
pub fn keep(conn: &Connection, newest: i64, lost: &[Lost], now: i64) -> rusqlite::Result<()> {
    let mut put = conn.prepare_cached(
        "INSERT INTO sync_lost (class, tag_id, from_ts, to_ts, count, found_ts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for l in lost {
        put.execute(params![l.class, l.tag_id, l.from_ts, l.to_ts, l.count, now])?;
        tracing::warn!(
            "sync: {} {} of tag {:?} ({}..{}) were removed by retention before they were sent",
            l.count,
            l.class,
            l.tag_id,
            l.from_ts,
            l.to_ts
        );
    }
    conn.execute("DELETE FROM sync_removed WHERE id <= ?1", [newest])?;
    Ok(())
}

/// Audit entries from `position` (the next entry number to send) that retention removed:
/// up to the audit chain's anchor.
pub fn audit_gap(conn: &Connection, position: i64) -> rusqlite::Result<Option<Lost>> {
    let anchor: Option<i64> = conn
        .query_row("SELECT last_id FROM audit_anchor WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(anchor.filter(|a| *a >= position.max(1)).map(|a| Lost {
        class: "audit",
        tag_id: None,
        from_ts: position.max(1),
        to_ts: a,
        count: a - position.max(1) + 1,
    }))
}

/// What was lost, per class and tag, in all.
pub fn totals(conn: &Connection) -> rusqlite::Result<Vec<LostStatus>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.class, coalesce(d.key || '/' || t.name, CASE WHEN l.tag_id IS NULL THEN '' ELSE 'tag ' || l.tag_id END),
                min(l.from_ts), max(l.to_ts), sum(l.count)
         FROM sync_lost l LEFT JOIN tags t ON t.id = l.tag_id LEFT JOIN devices d ON d.id = t.device_id
         GROUP BY l.class, l.tag_id ORDER BY l.class, 2",
    )?;
    stmt.query_map([], |r| {
        Ok(LostStatus {
            class: r.get(0)?,
            tag: r.get(1)?,
            from_ts: r.get(2)?,
            to_ts: r.get(3)?,
            count: r.get(4)?,
        })
    })?
    .collect()
}

/// The minute and hour rollups noted as removed (up to the newest note, returned as the
/// first item), decided now: a tag-hour whose rows are there again (rewritten), or whose
/// minutes can still be read from its samples, is not lost; the others are, in ranges of
/// consecutive hours per tag (count: tag-hours).
pub fn rollups_removed(conn: &Connection) -> rusqlite::Result<(i64, Vec<Lost>)> {
    use crate::store::rollup::{self, HOUR_MS, Table};
    let mut stmt =
        conn.prepare_cached("SELECT id, tbl, tag_id, t FROM sync_removed_rollups ORDER BY id")?;
    let notes = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let newest = notes.last().map_or(0, |n| n.0);
    let mut gone = std::collections::BTreeSet::new();
    for (_, tbl, tag, t) in &notes {
        let there = if tbl == "hour" {
            !rollup::load(conn, Table::Hour, *tag, *t, t + HOUR_MS)?.is_empty()
        } else {
            !rollup::minutes(conn, *tag, *t, t + HOUR_MS)?.is_empty()
        };
        if !there {
            gone.insert((*tag, *t));
        }
    }
    let mut lost: Vec<Lost> = Vec::new();
    for (tag, t) in gone {
        match lost.last_mut() {
            Some(l) if l.tag_id == Some(tag) && l.to_ts + 1 == t => {
                l.to_ts = t + HOUR_MS - 1;
                l.count += 1;
            }
            _ => lost.push(Lost {
                class: "rollups",
                tag_id: Some(tag),
                from_ts: t,
                to_ts: t + HOUR_MS - 1,
                count: 1,
            }),
        }
    }
    Ok((newest, lost))
}

/// Forgets the rollup notes up to `newest` (in the caller's transaction, with `keep`).
pub fn forget_rollup_notes(conn: &Connection, newest: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM sync_removed_rollups WHERE id <= ?1", [newest])?;
    Ok(())
}
