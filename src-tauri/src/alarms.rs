//! OS notifications of new alarms for the person logged in in the window: every three
//! seconds the alarms their login receives (the banner's list, from the in-process core,
//! or from an attached core's `GET /api/alarms` with the window's session), and a
//! notification for each that turned active and unacknowledged
//! (`plantlog::alerts::desktop` decides which). Nobody logged in: nothing is shown. The
//! tray's "Pause notifications" pauses these too.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use plantlog::alerts::desktop::{Names, Seen};
use plantlog::alerts::store::AlarmView;
use plantlog::auth::sessions;
use plantlog::core::Core;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt as _;

use crate::BackendState;
use crate::backend::Backend;
use crate::tray::Notifications;

/// The core and URL the window shows.
enum Source {
    Own(Arc<Core>, String),
    Attached(String),
}

fn source(app: &AppHandle) -> Option<Source> {
    let b = app.state::<BackendState>();
    let guard = b.0.lock().unwrap_or_else(|e| e.into_inner());
    match guard.as_ref()? {
        Backend::Own(r) => Some(Source::Own(r.core.clone(), r.url())),
        Backend::Attached { url, .. } => Some(Source::Attached(url.clone())),
    }
}

/// The window's session token for `url` (the cookie is HttpOnly; the webview's cookie
/// store gives it to the app, as for the quit check).
fn session_token(app: &AppHandle, url: &str) -> Option<String> {
    let window = app.get_webview_window("main")?;
    let cookies = window.cookies_for_url(url.parse().ok()?).ok()?;
    cookies
        .into_iter()
        .find(|c| c.name().ends_with(sessions::COOKIE))
        .map(|c| c.value().to_string())
}

/// (user id, the alarms the user receives, their machines' names), or None when nobody
/// is logged in or the core does not answer.
async fn alarms(app: &AppHandle) -> Option<(i64, Vec<AlarmView>, Names)> {
    match source(app)? {
        Source::Own(core, url) => {
            let token = session_token(app, &url)?;
            let user = core
                .db()
                .sql(|c| sessions::lookup(c, &token, false))
                .ok()?
                .ok()?;
            let view = core.alarms(&user).await.ok()?;
            Some((user.id, view.alarms, view.machine_names))
        }
        Source::Attached(url) => {
            let token = session_token(app, &url)?;
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .no_proxy()
                .build()
                .ok()?;
            let cookie = format!("{}={token}", sessions::COOKIE);
            let me = client
                .get(format!("{url}api/me"))
                .header("cookie", &cookie)
                .send()
                .await
                .ok()?;
            if !me.status().is_success() {
                return None;
            }
            let id = plantlog::alerts::desktop::user_id(&me.bytes().await.ok()?)?;
            let answer = client
                .get(format!("{url}api/alarms"))
                .header("cookie", &cookie)
                .send()
                .await
                .ok()?;
            if !answer.status().is_success() {
                return None;
            }
            let (list, names) =
                plantlog::alerts::desktop::parse_list(&answer.bytes().await.ok()?).ok()?;
            Some((id, list, names))
        }
    }
}

/// Looks every three seconds and notifies what is new.
pub fn watch(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut seen = Seen::default();
        loop {
            tokio::time::sleep(Duration::from_secs(3)).await;
            let Some((user, list, names)) = alarms(&app).await else {
                seen.forget();
                continue;
            };
            let notes = seen.news(user, &list, &names, plantlog::sample::now_ms());
            if app.state::<Notifications>().paused.load(Ordering::SeqCst) {
                continue;
            }
            for note in notes {
                tracing::info!("alarm notification: {}: {}", note.title, note.body);
                let _ = app
                    .notification()
                    .builder()
                    .title(&note.title)
                    .body(&note.body)
                    .show();
            }
        }
    });
}
