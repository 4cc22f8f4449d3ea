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

use super::access::{Caller, Client, Local, Tls};
use super::error::{ApiResult, Body};
use crate::auth::sessions;
use crate::core::{self, Core, Me, PlantLanguage, PreferencesChange, PreferencesView, RoleView};

/// The session cookie: over TLS named `__Host-...` and Secure; always HttpOnly and
/// SameSite=Strict, for the whole site.
fn session_cookie(token: &str, tls: bool) -> HeaderValue {
    let value = if tls {
        format!(
            "{}={token}; HttpOnly; SameSite=Strict; Path=/; Secure",
            sessions::TLS_COOKIE
        )
    } else {
        format!(
            "{}={token}; HttpOnly; SameSite=Strict; Path=/",
            sessions::COOKIE
        )
    };
    HeaderValue::from_str(&value).expect("a hex token is a valid header value")
}

fn clear_cookie(tls: bool) -> HeaderValue {
    let value = if tls {
        format!(
            "{}=; HttpOnly; SameSite=Strict; Path=/; Secure; Max-Age=0",
            sessions::TLS_COOKIE
        )
    } else {
        format!(
            "{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0",
            sessions::COOKIE
        )
    };
    HeaderValue::from_str(&value).expect("a constant is a valid header value")
}

/// A new session's answer: the user, and the cookie that carries the token.
fn logged_in(status: StatusCode, s: core::Session, tls: bool) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, session_cookie(&s.token, tls));
    (status, headers, Json(s.me)).into_response()
}

pub async fn setup_state(State(core): State<Arc<Core>>) -> ApiResult<Json<serde_json::Value>> {
    let required = core.setup_required().await?;
    // The plant's language, so the login page speaks it before anyone logs in.
    let language = core.plant_language().await?;
    Ok(Json(
        json!({"setup_required": required, "language": language}),
    ))
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SetupBody {
    username: String,
    display_name: String,
    password: String,
    /// The one-time code Plantlog printed where it was started.
    #[cfg_attr(test, ts(optional))]
    setup_code: Option<String>,
}

pub async fn setup(
    State(core): State<Arc<Core>>,
    Client(client): Client,
    Local(local): Local,
    Tls(tls): Tls,
    Body(b): Body<SetupBody>,
) -> ApiResult<Response> {
    let s = core
        .setup(
            b.username,
            b.display_name,
            b.password,
            b.setup_code,
            local,
            client,
        )
        .await?;
    Ok(logged_in(StatusCode::CREATED, s, tls))
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LoginBody {
    username: String,
    password: String,
    /// The code from the authenticator app (or a recovery code), for accounts with a
    /// second factor.
    #[cfg_attr(test, ts(optional))]
    code: Option<String>,
}

pub async fn login(
    State(core): State<Arc<Core>>,
    Client(client): Client,
    Tls(tls): Tls,
    Body(b): Body<LoginBody>,
) -> ApiResult<Response> {
    let s = core.login(b.username, b.password, b.code, client).await?;
    Ok(logged_in(StatusCode::OK, s, tls))
}

pub async fn logout(
    State(core): State<Arc<Core>>,
    Tls(tls): Tls,
    caller: Option<Caller>,
) -> ApiResult<Response> {
    if let Some(c) = caller {
        core.logout(c.token.clone(), c.actor()).await?;
    }
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, clear_cookie(tls));
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
        caller.token.clone(),
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

pub async fn preferences(
    State(core): State<Arc<Core>>,
    caller: Caller,
) -> ApiResult<Json<PreferencesView>> {
    Ok(Json(core.preferences(&caller.user).await?))
}

pub async fn change_preferences(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<PreferencesChange>,
) -> ApiResult<Json<PreferencesView>> {
    Ok(Json(core.change_preferences(&caller.user, b).await?))
}

pub async fn set_plant_language(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<PlantLanguage>,
) -> ApiResult<Json<PlantLanguage>> {
    Ok(Json(
        core.set_plant_language(b.language, caller.actor()).await?,
    ))
}
