//! The full export (issue 17, item 2) from the passport page: start one into a folder
//! or onto a removable drive, follow its progress, cancel it (what is finished is kept;
//! starting again on the same folder continues). One at a time per Plantlog.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::access::Caller;
use super::error::{ApiError, ApiResult, Body};
use crate::auth::audit::{self, AuditEntry};
use crate::core::Core;
use crate::removable::{self, Drive};
use crate::takeout::forget::{ForgetError, Forgotten, TagPlan, UserPlan};
use crate::takeout::history::{self, BeforeError, BeforePlan, MachinePlan, Removed};
use crate::takeout::{self, Options, Outcome, Progress};

/// The export running or last run.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TakeoutJob {
    pub folder: String,
    /// "running", "done", "failed", "cancelled".
    pub state: String,
    pub progress: Progress,
    pub outcome: Option<Outcome>,
    /// What went wrong, and what to do.
    pub error: Option<String>,
    pub by: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TakeoutView {
    pub job: Option<TakeoutJob>,
    pub drives: Vec<Drive>,
    /// Where an export goes unless another folder is chosen: the data folder's
    /// "exports" folder, one folder per day.
    pub default_folder: String,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TakeoutRequest {
    /// A folder, or a drive's path (a dated folder is made on it); empty: the default.
    #[serde(default)]
    pub to: String,
}

struct Running {
    job: TakeoutJob,
    cancel: Arc<AtomicBool>,
}

static JOB: Mutex<Option<Running>> = Mutex::new(None);

fn job() -> Option<TakeoutJob> {
    JOB.lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .map(|r| r.job.clone())
}

fn dated(base: &std::path::Path) -> PathBuf {
    base.join(format!(
        "plantlog-takeout-{}",
        jiff::Timestamp::now().strftime("%Y%m%d")
    ))
}

fn default_folder(core: &Core) -> PathBuf {
    dated(&core.data_folder().join("exports"))
}

pub async fn view(State(core): State<Arc<Core>>) -> ApiResult<Json<TakeoutView>> {
    let drives = tokio::task::spawn_blocking(removable::drives)
        .await
        .unwrap_or_default();
    Ok(Json(TakeoutView {
        job: job(),
        drives,
        default_folder: default_folder(&core).display().to_string(),
    }))
}

pub async fn start(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(r): Body<TakeoutRequest>,
) -> ApiResult<Json<TakeoutJob>> {
    let to = if r.to.trim().is_empty() {
        default_folder(&core)
    } else {
        let p = PathBuf::from(r.to.trim());
        if !p.is_absolute() {
            return Err(ApiError::bad_request(
                "bad_folder",
                "give the full path of the folder or drive",
            ));
        }
        // A drive's root gets a dated folder; a folder is used as it is.
        if removable::drives()
            .iter()
            .any(|d| std::path::Path::new(&d.path) == p)
        {
            dated(&p)
        } else {
            p
        }
    };
    let cancel = Arc::new(AtomicBool::new(false));
    let job = TakeoutJob {
        folder: to.display().to_string(),
        state: "running".into(),
        progress: Progress::default(),
        outcome: None,
        error: None,
        by: caller.user.username.clone(),
    };
    {
        let mut slot = JOB.lock().unwrap_or_else(|e| e.into_inner());
        if slot.as_ref().is_some_and(|r| r.job.state == "running") {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "export_running",
                "a full export is running already; wait for it or cancel it",
            ));
        }
        *slot = Some(Running {
            job: job.clone(),
            cancel: cancel.clone(),
        });
    }
    let actor = caller.actor();
    let db = takeout::on_core::db(&core);
    tokio::task::spawn_blocking(move || {
        let set = |f: &mut dyn FnMut(&mut TakeoutJob)| {
            if let Some(r) = JOB.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
                f(&mut r.job);
            }
        };
        let result = takeout::export(
            &db,
            &Options::new(to),
            &mut |p| set(&mut |j| j.progress = p.clone()),
            &cancel,
        );
        match result {
            Ok(out) => {
                let _ = db.sql(|c| {
                    audit::record(
                        c,
                        &AuditEntry::new(
                            &actor,
                            "export.all",
                            &out.folder,
                            &format!(
                                "{} files, {} bytes, {} samples, SHA256SUMS {}",
                                out.files, out.bytes, out.sample_rows, out.sums_sha256
                            ),
                        ),
                    )
                });
                set(&mut |j| {
                    j.state = "done".into();
                    j.outcome = Some(out.clone());
                });
            }
            Err(e) => {
                let state = if matches!(e, takeout::TakeoutError::Cancelled) {
                    "cancelled"
                } else {
                    tracing::warn!("the full export stopped: {e}");
                    "failed"
                };
                set(&mut |j| {
                    j.state = state.into();
                    j.error = Some(e.to_string());
                });
            }
        }
    });
    Ok(Json(job))
}

pub async fn cancel() -> ApiResult<Json<TakeoutJob>> {
    let slot = JOB.lock().unwrap_or_else(|e| e.into_inner());
    match slot.as_ref() {
        Some(r) => {
            r.cancel.store(true, Ordering::Relaxed);
            Ok(Json(r.job.clone()))
        }
        None => Err(ApiError::not_found("full export")),
    }
}

// Deletion on request (issue 17, item 3): planned, then confirmed by typing the name.

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ForgetRequest {
    /// A username, or a tag (id or device/tag).
    pub name: String,
    /// The same name typed again; absent when only planning.
    #[serde(default)]
    pub confirm: Option<String>,
}

