//! The collector: one task per device, each polling its device on its own schedule and
//! publishing samples to the sample bus. A device that fails only marks its own samples
//! bad; it never stalls another device's task.
//!
//! Read-only towards devices: no Modbus write function is sent anywhere in here.

pub mod decode;
pub mod modbus_tcp;
pub mod plan;
pub mod simulator;
pub mod status;

pub use status::{DeviceStatus, LinkState, StatusBoard};

use std::sync::Arc;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::bus::SampleBus;
use crate::config::{Plant, Protocol};

/// The running device tasks of one configuration.
pub struct Collector {
    status: Arc<StatusBoard>,
    cancel: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl Collector {
    pub fn new(status: Arc<StatusBoard>) -> Collector {
        Collector {
            status,
            cancel: CancellationToken::new(),
            tasks: Vec::new(),
        }
    }

    /// Stops the current device tasks and starts one per device of `plant`.
    pub async fn start(&mut self, plant: &Plant, bus: &SampleBus) {
        self.stop().await;
        self.cancel = CancellationToken::new();
        let keys: Vec<&str> = plant
            .config
            .devices
            .iter()
            .map(|d| d.key.as_str())
            .collect();
        self.status.retain(&keys);
        for device in &plant.config.devices {
            let reads = plan::plan(plant, device);
            let task = match device.protocol {
                Protocol::ModbusTcp => modbus_tcp::run(
                    device.clone(),
                    reads,
                    bus.clone(),
                    self.status.clone(),
                    self.cancel.child_token(),
                ),
            };
            self.tasks.push(tokio::spawn(task));
        }
        tracing::info!(
            devices = plant.config.devices.len(),
            version = plant.version,
            "collector started"
        );
    }

    /// Stops every device task and waits for them to end.
    pub async fn stop(&mut self) {
        self.cancel.cancel();
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
    }

    pub fn status(&self) -> &Arc<StatusBoard> {
        &self.status
    }
}
