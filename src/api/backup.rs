//! Backups: the targets with their state and history, the backups on a target, adding,
//! changing and removing targets, a backup now, verifying a backup again, a restore
//! drill now, a restore into the running data folder (core::backup and
//! core::backup_restore do the work and the auditing).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};

use super::access::Caller;
use super::error::{ApiResult, Body};
use crate::backup::Verification;
use crate::backup::drill::Drill;
use crate::backup::targets::{Run, TargetInput};
use crate::core::{
    BackupRestored, BackupsView, Core, EncryptionChange, EncryptionState, EncryptionTurnedOn,
    RecoveryKey, TargetBackups,
};

pub async fn overview(State(core): State<Arc<Core>>) -> ApiResult<Json<BackupsView>> {
    Ok(Json(core.backups().await?))
}

pub async fn add_target(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(t): Body<TargetInput>,
) -> ApiResult<Json<BackupsView>> {
    core.add_backup_target(t, caller.actor()).await?;
    Ok(Json(core.backups().await?))
}

pub async fn update_target(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(t): Body<TargetInput>,
) -> ApiResult<Json<BackupsView>> {
    core.update_backup_target(id, t, caller.actor()).await?;
    Ok(Json(core.backups().await?))
}

pub async fn remove_target(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<BackupsView>> {
    core.remove_backup_target(id, caller.actor()).await?;
    Ok(Json(core.backups().await?))
}

pub async fn run_now(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Run>> {
    Ok(Json(core.backup_now(id, caller.actor()).await?))
}

pub async fn target_backups(
    State(core): State<Arc<Core>>,
    Path(id): Path<i64>,
) -> ApiResult<Json<TargetBackups>> {
    Ok(Json(core.target_backups(id).await?))
}

pub async fn verify(
    State(core): State<Arc<Core>>,
    Path((id, name)): Path<(i64, String)>,
) -> ApiResult<Json<Verification>> {
    Ok(Json(core.verify_backup(id, name).await?))
}

pub async fn drill(State(core): State<Arc<Core>>, caller: Caller) -> ApiResult<Json<Drill>> {
    Ok(Json(core.run_drill(caller.actor()).await?))
}

pub async fn restore(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path((id, name)): Path<(i64, String)>,
) -> ApiResult<Json<BackupRestored>> {
    Ok(Json(core.restore_backup(id, name, caller.actor()).await?))
}

/// Turns backup encryption on (the recovery key comes back this once) or off.
pub async fn set_encryption(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<EncryptionChange>,
) -> ApiResult<Json<EncryptionTurnedOn>> {
    Ok(Json(
        core.set_backup_encryption(b.on, caller.actor()).await?,
    ))
}

/// Keeps a recovery key the admin typed in.
pub async fn enter_key(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<RecoveryKey>,
) -> ApiResult<Json<EncryptionState>> {
    Ok(Json(core.enter_backup_key(b.key, caller.actor()).await?))
}