fn forget_error(e: ForgetError) -> ApiError {
    match e {
        ForgetError::NoUser(_) | ForgetError::NoTag(_) | ForgetError::NoMachine(_) => {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", e.to_string())
        }
        ForgetError::Sqlite(_) | ForgetError::Store(_) => ApiError::internal(e),
        _ => ApiError::new(StatusCode::CONFLICT, "refused", e.to_string()),
    }
}

pub async fn plan_user(
    State(core): State<Arc<Core>>,
    Body(r): Body<ForgetRequest>,
) -> ApiResult<Json<UserPlan>> {
    let name = r.name.trim().to_string();
    let plan = takeout::on_core::plan_user(&core, name)
        .await
        .map_err(forget_error)?;
    Ok(Json(plan))
}

pub async fn forget_user(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(r): Body<ForgetRequest>,
) -> ApiResult<Json<Forgotten>> {
    let name = r.name.trim().to_string();
    let actor = caller.actor();
    let done = takeout::on_core::forget_user(&core, name, r.confirm, actor)
        .await
        .map_err(|e| match e {
            ForgetError::Changed(m) if m.starts_with("type ") => {
                ApiError::bad_request("confirm", m)
            }
            e => forget_error(e),
        })?;
    Ok(Json(done))
}

pub async fn plan_tag(
    State(core): State<Arc<Core>>,
    Body(r): Body<ForgetRequest>,
) -> ApiResult<Json<TagPlan>> {
    let name = r.name.trim().to_string();
    let plan = takeout::on_core::plan_tag(&core, name)
        .await
        .map_err(forget_error)?;
    Ok(Json(plan))
}

pub async fn forget_tag(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(r): Body<ForgetRequest>,
) -> ApiResult<Json<TagPlan>> {
    let name = r.name.trim().to_string();
    let actor = caller.actor();
    let plan = takeout::on_core::forget_tag(&core, name, r.confirm, actor)
        .await
        .map_err(|e| match e {
            ForgetError::Changed(m) if m.starts_with("type ") => {
                ApiError::bad_request("confirm", m)
            }
            e => forget_error(e),
        })?;
    Ok(Json(plan))
}

/// A confirmation that did not match, carried out of the database closure.
fn typed(m: &str) -> bool {
    m.starts_with("type ")
}

pub async fn plan_machine(
    State(core): State<Arc<Core>>,
    Body(r): Body<ForgetRequest>,
) -> ApiResult<Json<MachinePlan>> {
    let name = r.name.trim().to_string();
    let plan = takeout::on_core::plan_machine(&core, name)
        .await
        .map_err(forget_error)?;
    Ok(Json(plan))
}

/// Deletes a machine's whole history; `confirm` is the machine's key.
pub async fn forget_machine(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(r): Body<ForgetRequest>,
) -> ApiResult<Json<Removed>> {
    let name = r.name.trim().to_string();
    let actor = caller.actor();
    let done = takeout::on_core::forget_machine(&core, name, r.confirm, actor)
        .await
        .map_err(|e| match e {
            ForgetError::Changed(m) if typed(&m) => ApiError::bad_request("confirm", m),
            e => forget_error(e),
        })?;
    Ok(Json(done))
}

/// Everything of a data class before a date.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BeforeRequest {
    /// raw, minute, hour or audit.
    pub class: String,
    /// A date (2026-01-31, from 00:00 UTC) or an RFC 3339 time.
    pub before: String,
    /// "CLASS before DATE" typed again; absent when only planning.
    #[serde(default)]
    pub confirm: Option<String>,
}

impl BeforeRequest {
    fn parse(&self) -> Result<(crate::store::retention::Class, i64), ApiError> {
        let class = history::class_named(&self.class).ok_or_else(|| {
            ApiError::bad_request("class", "the class is one of raw, minute, hour, audit")
        })?;
        let before = history::parse_date(&self.before).ok_or_else(|| {
            ApiError::bad_request(
                "before",
                "the date is written as 2026-01-31 (from 00:00 UTC) or 2026-01-31T12:00:00Z",
            )
        })?;
        if before > crate::sample::now_ms() {
            return Err(ApiError::bad_request(
                "before",
                "the date is in the future; choose a date up to today",
            ));
        }
        Ok((class, before))
    }

    /// What the admin types to confirm.
    pub fn phrase(&self) -> String {
        format!("{} before {}", self.class.trim(), self.before.trim())
    }
}

pub async fn plan_before(
    State(core): State<Arc<Core>>,
    Body(r): Body<BeforeRequest>,
) -> ApiResult<Json<BeforePlan>> {
    let (class, before) = r.parse()?;
    let plan = takeout::on_core::plan_before(&core, class, before)
        .await
        .map_err(forget_error)?;
    Ok(Json(plan))
}

pub async fn forget_before(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(r): Body<BeforeRequest>,
) -> ApiResult<Json<Removed>> {
    let (class, before) = r.parse()?;
    let phrase = r.phrase();
    if r.confirm.as_deref().map(str::trim) != Some(phrase.as_str()) {
        return Err(ApiError::bad_request(
            "confirm",
            format!("type {phrase} to confirm; nothing was deleted"),
        ));
    }
    let actor = caller.actor();
    let done = takeout::on_core::forget_before(&core, class, before, actor)
        .await
        .map_err(|e| match e {
            BeforeError::Forget(e) => forget_error(e),
            e => ApiError::internal(e),
        })?;
    Ok(Json(done))
}
