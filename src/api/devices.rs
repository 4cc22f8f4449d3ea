//! Devices, lines and commissioning: status and diagnostics per device and per bus,
//! each tag's address in both notations, test reads, bus scans, serial ports, and the
//! device templates.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ApiResult, Body};
use super::session::Authed;
use crate::app::Core;
use crate::auth::Permission;
use crate::collector::commission::{self, ReadResult, ReadSpec, ScanHit, Via};
use crate::collector::link::{Link, PortSpec};
use crate::collector::{DeviceStatus, Diagnostics, bus_key};
use crate::config::templates::{self, Template};
use crate::config::{DataType, Device, Order, Protocol, RegisterKind, Tag};
use crate::sample::{SampleJson, TagId};

#[derive(Serialize)]
pub struct DeviceJson {
    key: String,
    name: String,
    protocol: &'static str,
    endpoint: String,
    bus: String,
    /// Modbus unit id; null for serial line devices.
    unit_id: Option<u8>,
    template: Option<String>,
    #[serde(flatten)]
    status: DeviceStatus,
    diagnostics: Option<Diagnostics>,
    tags: usize,
    machines: Vec<String>,
}

fn device_json(core: &Core, d: &Device) -> DeviceJson {
    let mut machines: Vec<String> = d
        .tags
        .iter()
        .filter_map(|t| t.machine_key(d).map(str::to_string))
        .collect();
    machines.sort();
    machines.dedup();
    DeviceJson {
        key: d.key.clone(),
        name: d.display_name().to_string(),
        protocol: d.protocol.name(),
        endpoint: d.endpoint(),
        bus: bus_key(d),
        unit_id: d.protocol.is_modbus().then_some(d.unit_id),
        template: d.template.clone(),
        status: core.status.get(&d.key),
        diagnostics: core.diag.device(&d.key),
        tags: d.tags.len(),
        machines,
    }
}

pub async fn devices(
    State(core): State<Arc<Core>>,
    auth: Authed,
) -> ApiResult<Json<Vec<DeviceJson>>> {
    auth.require(Permission::ViewDevices)?;
    let plant = core.plant();
    Ok(Json(
        plant
            .config
            .devices
            .iter()
            .map(|d| device_json(&core, d))
            .collect(),
    ))
}

#[derive(Serialize)]
pub struct TagDetail {
    id: Option<TagId>,
    name: String,
    label: String,
    unit: String,
    machine: Option<String>,
    /// Modbus: the table, the address on the wire, and the number as in manuals.
    function: Option<RegisterKind>,
    function_code: Option<u8>,
    address: Option<u16>,
    register: Option<u32>,
    width: Option<u16>,
    #[serde(rename = "type")]
    data_type: Option<&'static str>,
    order: Order,
    /// With type "bit": which bit.
    bit: Option<u8>,
    /// With type "string": registers.
    length: Option<u16>,
    role: Option<crate::config::TagRole>,
    scale: f64,
    offset: f64,
    /// serial-line: the pattern's group.
    field: Option<String>,
    poll_ms: u64,
    last: Option<SampleJson>,
}

#[derive(Serialize)]
pub struct DeviceDetail {
    #[serde(flatten)]
    device: DeviceJson,
    unit_id: u8,
    timeout_ms: u64,
    poll_ms: u64,
    settings: String,
    tag_list: Vec<TagDetail>,
}

