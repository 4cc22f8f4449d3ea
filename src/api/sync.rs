//! Sync (issue 14): the status of sync to the central server, for the admin.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;

use super::error::ApiResult;
use crate::core::Core;
use crate::sync::SyncStatus;

pub async fn status(State(core): State<Arc<Core>>) -> ApiResult<Json<SyncStatus>> {
    Ok(Json(core.sync_status().await?))
}
