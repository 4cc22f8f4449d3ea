//! `plantlog config`: check, import and export the plant configuration of a data folder.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use plantlog::auth::audit::Actor;
use plantlog::config;

use super::{open_db, read};

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Check FILE and make it the running configuration; a running Plantlog picks it up
    /// within seconds.
    Import { file: PathBuf },
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
            let text = read(&file)?;
            let cfg = config::parse(&text)?;
            println!(
                "{} is a valid configuration: {} machines, {} devices, {} tags",
                file.display(),
                cfg.machines.len(),
                cfg.devices.len(),
                cfg.devices.iter().map(|d| d.tags.len()).sum::<usize>()
            );
            Ok(())
        }
        ConfigCommand::Import { file } => {
            let text = read(&file)?;
            let cfg = config::parse(&text)?;
            let db = open_db(&data_dir)?;
            let outcome = db.sql(|c| config::import(c, &cfg, &text, &Actor::command_line()))?;
            if outcome.changed {
                println!(
                    "Imported {} as configuration version {} into {}",
                    file.display(),
                    outcome.version,
                    data_dir.display()
                );
            } else {
                println!(
                    "{} is the running configuration already (version {}); nothing changed",
                    file.display(),
                    outcome.version
                );
            }
            Ok(())
        }
        ConfigCommand::Export { output } => {
            let db = open_db(&data_dir)?;
            let plant = db.with(|c| Ok::<_, anyhow::Error>(config::load_plant(c)?))?;
            if plant.version == 0 {
                bail!(
                    "{} has no configuration yet; import one with: plantlog config import FILE.toml",
                    data_dir.display()
                );
            }
            let text = config::export(&plant.config);
            match output {
                Some(path) => {
                    std::fs::write(&path, text)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    println!(
                        "Wrote configuration version {} to {}",
                        plant.version,
                        path.display()
                    );
                }
                None => print!("{text}"),
            }
            Ok(())
        }
    }
}
