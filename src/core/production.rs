//! Production as the API and the command line ask for it: reports over any range (from
//! stored history), the live shift view, an operator's machine, a machine's stops, and
//! what people enter (reasons of stops and splits, the reason tree, planned stops,
//! scrap, ideal cycle times, operators' machines, andon displays), each stored with
//! its audit record in one transaction.
//!
//! Who sees which machines: users with `all_machines` every machine; operators the
//! machines assigned to them.

use serde::{Deserialize, Serialize};

use super::{Core, Error};
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::auth::display::{self, Display};
use crate::auth::{Permission, User};
use crate::config::{Machine, Plant};
use crate::production::calendar::{By, Calendar, Period};
use crate::production::compute::{self, MachineData};
use crate::production::records::{
    self, IdealCycle, PlannedStop, Reason, ReasonKind, Reasons, ScrapEntry,
};
use crate::production::report::{Report, duration};
use crate::production::timeline::Recipe;
use crate::production::views::{
    self, Board, MachineShift, MachineStops, ShiftNow, ShiftView, StopView,
};
use crate::production::{events, history, query};
use crate::sample::now_ms;

/// What a report asks for (the API's query and the command line's options).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReportRequest {
    /// UTC ms; default: the start of the current production day.
    #[cfg_attr(test, ts(optional))]
    pub from: Option<i64>,
    /// UTC ms; default (and at most): now.
    #[cfg_attr(test, ts(optional))]
    pub to: Option<i64>,
    /// One machine's key; default: every machine the caller may see.
    #[cfg_attr(test, ts(optional))]
    pub machine: Option<String>,
    #[cfg_attr(test, ts(optional))]
    pub by: Option<By>,
    /// Instead of `from`: the last this many whole periods up to `to` (the current one
    /// included), 1 to 400.
    #[cfg_attr(test, ts(optional))]
    pub last: Option<u32>,
}

/// An operator's machine on the tablet: the machine now, and what can be entered.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MachineNow {
    pub now_ms: i64,
    pub timezone: String,
    pub shift: ShiftNow,
    pub machine: MachineShift,
    /// Active downtime reasons, for the reason buttons.
    pub reasons: Vec<Reason>,
    pub scrap_reasons: Vec<Reason>,
}

