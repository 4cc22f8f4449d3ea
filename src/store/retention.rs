//! Retention: how long each class of data is kept, and the job that removes what is
//! older. The job first plans (what would go, counted), then acts in small transactions
//! so collection never waits long; what goes can first be written to compressed CSV
//! files in an archive folder. Every purge is recorded in the `purges` table.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::codec;
use super::rollup::{self, HOUR_MS};
use crate::sample::now_ms;

const DAY_MS: i64 = 86_400_000;

/// The classes of data with a retention of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Raw samples (blocks and rows).
    Raw,
    /// Minute rollups.
    Minute,
    /// Hour rollups.
    Hour,
    /// The audit log.
    Audit,
}

impl Class {
    pub const ALL: [Class; 4] = [Class::Raw, Class::Minute, Class::Hour, Class::Audit];

    pub fn name(self) -> &'static str {
        match self {
            Class::Raw => "raw",
            Class::Minute => "minute",
            Class::Hour => "hour",
            Class::Audit => "audit",
        }
    }

    fn setting(self) -> String {
        format!("retention.{}_days", self.name())
    }

    /// Days kept unless the admin says otherwise.
    pub fn default_days(self) -> Option<u32> {
        match self {
            Class::Raw => Some(365),
            Class::Minute => Some(2 * 365),
            Class::Hour => None,
            Class::Audit => Some(3 * 365),
        }
    }
}

/// Days kept per class; `None` keeps it for ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Settings {
    pub raw_days: Option<u32>,
    pub minute_days: Option<u32>,
    pub hour_days: Option<u32>,
    pub audit_days: Option<u32>,
    /// Write raw samples and audit entries to compressed CSV before removing them.
    pub archive: bool,
}

impl Settings {
    pub fn days(&self, class: Class) -> Option<u32> {
        match class {
            Class::Raw => self.raw_days,
            Class::Minute => self.minute_days,
            Class::Hour => self.hour_days,
            Class::Audit => self.audit_days,
        }
    }

    fn days_mut(&mut self, class: Class) -> &mut Option<u32> {
        match class {
            Class::Raw => &mut self.raw_days,
            Class::Minute => &mut self.minute_days,
            Class::Hour => &mut self.hour_days,
            Class::Audit => &mut self.audit_days,
        }
    }

    /// The classes whose retention `new` shortens.
    pub fn shortened_by(&self, new: &Settings) -> Vec<Class> {
        Class::ALL
            .into_iter()
            .filter(|c| match (self.days(*c), new.days(*c)) {
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b < a,
                _ => false,
            })
            .collect()
    }
}

/// The settings in force.
pub fn settings(conn: &Connection) -> rusqlite::Result<Settings> {
    let get = |key: String| -> rusqlite::Result<Option<String>> {
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()
    };
    let mut s = Settings {
        raw_days: None,
        minute_days: None,
        hour_days: None,
        audit_days: None,
        archive: get("retention.archive".into())?.is_some_and(|v| v == "true"),
    };
    for c in Class::ALL {
        *s.days_mut(c) = match get(c.setting())? {
            Some(v) if v == "forever" => None,
            Some(v) => v.parse().ok().or(c.default_days()),
            None => c.default_days(),
        };
    }
    Ok(s)
}

/// Stores new settings (the caller audits the change).
pub fn set_settings(conn: &Connection, s: &Settings) -> rusqlite::Result<()> {
    let mut put =
        conn.prepare_cached("INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)")?;
    for c in Class::ALL {
        put.execute((
            c.setting(),
            s.days(c).map_or("forever".to_string(), |d| d.to_string()),
        ))?;
    }
    put.execute((
        "retention.archive",
        if s.archive { "true" } else { "false" },
    ))?;
    Ok(())
}

/// A change of the retention settings and of the disk warning level, as the admin
/// asks for it.
#[derive(Debug, Clone)]
pub struct Change {
    pub settings: Settings,
    pub disk_warn_mb: u64,
    /// Required when a retention gets shorter.
    pub confirm: bool,
}

