//! Scheduled reports run: the scheduler job (`app`, every half minute) calls
//! [`Core::run_due_reports`], which plans the runs due since the last plan (runs missed
//! while the PC was off among them, each once, `report::jobs::plan`), writes each
//! waiting folder job's report into its folder, and, when a USB stick is in, writes the
//! waiting USB jobs' reports onto it in one verified export. Every run and its failure
//! is kept in the job history; the clock is a parameter, so tests move it.

use std::path::{Path, PathBuf};

use super::report::{DriveExport, ReportItem, build, export_to_drive, report_files};
use super::{Core, Error};
use crate::auth::audit::Actor;
use crate::production::By;
use crate::production::calendar::Calendar;
use crate::removable::Drive;
use crate::report::jobs::{self, JobError, ReportJob, ReportSchedule, ReportScheduleInput};
use crate::report::{self, Options};
use crate::sample::now_ms;

/// Who the scheduler's reports and exports are by, in the report and the audit log.
pub fn scheduler_actor() -> Actor {
    Actor {
        id: None,
        name: "report scheduler".to_string(),
        client: "local".to_string(),
    }
}

impl From<JobError> for Error {
    fn from(e: JobError) -> Self {
        match e {
            JobError::Invalid(code, m) => Error::invalid(code, m),
            JobError::NotFound => Error::NotFound("report schedule"),
            JobError::Sqlite(e) => e.into(),
        }
    }
}

/// A file name of a run: "shift-2026-03-02-Early", "production-2026-W10".
fn stem(job: &ReportJob) -> String {
    let kind = match job.kind {
        report::Kind::Shift => "shift",
        report::Kind::Production => "production",
        report::Kind::Tag => "tags",
        report::Kind::Energy => "energy",
        report::Kind::Lot => "lot",
        report::Kind::Spc => "spc",
    };
    let period: String = job
        .period
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{kind}-{period}")
}

/// Writes a file so that a file under its name is whole: NAME.part, flushed, renamed.
fn write_whole(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let part = dir.join(format!("{name}.part"));
    let mut f = std::fs::File::create(&part)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&part, dir.join(name))
}

fn run_folder_job(
    conn: &mut rusqlite::Connection,
    job: &ReportJob,
    by: By,
    folder: &Path,
) -> Result<String, String> {
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("cannot make the folder {}: {e}", folder.display()))?;
    let doc = build(
        conn,
        job.kind,
        job.from_ms,
        job.to_ms,
        Some(by),
        &scheduler_actor().name,
        // A scheduled report is in the plant's language.
        crate::i18n::for_actor(conn, None),
    )
    .map_err(|e| e.to_string())?;
    let files = report_files(&doc, job.format, Some(&stem(job)), &Options::default())
        .map_err(|e| e.to_string())?;
    for (name, bytes) in &files {
        write_whole(folder, name, bytes)
            .map_err(|e| format!("cannot write {name} into {}: {e}", folder.display()))?;
    }
    Ok(folder.join(&files[0].0).display().to_string())
}

/// One pass of the scheduler at `now`: plan, then run the folder jobs, then the USB
/// jobs when `drives` lists a stick (the first is used). `tmp` is a folder on the PC's
/// disk for staging an export. Returns the jobs that ran, in the order they ran.
pub fn run_due(
    conn: &mut rusqlite::Connection,
    now: i64,
    drives: &dyn Fn() -> Vec<Drive>,
    tmp: &Path,
) -> Result<Vec<ReportJob>, Error> {
    let plant = crate::config::load_plant(conn).map_err(|e| Error::Internal(e.to_string()))?;
    let cal = Calendar::new(&plant.config);
    jobs::plan(conn, &cal, now)?;
    let folders: std::collections::HashMap<i64, Option<String>> = jobs::list(conn, &cal)?
        .into_iter()
        .map(|s| (s.id, s.folder))
        .collect();
    let mut ran = Vec::new();
    for (job, by) in jobs::waiting(conn, "folder")? {
        let by = By::parse(&by).unwrap_or(By::Day);
        let folder = job
            .schedule_id
            .and_then(|id| folders.get(&id).cloned().flatten());
        jobs::start(conn, job.id, now_ms())?;
        let outcome = match folder {
            Some(f) => run_folder_job(conn, &job, by, &PathBuf::from(f)),
            None => Err("the schedule has no folder any more".to_string()),
        };
        if let Err(e) = &outcome {
            tracing::warn!("scheduled report {} failed: {e}", job.schedule_name);
        }
        jobs::finish(
            conn,
            job.id,
            now_ms(),
            outcome.as_deref().map_err(String::as_str),
        )?;
        ran.push(job);
    }
    let usb = jobs::waiting(conn, "usb")?;
    if usb.is_empty() {
        return Ok(ran);
    }
    let Some(drive) = drives().into_iter().next() else {
        return Ok(ran);
    };
    for (job, _) in &usb {
        jobs::start(conn, job.id, now_ms())?;
    }
    let req = DriveExport {
        to: PathBuf::from(&drive.path),
        from: usb.iter().map(|(j, _)| j.from_ms).min().unwrap_or(now),
        until: usb.iter().map(|(j, _)| j.to_ms).max().unwrap_or(now),
        reports: usb
            .iter()
            .map(|(j, by)| ReportItem {
                kind: j.kind,
                format: j.format,
                from: j.from_ms,
                to: j.to_ms,
                by: By::parse(by),
                stem: Some(stem(j)),
                tags: Vec::new(),
            })
            .collect(),
        tags: Vec::new(),
        config: false,
        audit: false,
        max_file: crate::removable::write::FAT32_MAX,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let outcome = export_to_drive(
        conn,
        &req,
        &scheduler_actor(),
        tmp,
        &Options::default(),
        &mut |_| {},
        &cancel,
    );
    let label = if drive.label.is_empty() {
        drive.path.clone()
    } else {
        format!("{} ({})", drive.label, drive.path)
    };
    for (job, _) in &usb {
        let o = match &outcome {
            Ok(w) => Ok(format!(
                "USB stick {label}: {}/{}.{}",
                w.folder,
                stem(job),
                job.format.extension()
            )),
            Err(e) => Err(format!("USB stick {label}: {e}")),
        };
        jobs::finish(conn, job.id, now_ms(), o.as_deref().map_err(String::as_str))?;
        ran.push(job.clone());
    }
    Ok(ran)
}

/// The schedules and the newest jobs, for the admin.
#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReportSchedulesView {
    pub schedules: Vec<ReportSchedule>,
    /// The newest 100 jobs, newest first.
    pub history: Vec<ReportJob>,
    /// Failed jobs in the history.
    pub failures: i64,
}

