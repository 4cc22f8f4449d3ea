//! `plantlog modbus` and `plantlog serial-ports`: commissioning reads and scans from the
//! console, on a link of their own.

use anyhow::{Context, Result, bail};

use plantlog::tr;

use super::lang;
use clap::Subcommand;

use plantlog::collector::commission::{self, Address, AdhocRead, ScanRequest, Via};
use plantlog::collector::link::{Link, PortSpec};
use plantlog::config::{Bus, DataType, Order, Parity};

#[derive(Subcommand)]
pub enum ModbusCommand {
    /// Read registers or a configured tag now; prints the raw registers and the value.
    Read {
        #[command(flatten)]
        link: LinkArgs,
        /// Unit id (slave address).
        #[arg(long, default_value_t = 1)]
        unit: u8,
        /// The register as printed in the manual: 40001 holding, 30001 input, 10001
        /// discrete input, 00001 coil.
        #[arg(long)]
        register: u32,
        /// How to decode: bool, bit, u16, i16, u32, i32, u64, i64, f32, f64, string.
        #[arg(long = "type", default_value = "u16")]
        data_type: String,
        /// ABCD, CDAB, BADC or DCBA.
        #[arg(long, default_value = "ABCD")]
        order: String,
        /// Registers to read (default: as many as the type needs).
        #[arg(long)]
        count: Option<u16>,
        #[arg(long, default_value_t = 1000)]
        timeout_ms: u64,
    },
    /// Ask each unit id on a line for one register; lists the ones that answer.
    Scan {
        #[command(flatten)]
        link: LinkArgs,
        #[arg(long, default_value_t = 1)]
        from: u8,
        #[arg(long, default_value_t = 247)]
        to: u8,
        /// The register asked, as in the manual.
        #[arg(long, default_value_t = 40001)]
        register: u32,
        #[arg(long, default_value_t = 200)]
        timeout_ms: u64,
    },
}

/// Where to read: give exactly one of --tcp, --rtu-tcp and --serial.
#[derive(clap::Args)]
pub struct LinkArgs {
    /// Modbus TCP: HOST or HOST:PORT.
    #[arg(long, value_name = "HOST[:PORT]")]
    tcp: Option<String>,
    /// Modbus RTU over TCP (a serial gateway): HOST:PORT.
    #[arg(long, value_name = "HOST:PORT")]
    rtu_tcp: Option<String>,
    /// Modbus RTU on a serial port: COM3 or /dev/ttyUSB0.
    #[arg(long, value_name = "PORT")]
    serial: Option<String>,
    #[arg(long, default_value_t = 9600)]
    baud: u32,
    /// none, even or odd.
    #[arg(long, default_value = "none")]
    parity: String,
    #[arg(long, default_value_t = 1)]
    stop_bits: u8,
}

fn split_host(s: &str, default_port: u16) -> Result<(String, u16)> {
    match s.rsplit_once(':') {
        Some((h, p)) => Ok((
            h.to_string(),
            p.parse()
                .with_context(|| tr!(lang(), "cli-modbus-not-a-port", port = p))?,
        )),
        None => Ok((s.to_string(), default_port)),
    }
}

fn link_of(args: &LinkArgs) -> Result<Link> {
    Ok(match (&args.tcp, &args.rtu_tcp, &args.serial) {
        (Some(t), None, None) => {
            let (host, port) = split_host(t, 502)?;
            Link::tcp(&host, port)
        }
        (None, Some(t), None) => {
            let (host, port) = split_host(t, 502)?;
            Link::rtu(PortSpec::Tcp { host, port })
        }
        (None, None, Some(port)) => {
            let parity = match args.parity.as_str() {
                "none" => Parity::None,
                "even" => Parity::Even,
                "odd" => Parity::Odd,
                p => bail!("{}", tr!(lang(), "cli-modbus-parity", parity = p)),
            };
            Link::rtu(PortSpec::Serial(Bus {
                key: "command-line".into(),
                name: String::new(),
                port: port.clone(),
                baud: args.baud,
                parity,
                data_bits: 8,
                stop_bits: args.stop_bits,
                frame_gap_ms: None,
            }))
        }
        _ => bail!("{}", tr!(lang(), "cli-modbus-where")),
    })
}

