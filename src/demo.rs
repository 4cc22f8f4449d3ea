//! The built-in demo plant: six machines and an energy meter, simulated as Modbus TCP
//! devices on this PC, with the matching plant configuration and one demo user per
//! role. `plantlog demo` runs it; tests use it as a realistic plant.
//!
//! The demo keeps its data like a real plant does: started again on the same data
//! folder it continues the same history, reusing the device ports it had when they are
//! free.

use std::collections::HashMap;
use std::net::SocketAddr;

use crate::app::{self, Listen, Running, StartError};
use crate::auth::audit::Actor;
use crate::auth::users::{self, NewUser, UserError};
use crate::auth::{Role, password};
use crate::collector::decode;
use crate::collector::plan::{self, ReadRequest};
use crate::collector::simulator::{
    MachineParams, Registers, SimKind, SimSpec, Simulator, machine_map, meter_map,
};
use crate::config::{
    self, DataType, Device, Machine, Order, Plant, PlantConfig, Protocol, RegisterKind, Shift,
    Site, Tag, TagRole,
};
use crate::sample::Sample;
use crate::store::{DataDir, DataLock, Db, StoreError};

/// A demo machine: key, name, what its temperature is, and how it behaves.
struct DemoMachine {
    key: &'static str,
    name: &'static str,
    temperature_label: &'static str,
    params: MachineParams,
}

fn machines() -> Vec<DemoMachine> {
    let m = |key,
             name,
             temperature_label,
             cycle_s,
             run_temp,
             run_current,
             idle_current,
             rated_kw,
             stops_per_hour,
             breakdowns_per_day| DemoMachine {
        key,
        name,
        temperature_label,
        params: MachineParams {
            cycle_s,
            run_temp,
            ambient_temp: 22.0,
            run_current,
            idle_current,
            rated_kw,
            stops_per_hour,
            breakdowns_per_day,
        },
    };
    vec![
        m(
            "press-1",
            "Press 1",
            "Oil temperature",
            2.4,
            48.0,
            18.0,
            0.6,
            15.0,
            5.0,
            1.5,
        ),
        m(
            "press-2",
            "Press 2",
            "Oil temperature",
            3.1,
            51.0,
            21.0,
            0.6,
            18.5,
            6.0,
            2.0,
        ),
        m(
            "cnc-1",
            "CNC Mill 1",
            "Spindle temperature",
            95.0,
            36.0,
            14.0,
            1.2,
            11.0,
            1.5,
            1.0,
        ),
        m(
            "cnc-2",
            "CNC Lathe 2",
            "Spindle temperature",
            48.0,
            34.0,
            11.0,
            1.0,
            9.0,
            2.0,
            1.0,
        ),
        m(
            "molder-1",
            "Injection Molder 1",
            "Barrel temperature",
            22.0,
            215.0,
            32.0,
            3.0,
            35.0,
            1.0,
            1.0,
        ),
        m(
            "pack-1",
            "Packing Line",
            "Motor temperature",
            1.3,
            41.0,
            6.5,
            0.4,
            4.0,
            8.0,
            1.0,
        ),
    ]
}

const METER_DEVICE: &str = "main-meter";
const METER_MACHINE: &str = "main-incomer";

fn device_key(machine: &str) -> String {
    format!("{machine}-plc")
}

/// The simulated devices.
pub fn specs() -> Vec<SimSpec> {
    let mut specs: Vec<SimSpec> = machines()
        .into_iter()
        .map(|m| SimSpec {
            key: device_key(m.key),
            kind: SimKind::Machine(m.params),
        })
        .collect();
    specs.push(SimSpec {
        key: METER_DEVICE.to_string(),
        kind: SimKind::EnergyMeter { base_kw: 18.0 },
    });
    specs
}

