//! Quality's master data as one CSV file, for a spreadsheet: a row per product, per
//! characteristic of a plan and per material, told apart by the `record` column.
//!
//! ```csv
//! record,code,name,unit,cycle_s,product,kind,nominal,lower,upper,every,grace_minutes,grace_parts,gauge
//! product,BRK-100,Bracket 100,,press-1=12.5; press-2=12.5,,,,,,,,,
//! characteristic,,Hole diameter,mm,,BRK-100,measured,10,9.95,10.05,30 minutes,10,0,
//! material,ST-2MM,Steel sheet 2 mm,kg,,,,,,,,,,
//! ```
//!
//! It is checked like the TOML file: every mistake is listed, with its row (the file's
//! line, the header being row 1) and column, and nothing is taken unless the whole file
//! is good.

use std::collections::BTreeMap;

use super::master::{
    Characteristic, Kind, MasterData, MasterError, Material, Plan, PlantNames, Product, validate,
};
use crate::config::Problem;

/// The columns, in the order they are written.
pub const COLUMNS: &[&str] = &[
    "record",
    "code",
    "name",
    "unit",
    "cycle_s",
    "product",
    "kind",
    "nominal",
    "lower",
    "upper",
    "every",
    "grace_minutes",
    "grace_parts",
    "gauge",
];