/// The longest retention that can be set, in days (a hundred years).
pub const MAX_DAYS: u32 = 36_500;
/// The highest disk warning level, in MB (ten terabytes).
pub const MAX_WARN_MB: u64 = 10_000_000;

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("{field} must be 1 to {MAX_DAYS} days, or null to keep for ever")]
    Days { field: &'static str },
    #[error("disk_warn_mb must be 0 to {MAX_WARN_MB} MB")]
    WarnLevel,
    #[error(
        "This shortens how long {} data is kept: data older than the new retention will be removed.",
        classes.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
    )]
    ConfirmRequired {
        classes: Vec<Class>,
        /// What the new settings would remove now.
        would_remove: Vec<Step>,
    },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// Checks `change` and stores it in `conn` (the caller's transaction, which also holds
/// its audit record). A shorter retention is refused unless confirmed, with what it
/// would remove. Returns the change in words, for the audit log.
pub fn change(conn: &Connection, change: &Change, now: i64) -> Result<String, ChangeError> {
    let new = &change.settings;
    for (field, class) in [
        ("raw_days", Class::Raw),
        ("minute_days", Class::Minute),
        ("hour_days", Class::Hour),
        ("audit_days", Class::Audit),
    ] {
        if new.days(class).is_some_and(|d| d == 0 || d > MAX_DAYS) {
            return Err(ChangeError::Days { field });
        }
    }
    if change.disk_warn_mb > MAX_WARN_MB {
        return Err(ChangeError::WarnLevel);
    }
    let old = settings(conn)?;
    let shorter = old.shortened_by(new);
    if !shorter.is_empty() && !change.confirm {
        return Err(ChangeError::ConfirmRequired {
            classes: shorter,
            would_remove: plan(conn, new, now)?,
        });
    }
    set_settings(conn, new)?;
    super::guard::set_warn_mb(conn, change.disk_warn_mb)?;
    let describe = |d: Option<u32>| d.map_or("for ever".to_string(), |d| format!("{d} days"));
    Ok(Class::ALL
        .iter()
        .map(|k| {
            format!(
                "{} {} -> {}",
                k.name(),
                describe(old.days(*k)),
                describe(new.days(*k))
            )
        })
        .chain([
            format!("archive {}", new.archive),
            format!("disk warning below {} MB", change.disk_warn_mb),
        ])
        .collect::<Vec<_>>()
        .join("; "))
}

/// Plans and carries out the purges due now under the stored settings; returns the
/// archive files written. The retention job's one call.
pub fn run_due(
    conn: &mut Connection,
    archive_dir: &Path,
    now: i64,
) -> Result<Vec<PathBuf>, RetentionError> {
    let s = settings(conn)?;
    sweep_partials(archive_dir, std::time::Duration::from_secs(3600));
    let steps = plan(conn, &s, now)?;
    let archive = s.archive.then_some(archive_dir);
    let (audit, data): (Vec<Step>, Vec<Step>) =
        steps.into_iter().partition(|s| s.class == Class::Audit);
    let mut files = act(conn, &data, archive)?;
    // Audit records are always archived before they are removed.
    files.extend(act(conn, &audit, Some(archive_dir))?);
    Ok(files)
}

/// Removes the `.partial` archive files a stopped run left behind (their blocks were not
/// purged, so a later run archived them again under a final name). Only files untouched
/// for `idle`: one another run is writing right now changes as it is written. Failures
/// are logged and left for the next run.
pub fn sweep_partials(dir: &Path, idle: std::time::Duration) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    for e in entries.flatten() {
        let path = e.path();
        let is_partial = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(".csv.gz.partial"));
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= idle);
        if is_partial && old {
            match std::fs::remove_file(&path) {
                Ok(()) => {
                    tracing::info!(
                        "retention: removed {} left by a stopped run",
                        path.display()
                    );
                    removed.push(path);
                }
                Err(e) => tracing::warn!("retention: cannot remove {}: {e}", path.display()),
            }
        }
    }
    removed
}

/// The audit records a purge before `before` removes: ids below the first record that
/// is not old, so the kept chain stays whole even if the clock once went back.
fn audit_cut(conn: &Connection, before: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT coalesce((SELECT min(id) FROM audit WHERE ts >= ?1), (SELECT max(id) + 1 FROM audit), 0)",
        [before],
        |r| r.get(0),
    )
}

