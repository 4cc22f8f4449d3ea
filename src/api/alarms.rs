//! Alarms (issue 13): the open alarms a user receives with the banner's counts,
//! acknowledging and shelving one, and the journal as JSON or CSV.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::access::Caller;
use super::error::{ApiResult, Body};
use crate::alerts::store::{AlarmView, JournalEntry, JournalQuery};
use crate::core::{AckBody, AlarmsView, Core, ShelveBody};

pub async fn list(State(core): State<Arc<Core>>, caller: Caller) -> ApiResult<Json<AlarmsView>> {
    Ok(Json(core.alarms(&caller.user).await?))
}

pub async fn acknowledge(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<AckBody>,
) -> ApiResult<Json<AlarmView>> {
    Ok(Json(
        core.acknowledge_alarm(&caller.user, caller.actor(), id, b)
            .await?,
    ))
}

pub async fn shelve(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<ShelveBody>,
) -> ApiResult<Json<AlarmView>> {
    Ok(Json(
        core.shelve_alarm(&caller.user, caller.actor(), id, b)
            .await?,
    ))
}

pub async fn journal(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Query(q): Query<JournalQuery>,
) -> ApiResult<Json<Vec<JournalEntry>>> {
    Ok(Json(core.alarm_journal(&caller.user, q).await?))
}

pub async fn journal_csv(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Query(q): Query<JournalQuery>,
) -> ApiResult<Response> {
    let csv = core.alarm_journal_csv(&caller.user, q).await?;
    let day = jiff::Timestamp::now().strftime("%Y%m%d").to_string();
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"plantlog-alarm-journal-{day}.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

/// `GET /api/alarms/report?from&to`.
#[derive(serde::Deserialize)]
pub struct ReportQuery {
    from: Option<i64>,
    to: Option<i64>,
}

pub async fn report(
    State(core): State<Arc<Core>>,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Json<crate::alerts::report::AlarmReport>> {
    Ok(Json(core.alarm_report(q.from, q.to).await?))
}