pub async fn run(cmd: ModbusCommand) -> Result<()> {
    match cmd {
        ModbusCommand::Read {
            link,
            unit,
            register,
            data_type,
            order,
            count,
            timeout_ms,
        } => {
            let data_type: DataType = serde_json::from_value(serde_json::Value::String(
                data_type.clone(),
            ))
            .with_context(|| tr!(lang(), "cli-modbus-not-a-type", given = data_type.as_str()))?;
            let order: Order = serde_json::from_value(serde_json::Value::String(order.clone()))
                .with_context(|| tr!(lang(), "cli-modbus-not-an-order", given = order.as_str()))?;
            let (spec, tag) = AdhocRead {
                unit,
                address: Address::Manual(register),
                data_type: Some(data_type),
                order,
                bit: None,
                count,
                timeout: std::time::Duration::from_millis(timeout_ms),
            }
            .plan()?;
            let mut link = link_of(&link)?;
            let r = commission::read(&mut Via::Link(&mut link), &spec, Some(&tag)).await;
            println!(
                "{}",
                tr!(
                    lang(),
                    "cli-modbus-request",
                    request = r.request.to_string(),
                    link = link.describe()
                )
            );
            match r.error {
                Some(e) => bail!("{e}"),
                None => {
                    println!("raw:   {}", r.raw_hex.join(" "));
                    match (r.value, r.text) {
                        (Some(v), _) => println!("value: {v} ({})", data_type.name()),
                        (None, Some(t)) => println!("value: {t:?}"),
                        _ => println!("value: {}", tr!(lang(), "cli-modbus-not-a-number")),
                    }
                    println!("time:  {} ms", r.response_ms);
                }
            }
            Ok(())
        }
        ModbusCommand::Scan {
            link,
            from,
            to,
            register,
            timeout_ms,
        } => {
            let mut link = link_of(&link)?;
            let line = link.describe();
            let request = ScanRequest {
                from: Some(from),
                to: Some(to),
                register: Some(register),
                timeout_ms: Some(timeout_ms),
            };
            let report = request
                .run(&mut Via::Link(&mut link), line.clone(), |u| {
                    use std::io::Write;
                    print!(
                        "\r  {}",
                        tr!(lang(), "cli-modbus-unit", unit = format!("{u:>3}"))
                    );
                    let _ = std::io::stdout().flush();
                })
                .await?;
            println!(
                "\r{}",
                tr!(
                    lang(),
                    "cli-modbus-scanned",
                    line = line.as_str(),
                    asked = report.asked.to_string()
                )
            );
            let hits = report.found;
            println!("\r             ");
            if hits.is_empty() {
                println!("{}", tr!(lang(), "cli-modbus-no-unit"));
            }
            for h in hits {
                match h.exception_code {
                    Some(c) => println!(
                        "{}",
                        tr!(
                            lang(),
                            "cli-modbus-answers-exception",
                            unit = format!("{:>3}", h.unit),
                            code = c,
                            ms = h.response_ms
                        )
                    ),
                    None => println!(
                        "{}",
                        tr!(
                            lang(),
                            "cli-modbus-answers",
                            unit = format!("{:>3}", h.unit),
                            ms = h.response_ms
                        )
                    ),
                }
            }
            Ok(())
        }
    }
}

/// Lists the serial ports of this PC.
pub fn serial_ports() -> Result<()> {
    let ports = plantlog::collector::ports::serial_ports().map_err(anyhow::Error::msg)?;
    if ports.is_empty() {
        println!("{}", tr!(lang(), "cli-modbus-no-ports"));
    }
    for p in ports {
        println!("{:<20} {}", p.name, p.kind);
    }
    Ok(())
}
