//! `plantlog config`: check, import and export the plant configuration of a data folder.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Subcommand;

use plantlog::auth::audit::Actor;
use plantlog::config;
use plantlog::core;

use plantlog::tr;

use super::{lang, open_db, read};

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Check FILE and make it the running configuration; a running Plantlog picks it up
    /// within seconds.
    Import {
        file: PathBuf,
        /// The version FILE was exported from: the import is refused when another
        /// version was stored since (someone else changed the configuration). Without
        /// it, FILE replaces whatever runs.
        #[arg(long, value_name = "VERSION")]
        base: Option<i64>,
    },
    /// Print the running configuration as TOML, or write it to --output.
    Export {
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Check FILE without importing it.
    Check { file: PathBuf },
}

pub fn run(data_dir: PathBuf, cmd: ConfigCommand) -> Result<()> {
    match cmd {
        ConfigCommand::Check { file } => {
            super::peek_plant_language(&data_dir);
            let text = read(&file)?;
            let s = core::check_config(&text)?;
            println!(
                "{}",
                tr!(
                    lang(),
                    "cli-config-valid",
                    file = file.display().to_string(),
                    machines = s.machines,
                    devices = s.devices,
                    tags = s.tags
                )
            );
            Ok(())
        }
        ConfigCommand::Import { file, base } => {
            let text = read(&file)?;
            let db = open_db(&data_dir)?;
            let base = base.map_or(config::Base::Any, config::Base::Version);
            let outcome = db.with(|c| {
                core::import_text(c, &text, base, &Actor::command_line()).map_err(|e| match e {
                    core::Error::ConfigConflict(c) => anyhow::anyhow!(
                        "{}\n{}\n  {}",
                        plantlog::i18n::errors::core(
                            lang(),
                            &core::Error::ConfigConflict(c.clone())
                        ),
                        tr!(lang(), "cli-config-changed-since", base = c.base),
                        c.changes.join("\n  ")
                    ),
                    e => anyhow::Error::from(e),
                })
            })?;
            if outcome.changed {
                println!(
                    "{}",
                    tr!(
                        lang(),
                        "cli-config-imported",
                        file = file.display().to_string(),
                        version = outcome.version,
                        folder = data_dir.display().to_string()
                    )
                );
            } else {
                println!(
                    "{}",
                    tr!(
                        lang(),
                        "cli-config-unchanged",
                        file = file.display().to_string(),
                        version = outcome.version
                    )
                );
            }
            Ok(())
        }
        ConfigCommand::Export { output } => {
            let db = open_db(&data_dir)?;
            let plant = db.with(|c| Ok::<_, anyhow::Error>(config::load_plant(c)?))?;
            if plant.version == 0 {
                bail!(
                    "{}",
                    tr!(
                        lang(),
                        "cli-config-none",
                        folder = data_dir.display().to_string()
                    )
                );
            }
            let text = config::export(&plant.config);
            match output {
                Some(path) => {
                    super::write(&path, text)?;
                    println!(
                        "{}",
                        tr!(
                            lang(),
                            "cli-config-wrote",
                            version = plant.version,
                            file = path.display().to_string()
                        )
                    );
                }
                None => print!("{text}"),
            }
            Ok(())
        }
    }
}
