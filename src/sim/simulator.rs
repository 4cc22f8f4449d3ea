//! Simulated devices for the demo plant and tests: each is a real Modbus TCP server
//! (tokio-modbus) on its own port, serving registers that a simulation updates five
//! times a second. Machines run, stop for a while, break down now and then, count parts
//! at their cycle time, warm up and draw current; an energy meter sums their power.
//!
//! A device can be stopped (its port closed, its connections dropped) and started again
//! on the same port, to show what Plantlog does when a device goes away.

use std::collections::HashMap;
use std::future;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_modbus::server::tcp::{Server, accept_tcp_connection};
use tokio_modbus::{ExceptionCode, Request, Response};

use crate::collector::decode::encode;
use crate::config::{DataType, Order};

/// Holding-register map of a simulated machine (function 03).
pub mod machine_map {
    /// u16: 0 stopped, 1 running, 2 fault, 3 setup, 4 idle.
    pub const STATE: u16 = 0;
    /// u32, high word first: parts made.
    pub const COUNT: u16 = 1;
    /// i16, 0.1 °C.
    pub const TEMPERATURE: u16 = 3;
    /// u16, 0.01 A.
    pub const CURRENT: u16 = 4;
    /// f32, high word first: duration of the last cycle in seconds.
    pub const CYCLE_TIME: u16 = 5;
    pub const SIZE: usize = 7;
}

/// Input-register map of the simulated energy meter (function 04); all f32, high word
/// first.
pub mod meter_map {
    pub const ENERGY_KWH: u16 = 0;
    pub const POWER_KW: u16 = 2;
    pub const VOLTAGE: u16 = 4;
    pub const POWER_FACTOR: u16 = 6;
    pub const SIZE: usize = 8;
}

/// How a simulated machine behaves.
#[derive(Debug, Clone)]
pub struct MachineParams {
    /// Nominal seconds per part.
    pub cycle_s: f64,
    /// Temperature reached while running, and at rest.
    pub run_temp: f64,
    pub ambient_temp: f64,
    /// Motor current while running, and idle.
    pub run_current: f64,
    pub idle_current: f64,
    /// Electrical power while running.
    pub rated_kw: f64,
    /// Short stops per running hour.
    pub stops_per_hour: f64,
    /// Breakdowns per running day.
    pub breakdowns_per_day: f64,
}

#[derive(Debug, Clone)]
pub enum SimKind {
    Machine(MachineParams),
    EnergyMeter { base_kw: f64 },
}

#[derive(Debug, Clone)]
pub struct SimSpec {
    pub key: String,
    pub kind: SimKind,
}

/// The registers one simulated device serves.
#[derive(Debug, Default, Clone)]
pub struct Registers {
    pub holding: Vec<u16>,
    pub input: Vec<u16>,
}

impl Registers {
    fn for_spec(spec: &SimSpec) -> Registers {
        let (holding, input) = match spec.kind {
            SimKind::Machine(_) => (machine_map::SIZE, 0),
            SimKind::EnergyMeter { .. } => (0, meter_map::SIZE),
        };
        Registers {
            holding: vec![0; holding],
            input: vec![0; input],
        }
    }

    fn put(&mut self, input: bool, address: u16, value: f64, t: DataType) {
        let regs = if input {
            &mut self.input
        } else {
            &mut self.holding
        };
        for (i, w) in encode(value, t, Order::Abcd).into_iter().enumerate() {
            regs[usize::from(address) + i] = w;
        }
    }
}

/// Answers reads from a bank; anything else gets "illegal function": the simulator,
/// like Plantlog, has no business with writes.
#[derive(Clone)]
struct RegistersService {
    bank: Arc<Mutex<Registers>>,
}

impl tokio_modbus::server::Service for RegistersService {
    type Request = Request<'static>;
    type Response = Response;
    type Exception = ExceptionCode;
    type Future = future::Ready<Result<Response, ExceptionCode>>;

    fn call(&self, req: Self::Request) -> Self::Future {
        let bank = self.bank.lock().unwrap_or_else(|e| e.into_inner());
        let slice = |regs: &[u16], a: u16, n: u16| {
            let (a, n) = (usize::from(a), usize::from(n));
            regs.get(a..a + n)
                .map(<[u16]>::to_vec)
                .ok_or(ExceptionCode::IllegalDataAddress)
        };
        future::ready(match req {
            Request::ReadHoldingRegisters(a, n) => {
                slice(&bank.holding, a, n).map(Response::ReadHoldingRegisters)
            }
            Request::ReadInputRegisters(a, n) => {
                slice(&bank.input, a, n).map(Response::ReadInputRegisters)
            }
            _ => Err(ExceptionCode::IllegalFunction),
        })
    }
}

