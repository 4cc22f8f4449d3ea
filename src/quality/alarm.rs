//! Overdue checks as alarms (issue 15): one alarm per machine whose running lot has a
//! check past its grace, key `system/check_overdue/<machine>`, for the machine's
//! operators, the supervisor and quality. It clears when no check of the machine is
//! overdue any more (the check was entered, or the lot ended).

use crate::alerts::{AlarmDef, Condition, SYSTEM};
use crate::config::{Plant, Priority};

use super::trace::DueCheck;

/// The source name of these conditions in the alarm engine.
pub const SOURCE: &str = "check_overdue";

/// The alarm of `machine` for its overdue checks among `checks`, if any is overdue.
pub fn overdue_condition(plant: &Plant, machine: &str, checks: &[DueCheck]) -> Option<Condition> {
    let overdue: Vec<&DueCheck> = checks.iter().filter(|c| c.state == "overdue").collect();
    let first = overdue.first()?;
    let name = plant
        .machine(machine)
        .map_or_else(|| machine.to_string(), |m| m.name.clone());
    let what: Vec<String> = overdue
        .iter()
        .map(|c| {
            let due = match (c.time, c.part) {
                (_, Some(p)) => format!(", due at part {p}"),
                _ => String::new(),
            };
            format!(
                "{} ({}{due})",
                c.characteristic.name, c.characteristic.every
            )
        })
        .collect();
    let key = format!("{SYSTEM}{SOURCE}/{machine}");
    Some(Condition {
        def: AlarmDef {
            rule: key.clone(),
            key,
            kind: "system",
            name: format!("Quality check overdue on {name}"),
            priority: Priority::Medium,
            roles: ["operator", "supervisor", "quality"]
                .iter()
                .map(|r| r.to_string())
                .collect(),
            action: format!(
                "Overdue on lot {}: {}. Enter {} on the Quality page; the alarm clears when no check of the machine is overdue.",
                first.lot,
                what.join(", "),
                if overdue.len() == 1 { "it" } else { "them" }
            ),
            machine: Some(machine.to_string()),
        },
        since_ms: overdue.iter().filter_map(|c| c.time).min(),
    })
}
