//! The tray icon: its colour and tooltip follow the state (collecting, alarm, storage
//! problem, not collecting), checked every two seconds; its menu opens the window,
//! pauses notifications, switches start at login, and quits after a confirmation that
//! says collection stops (refused to other roles than admin when the admin set so).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager};
use tauri_plugin_autostart::ManagerExt as _;
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
use tauri_plugin_notification::NotificationExt as _;

use crate::backend::Backend;
use crate::status::{self, State};
use crate::{BackendState, show_main_window};

const TRAY_ID: &str = "plantlog";
const ICON_PNG: &[u8] = include_bytes!("../../icons/32x32.png");

/// Whether OS notifications are paused (the menu's check item).
#[derive(Default)]
pub struct Notifications {
    pub paused: AtomicBool,
}

/// The state shown now, to notice changes.
#[derive(Default)]
pub struct Shown(Mutex<Option<State>>);

/// The icon for a state: the app icon with a coloured dot.
pub fn icon_for(state: &State) -> Image<'static> {
    let base = Image::from_bytes(ICON_PNG).expect("icons/32x32.png is a valid PNG");
    let (w, h) = (base.width(), base.height());
    let mut rgba = base.rgba().to_vec();
    status::paint_dot(&mut rgba, w.min(h), state.colour());
    Image::new_owned(rgba, w, h)
}

pub fn build(app: &AppHandle) -> tauri::Result<TrayIcon> {
    let autostart = app.autolaunch().is_enabled().unwrap_or(false);
    let menu = Menu::with_items(
        app,
        &[
            &MenuItem::with_id(app, "open", "Open Plantlog", true, None::<&str>)?,
            &PredefinedMenuItem::separator(app)?,
            &CheckMenuItem::with_id(
                app,
                "pause",
                "Pause notifications",
                true,
                false,
                None::<&str>,
            )?,
            &CheckMenuItem::with_id(
                app,
                "autostart",
                "Start at login",
                true,
                autostart,
                None::<&str>,
            )?,
            &PredefinedMenuItem::separator(app)?,
            &MenuItem::with_id(app, "quit", "Quit Plantlog...", true, None::<&str>)?,
        ],
    )?;
    let first = State::NotCollecting("starting".into());
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon_for(&first))
        .tooltip(first.tooltip())
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(on_menu)
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                show_main_window(tray.app_handle());
            }
        })
        .build(app)
}

fn on_menu(app: &AppHandle, event: MenuEvent) {
    match event.id().as_ref() {
        "open" => show_main_window(app),
        "pause" => {
            let n = app.state::<Notifications>();
            let was = n.paused.fetch_xor(true, Ordering::SeqCst);
            tracing::info!("notifications {}", if was { "resumed" } else { "paused" });
        }
        "autostart" => {
            let al = app.autolaunch();
            let result = if al.is_enabled().unwrap_or(false) {
                al.disable()
            } else {
                al.enable()
            };
            if let Err(e) = result {
                tracing::warn!("cannot change start at login: {e}");
            }
        }
        // Reading the window's cookies must not block the main thread (WebView2).
        "quit" => {
            let app = app.clone();
            std::thread::spawn(move || ask_to_quit(&app));
        }
        _ => {}
    }
}

/// Who may quit, and what quitting means, then a confirmation.
fn ask_to_quit(app: &AppHandle) {
    let (own, url) = {
        let b = app.state::<BackendState>();
        let guard = b.0.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_ref() {
            Some(b @ Backend::Own { .. }) => (true, b.url()),
            Some(b @ Backend::Attached { .. }) => (false, b.url()),
            None => (false, String::new()),
        }
    };
    let text = if own {
        let token = crate::status::session_token(app, &url);
        let tray = tauri::async_runtime::block_on(status::fetch(&url, token.as_deref()));
        if let Err(refusal) = crate::quit::may_quit(tray.as_ref()) {
            show_main_window(app);
            app.dialog()
                .message(refusal)
                .title("Plantlog keeps running")
                .kind(MessageDialogKind::Warning)
                .show(|_| {});
            return;
        }
        "Quit Plantlog?\n\nCollection stops: no readings are stored until Plantlog is started again. To keep collecting, close the window instead; Plantlog stays in the tray."
    } else {
        "Quit the Plantlog window?\n\nThe Plantlog service keeps collecting; open Plantlog again at any time."
    };
    let handle = app.clone();
    app.dialog()
        .message(text)
        .title("Quit Plantlog")
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(
            "Quit".into(),
            "Keep running".into(),
        ))
        .show(move |quit| {
            if quit {
                tracing::info!("quit from the tray menu");
                handle.exit(0);
            }
        });
}

/// Follows the state every two seconds: icon, tooltip, and a notification when it turns
/// to a problem (unless paused).
pub fn watch(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            let state = current(&app).await;
            // (changed, whether a state was shown before: the first is not news)
            let (changed, before) = {
                let shown = app.state::<Shown>();
                let mut shown = shown.0.lock().unwrap_or_else(|e| e.into_inner());
                let changed = shown.as_ref() != Some(&state);
                let before = shown.is_some();
                *shown = Some(state.clone());
                (changed, before)
            };
            if changed {
                tracing::info!("{}", state.tooltip());
                if let Some(tray) = app.tray_by_id(TRAY_ID) {
                    let _ = tray.set_icon(Some(icon_for(&state)));
                    let _ = tray.set_tooltip(Some(state.tooltip()));
                }
                let paused = app.state::<Notifications>().paused.load(Ordering::SeqCst);
                if state.is_problem() && before && !paused {
                    let _ = app
                        .notification()
                        .builder()
                        .title("Plantlog")
                        .body(state.tooltip())
                        .show();
                }
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });
}

async fn current(app: &AppHandle) -> State {
    let url = {
        let b = app.state::<BackendState>();
        let guard = b.0.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_ref() {
            Some(b) => b.url(),
            None => return State::NotCollecting("starting".into()),
        }
    };
    match status::fetch(&url, None).await {
        Some(tray) => State::of_tray(&tray),
        None => State::silent(),
    }
}