struct SimDevice {
    key: String,
    addr: SocketAddr,
    bank: Arc<Mutex<Registers>>,
    server: Option<JoinHandle<()>>,
}

/// The running simulated devices.
pub struct Simulator {
    devices: Vec<SimDevice>,
    tick: JoinHandle<()>,
}

/// Seconds per simulation step.
const STEP_S: f64 = 0.2;

impl Simulator {
    /// Starts a server per device on 127.0.0.1, on the port in `ports` when it is free,
    /// or on a free port otherwise.
    pub async fn start(specs: &[SimSpec], ports: &HashMap<String, u16>) -> io::Result<Simulator> {
        Simulator::start_with(specs, ports, None).await
    }

    /// Like [`Simulator::start`], continuing from a simulated past (see [`Past`]), so the
    /// live values go on from where the history ends.
    pub async fn start_with(
        specs: &[SimSpec],
        ports: &HashMap<String, u16>,
        past: Option<Past>,
    ) -> io::Result<Simulator> {
        let mut devices = Vec::new();
        for spec in specs {
            let bank = Arc::new(Mutex::new(Registers::for_spec(spec)));
            let listener = match ports.get(&spec.key) {
                Some(p) => match TcpListener::bind(("127.0.0.1", *p)).await {
                    Ok(l) => l,
                    Err(_) => TcpListener::bind("127.0.0.1:0").await?,
                },
                None => TcpListener::bind("127.0.0.1:0").await?,
            };
            let addr = listener.local_addr()?;
            let server = Some(serve(listener, bank.clone()));
            devices.push(SimDevice {
                key: spec.key.clone(),
                addr,
                bank,
                server,
            });
        }
        let mut world = match past {
            Some(p) => p.world,
            None => World::new(specs, rand::random(), crate::sample::now_ms()),
        };
        let banks: Vec<_> = devices.iter().map(|d| d.bank.clone()).collect();
        world.write(&banks);
        let tick = tokio::spawn(async move {
            let mut interval = tokio::time::interval(Duration::from_secs_f64(STEP_S));
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                // Simulated time follows the clock (breaks begin on time).
                world.t_ms = crate::sample::now_ms() as f64 - STEP_S * 1000.0;
                world.step(STEP_S);
                world.write(&banks);
            }
        });
        Ok(Simulator { devices, tick })
    }

    /// The address a simulated device listens on.
    pub fn addr(&self, key: &str) -> Option<SocketAddr> {
        self.devices.iter().find(|d| d.key == key).map(|d| d.addr)
    }

    /// Closes a device's port and drops its connections, as if it lost power.
    pub fn stop_device(&mut self, key: &str) {
        if let Some(d) = self.devices.iter_mut().find(|d| d.key == key)
            && let Some(s) = d.server.take()
        {
            s.abort();
        }
    }

    /// Serves a stopped device again on its old port.
    pub async fn restart_device(&mut self, key: &str) -> io::Result<()> {
        let Some(d) = self.devices.iter_mut().find(|d| d.key == key) else {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                "no such simulated device",
            ));
        };
        if d.server.is_none() {
            let listener = TcpListener::bind(d.addr).await?;
            d.server = Some(serve(listener, d.bank.clone()));
        }
        Ok(())
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.tick.abort();
        for d in &mut self.devices {
            if let Some(s) = d.server.take() {
                s.abort();
            }
        }
    }
}

/// Serves fixed registers on `listener` until the task is aborted: a device for
/// benchmarks and tests.
pub fn serve_static(listener: TcpListener, registers: Registers) -> JoinHandle<()> {
    serve(listener, Arc::new(Mutex::new(registers)))
}

/// Serves registers another task may change (a benchmark setting values) on
/// `listener` until the task is aborted.
pub fn serve_shared(listener: TcpListener, bank: Arc<Mutex<Registers>>) -> JoinHandle<()> {
    serve(listener, bank)
}

