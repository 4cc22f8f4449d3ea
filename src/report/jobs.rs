//! Scheduled reports as stored: the `report_schedules` the admin sets (which report,
//! when, to a folder on the PC and/or the next USB stick) and the `report_jobs` history,
//! one row per run and destination. Planning is here (every run time since the last
//! plan becomes a job, once: the table's unique key holds it); building, rendering and
//! writing the files is `core::report_jobs`, which imports this and not the other way.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::schedule::When;
use super::{Format, Kind};
use crate::production::calendar::Calendar;

/// A run is planned this long after its time, so the last second's samples and counts
/// have been committed (the writer commits at most a second apart).
pub const GRACE_MS: i64 = 60_000;
/// At most this many missed runs of one schedule are caught up (the newest); a PC off
/// for a year does not write a year of shift reports on start.
pub const MAX_CATCH_UP: usize = 100;

/// A schedule as the admin enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReportScheduleInput {
    pub name: String,
    pub kind: Kind,
    pub format: Format,
    /// "shift" (at the end of each shift), "daily HH:MM", "weekly DAY HH:MM" or
    /// "monthly D HH:MM", in the plant's time zone.
    pub run_at: String,
    /// A folder on the PC; null or empty for none.
    pub folder: Option<String>,
    /// Also onto the next USB stick inserted.
    pub usb: bool,
    pub enabled: bool,
}

/// A schedule as stored, with its next run and its newest job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReportSchedule {
    pub id: i64,
    pub name: String,
    pub kind: Kind,
    pub format: Format,
    pub run_at: String,
    pub folder: Option<String>,
    pub usb: bool,
    pub enabled: bool,
    pub created_at: i64,
    /// The next run time (null when disabled).
    pub next_run: Option<i64>,
    /// Its failed jobs in the history.
    pub failures: i64,
}

/// One run of a schedule to one destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReportJob {
    pub id: i64,
    pub schedule_id: Option<i64>,
    pub schedule_name: String,
    /// When it was to run.
    pub due_at: i64,
    /// `folder` or `usb`.
    pub target: String,
    pub kind: Kind,
    pub format: Format,
    /// The range reported on and its name ("2026-03-02 Early", "2026-03-02", "2026-W10").
    pub from_ms: i64,
    pub to_ms: i64,
    pub period: String,
    /// `waiting` (for its time, or for a USB stick), `running`, `done` or `failed`.
    pub state: String,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// Where the files went.
    pub written: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error("no such report schedule")]
    NotFound,
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Shift => "shift",
        Kind::Production => "production",
        Kind::Tag => "tag",
        Kind::Energy => "energy",
        Kind::Lot => "lot",
        Kind::Spc => "spc",
    }
}

/// Checks an input: a name, a time that parses, at least one destination, a folder
/// given as a full path.
pub fn check(input: &ReportScheduleInput) -> Result<When, JobError> {
    let bad = |code, m: &str| Err(JobError::Invalid(code, m.to_string()));
    if input.name.trim().is_empty() {
        return bad("bad_name", "give the schedule a name");
    }
    if matches!(input.kind, Kind::Tag | Kind::Lot | Kind::Spc) {
        return bad(
            "bad_kind",
            "a schedule runs the shift, production or energy report; run tag and SPC reports from the Reports page, and a lot's story from its lot page",
        );
    }
    let when =
        When::parse(&input.run_at).map_err(|e| JobError::Invalid("bad_run_at", e.to_string()))?;
    let folder = input.folder.as_deref().map(str::trim).unwrap_or("");
    if folder.is_empty() && !input.usb {
        return bad(
            "no_destination",
            "choose where the report goes: a folder on this PC, the next USB stick, or both",
        );
    }
    if !folder.is_empty() && !std::path::Path::new(folder).is_absolute() {
        return bad(
            "bad_folder",
            "give the folder as a full path, for example D:\\Reports or /srv/reports",
        );
    }
    Ok(when)
}

fn folder_of(input: &ReportScheduleInput) -> Option<String> {
    input
        .folder
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_string)
}

