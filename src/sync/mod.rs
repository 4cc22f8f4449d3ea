//! Sync to a central server (issue 14): off by default. When on, the samples leave the
//! plant in batches with a monotone sequence number, oldest first; a batch is kept as
//! sent until the central server acknowledges it, so a lost acknowledgement means the
//! same batch again (the central server applies it once), and a link that is down
//! means retries with backoff while the plant goes on collecting.
//!
//! `outbox` makes batches from the store and keeps the position; `client` sends them;
//! `token` keeps the secret out of SQLite. This room reads the store and the sample
//! types; nothing in it imports `core`, `api` or `app`.

pub mod again;
pub mod client;
pub mod clock;
pub mod lost;
pub mod outbox;
pub mod pace;
pub mod pin;
pub mod presence;
pub mod streams;
pub mod token;
pub mod wire;

#[cfg(test)]
mod tests_again;
#[cfg(test)]
mod tests_client;
#[cfg(test)]
mod tests_completeness;
#[cfg(test)]
mod tests_outbox;

use std::path::Path;

use rusqlite::{Connection, params};
use serde::Serialize;

pub use client::run;
pub use outbox::State;

/// How the link stands, for the admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum SyncState {
    /// Sync is not set up, or switched off.
    Off,
    /// The central server answers and the plant is caught up.
    Connected,
    /// The central server answers, but there is more to send than one batch.
    Behind,
    /// The last attempt failed; the error says why. Batches wait and are retried.
    Offline,
    /// The central server refused a batch; it waits for the admin, with the reason.
    Parked,
}

/// The sync status page's facts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SyncStatus {
    pub state: SyncState,
    pub enabled: bool,
    pub url: String,
    pub site: String,
    /// The pinned certificate fingerprint, or empty.
    pub pin_sha256: String,
    /// Whether a token is stored (the token itself is never shown).
    pub token_stored: bool,
    /// Where it is kept, in words ("in the OS keyring", or the fallback file and why);
    /// empty when none is stored.
    pub token_kept: String,
    /// Every sample older than this (UTC ms) is acknowledged by the central server.
    pub acked_to_ts: i64,
    /// The newest batch acknowledged, when, and its size.
    pub last_seq: i64,
    pub last_ack_ts: Option<i64>,
    pub last_samples: i64,
    pub last_bytes: i64,
    pub last_attempt_ts: Option<i64>,
    /// Why the last attempt failed; empty when it went through.
    pub error: String,
    /// Attempts failed in a row.
    pub failures: i64,
    /// Samples stored and not yet acknowledged.
    pub backlog_samples: i64,
    /// Their size on the wire, estimated from the last batch's bytes per sample (the
    /// batch waiting counts with its real size).
    pub backlog_bytes: i64,
    /// A batch made and waiting for its acknowledgement.
    pub pending_seq: Option<i64>,
    /// The data classes the admin lets leave the plant (raw, rollups, production, audit,
    /// config).
    pub classes: Vec<String>,
    /// Each stream beyond raw samples: its position and what it sent.
    pub streams: Vec<StreamStatus>,
    /// The time (UTC ms) of the oldest raw sample not yet acknowledged (None when raw
    /// samples are not chosen or none is waiting).
    pub oldest_waiting_ts: Option<i64>,
    /// The class whose batch the central server refused ("raw", "rollups", ...), when
    /// the state is parked; the reason is `error`.
    pub parked_class: String,
    /// The central server's clock minus this PC's (ms) at the last acknowledged
    /// exchange, and when it was measured; None before the first (or with sync off).
    pub clock_skew_ms: Option<i64>,
    pub clock_checked_ts: Option<i64>,
    /// Beyond a minute: since when (the system alarm "clock differs" holds meanwhile).
    pub clock_off_since: Option<i64>,
    /// The bandwidth limit, bytes per second (0: none).
    pub bandwidth_bps: i64,
    /// The rate reached over the recent batches, bytes per second (pauses for the
    /// limit included); None before the first batch.
    pub rate_bps: Option<i64>,
    /// What waits in all the chosen classes, estimated bytes on the wire (a class not
    /// measured yet counts with a typical size).
    pub waiting_bytes: i64,
    /// About how long until the central server has caught up at the rate reached,
    /// counting what the plant adds meanwhile (ms); None when up to date, not known yet,
    /// or never (`falls_behind`).
    pub catch_up_ms: Option<i64>,
    /// The rate reached is below what the plant adds: the backlog grows.
    pub falls_behind: bool,
    /// What retention removed before it was sent, per class and tag (never skipped in
    /// silence).
    pub lost: Vec<lost::LostStatus>,
}

