//! Alarms (issue 13) as the API and the alarm job ask for them: the job's tick (rules,
//! system conditions, shelving, planned-stop suppression stored in one transaction),
//! the list and counts a user sees, acknowledging and shelving with the checks the
//! admin's settings ask for, audited, and the journal with its CSV.

use std::collections::{HashMap, HashSet};

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{Core, Error};
use crate::alerts::Context;
use crate::alerts::report::{self, AlarmReport, FLOOD_WINDOW_MS, Flood};
use crate::alerts::store::{self, AlarmView, JournalEntry, JournalQuery, Refused};
use crate::auth::Permission;
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::auth::users::User;
use crate::config::Priority;
use crate::production::records;
use crate::sample::now_ms;

/// Open alarms a user receives, with the counts the banner shows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AlarmsView {
    /// Open alarms (active, or cleared and not yet acknowledged), most urgent first.
    pub alarms: Vec<AlarmView>,
    /// Per priority (critical, high, medium, low): active alarms, neither shelved nor
    /// suppressed.
    pub active: PriorityCounts,
    /// Per priority: alarms not yet acknowledged, neither shelved nor suppressed.
    pub unacked: PriorityCounts,
    /// Priorities whose alarms need a comment to be acknowledged.
    pub comment_required: Vec<Priority>,
    /// Whether this user may shelve, and for how many minutes at most.
    pub may_shelve: bool,
    pub shelve_max_min: u64,
    /// Floods of the last 10 minutes for the user's role (more than 10 alarms within
    /// 10 minutes): shown as one, grouped.
    pub floods: Vec<Flood>,
    /// Keys of alarms that chattered in the last 10 minutes (more than 3 transitions
    /// within a minute).
    pub chattering: Vec<String>,
    /// The names of the listed alarms' machines, by key (for the desktop app's
    /// notifications, which have no overview to look them up in).
    pub machine_names: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PriorityCounts {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl PriorityCounts {
    fn add(&mut self, priority: &str) {
        match priority {
            "critical" => self.critical += 1,
            "high" => self.high += 1,
            "medium" => self.medium += 1,
            _ => self.low += 1,
        }
    }
}

/// An acknowledgement.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AckBody {
    #[serde(default)]
    pub comment: String,
}

/// Shelving an alarm for some minutes (0 takes it off the shelf), with a reason.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ShelveBody {
    pub minutes: u64,
    #[serde(default)]
    pub reason: String,
}

/// Whether `user` receives an alarm: its roles name theirs, or they manage alarms. An
/// operator receives only the alarms of their machines (and those without a machine).
fn receives(user: &User, assigned: &[String], a: &AlarmView) -> bool {
    if user.role.can(Permission::ManageAlarms) {
        return true;
    }
    if !a.roles.iter().any(|r| r == user.role.name()) {
        return false;
    }
    user.role.can(Permission::AllMachines)
        || a.machine.as_ref().is_none_or(|m| assigned.contains(m))
}

