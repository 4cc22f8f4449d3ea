//! Plantlog's central server: plants send their batches over HTTP, each site with its
//! own token, and the server stores them in PostgreSQL. It keeps no state of its own
//! between requests, so several can run side by side against one database.
//!
//! `serve` takes a listener and a shutdown signal, so tests bind port 0. The schema and
//! its migrations are in `db`; receiving a batch in `receive`; the shapes on the wire in
//! `wire`; a throwaway PostgreSQL cluster for tests and benchmarks in `pgtest`.

/// The plant's sample types and its block codec, compiled from the plant's own source
/// (one codec, not a copy): raw samples arrive as the plant's compressed blocks.
#[allow(dead_code, unused_imports)]
#[path = "../../src/store/codec/mod.rs"]
pub mod codec;
pub mod completeness;
pub mod db;
pub mod owner;
pub mod pgtest;
pub mod receive;
#[allow(dead_code, unused_imports)]
#[path = "../../src/sample.rs"]
pub mod sample;
pub mod streams;
pub mod tls;
pub mod wire;

/// For callers that read the database with the server's own client types.
pub use tokio_postgres;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use deadpool_postgres::Pool;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use receive::ReceiveError;

/// The router of the central server's API, without the owner's page.
pub fn router(pool: Pool) -> Router {
    router_with(pool, None)
}

/// The router of the central server: the API and, with the owner's password, the
/// owner's page at `/`.
pub fn router_with(pool: Pool, owner: Option<owner::Owner>) -> Router {
    let page = Router::new()
        .route("/", get(owner::page))
        .route("/sites/{site}/rotate", post(owner::rotate))
        .with_state((pool.clone(), owner.map(std::sync::Arc::new)));
    Router::new()
        .route("/api/v1/sites/{site}/batches", post(receive_batch))
        .route(
            "/api/v1/sites/{site}/streams/{stream}/batches",
            post(receive_stream_batch),
        )
        .route("/api/v1/sites/{site}/position", get(position))
        .route("/healthz", get(|| async { "ok" }))
        .layer(DefaultBodyLimit::max(receive::MAX_BODY))
        .with_state(pool)
        .merge(page)
}

/// Serves the API on `listener` until `shutdown` fires.
pub async fn serve(
    listener: TcpListener,
    pool: Pool,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    serve_router(listener, router(pool), shutdown).await
}

/// Serves `router` (see [`router_with`]) on `listener` until `shutdown` fires.
pub async fn serve_router(
    listener: TcpListener,
    router: Router,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn refuse(e: ReceiveError) -> Response {
    if let ReceiveError::Db(db) = &e {
        tracing::warn!("a batch could not be applied: {db}");
    }
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(e.refusal())).into_response()
}

/// The site's token, and the path's site must be the token's.
async fn authorize(pool: &Pool, headers: &HeaderMap, site: &str) -> Result<i64, ReceiveError> {
    let token = bearer(headers).ok_or(ReceiveError::Unauthorized)?;
    let (id, name) = receive::authenticate(pool, token).await?;
    if name != site {
        return Err(ReceiveError::Forbidden);
    }
    Ok(id)
}

async fn receive_batch(
    State(pool): State<Pool>,
    Path(site): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let site_id = match authorize(&pool, &headers, &site).await {
        Ok(id) => id,
        Err(e) => return refuse(e),
    };
    let checksum = headers
        .get("plantlog-checksum")
        .and_then(|v| v.to_str().ok());
    let blocks = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with(wire::BLOCKS_TYPE));
    match receive::apply(&pool, site_id, &site, &body, checksum, blocks).await {
        Ok(ack) => axum::Json(ack).into_response(),
        Err(e) => refuse(e),
    }
}

async fn receive_stream_batch(
    State(pool): State<Pool>,
    Path((site, stream)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let site_id = match authorize(&pool, &headers, &site).await {
        Ok(id) => id,
        Err(e) => return refuse(e),
    };
    let checksum = headers
        .get("plantlog-checksum")
        .and_then(|v| v.to_str().ok());
    match streams::apply(&pool, site_id, &site, &stream, &body, checksum).await {
        Ok(ack) => axum::Json(ack).into_response(),
        Err(e) => refuse(e),
    }
}

/// The site's high-water mark, for the site's own token.
async fn position(
    State(pool): State<Pool>,
    Path(site): Path<String>,
    headers: HeaderMap,
) -> Response {
    let site_id = match authorize(&pool, &headers, &site).await {
        Ok(id) => id,
        Err(e) => return refuse(e),
    };
    let result = async {
        let client = pool.get().await.map_err(db::DbError::from)?;
        let row = client
            .query_one(
                "SELECT last_seq, acked_to_ts FROM sites WHERE id = $1",
                &[&site_id],
            )
            .await?;
        Ok::<_, ReceiveError>(serde_json::json!({
            "site": site,
            "acked_seq": row.get::<_, i64>(0),
            "acked_to_ts": row.get::<_, i64>(1),
            "server_ms": receive::now_ms(),
        }))
    }
    .await;
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => refuse(e),
    }
}