/// What a purge of one class would remove.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Step {
    pub class: Class,
    /// Everything older than this goes.
    pub before_ms: i64,
    /// Rows (blocks, rollup rows, audit entries) and, for raw data, samples.
    pub rows: i64,
    pub samples: i64,
}

/// The plan: per class with a retention, what is older than it. Pure reading.
pub fn plan(conn: &Connection, s: &Settings, now: i64) -> rusqlite::Result<Vec<Step>> {
    let mut steps = Vec::new();
    for class in Class::ALL {
        let Some(days) = s.days(class) else {
            continue;
        };
        let before = now - i64::from(days) * DAY_MS;
        let (rows, samples): (i64, i64) = match class {
            // Whole blocks only: a block goes when its last sample is older.
            Class::Raw => conn.query_row(
                "SELECT count(*), coalesce(sum(n), 0) FROM blocks WHERE t0 + span <= ?1",
                [before],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?,
            Class::Minute => (
                conn.query_row(
                    "SELECT count(*) FROM rollup_1m WHERE hour + ?2 <= ?1",
                    (before, HOUR_MS),
                    |r| r.get(0),
                )?,
                0,
            ),
            Class::Hour => (
                conn.query_row(
                    "SELECT count(*) FROM rollup_1h WHERE t + ?2 <= ?1",
                    (before, HOUR_MS),
                    |r| r.get(0),
                )?,
                0,
            ),
            Class::Audit => (
                conn.query_row("SELECT count(*) FROM audit WHERE ts < ?1", [before], |r| {
                    r.get(0)
                })?,
                0,
            ),
        };
        if rows > 0 {
            steps.push(Step {
                class,
                before_ms: before,
                rows,
                samples,
            });
        }
    }
    Ok(steps)
}

/// Rows removed per transaction: small, so the writer waits at most a few milliseconds.
const CHUNK: i64 = 200;

/// Carries out a plan: archives (when `archive` names a folder) and removes, in small
/// transactions, and records each purge. Returns the files written.
pub fn act(
    conn: &mut Connection,
    steps: &[Step],
    archive: Option<&Path>,
) -> Result<Vec<PathBuf>, RetentionError> {
    let mut files = Vec::new();
    // Minute rollups kept from here on: sparse hours, whose minutes are read from their
    // samples, get them stored when their samples go.
    let minutes_from = settings(conn)?
        .minute_days
        .map(|d| now_ms() - i64::from(d) * DAY_MS);
    for step in steps {
        let mut file = None;
        // With an archive, the raw purge removes exactly the blocks the archive holds
        // (each still as archived): a block the compactor writes meanwhile (late samples
        // merged into an old window) is never removed unarchived; it goes at the next run.
        let mut archived: Option<Vec<BlockKey>> = None;
        if let Some(dir) = archive
            && matches!(step.class, Class::Raw | Class::Audit)
        {
            let (path, keys) = archive_step(conn, step, dir)?;
            file = Some(path);
            archived = keys;
        }
        let mut cursor = 0;
        let (mut rows, mut samples) = (0i64, 0i64);
        loop {
            let tx = crate::store::write_tx(conn)?;
            let mut last = None;
            let (r, s): (i64, i64) = match step.class {
                Class::Raw => match &archived {
                    Some(keys) => {
                        let end = (cursor + CHUNK as usize).min(keys.len());
                        let done = purge_archived(&tx, &keys[cursor..end], minutes_from)?;
                        cursor = end;
                        last = Some(cursor == keys.len());
                        done
                    }
                    None => purge_blocks(&tx, step.before_ms, minutes_from)?,
                },
                Class::Minute => (
                    tx.execute(
                        "DELETE FROM rollup_1m WHERE id IN (SELECT id FROM rollup_1m WHERE hour + ?2 <= ?1 LIMIT ?3)",
                        (step.before_ms, HOUR_MS, CHUNK),
                    )? as i64,
                    0,
                ),
                Class::Hour => (
                    tx.execute(
                        "DELETE FROM rollup_1h WHERE (tag_id, t) IN
                             (SELECT tag_id, t FROM rollup_1h WHERE t + ?2 <= ?1 LIMIT ?3)",
                        (step.before_ms, HOUR_MS, CHUNK),
                    )? as i64,
                    0,
                ),
                Class::Audit => {
                    // The chain's anchor moves past the records first (the append-only
                    // trigger allows removing only what lies before it).
                    let cut = audit_cut(&tx, step.before_ms)?;
                    tx.execute(
                        "INSERT INTO audit_anchor (id, last_id, hash, ts)
                         SELECT 1, id, hash, ?3 FROM audit WHERE id = (SELECT max(id) FROM
                             (SELECT id FROM audit WHERE id < ?1 ORDER BY id LIMIT ?2))
                         ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id,
                             hash = excluded.hash, ts = excluded.ts",
                        (cut, CHUNK, now_ms()),
                    )?;
                    (
                        tx.execute(
                            "DELETE FROM audit WHERE id <= (SELECT last_id FROM audit_anchor WHERE id = 1) AND id < ?1",
                            [cut],
                        )? as i64,
                        0,
                    )
                }
            };
            tx.commit()?;
            rows += r;
            samples += s;
            if last.unwrap_or(r < CHUNK) {
                break;
            }
        }
        conn.execute(
            "INSERT INTO purges (ts, class, before_ts, rows, samples, archive) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            (
                now_ms(),
                step.class.name(),
                step.before_ms,
                rows,
                samples,
                file.as_ref().map_or(String::new(), |f| f.display().to_string()),
            ),
        )?;
        files.extend(file);
    }
    Ok(files)
}