fn serve(listener: TcpListener, bank: Arc<Mutex<Registers>>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let server = Server::new(listener);
        let service = RegistersService { bank };
        let new_service = move |_addr| Ok(Some(service.clone()));
        let on_connected = |stream, addr| {
            let result = accept_tcp_connection(stream, addr, &new_service);
            async move { result }
        };
        if let Err(e) = server.serve(&on_connected, |_err| {}).await {
            tracing::warn!("simulated device stopped serving: {e}");
        }
    })
}

/// A simulated past: the plant's devices run fast from a start time, their registers
/// handed out at regular times, for generated history.
pub struct Past {
    world: World,
    scratch: Vec<Registers>,
    t: i64,
}

impl Past {
    /// The plant as it stands at `from_ms`.
    pub fn new(specs: &[SimSpec], from_ms: i64, seed: u64) -> Past {
        Past {
            world: World::new(specs, seed, from_ms),
            scratch: specs.iter().map(Registers::for_spec).collect(),
            t: from_ms,
        }
    }

    /// Machines idle through the breaks of this calendar's shifts.
    pub fn with_breaks(mut self, calendar: crate::production::Calendar) -> Past {
        self.world.breaks = Some(Breaks {
            calendar,
            on_break: false,
            until: i64::MIN,
        });
        self
    }

    /// Sets the running totals (a machine's part counter, a meter's energy) of the
    /// device at `index` in the specs, so a plant started again continues its
    /// counters from where the stored history ends.
    pub fn continue_total(&mut self, index: usize, total: f64) {
        match self.world.sims.get_mut(index) {
            Some(Sim::Machine(m)) if total >= 0.0 => m.count = total as u64 as u32,
            Some(Sim::Meter { kwh, .. }) if total >= 0.0 => *kwh = total,
            _ => {}
        }
    }

    /// Runs on until `to_ms`, calling `record(ts, registers of each device)` every
    /// `every_ms`, in simulation steps of `step_s` seconds.
    pub fn run(
        &mut self,
        to_ms: i64,
        every_ms: i64,
        step_s: f64,
        mut record: impl FnMut(i64, &[Registers]),
    ) {
        let steps = ((every_ms as f64 / 1000.0) / step_s).round().max(1.0) as usize;
        while self.t < to_ms {
            for _ in 0..steps {
                self.world.step(step_s);
            }
            self.world.fill(&mut self.scratch);
            record(self.t, &self.scratch);
            self.t += every_ms;
        }
    }
}

/// Machine states, as the state register holds them.
mod state {
    pub const STOPPED: u16 = 0;
    pub const RUNNING: u16 = 1;
    pub const FAULT: u16 = 2;
    pub const SETUP: u16 = 3;
    pub const IDLE: u16 = 4;
}

struct MachineSim {
    p: MachineParams,
    state: u16,
    /// Idle because of a break (runs again when it ends).
    break_idle: bool,
    /// Seconds left in a non-running state.
    remaining_s: f64,
    cycle_elapsed: f64,
    cycle_len: f64,
    last_cycle: f64,
    count: u32,
    temp: f64,
    current: f64,
    kw: f64,
}

enum Sim {
    Machine(MachineSim),
    Meter {
        base_kw: f64,
        kwh: f64,
        kw: f64,
        voltage: f64,
        pf: f64,
    },
}

struct World {
    sims: Vec<Sim>,
    rng: StdRng,
    /// The simulated time, and the plant's breaks: machines idle through them.
    t_ms: f64,
    breaks: Option<Breaks>,
}

/// When the plant's breaks are, looked up only when a cached boundary passes.
struct Breaks {
    calendar: crate::production::Calendar,
    on_break: bool,
    until: i64,
}

impl Breaks {
    fn at(&mut self, t: i64) -> bool {
        if t < self.until {
            return self.on_break;
        }
        let day = 86_400_000;
        let mut on = false;
        let mut next = t + day;
        for s in self.calendar.shifts_between(t - day, t + day) {
            for &(a, b) in &s.breaks {
                if a <= t && t < b {
                    on = true;
                    next = next.min(b);
                } else if a > t {
                    next = next.min(a);
                }
            }
        }
        self.on_break = on;
        self.until = next;
        on
    }
}

/// Seconds since 2025-01-01: counters and meters start where a plant that never
/// stopped would be, so a restart does not reset them.
fn plant_age_s(at_ms: i64) -> f64 {
    (at_ms - 1_735_689_600_000).max(0) as f64 / 1000.0
}