/// The columns each kind of row may fill (`record` aside).
fn allowed(record: &str) -> &'static [&'static str] {
    match record {
        "product" => &["code", "name", "cycle_s"],
        "material" => &["code", "name", "unit"],
        _ => &[
            "product",
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
        ],
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The master data as CSV (products, then characteristics by plan, then materials).
pub fn to_csv(data: &MasterData) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let row = |w: &mut csv::Writer<Vec<u8>>, cells: BTreeMap<&str, String>| {
        w.write_record(
            COLUMNS
                .iter()
                .map(|c| cells.get(c).cloned().unwrap_or_default()),
        )
        .expect("writing to memory");
    };
    w.write_record(COLUMNS).expect("writing to memory");
    for p in &data.products {
        let cycle = p
            .cycle_s
            .iter()
            .map(|(m, s)| format!("{m}={s}"))
            .collect::<Vec<_>>()
            .join("; ");
        row(
            &mut w,
            BTreeMap::from([
                ("record", "product".to_string()),
                ("code", p.code.clone()),
                ("name", p.name.clone()),
                ("cycle_s", cycle),
            ]),
        );
    }
    for plan in &data.plans {
        for c in &plan.characteristics {
            row(
                &mut w,
                BTreeMap::from([
                    ("record", "characteristic".to_string()),
                    ("product", plan.product.clone()),
                    ("name", c.name.clone()),
                    (
                        "kind",
                        match c.kind {
                            Kind::Measured => "measured",
                            Kind::Attribute => "attribute",
                        }
                        .to_string(),
                    ),
                    ("nominal", num(c.nominal)),
                    ("lower", num(c.lower)),
                    ("upper", num(c.upper)),
                    ("unit", c.unit.clone().unwrap_or_default()),
                    ("every", c.every.clone()),
                    ("grace_minutes", c.grace_minutes.to_string()),
                    ("grace_parts", c.grace_parts.to_string()),
                    ("gauge", c.gauge.clone().unwrap_or_default()),
                ]),
            );
        }
    }
    for m in &data.materials {
        row(
            &mut w,
            BTreeMap::from([
                ("record", "material".to_string()),
                ("code", m.code.clone()),
                ("name", m.name.clone()),
                ("unit", m.unit.clone()),
            ]),
        );
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 in, UTF-8 out")
}

/// One data row's cells by column name, with its row number.
struct Row {
    line: u64,
    cells: BTreeMap<String, String>,
}

impl Row {
    fn at(&self, column: &str) -> String {
        format!("row {}, column \"{column}\"", self.line)
    }
    fn text(&self, column: &str) -> Option<String> {
        self.cells
            .get(column)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }
    fn parse<T: std::str::FromStr>(
        &self,
        column: &str,
        what: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<T> {
        let t = self.text(column)?;
        match t.parse::<T>() {
            Ok(v) => Some(v),
            Err(_) => {
                problems.push(Problem::new(
                    self.at(column),
                    format!("\"{t}\" is not {what}"),
                ));
                None
            }
        }
    }
}

/// Reads and checks master data from CSV; every mistake comes back with its row and
/// column.
pub fn parse_csv(text: &str, plant: &PlantNames) -> Result<MasterData, MasterError> {
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.to_lowercase()).collect(),
        Err(e) => {
            return Err(MasterError::Invalid(vec![Problem::new(
                "row 1",
                format!("the header row cannot be read: {e}"),
            )]));
        }
    };
    for (i, h) in headers.iter().enumerate() {
        if !COLUMNS.contains(&h.as_str()) {
            problems.push(Problem::new(
                format!("row 1, column {} \"{h}\"", i + 1),
                format!(
                    "there is no column \"{h}\"; the columns are: {}",
                    COLUMNS.join(", ")
                ),
            ));
        }
    }
    if !headers.iter().any(|h| h == "record") {
        problems.push(Problem::new(
            "row 1",
            "the header has no \"record\" column; each row says whether it is a product, characteristic or material",
        ));
        return Err(MasterError::Invalid(problems));
    }
    let mut rows = Vec::new();
    for r in reader.records() {
        match r {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line());
                if r.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                if r.len() > headers.len() {
                    problems.push(Problem::new(
                        format!("row {line}"),
                        format!(
                            "{} cells, the header has {} columns; a name with a comma needs quotes",
                            r.len(),
                            headers.len()
                        ),
                    ));
                }
                let cells = headers
                    .iter()
                    .cloned()
                    .zip(r.iter().map(str::to_string))
                    .collect();
                rows.push(Row { line, cells });
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(Problem::new(
                    format!("row {line}"),
                    format!("this row cannot be read: {e}"),
                ));
            }
        }
    }

    let mut data = MasterData::default();
    // The rows of each item, by its place in the checks' messages.
    let mut places: Vec<(String, u64)> = Vec::new();
    for row in &rows {
        let record = row.text("record").unwrap_or_default().to_lowercase();
        if !["product", "characteristic", "material"].contains(&record.as_str()) {
            problems.push(Problem::new(
                row.at("record"),
                format!(
                    "\"{record}\" is not a kind of row; write product, characteristic or material"
                ),
            ));
            continue;
        }
        for (column, value) in &row.cells {
            if column != "record"
                && COLUMNS.contains(&column.as_str())
                && !value.trim().is_empty()
                && !allowed(&record).contains(&column.as_str())
            {
                problems.push(Problem::new(
                    row.at(column),
                    format!("a {record} row has no {column}; leave the cell empty"),
                ));
            }
        }
        let code = row.text("code").unwrap_or_default();
        let name = row.text("name").unwrap_or_default();
        match record.as_str() {
            "product" => {
                let mut cycle_s = BTreeMap::new();
                for part in row
                    .text("cycle_s")
                    .unwrap_or_default()
                    .split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                {
                    match part
                        .split_once('=')
                        .map(|(m, s)| (m.trim(), s.trim().parse::<f64>()))
                    {
                        Some((m, Ok(s))) if !m.is_empty() => {
                            cycle_s.insert(m.to_string(), s);
                        }
                        _ => problems.push(Problem::new(
                            row.at("cycle_s"),
                            format!(
                                "\"{part}\" is not a cycle time; write machine=seconds, several separated by ; (press-1=12.5; press-2=10)"
                            ),
                        )),
                    }
                }
                places.push((format!("product \"{code}\""), row.line));
                data.products.push(Product {
                    code,
                    name,
                    cycle_s,
                });
            }
            "material" => {
                places.push((format!("material \"{code}\""), row.line));
                data.materials.push(Material {
                    code,
                    name,
                    unit: row.text("unit").unwrap_or_default(),
                });
            }
            _ => {
                let product = row.text("product").unwrap_or_default();
                let kind = match row.text("kind").map(|k| k.to_lowercase()).as_deref() {
                    Some("measured") => Kind::Measured,
                    Some("attribute") => Kind::Attribute,
                    other => {
                        problems.push(Problem::new(
                            row.at("kind"),
                            match other {
                                None => {
                                    "the kind is empty; write measured or attribute".to_string()
                                }
                                Some(k) => format!(
                                    "\"{k}\" is not a kind of check; write measured or attribute"
                                ),
                            },
                        ));
                        continue;
                    }
                };
                let c = Characteristic {
                    name: name.clone(),
                    kind,
                    nominal: row.parse("nominal", "a number", &mut problems),
                    lower: row.parse("lower", "a number", &mut problems),
                    upper: row.parse("upper", "a number", &mut problems),
                    unit: row.text("unit"),
                    every: row.text("every").unwrap_or_default(),
                    grace_minutes: row
                        .parse("grace_minutes", "a whole number of minutes", &mut problems)
                        .unwrap_or_else(super::master::default_grace_minutes),
                    grace_parts: row
                        .parse("grace_parts", "a whole number of parts", &mut problems)
                        .unwrap_or(0),
                    gauge: row.text("gauge"),
                };
                places.push((
                    format!("plan \"{product}\", characteristic \"{name}\""),
                    row.line,
                ));
                places.push((format!("plan \"{product}\""), row.line));
                match data.plans.iter_mut().find(|p| p.product == product) {
                    Some(plan) => plan.characteristics.push(c),
                    None => data.plans.push(Plan {
                        product,
                        characteristics: vec![c],
                    }),
                }
            }
        }
    }
    if !problems.is_empty() {
        // Cells that could not be read: the checks of the whole would repeat them.
        return Err(MasterError::Invalid(problems));
    }
    let mut checked = Vec::new();
    validate(&data, plant, &mut checked);
    if checked.is_empty() {
        return Ok(data);
    }
    Err(MasterError::Invalid(
        checked.into_iter().map(|p| in_rows(p, &places)).collect(),
    ))
}

