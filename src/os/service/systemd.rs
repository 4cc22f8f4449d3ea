//! Linux (and other systemd systems): `plantlog service install` writes
//! /etc/systemd/system/plantlog.service, creates the system user `plantlog` and enables
//! the unit; start, stop and status go through systemctl. Needs root.

use std::path::Path;

use super::{LINUX_USER, ServiceConfig, ServiceError, ServiceStatus, UNIT_NAME, UNIT_PATH};

fn require_root(what: &'static str) -> Result<(), ServiceError> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let euid = unsafe { geteuid() };
    if euid != 0 {
        return Err(ServiceError::NotAdmin {
            what,
            hint: "run it with sudo",
        });
    }
    Ok(())
}

unsafe extern "C" {
    fn geteuid() -> u32;
}

/// Writes and enables the unit (it starts at every boot); `start` starts it now.
pub fn install(config: &ServiceConfig) -> Result<(), ServiceError> {
    require_root("installing the service")?;
    // Checked before anything is written: sd_booted() looks for this folder.
    if !Path::new("/run/systemd/system").is_dir() {
        return Err(ServiceError::Command {
            command: "systemctl".into(),
            output: "this system is not running systemd; start `plantlog run --data-dir DIR` \
                     from its init system instead"
                .into(),
        });
    }
    crate::os::paths::check_data_dir(&config.data_dir)?;
    let exists = std::process::Command::new("id")
        .args(["-u", LINUX_USER])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !exists {
        super::command(
            "useradd",
            &[
                "--system",
                "--no-create-home",
                "--home-dir",
                &config.data_dir.to_string_lossy(),
                "--shell",
                "/usr/sbin/nologin",
                "--groups",
                "dialout",
                LINUX_USER,
            ],
        )?;
    }
    std::fs::write(UNIT_PATH, super::systemd_unit(config)).map_err(|source| ServiceError::Io {
        what: format!("write {UNIT_PATH}"),
        source,
    })?;
    super::command("systemctl", &["daemon-reload"])?;
    super::command("systemctl", &["enable", UNIT_NAME])?;
    Ok(())
}

/// Stops, disables and removes the unit. The data folder and the user stay.
pub fn uninstall() -> Result<(), ServiceError> {
    require_root("removing the service")?;
    if !Path::new(UNIT_PATH).exists() {
        return Err(ServiceError::NotInstalled);
    }
    let _ = super::command("systemctl", &["disable", "--now", UNIT_NAME]);
    std::fs::remove_file(UNIT_PATH).map_err(|source| ServiceError::Io {
        what: format!("remove {UNIT_PATH}"),
        source,
    })?;
    super::command("systemctl", &["daemon-reload"])?;
    Ok(())
}

pub fn start() -> Result<(), ServiceError> {
    require_root("starting the service")?;
    installed()?;
    super::command("systemctl", &["start", UNIT_NAME]).map(drop)
}

pub fn stop() -> Result<(), ServiceError> {
    require_root("stopping the service")?;
    installed()?;
    super::command("systemctl", &["stop", UNIT_NAME]).map(drop)
}

fn installed() -> Result<(), ServiceError> {
    if Path::new(UNIT_PATH).exists() {
        Ok(())
    } else {
        Err(ServiceError::NotInstalled)
    }
}

/// What systemd says of the unit, with the address from the data folder's lock info.
pub fn status() -> Result<ServiceStatus, ServiceError> {
    let Ok(unit) = std::fs::read_to_string(UNIT_PATH) else {
        return Ok(ServiceStatus {
            installed: false,
            state: String::new(),
            pid: None,
            data_dir: None,
            url: None,
        });
    };
    let args: Vec<std::ffi::OsString> = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .map(|l| l.split(' ').map(|a| a.trim_matches('"').into()).collect())
        .unwrap_or_default();
    let data_dir = super::data_dir_from_arguments(&args);
    let shown = super::command(
        "systemctl",
        &["show", "-p", "ActiveState", "-p", "MainPID", UNIT_NAME],
    )
    .unwrap_or_default();
    let value = |key: &str| {
        shown
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_string())
    };
    let state = value("ActiveState=").unwrap_or_else(|| "unknown".into());
    let pid = value("MainPID=")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p != 0);
    let url = data_dir
        .as_deref()
        .and_then(crate::store::DataLock::holder)
        .and_then(|h| h.url);
    Ok(ServiceStatus {
        installed: true,
        state,
        pid,
        data_dir,
        url,
    })
}
