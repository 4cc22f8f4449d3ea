//! Raw samples written below the raw position after it passed them (issue 14): history
//! loaded afterwards, a device's buffered readings merged into a window or hour already
//! packed. Triggers (migration 20) note each such tag and range in `sync_again_raw`
//! when a block is written with more samples than the blocks it replaced; the next raw
//! batch carries the tag's samples of the range below the position as blocks marked
//! `again` (wire::BlockRef), and the central server inserts them by (site, tag, time):
//! the new ones once, the ones it has unchanged. The notes leave when that batch is
//! acknowledged.
//!
//! The position the triggers compare with is the larger of the acknowledged position
//! and `raw_making_to`, set before a batch reads its samples, so samples written into
//! the range of a batch being made (after its read) are noted too.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};

use super::wire::TagInfo;
use crate::sample::Sample;
use crate::store::raw;

/// Samples per tag, as a batch holds them.
pub type PerTag = Vec<(TagInfo, Vec<Sample>)>;

/// Before a batch reads its samples: every `to` it may choose is below `bound` (the
/// settle limit), so samples written below it from now on are noted.
pub fn making(conn: &Connection, bound: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sync_state SET raw_making_to = max(raw_making_to, ?1) WHERE id = 1",
        [bound],
    )?;
    Ok(())
}

/// The samples noted to go again, below `position`, oldest notes first, up to about
/// `budget` samples (whole notes): the newest note taken (0 when none) and the samples
/// per tag (each once, in time order).
pub fn read(conn: &Connection, position: i64, budget: usize) -> rusqlite::Result<(i64, PerTag)> {
    // Stepped through, not loaded: a year of history loaded at once leaves a note per
    // tag and hour, and a batch takes only the oldest notes that fill its budget.
    let mut stmt =
        conn.prepare_cached("SELECT id, tag_id, from_ts, to_ts FROM sync_again_raw ORDER BY id")?;
    let notes = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut taken = 0;
    let mut per_tag: BTreeMap<i64, Vec<Sample>> = BTreeMap::new();
    let mut n = 0usize;
    for note in notes {
        if n >= budget {
            break;
        }
        let (id, tag, from, to) = note?;
        taken = id;
        // At or after the position the samples go in the batch's own range.
        let to = to.min(position);
        if from < to {
            let samples = raw::read(conn, tag, from, to)?;
            n += samples.len();
            per_tag.entry(tag).or_default().extend(samples);
        }
    }
    let infos = super::outbox::tag_infos(conn)?;
    let mut out = Vec::new();
    for (tag, mut samples) in per_tag {
        samples.sort_by_key(|s| s.ts);
        samples.dedup_by_key(|s| s.ts);
        if samples.is_empty() {
            continue;
        }
        // A tag no longer configured: its samples do not leave, as in a batch's range.
        let Some(info) = infos.iter().find(|i| i.id == tag).cloned() else {
            continue;
        };
        out.push((info, samples));
    }
    Ok((taken, out))
}

/// The batch carrying the notes up to `again_to` was acknowledged: they leave (in the
/// caller's transaction).
pub fn acknowledged(conn: &Connection, again_to: i64) -> rusqlite::Result<()> {
    if again_to > 0 {
        conn.execute(
            "DELETE FROM sync_again_raw WHERE id <= ?1",
            params![again_to],
        )?;
    }
    Ok(())
}

/// Tag-ranges noted and not yet acknowledged.
pub fn waiting(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM sync_again_raw", [], |r| r.get(0))
}
