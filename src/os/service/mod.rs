//! Service mode: the headless core started by the OS at boot, with nobody logged in.
//! On Windows a service registered with the service control manager (windows-service)
//! running as LocalService with its data under ProgramData; on Linux a systemd unit
//! running as a system user `plantlog` with its data in /var/lib/plantlog.
//!
//! The pure parts (arguments the service is started with, the unit file) are plain
//! functions with tests; the OS calls are in `windows.rs` and `systemd.rs`.

use std::ffi::OsString;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use crate::app::{self, Listen};

#[cfg(not(windows))]
mod systemd;
#[cfg(windows)]
mod windows;

#[cfg(not(windows))]
pub use systemd::{install, start, status, stop, uninstall};
#[cfg(windows)]
pub use windows::{install, run_dispatcher, start, status, stop, uninstall};

/// The service's name: Windows service name, and `plantlog.service` on Linux.
pub const SERVICE_NAME: &str = "Plantlog";
pub const DISPLAY_NAME: &str = "Plantlog plant data collection";
pub const DESCRIPTION: &str = "Collects plant data from Modbus and serial devices, stores it in the Plantlog historian and serves the Plantlog web UI. Runs with nobody logged in.";
/// The Linux unit and the system user it runs as.
pub const UNIT_NAME: &str = "plantlog.service";
pub const UNIT_PATH: &str = "/etc/systemd/system/plantlog.service";
pub const LINUX_USER: &str = "plantlog";
/// The Windows account: a built-in low-privilege account with no password.
pub const WINDOWS_ACCOUNT: &str = r"NT AUTHORITY\LocalService";
/// LocalService's well-known SID, for granting it the data folder.
pub const LOCAL_SERVICE_SID: &str = "*S-1-5-19";

/// How the service is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceConfig {
    /// The `plantlog` program the OS starts.
    pub exe: PathBuf,
    pub data_dir: PathBuf,
    pub listen: IpAddr,
    pub port: u16,
}

impl ServiceConfig {
    /// The command line the OS starts the service with (after the program):
    /// `service run --data-dir DIR --listen IP --port N`.
    pub fn run_arguments(&self) -> Vec<OsString> {
        vec![
            "service".into(),
            "run".into(),
            "--data-dir".into(),
            self.data_dir.clone().into_os_string(),
            "--listen".into(),
            self.listen.to_string().into(),
            "--port".into(),
            self.port.to_string().into(),
        ]
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::new(self.listen, self.port)
    }
}

/// Quotes one argument of a systemd `ExecStart=` line when it needs it.
fn systemd_quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-:=,+@".contains(c))
    {
        arg.to_string()
    } else {
        format!(
            "\"{}\"",
            arg.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('%', "%%")
                .replace('$', "$$")
        )
    }
}

/// The systemd unit for `config`: a system user, the data folder as its state
/// directory, serial ports through the dialout group, restart on failure.
pub fn systemd_unit(config: &ServiceConfig) -> String {
    let mut exec = vec![systemd_quote(&config.exe.to_string_lossy())];
    exec.extend(
        config
            .run_arguments()
            .iter()
            .map(|a| systemd_quote(&a.to_string_lossy())),
    );
    let state_dir = config
        .data_dir
        .strip_prefix("/var/lib")
        .ok()
        .map(|p| p.to_string_lossy().to_string())
        .filter(|p| !p.is_empty());
    let mut unit = format!(
        "# Written by `plantlog service install`; `plantlog service uninstall` removes it.\n\
         [Unit]\n\
         Description={DISPLAY_NAME}\n\
         After=network-online.target\n\
         Wants=network-online.target\n\
         \n\
         [Service]\n\
         Type=simple\n\
         ExecStart={}\n\
         User={LINUX_USER}\n\
         Group={LINUX_USER}\n\
         SupplementaryGroups=dialout\n",
        exec.join(" ")
    );
    match state_dir {
        Some(d) => unit.push_str(&format!("StateDirectory={d}\nStateDirectoryMode=0755\n")),
        None => unit.push_str(&format!(
            "ReadWritePaths={}\n",
            systemd_quote(&config.data_dir.to_string_lossy())
        )),
    }
    unit.push_str(
        "Environment=RUST_BACKTRACE=1\n\
         Restart=on-failure\n\
         RestartSec=5\n\
         TimeoutStopSec=30\n\
         NoNewPrivileges=yes\n\
         ProtectSystem=full\n\
         ProtectHome=yes\n\
         PrivateTmp=yes\n\
         \n\
         [Install]\n\
         WantedBy=multi-user.target\n",
    );
    unit
}

