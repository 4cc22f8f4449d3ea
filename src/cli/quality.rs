//! `plantlog quality`: import and export quality's master data (products with their
//! ideal cycle times, inspection plans, materials) as TOML or CSV, like the plant
//! configuration: every mistake in the file is listed with its place (in a CSV file, its
//! row and column), and nothing is taken unless the whole file is good.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::{Subcommand, ValueEnum};

use plantlog::auth::audit::Actor;
use plantlog::config;
use plantlog::quality::master::{self, MasterError, PlantNames};
use plantlog::quality::{master_csv, store};
use plantlog::sample::now_ms;

use plantlog::tr;

use super::{lang, open_db, read};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Toml,
    Csv,
}

#[derive(Subcommand)]
pub enum QualityCommand {
    /// Check FILE (.toml or .csv) and store its products, plans and materials; a running
    /// Plantlog shows them at once. Products and materials are added or renamed by code,
    /// never removed; a changed characteristic replaces the old one, whose checks stay.
    Import {
        file: PathBuf,
        /// The file's format; by default its extension's (.csv: CSV, else TOML).
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Print the products, plans and materials, or write them to --output.
    Export {
        #[arg(long, value_enum, default_value = "toml")]
        format: Format,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

fn format_of(file: &Path) -> Format {
    match file.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
        _ => Format::Toml,
    }
}

pub fn run(data_dir: PathBuf, cmd: QualityCommand) -> Result<()> {
    let db = open_db(&data_dir)?;
    let plant = db.with(|c| Ok::<_, anyhow::Error>(config::load_plant(c)?))?;
    match cmd {
        QualityCommand::Import { file, format } => {
            if plant.version == 0 {
                bail!(
                    "{}",
                    tr!(
                        lang(),
                        "cli-quality-no-config",
                        folder = data_dir.display().to_string()
                    )
                );
            }
            let text = read(&file)?;
            let names = PlantNames::of(&plant);
            let parsed = match format.unwrap_or_else(|| format_of(&file)) {
                Format::Toml => master::parse(&text, &names),
                Format::Csv => master_csv::parse_csv(&text, &names),
            };
            let data = match parsed {
                Ok(d) => d,
                Err(e @ MasterError::Invalid(_)) => {
                    return Err(anyhow::Error::new(e).context(file.display().to_string()));
                }
            };
            let done = db.with(|c| {
                Ok::<_, anyhow::Error>(store::import_master(
                    c,
                    &data,
                    &Actor::command_line(),
                    now_ms(),
                )?)
            })?;
            println!(
                "{}",
                tr!(
                    lang(),
                    "cli-quality-imported",
                    file = file.display().to_string(),
                    folder = data_dir.display().to_string(),
                    products_added = done.products_added,
                    products_changed = done.products_changed,
                    characteristics_added = done.characteristics_added,
                    characteristics_retired = done.characteristics_retired,
                    materials_added = done.materials_added,
                    materials_changed = done.materials_changed
                )
            );
            Ok(())
        }
        QualityCommand::Export { format, output } => {
            let data = db.with(|c| Ok::<_, anyhow::Error>(store::master(c)?))?;
            let text = match format {
                Format::Toml => master::to_toml(&data),
                Format::Csv => master_csv::to_csv(&data),
            };
            match output {
                Some(path) => {
                    std::fs::write(&path, text).map_err(|e| {
                        anyhow::anyhow!(
                            "{}: {e}",
                            plantlog::tr!(
                                super::lang(),
                                "cli-cannot-write",
                                file = path.display().to_string()
                            )
                        )
                    })?;
                    eprintln!(
                        "{}",
                        tr!(lang(), "cli-wrote", file = path.display().to_string())
                    );
                }
                None => print!("{text}"),
            }
            Ok(())
        }
    }
}
