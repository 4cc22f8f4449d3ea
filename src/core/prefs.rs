//! Each user's language and theme, and the plant's default language: the core's side of
//! `auth::prefs`. Every user changes their own; only the admin changes the plant's
//! default (audited as `settings.language`).

use serde::{Deserialize, Serialize};

use super::{Core, Error};
use crate::auth::User;
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::auth::prefs::{self, Preferences};

/// A user's choices with what they fall back to.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreferencesView {
    /// Their own choice; null: the plant's default.
    pub language: Option<String>,
    /// Their own choice (light, dark); null: the system's setting.
    pub theme: Option<String>,
    /// The plant's default language, set by the admin.
    pub plant_language: String,
    /// The languages Plantlog ships.
    pub languages: Vec<String>,
}

/// A change of one's own choices: a field left out stays as it is, a null goes back to
/// the default (the plant's language, the system's theme).
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreferencesChange {
    #[serde(default, deserialize_with = "some")]
    #[cfg_attr(test, ts(optional, type = "string | null"))]
    pub language: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[cfg_attr(test, ts(optional, type = "string | null"))]
    pub theme: Option<Option<String>>,
}

/// A field that is present (null or not) is `Some`, so a null can be told from absent.
fn some<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The plant's default language, as the admin sets it.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PlantLanguage {
    pub language: String,
}

impl Core {
    /// `user`'s choices and the plant's default.
    pub async fn preferences(&self, user: &User) -> Result<PreferencesView, Error> {
        let id = user.id;
        self.db()
            .run(move |c| {
                let p = prefs::load(c, id)?;
                Ok::<_, Error>(PreferencesView {
                    language: p.language,
                    theme: p.theme,
                    plant_language: prefs::default_language(c)?,
                    languages: prefs::LANGUAGES.iter().map(|l| l.to_string()).collect(),
                })
            })
            .await
    }

    /// Changes `user`'s own choices (what the change leaves out stays).
    pub async fn change_preferences(
        &self,
        user: &User,
        change: PreferencesChange,
    ) -> Result<PreferencesView, Error> {
        let id = user.id;
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let old = prefs::load(&tx, id)?;
                let new = Preferences {
                    language: change.language.unwrap_or(old.language),
                    theme: change.theme.unwrap_or(old.theme),
                };
                prefs::store(&tx, id, &new)?;
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await?;
        self.preferences(user).await
    }

    /// The plant's default language.
    pub async fn plant_language(&self) -> Result<String, Error> {
        self.db()
            .run(|c| prefs::default_language(c).map_err(Error::from))
            .await
    }

    /// Sets the plant's default language; audited as `settings.language`.
    pub async fn set_plant_language(
        &self,
        language: String,
        actor: Actor,
    ) -> Result<PlantLanguage, Error> {
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let old = prefs::default_language(&tx)?;
                prefs::set_default_language(&tx, &language)?;
                if old != language {
                    audit::record(
                        &tx,
                        &AuditEntry::new(
                            &actor,
                            "settings.language",
                            "plant",
                            &format!("default language {old} -> {language}"),
                        ),
                    )?;
                }
                tx.commit()?;
                Ok::<_, Error>(PlantLanguage { language })
            })
            .await
    }
}
