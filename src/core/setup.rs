//! The setup path (issue 9): what the device page and test reads need to judge whether
//! a tag's values can be trusted. The judging itself is
//! [`plausible`](crate::collector::plausible); this finds the machine's ideal rate and
//! a tag's recent values.

use serde::Serialize;

use super::security::Scope;
use super::{Core, Error};
use crate::collector::plausible::{self, Context, Finding};
use crate::sample::{Quality, now_ms};

/// How far back the device page looks at a tag's stored values.
const RECENT_MS: i64 = 10 * 60 * 1000;
/// At most this many of the newest values are judged.
const RECENT_VALUES: usize = 30;

/// A tag whose recent values look wrong.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TagFindings {
    pub tag: String,
    pub findings: Vec<Finding>,
}

impl Core {
    /// What is known of `machine` to judge its tags: its ideal rate now.
    pub(crate) async fn plausibility_context(
        &self,
        machine: Option<&str>,
    ) -> Result<Context, Error> {
        let Some(machine) = machine.map(str::to_string) else {
            return Ok(Context::default());
        };
        let now = now_ms();
        let cycle_ms = self
            .db()
            .run(move |c| {
                crate::production::records::all_ideal_cycles(c)
                    .map(|all| {
                        all.into_iter()
                            .filter(|i| i.machine == machine && i.from_ms <= now)
                            .max_by_key(|i| i.from_ms)
                            .map(|i| i.cycle_ms)
                    })
                    .map_err(Error::from)
            })
            .await?;
        Ok(Context {
            ideal_per_min: cycle_ms.filter(|&ms| ms > 0).map(|ms| 60_000.0 / ms as f64),
        })
    }

    /// The tags of a device whose values since the last configuration change (within
    /// the last ten minutes) look wrong, for a caller who may see the machines of
    /// `scope`.
    pub async fn device_findings_in(
        &self,
        key: &str,
        scope: &Scope,
    ) -> Result<Vec<TagFindings>, Error> {
        let plant = self.plant();
        // Visibility as the device page has it.
        self.device_in(key, scope)?;
        let device = plant
            .config
            .devices
            .iter()
            .find(|d| d.key == key)
            .ok_or(Error::NotFound("device"))?;
        let now = now_ms();
        let mut out = Vec::new();
        for tag in &device.tags {
            if tag.is_text() {
                continue;
            }
            let Some(id) = plant.tag_id(&device.key, &tag.name) else {
                continue;
            };
            // Reads in flight while the new configuration was switched to may still be
            // decoded the old way: two polls of margin.
            let margin = (2 * tag.effective_poll_ms(device) as i64).max(2000);
            let values = self
                .db()
                .run(move |c| {
                    let changed: i64 = c.query_row(
                        "SELECT coalesce(max(ts), 0) FROM config_versions",
                        [],
                        |r| r.get(0),
                    )?;
                    let from = (now - RECENT_MS).max(changed + margin);
                    crate::store::raw::read(c, id, from, now + 1).map_err(Error::from)
                })
                .await?;
            let good: Vec<(i64, f64)> = values
                .iter()
                .filter(|s| s.quality == Quality::Good)
                .filter_map(|s| s.value().map(|v| (s.ts, v)))
                .collect();
            let newest = &good[good.len().saturating_sub(RECENT_VALUES)..];
            let ctx = self.plausibility_context(tag.machine_key(device)).await?;
            let findings = plausible::judge_values(tag, newest, &ctx);
            if !findings.is_empty() {
                out.push(TagFindings {
                    tag: tag.name.clone(),
                    findings,
                });
            }
        }
        Ok(out)
    }
}
