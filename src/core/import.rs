//! `plantlog import samples`: recorded samples from a CSV file into the configured tags,
//! through the historian's backfill path. The file is checked whole first and refused
//! with every bad line listed; nothing of a bad file is stored. The production engine's
//! summaries of the machines whose samples changed are made again.

use std::collections::{BTreeMap, HashSet};

use rusqlite::Connection;

use super::Error;
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::config::{Problem, load_plant};
use crate::production::{events, history, records};
use crate::sample::{Quality, Sample, TagId, Value};

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSamples {
    pub samples: usize,
    pub tags: usize,
    pub from_ms: i64,
    pub to_ms: i64,
}

fn quality(s: &str) -> Option<Quality> {
    match s {
        "good" => Some(Quality::Good),
        "no_answer" => Some(Quality::NoAnswer),
        "stale" => Some(Quality::Stale),
        "bad_value" => Some(Quality::BadValue),
        "reconfigured" => Some(Quality::Reconfigured),
        "exception" => Some(Quality::Exception(0)),
        _ => s
            .strip_prefix("exception_")
            .and_then(|c| c.parse::<u8>().ok())
            .map(Quality::Exception),
    }
}

/// Columns `time,tag,value,quality`: time RFC 3339 with an offset or UTC ms; tag as
/// `device/tag`; quality `good` or a bad quality (`no_answer`, `stale`, `bad_value`,
/// `exception`, `exception_N`); the value empty when the quality is bad.
pub fn parse_samples(conn: &Connection, text: &str) -> Result<Vec<Sample>, Error> {
    let plant = load_plant(conn).map_err(|e| Error::Internal(e.to_string()))?;
    let mut problems = Vec::new();
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match rd.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            return Err(Error::File(vec![Problem::new(
                "line 1",
                format!("not CSV: {e}"),
            )]));
        }
    };
    if header != ["time", "tag", "value", "quality"] {
        return Err(Error::File(vec![Problem::new(
            "line 1",
            format!(
                "the header must be \"time,tag,value,quality\"; it is \"{}\"",
                header.join(",")
            ),
        )]));
    }
    let mut out = Vec::new();
    let mut seen: HashSet<(TagId, i64)> = HashSet::new();
    for (i, rec) in rd.records().enumerate() {
        let place = format!("line {}", i + 2);
        let rec = match rec {
            Ok(r) if r.len() == 4 => r,
            Ok(r) => {
                problems.push(Problem::new(
                    place,
                    format!("{} columns; a line has 4", r.len()),
                ));
                continue;
            }
            Err(e) => {
                problems.push(Problem::new(place, format!("not CSV: {e}")));
                continue;
            }
        };
        let mut bad = |m: String| problems.push(Problem::new(place.clone(), m));
        let ts = match events::parse_time(&rec[0]) {
            Ok(t) => Some(t),
            Err(e) => {
                bad(e);
                None
            }
        };
        let tag = match rec[1].split_once('/') {
            Some((d, t)) => match plant.tag_id(d, t).and_then(|id| plant.tag(id)) {
                Some(t) => Some(t),
                None => {
                    bad(format!(
                        "there is no tag \"{}\" in the running configuration",
                        &rec[1]
                    ));
                    None
                }
            },
            None => {
                bad(format!("tag \"{}\" must be written as device/tag", &rec[1]));
                None
            }
        };
        let q = quality(&rec[3]);
        if q.is_none() {
            bad(format!(
                "quality \"{}\" must be good, no_answer, stale, bad_value, exception or exception_N",
                &rec[3]
            ));
        }
        let value = &rec[2];
        let sample = match (ts, tag, q) {
            (Some(ts), Some(t), Some(Quality::Good)) => {
                if t.tag.is_text() {
                    Some(Sample::good_value(t.id, ts, Value::Text(value.into())))
                } else {
                    match value.parse::<f64>() {
                        Ok(v) if v.is_finite() => Some(Sample::good(t.id, ts, v)),
                        _ => {
                            bad(format!(
                                "value \"{value}\" is not a number; a good sample has one"
                            ));
                            None
                        }
                    }
                }
            }
            (Some(ts), Some(t), Some(q)) => {
                if value.is_empty() {
                    Some(Sample::bad(t.id, ts, q))
                } else {
                    bad(format!("a {} sample has no value; leave it empty", &rec[3]));
                    None
                }
            }
            _ => None,
        };
        if let Some(s) = sample {
            if !seen.insert((s.tag_id, s.ts)) {
                bad(format!("a second sample of {} at {}", &rec[1], &rec[0]));
                continue;
            }
            out.push(s);
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::File(problems))
    }
}

/// Imports a samples file whole (or nothing of it), audited.
pub fn import_samples(
    conn: &mut Connection,
    text: &str,
    actor: &Actor,
) -> Result<ImportedSamples, Error> {
    let samples = parse_samples(conn, text)?;
    let plant = load_plant(conn).map_err(|e| Error::Internal(e.to_string()))?;
    if samples.is_empty() {
        return Err(Error::File(vec![Problem::new(
            "file",
            "there are no samples in it",
        )]));
    }
    let from_ms = samples.iter().map(|s| s.ts).min().unwrap_or_default();
    let to_ms = samples.iter().map(|s| s.ts).max().unwrap_or_default();
    // The first sample of each machine: its summaries from there on are made again.
    let mut first: BTreeMap<String, i64> = BTreeMap::new();
    let mut tags = HashSet::new();
    for s in &samples {
        tags.insert(s.tag_id);
        if let Some(m) = plant
            .tag(s.tag_id)
            .and_then(|t| t.tag.machine_key(t.device))
        {
            let e = first.entry(m.to_string()).or_insert(s.ts);
            *e = (*e).min(s.ts);
        }
    }
    let n = crate::store::backfill::backfill(conn, samples)?;
    let ids = records::machine_ids(conn)?;
    let tx = crate::store::write_tx(conn)?;
    for (m, ts) in &first {
        if let Some(&id) = ids.get(m) {
            history::invalidate(&tx, id, *ts)?;
        }
    }
    audit::record(
        &tx,
        &AuditEntry::new(
            actor,
            "import.samples",
            "",
            &format!(
                "{n} samples of {} tags from {} to {}",
                tags.len(),
                events::format_time(from_ms),
                events::format_time(to_ms)
            ),
        ),
    )?;
    tx.commit()?;
    Ok(ImportedSamples {
        samples: n,
        tags: tags.len(),
        from_ms,
        to_ms,
    })
}
