//! The collector's benchmark: simulated devices to read, a bare tokio-modbus read loop
//! to compare with, Plantlog's pipeline, and request counts by rule.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_modbus::client::Reader;

use crate::app::Fanout;
use crate::collector::plan::{self, Limits};
use crate::collector::{Collector, DiagBoard, SharedSink, StatusBoard};
use crate::config::{self, DataType, Device, Location, Plant, PlantConfig, Site, Tag, templates};
use crate::live::LiveCache;
use crate::production::Production;
use crate::sample::now_ms;
use crate::sim::simulator::{Registers, serve_static};
use crate::store::{Db, Writer};

/// Serves `devices` Modbus TCP devices of `registers` holding and input registers each,
/// on free ports of 127.0.0.1; returns the ports. Runs until the runtime ends.
pub async fn serve(devices: usize, registers: usize) -> std::io::Result<Vec<u16>> {
    let mut ports = Vec::new();
    for d in 0..devices {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        ports.push(listener.local_addr()?.port());
        let regs: Vec<u16> = (0..registers).map(|i| (d * 7 + i) as u16).collect();
        // The server runs on, detached, until the runtime ends.
        drop(serve_static(
            listener,
            Registers {
                holding: regs.clone(),
                input: regs,
            },
        ));
    }
    Ok(ports)
}

