//! Administration: users, the plant configuration, the audit log.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::error::{ApiError, ApiResult, Body};
use super::session::Authed;
use crate::app::Core;
use crate::auth::audit::{self, AuditEntry};
use crate::auth::users::{self, NewUser, User, UserChange};
use crate::auth::{Permission, Role};
use crate::config::{self, ConfigError, PlantConfig};

pub async fn list_users(State(core): State<Arc<Core>>, auth: Authed) -> ApiResult<Json<Vec<User>>> {
    auth.require(Permission::ManageUsers)?;
    let list = core
        .db
        .run(|c| users::list(c).map_err(ApiError::from))
        .await?;
    Ok(Json(list))
}

#[derive(Deserialize)]
pub struct CreateUser {
    username: String,
    display_name: String,
    role: Role,
    password: String,
}

pub async fn create_user(
    State(core): State<Arc<Core>>,
    auth: Authed,
    Body(body): Body<CreateUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let actor = auth.require(Permission::ManageUsers)?.actor();
    let user = core
        .db
        .run(move |c| {
            users::create(
                c,
                &NewUser {
                    username: body.username.trim(),
                    display_name: &body.display_name,
                    role: body.role,
                    password: &body.password,
                    must_change_password: true,
                },
                &actor,
            )
            .map_err(ApiError::from)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

pub async fn update_user(
    State(core): State<Arc<Core>>,
    auth: Authed,
    Path(id): Path<i64>,
    Body(change): Body<UserChange>,
) -> ApiResult<Json<User>> {
    let actor = auth.require(Permission::ManageUsers)?.actor();
    let user = core
        .db
        .run(move |c| users::update(c, id, &change, &actor).map_err(ApiError::from))
        .await?;
    Ok(Json(user))
}

#[derive(Deserialize)]
pub struct ResetPassword {
    password: String,
}

pub async fn reset_password(
    State(core): State<Arc<Core>>,
    auth: Authed,
    Path(id): Path<i64>,
    Body(body): Body<ResetPassword>,
) -> ApiResult<StatusCode> {
    let actor = auth.require(Permission::ManageUsers)?.actor();
    core.db
        .run(move |c| {
            users::set_password(c, id, &body.password, true, &actor).map_err(ApiError::from)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn export_config(State(core): State<Arc<Core>>, auth: Authed) -> ApiResult<Response> {
    auth.require(Permission::ViewConfig)?;
    let text = config::export(&core.plant().config);
    Ok(([(CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

pub async fn import_config(
    State(core): State<Arc<Core>>,
    auth: Authed,
    body: String,
) -> ApiResult<Json<serde_json::Value>> {
    let actor = auth.require(Permission::EditConfig)?.actor();
    import_text(core, actor, body).await
}

/// Checks a configuration (TOML text) without importing it: every mistake with its
/// place, or a summary of what it holds.
pub async fn check_config(auth: Authed, body: String) -> ApiResult<Json<serde_json::Value>> {
    auth.require(Permission::ViewConfig)?;
    let cfg = config::parse(&body).map_err(invalid)?;
    Ok(Json(json!({
        "machines": cfg.machines.len(),
        "buses": cfg.buses.len(),
        "devices": cfg.devices.len(),
        "tags": cfg.devices.iter().map(|d| d.tags.len()).sum::<usize>(),
    })))
}

fn invalid(e: ConfigError) -> ApiError {
    let ConfigError::Invalid(problems) = &e;
    let mut err = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_config",
        e.to_string(),
    );
    err.extra = Some(json!({ "errors": problems }));
    err
}

/// The running configuration as JSON, for editing forms.
pub async fn config_model(
    State(core): State<Arc<Core>>,
    auth: Authed,
) -> ApiResult<Json<PlantConfig>> {
    auth.require(Permission::ViewConfig)?;
    Ok(Json(core.plant().config.clone()))
}

/// A whole configuration as JSON (as `GET /api/config/model` gives it), checked and
/// imported like a file: the JSON becomes the same TOML text a file would hold, so
/// every mistake comes back with its place, and keys left out take their defaults (or a
/// template's) as in a file.
pub async fn import_config_model(
    State(core): State<Arc<Core>>,
    auth: Authed,
    Body(model): Body<serde_json::Value>,
) -> ApiResult<Json<serde_json::Value>> {
    let actor = auth.require(Permission::EditConfig)?.actor();
    let text = json_to_toml(model).map_err(|m| ApiError::bad_request("bad_request", m))?;
    import_text(core, actor, text).await
}

/// TOML text of a JSON configuration; nulls mean "not given".
fn json_to_toml(mut v: serde_json::Value) -> Result<String, String> {
    fn strip_nulls(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.retain(|_, x| !x.is_null());
                m.values_mut().for_each(strip_nulls);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip_nulls),
            _ => {}
        }
    }
    strip_nulls(&mut v);
    if !v.is_object() {
        return Err(
            "the configuration must be a JSON object with site, machines, devices...".into(),
        );
    }
    let table = toml::Value::try_from(v)
        .map_err(|e| format!("the configuration cannot be written as TOML: {e}"))?;
    toml::to_string(&table).map_err(|e| format!("the configuration cannot be written as TOML: {e}"))
}

async fn import_text(
    core: Arc<Core>,
    actor: crate::auth::audit::Actor,
    body: String,
) -> ApiResult<Json<serde_json::Value>> {
    let parsed = config::parse(&body).map_err(|e| {
        let ConfigError::Invalid(problems) = &e;
        let mut err = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_config",
            e.to_string(),
        );
        err.extra = Some(json!({ "errors": problems }));
        err
    })?;
    let outcome = core
        .db
        .run(move |c| config::import(c, &parsed, &body, &actor).map_err(ApiError::from))
        .await?;
    if outcome.changed {
        core.reload().await?;
    }
    Ok(Json(
        json!({"version": outcome.version, "changed": outcome.changed}),
    ))
}

#[derive(Deserialize)]
pub struct AuditQuery {
    limit: Option<u32>,
    before: Option<i64>,
}

pub async fn audit_log(
    State(core): State<Arc<Core>>,
    auth: Authed,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    auth.require(Permission::ViewAudit)?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let entries = core
        .db
        .run(move |c| audit::list(c, limit, q.before).map_err(ApiError::from))
        .await?;
    Ok(Json(entries))
}