pub async fn device(
    State(core): State<Arc<Core>>,
    auth: Authed,
    Path(key): Path<String>,
) -> ApiResult<Json<DeviceDetail>> {
    auth.require(Permission::ViewDevices)?;
    let plant = core.plant();
    let d = find_device(&plant, &key)?;
    let settings = match d.protocol {
        Protocol::ModbusRtu | Protocol::SerialLine => plant
            .config
            .buses
            .iter()
            .find(|b| Some(&b.key) == d.bus.as_ref())
            .map(|b| b.settings())
            .unwrap_or_default(),
        _ => format!("{}:{}", d.host.as_deref().unwrap_or(""), d.tcp_port()),
    };
    let tag_list = d
        .tags
        .iter()
        .map(|t| {
            let id = plant.tag_id(&d.key, &t.name);
            let loc = t.location();
            TagDetail {
                id,
                name: t.name.clone(),
                label: t.display_label().to_string(),
                unit: t.unit.clone(),
                machine: t.machine_key(d).map(str::to_string),
                function: loc.map(|l| l.kind),
                function_code: loc.map(|l| l.kind.function_code()),
                address: loc.map(|l| l.address),
                register: loc.map(|l| l.kind.manual(l.address)),
                width: loc.map(|l| l.width),
                data_type: d.protocol.is_modbus().then(|| t.effective_type().name()),
                order: t.order,
                bit: t.bit,
                length: t.length,
                role: t.role,
                scale: t.scale,
                offset: t.offset,
                field: t.field.clone(),
                poll_ms: t.effective_poll_ms(d),
                last: id
                    .and_then(|id| core.live.get(id))
                    .map(|l| SampleJson::from(&l.last)),
            }
        })
        .collect();
    Ok(Json(DeviceDetail {
        device: device_json(&core, d),
        unit_id: d.unit_id,
        timeout_ms: d.timeout_ms,
        poll_ms: d.poll_ms,
        settings,
        tag_list,
    }))
}

#[derive(Serialize)]
pub struct BusJson {
    key: String,
    name: String,
    kind: &'static str,
    settings: String,
    devices: Vec<String>,
    diagnostics: Option<Diagnostics>,
}

pub async fn buses(State(core): State<Arc<Core>>, auth: Authed) -> ApiResult<Json<Vec<BusJson>>> {
    auth.require(Permission::ViewDevices)?;
    let plant = core.plant();
    let mut out: Vec<BusJson> = Vec::new();
    for d in &plant.config.devices {
        let key = bus_key(d);
        if let Some(b) = out.iter_mut().find(|b| b.key == key) {
            b.devices.push(d.key.clone());
            continue;
        }
        let serial = plant
            .config
            .buses
            .iter()
            .find(|b| Some(&b.key) == d.bus.as_ref());
        let address = format!("{}:{}", d.host.as_deref().unwrap_or(""), d.tcp_port());
        out.push(BusJson {
            name: serial.map_or_else(|| address.clone(), |b| b.display_name().to_string()),
            kind: match d.protocol {
                Protocol::ModbusTcp => "modbus-tcp",
                Protocol::ModbusRtuOverTcp => "rtu-over-tcp",
                Protocol::ModbusRtu => "rs-485",
                Protocol::SerialLine => "serial-line",
            },
            settings: serial.map_or_else(|| address.clone(), |b| b.settings()),
            devices: vec![d.key.clone()],
            diagnostics: core.diag.bus(&key),
            key,
        });
    }
    Ok(Json(out))
}

/// A test read: a configured tag, or registers given here on a device's line.
#[derive(Deserialize)]
pub struct ReadBody {
    /// The device whose line (and unit id, unless `unit` is given) to use.
    device: String,
    /// Read this tag of the device, decoded as configured.
    tag: Option<String>,
    unit: Option<u8>,
    function: Option<RegisterKind>,
    address: Option<u16>,
    /// As in manuals, instead of function and address.
    register: Option<u32>,
    count: Option<u16>,
    #[serde(rename = "type")]
    data_type: Option<DataType>,
    #[serde(default)]
    order: Order,
    bit: Option<u8>,
    timeout_ms: Option<u64>,
}

