//! Raw samples out as CSV: which tags (by id or `device/tag`), and the writing itself,
//! a window at a time, for the API's streamed download and the command line.

use std::io::Write;

use super::plant::check_time;
use super::security::Scope;
use super::{Core, Error};
use crate::sample::now_ms;
use crate::store::export::{self, ExportTag};

/// Most tags in one export.
pub const MAX_EXPORT_TAGS: usize = 100;

/// An export checked and ready to write: its tags (each once) and range.
#[derive(Debug, Clone)]
pub struct ExportJob {
    pub tags: Vec<ExportTag>,
    pub from: i64,
    pub to: i64,
}

impl Core {
    /// Checks an export's tags (ids or `device/tag`, separated by commas) and range
    /// (default: the day before `to`, `to` now) for a caller who may see `scope`.
    pub async fn plan_export(
        &self,
        tags: &str,
        from: Option<i64>,
        to: Option<i64>,
        scope: &Scope,
    ) -> Result<ExportJob, Error> {
        let to = check_time("to", to.unwrap_or_else(now_ms))?;
        let from = check_time("from", from.unwrap_or(to.saturating_sub(86_400_000)))?;
        if from >= to {
            return Err(Error::invalid("bad_range", "'from' must be before 'to'"));
        }
        let mut wanted: Vec<String> = Vec::new();
        for t in tags.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            if !wanted.iter().any(|w| w == t) {
                wanted.push(t.to_string());
            }
        }
        if wanted.len() > MAX_EXPORT_TAGS {
            return Err(Error::invalid(
                "too_many_tags",
                format!("an export takes at most {MAX_EXPORT_TAGS} tags; export them in parts"),
            ));
        }
        let mut tags = self.export_tags(wanted).await?;
        let plant = self.plant();
        if tags.iter().any(|t| !scope.tag(&plant, t.id)) {
            return Err(Error::NotFound("tag"));
        }
        tags.dedup_by_key(|t| t.id);
        let mut seen = std::collections::HashSet::new();
        tags.retain(|t| seen.insert(t.id));
        Ok(ExportJob { tags, from, to })
    }

    /// Finds each wanted tag by id or `device/tag`; every unknown one is named in the
    /// error.
    pub async fn export_tags(&self, wanted: Vec<String>) -> Result<Vec<ExportTag>, Error> {
        if wanted.is_empty() {
            return Err(Error::invalid(
                "no_tags",
                "name at least one tag in 'tags': ids or device/tag names, separated by commas",
            ));
        }
        let plant = self.plant();
        let ids: Vec<(String, Option<i64>)> = wanted
            .into_iter()
            .map(|w| {
                let id = w.parse::<i64>().ok().or_else(|| {
                    let (device, tag) = w.split_once('/')?;
                    plant.tag_id(device, tag)
                });
                (w, id)
            })
            .collect();
        drop(plant);
        self.db()
            .run(move |c| {
                let mut found = Vec::new();
                let mut unknown = Vec::new();
                for (w, id) in ids {
                    match id.map(|id| export::tag(c, id)).transpose()?.flatten() {
                        Some(t) => found.push(t),
                        None => unknown.push(w),
                    }
                }
                if unknown.is_empty() {
                    Ok(found)
                } else {
                    Err(Error::invalid(
                        "unknown_tag",
                        format!(
                            "no such tag: {}; give tag ids or device/tag names",
                            unknown.join(", ")
                        ),
                    ))
                }
            })
            .await
    }

    /// Writes the stored samples of `tags` in [from, to) as CSV to `out`, times in the
    /// plant's time zone; returns the samples written. Blocking: call it off the async
    /// runtime.
    pub fn write_samples_csv(
        &self,
        tags: &[ExportTag],
        from: i64,
        to: i64,
        out: &mut dyn Write,
    ) -> Result<u64, Error> {
        if from >= to {
            return Err(Error::invalid("bad_range", "'from' must be before 'to'"));
        }
        self.write_samples_csv_until(tags, from, to, out, &|| false)
    }

    /// [`Core::write_samples_csv`], ending early with [`Error::Stopped`] when `stop`
    /// says so (checked between ten-minute windows) or Plantlog stops.
    pub fn write_samples_csv_until(
        &self,
        tags: &[ExportTag],
        from: i64,
        to: i64,
        out: &mut dyn Write,
        stop: &dyn Fn() -> bool,
    ) -> Result<u64, Error> {
        if from >= to {
            return Err(Error::invalid("bad_range", "'from' must be before 'to'"));
        }
        let tz = self.plant().timezone();
        let stopping = || stop() || self.is_stopping();
        self.db()
            .with(|c| export::write_csv_until(c, tags, from, to, &tz, out, &stopping))
            .map_err(|e| match e {
                export::ExportError::Stopped => Error::Stopped,
                e => Error::Internal(e.to_string()),
            })
    }
}
