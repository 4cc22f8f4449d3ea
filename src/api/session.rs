//! Who is asking: the session cookie turned into a user, on every request. Handlers
//! take [`Authed`] (any logged-in user whose password is in order) or [`AnySession`]
//! (also users who must change their password first) and check a permission.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::StatusCode;
use axum::http::header::COOKIE;
use axum::http::request::Parts;

use super::error::ApiError;
use crate::app::Core;
use crate::auth::audit::Actor;
use crate::auth::sessions::{self, Invalid};
use crate::auth::{Permission, User};

/// A logged-in user.
#[derive(Debug, Clone)]
pub struct AnySession {
    pub user: User,
    pub token: String,
    pub client: String,
}

impl AnySession {
    pub fn actor(&self) -> Actor {
        Actor {
            id: Some(self.user.id),
            name: self.user.username.clone(),
            client: self.client.clone(),
        }
    }
}

/// A logged-in user who may use the application (no password change pending).
#[derive(Debug, Clone)]
pub struct Authed(pub AnySession);

impl Authed {
    pub fn require(&self, permission: Permission) -> Result<&AnySession, ApiError> {
        if self.0.user.role.can(permission) {
            Ok(&self.0)
        } else {
            Err(ApiError::forbidden())
        }
    }
}

/// The session token from the Cookie header.
pub fn cookie_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == sessions::COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

pub fn client_of(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Looks the session up; `touch` counts the request as activity.
pub async fn resolve(core: &Core, token: String, touch: bool) -> Result<User, ApiError> {
    let found = core
        .db
        .run(move |c| sessions::lookup(c, &token, touch).map_err(ApiError::from))
        .await?;
    match found {
        Ok(user) => Ok(user),
        Err(Invalid::Expired) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "session_expired",
            "you were logged out after a time without activity; log in again",
        )),
        Err(Invalid::Unknown) => Err(ApiError::unauthorized()),
    }
}

impl FromRequestParts<Arc<Core>> for AnySession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, core: &Arc<Core>) -> Result<Self, ApiError> {
        let token = cookie_token(parts).ok_or_else(ApiError::unauthorized)?;
        let user = resolve(core, token.clone(), true).await?;
        Ok(AnySession {
            user,
            token,
            client: client_of(parts),
        })
    }
}

impl FromRequestParts<Arc<Core>> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, core: &Arc<Core>) -> Result<Self, ApiError> {
        let session = AnySession::from_request_parts(parts, core).await?;
        if session.user.must_change_password {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "password_change_required",
                "your password was reset; choose a new one first",
            ));
        }
        Ok(Authed(session))
    }
}

impl axum::extract::OptionalFromRequestParts<Arc<Core>> for AnySession {
    type Rejection = ApiError;

    /// No session, or one that ended, is `None`; only a failing database is an error.
    async fn from_request_parts(
        parts: &mut Parts,
        core: &Arc<Core>,
    ) -> Result<Option<Self>, ApiError> {
        match <AnySession as FromRequestParts<Arc<Core>>>::from_request_parts(parts, core).await {
            Ok(s) => Ok(Some(s)),
            Err(e) if e.status == StatusCode::UNAUTHORIZED => Ok(None),
            Err(e) => Err(e),
        }
    }
}
