//! Support: recent problems and crash records, the support bundle, the desktop app's
//! settings.

use std::sync::Arc;

use axum::Json;
use axum::body::Body as ResponseBody;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use axum::http::StatusCode;

use super::access::{Caller, Local};
use super::error::{ApiError, ApiResult, Body};
use crate::core::Core;
use crate::core::support::{DesktopSettings, DesktopTray, SupportView};

pub async fn view(State(core): State<Arc<Core>>) -> ApiResult<Json<SupportView>> {
    Ok(Json(core.support_view().await?))
}

/// The support bundle as a zip download (a POST: it writes the file and the audit log).
pub async fn bundle(State(core): State<Arc<Core>>, caller: Caller) -> ApiResult<Response> {
    let bundle = core.support_bundle(caller.actor()).await?;
    let file = tokio::fs::File::open(bundle.file.path())
        .await
        .map_err(|e| crate::core::Error::Internal(format!("reading the support bundle: {e}")))?;
    // The temporary file lives until the last piece is sent.
    let keep = bundle.file;
    let stream = tokio_util::io::ReaderStream::new(file).map(move |piece| {
        let _ = &keep;
        piece
    });
    Ok((
        [
            (CONTENT_TYPE, "application/zip".to_string()),
            (CONTENT_LENGTH, bundle.bytes.to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", bundle.name),
            ),
        ],
        ResponseBody::from_stream(stream),
    )
        .into_response())
}

/// The desktop tray's state, for the desktop app on this PC only: it carries the
/// window's session cookie, so it also says whether that user may quit the app.
pub async fn desktop_tray(
    State(core): State<Arc<Core>>,
    Local(local): Local,
    caller: Option<Caller>,
) -> ApiResult<Json<DesktopTray>> {
    if !local {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "local_only",
            "only the desktop app on the Plantlog PC itself asks for this",
        ));
    }
    Ok(Json(core.desktop_tray(caller.map(|c| c.user.role)).await?))
}

pub async fn set_desktop(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<DesktopSettings>,
) -> ApiResult<Json<DesktopSettings>> {
    Ok(Json(core.set_desktop_settings(b, caller.actor()).await?))
}
