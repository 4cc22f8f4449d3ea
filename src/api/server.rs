//! Serving connections: the accept loop, with the limits that keep a slow or hostile
//! client from taking what the collector and SQLite need (a connection limit in all and
//! per client address, a deadline for a request's headers and for a TLS handshake,
//! small header buffers), TLS for the plant LAN, and a shutdown that finishes within
//! seconds whatever clients do.
//!
//! On a LAN listener one port speaks both: a connection that opens with a TLS handshake
//! gets HTTPS (rustls, the certificate the core holds); one that speaks plain HTTP gets
//! the app only from this PC (loopback, the desktop window) and otherwise only a
//! redirect to the same address over HTTPS.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

use crate::core::Core;

/// Connections at once, in all.
pub const MAX_CONNECTIONS: usize = 512;
/// Connections at once from one address (a browser opens six; a tablet wall a few
/// dozen).
pub const MAX_PER_CLIENT: usize = 64;
/// Time a client has to send a request's headers, also between requests on a kept
/// connection (so idle connections end too).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(15);
/// Time a client has to finish a TLS handshake (or, on a LAN port, to send anything).
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a shutdown waits for answers in progress before cutting connections.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);
/// Largest buffer for a request's head (request line and headers).
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// How a request reached the server; the access rule and the Host/Origin check read it.
#[derive(Debug, Clone, Copy)]
pub struct Transport {
    /// Over TLS.
    pub tls: bool,
    pub peer: SocketAddr,
    /// The client counts as this PC (loopback on a listener that trusts it).
    pub local: bool,
}

/// Who the listener serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exposure {
    /// This PC only (listening on loopback): plain HTTP.
    Local,
    /// The plant LAN: HTTPS, and plain HTTP from loopback only (the rest is redirected).
    /// `trust_loopback` false makes every client count as a LAN client (tests, where
    /// loopback stands in for the LAN).
    Lan { trust_loopback: bool },
}

/// Connections per client address, released when a connection ends.
#[derive(Default)]
struct Counts {
    total: usize,
    by_ip: HashMap<IpAddr, usize>,
}

struct Slot {
    counts: Arc<Mutex<Counts>>,
    ip: IpAddr,
}

impl Slot {
    fn take(counts: &Arc<Mutex<Counts>>, ip: IpAddr) -> Option<Slot> {
        let mut c = counts.lock().unwrap_or_else(|e| e.into_inner());
        let mine = c.by_ip.get(&ip).copied().unwrap_or(0);
        if c.total >= MAX_CONNECTIONS || mine >= MAX_PER_CLIENT {
            return None;
        }
        c.total += 1;
        *c.by_ip.entry(ip).or_default() += 1;
        Some(Slot {
            counts: counts.clone(),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        c.total -= 1;
        if let Some(n) = c.by_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                c.by_ip.remove(&self.ip);
            }
        }
    }
}

/// Serves `router` on `listener` until `cancel` fires, then lets answers in progress
/// finish for [`SHUTDOWN_GRACE`] and cuts the rest.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    core: Arc<Core>,
    exposure: Exposure,
    cancel: CancellationToken,
) {
    let tracker = TaskTracker::new();
    let counts = Arc::new(Mutex::new(Counts::default()));
    loop {
        let (stream, peer) = tokio::select! {
            _ = cancel.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file handles or similar: wait a moment rather than spin.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Some(slot) = Slot::take(&counts, peer.ip()) else {
            // Over the limit: closed at once, costing nothing but the accept.
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let core = core.clone();
        let cancel = cancel.clone();
        tracker.spawn(async move {
            let _slot = slot;
            connection(stream, peer, router, core, exposure, cancel).await;
        });
    }
    drop(listener);
    tracker.close();
    if tokio::time::timeout(SHUTDOWN_GRACE + Duration::from_secs(1), tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("some connections were still open at shutdown; they were cut");
    }
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    core: Arc<Core>,
    exposure: Exposure,
    cancel: CancellationToken,
) {
    let loopback = peer.ip().is_loopback()
        || matches!(peer.ip(), IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()));
    match exposure {
        Exposure::Local => {
            let t = Transport {
                tls: false,
                peer,
                local: loopback,
            };
            http(stream, t, router, cancel).await;
        }
        Exposure::Lan { trust_loopback } => {
            let local = loopback && trust_loopback;
            let mut first = [0u8; 1];
            let peeked = tokio::time::timeout(HANDSHAKE_TIMEOUT, stream.peek(&mut first)).await;
            if !matches!(peeked, Ok(Ok(1))) {
                return;
            }
            // 0x16: a TLS handshake record.
            if first[0] == 0x16 {
                let Some(resolver) = core.tls_resolver() else {
                    return;
                };
                let acceptor =
                    tokio_rustls::TlsAcceptor::from(crate::auth::tls::server_config(resolver));
                let Ok(Ok(tls)) =
                    tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
                else {
                    return;
                };
                let t = Transport {
                    tls: true,
                    peer,
                    local,
                };
                http(tls, t, router, cancel).await;
            } else if local {
                let t = Transport {
                    tls: false,
                    peer,
                    local,
                };
                http(stream, t, router, cancel).await;
            } else {
                let t = Transport {
                    tls: false,
                    peer,
                    local,
                };
                let redirect = Router::new().fallback(to_https);
                http(stream, t, redirect, cancel).await;
            }
        }
    }
}

/// Serves HTTP/1.1 on one connection, with the header deadline and buffer limit.
async fn http<S>(stream: S, transport: Transport, router: Router, cancel: CancellationToken)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(transport);
        req.extensions_mut().insert(ConnectInfo(transport.peer));
        router.clone().oneshot(req.map(axum::body::Body::new))
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(MAX_HEAD_BYTES)
        .keep_alive(true);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        r = conn.as_mut() => {
            if let Err(e) = r {
                tracing::debug!("connection from {} ended: {e}", transport.peer);
            }
        }
        _ = cancel.cancelled() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, conn.as_mut()).await;
        }
    }
}

/// Plain HTTP from the LAN: the same address over HTTPS.
async fn to_https(req: Request<axum::body::Body>) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        });
    let Some(host) = host else {
        return (
            StatusCode::BAD_REQUEST,
            "Plantlog on the plant LAN speaks HTTPS: open https://<this PC's address>/",
        )
            .into_response();
    };
    let path = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    (
        StatusCode::PERMANENT_REDIRECT,
        [
            (header::LOCATION, format!("https://{host}{path}")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        "Plantlog on the plant LAN speaks HTTPS only",
    )
        .into_response()
}
