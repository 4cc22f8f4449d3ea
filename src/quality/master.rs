//! Quality's master data: products (with their ideal cycle time per machine),
//! inspection plans (the characteristics checked on a product and how often) and
//! materials. Read from TOML the way the plant configuration is: every mistake in the
//! file is listed with its place, and nothing is taken unless the whole file is good.
//!
//! ```toml
//! [[products]]
//! code = "BRK-100"
//! name = "Bracket 100"
//! cycle_s = { press-1 = 12.5 }
//!
//! [[plans]]
//! product = "BRK-100"
//!
//! [[plans.characteristics]]
//! name = "Hole diameter"
//! kind = "measured"
//! nominal = 10.0
//! lower = 9.95
//! upper = 10.05
//! unit = "mm"
//! every = "50 parts"          # or "30 minutes", "lot start", "shift start"
//! gauge = "gauge-1"           # optional: a serial-line device that prints readings
//!
//! [[materials]]
//! code = "ST-2MM"
//! name = "Steel sheet 2 mm"
//! unit = "kg"
//! ```

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use toml::{Table, Value};

use super::schedule::{Frequency, Grace};
use crate::config::{Keys, Problem, line_col, read_item, unknown_key};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub code: String,
    pub name: String,
    /// Ideal cycle time in seconds, by machine key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cycle_s: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A value measured against its specification limits.
    Measured,
    /// Pass or fail.
    Attribute,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Characteristic {
    pub name: String,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nominal: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// "50 parts", "30 minutes", "lot start" or "shift start".
    pub every: String,
    #[serde(default = "default_grace_minutes")]
    pub grace_minutes: u32,
    #[serde(default)]
    pub grace_parts: u64,
    /// A serial-line device whose readings fill this check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gauge: Option<String>,
}

pub(super) fn default_grace_minutes() -> u32 {
    10
}

impl Characteristic {
    /// How often, read from `every` (checked when the data is read, so this is whole).
    pub fn frequency(&self) -> Frequency {
        parse_every(&self.every).expect("checked when read")
    }

    pub fn grace(&self) -> Grace {
        Grace {
            minutes: self.grace_minutes,
            parts: self.grace_parts,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub product: String,
    #[serde(default)]
    pub characteristics: Vec<Characteristic>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Material {
    pub code: String,
    pub name: String,
    pub unit: String,
}

/// Products, plans and materials, checked as a whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MasterData {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<Product>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<Plan>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<Material>,
}

impl Keys for Product {
    const KEYS: &'static [&'static str] = &["code", "name", "cycle_s"];
}
impl Keys for Plan {
    const KEYS: &'static [&'static str] = &["product", "characteristics"];
}
impl Keys for Characteristic {
    const KEYS: &'static [&'static str] = &[
        "name",
        "kind",
        "nominal",
        "lower",
        "upper",
        "unit",
        "every",
        "grace_minutes",
        "grace_parts",
        "gauge",
    ];
}
impl Keys for Material {
    const KEYS: &'static [&'static str] = &["code", "name", "unit"];
}

/// The names master data refers to in the plant configuration.
#[derive(Debug, Clone, Default)]
pub struct PlantNames {
    pub machines: Vec<String>,
    /// Devices that can fill a measurement (serial-line devices).
    pub gauges: Vec<String>,
}