impl World {
    fn new(specs: &[SimSpec], seed: u64, start_ms: i64) -> World {
        let mut rng = StdRng::seed_from_u64(seed);
        let age = plant_age_s(start_ms);
        let sims = specs
            .iter()
            .map(|spec| match &spec.kind {
                SimKind::Machine(p) => {
                    let roll: f64 = rng.random();
                    let (state, remaining_s) = if roll < 0.70 {
                        (state::RUNNING, 0.0)
                    } else if roll < 0.80 {
                        (state::IDLE, rng.random_range(30.0..240.0))
                    } else if roll < 0.90 {
                        (state::STOPPED, rng.random_range(20.0..150.0))
                    } else if roll < 0.95 {
                        (state::SETUP, rng.random_range(120.0..600.0))
                    } else {
                        (state::FAULT, rng.random_range(120.0..900.0))
                    };
                    let running = state == state::RUNNING;
                    Sim::Machine(MachineSim {
                        state,
                        remaining_s,
                        cycle_elapsed: rng.random_range(0.0..p.cycle_s),
                        cycle_len: p.cycle_s,
                        last_cycle: p.cycle_s,
                        break_idle: false,
                        count: ((age / p.cycle_s) * 0.62) as u64 as u32,
                        temp: if running {
                            p.run_temp
                        } else {
                            (p.run_temp + p.ambient_temp) / 2.0
                        },
                        current: p.idle_current,
                        kw: 0.0,
                        p: p.clone(),
                    })
                }
                SimKind::EnergyMeter { base_kw } => Sim::Meter {
                    base_kw: *base_kw,
                    kwh: age / 3600.0 * (base_kw * 4.0),
                    kw: *base_kw,
                    voltage: 400.0,
                    pf: 0.9,
                },
            })
            .collect();
        World {
            sims,
            rng,
            t_ms: start_ms as f64,
            breaks: None,
        }
    }

    fn step(&mut self, dt: f64) {
        self.t_ms += dt * 1000.0;
        let t = self.t_ms as i64;
        let on_break = self.breaks.as_mut().is_some_and(|b| b.at(t));
        let rng = &mut self.rng;
        let mut machines_kw = 0.0;
        for sim in &mut self.sims {
            if let Sim::Machine(m) = sim {
                m.step(dt, rng, on_break);
                machines_kw += m.kw;
            }
        }
        for sim in &mut self.sims {
            if let Sim::Meter {
                base_kw,
                kwh,
                kw,
                voltage,
                pf,
            } = sim
            {
                *kw = *base_kw + machines_kw + rng.random_range(-0.8..0.8);
                *kwh += *kw * dt / 3600.0;
                *voltage = 400.0 - machines_kw * 0.02 + rng.random_range(-0.6..0.6);
                *pf = (0.93 - machines_kw * 0.0004 + rng.random_range(-0.005..0.005))
                    .clamp(0.7, 0.99);
            }
        }
    }

    fn write(&self, banks: &[Arc<Mutex<Registers>>]) {
        for (sim, bank) in self.sims.iter().zip(banks) {
            sim.fill(&mut bank.lock().unwrap_or_else(|e| e.into_inner()));
        }
    }

    fn fill(&self, regs: &mut [Registers]) {
        for (sim, r) in self.sims.iter().zip(regs) {
            sim.fill(r);
        }
    }
}

impl Sim {
    fn fill(&self, b: &mut Registers) {
        match self {
            Sim::Machine(m) => {
                use machine_map::*;
                b.put(false, STATE, f64::from(m.state), DataType::U16);
                b.put(false, COUNT, f64::from(m.count), DataType::U32);
                b.put(false, TEMPERATURE, (m.temp * 10.0).round(), DataType::I16);
                let current = (m.current * 100.0).round().max(0.0);
                b.put(false, CURRENT, current, DataType::U16);
                b.put(false, CYCLE_TIME, m.last_cycle, DataType::F32);
            }
            Sim::Meter {
                kwh,
                kw,
                voltage,
                pf,
                ..
            } => {
                use meter_map::*;
                b.put(true, ENERGY_KWH, *kwh, DataType::F32);
                b.put(true, POWER_KW, *kw, DataType::F32);
                b.put(true, VOLTAGE, *voltage, DataType::F32);
                b.put(true, POWER_FACTOR, *pf, DataType::F32);
            }
        }
    }
}

