//! The description of what a full export holds: every table of the database with its
//! columns (read from the database itself), what each is, the units of the tags, the
//! quality codes and the time base. Written as schema.md and schema.json.

use rusqlite::Connection;
use serde::Serialize;

/// A table of the database, or a file of the export made from the encoded ones.
#[derive(Debug, Clone, Serialize)]
pub struct TableDoc {
    pub name: String,
    /// Where it is in the export (one path, or a pattern of chunks).
    pub files: Vec<String>,
    pub about: String,
    pub columns: Vec<ColumnDoc>,
    pub rows: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnDoc {
    pub name: String,
    /// SQLite's declared type, or the Parquet/CSV type of a decoded column.
    #[serde(rename = "type")]
    pub kind: String,
    pub about: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagDoc {
    pub id: i64,
    pub device: String,
    pub name: String,
    pub unit: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SchemaDoc {
    pub format: String,
    pub time_base: String,
    pub quality_codes: Vec<(i64, String, String)>,
    pub withheld: String,
    pub tables: Vec<TableDoc>,
    pub tags: Vec<TagDoc>,
}

pub const TIME_BASE: &str = "Times are UTC milliseconds since 1970-01-01 (columns ts, t, \
ts_ms and every *_ts or *_at column); CSV files add time_utc, the same instant as RFC 3339 \
text in UTC. Parquet marks ts as TIMESTAMP(MILLIS, UTC).";

pub const WITHHELD: &str = "Secrets are not exported: password hashes, second-factor \
secrets, recovery-code, session and display-token hashes read \"(withheld)\". Everything \
else is exported as stored.";

/// Whether a column holds a secret that an export leaves out.
pub fn secret(table: &str, column: &str) -> bool {
    let c = column.to_ascii_lowercase();
    c.contains("password")
        || c.starts_with("mfa_secret")
        || c == "mfa_pending"
        || c == "code_hash"
        || c == "token_hash"
        || (table == "login_failures" && c == "key")
}

pub fn quality_codes() -> Vec<(i64, String, String)> {
    vec![
        (
            0,
            "good".into(),
            "the device answered and the value decoded".into(),
        ),
        (
            1,
            "no_answer".into(),
            "the device did not answer; no value".into(),
        ),
        (
            2,
            "stale".into(),
            "a good value too old to be current".into(),
        ),
        (
            3,
            "bad_value".into(),
            "the device answered with NaN or infinity; no value".into(),
        ),
        (
            4,
            "reconfigured".into(),
            "a marker: the tag's decoding changed here".into(),
        ),
        (
            256,
            "exception".into(),
            "256 + the Modbus exception code (257..511); no value".into(),
        ),
    ]
}

/// Words about the tables whose meaning is not plain from their name.
fn about_table(name: &str) -> &'static str {
    match name {
        "config_versions" => "every version of the plant configuration (TOML), newest last",
        "machines" | "devices" | "tags" => "the plant model of the running configuration",
        "users" => "accounts and their roles",
        "sessions" => "open logins",
        "audit" => "the audit log: who did what, when, from where; a SHA-256 chain (hash)",
        "audit_anchor" => "where the kept audit chain starts after old records were removed",
        "settings" => "settings by key",
        "purges" => "what the retention job removed, and when",
        "reasons" => "stop and scrap reasons",
        "stop_reasons" => "reasons given to stops",
        "planned_stops" => "planned stops",
        "scrap" => "scrap entered",
        "ideal_cycles" => "ideal cycle times",
        "alarms" | "alarm_events" => "alarm rules and what they did",
        "mail_queue" => "e-mail waiting or sent",
        "sync_outbox" | "sync_state" => "what waits to go to the central server",
        "user_preferences" => "each user's chosen language and theme (none: the plant's default)",
        "alarm_escalations" => "which step of an alarm's escalation list was notified, and when",
        "backup_targets" => {
            "where backups go (a folder, a share, a stick), their schedule and how many are kept"
        }
        "backup_runs" => "one row per backup attempt: its folder on the target, result and checks",
        "backup_drills" => {
            "restore drills: the newest good backup restored and checked, one row each"
        }
        "counter_reviews" => {
            "implausible part or scrap counter steps as a supervisor reviewed them (accepted or corrected)"
        }
        "displays" => {
            "andon displays that show the board without a login, by a token (its hash withheld)"
        }
        "login_failures" => {
            "failed logins counted per window, by account (keyed hash), address, or both"
        }
        "mfa_recovery" => "second-factor recovery codes, by their hash (withheld); each works once",
        "vendor_scope" => "what a vendor account may see: machines and pages",
        "operator_machines" => "the machines an operator works on",
        "production_hours" => {
            "the production engine's summary of a machine's samples per hour (states, parts, counter events); derived from the samples"
        }
        "production_lots" => "production lots (orders) run on a machine",
        "lot_scrap" => "scrap entered against a production lot",
        "quality_products" => "products, with ideal cycle seconds by machine",
        "quality_characteristics" => {
            "each product's inspection plan: what is checked, limits, how often"
        }
        "quality_checks" => {
            "quality checks entered (a measured value or pass/fail); a correction is a new row"
        }
        "quality_dispositions" => {
            "what was decided about a failed check (rework, scrap, accepted deviation)"
        }
        "quality_materials" => "materials (raw material kinds)",
        "material_lots" => "lots of material received from a supplier, by their label",
        "material_moves" => "every move of a material lot: received, issued, returned, scrapped",
        "mail_settings" => "the SMTP server (one row)",
        "mail_digests" => "the daily digest sent per role and day",
        "user_emails" => "people's e-mail addresses, for alarm mails",
        "report_schedules" => "scheduled reports: what runs when and where it goes",
        "report_jobs" => "each scheduled report run and destination: the job history",
        "sync_streams" => "each sync stream's position: what the central server has acknowledged",
        "sync_stream_outbox" => "a stream's batch sent and not yet acknowledged",
        "sync_lost" => "what retention removed before sync sent it, per class and range",
        "sync_removed" => {
            "blocks of raw samples removed before all were sent, until the sync task decides whether samples were lost"
        }
        "runs" => {
            "Plantlog's runs on this PC: started, last seen running, stopped cleanly (empty after a crash or power cut); the gaps between runs are when it was not collecting"
        }
        "sync_removed_rollups" => {
            "minute (tbl 'minute') and hour ('hour') rollups removed before sync sent them, until the sync task decides whether they were lost"
        }
        "sync_resend_rollups" => {
            "tag-hours whose rollups were written again after they were sent (late or loaded history): sent again in the next rollups batch"
        }
        "sync_again_raw" => {
            "raw sample ranges (per tag, to_ts exclusive) written below the raw position after it passed them (history loaded later, late readings): sent again in the next raw batch, removed when it is acknowledged"
        }
        "sync_rewrite_removed" => {
            "samples of the blocks a rewrite just removed, counted so that the new block can tell new samples from a merge; emptied at every block insert"
        }
        "sync_resend_records" => {
            "production records (kind; key a, b) already sent whose reason was renamed, recategorised or switched off: sent again as they are now in the next production batch"
        }
        _ => "",
    }
}

/// Words about columns that appear in many tables.
fn about_column(column: &str) -> &'static str {
    match column {
        "ts" | "t" => "UTC milliseconds",
        "tag_id" => "tags.id",
        "user_id" => "users.id",
        "machine_id" => "machines.id",
        "device_id" => "devices.id",
        "quality" => "quality code (see Quality codes)",
        "value" => "the reading (good quality only; empty otherwise)",
        "hash" => "SHA-256 link of the audit chain (hex)",
        c if c.ends_with("_ts") || c.ends_with("_at") || c.ends_with("_ms") => "UTC milliseconds",
        _ => "",
    }
}

/// The tables of the database (not SQLite's own), in name order.
pub fn tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         ORDER BY name",
    )?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

