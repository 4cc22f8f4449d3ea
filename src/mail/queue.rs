//! The durable mail queue (table `mail_queue`, migration 10): mails are queued in the
//! transaction that decided them, sent oldest first, one at a time, and marked sent
//! right after the server accepted each. The oldest unsent mail holds back the ones
//! after it while the server cannot be reached (so they arrive in order); a mail the
//! server refuses for good (a permanent 5xx answer) is marked failed and the queue
//! moves on.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// A mail to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMail {
    /// alarm, escalation, digest
    pub kind: &'static str,
    pub alarm_id: Option<i64>,
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
}

/// A queued mail as the admin sees it (and the sender sends it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QueuedMail {
    pub id: i64,
    pub message_id: String,
    pub created_at: i64,
    pub kind: String,
    pub alarm_id: Option<i64>,
    pub to: Vec<String>,
    pub subject: String,
    #[serde(skip)]
    pub body: String,
    pub attempts: u32,
    pub next_try_at: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<i64>,
    pub failed_at: Option<i64>,
    /// waiting, sent or failed
    pub state: &'static str,
}

/// How long after the `attempts`-th failed try the mail is tried again: 2 s, doubling,
/// at most a minute.
pub fn retry_after_ms(attempts: u32) -> i64 {
    let shift = attempts.saturating_sub(1).min(10);
    (2_000i64 << shift).min(60_000)
}

/// Queues a mail; its Message-ID is fixed here. Returns its id.
pub fn enqueue(conn: &Connection, m: &NewMail, now: i64, domain: &str) -> rusqlite::Result<i64> {
    let nonce: u64 = rand::random();
    conn.execute(
        "INSERT INTO mail_queue (message_id, created_at, kind, alarm_id, recipients, subject,
             body, next_try_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?2)",
        params![
            format!("<{now}.{nonce:016x}@{domain}>"),
            now,
            m.kind,
            m.alarm_id,
            m.to.join(","),
            m.subject,
            m.body,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

const COLUMNS: &str = "id, message_id, created_at, kind, alarm_id, recipients, subject, body,
    attempts, next_try_at, last_error, sent_at, failed_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<QueuedMail> {
    let to: String = r.get(5)?;
    let sent_at: Option<i64> = r.get(11)?;
    let failed_at: Option<i64> = r.get(12)?;
    Ok(QueuedMail {
        id: r.get(0)?,
        message_id: r.get(1)?,
        created_at: r.get(2)?,
        kind: r.get(3)?,
        alarm_id: r.get(4)?,
        to: to
            .split(',')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        subject: r.get(6)?,
        body: r.get(7)?,
        attempts: r.get(8)?,
        next_try_at: r.get(9)?,
        last_error: r.get(10)?,
        sent_at,
        failed_at,
        state: if sent_at.is_some() {
            "sent"
        } else if failed_at.is_some() {
            "failed"
        } else {
            "waiting"
        },
    })
}

/// The oldest unsent mail, if it is due at `now` (a mail not yet due holds back the
/// ones after it: they are sent in order).
pub fn next_due(conn: &Connection, now: i64) -> rusqlite::Result<Option<QueuedMail>> {
    let head = conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL
                 ORDER BY id LIMIT 1"
            ),
            [],
            row,
        )
        .optional()?;
    Ok(head.filter(|m| m.next_try_at <= now))
}

/// The server accepted mail `id`.
pub fn mark_sent(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE mail_queue SET sent_at = ?2, attempts = attempts + 1, last_error = NULL
         WHERE id = ?1 AND sent_at IS NULL",
        params![id, now],
    )?;
    Ok(())
}

/// A try of mail `id` failed: it waits (see [`retry_after_ms`]), or, refused for good,
/// is marked failed.
pub fn mark_failed_try(
    conn: &Connection,
    id: i64,
    now: i64,
    error: &str,
    permanent: bool,
) -> rusqlite::Result<()> {
    let attempts: u32 = conn.query_row(
        "SELECT attempts + 1 FROM mail_queue WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    conn.execute(
        "UPDATE mail_queue SET attempts = ?2, last_error = ?3, next_try_at = ?4,
             failed_at = CASE WHEN ?5 THEN ?6 ELSE NULL END
         WHERE id = ?1",
        params![
            id,
            attempts,
            error,
            now + retry_after_ms(attempts),
            permanent,
            now
        ],
    )?;
    Ok(())
}