impl MachineSim {
    fn step(&mut self, dt: f64, rng: &mut StdRng, on_break: bool) {
        let p = &self.p;
        // Breaks: a running machine is left idle, and runs again when the break ends.
        if on_break && self.state == state::RUNNING {
            self.state = state::IDLE;
            self.break_idle = true;
        } else if !on_break && self.break_idle {
            self.break_idle = false;
            if self.state == state::IDLE {
                self.state = state::RUNNING;
                self.cycle_elapsed = 0.0;
            }
        }
        if self.break_idle {
            // Idle through the break.
        } else if self.state == state::RUNNING {
            let roll: f64 = rng.random();
            let stop = p.stops_per_hour / 3600.0 * dt;
            let breakdown = p.breakdowns_per_day / 86_400.0 * dt;
            let setup = 0.25 / 3600.0 * dt;
            let idle = 0.5 / 3600.0 * dt;
            if roll < breakdown {
                self.state = state::FAULT;
                self.remaining_s = rng.random_range(300.0..1500.0);
            } else if roll < breakdown + stop {
                self.state = state::STOPPED;
                self.remaining_s = rng.random_range(20.0..180.0);
            } else if roll < breakdown + stop + setup {
                self.state = state::SETUP;
                self.remaining_s = rng.random_range(480.0..1200.0);
            } else if roll < breakdown + stop + setup + idle {
                self.state = state::IDLE;
                self.remaining_s = rng.random_range(60.0..300.0);
            } else {
                self.cycle_elapsed += dt;
                if self.cycle_elapsed >= self.cycle_len {
                    self.cycle_elapsed -= self.cycle_len;
                    self.count = self.count.wrapping_add(1);
                    self.last_cycle = self.cycle_len;
                    self.cycle_len = p.cycle_s * rng.random_range(0.94..1.12);
                }
            }
        } else {
            self.remaining_s -= dt;
            if self.remaining_s <= 0.0 {
                self.state = state::RUNNING;
                self.cycle_elapsed = 0.0;
            }
        }

        let running = self.state == state::RUNNING;
        let target_temp = match self.state {
            state::RUNNING => p.run_temp,
            state::FAULT | state::STOPPED => p.ambient_temp + (p.run_temp - p.ambient_temp) * 0.15,
            _ => p.ambient_temp + (p.run_temp - p.ambient_temp) * 0.5,
        };
        let tau = 240.0;
        self.temp += (target_temp - self.temp) * (dt / tau) + rng.random_range(-0.05..0.05);
        let (target_current, target_kw) = match self.state {
            state::RUNNING => {
                // Current peaks early in each cycle, as a press stroke or a spindle start.
                let phase = self.cycle_elapsed / self.cycle_len.max(0.1);
                let pulse = if phase < 0.3 { 1.25 } else { 0.9 };
                (
                    p.run_current * pulse,
                    p.rated_kw * rng.random_range(0.72..0.88),
                )
            }
            state::SETUP => (p.idle_current * 3.0, p.rated_kw * 0.12),
            state::IDLE => (p.idle_current, p.rated_kw * 0.06),
            _ => (0.0, p.rated_kw * 0.02),
        };
        self.current += (target_current - self.current) * 0.5 + rng.random_range(-0.15..0.15);
        self.current = self.current.max(0.0);
        if !running && self.state == state::FAULT {
            self.current = 0.0;
        }
        self.kw = target_kw;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press() -> MachineParams {
        MachineParams {
            cycle_s: 2.0,
            run_temp: 50.0,
            ambient_temp: 22.0,
            run_current: 18.0,
            idle_current: 0.5,
            rated_kw: 15.0,
            stops_per_hour: 0.0,
            breakdowns_per_day: 0.0,
        }
    }

    #[test]
    fn a_running_machine_counts_at_its_cycle_time() {
        let specs = vec![SimSpec {
            key: "m".into(),
            kind: SimKind::Machine(press()),
        }];
        let mut w = World::new(&specs, 7, crate::sample::now_ms());
        if let Sim::Machine(m) = &mut w.sims[0] {
            m.state = state::RUNNING;
            m.cycle_elapsed = 0.0;
        }
        let Sim::Machine(m) = &w.sims[0] else {
            unreachable!()
        };
        let start = m.count;
        for _ in 0..(600.0 / STEP_S) as usize {
            w.step(STEP_S);
        }
        let Sim::Machine(m) = &w.sims[0] else {
            unreachable!()
        };
        let made = m.count.wrapping_sub(start);
        // 600 s at 2 s nominal, cycles 0.94..1.12 of nominal
        assert!((260..=320).contains(&made), "{made}");
    }
}
