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
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    let mut n = 0u64;
    let mut start = from;
    let mut window: Vec<(usize, Sample)> = Vec::new();
    while start < to {
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
                (None, Some(text)) => text.to_string(),
                _ => String::new(),
            };
            w.write_record([
                utc.as_str(),
                local.as_str(),
                &t.device,
                &t.name,
                &value,
                &t.unit,
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
        // A range that starts inside a block and ends before its end.
        let mut out = Vec::new();
        let n = write_csv(&mut conn, &tags, t0 + 1000, t0 + 3000, &tz, &mut out).unwrap();
        assert_eq!(n, 3, "{}", String::from_utf8_lossy(&out));
    }
}
