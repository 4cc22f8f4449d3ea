//! The plant as people look at it: overview tiles, machine pages with their tags,
//! trend history and time in each state.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use super::access::Caller;
use super::error::ApiResult;
use crate::core::{Core, HistoryView, MachineView, StateTimesView};
use crate::production::Overview;
use crate::sample::TagId;

pub async fn overview(State(core): State<Arc<Core>>, caller: Caller) -> Json<Overview> {
    Json(core.overview_in(&caller.scope))
}

pub async fn machine(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(key): Path<String>,
) -> ApiResult<Json<MachineView>> {
    Ok(Json(core.machine_in(&key, &caller.scope)?))
}

#[derive(Deserialize)]
pub struct HistoryQuery {
    from: Option<i64>,
    to: Option<i64>,
    points: Option<u32>,
}

pub async fn history(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<TagId>,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<HistoryView>> {
    Ok(Json(
        core.history_in(id, q.from, q.to, q.points, &caller.scope)
            .await?,
    ))
}

#[derive(Deserialize)]
pub struct StatesQuery {
    from: Option<i64>,
    to: Option<i64>,
    /// Also the longest state in each of this many columns (a timeline's pixels).
    columns: Option<usize>,
}

pub async fn state_times(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<TagId>,
    Query(q): Query<StatesQuery>,
) -> ApiResult<Json<StateTimesView>> {
    Ok(Json(
        core.state_times_in(id, q.from, q.to, q.columns, &caller.scope)
            .await?,
    ))
}
