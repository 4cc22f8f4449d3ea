//! First-run setup, login, logout, the current user, one's own password, the role
//! matrix.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::access::{Caller, Client};
use super::error::{ApiResult, Body};
use crate::auth::sessions;
use crate::core::{self, Core, Me, RoleView};

fn session_cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{}={token}; HttpOnly; SameSite=Strict; Path=/",
        sessions::COOKIE
    ))
    .expect("a hex token is a valid header value")
}

fn clear_cookie() -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0",
        sessions::COOKIE
    ))
    .expect("a constant is a valid header value")
}

/// A new session's answer: the user, and the cookie that carries the token.
fn logged_in(status: StatusCode, s: core::Session) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, session_cookie(&s.token));
    (status, headers, Json(s.me)).into_response()
}

pub async fn setup_state(State(core): State<Arc<Core>>) -> ApiResult<Json<serde_json::Value>> {
    let required = core.setup_required().await?;
    Ok(Json(json!({"setup_required": required})))
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SetupBody {
    username: String,
    display_name: String,
    password: String,
}

pub async fn setup(
    State(core): State<Arc<Core>>,
    Client(client): Client,
    Body(b): Body<SetupBody>,
) -> ApiResult<Response> {
    let s = core
        .setup(b.username, b.display_name, b.password, client)
        .await?;
    Ok(logged_in(StatusCode::CREATED, s))
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LoginBody {
    username: String,
    password: String,
}

pub async fn login(
    State(core): State<Arc<Core>>,
    Client(client): Client,
    Body(b): Body<LoginBody>,
) -> ApiResult<Response> {
    let s = core.login(b.username, b.password, client).await?;
    Ok(logged_in(StatusCode::OK, s))
}

pub async fn logout(State(core): State<Arc<Core>>, caller: Option<Caller>) -> ApiResult<Response> {
    if let Some(c) = caller {
        core.logout(c.token.clone(), c.actor()).await?;
    }
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, clear_cookie());
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

pub async fn me(State(core): State<Arc<Core>>, caller: Caller) -> ApiResult<Json<Me>> {
    Ok(Json(core.me_of(caller.user).await?))
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PasswordBody {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<PasswordBody>,
) -> ApiResult<StatusCode> {
    core.change_own_password(
        &caller.user,
        b.current_password,
        b.new_password,
        caller.actor(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn roles() -> Json<Vec<RoleView>> {
    Json(core::roles())
}
