//! Production: reports (JSON or CSV), the live shift view, an operator's machine, a
//! machine's stops, reasons of stops, the reason tree, planned stops, scrap, ideal cycle
//! times, operators' machines, andon displays and the board a display shows.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;

use super::access::Caller;
use super::error::{ApiError, ApiResult, Body};
use crate::auth::display::Display;
use crate::core::Core;
use crate::core::production::{
    AssignBody, CreatedDisplay, MachineNow, NewDisplay, NewIdealCycle, NewPlannedStop, NewReason,
    NewScrap, OperatorMachines, ReasonChange, ReportRequest, Setup, StopReasonBody,
};
use crate::production::By;
use crate::production::records::{IdealCycle, PlannedStop, Reason, ScrapEntry};
use crate::production::report;
use crate::production::views::{Board, MachineStops, ShiftView, StopView};

/// `GET /api/production/report` as given: `by` and `format` in words.
#[derive(Deserialize)]
pub struct ReportQuery {
    from: Option<i64>,
    to: Option<i64>,
    machine: Option<String>,
    by: Option<String>,
    last: Option<u32>,
    format: Option<String>,
}

pub async fn report(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Response> {
    let by = match q.by.as_deref() {
        None => None,
        Some(b) => Some(By::parse(b).ok_or_else(|| {
            ApiError::bad_request(
                "bad_by",
                format!("by \"{b}\" must be shift, day, week or month"),
            )
        })?),
    };
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(f) => {
            return Err(ApiError::bad_request(
                "bad_format",
                format!("format \"{f}\" must be json or csv"),
            ));
        }
    };
    let req = ReportRequest {
        from: q.from,
        to: q.to,
        machine: q.machine,
        by,
        last: q.last,
    };
    let r = core.production_report(&caller.user, req).await?;
    Ok(if csv {
        (
            [
                (CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    CONTENT_DISPOSITION,
                    "attachment; filename=\"production-report.csv\"",
                ),
            ],
            report::csv(&r),
        )
            .into_response()
    } else {
        Json(r).into_response()
    })
}

pub async fn shift(State(core): State<Arc<Core>>, caller: Caller) -> ApiResult<Json<ShiftView>> {
    Ok(Json(core.shift_view(&caller.user).await?))
}

pub async fn machine_now(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(key): Path<String>,
) -> ApiResult<Json<MachineNow>> {
    Ok(Json(core.machine_now(&caller.user, &key).await?))
}

#[derive(Deserialize)]
pub struct RangeQuery {
    from: Option<i64>,
    to: Option<i64>,
}

pub async fn machine_stops(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(key): Path<String>,
    Query(q): Query<RangeQuery>,
) -> ApiResult<Json<MachineStops>> {
    Ok(Json(
        core.machine_stops(&caller.user, &key, q.from, q.to).await?,
    ))
}

pub async fn set_stop_reason(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<StopReasonBody>,
) -> ApiResult<Json<StopView>> {
    Ok(Json(
        core.set_stop_reason(&caller.user, caller.actor(), b)
            .await?,
    ))
}

pub async fn reasons(State(core): State<Arc<Core>>) -> ApiResult<Json<Vec<Reason>>> {
    Ok(Json(core.reasons().await?))
}

pub async fn add_reason(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<NewReason>,
) -> ApiResult<(StatusCode, Json<Reason>)> {
    Ok((
        StatusCode::CREATED,
        Json(core.add_reason(caller.actor(), b).await?),
    ))
}

pub async fn update_reason(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<ReasonChange>,
) -> ApiResult<Json<Reason>> {
    Ok(Json(core.update_reason(caller.actor(), id, b).await?))
}

pub async fn setup(State(core): State<Arc<Core>>) -> ApiResult<Json<Setup>> {
    Ok(Json(core.production_setup().await?))
}

pub async fn add_planned_stop(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<NewPlannedStop>,
) -> ApiResult<(StatusCode, Json<PlannedStop>)> {
    Ok((
        StatusCode::CREATED,
        Json(core.add_planned_stop(caller.actor(), b).await?),
    ))
}

pub async fn cancel_planned_stop(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    core.cancel_planned_stop(caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn scrap(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Query(q): Query<RangeQuery>,
) -> ApiResult<Json<Vec<ScrapEntry>>> {
    Ok(Json(core.scrap_entries(&caller.user, q.from, q.to).await?))
}

pub async fn add_scrap(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<NewScrap>,
) -> ApiResult<(StatusCode, Json<ScrapEntry>)> {
    Ok((
        StatusCode::CREATED,
        Json(core.add_scrap(&caller.user, caller.actor(), b).await?),
    ))
}

pub async fn set_ideal_cycle(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<NewIdealCycle>,
) -> ApiResult<Json<IdealCycle>> {
    Ok(Json(core.set_ideal_cycle(caller.actor(), b).await?))
}

pub async fn assign(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<AssignBody>,
) -> ApiResult<Json<OperatorMachines>> {
    Ok(Json(
        core.assign_machines(caller.actor(), id, b.machines).await?,
    ))
}

pub async fn displays(State(core): State<Arc<Core>>) -> ApiResult<Json<Vec<Display>>> {
    Ok(Json(core.displays().await?))
}

pub async fn create_display(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<NewDisplay>,
) -> ApiResult<(StatusCode, Json<CreatedDisplay>)> {
    Ok((
        StatusCode::CREATED,
        Json(core.create_display(caller.actor(), b).await?),
    ))
}

pub async fn revoke_display(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    core.revoke_display(caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The board of the display whose token the request carries (no session).
pub async fn board(
    State(core): State<Arc<Core>>,
    Extension(display): Extension<Display>,
) -> ApiResult<Json<Board>> {
    Ok(Json(core.board(&display).await?))
}