/// Requests a second answered by a bare tokio-modbus read loop, one task per port,
/// each reading `count` holding registers back to back for `period`.
pub async fn bare_loop(ports: &[u16], count: u16, period: Duration) -> f64 {
    let deadline = Instant::now() + period;
    let mut tasks = Vec::new();
    for &port in ports {
        tasks.push(tokio::spawn(async move {
            let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
            let Ok(mut ctx) = tokio_modbus::client::tcp::connect(addr).await else {
                return 0u64;
            };
            let mut n = 0u64;
            while Instant::now() < deadline {
                if let Ok(Ok(_)) = ctx.read_holding_registers(0, count).await {
                    n += 1;
                }
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap_or(0);
    }
    total as f64 / period.as_secs_f64()
}

/// A plant of one Modbus TCP device per port, each with `tags` u16 tags on neighbouring
/// holding registers, polled every `poll_ms` (0: back to back, for throughput).
pub fn plant_for(ports: &[u16], tags: usize, poll_ms: u64) -> Plant {
    let mut ids = HashMap::new();
    let mut next_id = 1;
    let devices: Vec<Device> = ports
        .iter()
        .enumerate()
        .map(|(i, port)| {
            let key = format!("bench-{i}");
            let tags: Vec<Tag> = (0..tags)
                .map(|t| {
                    let name = format!("r{t}");
                    ids.insert((key.clone(), name.clone()), next_id);
                    next_id += 1;
                    let mut tag = crate::collector::commission::adhoc_tag(
                        config::RegisterKind::Holding,
                        t as u16,
                        DataType::U16,
                        config::Order::Abcd,
                        None,
                        None,
                    );
                    tag.name = name;
                    tag
                })
                .collect();
            Device {
                timeout_ms: 1000,
                poll_ms,
                ..Device::modbus_tcp(&key, "127.0.0.1", *port, tags)
            }
        })
        .collect();
    Plant::new(
        1,
        PlantConfig {
            site: Site {
                name: "bench".into(),
                timezone: "UTC".into(),
            },
            shifts: vec![],
            machines: vec![],
            buses: vec![],
            devices,
            holidays: vec![],
            alarms: Vec::new(),
            alarm_settings: Default::default(),
        },
        ids,
    )
}

/// Plantlog's whole pipeline on a plant, wired as `app` wires it: the collector, its
/// sink to the live values, production engine and the writer to a real database file
/// in `dir`.
pub struct Pipeline {
    pub collector: Collector,
    pub diag: Arc<DiagBoard>,
    pub writer: Option<Writer>,
}

impl Pipeline {
    /// The collector with live cache and production engine but no storage: what
    /// polling costs, apart from the historian (which has benchmarks of its own).
    pub async fn start_unstored(plant: &Plant) -> Pipeline {
        let live = Arc::new(LiveCache::default());
        let production = Arc::new(Production::new(plant, now_ms()));
        let sink: SharedSink = Arc::new(Fanout::new(live, production, None));
        let diag = Arc::new(DiagBoard::default());
        let mut collector = Collector::new(Arc::new(StatusBoard::default()), diag.clone());
        collector.start(plant, &sink).await;
        Pipeline {
            collector,
            diag,
            writer: None,
        }
    }

    pub async fn start(
        plant: &Plant,
        dir: &std::path::Path,
    ) -> Result<Pipeline, crate::store::StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| crate::store::StoreError::Open {
            path: dir.to_path_buf(),
            source: rusqlite::Error::InvalidPath(format!("{}: {e}", dir.display()).into()),
        })?;
        let path = dir.join("bench.db");
        let _db = Db::open(&path)?;
        let writer = Writer::start(&path)?;
        let live = Arc::new(LiveCache::default());
        let production = Arc::new(Production::new(plant, now_ms()));
        writer.handle().configure(Arc::new(plant.clone()));
        let sink: SharedSink = Arc::new(Fanout::new(live, production, Some(writer.handle())));
        let diag = Arc::new(DiagBoard::default());
        let mut collector = Collector::new(Arc::new(StatusBoard::default()), diag.clone());
        collector.start(plant, &sink).await;
        Ok(Pipeline {
            collector,
            diag,
            writer: Some(writer),
        })
    }

    /// Requests sent so far, over every device.
    pub fn requests(&self, plant: &Plant) -> u64 {
        plant
            .config
            .devices
            .iter()
            .filter_map(|d| self.diag.device(&d.key))
            .map(|d| d.requests)
            .sum()
    }

    /// Samples the writer has committed so far (0 without storage).
    pub fn committed_samples(&self) -> u64 {
        self.writer
            .as_ref()
            .map_or(0, |w| w.handle().status().committed_samples)
    }

    pub async fn stop(mut self) {
        self.collector.stop().await;
        if let Some(writer) = self.writer {
            tokio::task::spawn_blocking(move || writer.stop())
                .await
                .ok();
        }
    }
}

/// Request counts for reading one map, by rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestCounts {
    pub tags: usize,
    pub per_tag: usize,
    pub telegraf_max_insert: usize,
    /// Plantlog with the same rule as Telegraf (fill 50, 125 registers).
    pub plantlog_same_rule: usize,
    /// Plantlog with the template's own, conservative settings.
    pub plantlog_template: usize,
}

/// Telegraf's "max_insert" optimisation (plugins/inputs/modbus/request.go): fields sorted
/// by address; a new request starts when the gap to the next field is at least
/// `max_fill` registers or the request would pass `max_batch` registers.
pub fn telegraf_max_insert(locations: &[Location], max_fill: u32, max_batch: u32) -> usize {
    let mut sorted: Vec<&Location> = locations.iter().collect();
    sorted.sort_by_key(|l| (l.kind, l.address));
    let mut requests = 0;
    let mut current: Option<(config::RegisterKind, u32, u32)> = None; // kind, start, length
    for l in sorted {
        let (a, len) = (u32::from(l.address), u32::from(l.width));
        match &mut current {
            Some((kind, start, length))
                if *kind == l.kind
                    && *start + *length + max_fill > a
                    && a + len <= *start + max_batch =>
            {
                *length = (*length).max(a + len - *start);
            }
            _ => {
                requests += 1;
                current = Some((l.kind, a, len));
            }
        }
    }
    requests
}

/// The request counts for the first `n` tags of a template.
pub fn request_counts(template: &str, n: usize) -> Option<RequestCounts> {
    let t = templates::get(template)?;
    let tags: Vec<&Tag> = t.tags.iter().take(n).collect();
    let locations: Vec<Location> = tags.iter().filter_map(|t| t.location()).collect();
    let items: Vec<(Location, u64)> = locations.iter().map(|l| (*l, 1000)).collect();
    let same = plan::coalesce(
        &items,
        Limits {
            max_registers: 125,
            max_bits: 2000,
            max_gap: 49,
        },
    )
    .len();
    let d = &t.template.device;
    let own = plan::coalesce(
        &items,
        Limits {
            max_registers: d.max_registers.unwrap_or(125),
            max_bits: d.max_bits.unwrap_or(2000),
            max_gap: d.max_gap.unwrap_or(0),
        },
    )
    .len();
    Some(RequestCounts {
        tags: tags.len(),
        per_tag: locations.len(),
        telegraf_max_insert: telegraf_max_insert(&locations, 50, 125),
        plantlog_same_rule: same,
        plantlog_template: own,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RegisterKind;

    fn l(address: u16, width: u16) -> Location {
        Location {
            kind: RegisterKind::Input,
            address,
            width,
        }
    }

    #[test]
    fn telegraf_rule() {
        // Gaps of 49 merge, 50 split (Telegraf: new request when end + fill <= next).
        assert_eq!(telegraf_max_insert(&[l(0, 2), l(51, 2)], 50, 125), 1);
        assert_eq!(telegraf_max_insert(&[l(0, 2), l(52, 2)], 50, 125), 2);
        assert_eq!(telegraf_max_insert(&[l(0, 2), l(124, 2)], 200, 125), 2);
    }

    #[test]
    fn a_forty_tag_meter_costs_a_handful() {
        let c = request_counts("eastron-sdm630", 40).unwrap();
        assert_eq!(c.per_tag, 40);
        assert!(c.plantlog_same_rule <= c.telegraf_max_insert, "{c:?}");
        assert!(c.plantlog_template < c.per_tag / 3, "{c:?}");
    }
}