/// One stream's position and progress.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StreamStatus {
    pub stream: String,
    /// Whether the admin chose it.
    pub chosen: bool,
    /// The high-water mark: rollups the start of the first hour not yet acknowledged,
    /// production a change time (UTC ms), audit and config the next row id.
    pub position: i64,
    pub last_seq: i64,
    pub last_ack_ts: Option<i64>,
    pub rows_sent: i64,
    pub bytes_sent: i64,
    pub pending_seq: Option<i64>,
    /// What could leave now and is not yet acknowledged (rollups: tag-hours; production
    /// and audit: entries; config: versions); 0 when the stream is not chosen.
    pub waiting: i64,
    /// The time (UTC ms) of the oldest of them.
    pub oldest_waiting_ts: Option<i64>,
}

/// How to reach the central server.
#[derive(Debug, Clone)]
pub struct Connect {
    pub url: String,
    pub site: String,
    /// The central server's certificate fingerprint (SHA-256, hex, colons allowed) to
    /// pin; empty: the system's usual certificate checks.
    pub pin_sha256: String,
    pub interval_ms: i64,
    pub max_backoff_ms: i64,
    /// The data classes to send ("rollups,production"); None keeps the choice stored.
    pub classes: Option<String>,
}

/// Switches sync on towards `c` and stores the token (outside SQLite). A parked batch is
/// released (the admin changed something). The position is kept while the site stays the
/// same (a new address or token of the same central server); another site starts from
/// the beginning. Returns where the token is kept.
pub fn connect(
    conn: &Connection,
    data_dir: &Path,
    c: &Connect,
    token: &str,
) -> Result<token::Kept, String> {
    let url = c.url.trim().trim_end_matches('/');
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!(
            "the central server's address {url:?} must start with http:// or https://"
        ));
    }
    if c.site.is_empty()
        || !c
            .site
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
    {
        return Err(format!(
            "site {:?}: the name the central server knows this plant by (letters, digits, '-', '_')",
            c.site
        ));
    }
    if !(100..=3_600_000).contains(&c.interval_ms)
        || !(c.interval_ms..=86_400_000).contains(&c.max_backoff_ms)
    {
        return Err(
            "the interval is 100 ms to an hour, the longest backoff from the interval to a day"
                .into(),
        );
    }
    let pin: String = c
        .pin_sha256
        .chars()
        .filter(|ch| *ch != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    if !pin.is_empty() && (pin.len() != 64 || !pin.chars().all(|ch| ch.is_ascii_hexdigit())) {
        return Err(format!(
            "the pinned fingerprint {:?} is not a SHA-256 (64 hex digits, colons allowed)",
            c.pin_sha256
        ));
    }
    if !pin.is_empty() && !url.starts_with("https://") {
        return Err("a pinned certificate needs an https:// address".into());
    }
    let classes = c
        .classes
        .as_deref()
        .map(streams::parse_classes)
        .transpose()?;
    let kept =
        token::store(data_dir, token).map_err(|e| format!("cannot store the sync token: {e}"))?;
    let before = outbox::state(conn).map_err(|e| e.to_string())?;
    if before.site != c.site {
        // Another site: its history starts here. A batch made for the site before goes
        // nowhere, and the numbering and position start again.
        conn.execute_batch(
            "DELETE FROM sync_outbox;
             UPDATE sync_state SET acked_to_ts = 0, next_seq = 1, last_seq = 0, last_ack_ts = NULL,
                 last_samples = 0, last_bytes = 0, last_error = '' WHERE id = 1;",
        )
        .map_err(|e| e.to_string())?;
        streams::reset(conn).map_err(|e| e.to_string())?;
        conn.execute_batch(
            "DELETE FROM sync_removed; DELETE FROM sync_lost; DELETE FROM sync_again_raw;
             DELETE FROM sync_rewrite_removed; UPDATE sync_state SET raw_making_to = 0 WHERE id = 1;",
        )
            .map_err(|e| e.to_string())?;
    }
    if before.site != c.site || before.url != url {
        // Another central server: its clock and rate are not measured yet.
        clock::forget(conn).map_err(|e| e.to_string())?;
        pace::forget(conn).map_err(|e| e.to_string())?;
    }
    if let Some(classes) = classes {
        conn.execute("UPDATE sync_state SET classes = ?1 WHERE id = 1", [classes])
            .map_err(|e| e.to_string())?;
    }
    conn.execute(
        "UPDATE sync_state SET enabled = 1, url = ?1, site = ?2, interval_ms = ?3,
             max_backoff_ms = ?4, pin_sha256 = ?5, parked = '', failures = 0 WHERE id = 1",
        params![url, c.site, c.interval_ms, c.max_backoff_ms, pin],
    )
    .map_err(|e| e.to_string())?;
    Ok(kept)
}