/// The demo plant's configuration, with devices at the simulator's addresses.
pub fn plant_config(addr_of: impl Fn(&str) -> SocketAddr, timezone: &str) -> PlantConfig {
    let tag = |name: &str,
               label: &str,
               machine: &str,
               role: Option<TagRole>,
               function,
               address,
               data_type,
               scale: f64,
               unit: &str| Tag {
        name: name.to_string(),
        label: Some(label.to_string()),
        machine: Some(machine.to_string()),
        role,
        function: Some(function),
        address: Some(address),
        register: None,
        data_type: Some(data_type),
        bit: None,
        length: None,
        order: Order::Abcd,
        field: None,
        scale,
        offset: 0.0,
        unit: unit.to_string(),
        poll_ms: None,
    };
    let device = |key: String, name: String, tags: Vec<Tag>| {
        let addr = addr_of(&key);
        Device {
            key,
            name,
            protocol: Protocol::ModbusTcp,
            host: Some(addr.ip().to_string()),
            port: Some(addr.port()),
            bus: None,
            unit_id: 1,
            timeout_ms: 500,
            poll_ms: 1000,
            machine: None,
            template: None,
            max_gap: 0,
            max_registers: 125,
            max_bits: 2000,
            pattern: None,
            terminator: None,
            max_line: 256,
            tags,
        }
    };
    let mut machines_cfg = Vec::new();
    let mut devices = Vec::new();
    for m in machines() {
        machines_cfg.push(Machine {
            key: m.key.to_string(),
            name: m.name.to_string(),
            states: Vec::new(),
        });
        use RegisterKind::Holding;
        devices.push(device(
            device_key(m.key),
            format!("{} PLC", m.name),
            vec![
                tag(
                    "state",
                    "State",
                    m.key,
                    Some(TagRole::State),
                    Holding,
                    machine_map::STATE,
                    DataType::U16,
                    1.0,
                    "",
                ),
                tag(
                    "count",
                    "Part counter",
                    m.key,
                    Some(TagRole::Count),
                    Holding,
                    machine_map::COUNT,
                    DataType::U32,
                    1.0,
                    "parts",
                ),
                tag(
                    "temperature",
                    m.temperature_label,
                    m.key,
                    None,
                    Holding,
                    machine_map::TEMPERATURE,
                    DataType::I16,
                    0.1,
                    "°C",
                ),
                tag(
                    "current",
                    "Motor current",
                    m.key,
                    None,
                    Holding,
                    machine_map::CURRENT,
                    DataType::U16,
                    0.01,
                    "A",
                ),
                tag(
                    "cycle_time",
                    "Cycle time",
                    m.key,
                    None,
                    Holding,
                    machine_map::CYCLE_TIME,
                    DataType::F32,
                    1.0,
                    "s",
                ),
            ],
        ));
    }
    machines_cfg.push(Machine {
        key: METER_MACHINE.to_string(),
        name: "Main Incomer".to_string(),
        states: Vec::new(),
    });
    use RegisterKind::Input;
    devices.push(device(
        METER_DEVICE.to_string(),
        "Main energy meter".to_string(),
        vec![
            tag(
                "power",
                "Power",
                METER_MACHINE,
                None,
                Input,
                meter_map::POWER_KW,
                DataType::F32,
                1.0,
                "kW",
            ),
            tag(
                "energy",
                "Energy",
                METER_MACHINE,
                None,
                Input,
                meter_map::ENERGY_KWH,
                DataType::F32,
                1.0,
                "kWh",
            ),
            tag(
                "voltage",
                "Voltage L1-L2",
                METER_MACHINE,
                None,
                Input,
                meter_map::VOLTAGE,
                DataType::F32,
                1.0,
                "V",
            ),
            tag(
                "power_factor",
                "Power factor",
                METER_MACHINE,
                None,
                Input,
                meter_map::POWER_FACTOR,
                DataType::F32,
                1.0,
                "",
            ),
        ],
    ));
    PlantConfig {
        site: Site {
            name: "Demo Plant".to_string(),
            timezone: timezone.to_string(),
        },
        shifts: vec![
            shift("Early", "06:00", "14:00"),
            shift("Late", "14:00", "22:00"),
            shift("Night", "22:00", "06:00"),
        ],
        machines: machines_cfg,
        buses: Vec::new(),
        devices,
    }
}

fn shift(name: &str, start: &str, end: &str) -> Shift {
    Shift {
        name: name.to_string(),
        start: start.to_string(),
        end: end.to_string(),
    }
}

/// How much simulated past a new demo plant starts with.
const HISTORY_MS: i64 = 2 * 3600 * 1000;

/// Turns recorded simulator registers into the samples the collector would have read.
fn history_samples(
    plant: &Plant,
    specs: &[SimSpec],
    recorded: &[(i64, usize, Registers)],
) -> Vec<Sample> {
    let plans: Vec<Vec<ReadRequest>> = specs
        .iter()
        .map(|spec| {
            plant
                .config
                .devices
                .iter()
                .find(|d| d.key == spec.key)
                .map(|d| plan::plan(plant, d))
                .unwrap_or_default()
        })
        .collect();
    let mut out = Vec::new();
    for (ts, i, regs) in recorded {
        for read in &plans[*i] {
            let bank = match read.kind {
                RegisterKind::Holding => &regs.holding,
                RegisterKind::Input => &regs.input,
                RegisterKind::Coil | RegisterKind::Discrete => continue,
            };
            for t in &read.tags {
                let start = usize::from(read.address + t.offset);
                let end = start + usize::from(t.width);
                if let Some(v) = bank.get(start..end).and_then(|w| decode::value(w, &t.tag)) {
                    out.push(Sample::good_value(t.id, *ts, v));
                }
            }
        }
    }
    out
}

