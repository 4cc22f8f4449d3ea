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

#[derive(Debug, Default)]
struct Inner {
    eval: eval::Evaluator,
    defs: HashMap<String, AlarmDef>,
    /// The system alarms active as last seen.
    system: HashSet<String>,
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
        for a in system {
            let def = system_def(a);
            seen.insert(def.key.clone());
            if inner.system.insert(def.key.clone()) {
                let at = a.since_ms.unwrap_or(now).min(now);
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
        let gone: Vec<String> = inner.system.difference(&seen).cloned().collect();
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
