//! Security endpoints: one's own second factor, the admin's security settings, sessions,
//! vendor accounts, the access review (page and CSV report), the TLS certificate, and
//! the audit chain's check.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::access::Caller;
use super::error::{ApiResult, Body};
use crate::auth::User;
use crate::auth::audit::ChainReport;
use crate::auth::mfa::Enrolment;
use crate::auth::policy::SecuritySettings;
use crate::auth::sessions::SessionView;
use crate::auth::tls::CertInfo;
use crate::auth::vendor::{NewVendor, VendorAccount, VendorChange};
use crate::core::{AccessReviewView, CertificateUpload, Core, LanView};

pub async fn mfa_start(
    State(core): State<Arc<Core>>,
    caller: Caller,
) -> ApiResult<Json<Enrolment>> {
    Ok(Json(core.mfa_start(&caller.user).await?))
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MfaCode {
    code: String,
}

/// The recovery codes, shown once.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RecoveryCodes {
    recovery_codes: Vec<String>,
}

pub async fn mfa_confirm(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<MfaCode>,
) -> ApiResult<Json<RecoveryCodes>> {
    let codes = core
        .mfa_confirm(&caller.user, b.code, caller.actor())
        .await?;
    Ok(Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

pub async fn mfa_remove(State(core): State<Arc<Core>>, caller: Caller) -> ApiResult<StatusCode> {
    core.mfa_remove_own(&caller.user, caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn mfa_reset(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    core.mfa_reset(id, caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The security settings with the LAN state and certificate.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SecurityView {
    settings: SecuritySettings,
    lan: LanView,
}

pub async fn settings(State(core): State<Arc<Core>>) -> ApiResult<Json<SecurityView>> {
    Ok(Json(SecurityView {
        settings: core.security_settings().await?,
        lan: core.lan(),
    }))
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SecurityChange {
    #[serde(flatten)]
    settings: SecuritySettings,
    /// Required to lower the audit floor: the words "shorten the audit log".
    #[cfg_attr(test, ts(optional))]
    confirm_text: Option<String>,
}

pub async fn change_settings(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<SecurityChange>,
) -> ApiResult<Json<SecurityView>> {
    let settings = core
        .change_security_settings(b.settings, b.confirm_text, caller.actor())
        .await?;
    Ok(Json(SecurityView {
        settings,
        lan: core.lan(),
    }))
}

pub async fn upload_certificate(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<CertificateUpload>,
) -> ApiResult<Json<CertInfo>> {
    Ok(Json(core.install_certificate(b, caller.actor()).await?))
}

pub async fn sessions(
    State(core): State<Arc<Core>>,
    caller: Caller,
) -> ApiResult<Json<Vec<SessionView>>> {
    Ok(Json(core.sessions(caller.token).await?))
}

pub async fn end_session(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    core.end_session(id, caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn vendors(State(core): State<Arc<Core>>) -> ApiResult<Json<Vec<VendorAccount>>> {
    Ok(Json(core.vendors().await?))
}

pub async fn create_vendor(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<NewVendor>,
) -> ApiResult<(StatusCode, Json<User>)> {
    Ok((
        StatusCode::CREATED,
        Json(core.create_vendor(b, caller.actor()).await?),
    ))
}

pub async fn update_vendor(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<VendorChange>,
) -> ApiResult<Json<User>> {
    Ok(Json(core.update_vendor(id, b, caller.actor()).await?))
}

pub async fn access_review(State(core): State<Arc<Core>>) -> ApiResult<Json<AccessReviewView>> {
    Ok(Json(core.access_review().await?))
}

pub async fn access_review_csv(State(core): State<Arc<Core>>) -> ApiResult<Response> {
    let csv = core.access_review_csv().await?;
    let day = jiff::Timestamp::now().strftime("%Y%m%d").to_string();
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"plantlog-access-review-{day}.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

pub async fn verify_audit(State(core): State<Arc<Core>>) -> ApiResult<Json<ChainReport>> {
    Ok(Json(core.verify_audit().await?))
}
