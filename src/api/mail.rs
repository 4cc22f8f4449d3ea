//! Alarm e-mail (issue 13), for the admin: the SMTP server (the password goes to the OS
//! keyring), people's addresses, the queue, a test mail, trying the queue again.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};

use super::access::Caller;
use super::error::{ApiResult, Body};
use crate::core::{Core, EmailBody, MailView, SmtpBody, TestMailBody, TestMailResult};

pub async fn view(State(core): State<Arc<Core>>) -> ApiResult<Json<MailView>> {
    Ok(Json(core.mail().await?))
}

pub async fn settings(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<SmtpBody>,
) -> ApiResult<Json<MailView>> {
    Ok(Json(core.set_mail_settings(caller.actor(), b).await?))
}

pub async fn email(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<EmailBody>,
) -> ApiResult<Json<MailView>> {
    Ok(Json(core.set_user_email(caller.actor(), id, b).await?))
}

pub async fn test(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<TestMailBody>,
) -> ApiResult<Json<TestMailResult>> {
    Ok(Json(core.send_test_mail(caller.actor(), b).await?))
}

pub async fn retry(State(core): State<Arc<Core>>, caller: Caller) -> ApiResult<Json<MailView>> {
    Ok(Json(core.retry_mail(caller.actor()).await?))
}