/// Removes up to [`CHUNK`] blocks that end before `before`; returns the blocks and
/// samples removed. A block of an hour without stored minute rollups (too sparse for
/// them to pay) leaves its minutes behind, while minute rollups are kept that long.
fn purge_blocks(
    tx: &Connection,
    before: i64,
    minutes_from: Option<i64>,
) -> rusqlite::Result<(i64, i64)> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, tag_id, t0, span, n, data FROM blocks WHERE t0 + span <= ?1 LIMIT ?2",
    )?;
    let chunk: Vec<BlockRow> = stmt
        .query_map((before, CHUNK), |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    remove_blocks(tx, &chunk, minutes_from)?;
    Ok((chunk.len() as i64, chunk.iter().map(|b| b.4).sum()))
}

/// A block as read for removal: id, tag, start, span, samples, data.
type BlockRow = (i64, i64, i64, i64, i64, Vec<u8>);

/// A block as the archive wrote it: id, tag, start, samples and last time. A block with
/// this id but other contents (ids are reused after a merge) is not the archived one.
type BlockKey = (i64, i64, i64, i64, i64);

/// Removes the archived blocks that are still as archived; returns the blocks and
/// samples removed.
fn purge_archived(
    tx: &Connection,
    keys: &[BlockKey],
    minutes_from: Option<i64>,
) -> rusqlite::Result<(i64, i64)> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, tag_id, t0, span, n, data FROM blocks
         WHERE id = ?1 AND tag_id = ?2 AND t0 = ?3 AND n = ?4 AND last = ?5",
    )?;
    let mut chunk = Vec::new();
    for key in keys {
        if let Some(b) = stmt
            .query_row(*key, |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .optional()?
        {
            chunk.push(b);
        }
    }
    remove_blocks(tx, &chunk, minutes_from)?;
    Ok((chunk.len() as i64, chunk.iter().map(|b| b.4).sum()))
}

