//! The outbox on an in-memory database: a batch holds exactly the samples of its range
//! from hot rows and blocks alike, is kept as made until acknowledged, moves the
//! position on the acknowledgement, is halved when too large, and the backlog counts
//! what is left.

use rusqlite::Connection;

use super::outbox::{self, MAX_SAMPLES, SETTLE_MS};
use super::wire::{BLOCKS_MAGIC, Batch, BlocksHeader};
use crate::sample::{Quality, Sample};
use crate::store::{self, backfill, raw};

const HOUR: i64 = 3_600_000;
/// One sample as sent: tag, time, value, text, quality.
type Sent = (i64, i64, Option<f64>, Option<String>, i64);
const T0: i64 = 1_800_000_000_000;

fn plant() -> Connection {
    let conn = store::memory();
    conn.execute_batch(
        "INSERT INTO devices (id, key, name, protocol, endpoint) VALUES (1, 'meter', 'Meter', 'modbus-tcp', 'x');
         INSERT INTO tags (id, device_id, name, label, unit, poll_ms) VALUES (10, 1, 'power', 'Power', 'kW', 1000);
         INSERT INTO tags (id, device_id, name, label, unit, poll_ms) VALUES (11, 1, 'code', 'Code', '', 1000);",
    )
    .unwrap();
    conn
}

/// A batch's body (the blocks format) back in columns, as the central server reads it.
fn decode(p: &outbox::Pending) -> Batch {
    let body = &p.body;
    assert_eq!(&body[..4], BLOCKS_MAGIC);
    let hlen = u32::from_le_bytes(body[4..8].try_into().unwrap()) as usize;
    let h: BlocksHeader =
        serde_json::from_slice(&zstd::bulk::decompress(&body[8..8 + hlen], 1 << 28).unwrap())
            .unwrap();
    let mut data = &body[8 + hlen..];
    let mut per_tag = Vec::new();
    for (info, b) in h.tags.into_iter().zip(&h.blocks) {
        assert_eq!(info.id, b.tag);
        let (block, rest) = data.split_at(b.len as usize);
        data = rest;
        let samples = crate::store::codec::decode(b.tag, block).unwrap();
        assert_eq!(samples.len() as i64, b.n);
        per_tag.push((info, samples));
    }
    assert!(data.is_empty());
    let mut batch = outbox::columns(h.from_ts, h.to_ts, per_tag);
    batch.site = h.site;
    batch.seq = h.seq;
    batch
}

#[test]
fn a_raw_sample_costs_under_two_bytes_on_the_wire() {
    let mut conn = plant();
    // An hour of a power meter read every second: a slow wave with noise at 0.1 kW.
    let samples: Vec<Sample> = (0..3600)
        .map(|i| {
            let tenths =
                (5000.0 + 800.0 * (i as f64 / 600.0).sin() + ((i * 7919) % 13) as f64).round();
            Sample::good(10, T0 + i * 1000, tenths / 10.0)
        })
        .collect();
    raw::insert(&conn, &samples).unwrap();
    let p = outbox::make_next(&mut conn, "plant-a", T0 + 2 * HOUR)
        .unwrap()
        .unwrap();
    let per_sample = p.body.len() as f64 / p.samples as f64;
    assert!(per_sample < 2.0, "{per_sample} bytes a sample");
    assert_eq!(decode(&p).ts.len(), p.samples as usize);
}