/// A mistake found in the whole, placed at its rows and column: `plan "BRK-100",
/// characteristic "Hole diameter", field "every"` becomes `row 7, column "every"
/// (plan "BRK-100", characteristic "Hole diameter")`.
fn in_rows(p: Problem, places: &[(String, u64)]) -> Problem {
    let Some(item) = places
        .iter()
        .map(|(place, _)| place)
        .filter(|place| p.place == **place || p.place.starts_with(&format!("{place}, ")))
        .max_by_key(|place| place.len())
    else {
        return p;
    };
    let mut lines: Vec<u64> = places
        .iter()
        .filter(|(place, _)| place == item)
        .map(|(_, l)| *l)
        .collect();
    lines.dedup();
    let rest = p.place[item.len()..].trim_start_matches(", ");
    let (column, about) = if let Some(f) = rest.strip_prefix("field ") {
        (format!(", column {f}"), item.clone())
    } else if rest.starts_with("cycle time on ") {
        (
            ", column \"cycle_s\"".to_string(),
            format!("{item}, {rest}"),
        )
    } else if rest.is_empty() {
        (String::new(), item.clone())
    } else {
        (String::new(), format!("{item}, {rest}"))
    };
    let rows = match lines.as_slice() {
        [one] => format!("row {one}"),
        many => format!(
            "rows {}",
            many.iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Problem::new(format!("{rows}{column} ({about})"), p.message)
}

#[cfg(test)]
#[path = "tests_master_csv.rs"]
mod tests;
