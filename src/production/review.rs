//! Counter reviews: an implausible counter step (see [`super::counter::check`]) counts
//! nothing until a supervisor reviews it: accepted, the step's parts count; corrected,
//! the count entered counts. Reviews are kept in `counter_reviews` (one per event) and
//! applied where figures are computed ([`super::compute`], and the live count of the
//! overview), so a report and the live tile agree. The audit is the caller's.

use std::borrow::Cow;

use rusqlite::{Connection, params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CounterReview {
    pub machine: String,
    /// The implausible step's sample time.
    pub ts: i64,
    /// The scrap counter's (true) or the part counter's.
    pub scrap: bool,
    #[cfg_attr(test, ts(type = r#""accepted" | "corrected""#))]
    pub decision: String,
    /// Parts that count for the step.
    pub parts: i64,
    /// The counter's readings before and at the step.
    pub previous: i64,
    pub value: i64,
    pub comment: String,
    pub entered_by: String,
    pub entered_ms: i64,
}

/// Machine `id`'s (`key`) reviews of events in [from, to), oldest first.
pub fn load(
    conn: &Connection,
    id: i64,
    key: &str,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<CounterReview>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ts, scrap, decision, parts, previous, value, comment, entered_by, entered_at
         FROM counter_reviews WHERE machine_id = ?1 AND ts >= ?2 AND ts < ?3 ORDER BY ts, scrap",
    )?;
    stmt.query_map(params![id, from, to], |r| {
        Ok(CounterReview {
            machine: key.to_string(),
            ts: r.get(0)?,
            scrap: r.get::<_, i64>(1)? != 0,
            decision: r.get(2)?,
            parts: r.get(3)?,
            previous: r.get(4)?,
            value: r.get(5)?,
            comment: r.get(6)?,
            entered_by: r.get(7)?,
            entered_ms: r.get(8)?,
        })
    })?
    .collect()
}

/// Stores a review of machine `id`'s event, replacing an earlier one.
pub fn put(conn: &Connection, id: i64, r: &CounterReview) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO counter_reviews
         (machine_id, ts, scrap, decision, parts, previous, value, comment, entered_by, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            id,
            r.ts,
            i64::from(r.scrap),
            r.decision,
            r.parts,
            r.previous,
            r.value,
            r.comment,
            r.entered_by,
            r.entered_ms
        ],
    )?;
    Ok(())
}

/// Counted steps (time, parts) with the reviewed events' parts added in time order;
/// borrowed as they are when no review adds any.
pub fn with_reviews<'a>(
    steps: &'a [(i64, i64)],
    reviews: &[CounterReview],
    scrap: bool,
) -> Cow<'a, [(i64, i64)]> {
    let extra: Vec<(i64, i64)> = reviews
        .iter()
        .filter(|r| r.scrap == scrap && r.parts > 0)
        .map(|r| (r.ts, r.parts))
        .collect();
    if extra.is_empty() {
        return Cow::Borrowed(steps);
    }
    let mut all = steps.to_vec();
    all.extend(extra);
    all.sort_by_key(|s| s.0);
    Cow::Owned(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(ts: i64, scrap: bool, parts: i64) -> CounterReview {
        CounterReview {
            machine: "m".into(),
            ts,
            scrap,
            decision: "corrected".into(),
            parts,
            previous: 1,
            value: 2,
            comment: String::new(),
            entered_by: "sup".into(),
            entered_ms: 9,
        }
    }

    #[test]
    fn reviewed_parts_join_the_steps_in_time_order() {
        let steps = [(1000, 3), (5000, 2)];
        assert!(matches!(with_reviews(&steps, &[], false), Cow::Borrowed(_)));
        let r = [
            review(3000, false, 40),
            review(4000, true, 7),
            review(4500, false, 0),
        ];
        assert_eq!(
            &*with_reviews(&steps, &r, false),
            [(1000, 3), (3000, 40), (5000, 2)]
        );
        assert_eq!(&*with_reviews(&[], &r, true), [(4000, 7)]);
    }

    #[test]
    fn a_review_is_stored_and_replaced() {
        let conn = crate::store::memory();
        conn.execute(
            "INSERT INTO machines (id, key, name) VALUES (1, 'm', 'M')",
            [],
        )
        .unwrap();
        put(&conn, 1, &review(3000, false, 40)).unwrap();
        let mut again = review(3000, false, 12);
        again.decision = "accepted".into();
        put(&conn, 1, &again).unwrap();
        put(&conn, 1, &review(3000, true, 1)).unwrap();
        let got = load(&conn, 1, "m", 0, 10_000).unwrap();
        assert_eq!(got, [again, review(3000, true, 1)]);
        assert!(load(&conn, 1, "m", 3001, 10_000).unwrap().is_empty());
    }
}
