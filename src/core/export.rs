//! Raw samples out as CSV: which tags (by id or `device/tag`), and the writing itself,
//! a window at a time, for the API's streamed download and the command line.

use std::io::Write;

use super::{Core, Error};
use crate::store::export::{self, ExportTag};

impl Core {
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
        let tz = self.plant().timezone();
        self.db()
            .with(|c| export::write_csv(c, tags, from, to, &tz, out))
            .map_err(|e| Error::Internal(e.to_string()))
    }
}
