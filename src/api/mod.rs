//! The HTTP API (JSON and server-sent events) and the embedded UI, on one listener.
//! Every endpoint checks its permission here, in the server; the UI hiding a button is
//! a convenience, not a control. docs/API.md describes each endpoint.

mod account;
mod admin;
mod devices;
pub use devices::describe_port;
pub mod error;
mod live;
mod plant;
pub mod session;
mod ui;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue};
use axum::routing::{MethodRouter, get, patch, post, put};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::app::Core;
use crate::auth::Permission;
use error::ApiError;

/// Content security policy of every answer: the UI loads only from this server.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not.
    Public,
    /// Any logged-in user, also one who must change their password first.
    AnySession,
    /// A logged-in user whose role has the permission.
    Needs(Permission),
}

/// One endpoint under /api.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

const fn ep(method: &'static str, path: &'static str, access: Access) -> Endpoint {
    Endpoint {
        method,
        path,
        access,
    }
}

/// Every endpoint, with who may call it. The router is built from this table, so the
/// table cannot miss a route; the tests call each endpoint as each role against it.
pub const ENDPOINTS: &[Endpoint] = &[
    ep("GET", "/health", Access::Public),
    ep("GET", "/setup", Access::Public),
    ep("POST", "/setup", Access::Public),
    ep("POST", "/login", Access::Public),
    ep("POST", "/logout", Access::Public),
    ep("GET", "/me", Access::AnySession),
    ep("POST", "/me/password", Access::AnySession),
    ep("GET", "/roles", Access::Needs(Permission::ViewPlant)),
    ep("GET", "/overview", Access::Needs(Permission::ViewPlant)),
    ep(
        "GET",
        "/machines/{key}",
        Access::Needs(Permission::ViewPlant),
    ),
    ep(
        "GET",
        "/tags/{id}/history",
        Access::Needs(Permission::ViewPlant),
    ),
    ep("GET", "/live", Access::Needs(Permission::ViewPlant)),
    ep("GET", "/devices", Access::Needs(Permission::ViewDevices)),
    ep(
        "GET",
        "/devices/{key}",
        Access::Needs(Permission::ViewDevices),
    ),
    ep("GET", "/buses", Access::Needs(Permission::ViewDevices)),
    ep(
        "POST",
        "/commissioning/read",
        Access::Needs(Permission::Commission),
    ),
    ep(
        "POST",
        "/commissioning/scan",
        Access::Needs(Permission::Commission),
    ),
    ep(
        "GET",
        "/serial-ports",
        Access::Needs(Permission::Commission),
    ),
    ep("GET", "/templates", Access::Needs(Permission::ViewConfig)),
    ep(
        "GET",
        "/templates/{key}",
        Access::Needs(Permission::ViewConfig),
    ),
    ep("GET", "/users", Access::Needs(Permission::ManageUsers)),
    ep("POST", "/users", Access::Needs(Permission::ManageUsers)),
    ep(
        "PATCH",
        "/users/{id}",
        Access::Needs(Permission::ManageUsers),
    ),
    ep(
        "POST",
        "/users/{id}/password",
        Access::Needs(Permission::ManageUsers),
    ),
    ep("GET", "/config", Access::Needs(Permission::ViewConfig)),
    ep("PUT", "/config", Access::Needs(Permission::EditConfig)),
    ep(
        "GET",
        "/config/model",
        Access::Needs(Permission::ViewConfig),
    ),
    ep(
        "PUT",
        "/config/model",
        Access::Needs(Permission::EditConfig),
    ),
    ep("GET", "/audit", Access::Needs(Permission::ViewAudit)),
];

/// The handler of one endpoint of [`ENDPOINTS`].
fn handler(e: &Endpoint) -> MethodRouter<Arc<Core>> {
    match (e.method, e.path) {
        ("GET", "/health") => get(health),
        ("GET", "/setup") => get(account::setup_state),
        ("POST", "/setup") => post(account::setup),
        ("POST", "/login") => post(account::login),
        ("POST", "/logout") => post(account::logout),
        ("GET", "/me") => get(account::me),
        ("POST", "/me/password") => post(account::change_password),
        ("GET", "/roles") => get(account::roles),
        ("GET", "/overview") => get(plant::overview),
        ("GET", "/machines/{key}") => get(plant::machine),
        ("GET", "/tags/{id}/history") => get(plant::history),
        ("GET", "/live") => get(live::live),
        ("GET", "/devices") => get(devices::devices),
        ("GET", "/devices/{key}") => get(devices::device),
        ("GET", "/buses") => get(devices::buses),
        ("POST", "/commissioning/read") => post(devices::test_read),
        ("POST", "/commissioning/scan") => post(devices::scan),
        ("GET", "/serial-ports") => get(devices::serial_ports),
        ("GET", "/templates") => get(devices::list_templates),
        ("GET", "/templates/{key}") => get(devices::template),
        ("GET", "/users") => get(admin::list_users),
        ("POST", "/users") => post(admin::create_user),
        ("PATCH", "/users/{id}") => patch(admin::update_user),
        ("POST", "/users/{id}/password") => post(admin::reset_password),
        ("GET", "/config") => get(admin::export_config),
        ("PUT", "/config") => put(admin::import_config),
        ("POST", "/config/check") => post(admin::check_config),
        ("GET", "/config/model") => get(admin::config_model),
        ("PUT", "/config/model") => put(admin::import_config_model),
        ("GET", "/audit") => get(admin::audit_log),
        (m, p) => unreachable!("ENDPOINTS lists {m} {p} without a handler"),
    }
}

pub fn router(core: Arc<Core>) -> Router {
    let mut api = Router::new();
    for e in ENDPOINTS {
        api = api.route(e.path, handler(e));
    }
    let api = api.fallback(|| async { ApiError::not_found("API endpoint") });
    Router::new()
        .nest("/api", api)
        .fallback(ui::serve)
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(core)
}

async fn health() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

/// Serves until `cancel` fires.
pub async fn serve(listener: TcpListener, core: Arc<Core>, cancel: CancellationToken) {
    let app = router(core).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(async move { cancel.cancelled().await })
        .await;
    if let Err(e) = result {
        tracing::error!("the HTTP server stopped: {e}");
    }
}