fn store_history(conn: &mut rusqlite::Connection, samples: &[Sample]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    crate::store::raw::insert(&tx, samples)?;
    tx.commit()
}

/// A demo account and its password for this run.
#[derive(Debug, Clone)]
pub struct DemoUser {
    pub role: Role,
    pub username: String,
    pub password: String,
}

/// Creates one user per role, named after the role, or gives existing ones a new random
/// password (and enables them). The passwords exist only in this process's output.
pub fn reset_demo_users(db: &Db) -> Result<Vec<DemoUser>, UserError> {
    let actor = Actor {
        id: None,
        name: "plantlog demo".to_string(),
        client: "local".to_string(),
    };
    db.with(|c| {
        let mut out = Vec::new();
        for role in Role::ALL {
            let username = role.name().to_string();
            let pw = password::generate();
            match users::by_username(c, &username)? {
                Some((user, _)) => {
                    users::set_password(c, user.id, &pw, false, &actor)?;
                    let change = users::UserChange {
                        display_name: None,
                        role: Some(role),
                        disabled: Some(false),
                    };
                    users::update(c, user.id, &change, &actor)?;
                }
                None => {
                    users::create(
                        c,
                        &NewUser {
                            username: &username,
                            display_name: &format!("Demo {}", role.label()),
                            role,
                            password: &pw,
                            must_change_password: false,
                        },
                        &actor,
                    )?;
                }
            }
            out.push(DemoUser {
                role,
                username,
                password: pw,
            });
        }
        Ok(out)
    })
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot start the simulated devices: {0}")]
    Simulator(#[source] std::io::Error),
    #[error("cannot create the demo users: {0}")]
    Users(#[from] UserError),
    #[error("cannot store the demo configuration: {0}")]
    Config(String),
}

/// The running demo: Plantlog, its simulated devices, and this run's demo users.
pub struct Demo {
    pub running: Running,
    pub simulator: Simulator,
    pub users: Vec<DemoUser>,
}

/// Starts the simulator, stores the demo configuration and users, and starts Plantlog
/// against them.
pub async fn start(data_dir: &std::path::Path, listen: Listen) -> Result<Demo, DemoError> {
    let dir = DataDir::create(data_dir).map_err(|source| StartError::DataDir {
        path: data_dir.to_path_buf(),
        source,
    })?;
    let lock = DataLock::acquire(&dir, "plantlog demo").map_err(StartError::from)?;
    let db = Db::open(&dir.database())?;

    // Reuse the ports of the last run, so the configuration stays the same.
    let previous = db
        .with(|c| Ok::<_, StoreError>(config::load_plant(c)))?
        .map_err(|e| DemoError::Config(e.to_string()))?;
    let ports: HashMap<String, u16> = previous
        .config
        .devices
        .iter()
        .filter_map(|d| Some((d.key.clone(), d.port?)))
        .collect();
    let timezone = if previous.version > 0 {
        previous.config.site.timezone.clone()
    } else {
        jiff::tz::TimeZone::system()
            .iana_name()
            .unwrap_or("UTC")
            .to_string()
    };
    // A new demo plant gets a simulated past, so its trends are not empty.
    let fresh = !db.sql(|c| crate::store::raw::any(c))?;
    let history = fresh.then(|| (crate::sample::now_ms() - HISTORY_MS, 1000));
    let mut recorded: Vec<(i64, usize, Registers)> = Vec::new();
    let specs = specs();
    let simulator = Simulator::start_from(&specs, &ports, history, |ts, i, regs| {
        recorded.push((ts, i, regs.clone()))
    })
    .await
    .map_err(DemoError::Simulator)?;
    let cfg = plant_config(
        |key| simulator.addr(key).expect("every demo device is simulated"),
        &timezone,
    );
    let source = config::export(&cfg);
    let actor = Actor {
        id: None,
        name: "plantlog demo".to_string(),
        client: "local".to_string(),
    };
    db.sql(|c| config::import(c, &cfg, &source, &actor))?;
    if !recorded.is_empty() {
        let plant = db
            .with(|c| Ok::<_, StoreError>(config::load_plant(c)))?
            .map_err(|e| DemoError::Config(e.to_string()))?;
        let samples = history_samples(&plant, &specs, &recorded);
        db.sql(|c| store_history(c, &samples))?;
    }
    let users = reset_demo_users(&db)?;
    drop(db);

    let running = app::start_locked(
        app::Options {
            data_dir: data_dir.to_path_buf(),
            listen,
            what: "plantlog demo".to_string(),
        },
        lock,
    )
    .await?;
    Ok(Demo {
        running,
        simulator,
        users,
    })
}
