//! Plantlog's desktop app: starts the Plantlog core in this process and shows its web
//! UI in a window. Everything the UI does goes through the core's HTTP API, as in a
//! browser on the plant LAN; this shell only owns what only a desktop has (the window,
//! native dialogs).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::net::SocketAddr;

use plantlog::app::{self, DEFAULT_PORT, Listen, Running};
use plantlog::store::default_data_dir;
use tauri::{Manager, RunEvent, WebviewUrl, WebviewWindowBuilder};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

/// The running core, kept in Tauri's state so it is stopped on exit.
struct Core(std::sync::Mutex<Option<Running>>);

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "plantlog=info,warn".into()),
        )
        .init();

    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let data_dir = std::env::var_os("PLANTLOG_DATA_DIR")
                .map(Into::into)
                .unwrap_or_else(default_data_dir);
            let started = tauri::async_runtime::block_on(app::start(app::Options {
                data_dir,
                listen: Listen::Addr {
                    addr: SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)),
                    fallback: true,
                },
                what: "Plantlog desktop".to_string(),
            }));
            let running = match started {
                Ok(r) => r,
                Err(e) => {
                    app.dialog()
                        .message(e.to_string())
                        .title("Plantlog cannot start")
                        .kind(MessageDialogKind::Error)
                        .blocking_show();
                    std::process::exit(1);
                }
            };
            let url = running
                .url()
                .parse()
                .expect("the core's URL is a valid URL");
            WebviewWindowBuilder::new(app, "main", WebviewUrl::External(url))
                .title("Plantlog")
                .inner_size(1280.0, 800.0)
                .min_inner_size(800.0, 560.0)
                .build()?;
            app.manage(Core(std::sync::Mutex::new(Some(running))));
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("the Tauri application builds");

    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            let running = handle
                .state::<Core>()
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            if let Some(running) = running {
                tauri::async_runtime::block_on(running.shutdown());
            }
        }
    });
}
