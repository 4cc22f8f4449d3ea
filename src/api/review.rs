//! Counter review (issue 9): a machine's implausible counter steps and a supervisor's
//! review of one.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};

use super::access::Caller;
use super::error::{ApiResult, Body};
use crate::core::Core;
use crate::core::review::{CounterEvents, CounterReviewBody};
use crate::production::review::CounterReview;

pub async fn events(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(key): Path<String>,
) -> ApiResult<Json<CounterEvents>> {
    Ok(Json(core.counter_events(&caller.user, &key).await?))
}

pub async fn review(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(key): Path<String>,
    Body(b): Body<CounterReviewBody>,
) -> ApiResult<Json<CounterReview>> {
    Ok(Json(
        core.review_counter(caller.actor(), &caller.user, &key, b)
            .await?,
    ))
}
