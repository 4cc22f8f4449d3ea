//! `plantlog service install|uninstall|start|stop|status`: the headless core as a
//! Windows service or a systemd unit (src/os/service), and `plantlog service run`, which
//! is what the OS starts. Also sets up the log files of the long-running commands.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use anyhow::{Context, Result};

use plantlog::app::DEFAULT_PORT;
use plantlog::os::logs::{self, LogOptions, Logging};
use plantlog::os::service::{self, ServiceConfig};

#[derive(clap::Subcommand)]
pub enum ServiceCommand {
    /// Register Plantlog as a service that starts at boot with nobody logged in, and
    /// start it. Windows: as LocalService, data in %ProgramData%\Plantlog (needs an
    /// administrator's console). Linux: a systemd unit as user `plantlog`, data in
    /// /var/lib/plantlog (needs root). --data-dir chooses another folder.
    Install {
        #[command(flatten)]
        listen: ListenArgs,
        /// Register only; do not start it now.
        #[arg(long)]
        no_start: bool,
    },
    /// Stop and remove the service. Its data folder is kept.
    Uninstall,
    /// Start the installed service.
    Start,
    /// Stop the service (collection stops until it is started again or the PC restarts).
    Stop,
    /// Is it installed and running, with which data folder and address.
    Status,
    /// What the service manager starts; not for people.
    #[command(hide = true)]
    Run {
        #[command(flatten)]
        listen: ListenArgs,
    },
}

#[derive(clap::Args)]
pub struct ListenArgs {
    /// Port of the web UI and API.
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Address to listen on: 127.0.0.1 for this PC only, 0.0.0.0 for the plant LAN too.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    listen: IpAddr,
}

impl ServiceCommand {
    /// The service's data folder: `--data-dir`, or ProgramData / /var/lib.
    fn data_dir(data_dir: Option<PathBuf>) -> PathBuf {
        data_dir.unwrap_or_else(plantlog::os::paths::service_data_dir)
    }

    /// Where `plantlog service run` logs: the service's data folder.
    pub fn log_folder(&self, data_dir: Option<&PathBuf>) -> Option<PathBuf> {
        match self {
            ServiceCommand::Run { .. } => Some(Self::data_dir(data_dir.cloned())),
            _ => None,
        }
    }
}

pub fn run(data_dir: Option<PathBuf>, cmd: ServiceCommand) -> Result<()> {
    let dir = ServiceCommand::data_dir(data_dir);
    match cmd {
        ServiceCommand::Install { listen, no_start } => {
            let config = ServiceConfig {
                exe: service::this_program()?,
                data_dir: dir,
                listen: listen.listen,
                port: listen.port,
            };
            service::install(&config)?;
            println!(
                "{}",
                plantlog::tr!(
                    super::lang(),
                    "cli-service-installed",
                    folder = config.data_dir.display().to_string(),
                    addr = config.addr().to_string()
                )
            );
            if !no_start {
                service::start()?;
                println!("{}", plantlog::tr!(super::lang(), "cli-service-started"));
            }
            Ok(())
        }
        ServiceCommand::Uninstall => {
            service::uninstall()?;
            println!("{}", plantlog::tr!(super::lang(), "cli-service-removed"));
            Ok(())
        }
        ServiceCommand::Start => {
            service::start()?;
            println!("{}", say_status(&service::status()?));
            Ok(())
        }
        ServiceCommand::Stop => {
            service::stop()?;
            println!("{}", plantlog::tr!(super::lang(), "cli-service-stopped"));
            Ok(())
        }
        ServiceCommand::Status => {
            println!("{}", say_status(&service::status()?));
            Ok(())
        }
        ServiceCommand::Run { listen } => {
            let config = ServiceConfig {
                exe: service::this_program()?,
                data_dir: dir,
                listen: listen.listen,
                port: listen.port,
            };
            run_service(config)
        }
    }
}

#[cfg(windows)]
fn run_service(config: ServiceConfig) -> Result<()> {
    // Started by the service manager, this returns when the service stopped; started
    // by hand in a console, the dispatcher fails at once (error 1063) and the core runs
    // in the console instead, as on Linux.
    match service::run_dispatcher(config.clone()) {
        Ok(()) => Ok(()),
        Err(_) => run_in_console(config),
    }
}

/// The service's state as the OS gives it, in the command's language (the state word
/// itself, "running", "active", is the OS's).
fn say_status(s: &service::ServiceStatus) -> String {
    use plantlog::tr;
    let l = super::lang();
    if !s.installed {
        return tr!(l, "cli-service-status-none");
    }
    let mut lines = vec![tr!(l, "cli-service-status", state = s.state.as_str())];
    if let Some(pid) = s.pid {
        lines.push(tr!(l, "cli-service-status-pid", pid = pid.to_string()));
    }
    if let Some(d) = &s.data_dir {
        lines.push(tr!(
            l,
            "cli-service-status-folder",
            folder = d.display().to_string()
        ));
    }
    if let Some(u) = &s.url {
        lines.push(tr!(l, "cli-service-status-url", url = u.as_str()));
    }
    lines.join("\n")
}

#[cfg(not(windows))]
fn run_service(config: ServiceConfig) -> Result<()> {
    run_in_console(config)
}

fn run_in_console(config: ServiceConfig) -> Result<()> {
    super::runtime()?
        .block_on(service::run_core(&config, stop_signal()))
        .with_context(|| plantlog::tr!(super::lang(), "cli-service-ended"))
}

/// Ctrl+C, or SIGTERM (systemd's stop).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Sets up logging for the `plantlog` command: the commands that run for long (`run`,
/// `demo`, `service run`) also write `logs/` in their data folder and a crash record
/// on a panic; the others log to the console only.
pub fn init_logs(folder: Option<PathBuf>) -> Option<Logging> {
    let with_files = logs::init(LogOptions {
        data_dir: folder.clone(),
        stderr: true,
    });
    match (with_files, folder) {
        (Ok(logging), Some(dir)) => {
            plantlog::os::crash::install_panic_hook(&dir, "plantlog", logging.tail.clone());
            Some(logging)
        }
        (Ok(logging), None) => Some(logging),
        (Err(e), _) => {
            eprintln!(
                "{}",
                plantlog::tr!(super::lang(), "cli-log-warning", error = e.to_string())
            );
            logs::init(LogOptions {
                data_dir: None,
                stderr: true,
            })
            .ok()
        }
    }
}
