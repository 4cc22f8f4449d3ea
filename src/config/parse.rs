//! Reading a plant configuration from TOML text, collecting every mistake at once.
//!
//! Each section and each list item is deserialized on its own, so a wrong type in one
//! tag does not hide a mistake in another; unknown keys are reported with the nearest
//! known key. What parses is then checked as a whole by `validate`.

use serde::de::DeserializeOwned;
use toml::{Table, Value};

use super::model::{
    AlarmRule, AlarmSettings, Bus, Device, Holiday, Keys, Machine, PlantConfig, Shift, Site, Tag,
};
use super::{ConfigError, Problem};

/// Parses and validates a configuration file's text. Either the whole configuration
/// is good, or every problem found comes back with its place.
pub fn parse(text: &str) -> Result<PlantConfig, ConfigError> {
    let mut problems = Vec::new();
    let shapes = parse_shapes(text, &mut problems);
    if let Some(shapes) = &shapes {
        super::validate::validate(&shapes.as_parts(), &mut problems);
    }
    match shapes.and_then(Shapes::complete) {
        Some(config) if problems.is_empty() => Ok(config),
        _ => {
            // In the order of the file's sections.
            let rank = |p: &Problem| {
                [
                    "line",
                    "file",
                    "site",
                    "shift",
                    "machine",
                    "serial line",
                    "device",
                    "holiday",
                    "alarm",
                ]
                .iter()
                .position(|s| p.place.starts_with(s))
                .unwrap_or(10)
            };
            problems.sort_by_key(rank);
            Err(ConfigError::Invalid(problems))
        }
    }
}

/// The sections of a configuration file.
const SECTIONS: &[&str] = &[
    "site",
    "shifts",
    "machines",
    "buses",
    "devices",
    "holidays",
    "alarms",
    "alarm_settings",
];

/// What could be read: every section and item that parsed, and the keys of machines
/// that did not (so references to them are not reported as missing too).
struct Shapes {
    site: Option<Site>,
    shifts: Vec<Shift>,
    machines: Vec<Machine>,
    buses: Vec<Bus>,
    devices: Vec<Device>,
    holidays: Vec<Holiday>,
    alarms: Vec<AlarmRule>,
    alarm_settings: AlarmSettings,
    unreadable_machines: Vec<String>,
    complete: bool,
}

impl Shapes {
    fn as_parts(&self) -> super::validate::Parts<'_> {
        super::validate::Parts {
            site: self.site.as_ref(),
            shifts: &self.shifts,
            machines: &self.machines,
            buses: &self.buses,
            devices: &self.devices,
            holidays: &self.holidays,
            alarms: &self.alarms,
            alarm_settings: &self.alarm_settings,
            unreadable_machines: &self.unreadable_machines,
        }
    }

    fn complete(self) -> Option<PlantConfig> {
        if !self.complete {
            return None;
        }
        Some(PlantConfig {
            site: self.site?,
            shifts: self.shifts,
            machines: self.machines,
            buses: self.buses,
            devices: self.devices,
            holidays: self.holidays,
            alarms: self.alarms,
            alarm_settings: self.alarm_settings,
        })
    }
}

/// Reads the shapes; `None` when the text is not TOML at all.
fn parse_shapes(text: &str, problems: &mut Vec<Problem>) -> Option<Shapes> {
    let table: Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            let place = match e.span() {
                Some(span) => line_col(text, span.start),
                None => "file".to_string(),
            };
            problems.push(crate::problem!(place, "not_toml", detail = e.message()));
            return None;
        }
    };

    let before = problems.len();
    for key in table.keys() {
        if !SECTIONS.contains(&key.as_str()) {
            problems.push(unknown_key("file", key, SECTIONS));
        }
    }

    let site = match table.get("site") {
        Some(v) => item::<Site>(v.clone(), "site".to_string(), problems),
        None => {
            problems.push(crate::problem!("site", "no_site"));
            None
        }
    };

    let shifts = list(&table, "shifts", problems, |v, place, p| {
        item::<Shift>(v, place, p)
    });
    let machines = list(&table, "machines", problems, |v, place, p| {
        item::<Machine>(v, place, p)
    });
    let buses = list(&table, "buses", problems, |v, place, p| {
        item::<Bus>(v, place, p)
    });
    let devices = list(&table, "devices", problems, device);
    let holidays = list(&table, "holidays", problems, |v, place, p| {
        item::<Holiday>(v, place, p)
    });
    let alarms = list(&table, "alarms", problems, |v, place, p| {
        item::<AlarmRule>(v, place, p)
    });
    let alarm_settings = match table.get("alarm_settings") {
        Some(v) => item::<AlarmSettings>(v.clone(), "alarm settings".to_string(), problems)
            .unwrap_or_default(),
        None => AlarmSettings::default(),
    };
    let unreadable_machines = match table.get("machines") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|m| m.get("key").and_then(Value::as_str))
            .filter(|k| !machines.iter().any(|m| m.key == *k))
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };

    Some(Shapes {
        site,
        shifts,
        machines,
        buses,
        devices,
        holidays,
        alarms,
        alarm_settings,
        unreadable_machines,
        complete: problems.len() == before,
    })
}

