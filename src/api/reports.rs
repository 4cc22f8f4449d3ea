//! Reports and removable drives (issue 11): a report rendered for a download, the
//! removable drives of this PC, the admin's report schedules with their job history,
//! and exports to a drive started, followed and cancelled from the UI.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::access::Caller;
use super::error::{ApiError, ApiResult, Body};
use crate::core::Core;

use crate::core::export_jobs::{ExportJob, ExportRequest};
use crate::core::report::ReportFileRequest;
use crate::core::report_jobs::ReportSchedulesView;
use crate::production::By;
use crate::removable::Drive;
use crate::report::jobs::ReportScheduleInput;
use crate::report::tags::Step;
use crate::report::{Format, Kind, Options, Paper};

/// `GET /api/reports/file?kind=production&from=..&to=..&format=pdf[&by=day][&paper=letter]
/// [&delimiter=;][&decimal_comma=true][&bom=false]`; `from` and `to` are UTC ms, RFC 3339
/// or dates (a production day's start).
#[derive(Deserialize)]
pub struct FileQuery {
    #[serde(default)]
    kind: String,
    from: String,
    to: String,
    format: Option<String>,
    by: Option<String>,
    paper: Option<String>,
    delimiter: Option<String>,
    decimal_comma: Option<bool>,
    bom: Option<bool>,
    /// The tag report: tag ids or device/tag names, comma-separated, and hour or day.
    tags: Option<String>,
    step: Option<String>,
}

pub async fn file(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Query(q): Query<FileQuery>,
) -> ApiResult<Response> {
    if q.kind == "tag" {
        return Err(ApiError::bad_request(
            "bad_kind",
            "the tag report is GET /api/reports/tags".to_string(),
        ));
    }
    respond(core, caller, q).await
}

/// `GET /api/reports/tags?tags=1,2&step=hour|day&from=..&to=..&format=..`: the tag
/// report, for those who run the reports about plant data.
pub async fn tags_file(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Query(mut q): Query<FileQuery>,
) -> ApiResult<Response> {
    q.kind = "tag".into();
    respond(core, caller, q).await
}

/// `GET /api/reports/energy?from=..&to=..&format=..`: the energy report, for those who
/// run the reports about plant data.
pub async fn energy_file(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Query(mut q): Query<FileQuery>,
) -> ApiResult<Response> {
    q.kind = "energy".into();
    respond(core, caller, q).await
}

async fn respond(core: Arc<Core>, caller: Caller, q: FileQuery) -> ApiResult<Response> {
    let bad = |code: &'static str, m: String| ApiError::bad_request(code, m);
    let kind = Kind::parse(&q.kind).ok_or_else(|| {
        bad(
            "bad_kind",
            format!(
                "kind \"{}\" must be shift, production, tag or energy",
                q.kind
            ),
        )
    })?;
    let f = q.format.as_deref().unwrap_or("pdf");
    let format = Format::parse(f).ok_or_else(|| {
        bad(
            "bad_format",
            format!("format \"{f}\" must be pdf, xlsx or csv"),
        )
    })?;
    let by = match q.by.as_deref() {
        None => None,
        Some(b) => Some(By::parse(b).ok_or_else(|| {
            bad(
                "bad_by",
                format!("by \"{b}\" must be shift, day, week or month"),
            )
        })?),
    };
    let paper = match q.paper.as_deref() {
        None | Some("a4") => Paper::A4,
        Some("letter") => Paper::Letter,
        Some(p) => {
            return Err(
                bad("bad_paper", format!("paper \"{p}\" must be a4 or letter"))
                    .with("given", p)
                    .with("allowed", "a4, letter"),
            );
        }
    };
    let delimiter = match q.delimiter.as_deref() {
        None => b',',
        Some(d) if d.len() == 1 && d.is_ascii() => d.as_bytes()[0],
        Some(d) => {
            return Err(bad(
                "bad_delimiter",
                format!("delimiter \"{d}\" must be one character such as , or ;"),
            ));
        }
    };
    let step = match q.step.as_deref() {
        None => Step::Day,
        Some(s) => Step::parse(s)
            .ok_or_else(|| bad("bad_step", format!("step \"{s}\" must be hour or day")))?,
    };
    let req = ReportFileRequest {
        tags: q
            .tags
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect(),
        step,
        kind,
        from: q.from,
        to: q.to,
        by,
        format,
        paper,
        opts: Options {
            paper,
            bom: q.bom.unwrap_or(true),
            delimiter,
            decimal_comma: q.decimal_comma.unwrap_or(false),
        },
    };
    let r = core.report_file(req, &caller.actor()).await?;
    Ok((
        [
            (CONTENT_TYPE, r.mime.to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", r.name),
            ),
        ],
        r.bytes,
    )
        .into_response())
}

pub async fn drives(State(core): State<Arc<Core>>) -> ApiResult<Json<Vec<Drive>>> {
    Ok(Json(core.removable_drives().await?))
}

// Report schedules and export jobs.

pub async fn schedules(State(core): State<Arc<Core>>) -> ApiResult<Json<ReportSchedulesView>> {
    Ok(Json(core.report_schedules().await?))
}

pub async fn add_schedule(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(s): Body<ReportScheduleInput>,
) -> ApiResult<Json<ReportSchedulesView>> {
    Ok(Json(core.add_report_schedule(s, &caller.actor()).await?))
}

pub async fn update_schedule(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(s): Body<ReportScheduleInput>,
) -> ApiResult<Json<ReportSchedulesView>> {
    Ok(Json(
        core.update_report_schedule(id, s, &caller.actor()).await?,
    ))
}

pub async fn remove_schedule(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<ReportSchedulesView>> {
    Ok(Json(
        core.remove_report_schedule(id, &caller.actor()).await?,
    ))
}

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExportStarted {
    pub id: i64,
}

pub async fn start_export(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(r): Body<ExportRequest>,
) -> ApiResult<Json<ExportStarted>> {
    Ok(Json(ExportStarted {
        id: core.start_export(r, &caller.actor()).await?,
    }))
}

pub async fn exports(State(core): State<Arc<Core>>) -> ApiResult<Json<Vec<ExportJob>>> {
    Ok(Json(core.export_jobs()))
}

pub async fn cancel_export(
    State(core): State<Arc<Core>>,
    Path(id): Path<i64>,
) -> ApiResult<Json<ExportJob>> {
    Ok(Json(core.cancel_export(id)?))
}
