//! Deleting history on request (issue 17, item 3), beside a person and a tag
//! (src/takeout/forget.rs):
//!
//! - a machine's whole history: the samples and rollups of every tag on it, and its
//!   production data (stop reasons, planned stops for it alone, scrap, counter reviews,
//!   the production engine's hourly summaries), and its quality records: the production
//!   lots run on it with their checks, dispositions and scrap. Material moves issued to
//!   it or its lots stay, unlinked from the machine and the lot (the stores' stock on
//!   hand is the sum of the moves, so removing them would change it). The machine, its
//!   tags and its ideal cycles stay configured and record on from now;
//! - everything before a date for one data class (raw samples, minute or hour rollups,
//!   the audit log). This is the retention room's purge (src/store/retention.rs), run
//!   once for the date given: it is planned, done in small transactions and recorded in
//!   the purge history as the scheduled purges are; audit records are archived first as
//!   the scheduled purge archives them.
//!
//! Each is planned first (per table, how many rows), done only when the plan is still
//! what was shown, audited, and followed by VACUUM and a truncating checkpoint so the
//! space returns to the disk.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::forget::{ForgetError, Holding, compact};
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::store::retention::{self, Class, RetentionError, Settings};

/// The database file's size in bytes (pages in use and free).
pub fn file_bytes(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
        [],
        |r| r.get(0),
    )
}

/// The sample and rollup tables, keyed by tag.
const TAG_TABLES: [&str; 5] = [
    "samples_hot",
    "blocks",
    "blocks_fresh",
    "rollup_1m",
    "rollup_1h",
];

/// The production tables, keyed by machine.
const MACHINE_TABLES: [&str; 5] = [
    "stop_reasons",
    "planned_stops",
    "scrap",
    "counter_reviews",
    "production_hours",
];

/// The quality tables, keyed by the machine's key (through its production lots), in the
/// order they are deleted (what names a row goes first). `material_moves` is unlinked,
/// not deleted.
const QUALITY_TABLES: [&str; 5] = [
    "quality_dispositions",
    "quality_checks",
    "lot_scrap",
    "material_moves",
    "production_lots",
];

const LOTS_OF: &str = "SELECT id FROM production_lots WHERE machine_key = ?1";

fn quality_where(table: &str) -> String {
    match table {
        "quality_dispositions" => {
            format!("check_id IN (SELECT id FROM quality_checks WHERE lot_id IN ({LOTS_OF}))")
        }
        "quality_checks" | "lot_scrap" => format!("lot_id IN ({LOTS_OF})"),
        "material_moves" => format!("machine_key = ?1 OR lot_id IN ({LOTS_OF})"),
        _ => "machine_key = ?1".into(),
    }
}

/// Rows of each quality table the machine's history holds (tables with none left out).
fn quality_rows(conn: &Connection, key: &str) -> rusqlite::Result<Vec<Holding>> {
    let mut out = Vec::new();
    for t in QUALITY_TABLES {
        let rows: i64 = conn.query_row(
            &format!("SELECT count(*) FROM {t} WHERE {}", quality_where(t)),
            [key],
            |r| r.get(0),
        )?;
        if rows > 0 {
            out.push(Holding {
                table: t.to_string(),
                rows,
            });
        }
    }
    Ok(out)
}

/// Removes the machine's quality records and unlinks its material moves; rows per table.
fn forget_quality(conn: &Connection, key: &str) -> rusqlite::Result<Vec<Holding>> {
    let mut out = Vec::new();
    for t in QUALITY_TABLES {
        let rows = if t == "material_moves" {
            conn.execute(
                &format!(
                    "UPDATE material_moves SET machine_key = NULL, lot_id = NULL WHERE {}",
                    quality_where(t)
                ),
                [key],
            )?
        } else {
            if t == "quality_checks" {
                // A correction names the check it corrects; one of another machine's
                // lots that names one of these loses the link, not its own record.
                conn.execute(
                    &format!(
                        "UPDATE quality_checks SET corrects = NULL WHERE corrects IN \
                         (SELECT id FROM quality_checks WHERE lot_id IN ({LOTS_OF})) \
                         AND lot_id NOT IN ({LOTS_OF})"
                    ),
                    [key],
                )?;
            }
            conn.execute(
                &format!("DELETE FROM {t} WHERE {}", quality_where(t)),
                [key],
            )?
        } as i64;
        if rows > 0 {
            out.push(Holding {
                table: t.to_string(),
                rows,
            });
        }
    }
    Ok(out)
}

