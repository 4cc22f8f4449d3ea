//! The sync task: while sync is on, make the next batch, send it, and on the
//! acknowledgement move the position; when the link is down, retry with backoff
//! (doubling from the interval up to the longest backoff). Every step's state is in
//! SQLite, so a plant stopped or killed at any point goes on from where it was: a batch
//! made is sent again as it was made.

use std::path::PathBuf;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::clock;
use super::outbox::{self, Pending};
use super::streams;
use super::token;
use super::wire::{Ack, BLOCKS_TYPE, Refusal, StreamAck};
use crate::sample::now_ms;
use crate::store::{Db, StoreError};

/// What became of one attempt.
pub(super) enum Outcome {
    /// Nothing to do now (off, parked, nothing old enough to send).
    Idle,
    /// A batch of this many bytes went through: go on at once (or after the pause the
    /// bandwidth limit asks for).
    Sent(i64),
    /// The link or the central server failed: wait, then again.
    Failed,
}

/// Runs until `stop` fires.
pub async fn run(db: Db, data_dir: PathBuf, stop: CancellationToken) {
    crate::auth::tls::install_client_provider();
    // The HTTP client, made again when the pinned certificate changes.
    let mut http: Option<(String, reqwest::Client)> = None;
    // Plantlog's run, for the central server's "Plantlog not running" (sync on or off).
    let beat = tokio::spawn(keep_run(db.clone(), stop.clone()));
    loop {
        let started = std::time::Instant::now();
        let (outcome, st) = match step(&db, &data_dir, &mut http).await {
            Ok(x) => x,
            Err(e) => {
                tracing::warn!("sync: {e}");
                (Outcome::Failed, None)
            }
        };
        let wait = match (outcome, st) {
            (Outcome::Sent(bytes), st) => paced(&db, bytes, started, st.as_ref()).await,
            (Outcome::Idle, st) => Duration::from_millis(st.map_or(5000, |s| s.interval_ms) as u64),
            (Outcome::Failed, Some(st)) => backoff(&st),
            (Outcome::Failed, None) => Duration::from_secs(5),
        };
        tokio::select! {
            _ = stop.cancelled() => {
                let _ = beat.await;
                return;
            }
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Notes this run of Plantlog in `runs`: its start, a sign of life every few seconds,
/// its clean stop.
async fn keep_run(db: Db, stop: CancellationToken) {
    use super::presence::{ALIVE_EVERY_MS, run_alive, run_started};
    let id = match db
        .run(|c| Ok::<_, StoreError>(run_started(c, now_ms())?))
        .await
    {
        Ok(id) => id,
        Err(e) => {
            tracing::warn!("sync: cannot note Plantlog's start: {e}");
            return;
        }
    };
    loop {
        let stopped = tokio::select! {
            _ = stop.cancelled() => true,
            _ = tokio::time::sleep(Duration::from_millis(ALIVE_EVERY_MS as u64)) => false,
        };
        let noted = db
            .run(move |c| Ok::<_, StoreError>(run_alive(c, id, now_ms(), stopped)?))
            .await;
        if let Err(e) = noted {
            tracing::warn!("sync: cannot note that Plantlog runs: {e}");
        }
        if stopped {
            return;
        }
    }
}

/// Sends batch after batch until nothing is left to send now (for `plantlog bench
/// sync` and tools): the number of batches sent, or why an attempt failed.
pub async fn drain(db: &Db, data_dir: &std::path::Path) -> Result<u64, String> {
    crate::auth::tls::install_client_provider();
    let mut http = None;
    let mut sent = 0u64;
    loop {
        let started = std::time::Instant::now();
        match step(db, data_dir, &mut http).await {
            Ok((Outcome::Sent(bytes), st)) => {
                sent += 1;
                tokio::time::sleep(paced(db, bytes, started, st.as_ref()).await).await;
            }
            Ok((Outcome::Idle, _)) => return Ok(sent),
            Ok((Outcome::Failed, st)) => {
                return Err(st.map_or_else(|| "sync failed".to_string(), |s| s.last_error));
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// The pause after a batch of `bytes` whose step began at `started`, so that the
/// bandwidth limit holds; the batch and the time its cycle takes (pause included) are
/// counted in the measured rate.
async fn paced(
    db: &Db,
    bytes: i64,
    started: std::time::Instant,
    st: Option<&outbox::State>,
) -> Duration {
    let took = started.elapsed().as_millis() as i64;
    let pause = super::pace::pause_ms(bytes, took, st.map_or(0, |s| s.bandwidth_bps));
    let counted = db
        .run(move |c| Ok::<_, StoreError>(super::pace::record(c, bytes, took + pause)?))
        .await;
    if let Err(e) = counted {
        tracing::warn!("sync: cannot keep the rate measured: {e}");
    }
    Duration::from_millis(pause as u64)
}

/// An HTTP client for the central server: with the pinned certificate only, or the
/// usual checks when none is pinned.
fn http_client(pin: &str) -> Result<reqwest::Client, String> {
    let mut b = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10));
    if !pin.is_empty() {
        let tls = super::pin::client_config(pin).map_err(|e| e.to_string())?;
        b = b.tls_backend_preconfigured(tls);
    }
    b.build()
        .map_err(|e| format!("cannot make the HTTP client: {e}"))
}

/// The wait after `st.failures` failures in a row: the interval doubled per failure, at
/// most the longest backoff.
fn backoff(st: &outbox::State) -> Duration {
    let n = st.failures.clamp(0, 20) as u32;
    let ms = st
        .interval_ms
        .saturating_mul(1i64 << n.min(20))
        .min(st.max_backoff_ms);
    Duration::from_millis(ms.max(100) as u64)
}

pub(super) async fn step(
    db: &Db,
    data_dir: &std::path::Path,
    http: &mut Option<(String, reqwest::Client)>,
) -> Result<(Outcome, Option<outbox::State>), StoreError> {
    let st = db.run(|c| Ok::<_, StoreError>(outbox::state(c)?)).await?;
    if !st.enabled || !st.parked.is_empty() {
        return Ok((Outcome::Idle, Some(st)));
    }
    let Some(token) = token::load(data_dir) else {
        let now = now_ms();
        db.run(move |c| {
            Ok::<_, StoreError>(outbox::park(
                c,
                "no sync token is stored: connect again with the site's token",
                now,
            )?)
        })
        .await?;
        return Ok((Outcome::Idle, Some(st)));
    };
    if http.as_ref().is_none_or(|(pin, _)| *pin != st.pin_sha256) {
        match http_client(&st.pin_sha256) {
            Ok(c) => *http = Some((st.pin_sha256.clone(), c)),
            Err(e) => {
                let now = now_ms();
                db.run(move |c| Ok::<_, StoreError>(outbox::park(c, &e, now)?))
                    .await?;
                return Ok((Outcome::Idle, Some(st)));
            }
        }
    }
    let Some((_, client)) = http.as_ref() else {
        return Ok((Outcome::Idle, Some(st)));
    };
    let classes = db
        .run(|c| Ok::<_, StoreError>(streams::classes(c)?))
        .await?;
    // Raw samples first (when chosen), then each chosen stream: one batch per step.
    if classes.iter().any(|c| c == "raw") {
        let site = st.site.clone();
        let now = now_ms();
        let made = db
            .run(move |c| Ok::<_, StoreError>(outbox::make_next(c, &site, now)?))
            .await?;
        if let Some(p) = made {
            let url = format!("{}/api/v1/sites/{}/batches", st.url, st.site);
            let sent = now_ms();
            let failure = match post(
                client,
                &url,
                &token,
                (&p.checksum, BLOCKS_TYPE),
                &p.body,
                &st.url,
            )
            .await
            {
                Ok(text) => match serde_json::from_str::<Ack>(&text) {
                    Ok(ack) if ack.seq == p.seq && ack.site == st.site => {
                        let bytes = p.body.len() as i64;
                        return acknowledged(db, p, ack, sent, now_ms())
                            .await
                            .map(|()| (Outcome::Sent(bytes), Some(st)));
                    }
                    Ok(ack) => (
                        format!(
                            "the central server acknowledged batch {} of {:?} for batch {} of {:?}",
                            ack.seq, ack.site, p.seq, st.site
                        ),
                        true,
                    ),
                    Err(e) => (
                        format!("the central server's answer does not parse: {e}"),
                        false,
                    ),
                },
                Err(f) => f,
            };
            let failure = (format!("raw batch {}: {}", p.seq, failure.0), failure.1);
            return failed(db, failure, st).await;
        }
    }
    for name in streams::STREAMS {
        if !classes.iter().any(|c| c == name) {
            continue;
        }
        let site = st.site.clone();
        let now = now_ms();
        let made = db
            .run(move |c| Ok::<_, StoreError>(streams::make_next(c, &site, name, now)?))
            .await?;
        let Some(p) = made else {
            continue;
        };
        let url = format!(
            "{}/api/v1/sites/{}/streams/{}/batches",
            st.url, st.site, name
        );
        let sent = now_ms();
        let failure = match post(
            client,
            &url,
            &token,
            (&p.checksum, "application/json"),
            &p.body,
            &st.url,
        )
        .await
        {
            Ok(text) => match serde_json::from_str::<StreamAck>(&text) {
                Ok(ack) if ack.seq == p.seq && ack.site == st.site && ack.stream == p.stream => {
                    let now = now_ms();
                    let skew = clock::skew(ack.server_ms, sent, now);
                    let bytes = p.body.len() as i64;
                    db.run(move |c| {
                        streams::acknowledged(c, &p, now)?;
                        clock::record(c, skew, now)?;
                        Ok::<_, StoreError>(())
                    })
                    .await?;
                    warn_clock(skew);
                    return Ok((Outcome::Sent(bytes), Some(st)));
                }
                Ok(ack) => (
                    format!(
                        "the central server acknowledged {} batch {} for {} batch {}",
                        ack.stream, ack.seq, p.stream, p.seq
                    ),
                    true,
                ),
                Err(e) => (
                    format!("the central server's answer does not parse: {e}"),
                    false,
                ),
            },
            Err(f) => f,
        };
        let failure = (format!("{name} batch {}: {}", p.seq, failure.0), failure.1);
        return failed(db, failure, st).await;
    }
    Ok((Outcome::Idle, Some(st)))
}

/// Sends a batch body; the answer's text on 200, else why it failed and whether the
/// refusal parks the batch.
async fn post(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    (checksum, content_type): (&str, &str),
    body: &[u8],
    base: &str,
) -> Result<String, (String, bool)> {
    let answer = client
        .post(url)
        .bearer_auth(token)
        .header("Content-Type", content_type)
        .header("Content-Encoding", "zstd")
        .header("Plantlog-Checksum", checksum)
        .body(body.to_vec())
        .send()
        .await;
    match answer {
        Err(e) => Err((
            format!(
                "cannot reach the central server at {base}: {}",
                error_chain(&e)
            ),
            false,
        )),
        Ok(r) => {
            let status = r.status().as_u16();
            let text = r.text().await.unwrap_or_default();
            match status {
                200 => Ok(text),
                400 | 401 | 403 | 409 => {
                    let why = serde_json::from_str::<Refusal>(&text)
                        .map(|r| format!("{} ({})", r.message, r.code))
                        .unwrap_or(text);
                    Err((
                        format!("the central server refused the batch (HTTP {status}): {why}"),
                        true,
                    ))
                }
                _ => Err((
                    format!(
                        "the central server answered HTTP {status}: {}",
                        text.chars().take(300).collect::<String>()
                    ),
                    false,
                )),
            }
        }
    }
}

/// Records a failed attempt (or parks the batch) and reads the state again.
async fn failed(
    db: &Db,
    (failure, park): (String, bool),
    _st: outbox::State,
) -> Result<(Outcome, Option<outbox::State>), StoreError> {
    tracing::warn!("sync: {failure}");
    let now = now_ms();
    db.run(move |c| {
        if park {
            outbox::park(c, &failure, now)?;
        } else {
            outbox::failed(c, &failure, now)?;
        }
        Ok::<_, StoreError>(())
    })
    .await?;
    let st = db.run(|c| Ok::<_, StoreError>(outbox::state(c)?)).await?;
    Ok((Outcome::Failed, Some(st)))
}

/// Logs a clock beyond the limit (the alarm and the sync card say it too).
fn warn_clock(skew: i64) {
    if skew.abs() > clock::LIMIT_MS {
        tracing::warn!(
            "sync: this PC's clock is {} the central server's",
            clock::describe(skew)
        );
    }
}

async fn acknowledged(
    db: &Db,
    p: Pending,
    ack: Ack,
    sent: i64,
    now: i64,
) -> Result<(), StoreError> {
    let skew = clock::skew(ack.server_ms, sent, now);
    warn_clock(skew);
    if ack.replay {
        tracing::info!(
            "sync: batch {} had arrived before (its acknowledgement was lost)",
            p.seq
        );
    }
    db.run(move |c| {
        outbox::acknowledged(c, &p, now)?;
        clock::record(c, skew, now)?;
        Ok::<_, StoreError>(())
    })
    .await
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        cur = inner.source();
    }
    s
}
