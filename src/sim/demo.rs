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
use crate::collector::plan::{self, ReadRequest};
use crate::config::{
    self, Break, DataType, Device, Machine, Order, Plant, PlantConfig, RecordMode, RegisterKind,
    Shift, Site, Tag, TagRole,
};
use crate::sample::{Sample, TagId};
use crate::sim::simulator::{
    MachineParams, Past, SimKind, SimSpec, Simulator, machine_map, meter_map,
};
use crate::store::backfill::backfill;
use crate::store::record::Recorder;
use crate::store::rollup::HOUR_MS;
use crate::store::{DataDir, DataLock, Db, StoreError};

/// A demo machine: key, name, what its temperature is, and how it behaves.
struct DemoMachine {
    key: &'static str,
    name: &'static str,
    temperature_label: &'static str,
    params: MachineParams,
}

/// The production line of a demo machine.
fn line_of(key: &str) -> &'static str {
    match key {
        "press-1" | "press-2" => "Pressing",
        "cnc-1" | "cnc-2" => "Machining",
        "molder-1" => "Molding",
        _ => "Packing",
    }
}

/// The machines the demo operator works on.
pub const OPERATOR_MACHINES: &[&str] = &["press-1", "press-2", "pack-1"];

/// Each demo machine's ideal cycle time: its rated cycle, in seconds.
pub fn ideal_cycles() -> Vec<(&'static str, f64)> {
    machines()
        .into_iter()
        .map(|m| (m.key, m.params.cycle_s))
        .collect()
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
        record: RecordMode::EveryPoll,
        deadband: None,
        deadband_percent: None,
        heartbeat_s: None,
    };
    let device = |key: String, name: String, tags: Vec<Tag>| {
        let addr = addr_of(&key);
        Device {
            name,
            timeout_ms: 500,
            poll_ms: 1000,
            ..Device::modbus_tcp(&key, &addr.ip().to_string(), addr.port(), tags)
        }
    };
    let mut machines_cfg = Vec::new();
    let mut devices = Vec::new();
    for m in machines() {
        machines_cfg.push(Machine {
            key: m.key.to_string(),
            name: m.name.to_string(),
            states: Vec::new(),
            line: Some(line_of(m.key).to_string()),
            micro_stop_s: None,
            running_when_counted_s: None,
            max_rate_per_min: None,
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
        line: None,
        micro_stop_s: None,
        running_when_counted_s: None,
        max_rate_per_min: None,
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
    // Recording as a plant would set it up: states and counters on change, analog
    // values with a deadband, the main meter's power by swinging door.
    for d in &mut devices {
        for t in &mut d.tags {
            let (record, deadband) = match t.name.as_str() {
                "state" | "count" | "cycle_time" => (RecordMode::OnChange, None),
                "temperature" => (RecordMode::Deadband, Some(0.1)),
                "current" => (RecordMode::Deadband, Some(0.5)),
                "power" => (RecordMode::SwingingDoor, Some(1.0)),
                "energy" => (RecordMode::Deadband, Some(0.1)),
                "voltage" => (RecordMode::Deadband, Some(0.5)),
                "power_factor" => (RecordMode::Deadband, Some(0.005)),
                _ => (RecordMode::EveryPoll, None),
            };
            t.record = record;
            t.deadband = deadband;
        }
    }
    PlantConfig {
        site: Site {
            name: "Demo Plant".to_string(),
            timezone: timezone.to_string(),
        },
        shifts: vec![
            shift(
                "Early",
                "06:00",
                "14:00",
                &[("09:00", "09:15", "Breakfast"), ("11:30", "12:00", "Lunch")],
            ),
            shift(
                "Late",
                "14:00",
                "22:00",
                &[("17:00", "17:15", "Break"), ("19:30", "20:00", "Dinner")],
            ),
            shift(
                "Night",
                "22:00",
                "06:00",
                &[("01:00", "01:30", "Meal"), ("03:30", "03:45", "Break")],
            ),
        ],
        machines: machines_cfg,
        buses: Vec::new(),
        devices,
        holidays: Vec::new(),
        alarms: demo_alarms(),
        alarm_settings: Default::default(),
    }
}

/// The demo's alarm rules: the presses' oil temperature (they run above the limit, so
/// the alarm comes while they run), and a stop left without a reason on the operator's
/// machines.
fn demo_alarms() -> Vec<crate::config::AlarmRule> {
    let rule = |key: &str, name: &str, kind: crate::config::AlarmKind| crate::config::AlarmRule {
        key: key.to_string(),
        name: name.to_string(),
        kind,
        tag: None,
        device: None,
        machine: None,
        limit: None,
        deadband: None,
        on_delay_s: 0.0,
        off_delay_s: 0.0,
        after_s: None,
        after_min: None,
        bits: Vec::new(),
        values: Vec::new(),
        interval_min: None,
        priority: crate::config::Priority::Medium,
        roles: vec!["operator".into(), "supervisor".into()],
        action: String::new(),
        escalate_after_min: None,
        escalate_to: Vec::new(),
    };
    // Both presses' oil (they run at about 48 and 51 °C): while either runs, an alarm
    // for the operator to acknowledge.
    let mut out: Vec<crate::config::AlarmRule> = ["press-1", "press-2"]
        .into_iter()
        .map(|m| crate::config::AlarmRule {
            tag: Some(format!("{}/temperature", device_key(m))),
            limit: Some(40.0),
            deadband: Some(2.0),
            on_delay_s: 5.0,
            priority: crate::config::Priority::High,
            roles: vec![
                "operator".into(),
                "supervisor".into(),
                "maintenance".into(),
            ],
            action: "Check the oil cooler's fan and the oil level. Above 60 °C stop the press and call maintenance.".into(),
            ..rule(
                &format!("{m}-oil-warm"),
                &format!("{} oil temperature above 40 °C", machine_name(m)),
                crate::config::AlarmKind::High,
            )
        })
        .collect();
    for m in OPERATOR_MACHINES {
        out.push(crate::config::AlarmRule {
            machine: Some(m.to_string()),
            after_min: Some(15),
            action: "Give the stop its reason on the operator tablet or the Stops page.".into(),
            ..rule(
                &format!("{m}-unexplained-stop"),
                &format!("{} stopped 15 minutes without a reason", machine_name(m)),
                crate::config::AlarmKind::StopWithoutReason,
            )
        });
    }
    out
}

fn machine_name(key: &str) -> &'static str {
    machines()
        .into_iter()
        .find(|m| m.key == key)
        .map_or("Machine", |m| m.name)
}

fn shift(name: &str, start: &str, end: &str, breaks: &[(&str, &str, &str)]) -> Shift {
    Shift {
        name: name.to_string(),
        start: start.to_string(),
        end: end.to_string(),
        days: Vec::new(),
        breaks: breaks
            .iter()
            .map(|(a, b, n)| Break {
                start: a.to_string(),
                end: b.to_string(),
                name: n.to_string(),
            })
            .collect(),
    }
}

/// How much simulated past a new demo plant starts with, unless asked for more.
pub const DEFAULT_HISTORY_MS: i64 = 2 * 3600 * 1000;

/// Simulates the demo plant from `from` to `to` and stores what Plantlog would have
/// recorded (its recording policies applied) straight into blocks and rollups. Returns
/// the simulation, to continue live from, and the number of samples stored.
pub fn generate_history(
    db: &Db,
    plant: &Plant,
    specs: &[SimSpec],
    from: i64,
    to: i64,
) -> Result<(Past, usize), StoreError> {
    simulate(db, plant, specs, from, to, &mut |_, _| {})
}

/// [`generate_history`], with `tap(ts, readings)` called with each second's readings
/// before they are recorded: it may change them (an outage) and follow them (a live
/// production engine), as Plantlog's collector sink would.
pub fn simulate(
    db: &Db,
    plant: &Plant,
    specs: &[SimSpec],
    from: i64,
    to: i64,
    tap: &mut dyn FnMut(i64, &mut Vec<Sample>),
) -> Result<(Past, usize), StoreError> {
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
    let mut recorder = Recorder::default();
    recorder.configure(plant);
    let mut past = Past::new(specs, from, rand::random())
        .with_breaks(crate::production::Calendar::new(&plant.config));
    // Long histories are simulated in one-second steps, short ones finer.
    let step_s = if to - from > 86_400_000 { 1.0 } else { 0.2 };
    let mut pending: Vec<Sample> = Vec::new();
    let mut stored = 0;
    let mut failed: Option<StoreError> = None;
    let mut flush_at = (from / HOUR_MS + 1) * HOUR_MS;
    past.run(to, 1000, step_s, |ts, regs| {
        let mut batch = Vec::new();
        for (i, reads) in plans.iter().enumerate() {
            for read in reads {
                let bank = match read.kind {
                    RegisterKind::Holding => &regs[i].holding,
                    RegisterKind::Input => &regs[i].input,
                    RegisterKind::Coil | RegisterKind::Discrete => continue,
                };
                for t in &read.tags {
                    let start = usize::from(read.address + t.offset);
                    let end = start + usize::from(t.width);
                    if let Some(v) = bank.get(start..end).and_then(|w| t.decoder.number(w)) {
                        batch.push(Sample::good(t.id, ts, v));
                    }
                }
            }
        }
        tap(ts, &mut batch);
        pending.extend(recorder.filter(batch));
        if ts >= flush_at && failed.is_none() {
            flush_at = (ts / HOUR_MS + 1) * HOUR_MS;
            stored += pending.len();
            if let Err(e) = db.sql(|c| backfill(c, std::mem::take(&mut pending))) {
                failed = Some(e);
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    pending.extend(recorder.flush());
    stored += pending.len();
    db.sql(|c| backfill(c, pending))?;
    Ok((past, stored))
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

/// Makes `cfg` the running configuration of the demo's database.
fn import(db: &Db, cfg: &PlantConfig, actor: &Actor) -> Result<(), DemoError> {
    let text = config::export(cfg);
    db.with(|c| {
        config::import(c, cfg, &text, config::Base::Any, actor)
            .map_err(|e| DemoError::Config(e.to_string()))
    })?;
    Ok(())
}

/// The running demo: Plantlog, its simulated devices, this run's demo users, and the
/// simulated people explaining stops and entering scrap.
pub struct Demo {
    pub running: Running,
    pub simulator: Simulator,
    pub users: Vec<DemoUser>,
    pub people: tokio::task::JoinHandle<()>,
}

/// An address for a device before the simulator has bound its port: the port of the
/// last run, or a placeholder (the configuration is imported again with the real ones).
fn provisional_addr(ports: &HashMap<String, u16>, key: &str) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], ports.get(key).copied().unwrap_or(1)))
}

/// Starts the simulator, stores the demo configuration and users, and starts Plantlog
/// against them.
pub async fn start(data_dir: &std::path::Path, listen: Listen) -> Result<Demo, DemoError> {
    start_with_history(data_dir, listen, DEFAULT_HISTORY_MS).await
}

/// [`start`], with `history_ms` of simulated past for a new data folder.
pub async fn start_with_history(
    data_dir: &std::path::Path,
    listen: Listen,
    history_ms: i64,
) -> Result<Demo, DemoError> {
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
    let actor = Actor {
        id: None,
        name: "plantlog demo".to_string(),
        client: "local".to_string(),
    };
    // A new demo plant gets a simulated past, so its trends are not empty. Tags keep
    // their ids when the configuration is imported again with the simulator's ports.
    let specs = specs();
    let fresh = !db.sql(|c| crate::store::raw::any(c))?;
    let past = if fresh {
        let provisional = plant_config(|key| provisional_addr(&ports, key), &timezone);
        import(&db, &provisional, &actor)?;
        let plant = db
            .with(|c| Ok::<_, StoreError>(config::load_plant(c)))?
            .map_err(|e| DemoError::Config(e.to_string()))?;
        let now = crate::sample::now_ms();
        let (past, _) = generate_history(&db, &plant, &specs, now - history_ms, now)?;
        super::operators::setup(&db, &ideal_cycles(), now - history_ms)?;
        super::operators::explain_history(&db, &plant, now - history_ms, now, rand::random())?;
        Some(past)
    } else {
        // Started again: the counters and the energy meter go on from their last
        // stored values, so the shift's count and the trends do not jump.
        let mut past = Past::new(&specs, crate::sample::now_ms(), rand::random())
            .with_breaks(crate::production::Calendar::new(&previous.config));
        let totals: Vec<(usize, TagId)> = specs
            .iter()
            .enumerate()
            .filter_map(|(i, spec)| {
                let tag = match spec.kind {
                    SimKind::Machine(_) => "count",
                    SimKind::EnergyMeter { .. } => "energy",
                };
                Some((i, previous.tag_id(&spec.key, tag)?))
            })
            .collect();
        let ids: Vec<TagId> = totals.iter().map(|(_, id)| *id).collect();
        let last = db.sql(|c| crate::store::raw::latest(c, &ids))?;
        for (i, id) in totals {
            if let Some(v) = last.get(&id).and_then(|(_, good)| good.as_ref()?.value()) {
                past.continue_total(i, v);
            }
        }
        Some(past)
    };
    let simulator = Simulator::start_with(&specs, &ports, past)
        .await
        .map_err(DemoError::Simulator)?;
    let cfg = plant_config(
        |key| simulator.addr(key).expect("every demo device is simulated"),
        &timezone,
    );
    import(&db, &cfg, &actor)?;
    let users = reset_demo_users(&db)?;
    super::operators::setup(&db, &ideal_cycles(), crate::sample::now_ms())?;
    super::operators::assign_operator(&db, "operator", OPERATOR_MACHINES)?;
    // Products, plans, materials, lots and checks, once (issue 15).
    let seeded = db
        .with(|c| Ok::<_, StoreError>(config::load_plant(c)))?
        .map_err(|e| DemoError::Config(e.to_string()))?;
    super::quality::seed(&db, &seeded, crate::sample::now_ms(), rand::random())?;
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
    let people = tokio::spawn(super::operators::run_live(
        running.core.clone(),
        crate::sample::now_ms(),
        rand::random(),
    ));
    Ok(Demo {
        running,
        simulator,
        users,
        people,
    })
}
