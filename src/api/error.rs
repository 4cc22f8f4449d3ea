//! API errors: an HTTP status with `{"code", "message"}`. Codes are stable so the UI
//! tells errors apart without reading messages.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::auth::users::UserError;
use crate::core::Error;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Extra fields, such as the list of configuration problems.
    pub extra: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            extra: None,
        }
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "log in first")
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your role does not allow this; ask the admin",
        )
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such {what}"),
        )
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn internal(message: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {message}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("Plantlog could not do this: {message}"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"code": self.code, "message": self.message});
        if let (Some(extra), Some(obj)) = (self.extra, body.as_object_mut())
            && let Some(more) = extra.as_object()
        {
            for (k, v) in more {
                obj.insert(k.clone(), v.clone());
            }
        }
        (self.status, Json(body)).into_response()
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let message = e.to_string();
        match e {
            Error::Unauthenticated { code, .. } => {
                ApiError::new(StatusCode::UNAUTHORIZED, code, message)
            }
            Error::TooMany { code, .. } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, code, message)
            }
            Error::NotFound(_) => ApiError::new(StatusCode::NOT_FOUND, "not_found", message),
            Error::NotAssigned(_) => ApiError::new(StatusCode::FORBIDDEN, "not_assigned", message),
            Error::Invalid { code, field, .. } => {
                let mut err = ApiError::bad_request(code, message);
                err.extra = field.map(|f| json!({ "field": f }));
                err
            }
            Error::Config(problems) => {
                let mut err =
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_config", message);
                err.extra = Some(json!({ "errors": problems }));
                err
            }
            Error::File(problems) => {
                let mut err =
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_file", message);
                err.extra = Some(json!({ "errors": problems }));
                err
            }
            Error::ConfigConflict(conflict) => {
                let mut err = ApiError::new(StatusCode::CONFLICT, "config_conflict", message);
                err.extra = Some(json!({ "conflict": conflict }));
                err
            }
            Error::ConfirmRequired { would_remove, .. } => {
                let mut err = ApiError::new(StatusCode::CONFLICT, "confirm_required", message);
                err.extra = Some(json!({ "would_remove": would_remove }));
                err
            }
            Error::User(u) => {
                let status = match &u {
                    UserError::UsernameTaken(_) | UserError::SetupDone => StatusCode::CONFLICT,
                    _ => StatusCode::BAD_REQUEST,
                };
                ApiError::new(status, u.code(), message)
            }
            Error::Internal(m) => ApiError::internal(m),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A JSON request body; a body that is not the expected JSON gets
/// `400 {"code": "bad_request", "message": ...}` saying what is wrong, like every other
/// error of the API.
pub struct Body<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for Body<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(rejection) => Err(ApiError::bad_request(
                "bad_request",
                format!(
                    "the request body is not what this endpoint takes: {}",
                    rejection.body_text()
                ),
            )),
        }
    }
}
