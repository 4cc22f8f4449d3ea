//! Lots started from a PLC tag that holds the order number. A machine's setting names
//! the tag (device/tag, or the tag's name on the machine) and may give a default product;
//! the order master maps order numbers to products. When the tag's value changes, the
//! running lot on the machine ends at the sample's time and a lot named after the new
//! order starts at the same time, its product from the order master or else the
//! machine's default. A value of 0 or empty text means "no order": the running lot ends
//! and none starts. The same value again changes nothing, so a restart or a reconnect
//! that reads the tag anew does not split a lot.
//!
//! Both lists are kept as settings (JSON under `quality.lot_tags` and `quality.orders`)
//! and replaced whole through the API, every mistake listed; each change is audited.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::store::{self, LotView, NewLot, QualityError, Result};
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::config::Plant;
use crate::sample::{Sample, TagId, Value};

pub const LOT_TAGS_KEY: &str = "quality.lot_tags";
pub const ORDERS_KEY: &str = "quality.orders";

/// A machine whose lots follow a PLC tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LotTag {
    pub machine: String,
    /// "device/tag", or the name of one of the machine's tags.
    pub tag: String,
    /// The product of an order that is not in the order master.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub default_product: Option<String>,
}

/// An order number and the product it makes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProductionOrder {
    pub code: String,
    pub product: String,
}

/// `GET`/`PUT /api/quality/lot-sources`: the machines whose lots follow a tag, and the
/// order master.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LotSources {
    #[serde(default)]
    pub lot_tags: Vec<LotTag>,
    #[serde(default)]
    pub orders: Vec<ProductionOrder>,
}

fn setting<T: for<'de> Deserialize<'de> + Default>(conn: &Connection, key: &str) -> Result<T> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(text
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default())
}

pub fn load(conn: &Connection) -> Result<LotSources> {
    Ok(LotSources {
        lot_tags: setting(conn, LOT_TAGS_KEY)?,
        orders: setting(conn, ORDERS_KEY)?,
    })
}

/// The tag a setting names on its machine.
pub fn tag_of(plant: &Plant, t: &LotTag) -> Option<TagId> {
    let name = t.tag.trim();
    if let Some((d, n)) = name.split_once('/')
        && let Some(id) = plant.tag_id(d.trim(), n.trim())
    {
        return Some(id);
    }
    plant
        .machine_tags(t.machine.trim())
        .find(|r| r.tag.name == name)
        .map(|r| r.id)
}

/// Checks and stores both lists (replacing them), audited; every mistake listed.
pub fn save(conn: &mut Connection, plant: &Plant, s: &LotSources, actor: &Actor) -> Result<()> {
    let mut problems = Vec::new();
    let products: Vec<String> = store::products(conn)?
        .into_iter()
        .map(|p| p.code.to_lowercase())
        .collect();
    let known = |p: &str| products.contains(&p.trim().to_lowercase());
    let mut machines = std::collections::HashSet::new();
    let mut clean = LotSources::default();
    for (i, t) in s.lot_tags.iter().enumerate() {
        let n = i + 1;
        let m = t.machine.trim();
        if plant.machine(m).is_none() {
            problems.push(format!(
                "lot tag {n}: there is no machine \"{m}\" in the configuration"
            ));
        } else if !machines.insert(m.to_string()) {
            problems.push(format!(
                "lot tag {n}: machine \"{m}\" has a lot tag already; one per machine"
            ));
        } else if tag_of(plant, t).is_none() {
            problems.push(format!(
                "lot tag {n}: \"{}\" is not a tag of {m}; give device/tag or the name of one of its tags",
                t.tag.trim()
            ));
        }
        let default_product = t
            .default_product
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        if let Some(p) = default_product
            && !known(p)
        {
            problems.push(format!(
                "lot tag {n}: there is no product \"{p}\"; quality adds products with their plans"
            ));
        }
        clean.lot_tags.push(LotTag {
            machine: m.to_string(),
            tag: t.tag.trim().to_string(),
            default_product: default_product.map(String::from),
        });
    }
    let mut codes = std::collections::HashSet::new();
    for (i, o) in s.orders.iter().enumerate() {
        let n = i + 1;
        let code = o.code.trim();
        if code.is_empty() || code.chars().count() > 60 {
            problems.push(format!(
                "order {n}: give the order number (1 to 60 characters)"
            ));
        } else if !codes.insert(code.to_lowercase()) {
            problems.push(format!("order {n}: order \"{code}\" is listed twice"));
        }
        if !known(&o.product) {
            problems.push(format!(
                "order {n}: there is no product \"{}\"",
                o.product.trim()
            ));
        }
        clean.orders.push(ProductionOrder {
            code: code.to_string(),
            product: o.product.trim().to_string(),
        });
    }
    if !problems.is_empty() {
        return Err(QualityError::Invalid {
            code: "bad_lot_sources",
            message: problems.join("; "),
            field: None,
        });
    }
    let tx = crate::store::write_tx(conn)?;
    for (key, value) in [
        (LOT_TAGS_KEY, serde_json::to_string(&clean.lot_tags)),
        (ORDERS_KEY, serde_json::to_string(&clean.orders)),
    ] {
        let value = value.map_err(|e| QualityError::Invalid {
            code: "bad_lot_sources",
            message: e.to_string(),
            field: None,
        })?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
    }
    audit::record(
        &tx,
        &AuditEntry::new(
            actor,
            "lot.sources",
            "quality",
            &format!(
                "lot tags: {}; {} orders in the order master",
                if clean.lot_tags.is_empty() {
                    "none".to_string()
                } else {
                    clean
                        .lot_tags
                        .iter()
                        .map(|t| format!("{} follows {}", t.machine, t.tag))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                clean.orders.len()
            ),
        ),
    )?;
    tx.commit()?;
    Ok(())
}

/// The order number a sample holds: its text trimmed, or a whole number ("4711"); None
/// for no order (0, empty) or a value that is no order number (a fraction).
pub fn order_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Text(t) => Some(t.trim().to_string()).filter(|t| !t.is_empty() && t != "0"),
        Value::Number(n) => (n.fract() == 0.0 && *n > 0.0 && *n < 1e15).then(|| format!("{n:.0}")),
    }
}

