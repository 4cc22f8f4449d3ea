//! Applying an edit made in forms onto the configuration file's own text, so the
//! comments and layout of the file someone wrote survive the edits the UI makes.
//!
//! The edit is worked out on the canonical forms of the old and the new configuration
//! (every default written out): what did not change is left as the file has it, what
//! changed is set, what went is removed; list items (machines, devices, tags, ...) are
//! matched by their key or name. The result is used only when it reads back as exactly
//! the new configuration; otherwise the caller writes the canonical text instead.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

use super::model::PlantConfig;

/// `source` (the text of `old`) changed into `new`, keeping its comments where the
/// document model allows; `None` when that cannot be done faithfully.
pub fn apply(source: &str, old: &PlantConfig, new: &PlantConfig) -> Option<String> {
    let mut doc: DocumentMut = source.parse().ok()?;
    let old_canon: toml::Table = toml::Value::try_from(old).ok()?.as_table()?.clone();
    let new_canon: toml::Table = toml::Value::try_from(new).ok()?.as_table()?.clone();
    merge_table(doc.as_table_mut(), &old_canon, &new_canon)?;
    let text = doc.to_string();
    let back = super::parse(&text).ok()?;
    (back == *new).then_some(text)
}

fn merge_table(src: &mut Table, old: &toml::Table, new: &toml::Table) -> Option<()> {
    for (k, nv) in new {
        let ov = old.get(k);
        if ov == Some(nv) && src.contains_key(k) {
            continue;
        }
        match (ov, nv, src.get_mut(k)) {
            (Some(toml::Value::Table(ot)), toml::Value::Table(nt), Some(Item::Table(st))) => {
                merge_table(st, ot, nt)?;
            }
            (
                Some(toml::Value::Array(oa)),
                toml::Value::Array(na),
                Some(Item::ArrayOfTables(sa)),
            ) if is_tables(na) => {
                let merged = merge_tables(sa, oa, na)?;
                *sa = merged;
            }
            (Some(ov), _, Some(Item::Value(sv))) if ov != nv => {
                let decor = sv.decor().clone();
                let mut v = edit_value(nv)?;
                *v.decor_mut() = decor;
                *sv = v;
            }
            (_, _, Some(_)) => {
                src.insert(k, edit_item(nv)?);
            }
            (_, _, None) => {
                // Not written in the file: left out while it equals the default.
                if ov != Some(nv) {
                    src.insert(k, edit_item(nv)?);
                }
            }
        }
    }
    let gone: Vec<String> = src
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| !new.contains_key(k) && old.contains_key(k))
        .collect();
    for k in gone {
        src.remove(&k);
    }
    Some(())
}

fn is_tables(a: &[toml::Value]) -> bool {
    !a.is_empty() && a.iter().all(|v| v.is_table())
}

/// The identity of a list item: its key, else its name, else its date.
fn id_of(t: &toml::Table) -> Option<&toml::Value> {
    t.get("key")
        .or_else(|| t.get("name"))
        .or_else(|| t.get("date"))
}

fn edit_id(t: &Table) -> Option<String> {
    ["key", "name", "date"]
        .iter()
        .find_map(|k| t.get(k).and_then(|i| i.as_str()).map(str::to_string))
}

fn merge_tables(
    src: &ArrayOfTables,
    old: &[toml::Value],
    new: &[toml::Value],
) -> Option<ArrayOfTables> {
    let mut out = ArrayOfTables::new();
    for nv in new {
        let nt = nv.as_table()?;
        let id = id_of(nt).and_then(|v| v.as_str());
        let ot = old
            .iter()
            .filter_map(|v| v.as_table())
            .find(|t| id.is_some() && id_of(t).and_then(|v| v.as_str()) == id);
        let st = src
            .iter()
            .find(|t| id.is_some() && edit_id(t).as_deref() == id);
        match (ot, st) {
            (Some(ot), Some(st)) => {
                let mut t = st.clone();
                merge_table(&mut t, ot, nt)?;
                out.push(t);
            }
            _ => out.push(edit_table(nt)?),
        }
    }
    Some(out)
}

fn edit_value(v: &toml::Value) -> Option<toml_edit::Value> {
    let doc: DocumentMut = format!("x = {v}").parse().ok()?;
    doc.get("x")?.as_value().cloned().map(|mut v| {
        v.decor_mut().clear();
        v
    })
}

