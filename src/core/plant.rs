//! The plant as people look at it: a machine with its tags and their newest values, a
//! tag's trend over a span, and its exact time in each state.

use serde::Serialize;

use super::security::Scope;
use super::{Core, Error};
use crate::config::{StateDef, TagRole};
use crate::sample::{SampleJson, TagId, now_ms};
use crate::store::{self, History};

/// Widest chart served, in pixel columns.
pub const MAX_POINTS: u32 = 10_000;

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MachineView {
    pub key: String,
    pub name: String,
    /// How the state tag's values map to states, for state timelines.
    pub states: Vec<StateDef>,
    pub tags: Vec<TagView>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TagView {
    pub id: TagId,
    pub name: String,
    pub label: String,
    pub unit: String,
    pub role: Option<TagRole>,
    pub poll_ms: u64,
    pub device: String,
    pub last: Option<SampleJson>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct HistoryView {
    pub tag_id: TagId,
    pub from: i64,
    pub to: i64,
    #[serde(flatten)]
    pub history: History,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StateTimesView {
    pub tag_id: TagId,
    pub from: i64,
    pub to: i64,
    #[serde(flatten)]
    pub times: store::states::StateTimes,
}

/// The earliest time a range may name: 1970-01-01.
pub const MIN_TIME_MS: i64 = 0;
/// The latest time a range may name: the end of the year 9999.
pub const MAX_TIME_MS: i64 = 253_402_300_800_000;
/// The longest range of exact time in state: ten years.
pub const MAX_STATES_SPAN_MS: i64 = 3660 * 86_400_000;

/// A time in milliseconds within what a range may name.
pub fn check_time(name: &str, t: i64) -> Result<i64, Error> {
    if (MIN_TIME_MS..=MAX_TIME_MS).contains(&t) {
        Ok(t)
    } else {
        Err(Error::invalid(
            "bad_range",
            format!(
                "'{name}' must be a time in UTC milliseconds between 1970 and 9999 (for example {})",
                now_ms()
            ),
        ))
    }
}

/// A span [from, to) with defaults: `to` is now, `from` an hour before `to`; `to` is
/// not after `latest`; both within 1970 to 9999.
fn span(from: Option<i64>, to: Option<i64>, latest: i64) -> Result<(i64, i64), Error> {
    let to = check_time("to", to.unwrap_or_else(now_ms))?.min(latest);
    let from = check_time("from", from.unwrap_or(to.saturating_sub(3_600_000)))?;
    if from >= to {
        return Err(Error::invalid(
            "bad_range",
            "'from' must be before 'to', and not in the future",
        ));
    }
    Ok((from, to))
}

impl Core {
    /// A machine with its tags and their newest values.
    pub fn machine(&self, key: &str) -> Result<MachineView, Error> {
        self.machine_in(key, &Scope::All)
    }

    /// [`Core::machine`] for a caller who may see only the machines of `scope`.
    pub fn machine_in(&self, key: &str, scope: &Scope) -> Result<MachineView, Error> {
        if !scope.machine(key) {
            return Err(Error::NotFound("machine"));
        }
        let plant = self.plant();
        let m = plant.machine(key).ok_or(Error::NotFound("machine"))?;
        let tags = plant
            .machine_tags(key)
            .map(|t| TagView {
                id: t.id,
                name: t.tag.name.clone(),
                label: t.tag.display_label().to_string(),
                unit: t.tag.unit.clone(),
                role: t.tag.role,
                poll_ms: t.tag.effective_poll_ms(t.device),
                device: t.device.key.clone(),
                last: self.latest(t.id).map(|l| SampleJson::from(&l.last)),
            })
            .collect();
        Ok(MachineView {
            key: m.key.clone(),
            name: m.name.clone(),
            states: m.state_map(),
            tags,
        })
    }

    /// How long a tag's value holds before a chart breaks its line: the tag's storage
    /// interval (its poll interval, or its heartbeat) and two polls more. A retired tag
    /// keeps its history; its last poll interval is stored.
    pub async fn hold_ms(&self, id: TagId) -> Result<i64, Error> {
        if let Some(t) = self.plant().tag(id) {
            return Ok(
                t.tag.storage_interval_ms(t.device) + 2 * t.tag.effective_poll_ms(t.device) as i64
            );
        }
        let stored = self
            .db()
            .run(move |c| crate::config::stored_poll_ms(c, id).map_err(Error::from))
            .await?;
        Ok(3 * stored.ok_or(Error::NotFound("tag"))?)
    }

    /// Refuses a tag outside the caller's scope as if it did not exist.
    fn tag_in(&self, id: TagId, scope: &Scope) -> Result<(), Error> {
        if scope.tag(&self.plant(), id) {
            Ok(())
        } else {
            Err(Error::NotFound("tag"))
        }
    }

    /// A tag's trend over [from, to) in `points` columns (M4: first, last, min, max).
    pub async fn history(
        &self,
        id: TagId,
        from: Option<i64>,
        to: Option<i64>,
        points: Option<u32>,
    ) -> Result<HistoryView, Error> {
        self.history_in(id, from, to, points, &Scope::All).await
    }

    /// [`Core::history`] for a caller who may see only the tags of `scope`.
    pub async fn history_in(
        &self,
        id: TagId,
        from: Option<i64>,
        to: Option<i64>,
        points: Option<u32>,
        scope: &Scope,
    ) -> Result<HistoryView, Error> {
        self.tag_in(id, scope)?;
        let gap_ms = self.hold_ms(id).await?;
        let (from, to) = span(from, to, i64::MAX)?;
        let points = points.unwrap_or(1000).clamp(1, MAX_POINTS);
        let history = self
            .db()
            .run(move |c| {
                // One snapshot: rows the compactor moves into blocks meanwhile are seen
                // once.
                let tx = crate::store::write_tx(c)?;
                let h = store::history(&tx, id, from, to, points, gap_ms)?;
                tx.commit()?;
                Ok::<_, Error>(h)
            })
            .await?;
        Ok(HistoryView {
            tag_id: id,
            from,
            to,
            history,
        })
    }

    /// Time in each state of a state tag over [from, to), exactly, from the raw
    /// samples; with `columns`, also the longest state in each column of a timeline.
    pub async fn state_times(
        &self,
        id: TagId,
        from: Option<i64>,
        to: Option<i64>,
        columns: Option<usize>,
    ) -> Result<StateTimesView, Error> {
        self.state_times_in(id, from, to, columns, &Scope::All)
            .await
    }

    /// [`Core::state_times`] for a caller who may see only the tags of `scope`. The
    /// reading stops when the request is dropped (the client went away, its time ran out)
    /// or Plantlog stops.
    pub async fn state_times_in(
        &self,
        id: TagId,
        from: Option<i64>,
        to: Option<i64>,
        columns: Option<usize>,
        scope: &Scope,
    ) -> Result<StateTimesView, Error> {
        self.tag_in(id, scope)?;
        let hold = self.hold_ms(id).await?;
        let (from, to) = span(from, to, now_ms())?;
        if to - from > MAX_STATES_SPAN_MS {
            return Err(Error::invalid(
                "bad_range",
                "time in state covers at most ten years at once; choose a shorter range",
            ));
        }
        let columns = columns.unwrap_or(0).min(MAX_POINTS as usize);
        let (stop, _guard) = self.request_work();
        let times = self
            .db()
            .run(move |c| {
                store::states::state_times_until(c, id, from, to, hold, columns, &|| {
                    stop.is_cancelled()
                })
                .map_err(|e| match e {
                    store::states::StatesError::Stopped => Error::Stopped,
                    store::states::StatesError::Sqlite(e) => e.into(),
                })
            })
            .await?;
        Ok(StateTimesView {
            tag_id: id,
            from,
            to,
            times,
        })
    }
}
