//! API errors: an HTTP status with `{"code", "message", "params"}`. Codes are stable so
//! the UI tells errors apart without reading messages; `message` is English for logs and
//! scripts; `params` holds the values the message names (a field, a thing, a number), so
//! the UI says the same in the user's language from its catalogue (`errors.<code>`).

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
    /// The values the message names, by name, for the UI's translation of `code`.
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Extra fields, such as the list of configuration problems.
    pub extra: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            params: serde_json::Map::new(),
            extra: None,
        }
    }

    /// The error with one more named value for the UI's translation.
    pub fn with(mut self, name: &str, value: impl Into<serde_json::Value>) -> ApiError {
        self.params.insert(name.to_string(), value.into());
        self
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
        .with("what", what)
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// Something failed inside: the details go to the log with a reference, the client
    /// gets the reference only (paths, SQL and library messages stay on this PC).
    pub fn internal(message: impl std::fmt::Display) -> ApiError {
        let reference = hex::encode(rand::random::<[u8; 4]>());
        tracing::error!("internal error {reference}: {message}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!(
                "Plantlog could not do this because of an internal error; the log of the Plantlog PC has the details under reference {reference}"
            ),
        )
        .with("reference", reference)
    }
}

/// The JSON of every error answer (some codes add fields, such as `errors` of
/// `invalid_config`).
#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ErrorBody {
    /// Stable: the UI translates `errors.<code>` with `params`.
    pub code: String,
    /// What happened and what to do, in English.
    pub message: String,
    /// The values the message names, by name (a field, a thing, a count).
    #[cfg_attr(test, ts(type = "Record<string, string | number | boolean>"))]
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// Longest message an error carries.
const MAX_MESSAGE: usize = 2000;
/// Most configuration mistakes listed in one answer; the rest are counted.
pub const MAX_PROBLEMS: usize = 200;

fn bounded(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let params: serde_json::Map<String, serde_json::Value> = self
            .params
            .into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => (k, serde_json::Value::String(bounded(s, 300))),
                v => (k, v),
            })
            .collect();
        let mut body = json!(ErrorBody {
            code: self.code.to_string(),
            message: bounded(self.message, MAX_MESSAGE),
            params,
        });
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
            Error::Forbidden { code, .. } => ApiError::new(StatusCode::FORBIDDEN, code, message),
            Error::Stopped => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "stopped", message),
            Error::TooMany { code, .. } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, code, message)
            }
            Error::NotFound(what) => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", message).with("what", what)
            }
            Error::NotAssigned(_) => ApiError::new(StatusCode::FORBIDDEN, "not_assigned", message),
            Error::Invalid { code, field, .. } => {
                let mut err = ApiError::bad_request(code, message);
                if let Some(f) = field {
                    err = err.with("field", f);
                }
                err.extra = field.map(|f| json!({ "field": f }));
                err
            }
            Error::Refused {
                code,
                message,
                field,
                params,
            } => {
                let mut err = ApiError::bad_request(code, message);
                err.params = params;
                if let Some(f) = field {
                    err = err.with("field", f);
                }
                err.extra = field.map(|f| json!({ "field": f }));
                err
            }
            Error::Config(mut problems) => {
                // An answer never much larger than its request: the first mistakes, each
                // cut short, and how many more there are.
                let count = problems.len();
                let more = count.saturating_sub(MAX_PROBLEMS);
                problems.truncate(MAX_PROBLEMS);
                for p in &mut problems {
                    p.place = bounded(std::mem::take(&mut p.place), 300);
                    p.message = bounded(std::mem::take(&mut p.message), 500);
                }
                if more > 0 {
                    problems.push(crate::config::Problem::new(
                        String::new(),
                        format!("and {more} more mistakes; fix these first"),
                    ));
                }
                let mut err = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_config",
                    bounded(message, 1000),
                )
                .with("count", count);
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
                let mut err = ApiError::new(status, u.code(), message);
                if let UserError::WeakPassword(w) = &u {
                    err = err.with("reason", w.reason);
                    if let Some(n) = w.chars {
                        err = err.with("chars", n);
                    }
                    if let Some(word) = &w.word {
                        err = err.with("word", word.as_str());
                    }
                }
                err
            }
            Error::Internal(m) => ApiError::internal(m),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

fn body_refusal(status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        ApiError::bad_request(
            "bad_request",
            format!("the request body is not what this endpoint takes: {text}"),
        )
    }
}

/// The answer to a body over the endpoint's limit.
pub fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        "the request body is larger than this endpoint takes",
    )
}

/// A JSON request body; a body that is not the expected JSON gets
/// `400 {"code": "bad_request", "message": ...}` saying what is wrong, like every other
/// error of the API, and one over the endpoint's limit `413 {"code": "too_large"}`.
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
            Err(rejection) => Err(body_refusal(rejection.status(), rejection.body_text())),
        }
    }
}

/// A text request body (a configuration file), refused like [`Body`].
pub struct Text(pub String);

impl<S: Send + Sync> axum::extract::FromRequest<S> for Text {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        match String::from_request(req, state).await {
            Ok(s) => Ok(Text(s)),
            Err(rejection) => Err(body_refusal(rejection.status(), rejection.body_text())),
        }
    }
}

/// Stable codes for the answers the router itself gives (no such method, a query or
/// path that does not parse, a body too large, a request that took too long).
fn code_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "timeout",
        413 => "too_large",
        415 => "unsupported_media_type",
        422 => "bad_request",
        429 => "too_many_requests",
        503 => "unavailable",
        _ if status.is_server_error() => "internal",
        _ => "error",
    }
}

/// Middleware on /api: an error answer that is not the documented `{code, message}`
/// JSON (axum's own refusals are plain text or empty) becomes one, its text as the
/// message (cut short).
pub async fn json_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = match (status, text.is_empty()) {
        (StatusCode::METHOD_NOT_ALLOWED, _) => format!(
            "this endpoint does not take {}; see docs/API.md",
            parts
                .headers
                .get(axum::http::header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .map_or("this method".to_string(), |a| format!(
                    "this method (it takes {a})"
                ))
        ),
        (StatusCode::REQUEST_TIMEOUT, _) => {
            "the request took too long; try a shorter range".to_string()
        }
        (_, true) => status
            .canonical_reason()
            .unwrap_or("refused")
            .to_lowercase(),
        (_, false) => text,
    };
    let mut out = ApiError::new(status, code_for(status), bounded(message, 500)).into_response();
    for (name, value) in parts.headers.iter() {
        if name == axum::http::header::ALLOW || name == axum::http::header::RETRY_AFTER {
            out.headers_mut().insert(name.clone(), value.clone());
        }
    }
    out
}
