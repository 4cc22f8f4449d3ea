//! Exports to a removable drive started from the UI: `POST /api/exports` starts one in
//! the background (one at a time), `GET /api/exports` reads its progress (bytes,
//! files, time left) and how it ended, `POST /api/exports/{id}/cancel` stops it at the
//! next chunk. The work is `core::report::export_to_drive`, the same as
//! `plantlog export`'s, audited the same way. Jobs live in memory: an export is watched
//! while it runs; the audit log keeps what was exported.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::report::{DriveExport, ReportItem, export_to_drive};
use super::{Core, Error};
use crate::auth::audit::Actor;
use crate::removable::write::{FAT32_MAX, Progress, Written};
use crate::report::{Format, Kind, Options};
use crate::sample::now_ms;

/// A report of an export from the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExportReport {
    pub kind: Kind,
    pub format: Format,
    /// The tag report's tags (ids or device/tag); not needed for the other kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub tags: Option<Vec<String>>,
}

/// What the admin chose in the export dialog.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExportRequest {
    /// The drive's path, as `GET /api/removable/drives` lists it.
    pub drive: String,
    /// UTC ms, RFC 3339, or a date (that production day's start).
    pub from: String,
    pub until: String,
    pub reports: Vec<ExportReport>,
    /// Raw samples of these tags (ids or device/tag).
    pub tags: Vec<String>,
    pub config: bool,
    pub audit: bool,
}

/// An export and where it stands.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExportJob {
    pub id: i64,
    /// `preparing` (building the files on this PC), `writing`, `verifying`, `done`
    /// (safe to remove), `failed` or `cancelled`.
    pub state: String,
    pub drive: String,
    pub label: String,
    pub by: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub progress: Option<Progress>,
    pub written: Option<Written>,
    pub error: Option<String>,
}

struct Running {
    job: Mutex<ExportJob>,
    cancel: AtomicBool,
}

/// The exports of this run of Plantlog, newest last.
#[derive(Default)]
pub struct Exports {
    jobs: Mutex<BTreeMap<i64, Arc<Running>>>,
}

/// Exports kept to be read back; older finished ones are forgotten.
const KEEP: usize = 20;

impl Exports {
    fn get(&self, id: i64) -> Option<Arc<Running>> {
        self.jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned()
    }
}

fn update(r: &Running, f: impl FnOnce(&mut ExportJob)) {
    f(&mut r.job.lock().unwrap_or_else(|e| e.into_inner()));
}

impl Core {
    /// Starts an export to one of the listed drives; its id to follow it by.
    pub async fn start_export(&self, req: ExportRequest, actor: &Actor) -> Result<i64, Error> {
        if req.reports.is_empty() && req.tags.is_empty() && !req.config && !req.audit {
            return Err(Error::invalid(
                "nothing_chosen",
                "choose something to export: reports, samples of tags, the configuration or the audit log",
            ));
        }
        let drives = self.removable_drives().await?;
        let Some(drive) = drives.into_iter().find(|d| d.path == req.drive) else {
            return Err(Error::invalid(
                "no_such_drive",
                format!(
                    "{} is not a removable drive of this PC (any more); insert the stick and choose it again",
                    req.drive
                ),
            ));
        };
        let (from, until) = {
            let plant = self.plant();
            (
                super::production::parse_time(&plant, &req.from)?,
                super::production::parse_time(&plant, &req.until)?,
            )
        };
        if from >= until {
            return Err(Error::invalid(
                "bad_range",
                "the start must be before the end",
            ));
        }
        let running = {
            let jobs = self.exports.jobs.lock().unwrap_or_else(|e| e.into_inner());
            jobs.values().any(|r| {
                let j = r.job.lock().unwrap_or_else(|e| e.into_inner());
                j.finished_at.is_none()
            })
        };
        if running {
            return Err(Error::invalid(
                "export_running",
                "an export is running; wait for it to finish or cancel it",
            ));
        }
        let export = DriveExport {
            to: std::path::PathBuf::from(&drive.path),
            from,
            until,
            reports: req
                .reports
                .iter()
                .map(|r| ReportItem {
                    kind: r.kind,
                    format: r.format,
                    from,
                    to: until,
                    by: None,
                    stem: None,
                    tags: r.tags.clone().unwrap_or_default(),
                })
                .collect(),
            tags: req.tags.clone(),
            config: req.config,
            audit: req.audit,
            max_file: FAT32_MAX,
        };
        let r = Arc::new(Running {
            job: Mutex::new(ExportJob {
                id: 0,
                state: "preparing".into(),
                drive: drive.path.clone(),
                label: drive.label.clone(),
                by: actor.name.clone(),
                started_at: now_ms(),
                finished_at: None,
                progress: None,
                written: None,
                error: None,
            }),
            cancel: AtomicBool::new(false),
        });
        let id = {
            let mut jobs = self.exports.jobs.lock().unwrap_or_else(|e| e.into_inner());
            let id = jobs.keys().next_back().map_or(1, |k| k + 1);
            update(&r, |j| j.id = id);
            jobs.insert(id, r.clone());
            while jobs.len() > KEEP {
                let Some(first) = jobs.keys().next().copied() else {
                    break;
                };
                jobs.remove(&first);
            }
            id
        };
        let tmp = self.data_folder().join("tmp");
        let actor = actor.clone();
        let db = self.db().clone();
        tokio::task::spawn_blocking(move || {
            let outcome = db.with(|c| {
                export_to_drive(
                    c,
                    &export,
                    &actor,
                    &tmp,
                    &Options::default(),
                    &mut |p: &Progress| {
                        update(&r, |j| {
                            j.state = if p.phase == "done" {
                                "verifying".into()
                            } else {
                                p.phase.clone()
                            };
                            j.progress = Some(p.clone());
                        })
                    },
                    &r.cancel,
                )
            });
            update(&r, |j| {
                j.finished_at = Some(now_ms());
                match outcome {
                    Ok(w) => {
                        j.state = "done".into();
                        j.written = Some(w);
                    }
                    Err(e) => {
                        j.state = if r.cancel.load(Ordering::Relaxed) {
                            "cancelled".into()
                        } else {
                            "failed".into()
                        };
                        j.error = Some(e.to_string());
                    }
                }
            });
        });
        Ok(id)
    }

    /// The exports of this run of Plantlog, newest first: where each stands.
    pub fn export_jobs(&self) -> Vec<ExportJob> {
        let jobs = self.exports.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.values()
            .rev()
            .map(|r| r.job.lock().unwrap_or_else(|e| e.into_inner()).clone())
            .collect()
    }

    /// Asks a running export to stop at its next chunk.
    pub fn cancel_export(&self, id: i64) -> Result<ExportJob, Error> {
        let r = self.exports.get(id).ok_or(Error::NotFound("export"))?;
        r.cancel.store(true, Ordering::Relaxed);
        Ok(r.job.lock().unwrap_or_else(|e| e.into_inner()).clone())
    }
}
