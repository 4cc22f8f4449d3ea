//! What changed between two configurations, in words a person reads: "device
//! \"press-2-plc\" added", "tag \"press-1-plc/count\" changed: order, scale". Shown when
//! an edit was based on an older version, and in the list of versions.

use serde::Serialize;

use super::model::PlantConfig;

/// Differences of `new` from `old`, one line each, in file order.
pub fn changes(old: &PlantConfig, new: &PlantConfig) -> Vec<String> {
    let mut out = Vec::new();
    if old.site != new.site {
        out.push(format!(
            "site changed: {}",
            fields(&old.site, &new.site).join(", ")
        ));
    }
    keyed(&mut out, "shift", &old.shifts, &new.shifts, |s| {
        s.name.clone()
    });
    keyed(&mut out, "holiday", &old.holidays, &new.holidays, |h| {
        h.date.clone()
    });
    keyed(&mut out, "machine", &old.machines, &new.machines, |m| {
        m.key.clone()
    });
    keyed(&mut out, "line", &old.buses, &new.buses, |b| b.key.clone());
    for d in &new.devices {
        match old.devices.iter().find(|o| o.key == d.key) {
            None => out.push(format!("device \"{}\" added", d.key)),
            Some(o) => {
                let mut a = o.clone();
                let mut b = d.clone();
                a.tags.clear();
                b.tags.clear();
                if a != b {
                    out.push(format!(
                        "device \"{}\" changed: {}",
                        d.key,
                        fields(&a, &b).join(", ")
                    ));
                }
                let name = |t: &super::Tag| format!("{}/{}", d.key, t.name);
                keyed(&mut out, "tag", &o.tags, &d.tags, name);
            }
        }
    }
    for o in &old.devices {
        if !new.devices.iter().any(|d| d.key == o.key) {
            out.push(format!("device \"{}\" removed", o.key));
        }
    }
    keyed(&mut out, "alarm rule", &old.alarms, &new.alarms, |a| {
        a.key.clone()
    });
    if old.alarm_settings != new.alarm_settings {
        out.push(format!(
            "alarm settings changed: {}",
            fields(&old.alarm_settings, &new.alarm_settings).join(", ")
        ));
    }
    out
}

/// Added, removed and changed items of a list identified by `key`.
fn keyed<T: PartialEq + Serialize>(
    out: &mut Vec<String>,
    what: &str,
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> String,
) {
    for n in new {
        let k = key(n);
        match old.iter().find(|o| key(o) == k) {
            None => out.push(format!("{what} \"{k}\" added")),
            Some(o) if o != n => out.push(format!(
                "{what} \"{k}\" changed: {}",
                fields(o, n).join(", ")
            )),
            Some(_) => {}
        }
    }
    for o in old {
        let k = key(o);
        if !new.iter().any(|n| key(n) == k) {
            out.push(format!("{what} \"{k}\" removed"));
        }
    }
}

/// The names of the fields whose values differ, as the configuration file names them.
fn fields<T: Serialize>(old: &T, new: &T) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return vec!["its settings".to_string()];
    };
    let mut names: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> PlantConfig {
        crate::config::parse(text).unwrap()
    }

    const BASE: &str = r#"
[site]
name = "P"
timezone = "UTC"

[[machines]]
key = "m1"
name = "M1"

[[devices]]
key = "plc"
protocol = "modbus-tcp"
host = "127.0.0.1"
machine = "m1"

[[devices.tags]]
name = "count"
register = 40001
type = "u32"
"#;

    #[test]
    fn names_what_was_added_removed_and_changed() {
        let old = config(BASE);
        let new = config(
            &(BASE
                .replace(
                    "type = \"u32\"",
                    "type = \"u32\"\norder = \"CDAB\"\nscale = 2.0",
                )
                .replace("name = \"M1\"", "name = \"Machine one\"")
                .replace("host = \"127.0.0.1\"", "host = \"10.0.0.2\"")
                + "\n[[machines]]\nkey = \"m2\"\nname = \"M2\"\n"),
        );
        assert_eq!(
            changes(&old, &new),
            [
                "machine \"m1\" changed: name",
                "machine \"m2\" added",
                "device \"plc\" changed: host",
                "tag \"plc/count\" changed: order, scale",
            ]
        );
        assert_eq!(
            changes(&new, &old),
            [
                "machine \"m1\" changed: name",
                "machine \"m2\" removed",
                "device \"plc\" changed: host",
                "tag \"plc/count\" changed: order, scale",
            ]
        );
        assert!(changes(&old, &old).is_empty());
    }

    #[test]
    fn names_shift_holiday_and_alarm_changes() {
        let old = config(
            &(BASE.to_string()
                + r#"
[[shifts]]
name = "Early"
start = "06:00"
end = "14:00"

[[alarms]]
key = "plc-offline"
name = "PLC offline"
kind = "offline"
device = "plc"
after_s = 30
roles = ["maintenance"]
action = "Check the PLC's power and cable"
"#),
        );
        let new = config(
            &(BASE.to_string()
                + r#"
[[shifts]]
name = "Early"
start = "06:00"
end = "14:30"

[[shifts]]
name = "Late"
start = "14:30"
end = "22:00"

[[holidays]]
date = "2026-12-25"

[alarm_settings]
comment_required = ["critical"]
"#),
        );
        assert_eq!(
            changes(&old, &new),
            [
                "shift \"Early\" changed: end",
                "shift \"Late\" added",
                "holiday \"2026-12-25\" added",
                "alarm rule \"plc-offline\" removed",
                "alarm settings changed: comment_required",
            ]
        );
    }
}
