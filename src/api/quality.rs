//! Quality and stores (issue 15): products and plans (TOML in and out), production lots
//! started and ended on machines, checks due per machine and their entry, dispositions
//! of out-of-spec results, scrap per lot, SPC of a characteristic, material lots
//! received, issued, returned and scrapped with stock on hand, and a lot's story with
//! the reverse trace from a supplier lot. The work is in `crate::quality`; this file
//! checks who may do it on which machine and answers.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::access::Caller;
use super::error::{ApiError, ApiResult, Body, Text};
use crate::core::{Core, Error};
use crate::quality::control::{self, SpcRange, SpcView};
use crate::quality::master::{self, PlantNames};
use crate::quality::master_csv;
use crate::quality::orders::{self, LotSources};
use crate::quality::service::{Failed, check_machine, db, machines_of};
use crate::quality::store::{
    self, CheckView, EndLot, LotScrapView, LotView, MasterImported, MaterialLotView, MaterialView,
    MoveFilter, MoveView, NewCheck, NewDisposition, NewLot, NewLotScrap, NewMove, NewReceipt,
    ProductView, QualityError,
};
use crate::quality::trace::{self, DueCheck, LotStory};
use crate::sample::now_ms;

impl From<Failed> for ApiError {
    fn from(f: Failed) -> Self {
        match f {
            Failed::Core(e) => e.into(),
            Failed::Quality(QualityError::NotFound(what)) => ApiError::not_found(&what),
            Failed::Quality(QualityError::Invalid {
                code,
                message,
                field,
            }) => Error::Invalid {
                code,
                message,
                field,
            }
            .into(),
            Failed::Quality(QualityError::Refused {
                code,
                message,
                field,
                params,
            }) => Error::Refused {
                code,
                message,
                field: Some(field),
                params,
            }
            .into(),
            Failed::Quality(QualityError::Db(e)) => ApiError::internal(e),
        }
    }
}

// ------------------------------------------------------------------ master data

pub async fn products(State(core): State<Arc<Core>>) -> ApiResult<Json<Vec<ProductView>>> {
    Ok(Json(db(&core, |c| Ok(store::products(c)?)).await?))
}

/// `GET /api/quality/master.toml`: products, plans and materials as TOML.
pub async fn export_master(State(core): State<Arc<Core>>) -> ApiResult<Response> {
    let data = db(&core, |c| Ok(store::master(c)?)).await?;
    Ok((
        [
            (CONTENT_TYPE, "application/toml; charset=utf-8"),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"quality-master.toml\"",
            ),
        ],
        master::to_toml(&data),
    )
        .into_response())
}

/// `GET /api/quality/master.csv`: the same as CSV, a row per product, characteristic
/// and material.
pub async fn export_master_csv(State(core): State<Arc<Core>>) -> ApiResult<Response> {
    let data = db(&core, |c| Ok(store::master(c)?)).await?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"quality-master.csv\"",
            ),
        ],
        master_csv::to_csv(&data),
    )
        .into_response())
}

/// `PUT /api/quality/master`: TOML text, or CSV with `Content-Type: text/csv`; every
/// mistake listed (in CSV with its row and column), nothing taken unless the whole file
/// is good.
pub async fn import_master(
    State(core): State<Arc<Core>>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Text(text): Text,
) -> ApiResult<Json<MasterImported>> {
    let csv = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/csv"));
    let names = PlantNames::of(&core.plant());
    let parsed = if csv {
        master_csv::parse_csv(&text, &names)
    } else {
        master::parse(&text, &names)
    };
    let data = parsed.map_err(|e| match e {
        master::MasterError::Invalid(p) => Error::File(p),
    })?;
    let actor = caller.actor();
    Ok(Json(
        db(&core, move |c| {
            Ok(store::import_master(c, &data, &actor, now_ms())?)
        })
        .await?,
    ))
}

pub async fn materials(State(core): State<Arc<Core>>) -> ApiResult<Json<Vec<MaterialView>>> {
    Ok(Json(db(&core, |c| Ok(store::materials(c)?)).await?))
}

// ------------------------------------------------------------------ lots and checks

/// One machine's running lot and its checks.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MachineDue {
    pub machine: String,
    pub name: String,
    pub lot: Option<LotView>,
    pub checks: Vec<DueCheck>,
}

/// `GET /api/quality/due`: the checks of the lots running on the caller's machines,
/// and the out-of-spec results that wait for a disposition.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DueView {
    pub machines: Vec<MachineDue>,
    pub open: Vec<CheckView>,
    pub products: Vec<ProductView>,
}