/// The columns of `table`: name and declared type.
pub fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(&format!(
        "PRAGMA table_info(\"{}\")",
        table.replace('"', "\"\"")
    ))?;
    stmt.query_map([], |r| Ok((r.get(1)?, r.get(2)?)))?
        .collect()
}

fn col(name: &str, kind: &str, about: &str) -> ColumnDoc {
    ColumnDoc {
        name: name.into(),
        kind: kind.into(),
        about: about.into(),
    }
}

/// The decoded samples' columns (CSV and Parquet).
pub fn sample_columns() -> Vec<ColumnDoc> {
    vec![
        col("tag_id", "INT64", "tags.id"),
        col(
            "ts",
            "TIMESTAMP(MILLIS, UTC) / INT64",
            "UTC milliseconds (CSV: ts_ms)",
        ),
        col("time_utc", "TEXT (CSV only)", "ts as RFC 3339 in UTC"),
        col(
            "value",
            "FLOAT (samples/parquet/float) or DOUBLE (samples/parquet/double, CSV), optional",
            "the reading, in the tag's unit; empty unless quality is 0. FLOAT: the \
             device's float32, exactly; Plantlog shows its shortest decimal (0.1, not \
             0.10000000149011612), as CSV has it",
        ),
        col("text", "UTF8, optional", "the reading of a text tag"),
        col("quality", "INT32", "quality code"),
    ]
}

