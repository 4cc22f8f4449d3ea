//! The plant as people look at it: overview tiles, machine pages with their tags,
//! trend history, and device status.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ApiResult};
use super::session::Authed;
use crate::app::Core;
use crate::auth::Permission;
use crate::config::{StateDef, TagRole};
use crate::production::{self, Overview, SystemAlarm};
use crate::sample::{SampleJson, TagId, now_ms};
use crate::store::{self, History};

pub fn current_overview(core: &Core) -> Overview {
    let mut o = production::overview(&core.plant(), &core.live, &core.production, now_ms());
    let writer = core.bus.writer().map(|w| w.status()).unwrap_or_default();
    if let Some(error) = writer.error {
        o.system_alarms.push(SystemAlarm {
            code: "storage_failed",
            message: format!(
                "Readings are not being stored: {error}. {} readings are waiting in memory{}.",
                writer.pending,
                if writer.dropped > 0 {
                    format!("; {} were lost", writer.dropped)
                } else {
                    String::new()
                }
            ),
            since_ms: writer.error_since_ms,
        });
    }
    let disk = core.disk.read().unwrap_or_else(|e| e.into_inner()).clone();
    if disk.low {
        let mb = |b: u64| b / (1024 * 1024);
        o.system_alarms.push(SystemAlarm {
            code: "disk_low",
            message: format!(
                "Free space is low on the drive that holds Plantlog's data: {} MB left (warning below {} MB). Free space on the drive or shorten retention before the disk fills.",
                disk.free_bytes.map_or(0, mb),
                mb(disk.warn_below_bytes)
            ),
            since_ms: disk.checked_ms,
        });
    }
    o
}

pub async fn overview(State(core): State<Arc<Core>>, auth: Authed) -> ApiResult<Json<Overview>> {
    auth.require(Permission::ViewPlant)?;
    Ok(Json(current_overview(&core)))
}

#[derive(Serialize)]
pub struct MachineJson {
    key: String,
    name: String,
    /// How the state tag's values map to states, for state timelines.
    states: Vec<StateDef>,
    tags: Vec<TagJson>,
}

#[derive(Serialize)]
pub struct TagJson {
    id: TagId,
    name: String,
    label: String,
    unit: String,
    role: Option<TagRole>,
    poll_ms: u64,
    device: String,
    last: Option<SampleJson>,
}

pub async fn machine(
    State(core): State<Arc<Core>>,
    auth: Authed,
    Path(key): Path<String>,
) -> ApiResult<Json<MachineJson>> {
    auth.require(Permission::ViewPlant)?;
    let plant = core.plant();
    let m = plant
        .machine(&key)
        .ok_or_else(|| ApiError::not_found("machine"))?;
    let tags = plant
        .machine_tags(&key)
        .map(|t| TagJson {
            id: t.id,
            name: t.tag.name.clone(),
            label: t.tag.display_label().to_string(),
            unit: t.tag.unit.clone(),
            role: t.tag.role,
            poll_ms: t.tag.effective_poll_ms(t.device),
            device: t.device.key.clone(),
            last: core.live.get(t.id).map(|l| SampleJson::from(&l.last)),
        })
        .collect();
    Ok(Json(MachineJson {
        key: m.key.clone(),
        name: m.name.clone(),
        states: m.state_map(),
        tags,
    }))
}

#[derive(Deserialize)]
pub struct HistoryQuery {
    from: Option<i64>,
    to: Option<i64>,
    points: Option<u32>,
}

#[derive(Serialize)]
pub struct HistoryJson {
    tag_id: TagId,
    from: i64,
    to: i64,
    #[serde(flatten)]
    history: History,
}

/// Widest chart served, in pixel columns.
const MAX_POINTS: u32 = 10_000;

/// How long a tag's value holds before a chart breaks its line: the tag's storage
/// interval (its poll interval, or its heartbeat) and two polls more.
async fn gap_ms(core: &Arc<Core>, id: TagId) -> ApiResult<i64> {
    let gap: i64 = {
        let plant = core.plant();
        match plant.tag(id) {
            Some(t) => {
                t.tag.storage_interval_ms(t.device) + 2 * t.tag.effective_poll_ms(t.device) as i64
            }
            None => {
                // A retired tag keeps its history; its last poll interval is stored.
                let stored = core
                    .db
                    .run(move |c| {
                        use rusqlite::OptionalExtension;
                        c.query_row("SELECT poll_ms FROM tags WHERE id = ?1", [id], |r| {
                            r.get::<_, i64>(0)
                        })
                        .optional()
                        .map_err(ApiError::from)
                    })
                    .await?;
                3 * stored.ok_or_else(|| ApiError::not_found("tag"))?
            }
        }
    };
    Ok(gap)
}

pub async fn history(
    State(core): State<Arc<Core>>,
    auth: Authed,
    Path(id): Path<TagId>,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<HistoryJson>> {
    auth.require(Permission::ViewPlant)?;
    let gap_ms = gap_ms(&core, id).await?;
    let to = q.to.unwrap_or_else(now_ms);
    let from = q.from.unwrap_or(to - 3_600_000);
    if from >= to {
        return Err(ApiError::bad_request(
            "bad_range",
            "'from' must be before 'to'",
        ));
    }
    let points = q.points.unwrap_or(1000).clamp(1, MAX_POINTS);
    let history = core
        .db
        .run(move |c| {
            // One snapshot: rows the compactor moves into blocks meanwhile are seen once.
            let tx = c.transaction()?;
            let h = store::history(&tx, id, from, to, points, gap_ms)?;
            tx.commit()?;
            Ok::<_, ApiError>(h)
        })
        .await?;
    Ok(Json(HistoryJson {
        tag_id: id,
        from,
        to,
        history,
    }))
}

#[derive(Deserialize)]
pub struct StatesQuery {
    from: Option<i64>,
    to: Option<i64>,
    /// Also the longest state in each of this many columns (a timeline's pixels).
    columns: Option<usize>,
}

#[derive(Serialize)]
pub struct StateTimesJson {
    tag_id: TagId,
    from: i64,
    to: i64,
    #[serde(flatten)]
    times: store::states::StateTimes,
}

/// Time in each state of a state tag over a range, exactly, from the raw samples.
pub async fn state_times(
    State(core): State<Arc<Core>>,
    auth: Authed,
    Path(id): Path<TagId>,
    Query(q): Query<StatesQuery>,
) -> ApiResult<Json<StateTimesJson>> {
    auth.require(Permission::ViewPlant)?;
    let hold = gap_ms(&core, id).await?;
    let now = now_ms();
    let to = q.to.unwrap_or(now).min(now);
    let from = q.from.unwrap_or(to - 3_600_000);
    if from >= to {
        return Err(ApiError::bad_request(
            "bad_range",
            "'from' must be before 'to', and not in the future",
        ));
    }
    let columns = q.columns.unwrap_or(0).min(MAX_POINTS as usize);
    let times = core
        .db
        .run(move |c| {
            store::states::state_times(c, id, from, to, hold, columns).map_err(ApiError::from)
        })
        .await?;
    Ok(Json(StateTimesJson {
        tag_id: id,
        from,
        to,
        times,
    }))
}