/// A reason for a stop from `at_ms` on: the stop's start gives (or changes) the
/// stop's reason; a time inside a stop splits it there.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StopReasonBody {
    pub machine: String,
    pub at_ms: i64,
    /// Null: not explained (the part after a split, or taking a reason back).
    pub reason_id: Option<i64>,
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewReason {
    pub kind: ReasonKind,
    pub category: String,
    pub name: String,
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub planned: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReasonChange {
    #[cfg_attr(test, ts(optional))]
    pub category: Option<String>,
    #[cfg_attr(test, ts(optional))]
    pub name: Option<String>,
    #[cfg_attr(test, ts(optional))]
    pub planned: Option<bool>,
    #[cfg_attr(test, ts(optional))]
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewPlannedStop {
    /// Null: every machine.
    pub machine: Option<String>,
    pub from_ms: i64,
    pub to_ms: i64,
    pub reason_id: i64,
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewScrap {
    pub machine: String,
    /// When the parts were made; default: now.
    #[cfg_attr(test, ts(optional))]
    pub at_ms: Option<i64>,
    pub parts: i64,
    #[cfg_attr(test, ts(optional))]
    pub reason_id: Option<i64>,
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewIdealCycle {
    pub machine: String,
    pub from_ms: i64,
    pub cycle_s: f64,
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub comment: Option<String>,
}

/// An operator and the machines they work on.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct OperatorMachines {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub machines: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AssignBody {
    pub machines: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewDisplay {
    pub name: String,
    /// Machine keys; empty: every machine.
    pub machines: Vec<String>,
    /// Seconds per page when cycling; 0: one page.
    pub cycle_s: i64,
}

/// A new display with its token, shown this once.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CreatedDisplay {
    pub display: Display,
    pub token: String,
}

/// Production setup as a supervisor edits it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Setup {
    pub reasons: Vec<Reason>,
    pub planned_stops: Vec<PlannedStop>,
    pub ideal_cycles: Vec<IdealCycle>,
    pub operators: Vec<OperatorMachines>,
    pub machines: Vec<MachineName>,
    pub timezone: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MachineName {
    pub key: String,
    pub name: String,
    pub line: Option<String>,
}

fn text(s: &str, what: &'static str) -> Result<String, Error> {
    let t = s.trim();
    if t.is_empty() || t.len() > 80 {
        return Err(Error::Invalid {
            code: "bad_field",
            message: format!("give the {what}: 1 to 80 characters"),
            field: Some(what),
        });
    }
    Ok(t.to_string())
}

pub(super) fn comment(c: &Option<String>) -> Result<String, Error> {
    let c = c.as_deref().unwrap_or("").trim().to_string();
    if c.len() > 500 {
        return Err(Error::Invalid {
            code: "bad_field",
            message: "a comment holds at most 500 characters".into(),
            field: Some("comment"),
        });
    }
    Ok(c)
}

/// The machines a user may see, in the configuration's order: those with a state or a
/// part counter (an energy meter's "machine" has no production figures).
fn visible(plant: &Plant, user: &User, assigned: &[String]) -> Vec<String> {
    query::machines(plant)
        .into_iter()
        .filter(|m| user.role.can(Permission::AllMachines) || assigned.contains(m))
        .collect()
}

fn machine_of<'a>(plant: &'a Plant, key: &str) -> Result<&'a Machine, Error> {
    plant.machine(key).ok_or(Error::NotFound("machine"))
}

fn not_theirs(key: &str) -> Error {
    Error::NotAssigned(format!(
        "machine \"{key}\" is not one of your machines; a supervisor assigns machines to operators"
    ))
}

/// The live figures of one machine: this shift (or production day) so far, and the
/// stops of the last 24 hours.
#[allow(clippy::too_many_arguments)]
fn live_machine(
    conn: &rusqlite::Connection,
    calendar: &Calendar,
    reasons: &Reasons,
    machine: &Machine,
    recipe: &Recipe,
    data: &MachineData,
    id: i64,
    now: i64,
) -> Result<MachineShift, Error> {
    let w = calendar.window_at(now);
    let to = now.max(w.start_ms + 1);
    let recent_from = (now - 86_400_000).max(data.timeline.start).min(w.start_ms);
    let stops_from = data
        .timeline
        .initial_stop
        .unwrap_or(data.timeline.start)
        .min(data.timeline.start);
    let recs = records::load(conn, id, &machine.key, stops_from, recent_from, to)?;
    let shift_period = [Period {
        key: w.name.clone().unwrap_or_else(|| "today".into()),
        shift: w.name.clone(),
        start_ms: w.start_ms,
        end_ms: to,
    }];
    let recent_period = [Period {
        key: "last 24 hours".into(),
        shift: None,
        start_ms: recent_from,
        end_ms: to,
    }];
    let shift = query::machine_rows(
        calendar,
        reasons,
        machine,
        recipe,
        data,
        &recs,
        &shift_period,
    );
    let recent = compute::compute(calendar, reasons, recipe, data, &recs, &recent_period);
    Ok(views::machine_shift(
        views::MachineInput {
            machine,
            recipe,
            data,
            recs: &recs,
            shift: &shift,
            recent: &recent,
        },
        reasons,
        shift_period[0].start_ms,
        to,
    ))
}

impl Core {
    /// The machine keys `user` may see.
    pub async fn visible_machines(&self, user: &User) -> Result<Vec<String>, Error> {
        let plant = self.plant();
        let id = user.id;
        let assigned = self
            .db()
            .run(move |c| records::assigned(c, id).map_err(Error::from))
            .await?;
        Ok(visible(&plant, user, &assigned))
    }

    pub(super) async fn check_machine(&self, user: &User, key: &str) -> Result<(), Error> {
        machine_of(&self.plant(), key)?;
        if !self.visible_machines(user).await?.iter().any(|k| k == key) {
            return Err(not_theirs(key));
        }
        Ok(())
    }

    /// A report over any range from stored history, of the machines `user` may see.
    pub async fn production_report(
        &self,
        user: &User,
        req: ReportRequest,
    ) -> Result<Report, Error> {
        let plant = self.plant();
        let now = now_ms();
        let calendar = Calendar::new(&plant.config);
        let to = req.to.unwrap_or(now).min(now);
        let by = req.by.unwrap_or(By::Shift);
        let from = match (req.last, req.from) {
            (Some(n), _) => {
                if !(1..=400).contains(&n) {
                    return Err(Error::invalid("bad_last", "last must be 1 to 400 periods"));
                }
                let day = 86_400_000i64;
                let span = match by {
                    By::Shift | By::Day => (i64::from(n) + 1) * day,
                    By::Week => (i64::from(n) + 1) * 7 * day,
                    By::Month => (i64::from(n) + 1) * 31 * day,
                };
                let periods = calendar.periods(by, to - span, to);
                let first = periods.len().saturating_sub(n as usize);
                periods.get(first).map_or(to - 1, |p| p.start_ms)
            }
            (None, Some(f)) => f,
            (None, None) => calendar.day_start(calendar.day_of(to - 1)),
        };
        if from >= to {
            return Err(Error::invalid(
                "bad_range",
                "'from' must be before 'to', and not in the future",
            ));
        }
        if to - from > 3 * 366 * 86_400_000 {
            return Err(Error::invalid(
                "bad_range",
                "a report covers at most three years",
            ));
        }
        let mut machines = self.visible_machines(user).await?;
        if let Some(m) = &req.machine {
            machine_of(&plant, m)?;
            if !machines.contains(m) {
                return Err(not_theirs(m));
            }
            machines = vec![m.clone()];
        }
        let q = query::Query {
            from,
            to,
            by,
            machines,
        };
        self.db()
            .run(move |c| query::report(c, &plant, &q, now).map_err(Error::from))
            .await
    }

    async fn live(&self, keys: Vec<String>) -> Result<(Vec<MachineShift>, ShiftNow, i64), Error> {
        let plant = self.plant();
        let now = now_ms();
        let snaps: Vec<(Machine, Recipe, MachineData)> = keys
            .iter()
            .filter_map(|k| {
                let m = plant.machine(k)?.clone();
                let (r, d) = self.production.snapshot(k, now)?;
                Some((m, r, d))
            })
            .collect();
        let calendar = self.production.calendar();
        let shift = views::shift_now(&calendar, now);
        let machines = self
            .db()
            .run(move |c| {
                let reasons = records::reasons(c)?;
                let ids = records::machine_ids(c)?;
                snaps
                    .iter()
                    .map(|(m, r, d)| {
                        let id = ids.get(&m.key).copied().unwrap_or_default();
                        live_machine(c, &calendar, &reasons, m, r, d, id, now)
                    })
                    .collect::<Result<Vec<_>, Error>>()
            })
            .await?;
        Ok((machines, shift, now))
    }

    /// The supervisor's shift view: every machine `user` may see, live.
    pub async fn shift_view(&self, user: &User) -> Result<ShiftView, Error> {
        let keys = self.visible_machines(user).await?;
        let (machines, shift, now_ms) = self.live(keys).await?;
        Ok(ShiftView {
            now_ms,
            timezone: self.plant().config.site.timezone.clone(),
            shift,
            machines,
        })
    }

    /// One machine now, for the operator's tablet.
    pub async fn machine_now(&self, user: &User, key: &str) -> Result<MachineNow, Error> {
        self.check_machine(user, key).await?;
        let (mut machines, shift, now_ms) = self.live(vec![key.to_string()]).await?;
        let machine = machines.pop().ok_or(Error::NotFound("machine"))?;
        let tree = self
            .db()
            .run(|c| records::reasons(c).map_err(Error::from))
            .await?;
        let active = |k: ReasonKind| {
            tree.sorted()
                .into_iter()
                .filter(|r| r.kind == k && r.active)
                .collect::<Vec<_>>()
        };
        Ok(MachineNow {
            now_ms,
            timezone: self.plant().config.site.timezone.clone(),
            shift,
            machine,
            reasons: active(ReasonKind::Downtime),
            scrap_reasons: active(ReasonKind::Scrap),
        })
    }

    /// A machine's stops, micro-stops and state stretches over [from, to), from history.
    pub async fn machine_stops(
        &self,
        user: &User,
        key: &str,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<MachineStops, Error> {
        self.check_machine(user, key).await?;
        let plant = self.plant();
        let now = now_ms();
        let to = to.unwrap_or(now).min(now);
        let from = from.unwrap_or(to - 86_400_000);
        if from >= to || to - from > 92 * 86_400_000 {
            return Err(Error::invalid(
                "bad_range",
                "'from' must be before 'to' and at most 92 days before it",
            ));
        }
        let key = key.to_string();
        self.db()
            .run(move |c| {
                let m = machine_of(&plant, &key)?;
                let recipe = Recipe::load(c, &plant, m)?;
                let calendar = Calendar::new(&plant.config);
                let id = records::machine_id(c, &key)?.ok_or(Error::NotFound("machine"))?;
                let periods = [Period {
                    key: "range".into(),
                    shift: None,
                    start_ms: from,
                    end_ms: to,
                }];
                let (data, recs) = query::machine_history(c, id, &recipe, &periods, from, to, now)?;
                let reasons = records::reasons(c)?;
                let (rows, computed) =
                    query::machine_rows(&calendar, &reasons, m, &recipe, &data, &recs, &periods);
                let t = &computed.periods[0];
                Ok(MachineStops {
                    key: m.key.clone(),
                    name: m.name.clone(),
                    from_ms: from,
                    to_ms: to,
                    timezone: plant.config.site.timezone.clone(),
                    states: views::stretches(&data, from, to),
                    state_names: views::state_names(m, &recipe),
                    stops: computed
                        .stops
                        .iter()
                        .filter(|s| s.down_ms > 0 || s.end.is_none())
                        .map(|s| views::stop_view(s, &recs, &reasons))
                        .collect(),
                    micro_stops: t.micro_count,
                    micro_stop_s: t.micro_ms as f64 / 1000.0,
                    figures: rows
                        .into_iter()
                        .next()
                        .map(|r| r.figures)
                        .ok_or(Error::NotFound("period"))?,
                })
            })
            .await
    }

    /// Gives, changes or (inside a stop) splits off a stop's reason, audited.
    pub async fn set_stop_reason(
        &self,
        user: &User,
        actor: Actor,
        body: StopReasonBody,
    ) -> Result<StopView, Error> {
        self.check_machine(user, &body.machine).await?;
        let plant = self.plant();
        let now = now_ms();
        let comment = comment(&body.comment)?;
        if body.at_ms > now {
            return Err(Error::invalid("bad_time", "that time is in the future"));
        }
        self.db()
            .run(move |c| {
                let m = machine_of(&plant, &body.machine)?;
                let recipe = Recipe::load(c, &plant, m)?;
                let calendar = Calendar::new(&plant.config);
                let id = records::machine_id(c, &m.key)?.ok_or(Error::NotFound("machine"))?;
                let tree = records::reasons(c)?;
                let label = match body.reason_id {
                    None => "not explained".to_string(),
                    Some(r) => match tree.get(r) {
                        Some(x) if x.kind == ReasonKind::Downtime && x.active => x.label(),
                        _ => {
                            return Err(Error::Invalid {
                                code: "bad_reason",
                                message: format!("there is no downtime reason {r} to choose"),
                                field: Some("reason_id"),
                            });
                        }
                    },
                };
                // The stop that holds `at`.
                let periods = [Period {
                    key: "at".into(),
                    shift: None,
                    start_ms: body.at_ms,
                    end_ms: (body.at_ms + 1).min(now.max(body.at_ms + 1)),
                }];
                let (data, recs) =
                    query::machine_history(c, id, &recipe, &periods, body.at_ms, body.at_ms + 1, now.max(body.at_ms + 1))?;
                let computed = compute::compute(&calendar, &tree, &recipe, &data, &recs, &periods);
                let Some(stop) = computed
                    .stops
                    .iter()
                    .find(|s| s.start <= body.at_ms && s.end.is_none_or(|e| body.at_ms < e))
                else {
                    return Err(Error::Invalid {
                        code: "not_a_stop",
                        message: format!(
                            "{} was not stopped at {}; a reason is given from a stop's start or from a time inside it",
                            m.name,
                            calendar.date_time(body.at_ms)
                        ),
                        field: Some("at_ms"),
                    });
                };
                let tx = crate::store::write_tx(c)?;
                let before = records::set_stop_reason(
                    &tx,
                    id,
                    body.at_ms,
                    body.reason_id,
                    &comment,
                    &actor.name,
                    now,
                )?;
                let was = match &before {
                    None => String::new(),
                    Some(b) => format!(
                        " (was {})",
                        b.reason_id
                            .and_then(|r| tree.get(r))
                            .map_or("not explained".to_string(), |r| r.label())
                    ),
                };
                let what = if body.at_ms == stop.start {
                    format!("stop of {}: {label}{was}", calendar.date_time(stop.start))
                } else {
                    format!(
                        "stop of {} split at {}: {label}{was}",
                        calendar.date_time(stop.start),
                        calendar.clock(body.at_ms)
                    )
                };
                let detail = if comment.is_empty() {
                    what
                } else {
                    format!("{what}; comment: {comment}")
                };
                audit::record(&tx, &AuditEntry::new(&actor, "stop.reason", &m.key, &detail))?;
                tx.commit()?;
                // The stop as it is now.
                let recs = records::load(c, id, &m.key, stop.start, body.at_ms, body.at_ms + 1)?;
                let computed = compute::compute(&calendar, &tree, &recipe, &data, &recs, &periods);
                let s = computed
                    .stops
                    .iter()
                    .find(|s| s.start == stop.start)
                    .cloned()
                    .unwrap_or_else(|| stop.clone());
                Ok(views::stop_view(&s, &recs, &tree))
            })
            .await
    }

    /// The reason tree.
    pub async fn reasons(&self) -> Result<Vec<Reason>, Error> {
        self.db().run(|c| Ok(records::reasons(c)?.sorted())).await
    }

    pub async fn add_reason(&self, actor: Actor, r: NewReason) -> Result<Reason, Error> {
        let category = text(&r.category, "category")?;
        let name = text(&r.name, "name")?;
        let planned = r.planned.unwrap_or(false) && r.kind == ReasonKind::Downtime;
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                if records::reasons(&tx)?
                    .find(r.kind, &format!("{category}/{name}"))
                    .is_some()
                {
                    return Err(Error::invalid(
                        "reason_exists",
                        format!("\"{category} / {name}\" is in the tree already"),
                    ));
                }
                let id = records::add_reason(
                    &tx,
                    r.kind,
                    &category,
                    &name,
                    planned,
                    &actor.name,
                    now_ms(),
                )?;
                audit::record(
                    &tx,
                    &AuditEntry::new(
                        &actor,
                        "reason.create",
                        &format!("{category} / {name}"),
                        &format!(
                            "{}{}",
                            r.kind.name(),
                            if planned { ", planned" } else { "" }
                        ),
                    ),
                )?;
                tx.commit()?;
                let tree = records::reasons(c)?;
                tree.get(id).cloned().ok_or(Error::NotFound("reason"))
            })
            .await
    }

    pub async fn update_reason(
        &self,
        actor: Actor,
        id: i64,
        ch: ReasonChange,
    ) -> Result<Reason, Error> {
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let tree = records::reasons(&tx)?;
                let old = tree.get(id).cloned().ok_or(Error::NotFound("reason"))?;
                let category = match &ch.category {
                    Some(x) => text(x, "category")?,
                    None => old.category.clone(),
                };
                let name = match &ch.name {
                    Some(x) => text(x, "name")?,
                    None => old.name.clone(),
                };
                if let Some(other) = tree.find(old.kind, &format!("{category}/{name}"))
                    && other.id != id
                {
                    return Err(Error::invalid(
                        "reason_exists",
                        format!("\"{category} / {name}\" is in the tree already"),
                    ));
                }
                let planned = ch.planned.unwrap_or(old.planned) && old.kind == ReasonKind::Downtime;
                let active = ch.active.unwrap_or(old.active);
                records::update_reason(&tx, id, &category, &name, planned, active)?;
                let mut changes = Vec::new();
                if (category.as_str(), name.as_str()) != (old.category.as_str(), old.name.as_str())
                {
                    changes.push(format!("renamed from {}", old.label()));
                }
                if planned != old.planned {
                    changes.push(
                        if planned {
                            "now planned"
                        } else {
                            "now unplanned"
                        }
                        .to_string(),
                    );
                }
                if active != old.active {
                    changes.push(if active { "shown again" } else { "hidden" }.to_string());
                }
                audit::record(
                    &tx,
                    &AuditEntry::new(
                        &actor,
                        "reason.update",
                        &format!("{category} / {name}"),
                        &changes.join("; "),
                    ),
                )?;
                tx.commit()?;
                records::reasons(c)?
                    .get(id)
                    .cloned()
                    .ok_or(Error::NotFound("reason"))
            })
            .await
    }

    /// What a supervisor sets up: reasons, planned stops from a day ago on, ideal cycle
    /// times, operators' machines.
    pub async fn production_setup(&self) -> Result<Setup, Error> {
        let plant = self.plant();
        let now = now_ms();
        self.db()
            .run(move |c| {
                let users = crate::auth::users::list(c)?;
                let assigned = records::assignments(c)?;
                Ok(Setup {
                    reasons: records::reasons(c)?.sorted(),
                    planned_stops: records::planned_stops(c, now - 86_400_000, i64::MAX)?,
                    ideal_cycles: records::all_ideal_cycles(c)?,
                    operators: users
                        .into_iter()
                        .filter(|u| u.role == crate::auth::Role::Operator && !u.disabled)
                        .map(|u| OperatorMachines {
                            machines: assigned.get(&u.id).cloned().unwrap_or_default(),
                            user_id: u.id,
                            username: u.username,
                            display_name: u.display_name,
                        })
                        .collect(),
                    machines: plant
                        .config
                        .machines
                        .iter()
                        .map(|m| MachineName {
                            key: m.key.clone(),
                            name: m.name.clone(),
                            line: m.line.clone(),
                        })
                        .collect(),
                    timezone: plant.config.site.timezone.clone(),
                })
            })
            .await
    }

    pub async fn add_planned_stop(
        &self,
        actor: Actor,
        p: NewPlannedStop,
    ) -> Result<PlannedStop, Error> {
        let plant = self.plant();
        if let Some(m) = &p.machine {
            machine_of(&plant, m)?;
        }
        if p.to_ms <= p.from_ms {
            return Err(Error::invalid(
                "bad_range",
                "a planned stop ends after it starts",
            ));
        }
        let comment = comment(&p.comment)?;
        self.db()
            .run(move |c| {
                let tree = records::reasons(c)?;
                let reason = match tree.get(p.reason_id) {
                    Some(r) if r.planned && r.active => r.clone(),
                    _ => {
                        return Err(Error::Invalid {
                            code: "bad_reason",
                            message: "a planned stop takes a planned reason such as \"Planned / Maintenance\"".into(),
                            field: Some("reason_id"),
                        });
                    }
                };
                let calendar = Calendar::new(&plant.config);
                let mid = match &p.machine {
                    Some(k) => Some(records::machine_id(c, k)?.ok_or(Error::NotFound("machine"))?),
                    None => None,
                };
                let tx = crate::store::write_tx(c)?;
                let id = records::add_planned_stop(&tx, mid, p.from_ms, p.to_ms, p.reason_id, &comment, &actor.name, now_ms())?;
                audit::record(
                    &tx,
                    &AuditEntry::new(
                        &actor,
                        "planned_stop.create",
                        p.machine.as_deref().unwrap_or("every machine"),
                        &format!(
                            "{} to {}: {}",
                            calendar.date_time(p.from_ms),
                            calendar.date_time(p.to_ms),
                            reason.label()
                        ),
                    ),
                )?;
                tx.commit()?;
                records::planned_stops(c, p.from_ms, p.to_ms)?
                    .into_iter()
                    .find(|x| x.id == id)
                    .ok_or(Error::NotFound("planned stop"))
            })
            .await
    }

    pub async fn cancel_planned_stop(&self, actor: Actor, id: i64) -> Result<(), Error> {
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                if records::cancel_planned_stop(&tx, id, &actor.name, now_ms())? == 0 {
                    return Err(Error::NotFound("planned stop"));
                }
                audit::record(
                    &tx,
                    &AuditEntry::new(&actor, "planned_stop.cancel", &id.to_string(), ""),
                )?;
                tx.commit()?;
                Ok(())
            })
            .await
    }

    /// Scrap entries of the machines `user` may see, in [from, to).
    pub async fn scrap_entries(
        &self,
        user: &User,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<Vec<ScrapEntry>, Error> {
        let keys = self.visible_machines(user).await?;
        let to = to.unwrap_or_else(now_ms);
        let from = from.unwrap_or(to - 86_400_000);
        self.db()
            .run(move |c| {
                Ok(records::scrap_entries(c, from, to)?
                    .into_iter()
                    .filter(|s| keys.contains(&s.machine))
                    .collect())
            })
            .await
    }

    pub async fn add_scrap(
        &self,
        user: &User,
        actor: Actor,
        s: NewScrap,
    ) -> Result<ScrapEntry, Error> {
        self.check_machine(user, &s.machine).await?;
        let now = now_ms();
        let at = s.at_ms.unwrap_or(now);
        if at > now {
            return Err(Error::invalid(
                "bad_time",
                "scrap is entered for parts made already",
            ));
        }
        if !(1..=1_000_000).contains(&s.parts) {
            return Err(Error::Invalid {
                code: "bad_field",
                message: "scrap is 1 to 1000000 parts".into(),
                field: Some("parts"),
            });
        }
        let comment = comment(&s.comment)?;
        let plant = self.plant();
        self.db()
            .run(move |c| {
                let tree = records::reasons(c)?;
                let label = match s.reason_id {
                    None => String::new(),
                    Some(r) => match tree.get(r) {
                        Some(x) if x.kind == ReasonKind::Scrap && x.active => {
                            format!(": {}", x.label())
                        }
                        _ => {
                            return Err(Error::Invalid {
                                code: "bad_reason",
                                message: format!("there is no scrap reason {r}"),
                                field: Some("reason_id"),
                            });
                        }
                    },
                };
                let calendar = Calendar::new(&plant.config);
                let id = records::machine_id(c, &s.machine)?.ok_or(Error::NotFound("machine"))?;
                let tx = crate::store::write_tx(c)?;
                let sid = records::add_scrap(
                    &tx,
                    id,
                    at,
                    s.parts,
                    s.reason_id,
                    &comment,
                    &actor.name,
                    now,
                )?;
                audit::record(
                    &tx,
                    &AuditEntry::new(
                        &actor,
                        "scrap.enter",
                        &s.machine,
                        &format!("{} parts at {}{label}", s.parts, calendar.date_time(at)),
                    ),
                )?;
                tx.commit()?;
                records::scrap_entries(c, at, at + 1)?
                    .into_iter()
                    .find(|x| x.id == sid)
                    .ok_or(Error::NotFound("scrap"))
            })
            .await
    }

    pub async fn set_ideal_cycle(
        &self,
        actor: Actor,
        b: NewIdealCycle,
    ) -> Result<IdealCycle, Error> {
        let plant = self.plant();
        machine_of(&plant, &b.machine)?;
        let ms = (b.cycle_s * 1000.0).round();
        if !b.cycle_s.is_finite() || !(1.0..=86_400_000.0).contains(&ms) {
            return Err(Error::Invalid {
                code: "bad_field",
                message: "the ideal cycle time is 0.001 to 86400 seconds".into(),
                field: Some("cycle_s"),
            });
        }
        let comment = comment(&b.comment)?;
        let production = self.production.clone();
        self.db()
            .run(move |c| {
                let calendar = Calendar::new(&plant.config);
                let id = records::machine_id(c, &b.machine)?.ok_or(Error::NotFound("machine"))?;
                let tx = crate::store::write_tx(c)?;
                records::set_ideal_cycle(
                    &tx,
                    id,
                    b.from_ms,
                    ms as i64,
                    &comment,
                    &actor.name,
                    now_ms(),
                )?;
                audit::record(
                    &tx,
                    &AuditEntry::new(
                        &actor,
                        "ideal_cycle.set",
                        &b.machine,
                        &format!("{} s from {}", ms / 1000.0, calendar.date_time(b.from_ms)),
                    ),
                )?;
                tx.commit()?;
                // The counters' plausible maximum follows the ideal rate (issue 9).
                production.seed(c, &plant, now_ms())?;
                records::ideal_cycles(c, id, &b.machine)?
                    .into_iter()
                    .find(|i| i.from_ms == b.from_ms)
                    .ok_or(Error::NotFound("ideal cycle"))
            })
            .await
    }

    /// Makes `machines` the machines of operator `user_id`, audited.
    pub async fn assign_machines(
        &self,
        actor: Actor,
        user_id: i64,
        machines: Vec<String>,
    ) -> Result<OperatorMachines, Error> {
        let plant = self.plant();
        for m in &machines {
            machine_of(&plant, m)?;
        }
        self.db()
            .run(move |c| {
                let u = crate::auth::users::get(c, user_id)?;
                if u.role != crate::auth::Role::Operator {
                    return Err(Error::invalid(
                        "not_an_operator",
                        format!(
                            "{} is not an operator; other roles see every machine",
                            u.username
                        ),
                    ));
                }
                let ids = records::machine_ids(c)?;
                let mids: Vec<i64> = machines
                    .iter()
                    .filter_map(|k| ids.get(k).copied())
                    .collect();
                let tx = crate::store::write_tx(c)?;
                records::set_assigned(&tx, user_id, &mids)?;
                audit::record(
                    &tx,
                    &AuditEntry::new(
                        &actor,
                        "operator.machines",
                        &u.username,
                        &if machines.is_empty() {
                            "no machines".to_string()
                        } else {
                            machines.join(", ")
                        },
                    ),
                )?;
                tx.commit()?;
                Ok(OperatorMachines {
                    machines: records::assigned(c, user_id)?,
                    user_id,
                    username: u.username,
                    display_name: u.display_name,
                })
            })
            .await
    }

    pub async fn displays(&self) -> Result<Vec<Display>, Error> {
        self.db()
            .run(|c| display::list(c).map_err(Error::from))
            .await
    }

    pub async fn create_display(
        &self,
        actor: Actor,
        d: NewDisplay,
    ) -> Result<CreatedDisplay, Error> {
        let plant = self.plant();
        let name = text(&d.name, "name")?;
        for m in &d.machines {
            machine_of(&plant, m)?;
        }
        if !(0..=3600).contains(&d.cycle_s) || (1..5).contains(&d.cycle_s) {
            return Err(Error::Invalid {
                code: "bad_field",
                message: "pages change every 5 to 3600 seconds, or 0 for one page".into(),
                field: Some("cycle_s"),
            });
        }
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let (display, token) = display::create(&tx, &name, &d.machines, d.cycle_s, &actor)?;
                tx.commit()?;
                Ok(CreatedDisplay { display, token })
            })
            .await
    }

    pub async fn revoke_display(&self, actor: Actor, id: i64) -> Result<(), Error> {
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                if !display::revoke(&tx, id, &actor)? {
                    return Err(Error::NotFound("display"));
                }
                tx.commit()?;
                Ok(())
            })
            .await
    }

    /// The display a token opens (the access guard asks).
    pub async fn display_of(&self, token: String, client: String) -> Result<Display, Error> {
        self.db()
            .run(move |c| {
                display::lookup(c, &token, &client)?.map_err(|refused| match refused {
                    display::Refused::Unknown => Error::Unauthenticated {
                        code: "display_revoked",
                        message: "this display's address is not valid (any more); the admin gives displays their address".into(),
                    },
                    display::Refused::TooMany => Error::TooMany {
                        code: "too_many_attempts",
                        message: "too many wrong display addresses from this address; try again in 15 minutes".into(),
                    },
                })
            })
            .await
    }

    /// The andon board of a display: only the machines it may show.
    pub async fn board(&self, d: &Display) -> Result<Board, Error> {
        let plant = self.plant();
        let keys: Vec<String> = plant
            .config
            .machines
            .iter()
            .filter(|m| d.machines.is_empty() || d.machines.contains(&m.key))
            .map(|m| m.key.clone())
            .collect();
        let (machines, shift, now_ms) = self.live(keys).await?;
        Ok(Board {
            title: d.name.clone(),
            site: plant.config.site.name.clone(),
            timezone: plant.config.site.timezone.clone(),
            now_ms,
            shift,
            cycle_s: d.cycle_s,
            machines: machines.iter().map(views::board_machine).collect(),
        })
    }

    /// Makes the hourly summaries of closed hours that are missing (the background job).
    pub async fn summarize_history(&self) -> Result<usize, Error> {
        let plant = self.plant();
        self.db()
            .run(move |c| {
                let ids = records::machine_ids(c)?;
                let until = history::closed_before(now_ms());
                let mut made = 0;
                for m in &plant.config.machines {
                    if let Some(&id) = ids.get(&m.key) {
                        let recipe = Recipe::load(c, &plant, m)?;
                        made += history::ensure(c, id, &recipe, until)?;
                    }
                }
                Ok(made)
            })
            .await
    }
}