/// What deleting a machine's history would remove.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MachinePlan {
    #[cfg_attr(test, ts(type = "number"))]
    pub machine_id: i64,
    pub key: String,
    pub name: String,
    /// Its tags (configured, retired ones included), whose history goes.
    pub tags: Vec<String>,
    /// Samples held (blocks, fresh blocks, the hot table).
    #[cfg_attr(test, ts(type = "number"))]
    pub samples: i64,
    /// Rows per table that would be removed (tables with none left out).
    pub tables: Vec<Holding>,
    /// Quality rows per table that would be removed: production lots run on it, their
    /// checks, dispositions and scrap; `material_moves` are unlinked from the machine and
    /// the lot and kept, so stock on hand stays right.
    pub quality: Vec<Holding>,
    /// The database file's size now.
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes: i64,
}

/// What a deletion removed, and the file's size before and after.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Removed {
    /// Rows per table removed (for a class: blocks, rollup rows or audit records).
    pub tables: Vec<Holding>,
    /// A machine's quality rows removed per table (`material_moves`: unlinked, kept).
    pub quality: Vec<Holding>,
    #[cfg_attr(test, ts(type = "number"))]
    pub samples: i64,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes_before: i64,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes_after: i64,
    /// Archive files written first (audit records).
    pub archives: Vec<String>,
}

/// The ids of the machine's tags.
fn machine_tags(conn: &Connection, machine_id: i64) -> rusqlite::Result<Vec<i64>> {
    conn.prepare("SELECT id FROM tags WHERE machine_id = ?1")?
        .query_map([machine_id], |r| r.get(0))?
        .collect()
}

/// How many samples of the machine's tags the hot rows hold.
fn hot_samples(conn: &Connection, machine_id: i64) -> rusqlite::Result<i64> {
    Ok(crate::store::hot::of_tags(conn, &machine_tags(conn, machine_id)?)?.len() as i64)
}

fn where_of(table: &str) -> &'static str {
    if TAG_TABLES.contains(&table) {
        "tag_id IN (SELECT id FROM tags WHERE machine_id = ?1)"
    } else {
        "machine_id = ?1"
    }
}