pub fn add(conn: &Connection, input: &ReportScheduleInput, now: i64) -> Result<i64, JobError> {
    check(input)?;
    conn.execute(
        "INSERT INTO report_schedules (name, kind, format, run_at, folder, usb, enabled,
                                       created_at, planned_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            input.name.trim(),
            kind_name(input.kind),
            input.format.extension(),
            When::parse(&input.run_at)
                .map(|w| w.to_string())
                .unwrap_or_default(),
            folder_of(input),
            input.usb,
            input.enabled,
            now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Changes a schedule. A new time, or a schedule enabled again, starts planning from
/// now: the runs of the old time, or of the time it was off, are not caught up.
pub fn update(
    conn: &Connection,
    id: i64,
    input: &ReportScheduleInput,
    now: i64,
) -> Result<(), JobError> {
    let when = check(input)?.to_string();
    let old: Option<(String, bool)> = conn
        .query_row(
            "SELECT run_at, enabled FROM report_schedules WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((old_when, old_enabled)) = old else {
        return Err(JobError::NotFound);
    };
    let restart = old_when != when || (!old_enabled && input.enabled);
    conn.execute(
        "UPDATE report_schedules SET name = ?2, kind = ?3, format = ?4, run_at = ?5,
                folder = ?6, usb = ?7, enabled = ?8,
                planned_to = CASE WHEN ?9 THEN ?10 ELSE planned_to END
         WHERE id = ?1",
        params![
            id,
            input.name.trim(),
            kind_name(input.kind),
            input.format.extension(),
            when,
            folder_of(input),
            input.usb,
            input.enabled,
            restart,
            now
        ],
    )?;
    Ok(())
}

/// Removes a schedule; its history stays, and its waiting jobs are dropped.
pub fn remove(conn: &mut Connection, id: i64) -> Result<(), JobError> {
    let tx = crate::store::write_tx(conn)?;
    tx.execute(
        "DELETE FROM report_jobs WHERE schedule_id = ?1 AND state = 'waiting'",
        [id],
    )?;
    tx.execute(
        "UPDATE report_jobs SET schedule_id = NULL WHERE schedule_id = ?1",
        [id],
    )?;
    if tx.execute("DELETE FROM report_schedules WHERE id = ?1", [id])? == 0 {
        return Err(JobError::NotFound);
    }
    tx.commit()?;
    Ok(())
}

struct Row {
    s: ReportSchedule,
    planned_to: i64,
}

fn rows(conn: &Connection, cal: &Calendar) -> Result<Vec<Row>, JobError> {
    let mut st = conn.prepare(
        "SELECT s.id, s.name, s.kind, s.format, s.run_at, s.folder, s.usb, s.enabled,
                s.created_at, s.planned_to,
                (SELECT count(*) FROM report_jobs j WHERE j.schedule_id = s.id
                                                    AND j.state = 'failed')
         FROM report_schedules s ORDER BY s.id",
    )?;
    let out = st
        .query_map([], |r| {
            let kind: String = r.get(2)?;
            let format: String = r.get(3)?;
            let run_at: String = r.get(4)?;
            let enabled: bool = r.get(7)?;
            let planned_to: i64 = r.get(9)?;
            Ok(Row {
                s: ReportSchedule {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: Kind::parse(&kind).unwrap_or(Kind::Production),
                    format: Format::parse(&format).unwrap_or(Format::Pdf),
                    next_run: None,
                    run_at,
                    folder: r.get(5)?,
                    usb: r.get(6)?,
                    enabled,
                    created_at: r.get(8)?,
                    failures: r.get(10)?,
                },
                planned_to,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(out
        .into_iter()
        .map(|mut row| {
            if row.s.enabled
                && let Ok(w) = When::parse(&row.s.run_at)
            {
                row.s.next_run = w
                    .due_between(cal, row.planned_to, row.planned_to + 40 * 86_400_000)
                    .first()
                    .copied();
            }
            row
        })
        .collect())
}

pub fn list(conn: &Connection, cal: &Calendar) -> Result<Vec<ReportSchedule>, JobError> {
    Ok(rows(conn, cal)?.into_iter().map(|r| r.s).collect())
}

/// Turns every run time of every enabled schedule in (its last plan, now - GRACE_MS]
/// into jobs, one per destination, `waiting`; runs since a PC was off are among them,
/// each once. Returns how many jobs were added.
pub fn plan(conn: &mut Connection, cal: &Calendar, now: i64) -> Result<usize, JobError> {
    let until = now - GRACE_MS;
    let schedules = rows(conn, cal)?;
    let tx = crate::store::write_tx(conn)?;
    let mut added = 0;
    for row in schedules.iter().filter(|r| r.s.enabled) {
        let Ok(when) = When::parse(&row.s.run_at) else {
            continue;
        };
        if until <= row.planned_to {
            continue;
        }
        let mut due = when.due_between(cal, row.planned_to, until);
        if due.len() > MAX_CATCH_UP {
            due.drain(..due.len() - MAX_CATCH_UP);
        }
        let s = &row.s;
        let mut targets = Vec::new();
        if s.folder.is_some() {
            targets.push("folder");
        }
        if s.usb {
            targets.push("usb");
        }
        for at in due {
            let (from, to, period, error) = match when.range(cal, at) {
                Some((a, b, p)) => (a, b, p, None),
                None => (
                    at,
                    at,
                    String::new(),
                    Some("no shift of the calendar ended then".to_string()),
                ),
            };
            for t in &targets {
                added += tx.execute(
                    "INSERT OR IGNORE INTO report_jobs
                        (schedule_id, schedule_name, due_at, target, kind, format, by,
                         from_ms, to_ms, period, state, finished_at, error)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    params![
                        s.id,
                        s.name,
                        at,
                        t,
                        kind_name(s.kind),
                        s.format.extension(),
                        by_name(when.by()),
                        from,
                        to,
                        period,
                        if error.is_some() { "failed" } else { "waiting" },
                        error.as_ref().map(|_| now),
                        error
                    ],
                )?;
            }
        }
        tx.execute(
            "UPDATE report_schedules SET planned_to = ?2 WHERE id = ?1",
            params![s.id, until],
        )?;
    }
    tx.commit()?;
    Ok(added)
}

pub fn by_name(by: crate::production::By) -> &'static str {
    use crate::production::By;
    match by {
        By::Shift => "shift",
        By::Day => "day",
        By::Week => "week",
        By::Month => "month",
    }
}

const JOB_COLUMNS: &str = "id, schedule_id, schedule_name, due_at, target, kind, format,
    from_ms, to_ms, period, state, started_at, finished_at, written, error, by";

fn job(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ReportJob, String)> {
    let kind: String = r.get(5)?;
    let format: String = r.get(6)?;
    Ok((
        ReportJob {
            id: r.get(0)?,
            schedule_id: r.get(1)?,
            schedule_name: r.get(2)?,
            due_at: r.get(3)?,
            target: r.get(4)?,
            kind: Kind::parse(&kind).unwrap_or(Kind::Production),
            format: Format::parse(&format).unwrap_or(Format::Pdf),
            from_ms: r.get(7)?,
            to_ms: r.get(8)?,
            period: r.get(9)?,
            state: r.get(10)?,
            started_at: r.get(11)?,
            finished_at: r.get(12)?,
            written: r.get(13)?,
            error: r.get(14)?,
        },
        r.get(15)?,
    ))
}

/// The waiting jobs to one destination, oldest run first, each with how its report is
/// cut ("shift", "day", "month").
pub fn waiting(conn: &Connection, target: &str) -> Result<Vec<(ReportJob, String)>, JobError> {
    let mut st = conn.prepare(&format!(
        "SELECT {JOB_COLUMNS} FROM report_jobs WHERE state = 'waiting' AND target = ?1
         ORDER BY due_at, id"
    ))?;
    Ok(st
        .query_map([target], job)?
        .collect::<Result<Vec<_>, _>>()?)
}

/// The newest jobs first.
pub fn history(conn: &Connection, limit: usize) -> Result<Vec<ReportJob>, JobError> {
    let mut st = conn.prepare(&format!(
        "SELECT {JOB_COLUMNS} FROM report_jobs WHERE state != 'waiting' OR target = 'usb'
         ORDER BY due_at DESC, id DESC LIMIT ?1"
    ))?;
    Ok(st
        .query_map([limit as i64], |r| job(r).map(|(j, _)| j))?
        .collect::<Result<Vec<_>, _>>()?)
}

pub fn start(conn: &Connection, id: i64, now: i64) -> Result<(), JobError> {
    conn.execute(
        "UPDATE report_jobs SET state = 'running', started_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Records how a job ended: where its files went, or why it failed.
pub fn finish(
    conn: &Connection,
    id: i64,
    now: i64,
    outcome: Result<&str, &str>,
) -> Result<(), JobError> {
    let (state, written, error) = match outcome {
        Ok(w) => ("done", Some(w), None),
        Err(e) => ("failed", None, Some(e)),
    };
    conn.execute(
        "UPDATE report_jobs SET state = ?2, finished_at = ?3, written = ?4, error = ?5
         WHERE id = ?1",
        params![id, state, now, written, error],
    )?;
    Ok(())
}

/// Jobs a stopped process left `running` failed (at start).
pub fn close_interrupted(conn: &Connection, now: i64) -> Result<usize, JobError> {
    Ok(conn.execute(
        "UPDATE report_jobs SET state = 'failed', finished_at = ?1,
                error = 'Plantlog stopped while this report was being written'
         WHERE state = 'running'",
        [now],
    )?)
}
