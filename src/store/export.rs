//! Raw export: every stored sample of some tags over a time range, as CSV, written
//! window by window so that a year of a thousand tags never has to fit in memory.
//!
//! Each ten-minute window is read in one read transaction (blocks and hot rows from
//! the same snapshot, so the compactor moving rows into blocks meanwhile cannot hide or
//! double a sample), its samples put in time order across the tags, and written out
//! before the next window is read.

use std::io::Write;

use rusqlite::{Connection, OptionalExtension};

use super::raw::{self, BLOCK_MS};
use crate::sample::{Sample, TagId};

/// The header line of an export.
pub const HEADER: [&str; 7] = [
    "time_utc",
    "time_local",
    "device",
    "tag",
    "value",
    "unit",
    "quality",
];

/// A text cell as a spreadsheet will not run it: text that begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return would be taken for a formula by Excel or LibreOffice
/// (CSV injection), so it gets a leading apostrophe, which spreadsheets show as text.
/// Every text cell of every CSV Plantlog writes goes through this; numbers do not.
pub fn safe_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// A tag to export, with the names written on each line.
#[derive(Debug, Clone)]
pub struct ExportTag {
    pub id: TagId,
    pub device: String,
    pub name: String,
    pub unit: String,
}

/// Looks up the names of tags by id (retired tags included); `None` for an unknown id.
pub fn tag(conn: &Connection, id: TagId) -> rusqlite::Result<Option<ExportTag>> {
    conn.query_row(
        "SELECT d.key, t.name, t.unit FROM tags t JOIN devices d ON d.id = t.device_id WHERE t.id = ?1",
        [id],
        |r| {
            Ok(ExportTag {
                id,
                device: r.get(0)?,
                name: r.get(1)?,
                unit: r.get(2)?,
            })
        },
    )
    .optional()
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The export was stopped (the client went away, or Plantlog is stopping).
    #[error("the export was stopped")]
    Stopped,
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
    #[error("cannot write the export: {0}")]
    Write(#[from] csv::Error),
    #[error(transparent)]
    Store(#[from] super::StoreError),
}

/// Writes the samples of `tags` with `from <= ts < to` to `out` as CSV, oldest first
/// (samples at the same time in the order of `tags`). Returns the number of samples.
pub fn write_csv<W: Write>(
    conn: &mut Connection,
    tags: &[ExportTag],
    from: i64,
    to: i64,
    tz: &jiff::tz::TimeZone,
    out: W,
) -> Result<u64, ExportError> {
    write_csv_until(conn, tags, from, to, tz, out, &|| false)
}

/// The time of the first stored sample of `tag` at or after `t` (a block's window start
/// for samples in blocks), if any.
fn next_sample_at(conn: &Connection, tag: TagId, t: i64) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT min(coalesce((SELECT min(ts) FROM samples_hot WHERE tag_id = ?1 AND ts >= ?2), 9223372036854775807),
                    coalesce((SELECT min(t0) FROM blocks WHERE tag_id = ?1 AND t0 + ?3 > ?2), 9223372036854775807))",
        (tag, t, BLOCK_MS),
        |r| r.get::<_, i64>(0),
    )
    .map(|v| (v != i64::MAX).then_some(v))
}

