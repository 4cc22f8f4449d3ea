//! Clock sanity (issue 14): every acknowledgement carries the central server's clock;
//! the plant compares it with its own at the middle of the request's round trip and
//! keeps the difference. Beyond a minute the plant's clock is called off (a system
//! alarm, see `health::clock_alarm`, and a line on the sync card) until an exchange
//! finds it back within the minute. Sync never rewrites or reorders a sample for it:
//! samples keep the time the plant gave them.

use rusqlite::{Connection, params};

/// The largest difference between the two clocks that is fine.
pub const LIMIT_MS: i64 = 60_000;

/// The last measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// The central server's clock minus this PC's (ms).
    pub skew_ms: i64,
    /// When it was measured (this PC's clock).
    pub checked_ts: i64,
    /// Since when the difference is beyond [`LIMIT_MS`] (None while within).
    pub off_since: Option<i64>,
}

/// The difference measured for a request sent at `sent` and answered at `answered`
/// (this PC's clock) whose answer says the central server's clock read `server_ms`.
pub fn skew(server_ms: i64, sent: i64, answered: i64) -> i64 {
    server_ms - (sent + (answered - sent) / 2)
}

/// Keeps a measurement.
pub fn record(conn: &Connection, skew_ms: i64, at: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sync_state SET clock_skew_ms = ?1, clock_checked_ts = ?2,
             clock_off_since = CASE WHEN abs(?1) > ?3 THEN coalesce(clock_off_since, ?2) END
         WHERE id = 1",
        params![skew_ms, at, LIMIT_MS],
    )?;
    Ok(())
}

/// Forgets the measurement (another central server, or sync switched off).
pub fn forget(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sync_state SET clock_skew_ms = NULL, clock_checked_ts = NULL,
             clock_off_since = NULL WHERE id = 1",
        [],
    )?;
    Ok(())
}

/// The last measurement, if there is one.
pub fn read(conn: &Connection) -> rusqlite::Result<Option<Clock>> {
    conn.query_row(
        "SELECT clock_skew_ms, clock_checked_ts, clock_off_since FROM sync_state WHERE id = 1",
        [],
        |r| {
            Ok(match (r.get::<_, Option<i64>>(0)?, r.get(1)?) {
                (Some(skew_ms), Some(checked_ts)) => Some(Clock {
                    skew_ms,
                    checked_ts,
                    off_since: r.get(2)?,
                }),
                _ => None,
            })
        },
    )
}

/// The difference in words: "2 min 5 s behind", "40 s ahead of".
pub fn describe(skew_ms: i64) -> String {
    let s = skew_ms.unsigned_abs().div_ceil(1000);
    let amount = match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        3600..86_400 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        _ => format!("{} days {} h", s / 86_400, s % 86_400 / 3600),
    };
    // The central server's clock is later: this PC's is behind it.
    if skew_ms > 0 {
        format!("{amount} behind")
    } else {
        format!("{amount} ahead of")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_skew_is_taken_at_the_middle_of_the_round_trip_and_put_in_words() {
        assert_eq!(skew(10_500, 10_000, 11_000), 0);
        assert_eq!(skew(100_000, 10_000, 11_000), 89_500);
        assert_eq!(describe(89_500), "1 min 30 s behind");
        assert_eq!(describe(-61_000), "1 min 1 s ahead of");
        assert_eq!(describe(-3_000), "3 s ahead of");
        assert_eq!(describe(2 * 3_600_000 + 60_000), "2 h 1 min behind");
    }

    #[test]
    fn off_since_holds_from_the_first_exchange_beyond_the_limit_until_one_within_it() {
        let conn = crate::store::memory();
        assert_eq!(read(&conn).unwrap(), None);
        record(&conn, 5_000, 100).unwrap();
        assert_eq!(read(&conn).unwrap().unwrap().off_since, None);
        record(&conn, -90_000, 200).unwrap();
        record(&conn, -95_000, 300).unwrap();
        let c = read(&conn).unwrap().unwrap();
        assert_eq!(
            (c.skew_ms, c.checked_ts, c.off_since),
            (-95_000, 300, Some(200))
        );
        record(&conn, LIMIT_MS, 400).unwrap();
        assert_eq!(read(&conn).unwrap().unwrap().off_since, None);
        forget(&conn).unwrap();
        assert_eq!(read(&conn).unwrap(), None);
    }
}
