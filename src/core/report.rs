//! Reports as the API, the command line and the scheduler ask for them: which report,
//! which range, built from the production engine by `report::build`, rendered by
//! `report::render`.

use super::Error;
use crate::production::By;
use crate::report::{self, Doc, Kind, build::Stamp};
use crate::sample::now_ms;

/// A report's model over [from, to), `to` clipped to now. `by` cuts the production
/// report (default: by month, one row per machine for a month's range).
pub fn build(
    conn: &mut rusqlite::Connection,
    kind: Kind,
    from: i64,
    to: i64,
    by: Option<By>,
    generated_by: &str,
) -> Result<Doc, Error> {
    let plant = crate::config::load_plant(conn).map_err(|e| Error::Internal(e.to_string()))?;
    let now = now_ms();
    if from >= to.min(now) {
        return Err(Error::invalid(
            "bad_range",
            "the start must be before the end, and not in the future",
        ));
    }
    let stamp = Stamp {
        generated_by: generated_by.to_string(),
        generated_at_ms: now,
    };
    Ok(match kind {
        Kind::Shift => report::build::shift(conn, &plant, from, to, &stamp, now)?,
        Kind::Production => {
            report::build::production(conn, &plant, from, to, by.unwrap_or(By::Month), &stamp, now)?
        }
    })
}

/// A report rendered: its file's bytes.
pub fn render(doc: &Doc, format: report::Format, opts: &report::Options) -> Result<Vec<u8>, Error> {
    report::render(doc, format, opts).map_err(|e| Error::Internal(e.to_string()))
}