/// Who starts and ends lots from a tag, in the audit log.
pub fn actor_of(t: &LotTag) -> Actor {
    Actor {
        id: None,
        name: format!("PLC tag {}", t.tag),
        client: "plc".into(),
    }
}

/// What a change of the order tag did.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub ended: Option<LotView>,
    pub started: Option<LotView>,
}

/// The machine of `t` now runs `order` (None: no order) from `at`: the running lot
/// ends at `at` if it is another, and the order's lot starts. The same order as the
/// running lot changes nothing. An order whose product is unknown (not in the order
/// master, no default) ends the running lot and is refused with what to fix.
pub fn apply(
    conn: &mut Connection,
    s: &LotSources,
    t: &LotTag,
    order: Option<&str>,
    at: i64,
    now: i64,
) -> Result<Applied> {
    let at = at.min(now);
    let actor = actor_of(t);
    let running = store::running_lot(conn, &t.machine)?;
    if let (Some(r), Some(o)) = (&running, order)
        && r.code.eq_ignore_ascii_case(o)
    {
        return Ok(Applied {
            ended: None,
            started: None,
        });
    }
    let ended = match running {
        Some(r) => Some(store::end_lot(
            conn,
            &r.code,
            Some(at.max(r.started_at)),
            &actor,
            now,
        )?),
        None => None,
    };
    let Some(order) = order else {
        return Ok(Applied {
            ended,
            started: None,
        });
    };
    let product = s
        .orders
        .iter()
        .find(|o| o.code.eq_ignore_ascii_case(order))
        .map(|o| o.product.clone())
        .or_else(|| t.default_product.clone())
        .ok_or_else(|| QualityError::Invalid {
            code: "no_product",
            message: format!(
                "order \"{order}\" on {}: it is not in the order master and the machine has no default product; add the order or a default product",
                t.machine
            ),
            field: None,
        })?;
    let started = store::start_lot(
        conn,
        &NewLot {
            code: order.to_string(),
            product,
            machine: t.machine.clone(),
            at: Some(at),
        },
        &actor,
        now,
    )?;
    Ok(Applied {
        ended,
        started: Some(started),
    })
}

/// Follows the order tags in batches of samples: remembers each tag's last order and
/// applies a change. Errors are returned with the machine, so the caller logs them.
#[derive(Debug, Default)]
pub struct Follower {
    /// Tag id -> its setting.
    watched: HashMap<TagId, LotTag>,
    last: HashMap<TagId, Option<String>>,
    pub sources: LotSources,
}

impl Follower {
    /// Takes the settings as they are now (a tag no longer watched is forgotten).
    pub fn reload(&mut self, plant: &Plant, sources: LotSources) {
        self.watched = sources
            .lot_tags
            .iter()
            .filter_map(|t| Some((tag_of(plant, t)?, t.clone())))
            .collect();
        self.last.retain(|id, _| self.watched.contains_key(id));
        self.sources = sources;
    }

    pub fn tags(&self) -> impl Iterator<Item = TagId> + '_ {
        self.watched.keys().copied()
    }

    /// The changes in `batch`: (setting, order, sample time) in order.
    pub fn changes(&mut self, batch: &[Sample]) -> Vec<(LotTag, Option<String>, i64)> {
        let mut out = Vec::new();
        for s in batch {
            let Some(t) = self.watched.get(&s.tag_id) else {
                continue;
            };
            if !s.quality.is_good() {
                continue;
            }
            let order = order_of(s.raw_value());
            if self.last.get(&s.tag_id) == Some(&order) {
                continue;
            }
            self.last.insert(s.tag_id, order.clone());
            out.push((t.clone(), order, s.ts));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_is_a_text_or_a_whole_number() {
        assert_eq!(order_of(Some(&Value::Number(4711.0))), Some("4711".into()));
        assert_eq!(order_of(Some(&Value::Number(0.0))), None);
        assert_eq!(order_of(Some(&Value::Number(12.5))), None);
        assert_eq!(
            order_of(Some(&Value::Text(" A-77 ".into()))),
            Some("A-77".into())
        );
        assert_eq!(order_of(Some(&Value::Text("  ".into()))), None);
        assert_eq!(order_of(None), None);
    }
}