#[derive(Deserialize)]
pub struct MachineQuery {
    machine: Option<String>,
    from: Option<i64>,
    to: Option<i64>,
}

pub async fn due(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Query(q): Query<MachineQuery>,
) -> ApiResult<Json<DueView>> {
    let mut keys = machines_of(&core, &caller.user).await?;
    if let Some(m) = &q.machine {
        keys.retain(|k| k == m);
    }
    let plant = core.plant();
    let now = now_ms();
    Ok(Json(
        db(&core, move |c| {
            let mut machines = Vec::new();
            for k in &keys {
                let (lot, checks) = match trace::due_on(c, &plant, k, now)? {
                    Some((l, d)) => (Some(l), d),
                    None => (None, Vec::new()),
                };
                machines.push(MachineDue {
                    machine: k.clone(),
                    name: plant
                        .machine(k)
                        .map_or_else(|| k.clone(), |m| m.name.clone()),
                    lot,
                    checks,
                });
            }
            let open = store::open_out_of_spec(c)?
                .into_iter()
                .filter(|x| keys.contains(&x.machine))
                .collect();
            Ok(DueView {
                machines,
                open,
                products: store::products(c)?,
            })
        })
        .await?,
    ))
}

pub async fn lots(
    State(core): State<Arc<Core>>,
    Query(q): Query<MachineQuery>,
) -> ApiResult<Json<Vec<LotView>>> {
    let to = q.to.unwrap_or_else(now_ms);
    let from = q.from.unwrap_or(to - 30 * 86_400_000);
    Ok(Json(
        db(&core, move |c| {
            Ok(store::lots(c, q.machine.as_deref(), from, to)?)
        })
        .await?,
    ))
}

pub async fn start_lot(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<NewLot>,
) -> ApiResult<(StatusCode, Json<LotView>)> {
    check_machine(&core, &caller.user, &b.machine).await?;
    let actor = caller.actor();
    Ok((
        StatusCode::CREATED,
        Json(
            db(&core, move |c| {
                Ok(store::start_lot(c, &b, &actor, now_ms())?)
            })
            .await?,
        ),
    ))
}

async fn lot_of(core: &Core, code: String) -> ApiResult<LotView> {
    Ok(db(core, move |c| Ok(store::lot(c, &code)?)).await?)
}

pub async fn end_lot(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(code): Path<String>,
    Body(b): Body<EndLot>,
) -> ApiResult<Json<LotView>> {
    let l = lot_of(&core, code.clone()).await?;
    check_machine(&core, &caller.user, &l.machine).await?;
    let actor = caller.actor();
    let ended = db(&core, move |c| {
        Ok(store::end_lot(c, &code, b.at, &actor, now_ms())?)
    })
    .await?;
    rewatch(&core).await;
    Ok(Json(ended))
}

/// After a check or a lot's end: the overdue alarms as they are now, so one clears at
/// once rather than at the quality job's next look.
async fn rewatch(core: &Core) {
    if let Err(e) = crate::quality::service::watch_overdue(core).await {
        tracing::warn!("overdue quality checks not looked at: {e}");
    }
}