/// The rollups' columns (both tables).
pub fn rollup_columns() -> Vec<ColumnDoc> {
    let mut v = vec![
        col("tag_id", "INT64", "tags.id"),
        col(
            "t",
            "TIMESTAMP(MILLIS, UTC) / INT64",
            "start of the minute or hour",
        ),
    ];
    for k in ["first", "last", "min", "max"] {
        v.push(col(
            &format!("{k}_ts"),
            "INT64, optional",
            "UTC milliseconds",
        ));
        v.push(col(k, "DOUBLE, optional", "the good value (tag's unit)"));
    }
    v.push(col(
        "sum",
        "DOUBLE",
        "sum of the good values (mean = sum / good)",
    ));
    v.push(col(
        "twa_sum",
        "DOUBLE",
        "sum of value x ms held (time-weighted mean = twa_sum / twa_ms)",
    ));
    v.push(col("twa_ms", "INT64", "ms the good values were held"));
    v.push(col("good", "INT64", "good samples"));
    v.push(col("bad", "INT64", "samples of another quality"));
    v
}

/// The encoded tables and where their decoded content is.
pub fn encoded(name: &str) -> Option<&'static str> {
    match name {
        "samples_hot" | "blocks" | "blocks_fresh" => Some("samples"),
        "rollup_1m" => Some("rollup_1m"),
        "rollup_1h" => Some("rollup_1h"),
        _ => None,
    }
}

