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
use super::server::Transport;
use crate::auth::User;
use crate::auth::audit::Actor;
use crate::auth::sessions;
use crate::core::{Core, Scope};

/// Who called, as the endpoint's access rule admitted them.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// The session token (from the cookie).
    pub token: String,
    /// The client's address.
    pub client: String,
    /// What they may see of the plant (a vendor: their machines).
    pub scope: Scope,
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

/// Whether the client is this PC (loopback), as the listener judges it.
#[derive(Debug, Clone, Copy)]
pub struct Local(pub bool);

/// Whether the request came over TLS (the session cookie's name and flags follow).
#[derive(Debug, Clone, Copy)]
pub struct Tls(pub bool);

/// The session token from the Cookie header: over TLS only the `__Host-` cookie, over
/// plain HTTP only the plain one.
fn cookie_token(headers: &HeaderMap, tls: bool) -> Option<String> {
    let name = if tls {
        sessions::TLS_COOKIE
    } else {
        sessions::COOKIE
    };
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128)
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
    let transport = req.extensions().get::<Transport>().copied();
    let tls = transport.is_some_and(|t| t.tls);
    let token = cookie_token(req.headers(), tls);
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
    // Every request of a vendor session is recorded, the refused ones too.
    let path = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| req.uri().path().to_string(), |u| u.path().to_string());
    let what = format!("{} {path}", req.method());
    match admit(&core, access, token, client.clone(), what).await {
        Ok(caller) => {
            req.extensions_mut().insert(Client(client));
            req.extensions_mut()
                .insert(Local(transport.is_some_and(|t| t.local)));
            req.extensions_mut().insert(Tls(tls));
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

/// Who the request comes from, if `access` admits it. A vendor session's request
/// (`what`) is audited before its permission is checked.
async fn admit(
    core: &Core,
    access: Access,
    token: Option<String>,
    client: String,
    what: String,
) -> Result<Option<Caller>, ApiError> {
    let needed = match access {
        // A session, if there is one (logout ends it); its absence is no refusal.
        Access::Public => None,
        Access::AnySession => None,
        Access::Needs(p) => Some(p),
        Access::Display => return Err(ApiError::forbidden()),
    };
    let admitted = match (access, token) {
        (Access::Public, None) => return Ok(None),
        (Access::Public, Some(token)) => match core.admit(token.clone(), false).await {
            Ok(a) => (a, token),
            Err(_) => return Ok(None),
        },
        (_, None) => return Err(ApiError::unauthorized()),
        (_, Some(token)) => (core.admit(token.clone(), true).await?, token),
    };
    let (admitted, token) = admitted;
    let caller = Caller {
        user: admitted.user.clone(),
        token,
        client,
        scope: admitted.scope.clone(),
    };
    if admitted.vendor.is_some() {
        core.audit_vendor_request(caller.actor(), what).await?;
    }
    if let Some(permission) = needed {
        if admitted.user.must_change_password {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "password_change_required",
                "your password was reset; choose a new one first",
            ));
        }
        if admitted.mfa_enrolment_required {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "mfa_enrolment_required",
                "your role requires a second factor; set up your authenticator app first",
            ));
        }
        if !admitted.can(permission) {
            return Err(ApiError::forbidden());
        }
    }
    Ok(Some(caller))
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

impl<S: Send + Sync> FromRequestParts<S> for Local {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(parts
            .extensions
            .get::<Local>()
            .copied()
            .unwrap_or(Local(false)))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Tls {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(parts.extensions.get::<Tls>().copied().unwrap_or(Tls(false)))
    }
}
