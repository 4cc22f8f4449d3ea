//! Who may quit the app that runs the core, and whether an attached core answers.
//! The logged-in user is the window's session: its cookie, looked up in the core's
//! sessions as the API would.

use std::sync::Arc;
use std::time::Duration;

use plantlog::auth::Role;
use plantlog::core::Core;
use tauri::{AppHandle, Manager};

/// `Ok` when quitting is allowed; otherwise the sentence that says why not.
pub fn may_quit(app: &AppHandle, core: &Arc<Core>, url: &str) -> Result<(), String> {
    let admin_only = core
        .db()
        .sql(|c| plantlog::os::desktop::quit_admin_only(c))
        .unwrap_or(false);
    if !admin_only {
        return Ok(());
    }
    let token = app.get_webview_window("main").and_then(|w| {
        let url = url.parse().ok()?;
        w.cookies_for_url(url)
            .ok()?
            .into_iter()
            .find(|c| c.name() == plantlog::auth::sessions::COOKIE)
            .map(|c| c.value().to_string())
    });
    let role = token.and_then(|t| {
        core.db()
            .sql(|c| plantlog::auth::sessions::lookup(c, &t, false))
            .ok()
            .and_then(Result::ok)
            .map(|u| u.role)
    });
    match role {
        Some(Role::Admin) => Ok(()),
        _ => Err(
            "Only an admin may quit Plantlog on this PC, because quitting stops collection. \
                  Log in as an admin in the Plantlog window and choose Quit again. \
                  Closing the window keeps Plantlog collecting."
                .into(),
        ),
    }
}

/// Whether the core at `url` answers its health check within two seconds.
pub async fn answers(url: &str) -> bool {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .no_proxy()
        .build()
    {
        Ok(c) => c,
        Err(_) => return false,
    };
    match client.get(format!("{url}api/health")).send().await {
        Ok(r) => r.status().is_success(),
        Err(_) => false,
    }
}
