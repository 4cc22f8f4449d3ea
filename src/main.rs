//! The `plantlog` command: run headless, run the demo plant, admin tasks on a data
//! folder (configuration, users), commissioning and benchmarks. Each subcommand is a
//! module of src/cli/.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use plantlog::store::default_data_dir;

#[derive(Parser)]
#[command(
    name = "plantlog",
    version,
    about = "Offline-first plant data: Modbus collection, historian, dashboards and reports"
)]
struct Cli {
    /// The data folder (database, lock). Default: the per-user data folder of this OS;
    /// `plantlog demo` uses a "demo" folder inside it.
    #[arg(long, global = true, env = "PLANTLOG_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// The language of what this command says and of the reports it makes: en, de, es
    /// or zh. Default: PLANTLOG_LANG, else the plant's language, else English.
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Collect, store and serve the web UI until stopped (Ctrl+C).
    Run {
        #[command(flatten)]
        serve: cli::run::ServeArgs,
        /// Started by the desktop app: the lock names "Plantlog desktop", another port
        /// is taken when the default one is busy, and Plantlog stops when its standard
        /// input closes (the app quit or ended).
        #[arg(long, hide = true)]
        desktop: bool,
    },
    /// Run the built-in demo plant: simulated machines, the demo configuration and
    /// one demo user per role, printed with their passwords.
    Demo {
        #[command(flatten)]
        serve: cli::run::ServeArgs,
        /// Days of simulated history for a new demo data folder (default: two hours).
        /// 365 gives a year: it takes a few minutes to generate, once.
        #[arg(long, value_name = "DAYS")]
        history_days: Option<f64>,
    },
    /// Import, export or check the plant configuration.
    #[command(subcommand)]
    Config(cli::config::ConfigCommand),
    /// List users, give one a new password or remove their second factor (for when the
    /// admin is locked out or lost their phone).
    #[command(subcommand)]
    Users(cli::users::UsersCommand),
    /// Check the audit log's hash chain.
    #[command(subcommand)]
    Audit(cli::audit::AuditCommand),
    /// Sync to a central server: connect, switch off, status.
    #[command(subcommand)]
    Sync(cli::sync::SyncCommand),
    /// Back up the data folder while collection runs, list, verify and restore backups.
    #[command(subcommand)]
    Backup(cli::backup::BackupCommand),
    /// Commissioning: read registers now, scan a line for unit ids (reads only).
    #[command(subcommand)]
    Modbus(cli::modbus::ModbusCommand),
    /// List the serial ports of this PC (COM ports, USB adapters).
    SerialPorts,
    /// Load recorded samples, or what people entered (reasons, planned stops, scrap,
    /// ideal cycle times), from CSV files.
    #[command(subcommand)]
    Import(cli::import::ImportCommand),
    /// Production figures (downtime, shifts, OEE) and what people entered, for any range.
    #[command(subcommand)]
    Production(cli::production::ProductionCommand),
    /// Quality's products, inspection plans and materials: import or export as TOML or
    /// CSV.
    #[command(subcommand)]
    Quality(cli::quality::QualityCommand),
    /// A production lot's story (materials, supplier lots, machine, people, checks,
    /// scrap, stops), or the production lots that used a supplier lot.
    Trace {
        /// A production lot, a supplier lot or a material lot's label.
        lot: String,
        /// Print JSON (the lot page's data) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// A shift or production report as PDF (charts as PNG beside it), XLSX or CSV.
    Report(cli::report::ReportArgs),
    /// List removable drives, or write reports, raw samples, the configuration and the
    /// audit log to one, every file read back against its checksum; `export all`:
    /// everything, in open formats.
    Export(cli::takeout::ExportCommand),
    /// Delete a person's data (their name becomes a pseudonym) or a tag's history:
    /// planned first, confirmed, audited, then the database compacted.
    #[command(subcommand)]
    Delete(cli::forget::DeleteCommand),
    /// Remove everything in the data folder (Plantlog stopped), after a typed
    /// confirmation, optionally after a final full export.
    FactoryReset {
        /// Type: "delete everything".
        #[arg(long)]
        confirm: Option<String>,
        /// Make a full export here first; nothing is removed if it fails.
        #[arg(long, value_name = "DIR")]
        export_to: Option<PathBuf>,
    },
    /// Benchmarks, printed as ratios measured side by side in one run.
    #[command(subcommand)]
    Bench(cli::bench::BenchCommand),
    /// Run Plantlog as a service (Windows) or systemd unit (Linux): install, start, stop.
    #[command(subcommand)]
    Service(cli::service::ServiceCommand),
    /// A support bundle (zip) for a vendor, or the newest errors from the logs.
    #[command(subcommand)]
    Support(cli::support::SupportCommand),
}

impl Cli {
    /// The data folder whose logs/ this command writes, if it runs for long.
    fn log_folder(&self) -> Option<PathBuf> {
        match &self.command {
            Command::Run { .. } => Some(self.data_dir.clone().unwrap_or_else(default_data_dir)),
            Command::Demo { .. } => Some(
                self.data_dir
                    .clone()
                    .unwrap_or_else(|| default_data_dir().join("demo")),
            ),
            Command::Service(c) => c.log_folder(self.data_dir.as_ref()),
            _ => None,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = plantlog::i18n::choose_cli(cli.lang.as_deref()) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    let _logs = cli::service::init_logs(cli.log_folder());
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "{}",
                plantlog::tr!(cli::lang(), "cli-error", message = cli::say_error(&e))
            );
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let data_dir = cli.data_dir.clone();
    match cli.command {
        Command::Run { serve, desktop } => cli::block_on(cli::run::serve(
            data_dir.unwrap_or_else(default_data_dir),
            serve,
            desktop,
        )),
        Command::Demo {
            serve,
            history_days,
        } => cli::block_on(cli::run::demo(
            data_dir.unwrap_or_else(|| default_data_dir().join("demo")),
            serve,
            history_days,
        )),
        Command::Config(c) => cli::config::run(data_dir.unwrap_or_else(default_data_dir), c),
        Command::Users(c) => cli::users::run(data_dir.unwrap_or_else(default_data_dir), c),
        Command::Import(c) => cli::import::run(data_dir.unwrap_or_else(default_data_dir), c),
        Command::Production(c) => {
            cli::production::run(data_dir.unwrap_or_else(default_data_dir), c)
        }
        Command::Quality(c) => cli::quality::run(data_dir.unwrap_or_else(default_data_dir), c),
        Command::Trace { lot, json } => {
            cli::trace::run(data_dir.unwrap_or_else(default_data_dir), lot, json)
        }
        Command::Report(a) => cli::report::run(data_dir.unwrap_or_else(default_data_dir), a),
        Command::Export(a) => cli::takeout::run(data_dir.unwrap_or_else(default_data_dir), a),
        Command::Delete(c) => cli::forget::run(data_dir.unwrap_or_else(default_data_dir), c),
        Command::FactoryReset { confirm, export_to } => cli::forget::factory_reset(
            data_dir.unwrap_or_else(default_data_dir),
            confirm,
            export_to,
        ),
        Command::Audit(c) => cli::audit::run(data_dir.unwrap_or_else(default_data_dir), c),
        Command::Sync(c) => cli::sync::run(data_dir.unwrap_or_else(default_data_dir), c),
        Command::Backup(c) => cli::backup::run(data_dir.unwrap_or_else(default_data_dir), c),
        Command::Modbus(c) => cli::runtime()?.block_on(cli::modbus::run(c)),
        Command::Bench(c) => cli::runtime()?.block_on(cli::bench::run(c)),
        Command::SerialPorts => cli::modbus::serial_ports(),
        Command::Service(c) => cli::service::run(data_dir, c),
        Command::Support(c) => cli::support::run(data_dir.unwrap_or_else(default_data_dir), c),
    }
}