pub async fn test_read(
    State(core): State<Arc<Core>>,
    auth: Authed,
    Body(body): Body<ReadBody>,
) -> ApiResult<Json<ReadResult>> {
    auth.require(Permission::Commission)?;
    let plant = core.plant();
    let d = find_device(&plant, &body.device)?;
    if !d.protocol.is_modbus() {
        return Err(ApiError::bad_request(
            "not_modbus",
            "a serial line device prints its readings itself; see its diagnostics for the lines it sent",
        ));
    }
    let timeout = Duration::from_millis(body.timeout_ms.unwrap_or(d.timeout_ms).clamp(50, 60_000));
    let unit = body.unit.unwrap_or(d.unit_id);
    let (spec, tag): (ReadSpec, Tag) = match &body.tag {
        Some(name) => {
            let tag = d
                .tags
                .iter()
                .find(|t| &t.name == name)
                .ok_or_else(|| ApiError::not_found("tag"))?
                .clone();
            let spec = ReadSpec::of_tag(&tag, unit, timeout).ok_or_else(|| {
                ApiError::bad_request("no_address", "the tag has no Modbus address")
            })?;
            (spec, tag)
        }
        None => {
            let (kind, address) = match (body.register, body.function, body.address) {
                (Some(r), _, _) => RegisterKind::from_manual(r).ok_or_else(|| {
                    ApiError::bad_request(
                        "bad_register",
                        format!("{r} is not a register number as manuals write them (40001, 30001, 10001, 00001)"),
                    )
                })?,
                (None, Some(f), Some(a)) => (f, a),
                _ => {
                    return Err(ApiError::bad_request(
                        "no_address",
                        "give a tag, or register (as in the manual), or function and address",
                    ));
                }
            };
            let data_type = body.data_type.unwrap_or(if kind.is_bits() {
                DataType::Bool
            } else {
                DataType::U16
            });
            let count = body
                .count
                .unwrap_or(data_type.width(None))
                .clamp(1, if kind.is_bits() { 2000 } else { 125 });
            let tag =
                commission::adhoc_tag(kind, address, data_type, body.order, body.bit, Some(count));
            (
                ReadSpec {
                    unit,
                    kind,
                    address,
                    count,
                    timeout,
                },
                tag,
            )
        }
    };
    let result = read_on_line(&core, d, &spec, Some(&tag)).await?;
    Ok(Json(result))
}

/// Reads through the bus task that owns the device's line, or with a link of its own
/// when none runs.
async fn read_on_line(
    core: &Core,
    d: &Device,
    spec: &ReadSpec,
    tag: Option<&Tag>,
) -> ApiResult<ReadResult> {
    let jobs = core.collector_jobs(&bus_key(d)).await;
    let ex = match jobs {
        Some(jobs) => Via::Bus(&jobs).read(spec).await,
        None => {
            let mut link = own_link(core, d)?;
            Via::Link(&mut link).read(spec).await
        }
    };
    Ok(commission::result(spec, ex, tag))
}

fn own_link(core: &Core, d: &Device) -> ApiResult<Link> {
    let plant = core.plant();
    Ok(match d.protocol {
        Protocol::ModbusTcp => Link::tcp(d.host.as_deref().unwrap_or(""), d.tcp_port()),
        Protocol::ModbusRtuOverTcp => Link::rtu(PortSpec::Tcp {
            host: d.host.clone().unwrap_or_default(),
            port: d.tcp_port(),
        }),
        _ => {
            let bus = plant
                .config
                .buses
                .iter()
                .find(|b| Some(&b.key) == d.bus.as_ref())
                .ok_or_else(|| ApiError::not_found("serial line"))?;
            Link::rtu(PortSpec::Serial(bus.clone()))
        }
    })
}

#[derive(Deserialize)]
pub struct ScanBody {
    /// A device whose line to scan.
    device: String,
    from: Option<u8>,
    to: Option<u8>,
    /// The register asked of each unit; 40001 unless given.
    register: Option<u32>,
    timeout_ms: Option<u64>,
}

#[derive(Serialize)]
pub struct ScanJson {
    line: String,
    asked: String,
    found: Vec<ScanHit>,
}

