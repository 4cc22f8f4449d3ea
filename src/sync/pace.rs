//! Pacing and progress (issue 14). The admin may set a bandwidth limit (bytes per
//! second, 0 for none): after each batch the sync task waits until the batch's bytes
//! over the time since it started fit the limit, so a backlog drains at most that fast
//! and the plant's own network use stays predictable. A batch itself goes at the link's
//! speed; batches are at most a few hundred kilobytes for raw samples.
//!
//! The rate actually reached (bytes per second, over the recent batches, pauses
//! included) gives the catch-up estimate: what waits, in bytes, over the rate less what
//! the plant adds meanwhile.

use rusqlite::{Connection, params};

/// The weight of the past in the measured rate: each batch counts a fifth of the
/// recent ones.
const DECAY: f64 = 0.8;

/// How long to wait after a batch of `bytes` sent in `took_ms` so that the limit holds
/// (0 without a limit).
pub fn pause_ms(bytes: i64, took_ms: i64, limit_bps: i64) -> i64 {
    if limit_bps <= 0 {
        return 0;
    }
    (bytes.saturating_mul(1000) / limit_bps - took_ms).max(0)
}

/// Sets the limit (bytes per second; 0: none).
pub fn set_limit(conn: &Connection, limit_bps: i64) -> Result<(), String> {
    if !(0..=10_000_000_000).contains(&limit_bps) {
        return Err(format!(
            "the bandwidth limit {limit_bps} is not 0 (no limit) to 10 GB/s in bytes per second"
        ));
    }
    if (1..1024).contains(&limit_bps) {
        return Err(format!(
            "a bandwidth limit of {limit_bps} bytes/s is too small to send a batch in reasonable time: give at least 1024 (1 kB/s), or 0 for no limit"
        ));
    }
    conn.execute(
        "UPDATE sync_state SET bandwidth_bps = ?1 WHERE id = 1",
        [limit_bps],
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}

pub fn limit(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT bandwidth_bps FROM sync_state WHERE id = 1",
        [],
        |r| r.get(0),
    )
}

/// Counts a batch of `bytes` whose cycle (making, sending, the acknowledgement and the
/// pause after it) took `ms`.
pub fn record(conn: &Connection, bytes: i64, ms: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sync_state SET rate_bytes = rate_bytes * ?3 + ?1, rate_ms = rate_ms * ?3 + ?2
         WHERE id = 1",
        params![bytes as f64, ms.max(1) as f64, DECAY],
    )?;
    Ok(())
}

/// The rate reached over the recent batches, bytes per second; None before the first.
pub fn rate(conn: &Connection) -> rusqlite::Result<Option<f64>> {
    let (bytes, ms): (f64, f64) = conn.query_row(
        "SELECT rate_bytes, rate_ms FROM sync_state WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((bytes > 0.0 && ms > 0.0).then(|| bytes * 1000.0 / ms))
}

/// Forgets the measured rate (another central server).
pub fn forget(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sync_state SET rate_bytes = 0, rate_ms = 0 WHERE id = 1",
        [],
    )?;
    Ok(())
}

/// What waits in one class: its size on the wire (estimated) and how far back it
/// reaches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Waiting {
    pub bytes: f64,
    /// The time (UTC ms) of the oldest item waiting.
    pub oldest_ts: i64,
}

/// The catch-up estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CatchUp {
    /// Nothing waits beyond what the next batch takes.
    UpToDate,
    /// Not known yet: no batch was measured, or the size of what waits is not known.
    Unknown,
    /// About this long (ms) at the rate reached.
    In(i64),
    /// The rate reached is below what the plant adds: it falls further behind.
    Never,
}

/// The time to send what waits at `rate` bytes/s while the plant adds to it: each class
/// grows by its waiting bytes over its age (the plant's own rate of that class).
pub fn estimate(waiting: &[Waiting], rate: Option<f64>, now: i64) -> CatchUp {
    let backlog: f64 = waiting.iter().map(|w| w.bytes).sum();
    if waiting.is_empty() {
        return CatchUp::UpToDate;
    }
    let Some(rate) = rate.filter(|r| *r > 0.0) else {
        return CatchUp::Unknown;
    };
    if backlog <= 0.0 {
        return CatchUp::Unknown;
    }
    let grows: f64 = waiting
        .iter()
        .map(|w| w.bytes * 1000.0 / (now - w.oldest_ts).max(1000) as f64)
        .sum();
    if rate <= grows * 1.02 {
        return CatchUp::Never;
    }
    CatchUp::In((backlog / (rate - grows) * 1000.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    #[test]
    fn the_pause_makes_the_batches_fit_the_limit() {
        assert_eq!(pause_ms(100_000, 300, 0), 0);
        assert_eq!(pause_ms(100_000, 300, 50_000), 1_700);
        assert_eq!(pause_ms(100_000, 2_500, 50_000), 0);
    }

    #[test]
    fn the_estimate_counts_what_the_plant_adds_meanwhile() {
        let now = 100 * H;
        assert_eq!(estimate(&[], Some(1000.0), now), CatchUp::UpToDate);
        // 4 days of 86.4 MB (250 bytes/s of new data) at 10 kB/s: 86.4e6 / 9750 s.
        let w = [Waiting {
            bytes: 86_400_000.0,
            oldest_ts: now - 96 * H,
        }];
        assert_eq!(estimate(&w, None, now), CatchUp::Unknown);
        let CatchUp::In(ms) = estimate(&w, Some(10_000.0), now) else {
            panic!("an estimate");
        };
        assert_eq!(ms, (86_400_000.0 / 9_750.0 * 1000.0_f64).round() as i64);
        // Two classes add up; a rate below what the plant adds never catches up.
        let two = [
            w[0],
            Waiting {
                bytes: 3_600_000.0,
                oldest_ts: now - H,
            },
        ];
        assert_eq!(estimate(&two, Some(1_200.0), now), CatchUp::Never);
        assert!(matches!(estimate(&two, Some(2_000.0), now), CatchUp::In(_)));
    }

    #[test]
    fn the_limit_and_the_rate_are_kept() {
        let conn = crate::store::memory();
        assert_eq!(limit(&conn).unwrap(), 0);
        assert!(set_limit(&conn, 100).unwrap_err().contains("at least 1024"));
        assert!(set_limit(&conn, -1).is_err());
        set_limit(&conn, 50_000).unwrap();
        assert_eq!(limit(&conn).unwrap(), 50_000);
        assert_eq!(rate(&conn).unwrap(), None);
        record(&conn, 100_000, 2_000).unwrap();
        assert_eq!(rate(&conn).unwrap(), Some(50_000.0));
        record(&conn, 100_000, 1_000).unwrap();
        // (0.8 * 100000 + 100000) / (0.8 * 2000 + 1000) * 1000
        let r = rate(&conn).unwrap().unwrap();
        assert!((r - 180_000.0 / 2.6).abs() < 1e-6, "{r}");
        forget(&conn).unwrap();
        assert_eq!(rate(&conn).unwrap(), None);
    }
}