/// Switches sync off (the position and any batch waiting are kept for when it is on
/// again; the token is removed).
pub fn disconnect(conn: &Connection, data_dir: &Path) -> Result<(), String> {
    conn.execute("UPDATE sync_state SET enabled = 0 WHERE id = 1", [])
        .map_err(|e| e.to_string())?;
    // Nothing is exchanged any more: the clock's alarm does not hold.
    clock::forget(conn).map_err(|e| e.to_string())?;
    token::remove(data_dir).map_err(|e| format!("cannot remove the sync token: {e}"))
}

/// The status, read now.
pub fn status(conn: &Connection, data_dir: &Path, now: i64) -> rusqlite::Result<SyncStatus> {
    let st = outbox::state(conn)?;
    let pending = outbox::pending(conn)?;
    let classes = streams::classes(conn)?;
    let raw = classes.iter().any(|c| c == "raw");
    let backlog_samples = if raw {
        outbox::backlog_samples(conn, st.acked_to_ts)?
    } else {
        0
    };
    let late_ms = outbox::SETTLE_MS + 2 * st.interval_ms + 5_000;
    // What waits per class, in bytes, for the catch-up estimate.
    let mut waiting_classes: Vec<pace::Waiting> = Vec::new();
    let mut stream_status = Vec::new();
    let mut stream_waiting = false;
    for name in streams::STREAMS {
        let s = streams::stream_state(conn, name)?;
        let p = streams::pending(conn, name)?;
        stream_waiting |= p.is_some();
        let chosen = classes.iter().any(|c| c == name);
        let (waiting, oldest_waiting_ts) = if chosen && st.enabled {
            streams::waiting(conn, name, s.position, now)?
        } else {
            (0, None)
        };
        // More than the next step will take: ready rows older than a few intervals.
        stream_waiting |= oldest_waiting_ts.is_some_and(|t| t < now - late_ms);
        if let Some(oldest_ts) = oldest_waiting_ts.filter(|_| waiting > 0) {
            waiting_classes.push(pace::Waiting {
                bytes: waiting as f64 * stream_item_bytes(name, &s, p.as_ref()),
                oldest_ts,
            });
        }
        stream_status.push(StreamStatus {
            stream: name.to_string(),
            chosen,
            waiting,
            oldest_waiting_ts,
            position: s.position,
            last_seq: s.last_seq,
            last_ack_ts: s.last_ack_ts,
            rows_sent: s.rows_sent,
            bytes_sent: s.bytes_sent,
            pending_seq: p.map(|p| p.seq),
        });
    }
    // Bytes per sample on the wire: of the last batch acknowledged, else of the one
    // waiting.
    let per_sample = match &pending {
        _ if st.last_samples > 0 => st.last_bytes as f64 / st.last_samples as f64,
        Some(p) if p.samples > 0 => p.body.len() as f64 / p.samples as f64,
        _ => 0.0,
    };
    let backlog_bytes = match &pending {
        Some(p) => {
            p.body.len() as i64
                + ((backlog_samples - p.samples).max(0) as f64 * per_sample).round() as i64
        }
        None => (backlog_samples as f64 * per_sample).round() as i64,
    };
    let oldest_waiting_ts = if raw && st.enabled && backlog_samples > 0 {
        outbox::next_sample_ts(conn, st.acked_to_ts)?
    } else {
        None
    };
    if let Some(oldest_ts) = oldest_waiting_ts {
        waiting_classes.push(pace::Waiting {
            bytes: if backlog_bytes > 0 {
                backlog_bytes as f64
            } else {
                backlog_samples as f64 * TYPICAL_SAMPLE_BYTES
            },
            oldest_ts,
        });
    }
    // The client names the batch it was sending at the front of the reason.
    let parked_class = ["raw"]
        .iter()
        .chain(streams::STREAMS)
        .find(|c| !st.parked.is_empty() && st.parked.starts_with(&format!("{c} batch ")))
        .map_or_else(String::new, |c| c.to_string());
    let state = if !st.enabled {
        SyncState::Off
    } else if !st.parked.is_empty() {
        SyncState::Parked
    } else if !st.last_error.is_empty() {
        SyncState::Offline
    } else if stream_waiting
        || (raw
            && (pending.is_some()
                || outbox::next_sample_ts(conn, st.acked_to_ts)?
                    .is_some_and(|t| t < now - late_ms)))
    {
        SyncState::Behind
    } else {
        SyncState::Connected
    };
    let clock = if st.enabled { clock::read(conn)? } else { None };
    let token = token::find(data_dir);
    let rate = pace::rate(conn)?;
    let catch_up = if state == SyncState::Connected || !st.enabled {
        pace::CatchUp::UpToDate
    } else {
        pace::estimate(&waiting_classes, rate, now)
    };
    Ok(SyncStatus {
        lost: lost::totals(conn)?,
        bandwidth_bps: st.bandwidth_bps,
        rate_bps: rate.map(|r| r.round() as i64),
        waiting_bytes: waiting_classes.iter().map(|w| w.bytes).sum::<f64>().round() as i64,
        catch_up_ms: match catch_up {
            pace::CatchUp::In(ms) => Some(ms),
            _ => None,
        },
        falls_behind: catch_up == pace::CatchUp::Never,
        clock_skew_ms: clock.map(|c| c.skew_ms),
        clock_checked_ts: clock.map(|c| c.checked_ts),
        clock_off_since: clock.and_then(|c| c.off_since),
        state,
        enabled: st.enabled,
        url: st.url,
        site: st.site,
        pin_sha256: st.pin_sha256,
        token_stored: token.is_some(),
        token_kept: token.map_or_else(String::new, |(_, k)| k.describe()),
        acked_to_ts: st.acked_to_ts,
        last_seq: st.last_seq,
        last_ack_ts: st.last_ack_ts,
        last_samples: st.last_samples,
        last_bytes: st.last_bytes,
        last_attempt_ts: st.last_attempt_ts,
        error: st.last_error,
        failures: st.failures,
        backlog_samples,
        backlog_bytes,
        pending_seq: pending.map(|p| p.seq),
        classes,
        streams: stream_status,
        oldest_waiting_ts,
        parked_class,
    })
}

/// A raw sample's size on the wire before one was measured (blocks: 1 to 2 bytes).
const TYPICAL_SAMPLE_BYTES: f64 = 2.0;

/// The size on the wire of one waiting item of a stream: as measured over what it sent,
/// else of the batch on its way, else typical (a tag-hour of rollups is 61 rows of about
/// 11 bytes; an entry or version a few hundred bytes).
fn stream_item_bytes(
    stream: &str,
    s: &streams::StreamState,
    pending: Option<&streams::StreamPending>,
) -> f64 {
    if s.items_sent > 0 {
        return s.bytes_sent as f64 / s.items_sent as f64;
    }
    if let Some(p) = pending.filter(|p| p.items > 0) {
        return p.body.len() as f64 / p.items as f64;
    }
    match stream {
        "rollups" => 700.0,
        "config" => 2_000.0,
        _ => 200.0,
    }
}