#[test]
fn a_batch_holds_its_range_from_rows_and_blocks_and_waits_for_its_ack() {
    let mut conn = plant();
    // An hour of history in blocks (one sample a minute), then hot rows with a text
    // value and a failed read.
    let old: Vec<Sample> = (0..60)
        .map(|i| Sample::good(10, T0 + i * 60_000, i as f64))
        .collect();
    backfill::backfill(&mut conn, old).unwrap();
    let hot = vec![
        Sample::good(10, T0 + HOUR + 1000, 1.5),
        Sample::good_text(11, T0 + HOUR + 2000, "A7"),
        Sample::bad(10, T0 + HOUR + 3000, Quality::NoAnswer),
    ];
    raw::insert(&conn, &hot).unwrap();
    let now = T0 + HOUR + 3000 + SETTLE_MS + 1;

    // Sync starts at 0: the first batch runs from 0 to the first sample plus a window,
    // grown fourfold as ten minutes hold few samples: the first 40 minutes of history.
    let p = outbox::make_next(&mut conn, "plant-a", now)
        .unwrap()
        .unwrap();
    assert_eq!((p.seq, p.from_ts), (1, 0));
    let b = decode(&p);
    assert_eq!(b.site, "plant-a");
    assert_eq!(b.ts, (0..40).map(|i| T0 + i * 60_000).collect::<Vec<_>>());
    assert_eq!(b.tags.len(), 1);
    assert_eq!(
        (b.tags[0].device.as_str(), b.tags[0].name.as_str()),
        ("meter", "power")
    );
    // Made again before the acknowledgement: the same batch, byte for byte.
    let again = outbox::make_next(&mut conn, "plant-a", now + 5000)
        .unwrap()
        .unwrap();
    assert_eq!(again, p);
    assert_eq!(outbox::state(&conn).unwrap().next_seq, 2);

    outbox::acknowledged(&mut conn, &p, now).unwrap();
    let st = outbox::state(&conn).unwrap();
    assert_eq!(
        (st.acked_to_ts, st.last_seq, st.last_samples),
        (p.to_ts, 1, 40)
    );
    assert!(outbox::pending(&conn).unwrap().is_none());
    assert_eq!(
        outbox::backlog_samples(&conn, st.acked_to_ts).unwrap(),
        20 + 3
    );

    // The rest, batch after batch, until nothing old enough is left.
    let mut all: Vec<Sent> = Vec::new();
    let mut seq = 1;
    while let Some(p) = outbox::make_next(&mut conn, "plant-a", now).unwrap() {
        seq += 1;
        assert_eq!(p.seq, seq);
        let b = decode(&p);
        for i in 0..b.ts.len() {
            all.push((
                b.tag[i],
                b.ts[i],
                b.value[i],
                b.text[i].clone(),
                b.quality[i],
            ));
        }
        outbox::acknowledged(&mut conn, &p, now).unwrap();
    }
    assert_eq!(all.len(), 23);
    assert_eq!(
        all[20..].to_vec(),
        // Within a batch, by tag, then by time.
        vec![
            (10, T0 + HOUR + 1000, Some(1.5), None, 0),
            (10, T0 + HOUR + 3000, None, None, 1),
            (11, T0 + HOUR + 2000, None, Some("A7".to_string()), 0),
        ]
    );
    let st = outbox::state(&conn).unwrap();
    assert_eq!(st.acked_to_ts, now - SETTLE_MS);
    assert_eq!(outbox::backlog_samples(&conn, st.acked_to_ts).unwrap(), 0);
}

#[test]
fn a_window_with_too_many_samples_is_halved() {
    let mut conn = plant();
    let n = MAX_SAMPLES as i64 + 10_000;
    // Two tags, a sample every 10 ms each: 60,000 samples in five minutes.
    let samples: Vec<Sample> = (0..n)
        .map(|i| Sample::good(10 + (i % 2), T0 + (i / 2) * 10, i as f64))
        .collect();
    raw::insert(&conn, &samples).unwrap();
    let now = T0 + HOUR;
    let p = outbox::make_next(&mut conn, "plant-a", now)
        .unwrap()
        .unwrap();
    assert!(p.samples as usize <= MAX_SAMPLES, "{}", p.samples);
    assert!(p.samples > 0);
    let b = decode(&p);
    assert!(b.ts.iter().all(|&t| t < p.to_ts));
    // Everything before the batch's end is in it.
    let before: usize = samples.iter().filter(|s| s.ts < p.to_ts).count();
    assert_eq!(before, p.samples as usize);
}

