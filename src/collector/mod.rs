//! The collector: one task per bus (a serial line, a gateway or TCP device address)
//! and one per serial line device, each emitting its readings into a [`Sink`] that the
//! composition root wires to whoever listens; the collector knows none of them. A device
//! that fails only marks its own samples bad; it never stalls another bus, and on its
//! own bus it costs the others at most one timeout per cycle.
//!
//! Read-only towards devices: only Modbus functions 01 to 04 are sent, anywhere.

pub mod bus;
pub mod commission;
pub mod decode;
pub mod diag;
pub mod link;
pub mod plan;
pub mod plausible;
pub mod ports;
pub mod serial_line;
pub mod sink;
pub mod status;

pub use diag::{DiagBoard, Diagnostics, ErrorKind};
pub use sink::{Discard, SharedSink, Sink};
pub use status::{DeviceStatus, LinkState, StatusBoard};

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::{Device, Plant, Protocol, RegisterKind};
use bus::{BusDevice, BusTask, Job};
use link::{Exchange, LinkSpec};
use serial_line::LineDevice;

/// The key of the bus a device is on: its serial line's key, or its TCP address.
pub fn bus_key(device: &Device) -> String {
    match device.protocol {
        Protocol::ModbusTcp => format!(
            "tcp://{}:{}",
            device.host.as_deref().unwrap_or(""),
            device.tcp_port()
        ),
        Protocol::ModbusRtuOverTcp => format!(
            "rtu+tcp://{}:{}",
            device.host.as_deref().unwrap_or(""),
            device.tcp_port()
        ),
        Protocol::ModbusRtu | Protocol::SerialLine => device.bus.clone().unwrap_or_default(),
    }
}

/// The running bus tasks of one configuration.
pub struct Collector {
    status: Arc<StatusBoard>,
    diag: Arc<DiagBoard>,
    cancel: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
    /// Job queues of the Modbus bus tasks, by bus key.
    jobs: HashMap<String, mpsc::Sender<Job>>,
}

impl Collector {
    pub fn new(status: Arc<StatusBoard>, diag: Arc<DiagBoard>) -> Collector {
        Collector {
            status,
            diag,
            cancel: CancellationToken::new(),
            tasks: Vec::new(),
            jobs: HashMap::new(),
        }
    }

    /// Stops the current tasks and starts one per bus of `plant`.
    pub async fn start(&mut self, plant: &Plant, sink: &SharedSink) {
        self.stop().await;
        self.cancel = CancellationToken::new();
        let devices = &plant.config.devices;
        let device_keys: Vec<&str> = devices.iter().map(|d| d.key.as_str()).collect();
        let bus_keys: Vec<String> = devices.iter().map(bus_key).collect();
        let bus_refs: Vec<&str> = bus_keys.iter().map(String::as_str).collect();
        self.status.retain(&device_keys);
        self.diag.retain(&device_keys, &bus_refs);

        // Modbus devices grouped by bus, in file order.
        let mut groups: Vec<(String, LinkSpec, Vec<BusDevice>)> = Vec::new();
        for device in devices.iter().filter(|d| d.protocol.is_modbus()) {
            let key = bus_key(device);
            let reads = plan::plan(plant, device);
            let entry = BusDevice {
                device: device.clone(),
                reads,
            };
            if let Some(g) = groups.iter_mut().find(|g| g.0 == key) {
                g.2.push(entry);
                continue;
            }
            let Some(link) = LinkSpec::of_device(&plant.config, device) else {
                continue;
            };
            groups.push((key, link, vec![entry]));
        }
        for (key, link, devices) in groups {
            let (tx, rx) = mpsc::channel(16);
            self.jobs.insert(key.clone(), tx);
            self.tasks.push(tokio::spawn(BusTask::supervise(
                (key, link, devices),
                sink.clone(),
                self.status.clone(),
                self.diag.clone(),
                rx,
                self.cancel.child_token(),
            )));
        }

        for device in devices
            .iter()
            .filter(|d| d.protocol == Protocol::SerialLine)
        {
            let Some(b) = plant
                .config
                .buses
                .iter()
                .find(|b| Some(&b.key) == device.bus.as_ref())
            else {
                continue;
            };
            let tags = device
                .tags
                .iter()
                .filter_map(|t| Some((plant.tag_id(&device.key, &t.name)?, t.clone())))
                .collect();
            let task = LineDevice {
                device: device.clone(),
                bus: b.clone(),
                tags,
            };
            self.tasks.push(tokio::spawn(task.run(
                sink.clone(),
                self.status.clone(),
                self.diag.clone(),
                self.cancel.child_token(),
            )));
        }
        tracing::info!(
            devices = devices.len(),
            buses = self.jobs.len(),
            version = plant.version,
            "collector started"
        );
    }

    /// Stops every task and waits for them to end.
    pub async fn stop(&mut self) {
        self.cancel.cancel();
        self.jobs.clear();
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
    }

    pub fn status(&self) -> &Arc<StatusBoard> {
        &self.status
    }

    /// The job queue of a running Modbus bus.
    pub fn jobs(&self, bus_key: &str) -> Option<mpsc::Sender<Job>> {
        self.jobs.get(bus_key).cloned()
    }
}

/// A commissioning read through the running bus task that owns the link; `None` when
/// no such bus runs.
pub async fn read_through(
    jobs: &mpsc::Sender<Job>,
    unit: u8,
    kind: RegisterKind,
    address: u16,
    count: u16,
    timeout: Duration,
) -> Option<Exchange> {
    let (reply, rx) = oneshot::channel();
    jobs.send(Job::Read {
        unit,
        kind,
        address,
        count,
        timeout,
        reply,
    })
    .await
    .ok()?;
    rx.await.ok()
}