fn edit_table(t: &toml::Table) -> Option<Table> {
    let doc: DocumentMut = toml::to_string(t).ok()?.parse().ok()?;
    let mut table = doc.as_table().clone();
    table.set_implicit(false);
    Some(table)
}

fn edit_item(v: &toml::Value) -> Option<Item> {
    match v {
        toml::Value::Table(t) => Some(Item::Table(edit_table(t)?)),
        toml::Value::Array(a) if is_tables(a) => {
            let mut out = ArrayOfTables::new();
            for t in a {
                out.push(edit_table(t.as_table()?)?);
            }
            Some(Item::ArrayOfTables(out))
        }
        _ => Some(Item::Value(edit_value(v)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"# Plant of Acme, kept by the maintenance office.
[site]
name = "Acme"        # as on the invoices
timezone = "Europe/Berlin"

# Presses first.
[[machines]]
key = "press-1"
name = "Press 1"

[[devices]]
key = "press-1-plc"
protocol = "modbus-tcp"
host = "192.168.1.20"   # the PLC in the press cabinet
machine = "press-1"

# The part counter: low word first on this PLC.
[[devices.tags]]
name = "count"
register = 40001
type = "u32"
order = "CDAB"
role = "count"
"#;

    #[test]
    fn an_edit_from_the_forms_keeps_the_files_comments() {
        let old = super::super::parse(FILE).unwrap();
        let mut new = old.clone();
        new.machines.push(crate::config::Machine {
            key: "press-2".into(),
            name: "Press 2".into(),
            states: vec![],
            line: None,
            micro_stop_s: None,
            running_when_counted_s: None,
            max_rate_per_min: None,
        });
        new.devices[0].tags[0].order = crate::config::Order::Abcd;
        let mut temp = new.devices[0].tags[0].clone();
        temp.name = "temp".into();
        temp.register = Some(40010);
        temp.data_type = Some(crate::config::DataType::I16);
        temp.role = None;
        temp.scale = 0.1;
        temp.unit = "°C".into();
        new.devices[0].tags.push(temp);
        let text = apply(FILE, &old, &new).expect("applies");
        for comment in [
            "# Plant of Acme",
            "# as on the invoices",
            "# Presses first.",
            "# the PLC in the press cabinet",
            "# The part counter",
        ] {
            assert!(text.contains(comment), "{comment} lost:\n{text}");
        }
        assert!(!text.contains("CDAB"), "{text}");
        assert!(text.contains("key = \"press-2\""), "{text}");
        assert_eq!(super::super::parse(&text).unwrap(), new);
        // Nothing the file left to defaults is written out.
        assert!(!text.contains("unit_id"), "{text}");
    }

    #[test]
    fn removing_an_item_removes_it_and_keeps_the_rest() {
        let old = super::super::parse(FILE).unwrap();
        let mut new = old.clone();
        new.devices.clear();
        let text = apply(FILE, &old, &new).expect("applies");
        assert!(text.contains("# as on the invoices"));
        assert!(!text.contains("press-1-plc"), "{text}");
        assert_eq!(super::super::parse(&text).unwrap(), new);
    }
}

#[cfg(test)]
mod readme {
    /// Issue 9: the README's example is what people copy; it must import as written, with
    /// the coil in quotes and the string's length.
    #[test]
    fn the_readme_example_imports() {
        let readme = include_str!("../../README.md");
        let start = readme.find("```toml\n").expect("a TOML example") + 8;
        let end = start + readme[start..].find("```").unwrap();
        let config = crate::config::parse(&readme[start..end]).unwrap_or_else(|e| panic!("{e}"));
        let tags = &config.devices[0].tags;
        let door = tags.iter().find(|t| t.name == "door_open").unwrap();
        let loc = door.location().unwrap();
        assert_eq!(
            (loc.kind, loc.address),
            (crate::config::RegisterKind::Coil, 16)
        );
        let count = tags.iter().find(|t| t.name == "count").unwrap();
        assert_eq!(count.order, crate::config::Order::Abcd);
        let recipe = tags.iter().find(|t| t.name == "recipe").unwrap();
        assert_eq!(recipe.location().unwrap().width, 8);
    }
}