pub async fn story(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<LotStory>> {
    let l = lot_of(&core, code.clone()).await?;
    if caller.user.role == crate::auth::Role::Operator {
        check_machine(&core, &caller.user, &l.machine).await?;
    }
    let plant = core.plant();
    Ok(Json(
        db(&core, move |c| {
            Ok(trace::story(c, &plant, &code, now_ms())?)
        })
        .await?,
    ))
}

/// The lot's story as a report, for those who may see the lot.
async fn story_doc(
    core: &Arc<Core>,
    caller: &Caller,
    code: String,
) -> ApiResult<crate::report::Doc> {
    let l = lot_of(core, code.clone()).await?;
    if caller.user.role == crate::auth::Role::Operator {
        check_machine(core, &caller.user, &l.machine).await?;
    }
    let plant = core.plant();
    let (who, uid) = (caller.actor().name, caller.user.id);
    Ok(db(core, move |c| {
        // In the language of the user who asks.
        let stamp = crate::report::build::Stamp {
            generated_by: who,
            generated_at_ms: now_ms(),
            lang: crate::i18n::of_user(c, uid),
        };
        Ok(crate::report::lot::lot_report(
            c,
            &plant,
            &code,
            &stamp,
            stamp.generated_at_ms,
        )?)
    })
    .await?)
}

/// A file name's stem from a lot code: "lot-A-0042".
fn lot_stem(code: &str) -> String {
    let clean: String = code
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("lot-{clean}")
}

fn attachment(mime: &str, name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (CONTENT_TYPE, mime.to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct PaperQuery {
    paper: Option<String>,
}

fn paper(p: Option<&str>) -> ApiResult<crate::report::Paper> {
    match p {
        None | Some("a4") => Ok(crate::report::Paper::A4),
        Some("letter") => Ok(crate::report::Paper::Letter),
        Some(p) => Err(ApiError::bad_request(
            "bad_paper",
            format!("paper \"{p}\" must be a4 or letter"),
        )
        .with("given", p)
        .with("allowed", "a4, letter")),
    }
}

/// `GET /api/quality/lots/{code}/story.pdf[?paper=letter]`: the lot's whole story as a
/// PDF, with the machine's states and trends during the lot and SPC charts.
pub async fn story_pdf(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(code): Path<String>,
    Query(q): Query<PaperQuery>,
) -> ApiResult<Response> {
    let paper = paper(q.paper.as_deref())?;
    let doc = story_doc(&core, &caller, code.clone()).await?;
    let bytes = tokio::task::spawn_blocking(move || crate::report::pdf::render(&doc, paper))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(attachment(
        "application/pdf",
        &format!("{}.pdf", lot_stem(&code)),
        bytes,
    ))
}

/// `GET /api/quality/lots/{code}/story.zip`: the same PDF with each table as CSV and
/// each chart as PNG, for a customer complaint.
pub async fn story_zip(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(code): Path<String>,
    Query(q): Query<PaperQuery>,
) -> ApiResult<Response> {
    let paper = paper(q.paper.as_deref())?;
    let doc = story_doc(&core, &caller, code.clone()).await?;
    let stem = lot_stem(&code);
    let s = stem.clone();
    let bytes = tokio::task::spawn_blocking(move || crate::report::bundle(&doc, &s, paper))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(attachment("application/zip", &format!("{stem}.zip"), bytes))
}

/// `GET /api/quality/trace/{code}`: the production lots that used a supplier lot (or a
/// material lot's label).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReverseTrace {
    pub code: String,
    pub material_lots: Vec<MaterialLotView>,
    pub lots: Vec<LotView>,
}

pub async fn reverse(
    State(core): State<Arc<Core>>,
    Path(code): Path<String>,
) -> ApiResult<Json<ReverseTrace>> {
    Ok(Json(
        db(&core, move |c| {
            let lots = store::lots_using(c, &code)?;
            let material_lots: Vec<MaterialLotView> = store::material_lots(c, true)?
                .into_iter()
                .filter(|m| {
                    m.supplier_lot.eq_ignore_ascii_case(code.trim())
                        || m.code.eq_ignore_ascii_case(code.trim())
                })
                .collect();
            if material_lots.is_empty() {
                return Err(trace::not_found(&code).into());
            }
            Ok(ReverseTrace {
                code,
                material_lots,
                lots,
            })
        })
        .await?,
    ))
}

pub async fn add_check(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<NewCheck>,
) -> ApiResult<(StatusCode, Json<CheckView>)> {
    let l = lot_of(&core, b.lot.clone()).await?;
    check_machine(&core, &caller.user, &l.machine).await?;
    if l.ended_at.is_some() && b.corrects.is_none() {
        return Err(ApiError::bad_request(
            "lot_ended",
            format!(
                "lot \"{}\" has ended; checks are entered on running lots (a correction of an earlier check is allowed)",
                l.code
            ),
        )
        .with("lot", l.code.as_str())
        .with("action", "check"));
    }
    let actor = caller.actor();
    let plant = core.plant();
    let check = db(&core, move |c| {
        let now = now_ms();
        let parts = trace::lot_parts(c, &plant, &l, now)?;
        Ok(store::add_check(c, &b, "typed", parts, &actor, now)?)
    })
    .await?;
    rewatch(&core).await;
    Ok((StatusCode::CREATED, Json(check)))
}

pub async fn dispose(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<NewDisposition>,
) -> ApiResult<Json<CheckView>> {
    let actor = caller.actor();
    Ok(Json(
        db(&core, move |c| {
            Ok(store::dispose(c, id, &b, &actor, now_ms())?)
        })
        .await?,
    ))
}

pub async fn add_lot_scrap(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(code): Path<String>,
    Body(b): Body<NewLotScrap>,
) -> ApiResult<(StatusCode, Json<LotScrapView>)> {
    let l = lot_of(&core, code.clone()).await?;
    check_machine(&core, &caller.user, &l.machine).await?;
    let actor = caller.actor();
    Ok((
        StatusCode::CREATED,
        Json(
            db(&core, move |c| {
                Ok(store::add_lot_scrap(c, &code, &b, &actor, now_ms())?)
            })
            .await?,
        ),
    ))
}

// ------------------------------------------------------------------ SPC

#[derive(Deserialize)]
pub struct SpcQuery {
    from: Option<i64>,
    to: Option<i64>,
    /// The baseline the limits are computed from; default: the range shown.
    baseline_from: Option<i64>,
    baseline_to: Option<i64>,
    /// Subgroup size (2 to 10) for an X-bar/R chart: consecutive measurements of one lot.
    subgroup: Option<usize>,
    /// The report's format and paper (the report endpoint only).
    format: Option<String>,
    paper: Option<String>,
}

impl SpcQuery {
    /// The range shown (default: the last 30 days) and the baseline (default: the range).
    fn range(&self) -> SpcRange {
        let to = self.to.unwrap_or_else(now_ms);
        let from = self.from.unwrap_or(to - 30 * 86_400_000);
        SpcRange {
            from,
            to,
            baseline_from: self.baseline_from.unwrap_or(from),
            baseline_to: self.baseline_to.unwrap_or(to),
            subgroup: self.subgroup,
        }
    }
}

pub async fn spc(
    State(core): State<Arc<Core>>,
    Path(id): Path<i64>,
    Query(q): Query<SpcQuery>,
) -> ApiResult<Json<SpcView>> {
    let r = q.range();
    Ok(Json(
        db(&core, move |c| Ok(control::view(c, id, &r)?)).await?,
    ))
}

/// `GET /api/quality/spc/{id}/report?format=pdf|xlsx|csv`: the SPC chart of the page
/// (same range, baseline and subgroup parameters) as a report, with every measurement.
pub async fn spc_report(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<SpcQuery>,
) -> ApiResult<Response> {
    let f = q.format.as_deref().unwrap_or("pdf");
    let format = crate::report::Format::parse(f).ok_or_else(|| {
        ApiError::bad_request(
            "bad_format",
            format!("format \"{f}\" must be pdf, xlsx or csv"),
        )
    })?;
    let paper = paper(q.paper.as_deref())?;
    let r = q.range();
    let plant = core.plant();
    let (who, uid) = (caller.actor().name, caller.user.id);
    let doc = db(&core, move |c| {
        let stamp = crate::report::build::Stamp {
            generated_by: who,
            generated_at_ms: now_ms(),
            lang: crate::i18n::of_user(c, uid),
        };
        Ok(crate::report::spc::spc_report(c, &plant, id, &r, &stamp)?)
    })
    .await?;
    let name = format!("spc-{id}-{}.{}", &doc.stem()[4..], format.extension());
    let opts = crate::report::Options {
        paper,
        ..Default::default()
    };
    let bytes = tokio::task::spawn_blocking(move || crate::report::render(&doc, format, &opts))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(attachment(format.mime(), &name, bytes))
}

// ------------------------------------------------------------------ stores

/// `GET /api/quality/stock`: material lots with stock on hand (all with `?all=true`),
/// the recent moves, and whether negative stock is allowed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StockView {
    pub materials: Vec<MaterialView>,
    pub lots: Vec<MaterialLotView>,
    pub moves: Vec<MoveView>,
    pub allow_negative: bool,
    /// Machines material can be issued to: [key, name].
    pub machines: Vec<(String, String)>,
}

#[derive(Deserialize)]
pub struct StockQuery {
    all: Option<bool>,
}

pub async fn stock(
    State(core): State<Arc<Core>>,
    Query(q): Query<StockQuery>,
) -> ApiResult<Json<StockView>> {
    let plant = core.plant();
    Ok(Json(
        db(&core, move |c| {
            Ok(StockView {
                materials: store::materials(c)?,
                lots: store::material_lots(c, q.all.unwrap_or(false))?,
                moves: store::moves(c, MoveFilter::Recent(50))?,
                allow_negative: store::allow_negative(c)?,
                machines: plant
                    .config
                    .machines
                    .iter()
                    .map(|m| (m.key.clone(), m.name.clone()))
                    .collect(),
            })
        })
        .await?,
    ))
}

pub async fn material_lot(
    State(core): State<Arc<Core>>,
    Path(code): Path<String>,
) -> ApiResult<Json<MaterialLotView>> {
    Ok(Json(
        db(&core, move |c| Ok(store::material_lot(c, &code)?)).await?,
    ))
}

pub async fn receive(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<NewReceipt>,
) -> ApiResult<(StatusCode, Json<MaterialLotView>)> {
    let actor = caller.actor();
    Ok((
        StatusCode::CREATED,
        Json(db(&core, move |c| Ok(store::receive(c, &b, &actor, now_ms())?)).await?),
    ))
}

pub async fn move_material(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<NewMove>,
) -> ApiResult<(StatusCode, Json<MoveView>)> {
    if let Some(m) = b.machine.as_deref().filter(|m| !m.trim().is_empty())
        && core.plant().machine(m.trim()).is_none()
    {
        return Err(ApiError::not_found(&format!("machine \"{}\"", m.trim())));
    }
    let actor = caller.actor();
    Ok((
        StatusCode::CREATED,
        Json(
            db(&core, move |c| {
                Ok(store::move_material(c, &b, &actor, now_ms())?)
            })
            .await?,
        ),
    ))
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NegativeStock {
    pub allow: bool,
}

pub async fn set_negative_stock(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<NegativeStock>,
) -> ApiResult<StatusCode> {
    let actor = caller.actor();
    db(&core, move |c| {
        Ok(store::set_allow_negative(c, b.allow, &actor)?)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------ lots from PLC tags

/// `GET /api/quality/lot-sources`: the machines whose lots follow a PLC tag holding the
/// order number, and the order master.
pub async fn lot_sources(State(core): State<Arc<Core>>) -> ApiResult<Json<LotSources>> {
    Ok(Json(db(&core, |c| Ok(orders::load(c)?)).await?))
}

/// `PUT /api/quality/lot-sources`: both lists replaced, every mistake listed.
pub async fn set_lot_sources(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<LotSources>,
) -> ApiResult<Json<LotSources>> {
    let actor = caller.actor();
    let plant = core.plant();
    Ok(Json(
        db(&core, move |c| {
            orders::save(c, &plant, &b, &actor)?;
            Ok(orders::load(c)?)
        })
        .await?,
    ))
}

// ------------------------------------------------------------------ gauges

/// `POST /api/quality/checks/gauge`: the check's value from its gauge, a serial-line
/// device that prints a line per reading (the collector reads it like any device): the
/// gauge's reading since `since` (default: the last 15 s), or the next one within 20 s.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct GaugeCheck {
    pub lot: String,
    pub characteristic_id: i64,
    /// UTC ms: a reading at or after this counts; default now - 15 s.
    #[cfg_attr(test, ts(optional))]
    pub since: Option<i64>,
}

/// How long a gauge check waits for the next reading.
const GAUGE_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

pub async fn gauge_check(
    State(core): State<Arc<Core>>,
    caller: Caller,
    Body(b): Body<GaugeCheck>,
) -> ApiResult<(StatusCode, Json<CheckView>)> {
    let l = lot_of(&core, b.lot.clone()).await?;
    check_machine(&core, &caller.user, &l.machine).await?;
    let id = b.characteristic_id;
    let ch = db(&core, move |c| Ok(store::characteristic(c, id)?)).await?;
    let Some(gauge) = ch.gauge.clone() else {
        return Err(ApiError::bad_request(
            "no_gauge",
            format!("\"{}\" is read from no gauge; type the value", ch.name),
        )
        .with("name", ch.name.as_str()));
    };
    let plant = core.plant();
    let Some(tag) = plant
        .tags()
        .find(|t| t.device.key == gauge && t.device.protocol == crate::config::Protocol::SerialLine)
        .map(|t| t.id)
    else {
        return Err(ApiError::bad_request(
            "no_gauge",
            format!(
                "the gauge \"{gauge}\" is not a serial-line device with a tag in the running configuration"
            ),
        )
        .with("gauge", gauge.as_str()));
    };
    let since = b.since.unwrap_or_else(|| now_ms() - 15_000);
    // Subscribe before looking at the newest value, so no reading falls between.
    let mut rx = core.subscribe_samples();
    let fresh = core
        .latest(tag)
        .and_then(|v| v.last_good)
        .filter(|s| s.ts >= since)
        .and_then(|s| s.value());
    let value = match fresh {
        Some(v) => v,
        None => {
            let wait = async {
                loop {
                    match rx.recv().await {
                        Ok(batch) => {
                            if let Some(v) = batch
                                .iter()
                                .filter(|s| s.tag_id == tag && s.quality.is_good() && s.ts >= since)
                                .find_map(|s| s.value())
                            {
                                return Some(v);
                            }
                        }
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                        Err(_) => return None,
                    }
                }
            };
            match tokio::time::timeout(GAUGE_WAIT, wait).await {
                Ok(Some(v)) => v,
                _ => {
                    return Err(ApiError::new(
                        StatusCode::REQUEST_TIMEOUT,
                        "gauge_timeout",
                        format!(
                            "no reading from the gauge \"{gauge}\" in {} s; press the gauge's print button and try again, or type the value",
                            GAUGE_WAIT.as_secs()
                        ),
                    )
                    .with("gauge", gauge.as_str())
                    .with("seconds", GAUGE_WAIT.as_secs()));
                }
            }
        }
    };
    let actor = caller.actor();
    let n = NewCheck {
        lot: b.lot,
        characteristic_id: id,
        value: Some(value),
        passed: None,
        comment: None,
        corrects: None,
    };
    let check = db(&core, move |c| {
        let now = now_ms();
        let parts = trace::lot_parts(c, &plant, &l, now)?;
        Ok(store::add_check(c, &n, "gauge", parts, &actor, now)?)
    })
    .await?;
    rewatch(&core).await;
    Ok((StatusCode::CREATED, Json(check)))
}

// ------------------------------------------------------------------ barcode readers

/// `GET /api/quality/scan?since=MS[&device=KEY]`: the next code read by a barcode reader
/// on a serial line (a serial-line device with a `type = "string"` tag): one read at or
/// after `since` (default now), waited for up to 20 s; 204 when none came, so the Stores
/// page asks again. The code is recognised as a material lot's label or supplier lot when
/// it is one.
#[derive(Debug, Clone, Deserialize)]
pub struct ScanQuery {
    since: Option<i64>,
    device: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BarcodeScan {
    pub device: String,
    pub code: String,
    pub at: i64,
    /// The material lot the code names (its label or its supplier lot), if any.
    pub material_lot: Option<MaterialLotView>,
}

/// How long a scan request waits for a code.
const SCAN_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

pub async fn scan(
    State(core): State<Arc<Core>>,
    Query(q): Query<ScanQuery>,
) -> ApiResult<Response> {
    let plant = core.plant();
    let readers: std::collections::HashMap<crate::sample::TagId, String> = plant
        .tags()
        .filter(|t| t.device.protocol == crate::config::Protocol::SerialLine && t.tag.is_text())
        .filter(|t| q.device.as_deref().is_none_or(|d| d == t.device.key))
        .map(|t| (t.id, t.device.key.clone()))
        .collect();
    if readers.is_empty() {
        return Err(ApiError::not_found(&match &q.device {
            Some(d) => format!(
                "barcode reader \"{d}\" (a serial-line device with a type = \"string\" tag)"
            ),
            None => "barcode reader: no serial-line device has a type = \"string\" tag".into(),
        }));
    }
    let since = q.since.unwrap_or_else(now_ms);
    // Subscribe before looking at the newest values, so no code falls between.
    let mut rx = core.subscribe_samples();
    let text = |s: &crate::sample::Sample| {
        (s.ts >= since && readers.contains_key(&s.tag_id))
            .then(|| {
                s.text()
                    .map(|t| (readers[&s.tag_id].clone(), t.trim().to_string(), s.ts))
            })
            .flatten()
            .filter(|(_, t, _)| !t.is_empty())
    };
    let fresh = readers
        .keys()
        .filter_map(|id| core.latest(*id).and_then(|v| v.last_good))
        .filter_map(|s| text(&s))
        .min_by_key(|x| x.2);
    let found = match fresh {
        Some(f) => Some(f),
        None => {
            let wait = async {
                loop {
                    match rx.recv().await {
                        Ok(batch) => {
                            if let Some(f) = batch.iter().find_map(&text) {
                                return Some(f);
                            }
                        }
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                        Err(_) => return None,
                    }
                }
            };
            tokio::time::timeout(SCAN_WAIT, wait).await.ok().flatten()
        }
    };
    let Some((device, code, at)) = found else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let c = code.clone();
    let material_lot = db(&core, move |conn| {
        Ok(store::material_lots(conn, true)?
            .into_iter()
            .find(|m| m.code.eq_ignore_ascii_case(&c) || m.supplier_lot.eq_ignore_ascii_case(&c)))
    })
    .await?;
    Ok(Json(BarcodeScan {
        device,
        code,
        at,
        material_lot,
    })
    .into_response())
}
