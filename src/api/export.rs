//! Raw sample export as CSV, streamed: the database is read a ten-minute window at a
//! time on a blocking thread and sent on as it is written, through a small bounded
//! channel, so a slow client slows the reading down instead of filling memory.

use std::io::Write;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tokio::sync::mpsc;

use super::access::Caller;
use super::error::ApiResult;
use crate::core::Core;

/// Bytes gathered before a piece is sent.
const PIECE: usize = 64 * 1024;
/// Pieces that may wait to be sent: the most an export holds in memory beyond one
/// window of samples.
const PIECES_WAITING: usize = 4;

#[derive(Deserialize)]
pub struct ExportQuery {
    /// Comma-separated tag ids or `device/tag` names.
    #[serde(default)]
    tags: String,
    from: Option<i64>,
    to: Option<i64>,
}

pub async fn samples_csv(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    let job = core
        .plan_export(&q.tags, q.from, q.to, &caller.scope)
        .await?;
    let (from, to) = (job.from, job.to);
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(PIECES_WAITING);
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(PIECE),
        };
        // The CSV writer flushes at its end, which sends the last piece. The export
        // stops between windows once the client has gone.
        let gone = || tx.is_closed();
        let result = core.write_samples_csv_until(&job.tags, job.from, job.to, &mut out, &gone);
        match result {
            Ok(n) => tracing::debug!("exported {n} samples"),
            Err(e) => {
                // The client sees the download fail rather than a short file.
                tracing::warn!("a sample export stopped: {e}");
                let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
            }
        }
    });
    let name = format!("plantlog-samples-{}-{}.csv", stamp(from), stamp(to));
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx)),
    )
        .into_response())
}

fn stamp(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|_| ms.to_string())
}

/// `Write` into the response: pieces of [`PIECE`] bytes, waiting while the channel is
/// full. A closed channel (the client went away) ends the export with an error.
struct ChannelWriter {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let piece = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(PIECE)));
        self.tx.blocking_send(Ok(piece)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= PIECE {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}