#[test]
fn a_window_with_few_samples_grows_to_a_day() {
    let mut conn = plant();
    // Two tags, a sample every ten minutes each, over three days: 288 a day.
    let day = 24 * HOUR;
    let samples: Vec<Sample> = (0..3 * 144)
        .flat_map(|i| [10, 11].map(|t| Sample::good(t, T0 + i * 600_000, i as f64)))
        .collect();
    raw::insert(&conn, &samples).unwrap();
    let p = outbox::make_next(&mut conn, "plant-a", T0 + 4 * day)
        .unwrap()
        .unwrap();
    assert_eq!(p.to_ts, T0 + day);
    assert_eq!(p.samples, 288);
    assert!(decode(&p).ts.iter().all(|&t| (T0..T0 + day).contains(&t)));
    // Near the present the window grows only while it ends a window before the settle
    // limit: 40 minutes here, not to the limit.
    let mut conn = plant();
    raw::insert(&conn, &samples[..20]).unwrap();
    let p = outbox::make_next(&mut conn, "plant-a", T0 + HOUR)
        .unwrap()
        .unwrap();
    assert_eq!((p.to_ts, p.samples), (T0 + 40 * 60_000, 8));
}

/// Only final hours' rollups count as waiting, from the position on; an hour whose
/// samples are still hot is not late yet.
#[test]
fn waiting_rollups_are_the_final_hours_after_the_position() {
    let conn = plant();
    for h in 0..3 {
        conn.execute(
            "INSERT INTO rollup_1h (tag_id, t, sum, twa_sum, twa_ms, good, bad) VALUES (10, ?1, 0, 0, 0, 1, 0)",
            [T0 + h * HOUR],
        )
        .unwrap();
    }
    let now = T0 + 2 * HOUR + 30 * 60_000;
    assert!(now - SETTLE_MS > T0 + 2 * HOUR);
    // Hours 0 and 1 are final; hour 2 is still open.
    assert_eq!(
        super::streams::waiting(&conn, "rollups", 0, now).unwrap(),
        (2, Some(T0))
    );
    assert_eq!(
        super::streams::waiting(&conn, "rollups", T0 + HOUR, now).unwrap(),
        (1, Some(T0 + HOUR))
    );
    // A hot sample in hour 1: its rollups may still change, so only hour 0 waits.
    raw::insert(&conn, &[Sample::good(10, T0 + HOUR + 600_000, 1.0)]).unwrap();
    assert_eq!(
        super::streams::waiting(&conn, "rollups", 0, now).unwrap(),
        (1, Some(T0))
    );
    assert_eq!(
        super::streams::waiting(&conn, "rollups", T0 + HOUR, now).unwrap(),
        (0, None)
    );
}

/// The status names the class whose batch was refused, and counts what waits per
/// chosen stream only.
#[test]
fn the_status_names_the_parked_class_and_waiting_per_stream() {
    let conn = plant();
    let dir = tempfile::tempdir().unwrap();
    conn.execute(
        "INSERT INTO rollup_1h (tag_id, t, sum, twa_sum, twa_ms, good, bad) VALUES (10, ?1, 0, 0, 0, 1, 0)",
        [T0],
    )
    .unwrap();
    conn.execute_batch(
        "UPDATE sync_state SET enabled = 1, url = 'http://c', site = 'a', classes = 'rollups',
             parked = 'rollups batch 3: the central server refused the batch (HTTP 409)' WHERE id = 1",
    )
    .unwrap();
    let now = T0 + 5 * HOUR;
    let s = super::status(&conn, dir.path(), now).unwrap();
    assert_eq!(s.state, super::SyncState::Parked);
    assert_eq!(s.parked_class, "rollups");
    let r = s.streams.iter().find(|x| x.stream == "rollups").unwrap();
    assert_eq!((r.waiting, r.oldest_waiting_ts), (1, Some(T0)));
    let p = s.streams.iter().find(|x| x.stream == "production").unwrap();
    assert!(!p.chosen);
    assert_eq!((p.waiting, p.oldest_waiting_ts), (0, None));
    assert_eq!(s.oldest_waiting_ts, None, "raw samples are not chosen");
    // A failure that is no refusal names no class.
    conn.execute_batch("UPDATE sync_state SET parked = '' WHERE id = 1")
        .unwrap();
    let s = super::status(&conn, dir.path(), now).unwrap();
    assert_eq!(s.parked_class, "");
    // An hour of rollups final for hours and not sent: behind, not caught up.
    assert_eq!(s.state, super::SyncState::Behind);
    // Once the hour is acknowledged, nothing waits.
    conn.execute(
        "INSERT INTO sync_streams (stream, position) VALUES ('rollups', ?1)",
        [T0 + HOUR],
    )
    .unwrap();
    assert_eq!(
        super::status(&conn, dir.path(), now).unwrap().state,
        super::SyncState::Connected
    );
}