impl PlantNames {
    /// The names master data may refer to: the plant's machines and serial-line devices.
    pub fn of(plant: &crate::config::Plant) -> PlantNames {
        PlantNames {
            machines: plant
                .config
                .machines
                .iter()
                .map(|m| m.key.clone())
                .collect(),
            gauges: plant
                .config
                .devices
                .iter()
                .filter(|d| d.protocol == crate::config::Protocol::SerialLine)
                .map(|d| d.key.clone())
                .collect(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MasterError {
    #[error("the products, plans and materials were not imported; {} to fix:\n{}",
        if .0.len() == 1 { "1 mistake".to_string() } else { format!("{} mistakes", .0.len()) },
        .0.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

/// "50 parts", "30 minutes" (or "1 part", "1 minute"), "lot start", "shift start".
pub fn parse_every(text: &str) -> Result<Frequency, String> {
    let t = text.trim().to_lowercase();
    match t.as_str() {
        "lot start" => return Ok(Frequency::LotStart),
        "shift start" => return Ok(Frequency::ShiftStart),
        _ => {}
    }
    let mut words = t.split_whitespace();
    let (Some(n), Some(unit), None) = (words.next(), words.next(), words.next()) else {
        return Err(format!(
            "\"{text}\" is not a frequency; write \"50 parts\", \"30 minutes\", \"lot start\" or \"shift start\""
        ));
    };
    let n: u64 = n
        .parse()
        .map_err(|_| format!("\"{n}\" in \"{text}\" is not a whole number"))?;
    if n == 0 {
        return Err(format!("\"{text}\": the number must be 1 or more"));
    }
    match unit {
        "part" | "parts" => Ok(Frequency::Parts { parts: n }),
        "minute" | "minutes" => match u32::try_from(n) {
            Ok(minutes) if minutes <= 10_080 => Ok(Frequency::Minutes { minutes }),
            _ => Err(format!(
                "\"{text}\": at most 10080 minutes (a week); use \"shift start\" or \"lot start\" for rarer checks"
            )),
        },
        _ => Err(format!(
            "\"{unit}\" in \"{text}\" is not a unit of frequency; use parts or minutes"
        )),
    }
}

/// The TOML text of master data.
pub fn to_toml(data: &MasterData) -> String {
    toml::to_string_pretty(data).expect("master data serializes")
}

/// Reads and checks master data; every mistake comes back with its place.
pub fn parse(text: &str, plant: &PlantNames) -> Result<MasterData, MasterError> {
    let mut problems = Vec::new();
    let table: Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            let place = e
                .span()
                .map_or_else(|| "file".to_string(), |s| line_col(text, s.start));
            return Err(MasterError::Invalid(vec![Problem::new(
                place,
                format!("this is not valid TOML: {}", e.message()),
            )]));
        }
    };
    const SECTIONS: &[&str] = &["products", "plans", "materials"];
    for key in table.keys() {
        if !SECTIONS.contains(&key.as_str()) {
            problems.push(unknown_key("file", key, SECTIONS));
        }
    }
    let products: Vec<Product> = list(&table, "products", "product", "code", &mut problems);
    let materials: Vec<Material> = list(&table, "materials", "material", "code", &mut problems);
    let mut plans = Vec::new();
    for (i, v) in items(&table, "plans", &mut problems) {
        let place = place_of("plan", "product", i, &v);
        let mut v = v;
        // The characteristics are read one by one, so one wrong field hides no other.
        let chars = match &mut v {
            Value::Table(t) => t.remove("characteristics"),
            _ => None,
        };
        let Some(mut plan) = read_item::<Plan>(v, place.clone(), &mut problems) else {
            continue;
        };
        match chars {
            None => {}
            Some(Value::Array(list)) => {
                for (j, c) in list.into_iter().enumerate() {
                    let at = format!("{place}, {}", place_of("characteristic", "name", j, &c));
                    if let Some(c) = read_item::<Characteristic>(c, at, &mut problems) {
                        plan.characteristics.push(c);
                    }
                }
            }
            Some(other) => problems.push(Problem::new(
                format!("{place}, field \"characteristics\""),
                format!(
                    "expected a list of [[plans.characteristics]] tables, found {}",
                    other.type_str()
                ),
            )),
        }
        plans.push(plan);
    }
    let data = MasterData {
        products,
        plans,
        materials,
    };
    validate(&data, plant, &mut problems);
    if problems.is_empty() {
        Ok(data)
    } else {
        Err(MasterError::Invalid(problems))
    }
}

fn items(table: &Table, key: &str, problems: &mut Vec<Problem>) -> Vec<(usize, Value)> {
    match table.get(key) {
        None => Vec::new(),
        Some(Value::Array(list)) => list.iter().cloned().enumerate().collect(),
        Some(other) => {
            problems.push(Problem::new(
                key,
                format!(
                    "expected a list of [[{key}]] tables, found {}",
                    other.type_str()
                ),
            ));
            Vec::new()
        }
    }
}

fn list<T: serde::de::DeserializeOwned + Keys>(
    table: &Table,
    key: &str,
    noun: &str,
    ident: &str,
    problems: &mut Vec<Problem>,
) -> Vec<T> {
    items(table, key, problems)
        .into_iter()
        .filter_map(|(i, v)| {
            let place = place_of(noun, ident, i, &v);
            read_item(v, place, problems)
        })
        .collect()
}

/// `product "BRK-100"` when the item names itself, `product #2` otherwise.
fn place_of(noun: &str, ident: &str, index: usize, v: &Value) -> String {
    match v
        .get(ident)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        Some(id) => format!("{noun} \"{id}\""),
        None => format!("{noun} #{}", index + 1),
    }
}

fn code_problem(place: &str, what: &str, code: &str) -> Option<Problem> {
    if code.trim().is_empty() {
        Some(Problem::new(
            place,
            format!("the {what} is empty; give each one"),
        ))
    } else if code.trim() != code {
        Some(Problem::new(
            place,
            format!(
                "the {what} \"{code}\" begins or ends with a space; remove it (scanned codes have none)"
            ),
        ))
    } else {
        None
    }
}

pub(super) fn validate(data: &MasterData, plant: &PlantNames, problems: &mut Vec<Problem>) {
    let mut seen: HashSet<String> = HashSet::new();
    for p in &data.products {
        let place = format!("product \"{}\"", p.code);
        problems.extend(code_problem(&place, "product code", &p.code));
        if !seen.insert(p.code.to_lowercase()) {
            problems.push(crate::problem!(&place, "product_same_code"));
        }
        if p.name.trim().is_empty() {
            problems.push(crate::problem!(&place, "product_no_name"));
        }
        for (machine, s) in &p.cycle_s {
            let at = format!("{place}, cycle time on \"{machine}\"");
            if !plant.machines.contains(machine) {
                problems.push(Problem::new(
                    &at,
                    format!(
                        "there is no machine \"{machine}\" in the plant configuration; machines are: {}",
                        plant.machines.join(", ")
                    ),
                ));
            }
            if !(s.is_finite() && *s > 0.0) {
                problems.push(Problem::new(
                    &at,
                    format!("{s} is not a cycle time; give the ideal seconds a part, more than 0"),
                ));
            }
        }
    }

    let mut planned: HashSet<&str> = HashSet::new();
    for plan in &data.plans {
        let place = format!("plan \"{}\"", plan.product);
        if !data.products.iter().any(|p| p.code == plan.product) {
            problems.push(Problem::new(
                &place,
                format!(
                    "there is no product \"{}\"; add it under [[products]] or correct the code",
                    plan.product
                ),
            ));
        }
        if !planned.insert(plan.product.as_str()) {
            problems.push(crate::problem!(&place, "product_two_plans"));
        }
        if plan.characteristics.is_empty() {
            problems.push(crate::problem!(&place, "plan_empty"));
        }
        let mut names: HashSet<String> = HashSet::new();
        for c in &plan.characteristics {
            let at = format!("{place}, characteristic \"{}\"", c.name);
            characteristic(c, &at, plant, problems);
            if !names.insert(c.name.to_lowercase()) {
                problems.push(crate::problem!(&at, "characteristic_same_name"));
            }
        }
    }

    let mut seen: HashSet<String> = HashSet::new();
    for m in &data.materials {
        let place = format!("material \"{}\"", m.code);
        problems.extend(code_problem(&place, "material code", &m.code));
        if !seen.insert(m.code.to_lowercase()) {
            problems.push(crate::problem!(&place, "material_same_code"));
        }
        if m.name.trim().is_empty() {
            problems.push(crate::problem!(&place, "material_no_name"));
        }
        if m.unit.trim().is_empty() {
            problems.push(crate::problem!(&place, "material_no_unit"));
        }
    }
}

fn characteristic(c: &Characteristic, at: &str, plant: &PlantNames, problems: &mut Vec<Problem>) {
    if c.name.trim().is_empty() {
        problems.push(crate::problem!(at, "characteristic_no_name"));
    }
    if let Err(e) = parse_every(&c.every) {
        problems.push(Problem::new(format!("{at}, field \"every\""), e));
    }
    match c.kind {
        Kind::Measured => {
            if c.lower.is_none() && c.upper.is_none() {
                problems.push(crate::problem!(at, "measured_no_limit"));
            }
            for (field, v) in [
                ("lower", c.lower),
                ("upper", c.upper),
                ("nominal", c.nominal),
            ] {
                if let Some(v) = v
                    && !v.is_finite()
                {
                    problems.push(Problem::new(
                        format!("{at}, field \"{field}\""),
                        format!("{v} is not a number"),
                    ));
                }
            }
            if let (Some(l), Some(u)) = (c.lower, c.upper)
                && l >= u
            {
                problems.push(Problem::new(
                    at,
                    format!("the lower limit {l} is not below the upper limit {u}"),
                ));
            }
            if let Some(n) = c.nominal
                && (c.lower.is_some_and(|l| n < l) || c.upper.is_some_and(|u| n > u))
            {
                problems.push(Problem::new(
                    format!("{at}, field \"nominal\""),
                    format!("the nominal {n} lies outside the limits"),
                ));
            }
            if c.unit.as_deref().is_none_or(|u| u.trim().is_empty()) {
                problems.push(crate::problem!(at, "measured_no_unit"));
            }
        }
        Kind::Attribute => {
            for (field, given) in [
                ("lower", c.lower.is_some()),
                ("upper", c.upper.is_some()),
                ("nominal", c.nominal.is_some()),
                ("unit", c.unit.is_some()),
            ] {
                if given {
                    problems.push(Problem::new(
                        format!("{at}, field \"{field}\""),
                        format!("an attribute check is pass or fail and has no {field}; remove it or make the kind \"measured\""),
                    ));
                }
            }
        }
    }
    if let Some(g) = &c.gauge
        && !plant.gauges.contains(g)
    {
        problems.push(Problem::new(
            format!("{at}, field \"gauge\""),
            if plant.gauges.is_empty() {
                format!("there is no serial-line device \"{g}\"; the plant configuration has none")
            } else {
                format!(
                    "there is no serial-line device \"{g}\"; serial-line devices are: {}",
                    plant.gauges.join(", ")
                )
            },
        ));
    }
}

#[cfg(test)]
#[path = "tests_master.rs"]
mod tests;
