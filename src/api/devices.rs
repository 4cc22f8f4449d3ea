//! Devices, lines and commissioning: status and diagnostics per device and per line,
//! each tag's address in both notations, test reads, line scans, serial ports, and the
//! device templates.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;

use super::access::Caller;
use super::error::{ApiError, ApiResult, Body};
use crate::collector::commission::{ReadResult, ScanReport, ScanRequest, TestRead};
use crate::collector::ports::{self, PortInfo};
use crate::config::templates::Template;
use crate::core::{self, BusView, Core, DeviceDetail, DeviceView, TagFindings, TemplateSummary};

pub async fn devices(State(core): State<Arc<Core>>, caller: Caller) -> Json<Vec<DeviceView>> {
    Json(core.devices_in(&caller.scope))
}

pub async fn device(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(key): Path<String>,
) -> ApiResult<Json<DeviceDetail>> {
    Ok(Json(core.device_in(&key, &caller.scope)?))
}

pub async fn buses(State(core): State<Arc<Core>>, caller: Caller) -> Json<Vec<BusView>> {
    Json(core.lines_in(&caller.scope))
}

pub async fn test_read(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(req): Body<TestRead>,
) -> ApiResult<Json<ReadResult>> {
    Ok(Json(
        core.test_read_as(&req, &caller.scope, caller.actor())
            .await?,
    ))
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ScanBody {
    /// A device whose line to scan.
    device: String,
    #[serde(flatten)]
    scan: ScanRequest,
}

pub async fn scan(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<ScanBody>,
) -> ApiResult<Json<ScanReport>> {
    Ok(Json(
        core.scan_line_as(&b.device, &b.scan, &caller.scope, caller.actor())
            .await?,
    ))
}

pub async fn serial_ports() -> ApiResult<Json<Vec<PortInfo>>> {
    let ports = tokio::task::spawn_blocking(ports::serial_ports)
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(Json(ports))
}

pub async fn list_templates() -> Json<Vec<TemplateSummary>> {
    Json(core::template_list())
}

pub async fn template(Path(key): Path<String>) -> ApiResult<Json<&'static Template>> {
    Ok(Json(core::template(&key)?))
}

/// The device's tags whose recent values look wrong, with the likely cause.
pub async fn findings(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<TagFindings>>> {
    Ok(Json(core.device_findings_in(&key, &caller.scope).await?))
}
