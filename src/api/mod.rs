//! The HTTP API (JSON and server-sent events) and the embedded UI, on one listener.
//! Every endpoint's access rule is in [`ENDPOINTS`] and enforced by the router, in the
//! server, before the handler runs; the UI hiding a button is a convenience, not a
//! control. Handlers parse, call one method of the [`Core`], and serialize. Before any
//! of it, the Host and Origin are checked (`origin`); every endpoint has a body limit and
//! a time limit; the server (`server`) limits connections and slow clients and speaks
//! TLS to the LAN. docs/API.md describes each endpoint.

mod access;
mod account;
mod admin;
mod alarms;
mod backup;
mod bodies;
mod contract;
mod devices;
pub mod error;
mod export;
mod live;
mod mail;
mod origin;
mod passport;
mod plant;
mod production;
mod quality;
mod reports;
mod review;
mod security;
pub mod server;
mod storage;
mod support;
mod sync;
mod takeout;
mod ui;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::routing::{MethodRouter, delete, get, patch, post, put};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

use crate::auth::Permission;
use crate::core::Core;
pub use bodies::request_bodies;
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
    /// An andon display's read-only token (header `x-display-token`), no session.
    Display,
}

/// One endpoint under /api: its route, who may call it, and its handler.
#[derive(Clone, Copy)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    handler: fn() -> MethodRouter<Arc<Core>>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} /api{} ({:?})", self.method, self.path, self.access)
    }
}

macro_rules! endpoints {
    ($($method:ident $path:literal $access:expr => $handler:path;)*) => {
        /// Every endpoint, with who may call it and what handles it. The router is
        /// built from this table alone and wraps each route with its access rule, so no
        /// route can be missing from it or lack a rule (an entry without one does not
        /// compile); the tests call each endpoint as each role against it.
        pub const ENDPOINTS: &[Endpoint] = &[$(
            Endpoint {
                method: endpoints!(@name $method),
                path: $path,
                access: $access,
                handler: || $method($handler),
            },
        )*];
    };
    (@name get) => { "GET" };
    (@name post) => { "POST" };
    (@name put) => { "PUT" };
    (@name patch) => { "PATCH" };
    (@name delete) => { "DELETE" };
}

use Access::{AnySession, Needs, Public};
use Permission::{
    Commission, EditConfig, EnterScrap, ExplainStops, ManageDisplays, ManageProduction,
    ManageUsers, RunReports, Support, ViewAudit, ViewConfig, ViewDevices, ViewPlant,
    ViewProduction, WriteRemovable,
};

