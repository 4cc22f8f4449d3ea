//! OS notifications of new alarms for the person logged in in the window: every three
//! seconds the alarms their login receives (the banner's list: the core's
//! `GET /api/alarms` with the window's session), and a
//! notification for each that turned active and unacknowledged
//! (`plantlog::alerts::desktop` decides which). Nobody logged in: nothing is shown. The
//! tray's "Pause notifications" pauses these too.

use std::sync::atomic::Ordering;
use std::time::Duration;

use plantlog::alerts::desktop::{Names, Seen};
use plantlog::alerts::store::AlarmView;
use plantlog::auth::sessions;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt as _;

use crate::BackendState;
use crate::status::session_token;
use crate::tray::Notifications;

/// The URL of the core the window shows.
fn core_url(app: &AppHandle) -> Option<String> {
    let b = app.state::<BackendState>();
    let guard = b.0.lock().unwrap_or_else(|e| e.into_inner());
    guard.as_ref().map(|b| b.url())
}

/// (user id, the alarms the user receives, their machines' names), or None when nobody
/// is logged in or the core does not answer.
async fn alarms(app: &AppHandle) -> Option<(i64, Vec<AlarmView>, Names)> {
    let url = core_url(app)?;
    let token = session_token(app, &url)?;
    let client = crate::status::http()?;
    let cookie = format!("{}={token}", sessions::COOKIE);
    // The body of `GET {url}api/{path}` with the window's session, or None.
    let get = |path: &'static str| {
        let request = client
            .get(format!("{url}api/{path}"))
            .header("cookie", &cookie)
            .timeout(Duration::from_secs(5));
        async move {
            let answer = request.send().await.ok()?;
            if !answer.status().is_success() {
                return None;
            }
            answer.bytes().await.ok()
        }
    };
    let id = plantlog::alerts::desktop::user_id(&get("me").await?)?;
    let (list, names) = plantlog::alerts::desktop::parse_list(&get("alarms").await?).ok()?;
    Some((id, list, names))
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
