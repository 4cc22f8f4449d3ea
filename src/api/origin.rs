//! Where a request claims to come from, checked before anything else: its Host must be a
//! name of this server (an IP address, localhost, this PC's name, or one the admin
//! listed), so a web page whose own name was pointed at this PC (DNS rebinding) gets
//! nothing; and a request that changes something (any method but GET and HEAD, logout
//! included, whatever its content type) must come from this server's own pages: a
//! same-origin `Origin`, or, from a script without one, the `X-Plantlog-Request` header,
//! which no other site's page can send.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::server::Transport;
use crate::core::Core;

/// The header scripts send instead of an Origin (the UI sends it too).
pub const REQUEST_HEADER: &str = "x-plantlog-request";

/// The host name of a Host header: without its port, brackets kept for IPv6.
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host
            .split(']')
            .next()
            .map_or(host, |h| &host[..h.len() + 1]);
    }
    host.rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(h, _)| h)
}

pub async fn check(State(core): State<Arc<Core>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()));
    let Some(host) = host else {
        return ApiError::bad_request("no_host", "the request has no Host header").into_response();
    };
    match core.host_allowed(host_name(&host)).await {
        Ok(true) => {}
        Ok(false) => {
            return ApiError::new(
                StatusCode::MISDIRECTED_REQUEST,
                "unknown_host",
                format!(
                    "this Plantlog does not answer to the name \"{}\"; open it by its address or its PC's name, or ask the admin to add the name under Security, allowed host names",
                    host_name(&host)
                ),
            )
            .into_response();
        }
        Err(e) => return ApiError::from(e).into_response(),
    }
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD);
    if changes && req.uri().path().starts_with("/api/") {
        let tls = req.extensions().get::<Transport>().is_some_and(|t| t.tls);
        if let Err(e) = same_origin(&req, &host, tls) {
            return e.into_response();
        }
    }
    next.run(req).await
}

fn cross(message: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "cross_origin", message)
}

fn same_origin(req: &Request, host: &str, tls: bool) -> Result<(), ApiError> {
    let h = req.headers();
    if h.get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site")
    {
        return Err(cross("requests from other sites' pages are refused"));
    }
    match h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => {
            let own = format!("{}://{host}", if tls { "https" } else { "http" });
            if origin.eq_ignore_ascii_case(&own) {
                Ok(())
            } else {
                Err(cross(&format!(
                    "a request from {origin} may not change anything here; use Plantlog's own pages at {own}"
                )))
            }
        }
        None if h.contains_key(REQUEST_HEADER) => Ok(()),
        None => Err(cross(
            "a request that changes something must come from Plantlog's own pages; a script sends the header X-Plantlog-Request: 1",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::host_name;

    #[test]
    fn host_names_without_ports() {
        assert_eq!(host_name("plant-pc:8470"), "plant-pc");
        assert_eq!(host_name("192.168.1.2"), "192.168.1.2");
        assert_eq!(host_name("[::1]:8470"), "[::1]");
        assert_eq!(host_name("[fe80::1]"), "[fe80::1]");
        assert_eq!(host_name("evil.example:80"), "evil.example");
    }
}
