//! The data passport (issue 17): the live facts as JSON for the page, and the same as a
//! Markdown document and a PDF for an auditor (downloads). The passport room reads them.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::access::Caller;
use super::error::{ApiError, ApiResult};
use crate::core::Core;
use crate::passport::{self, Passport};

pub async fn view(State(core): State<Arc<Core>>) -> ApiResult<Json<Passport>> {
    Ok(Json(passport::gather(&core).await?))
}

/// The passport as a Markdown document, in the language of the user who asks.
pub async fn markdown(State(core): State<Arc<Core>>, caller: Caller) -> ApiResult<Response> {
    let p = passport::gather(&core).await?;
    let lang = passport::lang_for(&core, Some(caller.user.id)).await?;
    let day = jiff::Timestamp::now().strftime("%Y%m%d").to_string();
    Ok((
        [
            (CONTENT_TYPE, "text/markdown; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"plantlog-data-passport-{day}.md\""),
            ),
        ],
        passport::markdown(&p, lang),
    )
        .into_response())
}

/// The passport as a PDF for an auditor, rendered by the report engine in the language
/// of the user who asks.
pub async fn pdf(State(core): State<Arc<Core>>, caller: Caller) -> ApiResult<Response> {
    let p = passport::gather(&core).await?;
    let lang = passport::lang_for(&core, Some(caller.user.id)).await?;
    let by = caller.actor().name;
    let bytes = tokio::task::spawn_blocking(move || passport::pdf(&p, &by, lang))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let day = jiff::Timestamp::now().strftime("%Y%m%d").to_string();
    Ok((
        [
            (CONTENT_TYPE, "application/pdf".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"plantlog-data-passport-{day}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