endpoints! {
    get "/health" Public => health;
    get "/setup" Public => account::setup_state;
    post "/setup" Public => account::setup;
    post "/login" Public => account::login;
    post "/logout" Public => account::logout;
    get "/me" AnySession => account::me;
    post "/me/password" AnySession => account::change_password;
    // Language and theme (issue 18): one's own, and the plant's default.
    get "/me/preferences" AnySession => account::preferences;
    patch "/me/preferences" AnySession => account::change_preferences;
    put "/settings/language" Needs(EditConfig) => account::set_plant_language;
    get "/roles" Needs(ViewPlant) => account::roles;
    get "/overview" Needs(ViewPlant) => plant::overview;
    get "/machines/{key}" Needs(ViewPlant) => plant::machine;
    get "/tags/{id}/history" Needs(ViewPlant) => plant::history;
    get "/tags/{id}/states" Needs(ViewPlant) => plant::state_times;
    get "/live" Needs(ViewPlant) => live::live;
    get "/export/samples.csv" Needs(ViewPlant) => export::samples_csv;
    get "/devices" Needs(ViewDevices) => devices::devices;
    get "/devices/{key}" Needs(ViewDevices) => devices::device;
    get "/buses" Needs(ViewDevices) => devices::buses;
    post "/commissioning/read" Needs(Commission) => devices::test_read;
    post "/commissioning/scan" Needs(Commission) => devices::scan;
    get "/serial-ports" Needs(Commission) => devices::serial_ports;
    get "/templates" Needs(ViewConfig) => devices::list_templates;
    get "/templates/{key}" Needs(ViewConfig) => devices::template;
    get "/users" Needs(ManageUsers) => admin::list_users;
    post "/users" Needs(ManageUsers) => admin::create_user;
    patch "/users/{id}" Needs(ManageUsers) => admin::update_user;
    post "/users/{id}/password" Needs(ManageUsers) => admin::reset_password;
    get "/config" Needs(ViewConfig) => admin::export_config;
    put "/config" Needs(EditConfig) => admin::import_config;
    post "/config/check" Needs(ViewConfig) => admin::check_config;
    get "/config/model" Needs(ViewConfig) => admin::config_model;
    get "/config/versions" Needs(ViewConfig) => admin::config_versions;
    put "/config/model" Needs(EditConfig) => admin::import_config_model;
    get "/audit" Needs(ViewAudit) => admin::audit_log;
    get "/storage" Needs(ViewConfig) => storage::get_storage;
    put "/storage" Needs(EditConfig) => storage::put_storage;
    get "/production/report" Needs(ViewProduction) => production::report;
    get "/production/shift" Needs(ViewProduction) => production::shift;
    get "/production/machines/{key}" Needs(ViewProduction) => production::machine_now;
    get "/production/machines/{key}/stops" Needs(ViewProduction) => production::machine_stops;
    put "/production/stop-reasons" Needs(ExplainStops) => production::set_stop_reason;
    get "/production/reasons" Needs(ViewProduction) => production::reasons;
    post "/production/reasons" Needs(ManageProduction) => production::add_reason;
    patch "/production/reasons/{id}" Needs(ManageProduction) => production::update_reason;
    get "/production/setup" Needs(ManageProduction) => production::setup;
    post "/production/planned-stops" Needs(ManageProduction) => production::add_planned_stop;
    post "/production/planned-stops/{id}/cancel" Needs(ManageProduction) => production::cancel_planned_stop;
    get "/production/scrap" Needs(ViewProduction) => production::scrap;
    post "/production/scrap" Needs(EnterScrap) => production::add_scrap;
    post "/production/ideal-cycles" Needs(ManageProduction) => production::set_ideal_cycle;
    put "/production/operators/{id}" Needs(ManageProduction) => production::assign;
    get "/displays" Needs(ManageDisplays) => production::displays;
    post "/displays" Needs(ManageDisplays) => production::create_display;
    post "/displays/{id}/revoke" Needs(ManageDisplays) => production::revoke_display;
    get "/support" Needs(Support) => support::view;
    post "/support/bundle" Needs(Support) => support::bundle;
    put "/support/desktop" Needs(EditConfig) => support::set_desktop;
    get "/desktop" Public => support::desktop_tray;
    get "/display/board" Access::Display => production::board;
    post "/me/mfa/start" AnySession => security::mfa_start;
    post "/me/mfa/confirm" AnySession => security::mfa_confirm;
    post "/me/mfa/remove" AnySession => security::mfa_remove;
    post "/users/{id}/mfa/reset" Needs(ManageUsers) => security::mfa_reset;
    get "/sessions" Needs(ManageUsers) => security::sessions;
    delete "/sessions/{id}" Needs(ManageUsers) => security::end_session;
    get "/security" Needs(ManageUsers) => security::settings;
    put "/security" Needs(ManageUsers) => security::change_settings;
    post "/security/certificate" Needs(ManageUsers) => security::upload_certificate;
    get "/vendors" Needs(ManageUsers) => security::vendors;
    post "/vendors" Needs(ManageUsers) => security::create_vendor;
    patch "/vendors/{id}" Needs(ManageUsers) => security::update_vendor;
    get "/access-review" Needs(ManageUsers) => security::access_review;
    get "/access-review.csv" Needs(ManageUsers) => security::access_review_csv;
    get "/audit/verify" Needs(ViewAudit) => security::verify_audit;
    get "/backups" Needs(ManageUsers) => backup::overview;
    get "/backups/targets/{id}/backups" Needs(ManageUsers) => backup::target_backups;
    post "/backups/targets" Needs(ManageUsers) => backup::add_target;
    put "/backups/targets/{id}" Needs(ManageUsers) => backup::update_target;
    post "/backups/targets/{id}/run" Needs(ManageUsers) => backup::run_now;
    post "/backups/drill" Needs(ManageUsers) => backup::drill;
    post "/backups/targets/{id}/backups/{name}/verify" Needs(ManageUsers) => backup::verify;
    delete "/backups/targets/{id}" Needs(ManageUsers) => backup::remove_target;
    // Counter review (issue 9)
    get "/machines/{key}/counter-events" Needs(ViewProduction) => review::events;
    post "/machines/{key}/counter-events/review" Needs(ManageProduction) => review::review;
    // Setup path (issue 9)
    get "/devices/{key}/findings" Needs(ViewDevices) => devices::findings;
    // Reports and export (issue 11)
    get "/reports/file" Needs(RunReports) => reports::file;
    get "/removable/drives" Needs(WriteRemovable) => reports::drives;
    // Alarms (issue 13)
    get "/alarms" Needs(ViewPlant) => alarms::list;
    post "/alarms/{id}/ack" Needs(Permission::AckAlarms) => alarms::acknowledge;
    post "/alarms/{id}/shelve" Needs(Permission::ShelveAlarms) => alarms::shelve;
    get "/alarms/journal" Needs(ViewPlant) => alarms::journal;
    get "/alarms/journal.csv" Needs(ViewPlant) => alarms::journal_csv;
    get "/alarms/report" Needs(Permission::ManageAlarms) => alarms::report;
    // Sync (issue 14)
    get "/sync" Needs(ViewConfig) => sync::status;
    put "/sync/bandwidth" Needs(EditConfig) => sync::set_bandwidth;
    // Report schedules and export jobs (issue 11)
    get "/report-schedules" Needs(EditConfig) => reports::schedules;
    post "/report-schedules" Needs(EditConfig) => reports::add_schedule;
    put "/report-schedules/{id}" Needs(EditConfig) => reports::update_schedule;
    delete "/report-schedules/{id}" Needs(EditConfig) => reports::remove_schedule;
    post "/exports" Needs(WriteRemovable) => reports::start_export;
    get "/exports" Needs(WriteRemovable) => reports::exports;
    post "/exports/{id}/cancel" Needs(WriteRemovable) => reports::cancel_export;
    get "/reports/tags" Needs(Permission::RunDataReports) => reports::tags_file;
    // Alarm e-mail and escalation (issue 13)
    get "/mail" Needs(Permission::ManageAlarms) => mail::view;
    put "/mail/settings" Needs(Permission::ManageAlarms) => mail::settings;
    put "/mail/recipients/{id}" Needs(Permission::ManageAlarms) => mail::email;
    post "/mail/test" Needs(Permission::ManageAlarms) => mail::test;
    post "/mail/retry" Needs(Permission::ManageAlarms) => mail::retry;
    // Backup restore and incrementals (issue 12)
    post "/backups/targets/{id}/backups/{name}/restore" Needs(ManageUsers) => backup::restore;
    put "/backups/encryption" Needs(ManageUsers) => backup::set_encryption;
    post "/backups/encryption/key" Needs(ManageUsers) => backup::enter_key;
    // Energy report (issue 11)
    get "/reports/energy" Needs(Permission::RunDataReports) => reports::energy_file;
    // Data passport (issue 17)
    get "/passport" Needs(Permission::ViewPassport) => passport::view;
    get "/passport.md" Needs(Permission::ViewPassport) => passport::markdown;
    get "/passport.pdf" Needs(Permission::ViewPassport) => passport::pdf;
    // Quality checks and material traceability (issue 15)
    get "/quality/products" Needs(Permission::ViewQuality) => quality::products;
    get "/quality/master.toml" Needs(Permission::ViewQuality) => quality::export_master;
    get "/quality/master.csv" Needs(Permission::ViewQuality) => quality::export_master_csv;
    put "/quality/master" Needs(Permission::EditPlans) => quality::import_master;
    get "/quality/materials" Needs(Permission::ViewQuality) => quality::materials;
    get "/quality/due" Needs(Permission::ViewQuality) => quality::due;
    get "/quality/lots" Needs(Permission::ViewQuality) => quality::lots;
    post "/quality/lots" Needs(Permission::RunLots) => quality::start_lot;
    get "/quality/lots/{code}" Needs(Permission::ViewQuality) => quality::story;
    get "/quality/lots/{code}/story.pdf" Needs(Permission::ViewQuality) => quality::story_pdf;
    get "/quality/lots/{code}/story.zip" Needs(Permission::ViewQuality) => quality::story_zip;
    post "/quality/lots/{code}/end" Needs(Permission::RunLots) => quality::end_lot;
    post "/quality/lots/{code}/scrap" Needs(Permission::EnterChecks) => quality::add_lot_scrap;
    post "/quality/checks" Needs(Permission::EnterChecks) => quality::add_check;
    post "/quality/checks/gauge" Needs(Permission::EnterChecks) => quality::gauge_check;
    post "/quality/checks/{id}/disposition" Needs(Permission::DispositionChecks) => quality::dispose;
    get "/quality/spc/{id}" Needs(Permission::ViewQuality) => quality::spc;
    get "/quality/spc/{id}/report" Needs(Permission::ViewQuality) => quality::spc_report;
    get "/quality/trace/{code}" Needs(Permission::ViewQuality) => quality::reverse;
    get "/quality/stock" Needs(Permission::ViewQuality) => quality::stock;
    get "/quality/material-lots/{code}" Needs(Permission::ViewQuality) => quality::material_lot;
    post "/quality/receipts" Needs(Permission::MoveMaterials) => quality::receive;
    post "/quality/moves" Needs(Permission::MoveMaterials) => quality::move_material;
    put "/quality/negative-stock" Needs(EditConfig) => quality::set_negative_stock;
    get "/quality/lot-sources" Needs(Permission::ViewQuality) => quality::lot_sources;
    get "/quality/scan" Needs(Permission::ViewQuality) => quality::scan;
    put "/quality/lot-sources" Needs(Permission::EditPlans) => quality::set_lot_sources;
    // Full export (issue 17)
    get "/takeout" Needs(ManageUsers) => takeout::view;
    post "/takeout" Needs(ManageUsers) => takeout::start;
    post "/takeout/cancel" Needs(ManageUsers) => takeout::cancel;
    // Deletion on request (issue 17)
    post "/forget/user/plan" Needs(ManageUsers) => takeout::plan_user;
    post "/forget/user" Needs(ManageUsers) => takeout::forget_user;
    post "/forget/tag/plan" Needs(ManageUsers) => takeout::plan_tag;
    post "/forget/tag" Needs(ManageUsers) => takeout::forget_tag;
    post "/forget/machine/plan" Needs(ManageUsers) => takeout::plan_machine;
    post "/forget/machine" Needs(ManageUsers) => takeout::forget_machine;
    post "/forget/before/plan" Needs(ManageUsers) => takeout::plan_before;
    post "/forget/before" Needs(ManageUsers) => takeout::forget_before;
}