pub async fn scan(
    State(core): State<Arc<Core>>,
    auth: Authed,
    Body(body): Body<ScanBody>,
) -> ApiResult<Json<ScanJson>> {
    auth.require(Permission::Commission)?;
    let plant = core.plant();
    let d = find_device(&plant, &body.device)?;
    if !d.protocol.is_modbus() {
        return Err(ApiError::bad_request(
            "not_modbus",
            "only Modbus lines can be scanned",
        ));
    }
    let (kind, address) =
        RegisterKind::from_manual(body.register.unwrap_or(40001)).ok_or_else(|| {
            ApiError::bad_request(
                "bad_register",
                "give the register as manuals write it, e.g. 40001",
            )
        })?;
    let from = body.from.unwrap_or(1).max(1);
    let to = body.to.unwrap_or(247).clamp(from, 247);
    let timeout = Duration::from_millis(body.timeout_ms.unwrap_or(200).clamp(20, 1000));
    let jobs = core.collector_jobs(&bus_key(d)).await;
    let found = match jobs {
        Some(jobs) => {
            commission::scan(
                &mut Via::Bus(&jobs),
                from..=to,
                kind,
                address,
                timeout,
                |_| {},
            )
            .await
        }
        None => {
            let mut link = own_link(&core, d)?;
            commission::scan(
                &mut Via::Link(&mut link),
                from..=to,
                kind,
                address,
                timeout,
                |_| {},
            )
            .await
        }
    };
    Ok(Json(ScanJson {
        line: bus_key(d),
        asked: format!(
            "{} {} of units {from} to {to}, {} ms each",
            kind.name(),
            kind.manual(address),
            timeout.as_millis()
        ),
        found,
    }))
}

#[derive(Serialize)]
pub struct PortJson {
    name: String,
    kind: String,
}

pub async fn serial_ports(auth: Authed) -> ApiResult<Json<Vec<PortJson>>> {
    auth.require(Permission::Commission)?;
    let ports = tokio::task::spawn_blocking(tokio_serial::available_ports)
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| ApiError::internal(format!("cannot list serial ports: {e}")))?;
    Ok(Json(
        ports
            .into_iter()
            .map(|p| PortJson {
                kind: describe_port(&p.port_type),
                name: p.port_name,
            })
            .collect(),
    ))
}

pub fn describe_port(t: &tokio_serial::SerialPortType) -> String {
    match t {
        tokio_serial::SerialPortType::UsbPort(u) => format!(
            "USB {:04x}:{:04x}{}{}",
            u.vid,
            u.pid,
            u.manufacturer
                .as_deref()
                .map(|m| format!(" {m}"))
                .unwrap_or_default(),
            u.product
                .as_deref()
                .map(|m| format!(" {m}"))
                .unwrap_or_default()
        ),
        tokio_serial::SerialPortType::PciPort => "PCI".into(),
        tokio_serial::SerialPortType::BluetoothPort => "Bluetooth".into(),
        tokio_serial::SerialPortType::Unknown => "serial".into(),
    }
}

#[derive(Serialize)]
pub struct TemplateSummary {
    key: String,
    maker: String,
    model: String,
    kind: String,
    document: String,
    tags: usize,
}

pub async fn list_templates(auth: Authed) -> ApiResult<Json<Vec<TemplateSummary>>> {
    auth.require(Permission::ViewConfig)?;
    Ok(Json(
        templates::all()
            .iter()
            .map(|t| TemplateSummary {
                key: t.template.key.clone(),
                maker: t.template.maker.clone(),
                model: t.template.model.clone(),
                kind: t.template.kind.clone(),
                document: t.template.document.clone(),
                tags: t.tags.len(),
            })
            .collect(),
    ))
}

pub async fn template(auth: Authed, Path(key): Path<String>) -> ApiResult<Json<&'static Template>> {
    auth.require(Permission::ViewConfig)?;
    templates::get(&key)
        .map(Json)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such template"))
}

/// The configured device `key`, or 404.
fn find_device<'a>(
    plant: &'a crate::config::Plant,
    key: &str,
) -> ApiResult<&'a crate::config::Device> {
    plant
        .config
        .devices
        .iter()
        .find(|d| d.key == key)
        .ok_or_else(|| ApiError::not_found("device"))
}
