//! Storage: where the data is, how big, how much room is left, how long each class is
//! kept, what the next purge removes and what the last ones did. Shortening a retention
//! must be confirmed, and is audited (the core's storage room does both).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::access::Caller;
use super::error::{ApiResult, Body};
use crate::core::{Core, StorageView};
use crate::store::retention::{Change, Settings};

pub async fn get_storage(State(core): State<Arc<Core>>) -> ApiResult<Json<StorageView>> {
    Ok(Json(core.storage().await?))
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StorageChange {
    raw_days: Option<u32>,
    minute_days: Option<u32>,
    hour_days: Option<u32>,
    audit_days: Option<u32>,
    archive: bool,
    disk_warn_mb: u64,
    /// Required when a retention gets shorter.
    #[serde(default)]
    confirm: bool,
    /// Required to keep the audit log less than its floor: the words "shorten the audit
    /// log".
    #[cfg_attr(test, ts(optional))]
    audit_confirm_text: Option<String>,
}

pub async fn put_storage(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(c): Body<StorageChange>,
) -> ApiResult<Json<StorageView>> {
    let change = Change {
        settings: Settings {
            raw_days: c.raw_days,
            minute_days: c.minute_days,
            hour_days: c.hour_days,
            audit_days: c.audit_days,
            archive: c.archive,
        },
        disk_warn_mb: c.disk_warn_mb,
        confirm: c.confirm,
    };
    core.change_storage_confirmed(change, c.audit_confirm_text, caller.actor())
        .await?;
    Ok(Json(core.storage().await?))
}
