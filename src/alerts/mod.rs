//! Alarms (issue 13): rules from the plant configuration evaluated on the sample stream
//! ([`eval`]), Plantlog's own system conditions as alarms of the same kind, and the
//! lifecycle of each alarm in SQLite ([`store`]: raised, acknowledged with a comment,
//! shelved, suppressed in a planned stop, cleared, every transition with who and when).
//!
//! [`Alerts`] (here) is the live engine, fed by `app::Fanout` like the production
//! engine; the core's alarm job ticks it and stores what it produced. It imports config,
//! sample and health; never api, app, core or the collector.

pub mod desktop;
pub mod eval;
pub mod notify;
pub mod report;
pub mod store;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use crate::config::{Plant, Priority};
use crate::health::SystemAlarm;
use crate::sample::Sample;
pub use eval::{AlarmDef, Context, Transition};

/// The key prefix of Plantlog's own alarms.
pub const SYSTEM: &str = "system/";

/// A system condition as an alarm: its name and priority; its action is the condition's
/// message. Admins receive them (and maintenance those about storage and the disk).
pub fn system_def(a: &SystemAlarm) -> AlarmDef {
    let (name, priority, roles): (&str, Priority, &[&str]) = match a.code {
        "storage_failed" => (
            "Readings are not being stored",
            Priority::Critical,
            &["admin", "maintenance"],
        ),
        "disk_low" => (
            "Free disk space low",
            Priority::High,
            &["admin", "maintenance"],
        ),
        "backup_failed" => ("Backup failed", Priority::High, &["admin"]),
        "backup_overdue" => ("Backup overdue", Priority::Medium, &["admin"]),
        "backup_drill_failed" => ("Restore drill failed", Priority::Medium, &["admin"]),
        "backup_drill_overdue" => ("Restore drill overdue", Priority::Low, &["admin"]),
        other => (other, Priority::Medium, &["admin"]),
    };
    AlarmDef {
        key: format!("{SYSTEM}{}", a.code),
        rule: format!("{SYSTEM}{}", a.code),
        kind: "system",
        name: name.to_string(),
        priority,
        roles: roles.iter().map(|r| r.to_string()).collect(),
        action: a.message.clone(),
        machine: None,
    }
}

/// A condition another part of Plantlog holds on (a machine's overdue quality checks):
/// an alarm with its own definition, raised and cleared by the tick like Plantlog's own.
/// Its key is `system/<source>/<name>` so that it survives a restart as a system alarm.
#[derive(Debug, Clone)]
pub struct Condition {
    pub def: AlarmDef,
    pub since_ms: Option<i64>,
}

#[derive(Debug, Default)]
struct Inner {
    eval: eval::Evaluator,
    defs: HashMap<String, AlarmDef>,
    /// The system alarms active as last seen.
    system: HashSet<String>,
    /// The conditions each source holds now; a source that has not reported since the
    /// start leaves its alarms as they are.
    conditions: HashMap<String, Vec<Condition>>,
}

/// The live alarm engine.
#[derive(Debug, Default)]
pub struct Alerts {
    inner: Mutex<Inner>,
}

impl Alerts {
    /// Watches the rules of `plant` from `start` on, continuing the alarms in `active`
    /// (active before a restart or a configuration change). Returns the keys of active
    /// alarms the new rules no longer have: the caller clears them.
    pub fn reset(&self, plant: &Plant, start: i64, active: &HashSet<String>) -> Vec<String> {
        let mut e = eval::Evaluator::new(plant, start);
        e.resume(active);
        let defs: HashMap<String, AlarmDef> = e
            .defs()
            .iter()
            .map(|d| (d.key.clone(), d.clone()))
            .collect();
        let gone = active
            .iter()
            .filter(|k| !k.starts_with(SYSTEM) && !defs.contains_key(*k))
            .cloned()
            .collect();
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.eval = e;
        inner.defs = defs;
        inner.system = active
            .iter()
            .filter(|k| k.starts_with(SYSTEM))
            .cloned()
            .collect();
        gone
    }

    /// The conditions `source` holds now (all of them: one missing from the list clears
    /// at the next tick). Keys must start with `system/<source>/`.
    pub fn set_conditions(&self, source: &str, list: Vec<Condition>) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.conditions.insert(source.to_string(), list);
    }

    /// Follows a batch of readings (the collector's sink calls this).
    pub fn update(&self, batch: &[Sample]) {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .eval
            .update(batch);
    }

    /// Time passes: the rules' delays that ran out, and the system conditions as they
    /// are now. Returns every transition with its alarm, in order.
    pub fn tick(
        &self,
        now: i64,
        ctx: &Context,
        system: &[SystemAlarm],
    ) -> Vec<(AlarmDef, Transition)> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.eval.tick(now, ctx);
        let mut out: Vec<(AlarmDef, Transition)> = inner
            .eval
            .take()
            .into_iter()
            .filter_map(|t| Some((inner.defs.get(&t.key)?.clone(), t)))
            .collect();
        let mut seen = HashSet::new();
        let conditions: Vec<(AlarmDef, Option<i64>)> = system
            .iter()
            .map(|a| (system_def(a), a.since_ms))
            .chain(
                inner
                    .conditions
                    .values()
                    .flatten()
                    .map(|c| (c.def.clone(), c.since_ms)),
            )
            .collect();
        for (def, since_ms) in conditions {
            seen.insert(def.key.clone());
            if inner.system.insert(def.key.clone()) {
                let at = since_ms.unwrap_or(now).min(now);
                out.push((
                    def.clone(),
                    Transition {
                        key: def.key,
                        active: true,
                        at,
                        value: None,
                    },
                ));
            }
        }
        // A source's alarm (system/<source>/<name>) clears only once the source reported.
        let reported = |k: &str| {
            k.trim_start_matches(SYSTEM)
                .split_once('/')
                .is_none_or(|(source, _)| inner.conditions.contains_key(source))
        };
        let gone: Vec<String> = inner
            .system
            .difference(&seen)
            .filter(|k| reported(k))
            .cloned()
            .collect();
        for key in gone {
            inner.system.remove(&key);
            let code = key.trim_start_matches(SYSTEM);
            let def = system_def(&SystemAlarm {
                code: "",
                message: String::new(),
                since_ms: None,
            });
            out.push((
                AlarmDef {
                    key: key.clone(),
                    rule: key.clone(),
                    name: code.to_string(),
                    ..def
                },
                Transition {
                    key,
                    active: false,
                    at: now,
                    value: None,
                },
            ));
        }
        out
    }

    /// The machines the rules need to know stop reasons of.
    pub fn machines(&self) -> Vec<String> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let mut m: Vec<String> = inner
            .defs
            .values()
            .filter(|d| d.kind == "stop_without_reason")
            .filter_map(|d| d.machine.clone())
            .collect();
        m.sort();
        m.dedup();
        m
    }
}