impl Core {
    /// The scheduler's pass at `now` (the app's job passes the clock).
    pub async fn run_due_reports(&self, now: i64) -> Result<Vec<ReportJob>, Error> {
        let tmp = self.data_folder().join("tmp");
        self.db()
            .run(move |c| run_due(c, now, &crate::removable::drives, &tmp))
            .await
    }

    /// Marks jobs a stopped process left running as failed (at start).
    pub async fn close_interrupted_reports(&self) -> Result<usize, Error> {
        self.db()
            .run(|c| Ok::<_, Error>(jobs::close_interrupted(c, now_ms())?))
            .await
    }

    pub async fn report_schedules(&self) -> Result<ReportSchedulesView, Error> {
        let cal = Calendar::new(&self.plant().config);
        self.db()
            .run(move |c| {
                let schedules = jobs::list(c, &cal)?;
                let history = jobs::history(c, 100)?;
                let failures = c.query_row(
                    "SELECT count(*) FROM report_jobs WHERE state = 'failed'",
                    [],
                    |r| r.get(0),
                )?;
                Ok::<_, Error>(ReportSchedulesView {
                    schedules,
                    history,
                    failures,
                })
            })
            .await
    }

    pub async fn add_report_schedule(
        &self,
        input: ReportScheduleInput,
        actor: &Actor,
    ) -> Result<ReportSchedulesView, Error> {
        let actor = actor.clone();
        self.db()
            .run(move |c| {
                let id = jobs::add(c, &input, now_ms())?;
                audit_schedule(c, &actor, "report_schedule.add", id, &input)
            })
            .await?;
        self.report_schedules().await
    }

    pub async fn update_report_schedule(
        &self,
        id: i64,
        input: ReportScheduleInput,
        actor: &Actor,
    ) -> Result<ReportSchedulesView, Error> {
        let actor = actor.clone();
        self.db()
            .run(move |c| {
                jobs::update(c, id, &input, now_ms())?;
                audit_schedule(c, &actor, "report_schedule.update", id, &input)
            })
            .await?;
        self.report_schedules().await
    }

    pub async fn remove_report_schedule(
        &self,
        id: i64,
        actor: &Actor,
    ) -> Result<ReportSchedulesView, Error> {
        let actor = actor.clone();
        self.db()
            .run(move |c| {
                jobs::remove(c, id)?;
                crate::auth::audit::record(
                    c,
                    &crate::auth::audit::AuditEntry::new(
                        &actor,
                        "report_schedule.remove",
                        &format!("report schedule {id}"),
                        "",
                    ),
                )?;
                Ok::<_, Error>(())
            })
            .await?;
        self.report_schedules().await
    }
}

fn audit_schedule(
    c: &mut rusqlite::Connection,
    actor: &Actor,
    action: &str,
    id: i64,
    input: &ReportScheduleInput,
) -> Result<(), Error> {
    crate::auth::audit::record(
        c,
        &crate::auth::audit::AuditEntry::new(
            actor,
            action,
            &format!("report schedule {id}"),
            &format!(
                "{}: {:?} {:?} at {}, to {}{}{}",
                input.name,
                input.kind,
                input.format,
                input.run_at,
                input.folder.as_deref().unwrap_or(""),
                if input.usb { " + next USB stick" } else { "" },
                if input.enabled { "" } else { " (off)" }
            ),
        ),
    )?;
    Ok(())
}