pub fn describe(
    conn: &Connection,
    sample_rows: i64,
    rollup_rows: (i64, i64),
) -> rusqlite::Result<SchemaDoc> {
    let mut out = Vec::new();
    for t in tables(conn)? {
        if encoded(&t).is_some() {
            continue;
        }
        let rows: i64 =
            conn.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))?;
        let columns = columns(conn, &t)?
            .into_iter()
            .map(|(c, kind)| {
                let about = if secret(&t, &c) {
                    "secret: exported as \"(withheld)\""
                } else {
                    about_column(&c)
                };
                col(&c, &kind, about)
            })
            .collect();
        out.push(TableDoc {
            files: vec![format!("tables/{t}.csv")],
            about: about_table(&t).to_string(),
            name: t,
            columns,
            rows,
        });
    }
    out.push(TableDoc {
        name: "samples".into(),
        files: vec![
            "samples/parquet/float/tag-NNNNNN.parquet".into(),
            "samples/parquet/double/tag-NNNNNN.parquet".into(),
            "samples/csv/tag-NNNNNN-PPPP.csv".into(),
        ],
        about: "every stored sample, one row each, decoded from the tables samples_hot, \
                blocks and blocks_fresh (compressed blocks); one Parquet file per tag, \
                CSV in chunks per tag. A tag of float32 readings is in \
                samples/parquet/float (value FLOAT, the device's own value), other tags \
                and the rare rows of such a tag whose value is not a float32 in \
                samples/parquet/double (value DOUBLE); read the two folders together \
                with a union by name, which widens FLOAT to DOUBLE exactly"
            .into(),
        columns: sample_columns(),
        rows: sample_rows,
    });
    for (name, rows, what) in [
        (
            "rollup_1m",
            rollup_rows.0,
            "per tag and minute, decoded from the table rollup_1m (stored for hours with many samples; others are recomputed from the samples)",
        ),
        ("rollup_1h", rollup_rows.1, "per tag and hour"),
    ] {
        out.push(TableDoc {
            name: name.into(),
            files: vec![
                format!("rollups/{name}.parquet"),
                format!("rollups/{name}.csv"),
            ],
            about: what.into(),
            columns: rollup_columns(),
            rows,
        });
    }
    let mut stmt = conn.prepare(
        "SELECT t.id, d.name, t.name, t.unit FROM tags t JOIN devices d ON d.id = t.device_id ORDER BY t.id",
    )?;
    let tags = stmt
        .query_map([], |r| {
            Ok(TagDoc {
                id: r.get(0)?,
                device: r.get(1)?,
                name: r.get(2)?,
                unit: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(SchemaDoc {
        format: "plantlog-takeout-2".into(),
        time_base: TIME_BASE.into(),
        quality_codes: quality_codes(),
        withheld: WITHHELD.into(),
        tables: out,
        tags,
    })
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(d: &SchemaDoc) -> String {
    let mut m = String::from("# Plantlog full export: what is in it\n\n");
    m.push_str(
        "Load the Parquet files with DuckDB \
(`SELECT * FROM read_parquet('samples/parquet/*/*.parquet', union_by_name = true)`), \
pandas (`pd.concat([pd.read_parquet('samples/parquet/double'), \
pd.read_parquet('samples/parquet/float')])`) or any Parquet reader; the CSV files \
(UTF-8, comma, header row) open in Excel. SHA256SUMS lists every file's checksum \
(`sha256sum -c SHA256SUMS`).\n\n\
Tags of float32 readings (as the device sent them) are in \
`samples/parquet/float`, with `value` FLOAT: the device's value exactly, half the size \
of a DOUBLE. Plantlog shows such a value as its shortest decimal (0.1), which FLOAT \
readers print too; widened to DOUBLE it reads 0.10000000149011612, the same float32. \
To get Plantlog's DOUBLE back, go through its text: `CAST(CAST(value AS VARCHAR) AS \
DOUBLE)` in DuckDB, `s.astype(str).astype(float)` in pandas. The other tags, and the \
rows of such a tag whose value is not a float32 (a tag can have a file in each folder), \
are in `samples/parquet/double`. Do not read the two folders as one table without a union by \
name or a schema: a reader that takes the first file's type could cut doubles to \
singles.\n\n",
    );
    m.push_str(&format!("## Time base\n\n{}\n\n", d.time_base));
    m.push_str("## Quality codes\n\n| code | name | meaning |\n|---|---|---|\n");
    for (c, n, w) in &d.quality_codes {
        m.push_str(&format!("| {c} | {n} | {} |\n", cell(w)));
    }
    m.push_str(&format!("\n## Withheld\n\n{}\n\n## Tags and units\n\n| id | device | tag | unit |\n|---|---|---|---|\n", d.withheld));
    for t in &d.tags {
        m.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            t.id,
            cell(&t.device),
            cell(&t.name),
            cell(&t.unit)
        ));
    }
    m.push_str("\n## Tables\n");
    for t in &d.tables {
        m.push_str(&format!("\n### {}\n\n", t.name));
        if !t.about.is_empty() {
            m.push_str(&format!("{}.\n\n", t.about));
        }
        m.push_str(&format!(
            "Rows: {}. Files: {}.\n\n| column | type | meaning |\n|---|---|---|\n",
            t.rows,
            t.files
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        for c in &t.columns {
            m.push_str(&format!(
                "| {} | {} | {} |\n",
                cell(&c.name),
                cell(&c.kind),
                cell(&c.about)
            ));
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new table needs words in [`about_table`] (or, if it is encoded, in
    /// [`encoded`]), else the export's schema.md would list it unexplained.
    #[test]
    fn every_table_of_the_database_is_described() {
        let conn = crate::store::memory();
        let all = tables(&conn).unwrap();
        assert!(all.len() > 40, "{all:?}");
        let missing: Vec<&String> = all
            .iter()
            .filter(|t| encoded(t).is_none() && about_table(t).is_empty())
            .collect();
        assert!(
            missing.is_empty(),
            "tables without a description in takeout::schema: {missing:?}"
        );
        let doc = describe(&conn, 0, (0, 0)).unwrap();
        for t in &doc.tables {
            assert!(!t.about.is_empty(), "{}", t.name);
        }
    }
}