/// [`write_csv`], checking `stop` before each window: when it says stop (the client went
/// away, Plantlog is stopping), the export ends with [`ExportError::Stopped`]. Stretches
/// without samples are skipped, so a range that starts long before the first sample
/// costs nothing.
pub fn write_csv_until<W: Write>(
    conn: &mut Connection,
    tags: &[ExportTag],
    from: i64,
    to: i64,
    tz: &jiff::tz::TimeZone,
    out: W,
    stop: &dyn Fn() -> bool,
) -> Result<u64, ExportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    let mut n = 0u64;
    let mut start = from;
    let mut window: Vec<(usize, Sample)> = Vec::new();
    while start < to {
        if stop() {
            return Err(ExportError::Stopped);
        }
        // Windows end on block boundaries, so each block is decoded once.
        let end = ((start.div_euclid(BLOCK_MS) + 1) * BLOCK_MS).min(to);
        window.clear();
        {
            let tx = conn.transaction()?;
            for (i, t) in tags.iter().enumerate() {
                window.extend(
                    raw::read(&tx, t.id, start, end)?
                        .into_iter()
                        .map(|s| (i, s)),
                );
            }
            tx.commit()?;
        }
        if window.is_empty() {
            // Nothing here: go on at the window of the next stored sample.
            let mut next = None;
            for t in tags {
                if let Some(at) = next_sample_at(conn, t.id, end)? {
                    next = Some(next.map_or(at, |n: i64| n.min(at)));
                }
            }
            start = next.map_or(to, |at| (at.div_euclid(BLOCK_MS) * BLOCK_MS).max(end));
            continue;
        }
        window.sort_by_key(|(i, s)| (s.ts, *i));
        for (i, s) in &window {
            let t = &tags[*i];
            let (utc, local) = match jiff::Timestamp::from_millisecond(s.ts) {
                Ok(ts) => (
                    ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
                    ts.to_zoned_datetime(tz.clone())
                        .strftime("%Y-%m-%d %H:%M:%S%.3f")
                        .to_string(),
                ),
                Err(_) => (s.ts.to_string(), String::new()),
            };
            let value = match (s.value(), s.text()) {
                (Some(v), _) => v.to_string(),
                (None, Some(text)) => safe_cell(text).into_owned(),
                _ => String::new(),
            };
            w.write_record([
                utc.as_str(),
                local.as_str(),
                &safe_cell(&t.device),
                &safe_cell(&t.name),
                &value,
                &safe_cell(&t.unit),
                s.quality.name(),
            ])?;
            n += 1;
        }
        start = end;
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;

    fn db() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let mut conn =
            super::super::open(&dir.path().join("t.db"), super::super::Durability::Normal).unwrap();
        super::super::migrate(&mut conn, &dir.path().join("t.db")).unwrap();
        (dir, conn)
    }

    #[test]
    fn samples_from_blocks_and_rows_come_out_once_in_time_order() {
        let (_dir, mut conn) = db();
        let a = 1;
        let b = 2;
        let t0 = 1_700_000_000_000 - 1_700_000_000_000 % BLOCK_MS;
        // Tag a: an old window compacted into a block, and newer rows.
        let old: Vec<Sample> = (0..5)
            .map(|i| Sample::good(a, t0 + i * 1000, i as f64 + 0.5))
            .collect();
        let block = super::super::codec::encode(&old);
        conn.execute(
            "INSERT INTO blocks (tag_id, t0, n, first, last, data) VALUES (?1, ?2, 5, ?3, ?4, ?5)",
            (a, t0, t0, t0 + 4000, block),
        )
        .unwrap();
        let newer = [
            Sample::good(a, t0 + BLOCK_MS + 500, 9.0),
            Sample::bad(b, t0 + BLOCK_MS + 500, Quality::NoAnswer),
            Sample::good_text(b, t0 + 2000, "lot 7"),
        ];
        raw::insert(&conn, &newer).unwrap();
        let tags = [
            ExportTag {
                id: a,
                device: "press".into(),
                name: "temp".into(),
                unit: "°C".into(),
            },
            ExportTag {
                id: b,
                device: "press".into(),
                name: "lot".into(),
                unit: String::new(),
            },
        ];
        let mut out = Vec::new();
        let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        let n = write_csv(&mut conn, &tags, t0, t0 + 3 * BLOCK_MS, &tz, &mut out).unwrap();
        assert_eq!(n, 8);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "time_utc,time_local,device,tag,value,unit,quality"
        );
        assert_eq!(lines.len(), 9);
        assert_eq!(
            lines[1],
            "2023-11-14T22:10:00.000Z,2023-11-14 23:10:00.000,press,temp,0.5,°C,good"
        );
        assert_eq!(
            lines[3],
            "2023-11-14T22:10:02.000Z,2023-11-14 23:10:02.000,press,temp,2.5,°C,good"
        );
        assert_eq!(
            lines[4],
            "2023-11-14T22:10:02.000Z,2023-11-14 23:10:02.000,press,lot,lot 7,,good"
        );
        assert_eq!(
            lines[7],
            "2023-11-14T22:20:00.500Z,2023-11-14 23:20:00.500,press,temp,9,°C,good"
        );
        assert_eq!(
            lines[8],
            "2023-11-14T22:20:00.500Z,2023-11-14 23:20:00.500,press,lot,,,no_answer"
        );
        // A range from 1970 skips the empty years; a stop request ends it.
        let mut out = Vec::new();
        assert_eq!(
            write_csv(&mut conn, &tags, 0, t0 + 3 * BLOCK_MS, &tz, &mut out).unwrap(),
            8
        );
        let stopped = write_csv_until(
            &mut conn,
            &tags,
            0,
            t0 + 3 * BLOCK_MS,
            &tz,
            Vec::new(),
            &|| true,
        );
        assert!(matches!(stopped, Err(ExportError::Stopped)));
        // A range that starts inside a block and ends before its end.
        let mut out = Vec::new();
        let n = write_csv(&mut conn, &tags, t0 + 1000, t0 + 3000, &tz, &mut out).unwrap();
        assert_eq!(n, 3, "{}", String::from_utf8_lossy(&out));
    }

    #[test]
    fn cells_that_start_a_formula_are_neutralised() {
        let (_dir, mut conn) = db();
        let t0 = 1_700_000_000_000 - 1_700_000_000_000 % BLOCK_MS;
        raw::insert(
            &conn,
            &[
                Sample::good_text(1, t0, "=HYPERLINK(\"http://evil.example\",\"click\")"),
                Sample::good_text(1, t0 + 1000, "@SUM(1+1)*cmd|' /C calc'!A0"),
                Sample::good(1, t0 + 2000, -3.5),
                Sample::good_text(1, t0 + 3000, "lot -7"),
            ],
        )
        .unwrap();
        let tags = [ExportTag {
            id: 1,
            device: "-scale".into(),
            name: "+lot".into(),
            unit: "=1+1".into(),
        }];
        let mut out = Vec::new();
        let tz = jiff::tz::TimeZone::UTC;
        write_csv(&mut conn, &tags, t0, t0 + BLOCK_MS, &tz, &mut out).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 4);
        for row in &rows {
            for cell in [&row[2], &row[3], &row[5]] {
                assert!(cell.starts_with('\''), "{row:?}");
            }
        }
        assert_eq!(
            &rows[0][4],
            "'=HYPERLINK(\"http://evil.example\",\"click\")"
        );
        assert_eq!(&rows[1][4], "'@SUM(1+1)*cmd|' /C calc'!A0");
        assert_eq!(&rows[2][4], "-3.5", "numbers stay numbers");
        assert_eq!(&rows[3][4], "lot -7");
    }
}