/// What was entered in [from, to), as an events file (`plantlog production events`).
pub fn events_csv(conn: &rusqlite::Connection, from: i64, to: i64) -> Result<String, Error> {
    Ok(events::export(conn, from, to)?)
}

/// Imports an events file whole, audited; every bad line is listed.
pub fn import_events(
    conn: &mut rusqlite::Connection,
    text: &str,
    actor: &Actor,
) -> Result<events::Imported, Error> {
    let plant = crate::config::load_plant(conn).map_err(|e| Error::Internal(e.to_string()))?;
    let tree = records::reasons(conn)?;
    let parsed = events::parse(text, &plant, &tree).map_err(Error::File)?;
    let tx = crate::store::write_tx(conn)?;
    let n = events::apply(&tx, &parsed, now_ms()).map_err(Error::File)?;
    audit::record(
        &tx,
        &AuditEntry::new(
            actor,
            "import.events",
            "",
            &format!(
                "{} reasons, {} stop reasons, {} planned stops, {} scrap entries, {} ideal cycle times",
                n.reasons, n.stop_reasons, n.planned_stops, n.scrap, n.ideal_cycles
            ),
        ),
    )?;
    tx.commit()?;
    Ok(n)
}

/// A report from the command line, of every machine (or one).
pub fn report(
    conn: &mut rusqlite::Connection,
    from: i64,
    to: i64,
    machine: Option<&str>,
    by: By,
) -> Result<Report, Error> {
    let plant = crate::config::load_plant(conn).map_err(|e| Error::Internal(e.to_string()))?;
    let now = now_ms();
    if from >= to.min(now) {
        return Err(Error::invalid(
            "bad_range",
            "--from must be before --to, and not in the future",
        ));
    }
    let machines = match machine {
        Some(m) => {
            machine_of(&plant, m)?;
            vec![m.to_string()]
        }
        None => query::machines(&plant),
    };
    Ok(query::report(
        conn,
        &plant,
        &query::Query {
            from,
            to,
            by,
            machines,
        },
        now,
    )?)
}

/// A time on the command line: RFC 3339, UTC ms, or a local date (the start of that
/// production day).
pub fn parse_time(plant: &Plant, s: &str) -> Result<i64, Error> {
    if let Ok(d) = s.trim().parse::<jiff::civil::Date>()
        && s.trim().len() == 10
    {
        return Ok(Calendar::new(&plant.config).day_start(d));
    }
    events::parse_time(s).map_err(|m| Error::invalid("bad_time", m))
}

/// "7 h 30 min", for the command line's summaries.
pub fn human_duration(ms: i64) -> String {
    duration(ms)
}