/// Everything waiting is due now (the admin changed the server, or asked to retry).
pub fn retry_now(conn: &Connection, now: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE mail_queue SET next_try_at = ?1 WHERE sent_at IS NULL AND failed_at IS NULL",
        [now],
    )
}

/// Counts: waiting, failed (ever), sent since `since`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QueueCounts {
    pub waiting: u32,
    pub failed: u32,
    pub sent_recently: u32,
}

pub fn counts(conn: &Connection, since: i64) -> rusqlite::Result<QueueCounts> {
    conn.query_row(
        "SELECT
             COALESCE(SUM(sent_at IS NULL AND failed_at IS NULL), 0),
             COALESCE(SUM(failed_at IS NOT NULL), 0),
             COALESCE(SUM(sent_at >= ?1), 0)
         FROM mail_queue",
        [since],
        |r| {
            Ok(QueueCounts {
                waiting: r.get(0)?,
                failed: r.get(1)?,
                sent_recently: r.get(2)?,
            })
        },
    )
}

/// The queue as the admin sees it: every waiting mail (oldest first), then the newest
/// `recent` sent or failed ones.
pub fn list(conn: &Connection, recent: u32) -> rusqlite::Result<Vec<QueuedMail>> {
    let mut out: Vec<QueuedMail> = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL
             ORDER BY id"
        ))?
        .query_map([], row)?
        .collect::<rusqlite::Result<_>>()?;
    let done: Vec<QueuedMail> = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM mail_queue WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL
             ORDER BY id DESC LIMIT ?1"
        ))?
        .query_map([recent], row)?
        .collect::<rusqlite::Result<_>>()?;
    out.extend(done);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations().to_latest(&mut c).unwrap();
        c
    }

    fn mail(subject: &str) -> NewMail {
        NewMail {
            kind: "alarm",
            alarm_id: None,
            to: vec!["a@plant.example".into(), "b@plant.example".into()],
            subject: subject.into(),
            body: "body".into(),
        }
    }

    #[test]
    fn in_order_the_head_holds_back_the_rest_and_a_refusal_moves_on() {
        let c = db();
        let a = enqueue(&c, &mail("one"), 1_000, "plant.example").unwrap();
        let b = enqueue(&c, &mail("two"), 1_001, "plant.example").unwrap();
        let head = next_due(&c, 1_000).unwrap().unwrap();
        assert_eq!((head.id, head.to.len()), (a, 2));
        assert!(
            head.message_id.starts_with("<1000.") && head.message_id.ends_with("@plant.example>")
        );
        // the server is down: 2 s, then 4 s, then 8 s later; "two" waits behind it
        mark_failed_try(&c, a, 2_000, "connection refused", false).unwrap();
        assert_eq!(next_due(&c, 3_999).unwrap(), None);
        assert_eq!(next_due(&c, 4_000).unwrap().unwrap().id, a);
        mark_failed_try(&c, a, 4_000, "connection refused", false).unwrap();
        assert_eq!(next_due(&c, 7_999).unwrap(), None);
        let head = next_due(&c, 8_000).unwrap().unwrap();
        assert_eq!((head.id, head.attempts, head.state), (a, 2, "waiting"));
        assert_eq!(
            counts(&c, 0).unwrap(),
            QueueCounts {
                waiting: 2,
                failed: 0,
                sent_recently: 0
            }
        );
        mark_sent(&c, a, 8_100).unwrap();
        // sent once: marking it again changes nothing
        mark_sent(&c, a, 9_000).unwrap();
        let l = list(&c, 10).unwrap();
        assert_eq!(
            l.iter().map(|m| (m.id, m.state)).collect::<Vec<_>>(),
            [(b, "waiting"), (a, "sent")]
        );
        assert_eq!(l[1].sent_at, Some(8_100));
        assert_eq!(next_due(&c, 8_100).unwrap().unwrap().id, b);
        mark_failed_try(&c, b, 8_200, "550 no such user", true).unwrap();
        assert_eq!(next_due(&c, i64::MAX).unwrap(), None);
        assert_eq!(
            counts(&c, 8_000).unwrap(),
            QueueCounts {
                waiting: 0,
                failed: 1,
                sent_recently: 1
            }
        );
    }

    #[test]
    fn retries_double_up_to_a_minute() {
        let got: Vec<i64> = (1..=8).map(retry_after_ms).collect();
        assert_eq!(
            got,
            [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]
        );
        assert_eq!(retry_after_ms(u32::MAX), 60_000);
    }
}
