//! Each user's own choices of how Plantlog looks to them (language, theme), and the
//! plant's default language that the admin sets. Stored in `user_preferences` (one row
//! per user who chose something) and `settings` (`default_language`). This module only
//! reads and writes them; who may change what is the API's access table.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// The languages the UI ships, by their BCP 47 tag: English, German, Spanish,
/// Simplified Chinese. The UI's catalogues (ui/src/i18n) have exactly these.
pub const LANGUAGES: &[&str] = &["en", "de", "es", "zh"];

/// The plant's language until the admin chooses one.
pub const DEFAULT_LANGUAGE: &str = "en";

/// The themes a user can choose; none chosen follows the system's setting.
pub const THEMES: &[&str] = &["light", "dark"];

const SETTING: &str = "default_language";

/// One user's stored choices; `None` is "not chosen": the plant's language, the
/// system's theme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Preferences {
    pub language: Option<String>,
    pub theme: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PrefsError {
    #[error("Plantlog has no language \"{0}\"; choose one of en, de, es, zh")]
    UnknownLanguage(String),
    #[error("Plantlog has no theme \"{0}\"; choose light or dark, or none to follow the system")]
    UnknownTheme(String),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// `lang` when Plantlog ships it.
pub fn check_language(lang: &str) -> Result<(), PrefsError> {
    if LANGUAGES.contains(&lang) {
        Ok(())
    } else {
        Err(PrefsError::UnknownLanguage(lang.chars().take(40).collect()))
    }
}

fn check_theme(theme: &str) -> Result<(), PrefsError> {
    if THEMES.contains(&theme) {
        Ok(())
    } else {
        Err(PrefsError::UnknownTheme(theme.chars().take(40).collect()))
    }
}

/// The plant's default language (English until the admin chooses; a stored value this
/// build does not ship reads as English).
pub fn default_language(conn: &Connection) -> rusqlite::Result<String> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [SETTING],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.filter(|l| LANGUAGES.contains(&l.as_str()))
        .unwrap_or_else(|| DEFAULT_LANGUAGE.to_string()))
}

/// Sets the plant's default language.
pub fn set_default_language(conn: &Connection, lang: &str) -> Result<(), PrefsError> {
    check_language(lang)?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (SETTING, lang),
    )?;
    Ok(())
}

/// What `user_id` chose (nothing chosen: both `None`). Values this build does not know
/// read as not chosen.
pub fn load(conn: &Connection, user_id: i64) -> rusqlite::Result<Preferences> {
    let row: Option<(Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT language, theme FROM user_preferences WHERE user_id = ?1",
            [user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (language, theme) = row.unwrap_or((None, None));
    Ok(Preferences {
        language: language.filter(|l| LANGUAGES.contains(&l.as_str())),
        theme: theme.filter(|t| THEMES.contains(&t.as_str())),
    })
}

/// Stores `user_id`'s choices (both fields as given: `None` goes back to the plant's
/// language or the system's theme).
pub fn store(conn: &Connection, user_id: i64, p: &Preferences) -> Result<(), PrefsError> {
    if let Some(l) = &p.language {
        check_language(l)?;
    }
    if let Some(t) = &p.theme {
        check_theme(t)?;
    }
    conn.execute(
        "INSERT INTO user_preferences (user_id, language, theme, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (user_id) DO UPDATE SET language = excluded.language,
             theme = excluded.theme, updated_at = excluded.updated_at",
        (user_id, &p.language, &p.theme, crate::sample::now_ms()),
    )?;
    Ok(())
}

/// The language `user_id` sees: their own choice, else the plant's.
pub fn language_of(conn: &Connection, user_id: i64) -> rusqlite::Result<String> {
    match load(conn, user_id)?.language {
        Some(l) => Ok(l),
        None => default_language(conn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations().to_latest(&mut c).unwrap();
        c.execute(
            "INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at)
             VALUES (7, 'ana', 'Ana', 'operator', 'x', 0, 0)",
            [],
        )
        .unwrap();
        c
    }

    #[test]
    fn a_choice_is_kept_and_none_falls_back_to_the_plant() {
        let c = db();
        assert_eq!(load(&c, 7).unwrap(), Preferences::default());
        assert_eq!(language_of(&c, 7).unwrap(), "en");
        set_default_language(&c, "de").unwrap();
        assert_eq!(language_of(&c, 7).unwrap(), "de");
        let p = Preferences {
            language: Some("zh".into()),
            theme: Some("dark".into()),
        };
        store(&c, 7, &p).unwrap();
        assert_eq!(load(&c, 7).unwrap(), p);
        assert_eq!(language_of(&c, 7).unwrap(), "zh");
        store(&c, 7, &Preferences::default()).unwrap();
        assert_eq!(language_of(&c, 7).unwrap(), "de");
    }

    #[test]
    fn unknown_languages_and_themes_are_refused() {
        let c = db();
        let bad = Preferences {
            language: Some("fr".into()),
            theme: None,
        };
        assert!(matches!(
            store(&c, 7, &bad),
            Err(PrefsError::UnknownLanguage(l)) if l == "fr"
        ));
        let bad = Preferences {
            language: None,
            theme: Some("pink".into()),
        };
        assert!(matches!(
            store(&c, 7, &bad),
            Err(PrefsError::UnknownTheme(_))
        ));
        assert!(set_default_language(&c, "xx").is_err());
        assert_eq!(default_language(&c).unwrap(), "en");
    }
}
