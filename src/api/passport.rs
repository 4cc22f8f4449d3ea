//! The data passport (issue 17): the live facts as JSON for the page, and the same as a
//! Markdown document for an auditor (a download). The passport room reads them.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::error::ApiResult;
use crate::core::Core;
use crate::passport::{self, Passport};

pub async fn view(State(core): State<Arc<Core>>) -> ApiResult<Json<Passport>> {
    Ok(Json(passport::gather(&core).await?))
}

pub async fn markdown(State(core): State<Arc<Core>>) -> ApiResult<Response> {
    let p = passport::gather(&core).await?;
    let day = jiff::Timestamp::now().strftime("%Y%m%d").to_string();
    Ok((
        [
            (CONTENT_TYPE, "text/markdown; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"plantlog-data-passport-{day}.md\""),
            ),
        ],
        passport::markdown(&p),
    )
        .into_response())
}
