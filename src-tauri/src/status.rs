//! The state the tray shows: collecting, a device alarm, a storage problem, or not
//! collecting; read from the core's `GET /api/desktop` (answered only on this PC), the
//! same for a core this app started and for the Plantlog service. Also paints the tray
//! icon's coloured dot.

use std::time::Duration;

use plantlog::core::support::DesktopTray;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Collecting(String),
    /// Devices that do not answer (the alarm engine's alarms join here later).
    Alarm(String),
    /// Readings are not stored, or the disk is nearly full.
    Storage(String),
    NotCollecting(String),
}

impl State {
    /// The tooltip: "Plantlog: ..." in a sentence.
    pub fn tooltip(&self) -> String {
        match self {
            State::Collecting(s) => format!("Plantlog: collecting ({s})"),
            State::Alarm(s) => format!("Plantlog: alarm: {s}"),
            State::Storage(s) => format!("Plantlog: storage problem: {s}"),
            State::NotCollecting(s) => format!("Plantlog: not collecting: {s}"),
        }
    }

    /// The dot's colour, RGB.
    pub fn colour(&self) -> [u8; 3] {
        match self {
            State::Collecting(_) => [0x2e, 0x9d, 0x4a],
            State::Alarm(_) => [0xd9, 0x30, 0x25],
            State::Storage(_) => [0xef, 0x8a, 0x00],
            State::NotCollecting(_) => [0x80, 0x80, 0x80],
        }
    }

    /// Worth an OS notification when the state turns to it.
    pub fn is_problem(&self) -> bool {
        !matches!(self, State::Collecting(_))
    }
}

impl State {
    /// The state a core's tray answer names.
    pub fn of_tray(tray: &DesktopTray) -> State {
        let text = tray.text.clone();
        match tray.state.as_str() {
            "collecting" => State::Collecting(text),
            "alarm" => State::Alarm(text),
            "storage" => State::Storage(text),
            _ => State::NotCollecting(text),
        }
    }

    /// A core that does not answer.
    pub fn silent() -> State {
        State::NotCollecting("the Plantlog that was collecting does not answer".into())
    }
}

/// The window's session token for `url` (the cookie is HttpOnly; the webview's cookie
/// store gives it to the app). Not on the main thread: WebView2 would block.
pub fn session_token(app: &tauri::AppHandle, url: &str) -> Option<String> {
    use tauri::Manager;
    let window = app.get_webview_window("main")?;
    let cookies = window.cookies_for_url(url.parse().ok()?).ok()?;
    cookies
        .into_iter()
        .find(|c| c.name().ends_with(plantlog::auth::sessions::COOKIE))
        .map(|c| c.value().to_string())
}

/// The one HTTP client of the shell's own calls to the core (the tray every 2 s, the
/// alarms every 3 s): built once, its connections kept; no proxy (the core is on this
/// PC). None when it cannot be built (no TLS provider).
pub fn http() -> Option<&'static reqwest::Client> {
    static CLIENT: std::sync::OnceLock<Option<reqwest::Client>> = std::sync::OnceLock::new();
    CLIENT
        .get_or_init(|| reqwest::Client::builder().no_proxy().build().ok())
        .as_ref()
}

/// The core's tray answer at `url`, with the window's session (`token`) when someone is
/// logged in there; None when the core does not answer within two seconds.
pub async fn fetch(url: &str, token: Option<&str>) -> Option<DesktopTray> {
    let mut request = http()?
        .get(format!("{url}api/desktop"))
        .timeout(Duration::from_secs(2));
    if let Some(t) = token {
        request = request.header(
            "cookie",
            format!("{}={t}", plantlog::auth::sessions::COOKIE),
        );
    }
    let answer = request.send().await.ok()?;
    if !answer.status().is_success() {
        return None;
    }
    serde_json::from_slice(&answer.bytes().await.ok()?).ok()
}

/// `rgba` (a square icon) with a filled dot of `colour` in its lower right quarter,
/// ringed in white so it shows on dark and light task bars.
pub fn paint_dot(rgba: &mut [u8], size: u32, colour: [u8; 3]) {
    let s = size as f32;
    let r = s * 0.22;
    let (cx, cy) = (s - r - 0.5, s - r - 0.5);
    for y in 0..size {
        for x in 0..size {
            let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt();
            let px = ((y * size + x) * 4) as usize;
            if d <= r {
                rgba[px..px + 3].copy_from_slice(&colour);
                rgba[px + 3] = 255;
            } else if d <= r + s * 0.06 {
                rgba[px..px + 4].copy_from_slice(&[255, 255, 255, 255]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cores_answer_names_the_state() {
        let tray = |state: &str, text: &str| DesktopTray {
            state: state.into(),
            text: text.into(),
            quit_admin_only: false,
            admin: false,
        };
        assert_eq!(
            State::of_tray(&tray("collecting", "3 devices")).tooltip(),
            "Plantlog: collecting (3 devices)"
        );
        let alarm = State::of_tray(&tray("alarm", "press-1 does not answer"));
        assert_eq!(alarm.tooltip(), "Plantlog: alarm: press-1 does not answer");
        assert!(alarm.is_problem());
        assert!(State::of_tray(&tray("storage", "disk nearly full")).is_problem());
        assert!(!State::of_tray(&tray("collecting", "1 device")).is_problem());
        assert_ne!(
            State::silent().colour(),
            State::of_tray(&tray("collecting", "")).colour()
        );
    }

    #[test]
    fn the_dot_is_painted_in_the_corner_only() {
        let size = 32;
        let mut rgba = vec![0u8; (size * size * 4) as usize];
        paint_dot(&mut rgba, size, [1, 2, 3]);
        let at = |x: u32, y: u32| {
            let p = ((y * size + x) * 4) as usize;
            [rgba[p], rgba[p + 1], rgba[p + 2], rgba[p + 3]]
        };
        assert_eq!(at(24, 24), [1, 2, 3, 255]);
        assert_eq!(at(2, 2), [0, 0, 0, 0]);
    }
}
