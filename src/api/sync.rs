//! Sync (issue 14): the status of sync to the central server, for the admin.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;

use super::access::Caller;
use super::error::{ApiResult, Body};
use crate::core::Core;
use crate::sync::SyncStatus;

pub async fn status(State(core): State<Arc<Core>>) -> ApiResult<Json<SyncStatus>> {
    Ok(Json(core.sync_status().await?))
}

/// The bandwidth limit for the backlog: bytes per second on average, 0 for none.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SyncBandwidth {
    pub bytes_per_second: i64,
}

pub async fn set_bandwidth(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<SyncBandwidth>,
) -> ApiResult<Json<SyncStatus>> {
    Ok(Json(
        core.set_sync_bandwidth(b.bytes_per_second, caller.actor())
            .await?,
    ))
}