/// The largest body an endpoint takes: a configuration file may be large, everything
/// else is a small form. Past it: 413 `too_large`.
pub fn body_limit(e: &Endpoint) -> usize {
    match (e.method, e.path) {
        ("PUT", "/config")
        | ("POST", "/config/check")
        | ("PUT", "/config/model")
        | ("PUT", "/quality/master") => 8 * 1024 * 1024,
        _ => 64 * 1024,
    }
}

/// Time a handler has to answer (a streamed answer's body may take longer), and a
/// request body to arrive.
const HANDLER_TIMEOUT: Duration = Duration::from_secs(60);
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// The API and the UI. Each route of [`ENDPOINTS`] is wrapped with its access rule;
/// nothing else is routed under /api.
pub fn router(core: Arc<Core>) -> Router {
    let mut api = Router::new();
    for e in ENDPOINTS {
        let guard = axum::middleware::from_fn_with_state((core.clone(), e.access), access::guard);
        let route = (e.handler)().route_layer(guard);
        api = api.route(e.path, route.layer(DefaultBodyLimit::max(body_limit(e))));
    }
    let api = api
        .fallback(|| async { ApiError::not_found("API endpoint") })
        .layer(axum::middleware::from_fn(error::json_errors))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            HANDLER_TIMEOUT,
        ))
        .layer(RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cache-control"),
            HeaderValue::from_static("no-store"),
        ));
    Router::new()
        .nest("/api", api)
        .fallback(ui::serve)
        .layer(axum::middleware::from_fn_with_state(
            core.clone(),
            origin::check,
        ))
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

/// Serves until `cancel` fires: this PC only when `listener` is on loopback, else the
/// plant LAN (HTTPS, with the certificate the core holds).
pub async fn serve(listener: TcpListener, core: Arc<Core>, cancel: CancellationToken) {
    let lan = listener.local_addr().is_ok_and(|a| !a.ip().is_loopback());
    let exposure = if lan {
        server::Exposure::Lan {
            trust_loopback: true,
        }
    } else {
        server::Exposure::Local
    };
    serve_exposed(listener, core, cancel, exposure).await;
}

/// Serves until `cancel` fires, to whom `exposure` says.
pub async fn serve_exposed(
    listener: TcpListener,
    core: Arc<Core>,
    cancel: CancellationToken,
    exposure: server::Exposure,
) {
    let app = router(core.clone());
    server::serve(listener, app, core, exposure, cancel).await;
}
