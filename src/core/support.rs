//! Support: what went wrong lately (warnings and errors from the log files, crash
//! records), the support bundle a vendor reads offline, and the desktop app's settings
//! for this PC. The same files the command line's `plantlog support bundle` writes.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Core, Error};
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::os;

/// Most warnings and errors the support page lists.
pub const MAX_PROBLEMS: usize = 200;

/// The support page: recent problems, crash records, where the files are.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SupportView {
    /// Newest first, at most [`MAX_PROBLEMS`].
    pub problems: Vec<LogProblem>,
    /// Crash records, newest first.
    pub crashes: Vec<Crash>,
    /// The folder of the daily log files.
    pub logs_folder: String,
    /// The folder of the crash records.
    pub crash_folder: String,
    /// Only an admin may quit the desktop app (which stops collection when the app runs
    /// the core itself).
    pub quit_admin_only: bool,
}

/// One warning or error from the log files.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LogProblem {
    /// As written in the log: an RFC 3339 UTC time.
    pub time: String,
    /// "ERROR" or "WARN".
    pub level: String,
    pub message: String,
}

/// A crash record's file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Crash {
    pub file: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes: u64,
    /// The panic's line of the record ("panic: ..."), when it can be read.
    pub panic: Option<String>,
    /// "time (UTC): ..." of the record.
    pub time: Option<String>,
}

/// The desktop app's settings for this PC.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DesktopSettings {
    pub quit_admin_only: bool,
}

/// What the desktop app's tray shows (`GET /api/desktop`, answered only to this PC):
/// the core's state, and whether the window's user may quit the app.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct DesktopTray {
    /// "collecting", "alarm" (devices that do not answer), "storage" (readings not
    /// stored, the disk nearly full, a backup failing) or "not_collecting".
    pub state: String,
    /// In a few words, for the tooltip: "3 devices", "press-1 does not answer", the
    /// system alarm's message.
    pub text: String,
    /// Only an admin may quit the desktop app.
    pub quit_admin_only: bool,
    /// The session the request carried is an admin's.
    pub admin: bool,
}

/// The tray's state from how many devices there are and which do not answer.
pub fn tray_of_devices(total: usize, silent: &[&str]) -> (&'static str, String) {
    match silent {
        [] if total == 0 => (
            "not_collecting",
            "no devices are configured yet".to_string(),
        ),
        [] => (
            "collecting",
            format!("{total} device{}", if total == 1 { "" } else { "s" }),
        ),
        [one] => ("alarm", format!("{one} does not answer")),
        [first, ..] => (
            "alarm",
            format!(
                "{} of {total} devices do not answer ({first}, ...)",
                silent.len()
            ),
        ),
    }
}

/// A support bundle written to a temporary file, for streaming to the client.
pub struct Bundle {
    /// The zip; removed when the value is dropped.
    pub file: tempfile::NamedTempFile,
    /// The name to save it as.
    pub name: String,
    pub bytes: u64,
}

impl Core {
    /// The desktop tray's state: Plantlog's own alarms first (readings not stored, disk
    /// nearly full, ...), then its devices. `role`: the window's user, if logged in.
    pub async fn desktop_tray(
        &self,
        role: Option<crate::auth::Role>,
    ) -> Result<DesktopTray, Error> {
        let quit_admin_only = self
            .db()
            .run(|c| os::desktop::quit_admin_only(c).map_err(Error::from))
            .await?;
        let (state, text) = match self.system_alarms().into_iter().next() {
            Some(alarm) => ("storage", alarm.message),
            None => {
                let plant = self.plant();
                let devices: Vec<&str> = plant
                    .config
                    .devices
                    .iter()
                    .map(|d| d.key.as_str())
                    .collect();
                let silent: Vec<&str> = devices
                    .iter()
                    .copied()
                    .filter(|k| {
                        self.device_status(k).state == crate::collector::status::LinkState::Offline
                    })
                    .collect();
                tray_of_devices(devices.len(), &silent)
            }
        };
        Ok(DesktopTray {
            state: state.to_string(),
            text,
            quit_admin_only,
            admin: role == Some(crate::auth::Role::Admin),
        })
    }

