//! Quality and stores in SQLite (migration 13): products, inspection plans and materials
//! (master data), production lots on machines, checks with their dispositions, scrap per
//! lot, material lots and their moves. Every entry is audited in the same transaction
//! and nothing is overwritten: a correction is a new check naming the old one, a new
//! disposition is a new row (the newest counts), a plan change retires the old
//! characteristic, and stock on hand is the sum of the moves.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use super::master::{Characteristic, Kind, MasterData, Material, Plan, Product};
use super::spc::Spec;
use crate::auth::audit::{self, Actor, AuditEntry};

/// Why a quality or stores entry was refused; the message says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum QualityError {
    #[error("no such {0}")]
    NotFound(String),
    /// The entry cannot be made as given; `field` names what to fix.
    #[error("{message}")]
    Invalid {
        code: &'static str,
        message: String,
        field: Option<&'static str>,
    },
    /// As `Invalid`, with the values its message names (a lot, a quantity), so the UI
    /// says it in the user's language.
    #[error("{message}")]
    Refused {
        code: &'static str,
        message: String,
        field: &'static str,
        params: serde_json::Map<String, serde_json::Value>,
    },
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

pub type Result<T> = std::result::Result<T, QualityError>;

fn invalid(code: &'static str, field: &'static str, message: impl Into<String>) -> QualityError {
    QualityError::Invalid {
        code,
        message: message.into(),
        field: Some(field),
    }
}

/// An entry refused with the values its message names, by name.
fn refused(
    code: &'static str,
    field: &'static str,
    message: impl Into<String>,
    params: &[(&str, serde_json::Value)],
) -> QualityError {
    QualityError::Refused {
        code,
        message: message.into(),
        field,
        params: params
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect(),
    }
}

/// The setting that lets stock go below zero (the admin's).
pub const ALLOW_NEGATIVE_KEY: &str = "quality.allow_negative_stock";

// ------------------------------------------------------------------ views

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProductView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub cycle_s: BTreeMap<String, f64>,
    pub characteristics: Vec<CharacteristicView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CharacteristicView {
    pub id: i64,
    pub product: String,
    pub name: String,
    /// "measured" or "attribute".
    pub kind: String,
    pub nominal: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub unit: Option<String>,
    pub every: String,
    pub grace_minutes: i64,
    pub grace_parts: i64,
    pub gauge: Option<String>,
    /// False once a newer plan replaced it.
    pub active: bool,
}

impl CharacteristicView {
    pub fn spec(&self) -> Spec {
        Spec {
            lower: self.lower,
            upper: self.upper,
        }
    }