#[test]
fn samples_retention_removes_before_they_are_sent_are_reported_lost_once() {
    use crate::store::retention;
    let mut conn = plant();
    const DAY: i64 = 24 * HOUR;
    // Three hours of tag 10 (a sample a minute) and, two days later, an hour of tag 11.
    let a: Vec<Sample> = (0..180)
        .map(|i| Sample::good(10, T0 + i * 60_000, i as f64))
        .collect();
    let b: Vec<Sample> = (0..60)
        .map(|i| Sample::good(11, T0 + 2 * DAY + i * 60_000, i as f64))
        .collect();
    backfill::backfill(&mut conn, a).unwrap();
    backfill::backfill(&mut conn, b).unwrap();
    // Sync set up for raw samples, sent up to the middle of tag 10's second hour.
    let position = T0 + HOUR + 30 * 60_000;
    conn.execute(
        "UPDATE sync_state SET site = 'plant-a', enabled = 1, classes = 'raw', acked_to_ts = ?1",
        [position],
    )
    .unwrap();
    // The compactor merges a block (removed and written again in one transaction):
    // nothing is lost.
    let tx = conn.transaction().unwrap();
    tx.execute_batch(
        "CREATE TEMP TABLE keep AS SELECT * FROM blocks WHERE tag_id = 11;
         DELETE FROM blocks WHERE tag_id = 11;
         INSERT INTO blocks SELECT * FROM keep; DROP TABLE keep;",
    )
    .unwrap();
    tx.commit().unwrap();
    // A retention of one day, three days on: tag 10's hours go before they were sent.
    let mut s = retention::settings(&conn).unwrap();
    s.raw_days = Some(1);
    retention::set_settings(&conn, &s).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let now = T0 + 3 * DAY;
    retention::run_due(&mut conn, dir.path(), now).unwrap();
    let left: i64 = conn
        .query_row("SELECT count(*) FROM blocks WHERE tag_id = 10", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(left, 0);
    // The next batch holds tag 11's hour; tag 10's 90 samples after the position are
    // reported lost with their range, once.
    let p = outbox::make_next(&mut conn, "plant-a", now)
        .unwrap()
        .unwrap();
    assert!(decode(&p).tag.iter().all(|t| *t == 11));
    let lost = super::lost::totals(&conn).unwrap();
    assert_eq!(
        lost,
        vec![super::lost::LostStatus {
            class: "raw".into(),
            tag: "meter/power".into(),
            from_ts: position,
            to_ts: T0 + 179 * 60_000,
            count: 90,
        }]
    );
    // The rest goes out; nothing more is called lost.
    let mut next = Some(p);
    while let Some(p) = next {
        outbox::acknowledged(&mut conn, &p, now).unwrap();
        next = outbox::make_next(&mut conn, "plant-a", now).unwrap();
    }
    assert_eq!(super::lost::totals(&conn).unwrap(), lost);
    let notes: i64 = conn
        .query_row("SELECT count(*) FROM sync_removed", [], |r| r.get(0))
        .unwrap();
    assert_eq!(notes, 0);
}

#[test]
fn audit_entries_removed_before_they_were_sent_are_reported_and_skipped() {
    let mut conn = plant();
    conn.execute_batch(
        "UPDATE sync_state SET site = 'plant-a', enabled = 1, classes = 'audit';
         INSERT INTO sync_streams (stream, position) VALUES ('audit', 5);
         INSERT INTO audit_anchor (id, last_id, hash, ts) VALUES (1, 12, x'00', 0);",
    )
    .unwrap();
    super::streams::make_next(&mut conn, "plant-a", "audit", T0).unwrap();
    let lost = super::lost::totals(&conn).unwrap();
    assert_eq!(lost.len(), 1);
    assert_eq!(
        (
            lost[0].class.as_str(),
            lost[0].from_ts,
            lost[0].to_ts,
            lost[0].count
        ),
        ("audit", 5, 12, 8)
    );
    assert_eq!(
        super::streams::stream_state(&conn, "audit")
            .unwrap()
            .position,
        13
    );
}

#[test]
fn rollups_retention_removes_before_they_are_sent_are_reported_lost_once() {
    use crate::store::retention;
    let mut conn = plant();
    const DAY: i64 = 24 * HOUR;
    // The notes go by the wall clock (retention removes what is days old): real times.
    let now = crate::sample::now_ms();
    let base = (now - 10 * DAY).div_euclid(HOUR) * HOUR;
    // Three hours of tag 10 (a sample a minute) ten days ago, an hour of tag 11 two days
    // ago.
    let a: Vec<Sample> = (0..180)
        .map(|i| Sample::good(10, base + i * 60_000, i as f64))
        .collect();
    let b: Vec<Sample> = (0..60)
        .map(|i| Sample::good(11, base + 8 * DAY + i * 60_000, i as f64))
        .collect();
    backfill::backfill(&mut conn, a).unwrap();
    backfill::backfill(&mut conn, b).unwrap();
    // Rollups chosen, tag 10's first hour sent.
    conn.execute_batch("UPDATE sync_state SET site = 'plant-a', enabled = 1, classes = 'rollups';")
        .unwrap();
    conn.execute(
        "INSERT INTO sync_streams (stream, position, next_seq, last_seq) VALUES ('rollups', ?1, 2, 1)",
        [base + HOUR],
    )
    .unwrap();
    // An hour's rollups written again (removed and inserted in one transaction): nothing
    // is lost.
    let tx = conn.transaction().unwrap();
    tx.execute_batch(
        "CREATE TEMP TABLE keep AS SELECT * FROM rollup_1h WHERE tag_id = 11;
         DELETE FROM rollup_1h WHERE tag_id = 11;
         INSERT INTO rollup_1h SELECT * FROM keep; DROP TABLE keep;",
    )
    .unwrap();
    tx.commit().unwrap();
    let notes: i64 = conn
        .query_row("SELECT count(*) FROM sync_removed_rollups", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(notes, 1, "the rewritten hour is noted");
    // Retention of three days for samples, minutes and hours: tag 10's hours go.
    let mut s = retention::settings(&conn).unwrap();
    s.raw_days = Some(3);
    s.minute_days = Some(3);
    s.hour_days = Some(3);
    retention::set_settings(&conn, &s).unwrap();
    let dir = tempfile::tempdir().unwrap();
    retention::run_due(&mut conn, dir.path(), now).unwrap();
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM rollup_1h WHERE tag_id = 10",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
    // The next rollups batch holds tag 11's hour; tag 10's two hours after the position
    // are reported lost (the one sent before is not), once.
    let p = super::streams::make_next(&mut conn, "plant-a", "rollups", now)
        .unwrap()
        .unwrap();
    assert_eq!(p.items, 1);
    let lost = super::lost::totals(&conn).unwrap();
    assert_eq!(
        lost,
        vec![super::lost::LostStatus {
            class: "rollups".into(),
            tag: "meter/power".into(),
            from_ts: base + HOUR,
            to_ts: base + 3 * HOUR - 1,
            count: 2,
        }]
    );
    super::streams::acknowledged(&mut conn, &p, now).unwrap();
    assert!(
        super::streams::make_next(&mut conn, "plant-a", "rollups", now)
            .unwrap()
            .is_none()
    );
    assert_eq!(super::lost::totals(&conn).unwrap(), lost);
    let notes: i64 = conn
        .query_row("SELECT count(*) FROM sync_removed_rollups", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(notes, 0);
}

/// A stream batch's body back as the central server reads it.
fn stream_batch(p: &super::streams::StreamPending) -> super::wire::StreamBatch {
    serde_json::from_slice(&zstd::bulk::decompress(&p.body, 1 << 28).unwrap()).unwrap()
}

#[test]
fn a_reason_renamed_after_it_was_sent_goes_again_with_the_entries_naming_it() {
    use crate::production::records::{self, ReasonKind};
    let mut conn = plant();
    conn.execute_batch(
        "UPDATE sync_state SET site = 'plant-a', enabled = 1, classes = 'production';
         INSERT INTO machines (id, key, name) VALUES (1, 'press', 'Press');",
    )
    .unwrap();
    let t = T0;
    let jam =
        records::add_reason(&conn, ReasonKind::Scrap, "Material", "Jam", false, "ann", t).unwrap();
    let other = records::add_reason(
        &conn,
        ReasonKind::Scrap,
        "Material",
        "Crack",
        false,
        "ann",
        t,
    )
    .unwrap();
    records::add_scrap(&conn, 1, t, 3, Some(jam), "", "ann", t + 1000).unwrap();
    records::add_scrap(&conn, 1, t, 2, Some(other), "", "ann", t + 1000).unwrap();
    // Everything sent and acknowledged.
    let now = t + 60_000;
    let p = super::streams::make_next(&mut conn, "plant-a", "production", now)
        .unwrap()
        .unwrap();
    assert_eq!(stream_batch(&p).records.len(), 4);
    super::streams::acknowledged(&mut conn, &p, now).unwrap();
    let position = super::streams::stream_state(&conn, "production")
        .unwrap()
        .position;
    assert_eq!(position, now - SETTLE_MS);
    assert!(
        super::streams::make_next(&mut conn, "plant-a", "production", now)
            .unwrap()
            .is_none()
    );

    // Renamed, keeping its time: the reason and the scrap naming it go again, as they
    // are now, without moving the position; the other reason's entries do not.
    records::update_reason(&conn, jam, "Material", "Feed jam", false, true).unwrap();
    let later = now + 60_000;
    let p = super::streams::make_next(&mut conn, "plant-a", "production", later)
        .unwrap()
        .unwrap();
    let b = stream_batch(&p);
    assert_eq!((b.from_pos, b.to_pos), (position, position));
    let sent: Vec<(String, String, Option<String>)> = b
        .records
        .iter()
        .map(|r| {
            (
                r.kind.clone(),
                r.key.clone(),
                r.data
                    .get("name")
                    .or(r.data.get("reason"))
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        sent,
        vec![
            ("reason".into(), jam.to_string(), Some("Feed jam".into())),
            ("scrap".into(), "1".into(), Some("Feed jam".into())),
        ]
    );
    super::streams::acknowledged(&mut conn, &p, later).unwrap();
    let left: i64 = conn
        .query_row("SELECT count(*) FROM sync_resend_records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "the notes leave with the batch");
    // Then the range goes on from where it was.
    let p = super::streams::make_next(&mut conn, "plant-a", "production", later).unwrap();
    assert!(p.is_none(), "nothing else changed");
    assert!(
        super::streams::stream_state(&conn, "production")
            .unwrap()
            .position
            >= position
    );
}
