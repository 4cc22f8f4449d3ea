//! First-run setup, login, logout, the current user, own password, the role matrix.

use std::sync::Arc;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::error::{ApiError, ApiResult, Body};
use super::session::{AnySession, Authed};
use crate::app::Core;
use crate::auth::users::{self, NewUser};
use crate::auth::{self, LoginError, Permission, Role, User, sessions};

#[derive(Debug, Serialize)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub permissions: Vec<Permission>,
    pub must_change_password: bool,
    pub idle_timeout_s: i64,
}

async fn me_of(core: &Core, user: User) -> ApiResult<Me> {
    let idle_timeout_s = core
        .db
        .run(|c| sessions::idle_timeout_s(c).map_err(ApiError::from))
        .await?;
    Ok(Me {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        permissions: user.role.permissions(),
        role: user.role,
        must_change_password: user.must_change_password,
        idle_timeout_s,
    })
}

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

pub async fn setup_state(State(core): State<Arc<Core>>) -> ApiResult<Json<serde_json::Value>> {
    let n = core
        .db
        .run(|c| users::count(c).map_err(ApiError::from))
        .await?;
    Ok(Json(json!({"setup_required": n == 0})))
}

#[derive(Deserialize)]
pub struct SetupBody {
    username: String,
    display_name: String,
    password: String,
}

pub async fn setup(
    State(core): State<Arc<Core>>,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    Body(body): Body<SetupBody>,
) -> ApiResult<Response> {
    let client = addr.ip().to_string();
    let (user, token) = core
        .db
        .run(move |c| {
            let user = users::create_first_admin(
                c,
                &NewUser {
                    username: body.username.trim(),
                    display_name: &body.display_name,
                    role: Role::Admin,
                    password: &body.password,
                    must_change_password: false,
                },
                &client,
            )?;
            let token = sessions::create(c, user.id, &client)?;
            Ok::<_, ApiError>((user, token))
        })
        .await?;
    let me = me_of(&core, user).await?;
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, session_cookie(&token));
    Ok((StatusCode::CREATED, headers, Json(me)).into_response())
}

#[derive(Deserialize)]
pub struct LoginBody {
    username: String,
    password: String,
}

pub async fn login(
    State(core): State<Arc<Core>>,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    Body(body): Body<LoginBody>,
) -> ApiResult<Response> {
    let client = addr.ip().to_string();
    let result = core
        .db
        .run(move |c| {
            Ok::<_, ApiError>(auth::login(
                c,
                body.username.trim(),
                &body.password,
                &client,
            ))
        })
        .await?;
    let (user, token) = result.map_err(|e| match e {
        LoginError::BadCredentials => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "wrong username or password",
        ),
        LoginError::TooManyAttempts => ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            e.to_string(),
        ),
        LoginError::Sqlite(e) => ApiError::internal(e),
    })?;
    let me = me_of(&core, user).await?;
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, session_cookie(&token));
    Ok((headers, Json(me)).into_response())
}

pub async fn logout(
    State(core): State<Arc<Core>>,
    session: Option<AnySession>,
) -> ApiResult<Response> {
    if let Some(s) = session {
        let actor = s.actor();
        core.db
            .run(move |c| {
                sessions::delete(c, &s.token)?;
                auth::audit::record(
                    c,
                    &auth::audit::AuditEntry::new(&actor, "logout", &actor.name, ""),
                )?;
                Ok::<_, ApiError>(())
            })
            .await?;
    }
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, clear_cookie());
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

pub async fn me(State(core): State<Arc<Core>>, session: AnySession) -> ApiResult<Json<Me>> {
    Ok(Json(me_of(&core, session.user).await?))
}

#[derive(Deserialize)]
pub struct PasswordBody {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    State(core): State<Arc<Core>>,
    session: AnySession,
    Body(body): Body<PasswordBody>,
) -> ApiResult<StatusCode> {
    let actor = session.actor();
    let id = session.user.id;
    let username = session.user.username.clone();
    core.db
        .run(move |c| {
            let ok = users::by_username(c, &username)?
                .is_some_and(|(_, hash)| auth::password::verify(&hash, &body.current_password));
            if !ok {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "bad_credentials",
                    "the current password is wrong",
                ));
            }
            users::set_password(c, id, &body.new_password, false, &actor)?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
pub struct RoleJson {
    role: Role,
    label: &'static str,
    permissions: Vec<Permission>,
}

pub async fn roles(auth: Authed) -> ApiResult<Json<Vec<RoleJson>>> {
    auth.require(Permission::ViewPlant)?;
    Ok(Json(
        Role::ALL
            .into_iter()
            .map(|r| RoleJson {
                role: r,
                label: r.label(),
                permissions: r.permissions(),
            })
            .collect(),
    ))
}
