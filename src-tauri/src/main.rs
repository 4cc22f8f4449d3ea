//! Plantlog's desktop app: shows the Plantlog UI in a window, and keeps collecting in
//! the tray when the window is closed. It opens the core that already collects into
//! the data folder (the Plantlog service, or a `plantlog run`) when there is one, and
//! otherwise starts the `plantlog` program beside it, which stops when the app quits.
//! Everything the UI does goes through the core's HTTP API, as in a browser on the
//! plant LAN, and so does this shell; it only owns what only a desktop has: the window,
//! the tray, start at login, one instance, native dialogs and notifications.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod alarms;
mod backend;
mod downloads;
mod quit;
mod status;
mod tray;

use std::sync::Mutex;
use std::time::Duration;

use plantlog::os::logs::{LogOptions, Logging};
use tauri::{AppHandle, Manager, RunEvent, WebviewUrl, WebviewWindowBuilder, WindowEvent};
use tauri_plugin_autostart::{MacosLauncher, ManagerExt as _};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

use backend::{Backend, Plan};

/// The core behind the window, kept in Tauri's state so it is stopped on exit.
pub struct BackendState(pub Mutex<Option<Backend>>);

/// Started at login (the autostart entry passes it): stay in the tray.
const MINIMIZED: &str = "--minimized";

fn main() {
    // The HTTP client that talks to an attached core (its alarms, who may quit) needs a
    // TLS provider installed: without it, building the client panics.
    plantlog::auth::tls::install_client_provider();
    let minimized = std::env::args().any(|a| a == MINIMIZED);
    let explicit = std::env::var_os("PLANTLOG_DATA_DIR").map(Into::into);
    let candidates = backend::candidates(
        explicit,
        plantlog::os::paths::service_data_dir(),
        plantlog::store::default_data_dir(),
    );
    // Logs go to the folder whose core this app may start; an attached core logs itself.
    let log_dir = candidates.last().cloned();
    let logging = plantlog::os::logs::init(LogOptions {
        data_dir: log_dir.clone(),
        stderr: cfg!(debug_assertions),
    })
    .ok();
    if let (Some(dir), Some(Logging { tail, .. })) = (&log_dir, &logging) {
        plantlog::os::crash::install_panic_hook(dir, "Plantlog desktop", tail.clone());
    }

    let app = tauri::Builder::default()
        // First, so a second start hands over before anything else happens.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            tracing::info!("a second start: showing the first window");
            show_main_window(app);
        }))
        .plugin(tauri_plugin_autostart::init(
            MacosLauncher::LaunchAgent,
            Some(vec![MINIMIZED]),
        ))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(BackendState(Mutex::new(None)))
        .manage(tray::Notifications::default())
        .manage(tray::Shown::default())
        .on_window_event(|window, event| {
            // Closing the window keeps Plantlog collecting, in the tray.
            if let WindowEvent::CloseRequested { api, .. } = event
                && window.label() == "main"
            {
                api.prevent_close();
                let _ = window.hide();
                tracing::info!("window closed; Plantlog keeps running in the tray");
            }
        })
        .setup(move |app| {
            let handle = app.handle().clone();
            let backend = match open_backend(&candidates) {
                Ok(b) => b,
                Err(message) => {
                    // Not blocking_show: setup runs on the main thread, which the
                    // dialog needs. The app exits when the dialog is closed.
                    tracing::error!("{message}");
                    app.dialog()
                        .message(message)
                        .title("Plantlog cannot start")
                        .kind(MessageDialogKind::Error)
                        .show(|_| std::process::exit(1));
                    return Ok(());
                }
            };
            // The window's address may carry the one-time setup code: not for the log.
            let url = backend.window_url();
            tracing::info!(
                "desktop: {} {} (data folder {})",
                match backend {
                    Backend::Own { .. } => "started its own core at",
                    Backend::Attached { .. } => "attached to the core at",
                },
                backend.url(),
                backend.data_dir().display()
            );
            *app.state::<BackendState>()
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(backend);
            first_run_autostart(&handle);
            WebviewWindowBuilder::new(
                app,
                "main",
                WebviewUrl::External(url.parse().expect("the core's URL is a valid URL")),
            )
            .title("Plantlog")
            .inner_size(1280.0, 800.0)
            .min_inner_size(800.0, 560.0)
            .visible(!minimized)
            .on_download(downloads::on_download)
            .build()?;
            tray::build(&handle)?;
            tray::watch(handle.clone());
            alarms::watch(handle);
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("the Tauri application builds");

    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            let backend = handle
                .state::<BackendState>()
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            if let Some(Backend::Own { mut core, .. }) = backend {
                tracing::info!("stopping the core");
                core.stop(Duration::from_secs(60));
            }
        }
    });
}

/// Attaches to a core that collects into one of the folders, or starts one.
fn open_backend(candidates: &[std::path::PathBuf]) -> Result<Backend, String> {
    match backend::plan_waiting(candidates, Duration::from_secs(15)) {
        Plan::Attach { url, data_dir } => Ok(Backend::Attached { url, data_dir }),
        Plan::Busy { data_dir, holder } => Err(format!(
            "Another Plantlog is collecting into {} ({holder}) but does not say where its \
             web UI is. Stop it, or open its address in a browser.",
            data_dir.display()
        )),
        Plan::Start { data_dir } => {
            plantlog::os::paths::check_data_dir(&data_dir).map_err(|e| e.to_string())?;
            let program = backend::core_program()?;
            match backend::start_own(&program, &data_dir, Duration::from_secs(90)) {
                Ok(b) => Ok(b),
                // Another process took the folder meanwhile: open its UI instead.
                Err(e) => match backend::plan(candidates) {
                    Plan::Attach { url, data_dir } => Ok(Backend::Attached { url, data_dir }),
                    _ => Err(e),
                },
            }
        }
    }
}

/// On the first start, Plantlog starts at login (switched in the tray menu).
fn first_run_autostart(app: &AppHandle) {
    let Ok(dir) = app.path().app_config_dir() else {
        return;
    };
    let marker = dir.join("autostart-chosen");
    if marker.exists() || std::env::var_os("PLANTLOG_NO_AUTOSTART").is_some() {
        return;
    }
    match app.autolaunch().enable() {
        Ok(()) => tracing::info!("Plantlog starts at login (tray menu: Start at login)"),
        Err(e) => tracing::warn!("cannot set up start at login: {e}"),
    }
    let _ = std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&marker, b"1"));
}

/// Shows, restores and focuses the main window.
pub fn show_main_window(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}
