//! Devices, lines and commissioning as the running core sees them: each device's
//! settings beside its live status and diagnostics, each tag's address in both
//! notations with its newest value, the lines, the templates, and test reads and scans
//! through the running line (or a link of their own when no line runs).

use serde::Serialize;

use super::security::Scope;
use super::{Core, Error};
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::collector::commission::{self, ReadResult, ScanReport, ScanRequest, TestRead, Via};
use crate::collector::{DeviceStatus, Diagnostics, bus_key};
use crate::config::templates::{self, Template};
use crate::config::{Device, Order, Plant, Protocol, RegisterKind, TagRole};
use crate::sample::{SampleJson, TagId};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DeviceView {
    pub key: String,
    pub name: String,
    pub protocol: &'static str,
    pub endpoint: String,
    pub bus: String,
    /// Modbus unit id; null for serial line devices.
    pub unit_id: Option<u8>,
    pub template: Option<String>,
    #[serde(flatten)]
    pub status: DeviceStatus,
    pub diagnostics: Option<Diagnostics>,
    pub tags: usize,
    pub machines: Vec<String>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TagDetail {
    pub id: Option<TagId>,
    pub name: String,
    pub label: String,
    pub unit: String,
    pub machine: Option<String>,
    /// Modbus: the table, the address on the wire, and the number as in manuals.
    pub function: Option<RegisterKind>,
    pub function_code: Option<u8>,
    pub address: Option<u16>,
    pub register: Option<u32>,
    pub width: Option<u16>,
    #[serde(rename = "type")]
    pub data_type: Option<&'static str>,
    pub order: Order,
    /// With type "bit": which bit.
    pub bit: Option<u8>,
    /// With type "string": registers.
    pub length: Option<u16>,
    pub role: Option<TagRole>,
    pub scale: f64,
    pub offset: f64,
    /// serial-line: the pattern's group.
    pub field: Option<String>,
    pub poll_ms: u64,
    pub last: Option<SampleJson>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DeviceDetail {
    #[serde(flatten)]
    pub device: DeviceView,
    pub timeout_ms: u64,
    pub poll_ms: u64,
    pub settings: String,
    pub tag_list: Vec<TagDetail>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BusView {
    pub key: String,
    pub name: String,
    pub kind: &'static str,
    pub settings: String,
    pub devices: Vec<String>,
    pub diagnostics: Option<Diagnostics>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TemplateSummary {
    pub key: String,
    pub maker: String,
    pub model: String,
    pub kind: String,
    pub document: String,
    pub tags: usize,
}

/// The configured device `key`.
fn find<'a>(plant: &'a Plant, key: &str) -> Result<&'a Device, Error> {
    plant
        .config
        .devices
        .iter()
        .find(|d| d.key == key)
        .ok_or(Error::NotFound("device"))
}

impl Core {
    fn device_view(&self, d: &Device) -> DeviceView {
        let mut machines: Vec<String> = d
            .tags
            .iter()
            .filter_map(|t| t.machine_key(d).map(str::to_string))
            .collect();
        machines.sort();
        machines.dedup();
        DeviceView {
            key: d.key.clone(),
            name: d.display_name().to_string(),
            protocol: d.protocol.name(),
            endpoint: d.endpoint(),
            bus: bus_key(d),
            unit_id: d.protocol.is_modbus().then_some(d.unit_id),
            template: d.template.clone(),
            status: self.device_status(&d.key),
            diagnostics: self.device_diagnostics(&d.key),
            tags: d.tags.len(),
            machines,
        }
    }

    /// Every configured device with its status.
    pub fn devices(&self) -> Vec<DeviceView> {
        self.devices_in(&Scope::All)
    }

    /// The devices of the machines in `scope`, with their status.
    pub fn devices_in(&self, scope: &Scope) -> Vec<DeviceView> {
        let plant = self.plant();
        plant
            .config
            .devices
            .iter()
            .map(|d| self.device_view(d))
            .filter(|v| scope.any(&v.machines))
            .collect()
    }

    /// One device with its settings and every tag.
    pub fn device(&self, key: &str) -> Result<DeviceDetail, Error> {
        self.device_in(key, &Scope::All)
    }

    /// The device `key` of `plant`, if the caller's scope reaches it.
    fn device_of<'a>(
        &self,
        plant: &'a Plant,
        key: &str,
        scope: &Scope,
    ) -> Result<&'a Device, Error> {
        let d = find(plant, key)?;
        if scope.is_all() || scope.any(&self.device_view(d).machines) {
            Ok(d)
        } else {
            Err(Error::NotFound("device"))
        }
    }

    /// [`Core::device`] for a caller who may see only the machines of `scope`.
    pub fn device_in(&self, key: &str, scope: &Scope) -> Result<DeviceDetail, Error> {
        let plant = self.plant();
        let d = self.device_of(&plant, key, scope)?;
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
                        .and_then(|id| self.latest(id))
                        .map(|l| SampleJson::from(&l.last)),
                }
            })
            .collect();
        Ok(DeviceDetail {
            device: self.device_view(d),
            timeout_ms: d.timeout_ms,
            poll_ms: d.poll_ms,
            settings,
            tag_list,
        })
    }

    /// The lines (serial lines and TCP addresses) with their devices and diagnostics.
    pub fn lines(&self) -> Vec<BusView> {
        self.lines_in(&Scope::All)
    }

    /// The lines that carry devices of the machines in `scope`, with only those devices.
    pub fn lines_in(&self, scope: &Scope) -> Vec<BusView> {
        let plant = self.plant();
        let mut out: Vec<BusView> = Vec::new();
        for d in &plant.config.devices {
            if !scope.is_all() && !scope.any(&self.device_view(d).machines) {
                continue;
            }
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
            out.push(BusView {
                name: serial.map_or_else(|| address.clone(), |b| b.display_name().to_string()),
                kind: match d.protocol {
                    Protocol::ModbusTcp => "modbus-tcp",
                    Protocol::ModbusRtuOverTcp => "rtu-over-tcp",
                    Protocol::ModbusRtu => "rs-485",
                    Protocol::SerialLine => "serial-line",
                },
                settings: serial.map_or_else(|| address.clone(), |b| b.settings()),
                devices: vec![d.key.clone()],
                diagnostics: self.line_diagnostics(&key),
                key,
            });
        }
        out
    }

    /// A test read on a device's line: through the running line's task between its
    /// polls, or with a link of its own when none runs.
    pub async fn test_read(&self, req: &TestRead) -> Result<ReadResult, Error> {
        self.test_read_as(req, &Scope::All, Actor::command_line())
            .await
    }

    /// [`Core::test_read`] by `actor`, who may reach the devices of `scope`: one job per
    /// line at a time, its timeout capped near the device's own, audited as
    /// `commission.read`.
    pub async fn test_read_as(
        &self,
        req: &TestRead,
        scope: &Scope,
        actor: Actor,
    ) -> Result<ReadResult, Error> {
        let plant = self.plant();
        let d = self.device_of(&plant, &req.device, scope)?;
        let mut req = req.clone();
        req.timeout_ms = Some(commission::capped_timeout_ms(req.timeout_ms, d.timeout_ms));
        let (spec, tag) = req.plan(d)?;
        let line = bus_key(d);
        let _job = self.line_job(&line)?;
        self.audit_commissioning(actor, "commission.read", &d.key, spec.describe())
            .await?;
        let mut result = match self.line_jobs(&line).await {
            Some(jobs) => commission::read(&mut Via::Bus(&jobs), &spec, Some(&tag)).await,
            None => {
                let mut link = commission::own_link(&plant.config, d)?;
                commission::read(&mut Via::Link(&mut link), &spec, Some(&tag)).await
            }
        };
        let machine = tag.machine_key(d).map(str::to_string);
        let ctx = self.plausibility_context(machine.as_deref()).await?;
        req.judge(&mut result, &tag, crate::sample::now_ms(), &ctx);
        Ok(result)
    }

    async fn audit_commissioning(
        &self,
        actor: Actor,
        action: &'static str,
        device: &str,
        detail: String,
    ) -> Result<(), Error> {
        let device = device.to_string();
        self.db()
            .run(move |c| {
                audit::record(c, &AuditEntry::new(&actor, action, &device, &detail))
                    .map_err(Error::from)
            })
            .await
    }

    /// Scans the line of `device` for the unit ids that answer.
    pub async fn scan_line(&self, device: &str, req: &ScanRequest) -> Result<ScanReport, Error> {
        self.scan_line_as(device, req, &Scope::All, Actor::command_line())
            .await
    }

    /// [`Core::scan_line`] by `actor`: one job per line at a time, audited as
    /// `commission.scan`. A scan asks every unit on the line, so a caller who may see
    /// only some machines cannot scan.
    pub async fn scan_line_as(
        &self,
        device: &str,
        req: &ScanRequest,
        scope: &Scope,
        actor: Actor,
    ) -> Result<ScanReport, Error> {
        if !scope.is_all() {
            return Err(Error::Forbidden {
                code: "forbidden",
                message: "a scan asks every device on the line, beyond your machines; ask the plant's maintenance".into(),
            });
        }
        let plant = self.plant();
        let d = find(&plant, device)?;
        if !d.protocol.is_modbus() {
            return Err(Error::invalid(
                "not_modbus",
                "only Modbus lines can be scanned",
            ));
        }
        let line = bus_key(d);
        let _job = self.line_job(&line)?;
        self.audit_commissioning(
            actor,
            "commission.scan",
            &d.key,
            format!(
                "line {line}, units {} to {}",
                req.from.unwrap_or(1),
                req.to.unwrap_or(247)
            ),
        )
        .await?;
        Ok(match self.line_jobs(&line).await {
            Some(jobs) => req.run(&mut Via::Bus(&jobs), line, |_| {}).await?,
            None => {
                let mut link = commission::own_link(&plant.config, d)?;
                req.run(&mut Via::Link(&mut link), line, |_| {}).await?
            }
        })
    }
}

/// The device templates shipped in the binary.
pub fn template_list() -> Vec<TemplateSummary> {
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
        .collect()
}

/// One template, whole.
pub fn template(key: &str) -> Result<&'static Template, Error> {
    templates::get(key).ok_or(Error::NotFound("template"))
}