/// Deletes blocks (id, tag, t0, span, n, data), storing the minute rollups of an hour
/// that has none while minute rollups are kept that long.
fn remove_blocks(
    tx: &Connection,
    chunk: &[BlockRow],
    minutes_from: Option<i64>,
) -> rusqlite::Result<()> {
    let mut has_minutes = tx.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM rollup_1m WHERE tag_id = ?1 AND hour = ?2)",
    )?;
    for (id, tag, t0, span, _, data) in chunk {
        let hour = t0.div_euclid(HOUR_MS) * HOUR_MS;
        if minutes_from.is_none_or(|from| t0 + span > from)
            && !has_minutes.query_row((tag, hour), |r| r.get::<_, bool>(0))?
            && let Ok(s) = codec::decode(*tag, data)
        {
            let minutes = rollup::rollups(&s, rollup::MINUTE_MS);
            rollup::store(tx, rollup::Table::Minute, *tag, *t0, t0 + span, &minutes)?;
        }
        tx.execute("DELETE FROM blocks WHERE id = ?1", [id])?;
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Store(#[from] super::StoreError),
    #[error("cannot write the archive file {path}: {source}; nothing was removed")]
    Archive {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Writes what a step would remove (of the blocks up to `last_block`) to
/// `dir/<class>-until-<date>-<time>.csv.gz`: first under a `.partial` name, synced, then
/// renamed, so a file with the final name is always whole; a process stopped on the way
/// leaves a `.partial` file, and the next run archives what was not removed again.
fn archive_step(
    conn: &Connection,
    step: &Step,
    dir: &Path,
) -> Result<(PathBuf, Option<Vec<BlockKey>>), RetentionError> {
    let stamp = jiff::Timestamp::from_millisecond(step.before_ms)
        .map(|t| t.strftime("%Y%m%d-%H%M%S").to_string())
        .unwrap_or_default();
    // A name no earlier archive has: two runs in one second (a restart, a settings
    // change) must not replace the file of the first, whose blocks may be gone already.
    let name = |n: u32| match n {
        0 => format!("{}-until-{stamp}.csv.gz", step.class.name()),
        n => format!("{}-until-{stamp}-{n}.csv.gz", step.class.name()),
    };
    // The name is claimed by creating its `.partial` file (fails if it exists), so the
    // retention job and a deletion asked for meanwhile never write into one file.
    std::fs::create_dir_all(dir).map_err(|source| RetentionError::Archive {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut n = 0;
    let (path, partial, file) = loop {
        let path = dir.join(name(n));
        let partial = dir.join(format!("{}.partial", name(n)));
        if !path.exists() {
            match std::fs::File::create_new(&partial) {
                Ok(file) => break (path, partial, file),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(RetentionError::Archive { path, source }),
            }
        }
        n += 1;
    };
    let io = |source: std::io::Error| RetentionError::Archive {
        path: path.clone(),
        source,
    };
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut w = csv::Writer::from_writer(gz);
    let csv_err = |e: csv::Error| io(std::io::Error::other(e));
    let mut keys = None;
    match step.class {
        Class::Raw => {
            let keys = keys.insert(Vec::new());
            w.write_record(["device", "tag", "time_utc", "value", "quality"])
                .map_err(csv_err)?;
            let mut stmt = conn.prepare(
                "SELECT b.tag_id, b.data, d.key, t.name, b.id, b.t0, b.n, b.last FROM blocks b
                 LEFT JOIN tags t ON t.id = b.tag_id LEFT JOIN devices d ON d.id = t.device_id
                 WHERE b.t0 + b.span <= ?1 ORDER BY b.tag_id, b.t0",
            )?;
            let mut rows = stmt.query([step.before_ms])?;
            while let Some(r) = rows.next()? {
                let tag: i64 = r.get(0)?;
                let data: Vec<u8> = r.get(1)?;
                let device: Option<String> = r.get(2)?;
                let name: Option<String> = r.get(3)?;
                keys.push((r.get(4)?, tag, r.get(5)?, r.get(6)?, r.get(7)?));
                // A block that cannot be read is not removed unarchived: the purge stops
                // here with the reason.
                let samples = codec::decode(tag, &data).map_err(|e| {
                    io(std::io::Error::other(format!(
                        "a block of tag {tag} cannot be read ({e})"
                    )))
                })?;
                for s in samples {
                    let time = jiff::Timestamp::from_millisecond(s.ts)
                        .map(|t| t.to_string())
                        .unwrap_or_default();
                    let value = match (s.value(), s.text()) {
                        (Some(v), _) => v.to_string(),
                        (None, Some(t)) => t.to_string(),
                        _ => String::new(),
                    };
                    let dev = device.clone().unwrap_or_default();
                    let tag_name = name.clone().unwrap_or_else(|| format!("tag {tag}"));
                    let value = match s.value() {
                        Some(_) => value.into(),
                        None => super::export::safe_cell(&value),
                    };
                    w.write_record([
                        super::export::safe_cell(&dev).as_ref(),
                        super::export::safe_cell(&tag_name).as_ref(),
                        &time,
                        &value,
                        s.quality.name(),
                    ])
                    .map_err(csv_err)?;
                }
            }
        }
        Class::Audit => {
            // With each record's id and chain hash, so an archive can be checked against
            // the chain it came from.
            w.write_record([
                "id", "time_utc", "actor", "action", "target", "detail", "client", "hash",
            ])
            .map_err(csv_err)?;
            let mut stmt = conn.prepare(
                "SELECT id, ts, actor, action, target, detail, client, hash FROM audit
                 WHERE id < ?1 ORDER BY id",
            )?;
            let mut rows = stmt.query([audit_cut(conn, step.before_ms)?])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let ts: i64 = r.get(1)?;
                let time = jiff::Timestamp::from_millisecond(ts)
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                let fields: Vec<String> = (2..7).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                let hash: Option<Vec<u8>> = r.get(7)?;
                let mut rec = vec![id.to_string(), time];
                rec.extend(
                    fields
                        .iter()
                        .map(|f| super::export::safe_cell(f).into_owned()),
                );
                rec.push(hash.map(hex::encode).unwrap_or_default());
                w.write_record(&rec).map_err(csv_err)?;
            }
        }
        Class::Minute | Class::Hour => {}
    }
    let gz = w
        .into_inner()
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    let mut file = gz.finish().map_err(io)?;
    file.flush().map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&partial, &path).map_err(io)?;
    Ok((path, keys))
}

/// A purge done, for the retention page.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Purge {
    pub ts: i64,
    pub class: Class,
    pub before_ms: i64,
    pub rows: i64,
    pub samples: i64,
    pub archive: String,
}

pub fn history(conn: &Connection, limit: u32) -> rusqlite::Result<Vec<Purge>> {
    let mut stmt = conn.prepare(
        "SELECT ts, class, before_ts, rows, samples, archive FROM purges ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        let name: String = r.get(1)?;
        let class = Class::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    format!("unknown data class {name:?}").into(),
                )
            })?;
        Ok(Purge {
            ts: r.get(0)?,
            class,
            before_ms: r.get(2)?,
            rows: r.get(3)?,
            samples: r.get(4)?,
            archive: r.get(5)?,
        })
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Sample;
    use crate::store::backfill::backfill;

    #[test]
    fn plan_then_act_with_an_archive() {
        let mut conn = crate::store::memory();
        let now = 100 * DAY_MS;
        let old: Vec<Sample> = (0..1000)
            .map(|i| Sample::good(1, 10 * DAY_MS + i * 1000, i as f64))
            .collect();
        let new: Vec<Sample> = (0..1000)
            .map(|i| Sample::good(1, 95 * DAY_MS + i * 1000, i as f64))
            .collect();
        backfill(&mut conn, [old, new].concat()).unwrap();
        let s = Settings {
            raw_days: Some(30),
            minute_days: None,
            hour_days: None,
            audit_days: None,
            archive: true,
        };
        let steps = plan(&conn, &s, now).unwrap();
        assert_eq!(steps.len(), 1);
        assert_eq!((steps[0].class, steps[0].samples), (Class::Raw, 1000));
        let dir = tempfile::tempdir().unwrap();
        let files = act(&mut conn, &steps, Some(dir.path())).unwrap();
        assert_eq!(files.len(), 1);
        // The archive holds the samples removed.
        let gz = flate2::read::GzDecoder::new(std::fs::File::open(&files[0]).unwrap());
        let lines = csv::Reader::from_reader(gz).records().count();
        assert_eq!(lines, 1000);
        assert!(plan(&conn, &s, now).unwrap().is_empty());
        assert_eq!(
            crate::store::raw::read(&conn, 1, 0, now).unwrap().len(),
            1000
        );
        assert_eq!(history(&conn, 10).unwrap()[0].samples, 1000);
    }

    /// A purge step reads what it removes, then removes it; a commit of the writer in
    /// between must not fail the step ("database is locked", SQLITE_BUSY_SNAPSHOT, seen
    /// in the historian benchmark while it purged a day as the writer committed).
    #[test]
    fn a_purge_while_the_writer_commits_does_not_fail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let db = crate::store::Db::open(&path).unwrap();
        // Twenty thousand old blocks: a hundred steps of CHUNK.
        let old: Vec<Sample> = (0..20_000)
            .map(|tag| Sample::good(tag + 10, 10 * DAY_MS, 1.0))
            .collect();
        db.sql(|c| backfill(c, old)).unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = {
            let stop = stop.clone();
            let path = path.clone();
            std::thread::spawn(move || {
                let mut c = crate::store::open(&path, crate::store::Durability::Normal).unwrap();
                let mut ts = 99 * DAY_MS;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    ts += 1;
                    let tx = crate::store::write_tx(&mut c).unwrap();
                    crate::store::raw::insert(&tx, &[Sample::good(1, ts, 1.0)]).unwrap();
                    tx.commit().unwrap();
                }
            })
        };
        let s = Settings {
            raw_days: Some(30),
            minute_days: None,
            hour_days: None,
            audit_days: None,
            archive: false,
        };
        let result = db.with(|c| {
            let steps = plan(c, &s, 100 * DAY_MS)?;
            act(c, &steps, None)
        });
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        writer.join().unwrap();
        result.unwrap();
        assert!(db.sql(|c| plan(c, &s, 100 * DAY_MS)).unwrap().is_empty());
    }

    #[test]
    fn sparse_hours_keep_their_minutes_when_their_samples_go() {
        let mut conn = crate::store::memory();
        let now = now_ms();
        let hour = (now - 40 * DAY_MS).div_euclid(HOUR_MS) * HOUR_MS;
        // A tag recorded on change: a sample every two minutes, too sparse for stored
        // minute rollups.
        let old: Vec<Sample> = (0..30)
            .map(|i| Sample::good(1, hour + i * 120_000, i as f64))
            .collect();
        backfill(&mut conn, old.clone()).unwrap();
        assert!(
            rollup::load(&conn, rollup::Table::Minute, 1, hour, hour + HOUR_MS)
                .unwrap()
                .is_empty()
        );
        let want = rollup::minutes(&conn, 1, hour, hour + HOUR_MS).unwrap();
        let s = Settings {
            raw_days: Some(30),
            minute_days: Some(365),
            hour_days: None,
            audit_days: None,
            archive: false,
        };
        set_settings(&conn, &s).unwrap();
        let steps = plan(&conn, &s, now).unwrap();
        act(&mut conn, &steps, None).unwrap();
        assert!(
            crate::store::raw::read(&conn, 1, 0, now)
                .unwrap()
                .is_empty()
        );
        let got = rollup::load(&conn, rollup::Table::Minute, 1, hour, hour + HOUR_MS).unwrap();
        assert_eq!(got, want);
        assert_eq!(got.len(), 30);
    }

    #[test]
    fn partial_archives_left_by_a_stopped_run_are_swept_when_idle() {
        let dir = tempfile::tempdir().unwrap();
        let left = dir.path().join("raw-until-20261101-000000.csv.gz.partial");
        let whole = dir.path().join("raw-until-20261101-000000-1.csv.gz");
        let other = dir.path().join("notes.partial");
        for p in [&left, &whole, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        // Being written now (just touched): kept.
        assert!(sweep_partials(dir.path(), std::time::Duration::from_secs(3600)).is_empty());
        assert!(left.exists());
        // Idle long enough: removed; whole archives and other files stay.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let removed = sweep_partials(dir.path(), std::time::Duration::from_millis(10));
        assert_eq!(removed, vec![left.clone()]);
        assert!(!left.exists() && whole.exists() && other.exists());
        // No folder yet: nothing to do.
        assert!(sweep_partials(&dir.path().join("none"), std::time::Duration::ZERO).is_empty());
    }

    #[test]
    fn shortening_is_noticed() {
        let a = Settings {
            raw_days: Some(365),
            minute_days: None,
            hour_days: None,
            audit_days: Some(30),
            archive: false,
        };
        let mut b = a.clone();
        b.raw_days = Some(90);
        b.minute_days = Some(400);
        b.audit_days = Some(60);
        assert_eq!(a.shortened_by(&b), vec![Class::Raw, Class::Minute]);
    }
}
