//! Settings of the desktop app that the admin sets for the PC, kept in the database's
//! `settings` table: whether only an admin may quit the desktop app (quitting stops
//! collection when the app runs the core itself).

use rusqlite::{Connection, OptionalExtension};

/// The settings key: "true" when only an admin may quit.
pub const QUIT_ADMIN_ONLY: &str = "desktop.quit_admin_only";

/// Whether only an admin may quit the desktop app (off unless the admin set it).
pub fn quit_admin_only(conn: &Connection) -> rusqlite::Result<bool> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [QUIT_ADMIN_ONLY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.as_deref() == Some("true"))
}

pub fn set_quit_admin_only(conn: &Connection, on: bool) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
        (QUIT_ADMIN_ONLY, if on { "true" } else { "false" }),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_until_set() {
        let c = crate::store::memory();
        assert!(!quit_admin_only(&c).unwrap());
        set_quit_admin_only(&c, true).unwrap();
        assert!(quit_admin_only(&c).unwrap());
        set_quit_admin_only(&c, false).unwrap();
        assert!(!quit_admin_only(&c).unwrap());
    }
}