impl Core {
    /// The alarm job's tick: see `app::alarms`.
    pub async fn run_alarms(&self) -> Result<(), Error> {
        let now = now_ms();
        let machines = self.alerts.machines();
        let (ctx, planned) = self
            .db()
            .run(move |c| {
                let mut ctx = Context::default();
                for m in machines {
                    let at: Option<i64> = c.query_row(
                        "SELECT MAX(s.at) FROM stop_reasons s JOIN machines m ON m.id = s.machine_id
                         WHERE m.key = ?1 AND s.reason_id IS NOT NULL",
                        [&m],
                        |r| r.get(0),
                    )?;
                    if let Some(at) = at {
                        ctx.reasons.insert(m, at);
                    }
                }
                let stops = records::planned_stops(c, now, now + 1)?;
                Ok::<_, Error>((ctx, stops))
            })
            .await?;
        let plant = self.plant();
        let mut in_planned: HashSet<String> = HashSet::new();
        for s in &planned {
            match &s.machine {
                Some(m) => {
                    in_planned.insert(m.clone());
                }
                None => in_planned.extend(plant.config.machines.iter().map(|m| m.key.clone())),
            }
        }
        // Sync's clock check (issue 14) as a condition of its own.
        self.watch_sync_clock().await?;
        let transitions = self.alerts.tick(now, &ctx, &self.system_alarms());
        let changed = !transitions.is_empty();
        let expired = self
            .db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let mut raised = Vec::new();
                for (def, t) in &transitions {
                    let suppressed = def.machine.as_ref().is_some_and(|m| in_planned.contains(m));
                    let new = t.active && store::open(&tx, &def.key)?.is_none();
                    if let Some(id) = store::apply(&tx, def, t, suppressed)?
                        && new
                        && !suppressed
                    {
                        raised.push((def.clone(), t.clone(), id));
                    }
                }
                let mut mailed = super::mail::queue_raised(&tx, &plant, &raised, now)?;
                mailed += super::mail::escalate(&tx, &plant, now)?;
                mailed += super::mail::digest(&tx, &plant, now)?;
                let expired = store::expire_shelving(&tx, now)?;
                let suppressed = store::suppress(&tx, &in_planned, now)?;
                tx.commit()?;
                Ok::<_, Error>((expired + suppressed, mailed))
            })
            .await?;
        let (expired, mailed) = expired;
        if mailed > 0 {
            self.mail_wake.notify_one();
        }
        if changed || expired > 0 {
            let _ = self.alarm_changes.send(());
        }
        Ok(())
    }

    /// Fires after each stored change of alarms (the live event stream tells browsers,
    /// which then ask for the alarms they receive).
    pub fn subscribe_alarm_changes(&self) -> tokio::sync::broadcast::Receiver<()> {
        self.alarm_changes.subscribe()
    }

    /// Clears alarms whose rule is gone (removed from the configuration).
    pub async fn clear_alarms(&self, keys: Vec<String>) -> Result<(), Error> {
        if keys.is_empty() {
            return Ok(());
        }
        let now = now_ms();
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                for key in &keys {
                    if let Some(a) = store::open(&tx, key)? {
                        let def = crate::alerts::AlarmDef {
                            key: a.key.clone(),
                            rule: a.key.clone(),
                            kind: "removed",
                            name: a.name.clone(),
                            priority: Priority::parse(&a.priority).unwrap_or_default(),
                            roles: a.roles.clone(),
                            action: a.action.clone(),
                            machine: a.machine.clone(),
                        };
                        let t = crate::alerts::Transition {
                            key: a.key,
                            active: false,
                            at: now,
                            value: None,
                        };
                        store::apply(&tx, &def, &t, a.suppressed)?;
                    }
                }
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await
    }

    /// Follows a new configuration: the new rules, continuing the alarms still defined
    /// and clearing those whose rule is gone.
    pub(super) async fn reset_alarms(&self) -> Result<(), Error> {
        let active = self
            .db()
            .run(|c| store::active_keys(c).map_err(Error::from))
            .await?;
        let gone = self.alerts.reset(&self.plant(), now_ms(), &active);
        self.clear_alarms(gone).await
    }

    async fn assigned(&self, user: &User) -> Result<Vec<String>, Error> {
        if user.role.can(Permission::AllMachines) {
            return Ok(Vec::new());
        }
        let id = user.id;
        self.db()
            .run(move |c| records::assigned(c, id).map_err(Error::from))
            .await
    }

    /// The open alarms `user` receives and the banner's counts.
    pub async fn alarms(&self, user: &User) -> Result<AlarmsView, Error> {
        let assigned = self.assigned(user).await?;
        let now = now_ms();
        let (all, recent) = self
            .db()
            .run(move |c| {
                Ok::<_, Error>((
                    store::list_open(c)?,
                    report::report(c, now - FLOOD_WINDOW_MS, now + 1)?,
                ))
            })
            .await?;
        let alarms: Vec<AlarmView> = all
            .into_iter()
            .filter(|a| receives(user, &assigned, a))
            .collect();
        let mut active = PriorityCounts::default();
        let mut unacked = PriorityCounts::default();
        for a in &alarms {
            if a.suppressed || a.shelved_until.is_some_and(|u| u > now) {
                continue;
            }
            if a.cleared_at.is_none() {
                active.add(&a.priority);
            }
            if a.acked_at.is_none() {
                unacked.add(&a.priority);
            }
        }
        let plant = self.plant();
        let settings = plant.config.alarm_settings.clone();
        let machine_names = alarms
            .iter()
            .filter_map(|a| a.machine.as_ref())
            .filter_map(|k| {
                let m = plant.config.machines.iter().find(|m| &m.key == k)?;
                Some((k.clone(), m.name.clone()))
            })
            .collect();
        Ok(AlarmsView {
            machine_names,
            alarms,
            active,
            unacked,
            may_shelve: user.role.can(Permission::ShelveAlarms)
                && settings.shelve_roles.iter().any(|r| r == user.role.name()),
            comment_required: settings.comment_required,
            shelve_max_min: settings.shelve_max_min,
            floods: recent
                .floods
                .into_iter()
                .filter(|f| user.role.can(Permission::ManageAlarms) || f.role == user.role.name())
                .collect(),
            chattering: recent.chattering.into_iter().map(|c| c.key).collect(),
        })
    }

    /// The EEMUA figures over [from, to) (default: the last 7 days).
    pub async fn alarm_report(
        &self,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<AlarmReport, Error> {
        let to = to.unwrap_or_else(now_ms);
        let from = from.unwrap_or(to - 7 * 86_400_000);
        if from >= to {
            return Err(Error::Invalid {
                code: "bad_range",
                message: "the report's start must be before its end".into(),
                field: Some("from"),
            });
        }
        self.db()
            .run(move |c| report::report(c, from, to).map_err(Error::from))
            .await
    }

    /// One alarm `user` receives, or why not.
    async fn alarm_for(&self, user: &User, id: i64) -> Result<AlarmView, Error> {
        let assigned = self.assigned(user).await?;
        let a = self
            .db()
            .run(move |c| store::get(c, id).map_err(Error::from))
            .await?
            .ok_or(Error::NotFound("alarm"))?;
        if !receives(user, &assigned, &a) {
            return Err(Error::NotAssigned(match &a.machine {
                Some(m) if a.roles.iter().any(|r| r == user.role.name()) => format!(
                    "the alarm is on machine \"{m}\", which is not one of your machines; a supervisor assigns machines to operators"
                ),
                _ => format!("the alarm goes to {}, not to your role", a.roles.join(", ")),
            }));
        }
        Ok(a)
    }

    /// Acknowledges an alarm, with the comment its priority may require; audited in
    /// the same transaction.
    pub async fn acknowledge_alarm(
        &self,
        user: &User,
        actor: Actor,
        id: i64,
        body: AckBody,
    ) -> Result<AlarmView, Error> {
        let a = self.alarm_for(user, id).await?;
        let comment = body.comment.trim().to_string();
        let required = self.plant().config.alarm_settings.comment_required.clone();
        if comment.is_empty() && Priority::parse(&a.priority).is_some_and(|p| required.contains(&p))
        {
            return Err(Error::Invalid {
                code: "comment_required",
                message: format!(
                    "a {} alarm needs a comment to be acknowledged: say what was found or done",
                    a.priority
                ),
                field: Some("comment"),
            });
        }
        if comment.chars().count() > 500 {
            return Err(Error::Invalid {
                code: "comment_too_long",
                message: "the comment is longer than 500 characters".into(),
                field: Some("comment"),
            });
        }
        let now = now_ms();
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let out = store::acknowledge(&tx, id, &actor.name, &comment, now)?;
                let view = refused(out)?;
                let detail = if comment.is_empty() {
                    view.name.clone()
                } else {
                    format!("{}; comment: {comment}", view.name)
                };
                audit::record(
                    &tx,
                    &AuditEntry::new(&actor, "alarm.ack", &view.key, &detail),
                )?;
                tx.commit()?;
                Ok(view)
            })
            .await
    }

    /// Shelves an alarm for some minutes with a reason (0 minutes takes it off the
    /// shelf), as the admin's settings allow; audited.
    pub async fn shelve_alarm(
        &self,
        user: &User,
        actor: Actor,
        id: i64,
        body: ShelveBody,
    ) -> Result<AlarmView, Error> {
        let settings = self.plant().config.alarm_settings.clone();
        if !settings.shelve_roles.iter().any(|r| r == user.role.name()) {
            return Err(Error::NotAssigned(format!(
                "shelving is for {}; the admin sets who may shelve in the alarm settings",
                settings.shelve_roles.join(", ")
            )));
        }
        let a = self.alarm_for(user, id).await?;
        if body.minutes > settings.shelve_max_min {
            return Err(Error::Invalid {
                code: "shelve_too_long",
                message: format!(
                    "an alarm may be shelved for at most {} minutes",
                    settings.shelve_max_min
                ),
                field: Some("minutes"),
            });
        }
        let reason = body.reason.trim().to_string();
        if body.minutes > 0 && reason.is_empty() {
            return Err(Error::Invalid {
                code: "reason_required",
                message: "say why the alarm is shelved".into(),
                field: Some("reason"),
            });
        }
        let now = now_ms();
        let until = (body.minutes > 0).then(|| now + body.minutes as i64 * 60_000);
        let minutes = body.minutes;
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let view = refused(store::shelve(&tx, id, &actor.name, until, &reason, now)?)?;
                let detail = match until {
                    Some(_) => format!("{} for {minutes} min: {reason}", a.name),
                    None => format!("{} taken off the shelf", a.name),
                };
                let action = if until.is_some() {
                    "alarm.shelve"
                } else {
                    "alarm.unshelve"
                };
                audit::record(&tx, &AuditEntry::new(&actor, action, &view.key, &detail))?;
                tx.commit()?;
                Ok::<_, Error>(view)
            })
            .await
            .inspect(|_| {
                let _ = self.alarm_changes.send(());
            })
    }

    /// The alarm journal (every transition), newest first, of the alarms `user`
    /// receives.
    pub async fn alarm_journal(
        &self,
        user: &User,
        q: JournalQuery,
    ) -> Result<Vec<JournalEntry>, Error> {
        // A filter that can match nothing is a mistake to say, not an empty journal.
        if let Some(p) = q.priority.as_deref()
            && crate::config::Priority::parse(p).is_none()
        {
            return Err(Error::invalid(
                "bad_priority",
                format!("no priority \"{p}\"; use critical, high, medium or low"),
            ));
        }
        if let Some(w) = q.what.as_deref()
            && !store::TRANSITIONS.contains(&w)
        {
            return Err(Error::invalid(
                "bad_transition",
                format!(
                    "no transition \"{w}\"; use one of {}",
                    store::TRANSITIONS.join(", ")
                ),
            ));
        }
        let assigned = self.assigned(user).await?;
        let user = user.clone();
        self.db()
            .run(move |c| {
                let entries = store::journal(c, &q)?;
                let mut seen: HashMap<i64, bool> = HashMap::new();
                let mut out = Vec::new();
                for e in entries {
                    let ok = match seen.get(&e.alarm_id) {
                        Some(ok) => *ok,
                        None => {
                            let ok = store::get(c, e.alarm_id)?
                                .is_some_and(|a| receives(&user, &assigned, &a));
                            seen.insert(e.alarm_id, ok);
                            ok
                        }
                    };
                    if ok {
                        out.push(e);
                    }
                }
                Ok::<_, Error>(out)
            })
            .await
    }

    /// The journal as CSV.
    pub async fn alarm_journal_csv(&self, user: &User, q: JournalQuery) -> Result<String, Error> {
        Ok(store::journal_csv(&self.alarm_journal(user, q).await?))
    }

    /// How many alarm transitions are stored (for tests and the command line).
    pub async fn alarm_event_count(&self) -> Result<i64, Error> {
        self.db()
            .run(|c| {
                c.query_row("SELECT COUNT(*) FROM alarm_events", params![], |r| r.get(0))
                    .map_err(Error::from)
            })
            .await
    }
}

fn refused(r: Result<AlarmView, Refused>) -> Result<AlarmView, Error> {
    r.map_err(|e| match e {
        Refused::NotFound => Error::NotFound("alarm"),
        Refused::NotOpen(why) => Error::Invalid {
            code: "alarm_not_open",
            message: why.to_string(),
            field: None,
        },
    })
}
