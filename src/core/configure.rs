//! The plant configuration through the running core: checked, imported as a new
//! version (refused when based on an older one), and switched to at once.

use serde::Serialize;

use super::{Core, Error};
use crate::auth::audit::Actor;
use crate::config::{self, Base, ImportOutcome, PlantConfig, VersionInfo};

/// What a valid configuration holds.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConfigSummary {
    pub machines: usize,
    pub buses: usize,
    pub devices: usize,
    pub tags: usize,
}

impl ConfigSummary {
    pub fn of(cfg: &PlantConfig) -> ConfigSummary {
        ConfigSummary {
            machines: cfg.machines.len(),
            buses: cfg.buses.len(),
            devices: cfg.devices.len(),
            tags: cfg.devices.iter().map(|d| d.tags.len()).sum(),
        }
    }
}

/// Checks a configuration (TOML text) without importing it: every mistake with its
/// place, or a summary of what it holds.
pub fn check_config(text: &str) -> Result<ConfigSummary, Error> {
    Ok(ConfigSummary::of(&config::parse(text)?))
}

/// Checks a configuration given as TOML text and stores it as a new version, with its
/// audit record. The one import path of the API and the command line.
pub fn import_text(
    conn: &mut rusqlite::Connection,
    text: &str,
    base: Base,
    actor: &Actor,
) -> Result<ImportOutcome, Error> {
    let parsed = config::parse(text)?;
    Ok(config::import(conn, &parsed, text, base, actor)?)
}

impl Core {
    /// The running configuration as TOML text.
    pub fn config_text(&self) -> String {
        config::export(&self.plant().config)
    }

    /// Imports a configuration given as TOML text: checked whole, stored as a new
    /// version with its audit record, and running within the call.
    pub async fn import_config(
        &self,
        text: String,
        base: Base,
        actor: Actor,
    ) -> Result<ImportOutcome, Error> {
        let outcome = self
            .db()
            .run(move |c| import_text(c, &text, base, &actor))
            .await?;
        if outcome.changed {
            self.reload().await?;
        }
        Ok(outcome)
    }

    /// Imports a whole configuration given as JSON (as [`Core::plant`]'s model gives
    /// it): the JSON becomes the TOML text a file would hold, then as
    /// [`Core::import_config`].
    pub async fn import_config_model(
        &self,
        model: serde_json::Value,
        base: Base,
        actor: Actor,
    ) -> Result<ImportOutcome, Error> {
        let text = config::toml_of_json(model).map_err(|m| Error::invalid("bad_request", m))?;
        let new = config::parse(&text)?;
        let plant = self.plant();
        // The edit applied onto the file's own text keeps its comments; when that cannot
        // be done faithfully, the canonical text of the new configuration is stored.
        let text = match self.stored_source().await? {
            Some((version, source)) if version == plant.version => {
                config::merge::apply(&source, &plant.config, &new).unwrap_or(text)
            }
            _ => text,
        };
        self.import_config(text, base, actor).await
    }

    async fn stored_source(&self) -> Result<Option<(i64, String)>, Error> {
        self.db()
            .run(|c| config::current_source(c).map_err(Error::from))
            .await
    }

    /// The running configuration as the TOML editor shows it: the text as it was last
    /// stored (comments kept) when it still reads as the running configuration, else
    /// the canonical text.
    pub async fn config_source(&self) -> Result<String, Error> {
        let plant = self.plant();
        Ok(match self.stored_source().await? {
            Some((version, source))
                if version == plant.version
                    && config::parse(&source).is_ok_and(|c| c == plant.config) =>
            {
                source
            }
            _ => config::export(&plant.config),
        })
    }

    /// The stored configuration versions, newest first.
    pub async fn config_versions(&self, limit: u32) -> Result<Vec<VersionInfo>, Error> {
        self.db()
            .run(move |c| config::versions(c, limit).map_err(Error::from))
            .await
    }
}
