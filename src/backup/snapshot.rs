//! What a database holds at one moment, read inside the read transaction the backup
//! copies from (so the facts and the pages are of the same moment), and the integrity
//! check of a copy.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::manifest::Facts;

/// Starts the read transaction that pins the moment (ends with [`end`]). In WAL mode a
/// reader never blocks the writer; what is committed meanwhile is not seen.
pub fn begin(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN DEFERRED")?;
    // A read starts the snapshot; until then BEGIN holds nothing.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(())
}

pub fn end(conn: &Connection) {
    let _ = conn.execute_batch("COMMIT");
}

/// Every table's row count, each tag's newest stored sample, the schema version.
pub fn facts(conn: &Connection) -> rusqlite::Result<Facts> {
    let names: Vec<String> = {
        let mut stmt = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    let mut tables = BTreeMap::new();
    for name in names {
        let n: i64 = conn.query_row(
            &format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\"")),
            [],
            |r| r.get(0),
        )?;
        tables.insert(name, n);
    }
    let mut latest = BTreeMap::new();
    let has = |t: &str| tables.contains_key(t);
    if has("samples_hot") && has("blocks") && has("blocks_fresh") {
        // Hot rows packed per commit (schema 17 on) are read through store::hot; an older
        // database keeps a row per sample.
        let packed: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM pragma_table_info('samples_hot') WHERE name = 'data')",
            [],
            |r| r.get(0),
        )?;
        let hot_sql = if packed {
            ""
        } else {
            "SELECT tag_id, max(ts) AS t FROM samples_hot GROUP BY tag_id UNION ALL"
        };
        let mut stmt = conn.prepare(&format!(
            "SELECT tag_id, max(t) FROM (
                {hot_sql}
                SELECT tag_id, max(last) AS t FROM blocks_fresh GROUP BY tag_id
                UNION ALL SELECT tag_id, max(last) FROM blocks GROUP BY tag_id
             ) GROUP BY tag_id",
        ))?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        let mut by_tag: BTreeMap<i64, i64> = BTreeMap::new();
        for row in rows {
            let (tag, ms) = row?;
            by_tag.insert(tag, ms);
        }
        if packed {
            for s in crate::store::hot::read(conn, None, i64::MIN, i64::MAX)? {
                let e = by_tag.entry(s.tag_id).or_insert(s.ts);
                *e = (*e).max(s.ts);
            }
        }
        for (tag, ms) in by_tag {
            latest.insert(tag.to_string(), ms);
        }
    }
    Ok(Facts {
        tables,
        latest,
        schema_version: crate::store::schema_version(conn)?,
    })
}

/// `PRAGMA integrity_check`: "ok", or the problems found (the first 20).
pub fn integrity(conn: &Connection) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(20)")?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(lines.join("; "))
}
