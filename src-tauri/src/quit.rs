//! Who may quit the app that started the core: the admin's setting and the role of the
//! user logged in in the window, as the core's `GET /api/desktop` says them for the
//! window's session.

use plantlog::core::support::DesktopTray;

/// `Ok` when quitting is allowed; otherwise the sentence that says why not. A core that
/// does not answer cannot stop collecting by the quit: it may be quit.
pub fn may_quit(tray: Option<&DesktopTray>) -> Result<(), String> {
    match tray {
        Some(t) if t.quit_admin_only && !t.admin => Err(
            "Only an admin may quit Plantlog on this PC, because quitting stops collection. \
             Log in as an admin in the Plantlog window and choose Quit again. \
             Closing the window keeps Plantlog collecting."
                .into(),
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_admin_may_quit_when_the_admin_set_so() {
        let tray = |quit_admin_only, admin| DesktopTray {
            state: "collecting".into(),
            text: String::new(),
            quit_admin_only,
            admin,
        };
        assert!(may_quit(Some(&tray(false, false))).is_ok());
        assert!(may_quit(Some(&tray(true, true))).is_ok());
        assert!(
            may_quit(Some(&tray(true, false)))
                .unwrap_err()
                .contains("Only an admin")
        );
        assert!(may_quit(None).is_ok());
    }
}