    /// The support page's facts.
    pub async fn support_view(&self) -> Result<SupportView, Error> {
        let dir = self.data_folder().to_path_buf();
        let quit_admin_only = self
            .db()
            .run(|c| os::desktop::quit_admin_only(c).map_err(Error::from))
            .await?;
        let (problems, crashes) = tokio::task::spawn_blocking(move || {
            let problems = os::logs::recent_problems(&dir, MAX_PROBLEMS)
                .into_iter()
                .map(|l| LogProblem {
                    time: l.time,
                    level: l.level,
                    message: l.message,
                })
                .collect::<Vec<_>>();
            let crashes = os::crash::list(&dir)
                .into_iter()
                .map(|p| crash(&p))
                .collect::<Vec<_>>();
            (problems, crashes)
        })
        .await
        .map_err(|e| Error::Internal(format!("reading the logs: {e}")))?;
        let dir = self.data_folder();
        Ok(SupportView {
            problems,
            crashes,
            logs_folder: os::paths::logs_dir(dir).display().to_string(),
            crash_folder: os::paths::crash_dir(dir).display().to_string(),
            quit_admin_only,
        })
    }

    /// Writes the support bundle (logs, crash records, recent problems, the
    /// configuration and settings without secrets, versions, facts about the PC) to a
    /// temporary file; audited as `support.bundle`.
    pub async fn support_bundle(&self, actor: Actor) -> Result<Bundle, Error> {
        let dir = self.data_folder().to_path_buf();
        let tmp_dir: PathBuf = std::env::temp_dir();
        let bundle = tokio::task::spawn_blocking(move || -> Result<Bundle, Error> {
            let file = tempfile::Builder::new()
                .prefix("plantlog-support-")
                .suffix(".zip")
                .tempfile_in(&tmp_dir)
                .map_err(|e| Error::Internal(format!("a temporary file for the bundle: {e}")))?;
            let summary = os::support::write_bundle(&dir, file.path(), "Plantlog web UI")
                .map_err(|e| Error::Internal(e.to_string()))?;
            Ok(Bundle {
                file,
                name: os::support::default_file_name(),
                bytes: summary.bytes,
            })
        })
        .await
        .map_err(|e| Error::Internal(format!("writing the support bundle: {e}")))??;
        let detail = format!("{} ({} bytes)", bundle.name, bundle.bytes);
        self.db()
            .run(move |c| {
                audit::record(
                    c,
                    &AuditEntry::new(&actor, "support.bundle", "support", &detail),
                )
                .map_err(Error::from)
            })
            .await?;
        Ok(bundle)
    }

    /// Sets the desktop app's settings; audited as `desktop.settings`.
    pub async fn set_desktop_settings(
        &self,
        s: DesktopSettings,
        actor: Actor,
    ) -> Result<DesktopSettings, Error> {
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                os::desktop::set_quit_admin_only(&tx, s.quit_admin_only)?;
                let detail = if s.quit_admin_only {
                    "only an admin may quit the desktop app"
                } else {
                    "any user may quit the desktop app"
                };
                audit::record(
                    &tx,
                    &AuditEntry::new(&actor, "desktop.settings", "desktop", detail),
                )?;
                tx.commit()?;
                Ok::<_, Error>(s)
            })
            .await
    }
}

fn crash(p: &std::path::Path) -> Crash {
    let text = std::fs::read_to_string(p).unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
    };
    Crash {
        file: p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
        panic: field("panic:"),
        time: field("time (UTC):"),
    }
}

#[cfg(test)]
mod tray_tests {
    use super::tray_of_devices;

    #[test]
    fn the_trays_state_from_the_devices() {
        assert_eq!(
            tray_of_devices(3, &[]),
            ("collecting", "3 devices".to_string())
        );
        assert_eq!(
            tray_of_devices(1, &[]),
            ("collecting", "1 device".to_string())
        );
        assert_eq!(
            tray_of_devices(3, &["press-1"]),
            ("alarm", "press-1 does not answer".to_string())
        );
        let (state, text) = tray_of_devices(3, &["press-1", "meter"]);
        assert_eq!(state, "alarm");
        assert!(text.contains("2 of 3 devices"), "{text}");
        assert_eq!(tray_of_devices(0, &[]).0, "not_collecting");
    }
}