    fn to_master(&self) -> Characteristic {
        Characteristic {
            name: self.name.clone(),
            kind: if self.kind == "measured" {
                Kind::Measured
            } else {
                Kind::Attribute
            },
            nominal: self.nominal,
            lower: self.lower,
            upper: self.upper,
            unit: self.unit.clone(),
            every: self.every.clone(),
            grace_minutes: self.grace_minutes as u32,
            grace_parts: self.grace_parts as u64,
            gauge: self.gauge.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MaterialView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    /// On hand over all its lots.
    pub on_hand: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LotView {
    pub id: i64,
    pub code: String,
    pub product: String,
    pub product_name: String,
    pub machine: String,
    pub started_at: i64,
    pub started_by: String,
    pub ended_at: Option<i64>,
    pub ended_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DispositionView {
    pub id: i64,
    /// "rework", "scrap" or "accept_deviation".
    pub disposition: String,
    pub comment: String,
    pub at: i64,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CheckView {
    pub id: i64,
    pub lot: String,
    pub machine: String,
    pub characteristic_id: i64,
    pub characteristic: String,
    pub kind: String,
    pub unit: Option<String>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub value: Option<f64>,
    pub passed: Option<bool>,
    pub in_spec: bool,
    pub parts: i64,
    /// "typed", "gauge" or "demo".
    pub source: String,
    pub comment: String,
    /// The check this one corrects.
    pub corrects: Option<i64>,
    /// The check that corrects this one (this one then no longer counts).
    pub corrected_by: Option<i64>,
    pub at: i64,
    pub by: String,
    /// The newest disposition, if any.
    pub disposition: Option<DispositionView>,
    /// Every disposition, oldest first.
    pub dispositions: Vec<DispositionView>,
    /// Out of spec, not corrected, and no disposition yet.
    pub needs_disposition: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LotScrapView {
    pub id: i64,
    pub lot: String,
    pub parts: i64,
    pub reason: String,
    pub comment: String,
    pub at: i64,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MaterialLotView {
    pub id: i64,
    pub code: String,
    pub material: String,
    pub material_name: String,
    pub unit: String,
    pub supplier: String,
    pub supplier_lot: String,
    pub quantity: f64,
    pub received_at: i64,
    pub certificate: String,
    pub by: String,
    pub on_hand: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MoveView {
    pub id: i64,
    pub material_lot: String,
    pub material: String,
    pub unit: String,
    pub supplier: String,
    pub supplier_lot: String,
    /// "receive", "issue", "return" or "scrap".
    pub kind: String,
    pub quantity: f64,
    pub machine: Option<String>,
    pub lot: Option<String>,
    pub comment: String,
    pub at: i64,
    pub by: String,
}

// ------------------------------------------------------------------ requests

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewLot {
    pub code: String,
    pub product: String,
    pub machine: String,
    #[cfg_attr(test, ts(optional))]
    pub at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EndLot {
    #[cfg_attr(test, ts(optional))]
    pub at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewCheck {
    pub lot: String,
    pub characteristic_id: i64,
    /// A measured value.
    #[cfg_attr(test, ts(optional))]
    pub value: Option<f64>,
    /// An attribute check's pass or fail.
    #[cfg_attr(test, ts(optional))]
    pub passed: Option<bool>,
    #[cfg_attr(test, ts(optional))]
    pub comment: Option<String>,
    /// The check this one corrects.
    #[cfg_attr(test, ts(optional))]
    pub corrects: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewDisposition {
    /// "rework", "scrap" or "accept_deviation".
    pub disposition: String,
    pub comment: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewLotScrap {
    pub parts: i64,
    pub reason: String,
    #[cfg_attr(test, ts(optional))]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewReceipt {
    /// The label on the lot (scanned or typed); unique.
    pub code: String,
    pub material: String,
    pub supplier: String,
    pub supplier_lot: String,
    pub quantity: f64,
    #[cfg_attr(test, ts(optional))]
    pub received_at: Option<i64>,
    #[cfg_attr(test, ts(optional))]
    pub certificate: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NewMove {
    pub material_lot: String,
    /// "issue", "return" or "scrap".
    pub kind: String,
    pub quantity: f64,
    /// For an issue: the machine; the lot running on it is recorded with the move.
    #[cfg_attr(test, ts(optional))]
    pub machine: Option<String>,
    #[cfg_attr(test, ts(optional))]
    pub comment: Option<String>,
}

// ------------------------------------------------------------------ helpers

fn text(s: &str, field: &'static str, max: usize) -> Result<String> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max {
        return Err(refused(
            "bad_field",
            field,
            format!(
                "give the {}: 1 to {max} characters",
                field.replace('_', " ")
            ),
            &[
                ("rule", "length".into()),
                ("max", max.into()),
                ("given", t.chars().count().into()),
            ],
        ));
    }
    Ok(t.to_string())
}

fn comment(c: Option<&str>) -> Result<String> {
    let c = c.unwrap_or("").trim().to_string();
    if c.chars().count() > 500 {
        return Err(refused(
            "bad_field",
            "comment",
            "a comment holds at most 500 characters",
            &[
                ("rule", "too_long".into()),
                ("max", 500.into()),
                ("given", c.chars().count().into()),
            ],
        ));
    }
    Ok(c)
}

fn record(
    conn: &Connection,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<()> {
    audit::record(conn, &AuditEntry::new(actor, action, target, detail))?;
    Ok(())
}

fn num(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

// ------------------------------------------------------------------ master data

fn characteristic_row(r: &Row) -> rusqlite::Result<CharacteristicView> {
    Ok(CharacteristicView {
        id: r.get(0)?,
        product: r.get(1)?,
        name: r.get(2)?,
        kind: r.get(3)?,
        nominal: r.get(4)?,
        lower: r.get(5)?,
        upper: r.get(6)?,
        unit: r.get(7)?,
        every: r.get(8)?,
        grace_minutes: r.get(9)?,
        grace_parts: r.get(10)?,
        gauge: r.get(11)?,
        active: r.get(12)?,
    })
}

const CHAR_SELECT: &str = "SELECT c.id, p.code, c.name, c.kind, c.nominal, c.lower, c.upper, c.unit, \
     c.every, c.grace_minutes, c.grace_parts, c.gauge, c.active \
     FROM quality_characteristics c JOIN quality_products p ON p.id = c.product_id";

pub fn characteristic(conn: &Connection, id: i64) -> Result<CharacteristicView> {
    conn.query_row(
        &format!("{CHAR_SELECT} WHERE c.id = ?1"),
        [id],
        characteristic_row,
    )
    .optional()?
    .ok_or_else(|| QualityError::NotFound(format!("characteristic {id}")))
}

/// The active characteristics of a product's plan, in the plan's order.
pub fn plan_of(conn: &Connection, product: &str) -> Result<Vec<CharacteristicView>> {
    let mut stmt = conn.prepare(&format!(
        "{CHAR_SELECT} WHERE p.code = ?1 AND c.active = 1 ORDER BY c.id"
    ))?;
    let rows = stmt.query_map([product], characteristic_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn products(conn: &Connection) -> Result<Vec<ProductView>> {
    let mut stmt =
        conn.prepare("SELECT id, code, name, cycle_json FROM quality_products ORDER BY code")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, code, name, cycle) = row?;
        let characteristics = plan_of(conn, &code)?;
        out.push(ProductView {
            id,
            cycle_s: serde_json::from_str(&cycle).unwrap_or_default(),
            code,
            name,
            characteristics,
        });
    }
    Ok(out)
}

pub fn materials(conn: &Connection) -> Result<Vec<MaterialView>> {
    let mut stmt = conn.prepare(
        "SELECT m.id, m.code, m.name, m.unit, COALESCE((SELECT SUM(CASE mv.kind \
           WHEN 'receive' THEN mv.quantity WHEN 'return' THEN mv.quantity ELSE -mv.quantity END) \
           FROM material_moves mv JOIN material_lots l ON l.id = mv.material_lot_id \
           WHERE l.material_id = m.id), 0) \
         FROM quality_materials m ORDER BY m.code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(MaterialView {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            unit: r.get(3)?,
            on_hand: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stored master data, as the TOML export writes it.
pub fn master(conn: &Connection) -> Result<MasterData> {
    let products = products(conn)?;
    Ok(MasterData {
        plans: products
            .iter()
            .filter(|p| !p.characteristics.is_empty())
            .map(|p| Plan {
                product: p.code.clone(),
                characteristics: p.characteristics.iter().map(|c| c.to_master()).collect(),
            })
            .collect(),
        products: products
            .into_iter()
            .map(|p| Product {
                code: p.code,
                name: p.name,
                cycle_s: p.cycle_s,
            })
            .collect(),
        materials: materials(conn)?
            .into_iter()
            .map(|m| Material {
                code: m.code,
                name: m.name,
                unit: m.unit,
            })
            .collect(),
    })
}

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MasterImported {
    pub products_added: usize,
    pub products_changed: usize,
    pub characteristics_added: usize,
    pub characteristics_retired: usize,
    pub materials_added: usize,
    pub materials_changed: usize,
}

/// Stores checked master data: products and materials are added or renamed by code
/// (none is removed: lots and moves refer to them); a plan's characteristic that is
/// new or changed is added, and one that changed or is no longer in the plan is retired
/// (its checks keep it). One transaction, audited.
pub fn import_master(
    conn: &mut Connection,
    data: &MasterData,
    actor: &Actor,
    now: i64,
) -> Result<MasterImported> {
    let tx = crate::store::write_tx(conn)?;
    let mut out = MasterImported::default();
    for p in &data.products {
        let cycle = serde_json::to_string(&p.cycle_s).expect("a map of numbers");
        let old: Option<(String, String)> = tx
            .query_row(
                "SELECT name, cycle_json FROM quality_products WHERE code = ?1",
                [&p.code],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match old {
            None => {
                tx.execute(
                    "INSERT INTO quality_products (code, name, cycle_json, created_at) VALUES (?1, ?2, ?3, ?4)",
                    params![p.code, p.name, cycle, now],
                )?;
                out.products_added += 1;
            }
            Some((name, c)) if name != p.name || c != cycle => {
                tx.execute(
                    "UPDATE quality_products SET name = ?2, cycle_json = ?3 WHERE code = ?1",
                    params![p.code, p.name, cycle],
                )?;
                out.products_changed += 1;
            }
            Some(_) => {}
        }
    }
    for plan in &data.plans {
        let pid: i64 = tx.query_row(
            "SELECT id FROM quality_products WHERE code = ?1",
            [&plan.product],
            |r| r.get(0),
        )?;
        let current = plan_of(&tx, &plan.product)?;
        for c in &current {
            let kept = plan.characteristics.iter().any(|n| *n == c.to_master());
            if !kept {
                tx.execute(
                    "UPDATE quality_characteristics SET active = 0 WHERE id = ?1",
                    [c.id],
                )?;
                out.characteristics_retired += 1;
            }
        }
        for n in &plan.characteristics {
            if current.iter().any(|c| c.to_master() == *n) {
                continue;
            }
            tx.execute(
                "INSERT INTO quality_characteristics (product_id, name, kind, nominal, lower, upper, \
                 unit, every, grace_minutes, grace_parts, gauge, active, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12)",
                params![
                    pid,
                    n.name,
                    match n.kind {
                        Kind::Measured => "measured",
                        Kind::Attribute => "attribute",
                    },
                    n.nominal,
                    n.lower,
                    n.upper,
                    n.unit,
                    n.every,
                    n.grace_minutes,
                    n.grace_parts as i64,
                    n.gauge,
                    now
                ],
            )?;
            out.characteristics_added += 1;
        }
    }
    for m in &data.materials {
        let old: Option<(String, String)> = tx
            .query_row(
                "SELECT name, unit FROM quality_materials WHERE code = ?1",
                [&m.code],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match old {
            None => {
                tx.execute(
                    "INSERT INTO quality_materials (code, name, unit, created_at) VALUES (?1, ?2, ?3, ?4)",
                    params![m.code, m.name, m.unit, now],
                )?;
                out.materials_added += 1;
            }
            Some((name, unit)) if name != m.name || unit != m.unit => {
                tx.execute(
                    "UPDATE quality_materials SET name = ?2, unit = ?3 WHERE code = ?1",
                    params![m.code, m.name, m.unit],
                )?;
                out.materials_changed += 1;
            }
            Some(_) => {}
        }
    }
    record(
        &tx,
        actor,
        "quality.master.import",
        "products, plans, materials",
        &format!(
            "products +{} ~{}, characteristics +{} retired {}, materials +{} ~{}",
            out.products_added,
            out.products_changed,
            out.characteristics_added,
            out.characteristics_retired,
            out.materials_added,
            out.materials_changed
        ),
    )?;
    tx.commit()?;
    Ok(out)
}

// ------------------------------------------------------------------ lots

const LOT_SELECT: &str = "SELECT l.id, l.code, p.code, p.name, l.machine_key, l.started_at, \
     l.started_by, l.ended_at, l.ended_by FROM production_lots l \
     JOIN quality_products p ON p.id = l.product_id";

fn lot_row(r: &Row) -> rusqlite::Result<LotView> {
    Ok(LotView {
        id: r.get(0)?,
        code: r.get(1)?,
        product: r.get(2)?,
        product_name: r.get(3)?,
        machine: r.get(4)?,
        started_at: r.get(5)?,
        started_by: r.get(6)?,
        ended_at: r.get(7)?,
        ended_by: r.get(8)?,
    })
}

pub fn lot(conn: &Connection, code: &str) -> Result<LotView> {
    conn.query_row(
        &format!("{LOT_SELECT} WHERE l.code = ?1"),
        [code.trim()],
        lot_row,
    )
    .optional()?
    .ok_or_else(|| QualityError::NotFound(format!("lot \"{}\"", code.trim())))
}

/// The lot running on a machine, if any.
pub fn running_lot(conn: &Connection, machine: &str) -> Result<Option<LotView>> {
    Ok(conn
        .query_row(
            &format!("{LOT_SELECT} WHERE l.machine_key = ?1 AND l.ended_at IS NULL"),
            [machine],
            lot_row,
        )
        .optional()?)
}

/// The machines with a running lot.
pub fn running_machines(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT machine_key FROM production_lots WHERE ended_at IS NULL ORDER BY machine_key",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Lots that ran in [from, to) (or run still), newest first; of one machine if given.
pub fn lots(conn: &Connection, machine: Option<&str>, from: i64, to: i64) -> Result<Vec<LotView>> {
    let mut stmt = conn.prepare(&format!(
        "{LOT_SELECT} WHERE l.started_at < ?2 AND (l.ended_at IS NULL OR l.ended_at > ?1) \
         AND (?3 IS NULL OR l.machine_key = ?3) ORDER BY l.started_at DESC LIMIT 500"
    ))?;
    let rows = stmt.query_map(params![from, to, machine], lot_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Starts a lot of `product` on `machine` (a known machine: the caller checks). One
/// lot runs on a machine at a time.
pub fn start_lot(conn: &mut Connection, n: &NewLot, actor: &Actor, now: i64) -> Result<LotView> {
    let code = text(&n.code, "code", 60)?;
    let at = n.at.unwrap_or(now);
    if at > now {
        return Err(refused(
            "bad_time",
            "at",
            "a lot is started now or in the past",
            &[("rule", "start_future".into()), ("given", at.into())],
        ));
    }
    let tx = crate::store::write_tx(conn)?;
    let pid: i64 = tx
        .query_row(
            "SELECT id FROM quality_products WHERE code = ?1",
            [n.product.trim()],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| {
            refused(
                "bad_product",
                "product",
                format!(
                    "there is no product \"{}\"; quality adds products with their plans",
                    n.product.trim()
                ),
                &[("product", n.product.trim().into())],
            )
        })?;
    if lot(&tx, &code).is_ok() {
        return Err(refused(
            "lot_exists",
            "code",
            format!("lot \"{code}\" exists already; give each lot its own number"),
            &[("lot", code.as_str().into()), ("what", "lot".into())],
        ));
    }
    if let Some(r) = running_lot(&tx, &n.machine)? {
        return Err(refused(
            "lot_running",
            "machine",
            format!(
                "lot \"{}\" is running on {}; end it before starting another",
                r.code, n.machine
            ),
            &[
                ("lot", r.code.as_str().into()),
                ("machine", n.machine.as_str().into()),
            ],
        ));
    }
    tx.execute(
        "INSERT INTO production_lots (code, product_id, machine_key, started_at, started_by, started_by_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![code, pid, n.machine, at, actor.name, actor.id],
    )?;
    record(
        &tx,
        actor,
        "lot.start",
        &code,
        &format!("product {} on {}", n.product.trim(), n.machine),
    )?;
    tx.commit()?;
    lot(conn, &code)
}

pub fn end_lot(
    conn: &mut Connection,
    code: &str,
    at: Option<i64>,
    actor: &Actor,
    now: i64,
) -> Result<LotView> {
    let tx = crate::store::write_tx(conn)?;
    let l = lot(&tx, code)?;
    if l.ended_at.is_some() {
        return Err(refused(
            "lot_ended",
            "code",
            format!("lot \"{}\" has ended already", l.code),
            &[("lot", l.code.as_str().into()), ("action", "end".into())],
        ));
    }
    let at = at.unwrap_or(now);
    if at > now || at < l.started_at {
        return Err(refused(
            "bad_time",
            "at",
            "a lot ends after its start and not in the future",
            &[
                ("rule", "end".into()),
                ("given", at.into()),
                ("started", l.started_at.into()),
            ],
        ));
    }
    tx.execute(
        "UPDATE production_lots SET ended_at = ?2, ended_by = ?3, ended_by_id = ?4 WHERE id = ?1",
        params![l.id, at, actor.name, actor.id],
    )?;
    record(&tx, actor, "lot.end", &l.code, &format!("on {}", l.machine))?;
    tx.commit()?;
    lot(conn, code)
}

// ------------------------------------------------------------------ checks

const CHECK_SELECT: &str = "SELECT q.id, l.code, l.machine_key, c.id, c.name, c.kind, c.unit, \
     c.lower, c.upper, q.value, q.passed, q.in_spec, q.parts, q.source, q.comment, q.corrects, \
     (SELECT MIN(n.id) FROM quality_checks n WHERE n.corrects = q.id), q.at, q.by \
     FROM quality_checks q JOIN production_lots l ON l.id = q.lot_id \
     JOIN quality_characteristics c ON c.id = q.characteristic_id";

fn check_row(r: &Row) -> rusqlite::Result<CheckView> {
    Ok(CheckView {
        id: r.get(0)?,
        lot: r.get(1)?,
        machine: r.get(2)?,
        characteristic_id: r.get(3)?,
        characteristic: r.get(4)?,
        kind: r.get(5)?,
        unit: r.get(6)?,
        lower: r.get(7)?,
        upper: r.get(8)?,
        value: r.get(9)?,
        passed: r.get(10)?,
        in_spec: r.get(11)?,
        parts: r.get(12)?,
        source: r.get(13)?,
        comment: r.get(14)?,
        corrects: r.get(15)?,
        corrected_by: r.get(16)?,
        at: r.get(17)?,
        by: r.get(18)?,
        disposition: None,
        dispositions: Vec::new(),
        needs_disposition: false,
    })
}

fn with_dispositions(conn: &Connection, mut checks: Vec<CheckView>) -> Result<Vec<CheckView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, disposition, comment, at, by FROM quality_dispositions WHERE check_id = ?1 ORDER BY at, id",
    )?;
    for c in &mut checks {
        let rows = stmt.query_map([c.id], |r| {
            Ok(DispositionView {
                id: r.get(0)?,
                disposition: r.get(1)?,
                comment: r.get(2)?,
                at: r.get(3)?,
                by: r.get(4)?,
            })
        })?;
        c.dispositions = rows.collect::<rusqlite::Result<_>>()?;
        c.disposition = c.dispositions.last().cloned();
        c.needs_disposition = !c.in_spec && c.corrected_by.is_none() && c.disposition.is_none();
    }
    Ok(checks)
}

pub fn check(conn: &Connection, id: i64) -> Result<CheckView> {
    let c = conn
        .query_row(&format!("{CHECK_SELECT} WHERE q.id = ?1"), [id], check_row)
        .optional()?
        .ok_or_else(|| QualityError::NotFound(format!("check {id}")))?;
    Ok(with_dispositions(conn, vec![c])?.remove(0))
}

/// The checks of a lot, oldest first.
pub fn checks_of_lot(conn: &Connection, lot_id: i64) -> Result<Vec<CheckView>> {
    let mut stmt = conn.prepare(&format!(
        "{CHECK_SELECT} WHERE q.lot_id = ?1 ORDER BY q.at, q.id"
    ))?;
    let rows = stmt.query_map([lot_id], check_row)?;
    with_dispositions(conn, rows.collect::<rusqlite::Result<_>>()?)
}

/// Out-of-spec checks that still need a disposition, newest first.
pub fn open_out_of_spec(conn: &Connection) -> Result<Vec<CheckView>> {
    let mut stmt = conn.prepare(&format!(
        "{CHECK_SELECT} WHERE q.in_spec = 0 \
         AND NOT EXISTS (SELECT 1 FROM quality_checks n WHERE n.corrects = q.id) \
         AND NOT EXISTS (SELECT 1 FROM quality_dispositions d WHERE d.check_id = q.id) \
         ORDER BY q.at DESC LIMIT 500"
    ))?;
    let rows = stmt.query_map([], check_row)?;
    with_dispositions(conn, rows.collect::<rusqlite::Result<_>>()?)
}

/// Checks of one characteristic in [from, to) that count (not corrected), oldest first:
/// the points of its SPC chart.
pub fn checks_of_characteristic(
    conn: &Connection,
    id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<CheckView>> {
    let mut stmt = conn.prepare(&format!(
        "{CHECK_SELECT} WHERE q.characteristic_id = ?1 AND q.at >= ?2 AND q.at < ?3 \
         AND NOT EXISTS (SELECT 1 FROM quality_checks n WHERE n.corrects = q.id) \
         ORDER BY q.at, q.id LIMIT 5000"
    ))?;
    let rows = stmt.query_map(params![id, from, to], check_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest counting check of each characteristic in a lot: (at, parts).
pub fn last_checks(conn: &Connection, lot_id: i64) -> Result<BTreeMap<i64, (i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT q.characteristic_id, q.at, q.parts FROM quality_checks q WHERE q.lot_id = ?1 \
         AND NOT EXISTS (SELECT 1 FROM quality_checks n WHERE n.corrects = q.id) ORDER BY q.at, q.id",
    )?;
    let rows = stmt.query_map([lot_id], |r| {
        Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether a value or a pass/fail is in spec for a characteristic; refuses the wrong
/// kind of answer with what to give instead.
pub fn evaluate(c: &CharacteristicView, value: Option<f64>, passed: Option<bool>) -> Result<bool> {
    if c.kind == "measured" {
        let Some(v) = value else {
            return Err(refused(
                "bad_value",
                "value",
                format!(
                    "\"{}\" is measured: give the value in {}",
                    c.name,
                    c.unit.as_deref().unwrap_or("its unit")
                ),
                &[
                    (
                        "rule",
                        if c.unit.is_some() {
                            "measured"
                        } else {
                            "measured_no_unit"
                        }
                        .into(),
                    ),
                    ("name", c.name.clone().into()),
                    ("unit", c.unit.clone().unwrap_or_default().into()),
                ],
            ));
        };
        if !v.is_finite() {
            return Err(refused(
                "bad_value",
                "value",
                "the value is not a number",
                &[
                    ("rule", "not_number".into()),
                    ("name", c.name.clone().into()),
                ],
            ));
        }
        if passed.is_some() {
            return Err(refused(
                "bad_value",
                "passed",
                format!("\"{}\" is measured: give a value, not pass or fail", c.name),
                &[
                    ("rule", "measured_not_pass".into()),
                    ("name", c.name.clone().into()),
                ],
            ));
        }
        Ok(c.spec().accepts(v))
    } else {
        match (value, passed) {
            (None, Some(p)) => Ok(p),
            _ => Err(refused(
                "bad_value",
                "passed",
                format!("\"{}\" is pass or fail: give passed true or false", c.name),
                &[
                    ("rule", "pass_fail".into()),
                    ("name", c.name.clone().into()),
                ],
            )),
        }
    }
}

/// Enters a check on a lot. `parts` is the lot's part count now (from the production
/// engine), for checks due every N parts. A correction names the check it corrects
/// (of the same lot and characteristic); the old one stays, no longer counted.
pub fn add_check(
    conn: &mut Connection,
    n: &NewCheck,
    source: &str,
    parts: i64,
    actor: &Actor,
    now: i64,
) -> Result<CheckView> {
    let note = comment(n.comment.as_deref())?;
    let tx = crate::store::write_tx(conn)?;
    let l = lot(&tx, &n.lot)?;
    let c = characteristic(&tx, n.characteristic_id)?;
    if c.product != l.product {
        return Err(invalid(
            "bad_characteristic",
            "characteristic_id",
            format!(
                "\"{}\" is checked on product {}, and lot {} is product {}",
                c.name, c.product, l.code, l.product
            ),
        ));
    }
    if let Some(old) = n.corrects {
        let o = check(&tx, old)?;
        if o.lot != l.code || o.characteristic_id != c.id {
            return Err(invalid(
                "bad_correction",
                "corrects",
                format!(
                    "check {old} is of another lot or characteristic; a correction replaces a check of the same"
                ),
            ));
        }
        if let Some(by) = o.corrected_by {
            return Err(invalid(
                "bad_correction",
                "corrects",
                format!("check {old} was corrected already by check {by}; correct that one"),
            ));
        }
    } else if !c.active {
        return Err(invalid(
            "bad_characteristic",
            "characteristic_id",
            format!(
                "\"{}\" was replaced by a newer plan; enter the check against the current one",
                c.name
            ),
        ));
    }
    let in_spec = evaluate(&c, n.value, n.passed)?;
    tx.execute(
        "INSERT INTO quality_checks (lot_id, characteristic_id, value, passed, in_spec, parts, source, \
         comment, corrects, at, by, by_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            l.id, c.id, n.value, n.passed, in_spec, parts, source, note, n.corrects, now, actor.name,
            actor.id
        ],
    )?;
    let id = tx.last_insert_rowid();
    let result = match (n.value, n.passed) {
        (Some(v), _) => format!("{} {}", num(v), c.unit.as_deref().unwrap_or("")),
        (_, Some(true)) => "pass".into(),
        _ => "fail".into(),
    };
    let mut detail = format!(
        "{}: {}{}",
        c.name,
        result.trim(),
        if in_spec { "" } else { " OUT OF SPEC" }
    );
    if let Some(o) = n.corrects {
        detail.push_str(&format!(", corrects check {o}"));
    }
    record(&tx, actor, "check.enter", &l.code, &detail)?;
    tx.commit()?;
    check(conn, id)
}

/// Records the disposition of an out-of-spec check: rework, scrap, or accept under
/// deviation (with a comment). A later disposition is a new row; the newest counts.
pub fn dispose(
    conn: &mut Connection,
    check_id: i64,
    n: &NewDisposition,
    actor: &Actor,
    now: i64,
) -> Result<CheckView> {
    let kind = n.disposition.trim();
    if !["rework", "scrap", "accept_deviation"].contains(&kind) {
        return Err(invalid(
            "bad_disposition",
            "disposition",
            format!("\"{kind}\" is no disposition; give rework, scrap or accept_deviation"),
        ));
    }
    let note = comment(Some(&n.comment))?;
    if kind == "accept_deviation" && note.is_empty() {
        return Err(refused(
            "bad_field",
            "comment",
            "accepting under deviation needs a comment: why the parts may be used",
            &[("rule", "deviation_comment".into())],
        ));
    }
    let tx = crate::store::write_tx(conn)?;
    let c = check(&tx, check_id)?;
    if c.in_spec {
        return Err(invalid(
            "in_spec",
            "disposition",
            format!("check {check_id} is in spec; only out-of-spec results get a disposition"),
        ));
    }
    tx.execute(
        "INSERT INTO quality_dispositions (check_id, disposition, comment, at, by, by_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![check_id, kind, note, now, actor.name, actor.id],
    )?;
    record(
        &tx,
        actor,
        "check.disposition",
        &c.lot,
        &format!(
            "check {check_id} ({}): {kind}{}",
            c.characteristic,
            if note.is_empty() {
                String::new()
            } else {
                format!(": {note}")
            }
        ),
    )?;
    tx.commit()?;
    check(conn, check_id)
}

// ------------------------------------------------------------------ scrap

pub fn add_lot_scrap(
    conn: &mut Connection,
    lot_code: &str,
    n: &NewLotScrap,
    actor: &Actor,
    now: i64,
) -> Result<LotScrapView> {
    if !(1..=1_000_000).contains(&n.parts) {
        return Err(refused(
            "bad_field",
            "parts",
            "scrap is 1 to 1000000 parts",
            &[
                ("rule", "range".into()),
                ("min", 1.into()),
                ("max", 1_000_000.into()),
                ("given", n.parts.into()),
            ],
        ));
    }
    let reason = text(&n.reason, "reason", 80)?;
    let note = comment(n.comment.as_deref())?;
    let tx = crate::store::write_tx(conn)?;
    let l = lot(&tx, lot_code)?;
    tx.execute(
        "INSERT INTO lot_scrap (lot_id, parts, reason, comment, at, by, by_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![l.id, n.parts, reason, note, now, actor.name, actor.id],
    )?;
    let id = tx.last_insert_rowid();
    record(
        &tx,
        actor,
        "lot.scrap",
        &l.code,
        &format!("{} parts: {reason}", n.parts),
    )?;
    tx.commit()?;
    Ok(scrap_of_lot(conn, l.id)?
        .into_iter()
        .find(|s| s.id == id)
        .expect("just stored"))
}

pub fn scrap_of_lot(conn: &Connection, lot_id: i64) -> Result<Vec<LotScrapView>> {
    let mut stmt = conn.prepare(
        "SELECT s.id, l.code, s.parts, s.reason, s.comment, s.at, s.by FROM lot_scrap s \
         JOIN production_lots l ON l.id = s.lot_id WHERE s.lot_id = ?1 ORDER BY s.at, s.id",
    )?;
    let rows = stmt.query_map([lot_id], |r| {
        Ok(LotScrapView {
            id: r.get(0)?,
            lot: r.get(1)?,
            parts: r.get(2)?,
            reason: r.get(3)?,
            comment: r.get(4)?,
            at: r.get(5)?,
            by: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ------------------------------------------------------------------ stores

const MLOT_SELECT: &str = "SELECT l.id, l.code, m.code, m.name, m.unit, l.supplier, l.supplier_lot, \
     l.quantity, l.received_at, l.certificate, l.by, COALESCE((SELECT SUM(CASE mv.kind \
     WHEN 'receive' THEN mv.quantity WHEN 'return' THEN mv.quantity ELSE -mv.quantity END) \
     FROM material_moves mv WHERE mv.material_lot_id = l.id), 0) \
     FROM material_lots l JOIN quality_materials m ON m.id = l.material_id";

fn mlot_row(r: &Row) -> rusqlite::Result<MaterialLotView> {
    Ok(MaterialLotView {
        id: r.get(0)?,
        code: r.get(1)?,
        material: r.get(2)?,
        material_name: r.get(3)?,
        unit: r.get(4)?,
        supplier: r.get(5)?,
        supplier_lot: r.get(6)?,
        quantity: r.get(7)?,
        received_at: r.get(8)?,
        certificate: r.get(9)?,
        by: r.get(10)?,
        on_hand: r.get(11)?,
    })
}

pub fn material_lot(conn: &Connection, code: &str) -> Result<MaterialLotView> {
    conn.query_row(
        &format!("{MLOT_SELECT} WHERE l.code = ?1"),
        [code.trim()],
        mlot_row,
    )
    .optional()?
    .ok_or_else(|| QualityError::NotFound(format!("material lot \"{}\"", code.trim())))
}

/// Material lots, newest received first; `all` false: only those with stock on hand.
pub fn material_lots(conn: &Connection, all: bool) -> Result<Vec<MaterialLotView>> {
    let mut stmt = conn.prepare(&format!(
        "{MLOT_SELECT} ORDER BY l.received_at DESC, l.id DESC LIMIT 1000"
    ))?;
    let rows = stmt.query_map([], mlot_row)?;
    let lots: Vec<MaterialLotView> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(lots
        .into_iter()
        .filter(|l| all || l.on_hand.abs() > 1e-9)
        .collect())
}

pub fn allow_negative(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [ALLOW_NEGATIVE_KEY],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .is_some_and(|v| v == "true"))
}

pub fn set_allow_negative(conn: &mut Connection, allow: bool, actor: &Actor) -> Result<()> {
    let tx = crate::store::write_tx(conn)?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![ALLOW_NEGATIVE_KEY, if allow { "true" } else { "false" }],
    )?;
    record(
        &tx,
        actor,
        "stores.negative_stock",
        "stores",
        if allow {
            "negative stock allowed"
        } else {
            "negative stock refused"
        },
    )?;
    tx.commit()?;
    Ok(())
}

fn quantity(q: f64) -> Result<f64> {
    if !(q.is_finite() && q > 0.0 && q < 1e12) {
        return Err(refused(
            "bad_field",
            "quantity",
            "give a quantity more than 0",
            &[
                ("rule", "positive".into()),
                (
                    "given",
                    serde_json::Number::from_f64(q)
                        .map(serde_json::Value::Number)
                        .unwrap_or_else(|| q.to_string().into()),
                ),
            ],
        ));
    }
    Ok(q)
}

/// Receives a material lot: the lot and its "receive" move, audited.
pub fn receive(
    conn: &mut Connection,
    n: &NewReceipt,
    actor: &Actor,
    now: i64,
) -> Result<MaterialLotView> {
    let code = text(&n.code, "code", 60)?;
    let supplier = text(&n.supplier, "supplier", 80)?;
    let supplier_lot = text(&n.supplier_lot, "supplier_lot", 60)?;
    let q = quantity(n.quantity)?;
    let cert = n.certificate.as_deref().unwrap_or("").trim().to_string();
    if cert.chars().count() > 120 {
        return Err(refused(
            "bad_field",
            "certificate",
            "a certificate reference holds at most 120 characters",
            &[
                ("rule", "too_long".into()),
                ("max", 120.into()),
                ("given", cert.chars().count().into()),
            ],
        ));
    }
    let at = n.received_at.unwrap_or(now);
    if at > now {
        return Err(refused(
            "bad_time",
            "received_at",
            "material is received now or in the past",
            &[("rule", "received_future".into()), ("given", at.into())],
        ));
    }
    let tx = crate::store::write_tx(conn)?;
    let (mid, unit): (i64, String) = tx
        .query_row(
            "SELECT id, unit FROM quality_materials WHERE code = ?1",
            [n.material.trim()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| {
            refused(
                "bad_material",
                "material",
                format!(
                    "there is no material \"{}\"; add it to the materials first",
                    n.material.trim()
                ),
                &[("material", n.material.trim().into())],
            )
        })?;
    if material_lot(&tx, &code).is_ok() {
        return Err(refused(
            "lot_exists",
            "code",
            format!("material lot \"{code}\" was received already; each label is received once"),
            &[
                ("lot", code.as_str().into()),
                ("what", "material_lot".into()),
            ],
        ));
    }
    tx.execute(
        "INSERT INTO material_lots (code, material_id, supplier, supplier_lot, quantity, received_at, certificate, by, by_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![code, mid, supplier, supplier_lot, q, at, cert, actor.name, actor.id],
    )?;
    let lid = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO material_moves (material_lot_id, kind, quantity, at, by, by_id) VALUES (?1, 'receive', ?2, ?3, ?4, ?5)",
        params![lid, q, at, actor.name, actor.id],
    )?;
    record(
        &tx,
        actor,
        "stores.receive",
        &code,
        &format!(
            "{} {unit} of {} from {supplier}, supplier lot {supplier_lot}{}",
            num(q),
            n.material.trim(),
            if cert.is_empty() {
                String::new()
            } else {
                format!(", certificate {cert}")
            }
        ),
    )?;
    tx.commit()?;
    material_lot(conn, &code)
}

/// Issues (to a machine, and the lot running on it), returns or scraps material of a
/// lot. Stock may not go below zero unless the admin allows it.
pub fn move_material(
    conn: &mut Connection,
    n: &NewMove,
    actor: &Actor,
    now: i64,
) -> Result<MoveView> {
    let kind = n.kind.trim();
    if !["issue", "return", "scrap"].contains(&kind) {
        return Err(refused(
            "bad_kind",
            "kind",
            format!(
                "\"{kind}\" is no move; give issue, return or scrap (receiving has its own form)"
            ),
            &[
                ("rule", "move".into()),
                ("given", kind.into()),
                ("allowed", "issue, return, scrap".into()),
            ],
        ));
    }
    let q = quantity(n.quantity)?;
    let note = comment(n.comment.as_deref())?;
    let machine = n
        .machine
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    if kind == "issue" && machine.is_none() {
        return Err(refused(
            "bad_field",
            "machine",
            "say which machine the material is issued to",
            &[("rule", "issue_machine".into())],
        ));
    }
    let tx = crate::store::write_tx(conn)?;
    let m = material_lot(&tx, &n.material_lot)?;
    if kind != "return" && m.on_hand - q < -1e-9 && !allow_negative(&tx)? {
        return Err(refused(
            "negative_stock",
            "quantity",
            format!(
                "material lot {} has {} {} on hand; {} {} would leave {} — check the quantity or the label \
                 (the admin can allow negative stock under Stores)",
                m.code,
                num(m.on_hand),
                m.unit,
                if kind == "issue" {
                    "issuing"
                } else {
                    "scrapping"
                },
                num(q),
                num(m.on_hand - q)
            ),
            &[
                ("lot", m.code.as_str().into()),
                ("on_hand", m.on_hand.into()),
                ("unit", m.unit.as_str().into()),
                ("move", kind.into()),
                ("quantity", q.into()),
                ("left", (m.on_hand - q).into()),
            ],
        ));
    }
    let prod_lot = match machine {
        Some(k) => running_lot(&tx, k)?,
        None => None,
    };
    tx.execute(
        "INSERT INTO material_moves (material_lot_id, kind, quantity, machine_key, lot_id, comment, at, by, by_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![m.id, kind, q, machine, prod_lot.as_ref().map(|l| l.id), note, now, actor.name, actor.id],
    )?;
    let id = tx.last_insert_rowid();
    record(
        &tx,
        actor,
        &format!("stores.{kind}"),
        &m.code,
        &format!(
            "{} {} of {}{}{}",
            num(q),
            m.unit,
            m.material,
            machine.map(|k| format!(" to {k}")).unwrap_or_default(),
            prod_lot
                .as_ref()
                .map(|l| format!(", lot {}", l.code))
                .unwrap_or_default()
        ),
    )?;
    tx.commit()?;
    Ok(moves(conn, MoveFilter::Id(id))?.remove(0))
}

pub enum MoveFilter<'a> {
    Id(i64),
    MaterialLot(&'a str),
    ProductionLot(i64),
    Recent(usize),
}

pub fn moves(conn: &Connection, f: MoveFilter) -> Result<Vec<MoveView>> {
    let base = "SELECT mv.id, l.code, m.code, m.unit, l.supplier, l.supplier_lot, mv.kind, mv.quantity, \
         mv.machine_key, pl.code, mv.comment, mv.at, mv.by FROM material_moves mv \
         JOIN material_lots l ON l.id = mv.material_lot_id JOIN quality_materials m ON m.id = l.material_id \
         LEFT JOIN production_lots pl ON pl.id = mv.lot_id";
    let (sql, arg): (String, rusqlite::types::Value) = match f {
        MoveFilter::Id(id) => (format!("{base} WHERE mv.id = ?1"), id.into()),
        MoveFilter::MaterialLot(c) => (
            format!("{base} WHERE l.code = ?1 ORDER BY mv.at, mv.id"),
            c.trim().to_string().into(),
        ),
        MoveFilter::ProductionLot(id) => (
            format!("{base} WHERE mv.lot_id = ?1 ORDER BY mv.at, mv.id"),
            id.into(),
        ),
        MoveFilter::Recent(n) => (
            format!("{base} ORDER BY mv.at DESC, mv.id DESC LIMIT ?1"),
            (n as i64).into(),
        ),
    };
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([arg], |r| {
        Ok(MoveView {
            id: r.get(0)?,
            material_lot: r.get(1)?,
            material: r.get(2)?,
            unit: r.get(3)?,
            supplier: r.get(4)?,
            supplier_lot: r.get(5)?,
            kind: r.get(6)?,
            quantity: r.get(7)?,
            machine: r.get(8)?,
            lot: r.get(9)?,
            comment: r.get(10)?,
            at: r.get(11)?,
            by: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The production lots that used a supplier lot (or our label of it): every lot a move
/// of it was issued to, or that ran on the machine it was issued to when it was issued.
pub fn lots_using(conn: &Connection, supplier_lot: &str) -> Result<Vec<LotView>> {
    let mut stmt = conn.prepare(&format!(
        "{LOT_SELECT} WHERE l.id IN (SELECT mv.lot_id FROM material_moves mv \
         JOIN material_lots ml ON ml.id = mv.material_lot_id \
         WHERE (ml.supplier_lot = ?1 OR ml.code = ?1) AND mv.kind = 'issue' AND mv.lot_id IS NOT NULL) \
         ORDER BY l.started_at"
    ))?;
    let rows = stmt.query_map([supplier_lot.trim()], lot_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether the quality tables hold anything yet (the demo seeds them once).
pub fn is_empty(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM quality_products)",
        [],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod refusal_tests {
    use super::*;

    fn params(e: QualityError) -> (&'static str, &'static str, serde_json::Value) {
        match e {
            QualityError::Refused {
                code,
                field,
                params,
                ..
            } => (code, field, serde_json::Value::Object(params)),
            other => panic!("not a refusal with params: {other:?}"),
        }
    }

    fn bore(unit: Option<&str>) -> CharacteristicView {
        CharacteristicView {
            id: 1,
            product: "BRK-100".into(),
            name: "Bore".into(),
            kind: "measured".into(),
            nominal: Some(10.0),
            lower: Some(9.95),
            upper: Some(10.05),
            unit: unit.map(Into::into),
            every: "lot_start".into(),
            grace_minutes: 0,
            grace_parts: 0,
            gauge: None,
            active: true,
        }
    }

    /// The shared codes carry which rule, the field and what was given, so the UI says
    /// what to fix in the user's language (quality.errors.* of the UI catalogues).
    #[test]
    fn refusals_name_the_rule_the_field_and_what_was_given() {
        let (code, field, p) = params(evaluate(&bore(Some("mm")), None, None).unwrap_err());
        assert_eq!((code, field), ("bad_value", "value"));
        assert_eq!(p["rule"], "measured");
        assert_eq!(p["name"], "Bore");
        assert_eq!(p["unit"], "mm");
        let (_, _, p) = params(evaluate(&bore(None), None, None).unwrap_err());
        assert_eq!(p["rule"], "measured_no_unit");
        let (_, field, p) =
            params(evaluate(&bore(Some("mm")), Some(10.0), Some(true)).unwrap_err());
        assert_eq!(
            (field, p["rule"].as_str()),
            ("passed", Some("measured_not_pass"))
        );

        let (code, field, p) = params(text("", "code", 60).unwrap_err());
        assert_eq!((code, field), ("bad_field", "code"));
        assert_eq!(
            (p["rule"].as_str(), p["max"].as_i64(), p["given"].as_i64()),
            (Some("length"), Some(60), Some(0))
        );
        let (_, field, p) = params(comment(Some(&"x".repeat(501))).unwrap_err());
        assert_eq!(
            (field, p["rule"].as_str(), p["given"].as_i64()),
            ("comment", Some("too_long"), Some(501))
        );
        let (_, field, p) = params(quantity(-2.0).unwrap_err());
        assert_eq!(
            (field, p["rule"].as_str(), p["given"].as_f64()),
            ("quantity", Some("positive"), Some(-2.0))
        );
    }
}