/// Reads an array of tables; each element is read by `read` with its own place. The
/// items that could be read come back; problems with the others are in `problems`.
fn list<T>(
    table: &Table,
    key: &str,
    problems: &mut Vec<Problem>,
    read: impl Fn(Value, String, &mut Vec<Problem>) -> Option<T>,
) -> Vec<T> {
    let Some(value) = table.get(key) else {
        return Vec::new();
    };
    let Value::Array(items) = value else {
        problems.push(crate::problem!(
            key,
            "not_list",
            key = key,
            found = value.type_str()
        ));
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, v)| read(v.clone(), item_place(section_noun(key), i, v), problems))
        .collect()
}

fn section_noun(key: &str) -> &'static str {
    match key {
        "shifts" => "shift",
        "buses" => "serial line",
        "machines" => "machine",
        "devices" => "device",
        "tags" => "tag",
        "states" => "state",
        "holidays" => "holiday",
        "alarms" => "alarm",
        "bits" => "bit",
        _ => "item",
    }
}

/// "device \"press-1-plc\"" when the item has a key or name, "device #3" otherwise.
fn item_place(noun: &str, index: usize, v: &Value) -> String {
    let ident = v
        .get("key")
        .or_else(|| v.get("name"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    match ident {
        Some(id) => format!("{noun} \"{id}\""),
        None => format!("{noun} #{}", index + 1),
    }
}

/// A device: its own fields, then each of its tags on its own.
fn device(v: Value, place: String, problems: &mut Vec<Problem>) -> Option<Device> {
    let Value::Table(mut t) = v else {
        problems.push(crate::problem!(place, "not_table", found = v.type_str()));
        return None;
    };
    let tags_value = t.remove("tags");
    let given: Vec<String> = t.keys().cloned().collect();
    let device = item::<Device>(Value::Table(t), place.clone(), problems);
    let mut tags_table = Table::new();
    if let Some(tv) = tags_value {
        tags_table.insert("tags".to_string(), tv);
    }
    let tags = list(&tags_table, "tags", problems, |v, p, probs| {
        item::<Tag>(v, format!("{place}, {p}"), probs)
    });
    let mut device = device?;
    device.tags = tags;
    if let Some(key) = device.template.clone() {
        let Some(template) = super::templates::get(&key) else {
            let known: Vec<&str> = super::templates::all()
                .iter()
                .map(|t| t.template.key.as_str())
                .collect();
            problems.push(crate::problem!(
                format!("{place}, field \"template\""),
                "no_template",
                key = key.as_str(),
                known = known.join(", ")
            ));
            return None;
        };
        apply_template(&mut device, template, &given);
    }
    Some(device)
}

/// The template's tags, replaced by the device's own tags of the same name, then the
/// device's other tags; the template's settings where the device gives none.
fn apply_template(device: &mut Device, template: &super::templates::Template, given: &[String]) {
    let own = std::mem::take(&mut device.tags);
    let mut tags: Vec<Tag> = template
        .tags
        .iter()
        .map(|t| own.iter().find(|o| o.name == t.name).unwrap_or(t).clone())
        .collect();
    tags.extend(
        own.into_iter()
            .filter(|o| !template.tags.iter().any(|t| t.name == o.name)),
    );
    device.tags = tags;
    let set = |k: &str| given.iter().any(|g| g == k);
    let d = &template.template.device;
    if let (Some(v), false) = (d.timeout_ms, set("timeout_ms")) {
        device.timeout_ms = v;
    }
    if let (Some(v), false) = (d.poll_ms, set("poll_ms")) {
        device.poll_ms = v;
    }
    if let (Some(v), false) = (d.max_registers, set("max_registers")) {
        device.max_registers = v;
    }
    if let (Some(v), false) = (d.max_bits, set("max_bits")) {
        device.max_bits = v;
    }
    if let (Some(v), false) = (d.max_gap, set("max_gap")) {
        device.max_gap = v;
    }
}

/// Deserializes one item, reporting unknown keys and every field of the wrong type.
/// After a field fails, it is taken out and the item read again, so the next bad field
/// is found too.
pub(crate) fn item<T: DeserializeOwned + Keys>(
    v: Value,
    place: String,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let Value::Table(mut table) = v else {
        problems.push(crate::problem!(place, "not_table", found = v.type_str()));
        return None;
    };
    let mut removed: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let result = loop {
        let mut on_unknown = |path: serde_ignored::Path<'_>| {
            let path = path.to_string();
            if !unknown.contains(&path) {
                unknown.push(path);
            }
        };
        let de = serde_ignored::Deserializer::new(Value::Table(table.clone()), &mut on_unknown);
        let result: Result<T, _> = serde_path_to_error::deserialize(de);
        match result {
            Ok(value) => break removed.is_empty().then_some(value),
            Err(e) => {
                let path = e.path().to_string();
                let message = e.inner().message().to_string();
                let field = path.split(['.', '[']).next().unwrap_or("").to_string();
                let missing_removed = message.starts_with("missing field")
                    && removed.iter().any(|r| message.contains(&format!("`{r}`")));
                if missing_removed {
                    break None;
                }
                let at = if path == "." || path.is_empty() {
                    place.clone()
                } else {
                    format!("{place}, field \"{path}\"")
                };
                problems.push(explain(at, &message));
                if field.is_empty() || table.remove(&field).is_none() {
                    break None;
                }
                removed.push(field);
            }
        }
    };
    for path in &unknown {
        problems.push(unknown_key(&place, path, T::KEYS));
    }
    result
}

/// Rewrites serde's wording into what a person fixing a file needs, by code where the
/// message has a known form (serde's own words otherwise).
fn explain(at: String, message: &str) -> Problem {
    if let Some(rest) = message.strip_prefix("missing field ") {
        return crate::problem!(at, "required", field = rest.trim_matches('`'));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        if let Some((value, allowed)) = rest.split_once(", expected one of ") {
            return crate::problem!(
                at,
                "unknown_value",
                value = value.trim_matches('`'),
                allowed = allowed.replace('`', "\"")
            );
        }
        if let Some((value, allowed)) = rest.split_once(", expected ") {
            return crate::problem!(
                at,
                "unknown_value",
                value = value.trim_matches('`'),
                allowed = allowed.replace('`', "\"")
            );
        }
        return Problem::new(at, format!("unknown value {rest}"));
    }
    for ty in ["u8", "u16", "u32", "u64", "f64"] {
        if let Some(what) = message.strip_suffix(&format!(", expected {ty}")) {
            let what = what
                .trim_start_matches("invalid value: ")
                .trim_start_matches("invalid type: ");
            // "integer `70000`", "string \"abc\"", "boolean `true`": the value as written.
            let value = what
                .split_once(' ')
                .map_or(what, |(_, v)| v)
                .trim_matches('`');
            return crate::problem!(at, "not_in_range", value = value, ty = ty);
        }
    }
    Problem::new(at, message)
}

pub(crate) fn unknown_key(place: &str, key: &str, known: &[&str]) -> Problem {
    let near = known
        .iter()
        .map(|k| (strsim::levenshtein(k, key), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k);
    crate::problem!(
        format!("{place}, field \"{key}\""),
        "unknown_key",
        key = key,
        hint = if near.is_some() { "near" } else { "list" },
        near = near.unwrap_or(""),
        known = known.join(", ")
    )
}

pub(crate) fn line_col(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {col}")
}

/// The TOML text of a configuration given as JSON (the shape `PlantConfig` serializes
/// to); nulls mean "not given", so defaults and templates apply as in a file.
pub fn toml_of_json(mut v: serde_json::Value) -> Result<String, String> {
    fn strip_nulls(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.retain(|_, x| !x.is_null());
                m.values_mut().for_each(strip_nulls);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip_nulls),
            _ => {}
        }
    }
    strip_nulls(&mut v);
    if !v.is_object() {
        return Err(
            "the configuration must be a JSON object with site, machines, devices...".into(),
        );
    }
    let table = toml::Value::try_from(v)
        .map_err(|e| format!("the configuration cannot be written as TOML: {e}"))?;
    toml::to_string(&table).map_err(|e| format!("the configuration cannot be written as TOML: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::model::*;

    #[test]
    fn known_keys_match_the_model() {
        fn keys_of<T: serde::Serialize>(v: &T) -> Vec<String> {
            let value = toml::Value::try_from(v).unwrap();
            let mut keys: Vec<_> = value.as_table().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        }
        fn known<T: Keys>() -> Vec<String> {
            let mut k: Vec<_> = T::KEYS.iter().map(|s| s.to_string()).collect();
            k.sort();
            k
        }
        // A full example of each section, every field set away from its default.
        let tag = Tag {
            name: "t".into(),
            label: Some("l".into()),
            machine: Some("m".into()),
            role: Some(TagRole::Count),
            function: Some(RegisterKind::Holding),
            address: Some(1),
            register: Some(40002),
            data_type: Some(DataType::String),
            bit: Some(1),
            length: Some(4),
            order: Order::Cdab,
            field: Some("f".into()),
            scale: 2.0,
            offset: 1.0,
            unit: "u".into(),
            poll_ms: Some(5),
            record: RecordMode::Deadband,
            deadband: Some(0.5),
            deadband_percent: Some(1.0),
            heartbeat_s: Some(30),
        };
        assert_eq!(keys_of(&tag), known::<Tag>());
        let device = Device {
            key: "d".into(),
            name: "n".into(),
            protocol: Protocol::ModbusTcp,
            host: Some("h".into()),
            port: Some(1),
            bus: Some("b".into()),
            unit_id: 1,
            timeout_ms: 1,
            poll_ms: 1,
            machine: Some("m".into()),
            template: Some("t".into()),
            max_gap: 3,
            max_registers: 10,
            max_bits: 10,
            pattern: Some("p".into()),
            terminator: Some("\r".into()),
            max_line: 10,
            tags: vec![tag],
        };
        assert_eq!(keys_of(&device), known::<Device>());
        let bus = Bus {
            key: "b".into(),
            name: "n".into(),
            port: "COM1".into(),
            baud: 19200,
            parity: Parity::Even,
            data_bits: 7,
            stop_bits: 2,
            frame_gap_ms: Some(5.0),
        };
        assert_eq!(keys_of(&bus), known::<Bus>());
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let err = parse("[site]\nname = \"x\ntimezone = \"UTC\"\n").unwrap_err();
        let ConfigError::Invalid(problems) = err;
        assert_eq!(problems.len(), 1);
        assert!(problems[0].place.starts_with("line 2"), "{problems:?}");
    }

    #[test]
    fn two_bad_fields_in_one_tag_are_both_reported() {
        let text = r#"
[site]
name = "P"
timezone = "UTC"
[[devices]]
key = "d1"
protocol = "modbus-tcp"
host = "127.0.0.1"
[[devices.tags]]
name = "t"
function = "holding"
address = "zero"
type = "u128"
"#;
        let ConfigError::Invalid(problems) = parse(text).unwrap_err();
        let places: Vec<_> = problems.iter().map(|p| p.place.as_str()).collect();
        assert!(
            places.contains(&"device \"d1\", tag \"t\", field \"address\""),
            "{problems:?}"
        );
        assert!(
            places.contains(&"device \"d1\", tag \"t\", field \"type\""),
            "{problems:?}"
        );
    }

    #[test]
    fn unknown_key_suggests_the_near_one() {
        let text = r#"
[site]
name = "P"
timezone = "UTC"
[[devices]]
key = "d1"
protocol = "modbus-tcp"
host = "127.0.0.1"
[[devices.tags]]
name = "t"
function = "holding"
adress = 3
address = 3
type = "u16"
"#;
        let ConfigError::Invalid(problems) = parse(text).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("did you mean \"address\""));
    }
}
