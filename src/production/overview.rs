//! The plant overview: one tile per machine with its state, its count this shift, its
//! rate and when its data last arrived. A machine whose newest good sample is older
//! than three poll intervals shows "no data", never its old state.

use serde::Serialize;

use super::{Production, ShiftWindow};
use crate::collector::{DeviceStatus, LinkState};
use crate::config::{Plant, StateKind, TagRole};
use crate::health::SystemAlarm;
use crate::live::LiveCache;
use crate::sample::TagId;

/// A machine is without data after this many poll intervals with no good sample.
pub const STALE_POLLS: i64 = 3;
/// Tags other than state and count shown on a tile.
const HIGHLIGHTS: usize = 3;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Overview {
    pub site: SiteJson,
    /// The current shift, or null outside any configured shift.
    pub shift: Option<ShiftJson>,
    pub now_ms: i64,
    pub machines: Vec<MachineTile>,
    /// Problems of Plantlog itself that everyone must see (data not being stored),
    /// from [`crate::health`]; the overview itself adds none.
    pub system_alarms: Vec<SystemAlarm>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SiteJson {
    pub name: String,
    pub timezone: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ShiftJson {
    pub name: String,
    pub start_ms: i64,
    pub end_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MachineTile {
    pub key: String,
    pub name: String,
    /// "ok" or "no_data".
    #[cfg_attr(test, ts(type = r#""ok" | "no_data""#))]
    pub status: &'static str,
    pub state: Option<StateJson>,
    pub count_shift: Option<f64>,
    pub count_unit: Option<String>,
    pub rate_per_min: Option<f64>,
    /// "running": the rate is over the running time of the last 10 minutes (0 while
    /// stopped); "window": over the last 10 minutes as a whole (no state is known).
    #[cfg_attr(test, ts(type = r#""running" | "window" | null"#))]
    pub rate_basis: Option<&'static str>,
    /// The devices the machine's tags come from, each with its own state and last
    /// error, so a tile without data can say which device and why.
    pub devices: Vec<TileDevice>,
    pub last_update_ms: Option<i64>,
    pub stale_after_ms: i64,
    /// A few other current values (temperature, current, power) for the tile.
    pub highlights: Vec<TagValue>,
}

/// A device behind a machine's tile.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TileDevice {
    pub key: String,
    pub name: String,
    pub state: LinkState,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StateJson {
    pub value: i64,
    pub label: String,
    pub kind: StateKind,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TagValue {
    pub tag_id: TagId,
    pub label: String,
    pub unit: String,
    pub value: Option<f64>,
    #[cfg_attr(
        test,
        ts(
            type = r#""good" | "no_answer" | "stale" | "bad_value" | "reconfigured" | "exception""#
        )
    )]
    pub quality: &'static str,
}

pub fn overview(
    plant: &Plant,
    live: &LiveCache,
    production: &Production,
    system_alarms: Vec<SystemAlarm>,
    status: &dyn Fn(&str) -> DeviceStatus,
    now_ms: i64,
) -> Overview {
    let window: ShiftWindow = production.window(now_ms);
    let machines = plant
        .config
        .machines
        .iter()
        .map(|m| {
            let tags: Vec<_> = plant.machine_tags(&m.key).collect();
            let poll_ms = tags
                .iter()
                .map(|t| t.tag.effective_poll_ms(t.device) as i64)
                .min()
                .unwrap_or(1000);
            let stale_after_ms = STALE_POLLS * poll_ms;
            let fresh = |ts: i64| now_ms - ts <= stale_after_ms;
            let last_update_ms = tags
                .iter()
                .filter_map(|t| live.get(t.id)?.last_good.map(|s| s.ts))
                .max();
            let has_data = last_update_ms.is_some_and(fresh);

            let state = plant.role_tag(&m.key, TagRole::State).and_then(|t| {
                let v = live.get(t.id)?.last_good.filter(|s| fresh(s.ts))?;
                let value = v.value()?.round() as i64;
                let def = m.state_map().into_iter().find(|d| d.value == value);
                Some(match def {
                    Some(d) => StateJson {
                        value,
                        label: d.label,
                        kind: d.kind,
                    },
                    None => StateJson {
                        value,
                        label: format!("State {value}"),
                        kind: StateKind::Unknown,
                    },
                })
            });
            let count_tag = plant.role_tag(&m.key, TagRole::Count);
            let counted = count_tag.and_then(|t| production.count(t.id, now_ms));
            let highlights = tags
                .iter()
                .filter(|t| t.tag.role.is_none())
                .take(HIGHLIGHTS)
                .map(|t| {
                    let last = live.get(t.id).map(|l| l.last);
                    let current = last.filter(|s| fresh(s.ts));
                    TagValue {
                        tag_id: t.id,
                        label: t.tag.display_label().to_string(),
                        unit: t.tag.unit.clone(),
                        value: current.as_ref().and_then(|s| s.value()),
                        quality: current.as_ref().map_or("stale", |s| s.quality.name()),
                    }
                })
                .collect();
            let mut devices: Vec<TileDevice> = Vec::new();
            for t in &tags {
                if devices.iter().any(|d| d.key == t.device.key) {
                    continue;
                }
                let st = status(&t.device.key);
                devices.push(TileDevice {
                    key: t.device.key.clone(),
                    name: if t.device.name.is_empty() {
                        t.device.key.clone()
                    } else {
                        t.device.name.clone()
                    },
                    state: st.state,
                    last_error: st.last_error.filter(|_| st.state != LinkState::Online),
                });
            }
            let rate = if has_data {
                counted.and_then(|(_, r)| r)
            } else {
                None
            };
            MachineTile {
                key: m.key.clone(),
                name: m.name.clone(),
                status: if has_data { "ok" } else { "no_data" },
                state: if has_data { state } else { None },
                count_shift: counted.map(|(c, _)| c),
                count_unit: count_tag.map(|t| {
                    if t.tag.unit.is_empty() {
                        "parts".to_string()
                    } else {
                        t.tag.unit.clone()
                    }
                }),
                rate_per_min: rate.map(|(r, _)| r),
                rate_basis: rate.map(|(_, running)| if running { "running" } else { "window" }),
                devices,
                last_update_ms,
                stale_after_ms,
                highlights,
            }
        })
        .collect();
    Overview {
        site: SiteJson {
            name: plant.config.site.name.clone(),
            timezone: plant.config.site.timezone.clone(),
        },
        shift: window.name.map(|name| ShiftJson {
            name,
            start_ms: window.start_ms,
            end_ms: window.end_ms,
        }),
        now_ms,
        machines,
        system_alarms,
    }
}