pub fn plan_machine(conn: &Connection, machine: &str) -> Result<MachinePlan, ForgetError> {
    let (machine_id, key, name): (i64, String, String) = conn
        .query_row(
            "SELECT id, key, name FROM machines WHERE key = ?1 OR name = ?1 OR CAST(id AS TEXT) = ?1",
            [machine.trim()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or_else(|| ForgetError::NoMachine(machine.to_string()))?;
    let tags = conn
        .prepare(
            "SELECT d.key || '/' || t.name FROM tags t JOIN devices d ON d.id = t.device_id
             WHERE t.machine_id = ?1 ORDER BY 1",
        )?
        .query_map([machine_id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let hot = hot_samples(conn, machine_id)?;
    let samples: i64 = conn.query_row(
        "SELECT (SELECT coalesce(sum(n), 0) FROM blocks WHERE tag_id IN (SELECT id FROM tags WHERE machine_id = ?1))
              + (SELECT coalesce(sum(n), 0) FROM blocks_fresh WHERE tag_id IN (SELECT id FROM tags WHERE machine_id = ?1))",
        [machine_id],
        |r| r.get::<_, i64>(0),
    )? + hot;
    let mut tables = Vec::new();
    for t in TAG_TABLES.iter().chain(MACHINE_TABLES.iter()) {
        // Hot rows hold all tags of a commit: the machine's are counted in samples.
        let rows: i64 = if *t == "samples_hot" {
            hot
        } else {
            conn.query_row(
                &format!("SELECT count(*) FROM {t} WHERE {}", where_of(t)),
                [machine_id],
                |r| r.get(0),
            )?
        };
        if rows > 0 {
            tables.push(Holding {
                table: t.to_string(),
                rows,
            });
        }
    }
    let quality = quality_rows(conn, &key)?;
    Ok(MachinePlan {
        machine_id,
        key,
        name,
        tags,
        samples,
        tables,
        quality,
        bytes: file_bytes(conn)?,
    })
}

/// Deletes a machine's history as `plan` showed it. The plan is made again inside the
/// deleting transaction: rows that arrived since (the machine still records) go too,
/// but a plan that lost rows (someone else deleted) is refused as changed.
pub fn forget_machine(
    conn: &mut Connection,
    plan: &MachinePlan,
    actor: &Actor,
) -> Result<Removed, ForgetError> {
    let bytes_before = file_bytes(conn)?;
    let tx = crate::store::write_tx(conn)?;
    let mut tables = Vec::new();
    let mut samples = 0;
    for t in TAG_TABLES.iter().chain(MACHINE_TABLES.iter()) {
        match *t {
            "blocks" | "blocks_fresh" => {
                samples += tx.query_row(
                    &format!("SELECT coalesce(sum(n), 0) FROM {t} WHERE {}", where_of(t)),
                    [plan.machine_id],
                    |r| r.get::<_, i64>(0),
                )?
            }
            _ => {}
        }
        let rows = if *t == "samples_hot" {
            // Rows shared with other machines' tags are written again without these.
            let n = crate::store::hot::delete_tags(&tx, &machine_tags(&tx, plan.machine_id)?)?;
            samples += n;
            n
        } else {
            tx.execute(
                &format!("DELETE FROM {t} WHERE {}", where_of(t)),
                [plan.machine_id],
            )? as i64
        };
        let planned = plan
            .tables
            .iter()
            .find(|h| h.table == *t)
            .map_or(0, |h| h.rows);
        // Old rows only ever leave by a purge; a hot table of a recording machine grows.
        if rows < planned && *t != "samples_hot" && *t != "blocks_fresh" {
            return Err(ForgetError::Changed(format!(
                "{t} holds {rows} rows of {} now, the plan showed {planned}",
                plan.key
            )));
        }
        if rows > 0 {
            tables.push(Holding {
                table: t.to_string(),
                rows,
            });
        }
    }
    let quality = forget_quality(&tx, &plan.key)?;
    for h in &plan.quality {
        let rows = quality
            .iter()
            .find(|q| q.table == h.table)
            .map_or(0, |q| q.rows);
        // Lots, checks and moves only ever grow while the machine runs.
        if rows < h.rows {
            return Err(ForgetError::Changed(format!(
                "{} holds {rows} rows of {} now, the plan showed {}",
                h.table, plan.key, h.rows
            )));
        }
    }
    let total: i64 = tables.iter().map(|h| h.rows).sum();
    audit::record(
        &tx,
        &AuditEntry::new(
            actor,
            "machine.history_deleted",
            &plan.key,
            &format!(
                "{samples} samples of {} tags and {total} rows removed on request ({}); quality: {}",
                plan.tags.len(),
                tables
                    .iter()
                    .map(|h| format!("{} {}", h.table, h.rows))
                    .collect::<Vec<_>>()
                    .join(", "),
                if quality.is_empty() {
                    "none".to_string()
                } else {
                    quality
                        .iter()
                        .map(|h| {
                            if h.table == "material_moves" {
                                format!("material_moves {} unlinked (kept for stock)", h.rows)
                            } else {
                                format!("{} {}", h.table, h.rows)
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
        ),
    )?;
    tx.commit()?;
    compact(conn)?;
    Ok(Removed {
        tables,
        quality,
        samples,
        bytes_before,
        bytes_after: file_bytes(conn)?,
        archives: Vec::new(),
    })
}

/// What deleting a class before a date would remove.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BeforePlan {
    pub class: Class,
    #[cfg_attr(test, ts(type = "number"))]
    pub before_ms: i64,
    /// Blocks, rollup rows or audit records; raw blocks go whole, when their last
    /// sample is before the date.
    #[cfg_attr(test, ts(type = "number"))]
    pub rows: i64,
    #[cfg_attr(test, ts(type = "number"))]
    pub samples: i64,
    /// The table the rows are in.
    pub table: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes: i64,
}

fn table_of(class: Class) -> &'static str {
    match class {
        Class::Raw => "blocks",
        Class::Minute => "rollup_1m",
        Class::Hour => "rollup_1h",
        Class::Audit => "audit",
    }
}

/// The retention settings that make the retention plan purge `class` before
/// `before_ms` when "now" is `before_ms`: that class kept 0 days, the others for ever.
fn only(class: Class) -> Settings {
    let days = |c: Class| (c == class).then_some(0);
    Settings {
        raw_days: days(Class::Raw),
        minute_days: days(Class::Minute),
        hour_days: days(Class::Hour),
        audit_days: days(Class::Audit),
        archive: false,
    }
}

pub fn plan_before(
    conn: &Connection,
    class: Class,
    before_ms: i64,
) -> Result<BeforePlan, ForgetError> {
    let step = retention::plan(conn, &only(class), before_ms)?
        .into_iter()
        .find(|s| s.class == class);
    Ok(BeforePlan {
        class,
        before_ms,
        rows: step.as_ref().map_or(0, |s| s.rows),
        samples: step.as_ref().map_or(0, |s| s.samples),
        table: table_of(class).to_string(),
        bytes: file_bytes(conn)?,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum BeforeError {
    #[error(transparent)]
    Forget(#[from] ForgetError),
    #[error(transparent)]
    Retention(#[from] RetentionError),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Removes what [`plan_before`] showed through the retention purge (recorded in its
/// history); audit records are archived to `archive_dir` first. Audited, then compacted.
pub fn forget_before(
    conn: &mut Connection,
    plan: &BeforePlan,
    archive_dir: &Path,
    actor: &Actor,
) -> Result<Removed, BeforeError> {
    let bytes_before = file_bytes(conn)?;
    let steps = retention::plan(conn, &only(plan.class), plan.before_ms)?;
    let now_rows: i64 = steps.iter().map(|s| s.rows).sum();
    if now_rows < plan.rows {
        return Err(ForgetError::Changed(format!(
            "{} rows of {} are before the date now, the plan showed {}",
            now_rows,
            plan.class.name(),
            plan.rows
        ))
        .into());
    }
    let archive = (plan.class == Class::Audit).then_some(archive_dir);
    let files: Vec<PathBuf> = retention::act(conn, &steps, archive)?;
    // The purge's own record holds what it removed.
    let (rows, samples): (i64, i64) = if steps.is_empty() {
        (0, 0)
    } else {
        conn.query_row(
            "SELECT rows, samples FROM purges WHERE class = ?1 ORDER BY id DESC LIMIT 1",
            [plan.class.name()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
    };
    let date = jiff::Timestamp::from_millisecond(plan.before_ms)
        .map(|t| t.to_string())
        .unwrap_or_default();
    audit::record(
        conn,
        &AuditEntry::new(
            actor,
            "data.deleted_before",
            plan.class.name(),
            &format!(
                "{rows} {} rows ({samples} samples) before {date} removed on request{}",
                table_of(plan.class),
                files
                    .first()
                    .map(|f| format!("; archived to {}", f.display()))
                    .unwrap_or_default()
            ),
        ),
    )?;
    compact(conn)?;
    Ok(Removed {
        tables: vec![Holding {
            table: table_of(plan.class).to_string(),
            rows,
        }],
        quality: Vec::new(),
        samples,
        bytes_before,
        bytes_after: file_bytes(conn)?,
        archives: files.iter().map(|f| f.display().to_string()).collect(),
    })
}

/// Parses a date (2026-01-31, at 00:00 UTC), a UTC date and time (2026-01-31T06:00, as
/// a browser's date-time field gives it) or a time (RFC 3339) to UTC milliseconds.
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(t.as_millisecond());
    }
    if s.contains('T')
        && let Ok(dt) = s.parse::<jiff::civil::DateTime>()
    {
        return format!("{dt}Z")
            .parse::<jiff::Timestamp>()
            .ok()
            .map(|t| t.as_millisecond());
    }
    let d: jiff::civil::Date = s.parse().ok()?;
    format!("{d}T00:00:00Z")
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

/// A class by its name (raw, minute, hour, audit).
pub fn class_named(s: &str) -> Option<Class> {
    Class::ALL.into_iter().find(|c| c.name() == s.trim())
}
