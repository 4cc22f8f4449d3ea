//! Administration: users, the plant configuration, the audit log.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::access::Caller;
use super::error::{ApiError, ApiResult, Body, Text};
use crate::auth::User;
use crate::auth::audit::AuditEntry;
use crate::auth::users::UserChange;
use crate::config::{Base, ImportOutcome, PlantConfig, VersionInfo};
use crate::core::{self, ConfigSummary, Core, CreateUser};

/// The header that says which configuration version an answer describes; an edit sends
/// it back as `?base=`.
const VERSION_HEADER: &str = "x-config-version";

pub async fn list_users(State(core): State<Arc<Core>>) -> ApiResult<Json<Vec<User>>> {
    Ok(Json(core.users().await?))
}

pub async fn create_user(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(new): Body<CreateUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let user = core.create_user(new, caller.actor()).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

pub async fn update_user(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(change): Body<UserChange>,
) -> ApiResult<Json<User>> {
    Ok(Json(core.update_user(id, change, caller.actor()).await?))
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ResetPassword {
    password: String,
}

pub async fn reset_password(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<ResetPassword>,
) -> ApiResult<StatusCode> {
    core.reset_password(id, b.password, caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An answer about the running configuration, with its version in a header.
fn versioned(core: &Core, body: impl IntoResponse) -> Response {
    let version = core.plant().version.to_string();
    ([(VERSION_HEADER, version)], body).into_response()
}

pub async fn export_config(State(core): State<Arc<Core>>) -> ApiResult<Response> {
    let text = core.config_source().await?;
    Ok(versioned(
        &core,
        ([(CONTENT_TYPE, "text/plain; charset=utf-8")], text),
    ))
}

/// The running configuration as JSON, for editing forms.
pub async fn config_model(State(core): State<Arc<Core>>) -> Response {
    let model: PlantConfig = core.plant().config.clone();
    versioned(&core, Json(model))
}

#[derive(Deserialize)]
pub struct BaseQuery {
    /// The configuration version the edit was made on.
    base: Option<i64>,
}

impl BaseQuery {
    fn base(&self) -> ApiResult<Base> {
        self.base.map(Base::Version).ok_or_else(|| {
            ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "base_required",
                format!(
                    "say which configuration version your edit is based on: ?base=N (the {VERSION_HEADER} header of GET /api/config)"
                ),
            )
        })
    }
}

pub async fn import_config(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Query(q): Query<BaseQuery>,
    Text(body): Text,
) -> ApiResult<Json<ImportOutcome>> {
    let base = q.base()?;
    Ok(Json(core.import_config(body, base, caller.actor()).await?))
}

/// A whole configuration as JSON (as `GET /api/config/model` gives it), checked and
/// imported like a file.
pub async fn import_config_model(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Query(q): Query<BaseQuery>,
    Body(model): Body<serde_json::Value>,
) -> ApiResult<Json<ImportOutcome>> {
    let base = q.base()?;
    Ok(Json(
        core.import_config_model(model, base, caller.actor())
            .await?,
    ))
}

/// Checks a configuration (TOML text) without importing it.
pub async fn check_config(Text(body): Text) -> ApiResult<Json<ConfigSummary>> {
    Ok(Json(core::check_config(&body)?))
}

pub async fn config_versions(State(core): State<Arc<Core>>) -> ApiResult<Json<Vec<VersionInfo>>> {
    Ok(Json(core.config_versions(100).await?))
}

#[derive(Deserialize)]
pub struct AuditQuery {
    limit: Option<u32>,
    before: Option<i64>,
}

pub async fn audit_log(
    State(core): State<Arc<Core>>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    Ok(Json(core.audit_log(limit, q.before).await?))
}