/// What `plantlog service status` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceStatus {
    pub installed: bool,
    /// "running", "stopped", "starting", ... as the OS says.
    pub state: String,
    pub pid: Option<u32>,
    /// The data folder the service was installed with.
    pub data_dir: Option<PathBuf>,
    /// The address it serves, from the data folder's lock info.
    pub url: Option<String>,
}

impl std::fmt::Display for ServiceStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.installed {
            return write!(
                f,
                "The Plantlog service is not installed. Install it with: plantlog service install"
            );
        }
        writeln!(f, "Plantlog service: {}", self.state)?;
        if let Some(pid) = self.pid {
            writeln!(f, "Process:     {pid}")?;
        }
        if let Some(d) = &self.data_dir {
            writeln!(f, "Data folder: {}", d.display())?;
        }
        if let Some(u) = &self.url {
            write!(f, "Serving:     {u}")?;
        }
        Ok(())
    }
}

/// Reads the `--data-dir` back from a service's command line.
pub fn data_dir_from_arguments(args: &[OsString]) -> Option<PathBuf> {
    args.iter()
        .position(|a| a == "--data-dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
}

/// Splits a Windows command line as `CommandLineToArgvW` does (double quotes group,
/// backslashes escape a quote only), so `status` reads back the arguments the service
/// manager stored for the service.
#[cfg_attr(not(windows), allow(dead_code))]
pub fn split_windows_command_line(line: &str) -> Vec<OsString> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut started = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut n = 1;
                while chars.peek() == Some(&'\\') {
                    chars.next();
                    n += 1;
                }
                if chars.peek() == Some(&'"') {
                    cur.push_str(&"\\".repeat(n / 2));
                    if n % 2 == 1 {
                        chars.next();
                        cur.push('"');
                    }
                } else {
                    cur.push_str(&"\\".repeat(n));
                }
                started = true;
            }
            '"' => {
                quoted = !quoted;
                started = true;
            }
            ' ' | '\t' if !quoted => {
                if started {
                    out.push(std::mem::take(&mut cur).into());
                    started = false;
                }
            }
            c => {
                cur.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(cur.into());
    }
    out
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{what} needs an administrator: {hint}")]
    NotAdmin {
        what: &'static str,
        hint: &'static str,
    },
    #[error("the Plantlog service is not installed; install it with: plantlog service install")]
    NotInstalled,
    #[error("{0}")]
    PathTooLong(#[from] crate::os::paths::PathTooLong),
    #[error("cannot {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{command}` failed: {output}")]
    Command { command: String, output: String },
    #[cfg(windows)]
    #[error("cannot {what}: {source}")]
    Windows {
        what: &'static str,
        #[source]
        source: windows_service::Error,
    },
    #[error(transparent)]
    Start(#[from] app::StartError),
}

/// Runs the core as the service does, until `stop` resolves: logs go to the data
/// folder (the caller set them up), the lock info names the address served.
pub async fn run_core(
    config: &ServiceConfig,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), ServiceError> {
    crate::os::paths::check_data_dir(&config.data_dir)?;
    let running = app::start(app::Options {
        data_dir: config.data_dir.clone(),
        listen: Listen::Addr {
            addr: config.addr(),
            fallback: false,
        },
        what: "Plantlog service".to_string(),
    })
    .await?;
    tracing::info!(
        "Plantlog service collecting into {} and serving {}",
        config.data_dir.display(),
        running.url()
    );
    tokio::select! {
        _ = stop => {}
        _ = running.cancelled() => {}
    }
    tracing::info!("Plantlog service stopping");
    running.shutdown().await;
    Ok(())
}

/// The `plantlog` program to register: this one.
pub fn this_program() -> Result<PathBuf, ServiceError> {
    std::env::current_exe().map_err(|source| ServiceError::Io {
        what: "find this program's path".into(),
        source,
    })
}

/// Runs `program args`, turning a failure into an error that shows its output.
pub(crate) fn command(program: &str, args: &[&str]) -> Result<String, ServiceError> {
    let line = format!("{program} {}", args.join(" "));
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .map_err(|source| ServiceError::Io {
            what: format!("run {line}"),
            source,
        })?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(text)
    } else {
        Err(ServiceError::Command {
            command: line,
            output: text.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(data_dir: &str) -> ServiceConfig {
        ServiceConfig {
            exe: PathBuf::from("/usr/local/bin/plantlog"),
            data_dir: PathBuf::from(data_dir),
            listen: "127.0.0.1".parse().unwrap(),
            port: 8470,
        }
    }

    #[test]
    fn run_arguments_round_trip_the_data_folder() {
        let c = ServiceConfig {
            data_dir: PathBuf::from(r"D:\Plant data\Plantlog"),
            ..config("/x")
        };
        let args = c.run_arguments();
        let text: Vec<String> = args.iter().map(|a| a.to_string_lossy().into()).collect();
        assert_eq!(
            text,
            [
                "service",
                "run",
                "--data-dir",
                r"D:\Plant data\Plantlog",
                "--listen",
                "127.0.0.1",
                "--port",
                "8470"
            ]
        );
        assert_eq!(
            data_dir_from_arguments(&args),
            Some(PathBuf::from(r"D:\Plant data\Plantlog"))
        );
        assert_eq!(data_dir_from_arguments(&["run".into()]), None);
    }

    #[test]
    fn systemd_unit_runs_as_the_plantlog_user_in_var_lib() {
        let unit = systemd_unit(&config("/var/lib/plantlog"));
        assert!(unit.contains(
            "ExecStart=/usr/local/bin/plantlog service run --data-dir /var/lib/plantlog --listen 127.0.0.1 --port 8470\n"
        ), "{unit}");
        assert!(unit.contains("User=plantlog\n"));
        assert!(unit.contains("StateDirectory=plantlog\n"));
        assert!(unit.contains("SupplementaryGroups=dialout\n"));
        assert!(unit.contains("WantedBy=multi-user.target\n"));
        assert!(!unit.contains("ReadWritePaths"));
    }

    #[test]
    fn systemd_unit_quotes_and_allows_a_folder_elsewhere() {
        let unit = systemd_unit(&config("/srv/plant data"));
        assert!(unit.contains("--data-dir \"/srv/plant data\""), "{unit}");
        assert!(
            unit.contains("ReadWritePaths=\"/srv/plant data\"\n"),
            "{unit}"
        );
        assert!(!unit.contains("StateDirectory"));
        assert_eq!(systemd_quote("50%$"), "\"50%%$$\"");
    }

    #[test]
    fn windows_command_lines_split_as_the_service_manager_stores_them() {
        // As windows-service quotes them: spaces quoted, a trailing backslash doubled
        // inside quotes.
        let line = r#""C:\Program Files\Plantlog\plantlog.exe" service run --data-dir "D:\Plant data\\" --listen 127.0.0.1 --port 8470"#;
        let args = split_windows_command_line(line);
        let text: Vec<String> = args.iter().map(|a| a.to_string_lossy().into()).collect();
        assert_eq!(
            text,
            [
                r"C:\Program Files\Plantlog\plantlog.exe",
                "service",
                "run",
                "--data-dir",
                r"D:\Plant data\",
                "--listen",
                "127.0.0.1",
                "--port",
                "8470"
            ]
        );
        assert_eq!(
            data_dir_from_arguments(&args),
            Some(PathBuf::from(r"D:\Plant data\"))
        );
        let plain = split_windows_command_line(r#"C:\ProgramData\x.exe a\\b "q\"x" """#);
        let text: Vec<String> = plain.iter().map(|a| a.to_string_lossy().into()).collect();
        assert_eq!(text, [r"C:\ProgramData\x.exe", r"a\\b", "q\"x", ""]);
    }

    #[test]
    fn status_says_how_to_install() {
        let s = ServiceStatus {
            installed: false,
            state: String::new(),
            pid: None,
            data_dir: None,
            url: None,
        };
        assert!(s.to_string().contains("plantlog service install"));
    }
}
