//! Access, enforced in the router: every route of the endpoint table is wrapped by
//! [`guard`] with the endpoint's [`Access`] rule, which turns the session cookie into
//! a user, refuses who may not call the endpoint (before its body is read), and hands
//! the admitted [`Caller`] to the handler. Handlers never check roles themselves.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Access;
use super::error::ApiError;
use crate::auth::User;
use crate::auth::audit::Actor;
use crate::auth::sessions;
use crate::core::Core;

/// Who called, as the endpoint's access rule admitted them.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// The session token (from the cookie).
    pub token: String,
    /// The client's address.
    pub client: String,
}

impl Caller {
    /// The caller as the audit log names them.
    pub fn actor(&self) -> Actor {
        Actor {
            id: Some(self.user.id),
            name: self.user.username.clone(),
            client: self.client.clone(),
        }
    }
}

/// The client's address, for endpoints anyone may call (login, setup).
#[derive(Debug, Clone)]
pub struct Client(pub String);

/// The session token from the Cookie header.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == sessions::COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

fn client_of(req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The middleware on every route: admits the request under `access` or answers with
/// the refusal.
pub async fn guard(
    State((core, access)): State<(Arc<Core>, Access)>,
    mut req: Request,
    next: Next,
) -> Response {
    let token = cookie_token(req.headers());
    let client = client_of(&req);
    if access == Access::Display {
        let given = req
            .headers()
            .get(crate::auth::display::HEADER)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .map(str::to_string);
        return match display(&core, given, token.is_some(), client).await {
            Ok(d) => {
                req.extensions_mut().insert(d);
                next.run(req).await
            }
            Err(e) => e.into_response(),
        };
    }
    match admit(&core, access, token, client.clone()).await {
        Ok(caller) => {
            req.extensions_mut().insert(Client(client));
            if let Some(c) = caller {
                req.extensions_mut().insert(c);
            }
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

/// The andon display whose read-only token the request carries (`Access::Display`): a
/// session is no display token (403), nothing at all is 401.
async fn display(
    core: &Core,
    token: Option<String>,
    has_session: bool,
    client: String,
) -> Result<crate::auth::display::Display, ApiError> {
    match token {
        Some(t) => Ok(core.display_of(t, client).await?),
        None if has_session => Err(ApiError::forbidden()),
        None => Err(ApiError::unauthorized()),
    }
}

/// Who the request comes from, if `access` admits it.
async fn admit(
    core: &Core,
    access: Access,
    token: Option<String>,
    client: String,
) -> Result<Option<Caller>, ApiError> {
    let needed = match access {
        Access::Public => {
            // A session, if there is one (logout ends it); its absence is no refusal.
            let Some(token) = token else { return Ok(None) };
            return Ok(core
                .session_user(token.clone(), false)
                .await
                .ok()
                .map(|user| Caller {
                    user,
                    token,
                    client,
                }));
        }
        Access::AnySession => None,
        Access::Needs(p) => Some(p),
        Access::Display => return Err(ApiError::forbidden()),
    };
    let token = token.ok_or_else(ApiError::unauthorized)?;
    let user = core.session_user(token.clone(), true).await?;
    if let Some(permission) = needed {
        if user.must_change_password {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "password_change_required",
                "your password was reset; choose a new one first",
            ));
        }
        if !user.role.can(permission) {
            return Err(ApiError::forbidden());
        }
    }
    Ok(Some(Caller {
        user,
        token,
        client,
    }))
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        // Only a route outside the endpoint table (or marked Public by mistake) can get
        // here without a caller: refuse, and the access test fails on it.
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| ApiError::internal("this endpoint has no access rule"))
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, ApiError> {
        Ok(parts.extensions.get::<Caller>().cloned())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(parts
            .extensions
            .get::<Client>()
            .cloned()
            .unwrap_or_else(|| Client("unknown".into())))
    }
}
