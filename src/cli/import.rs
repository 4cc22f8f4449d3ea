//! `plantlog import`: recorded samples and what people entered, from CSV files into a
//! data folder. Each file is imported whole or not at all; a refused file's mistakes
//! are all listed with their lines.

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use plantlog::auth::audit::Actor;
use plantlog::core;

use plantlog::tr;

use super::{lang, open_db, read};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Samples into the configured tags (columns time,tag,value,quality; time RFC 3339
    /// with an offset or UTC milliseconds; tag as device/tag; quality good or a bad
    /// quality name, with an empty value).
    Samples { file: PathBuf },
    /// Reasons, reasons of stops, planned stops, scrap and ideal cycle times (columns
    /// kind,machine,time,end,reason,value,comment,by), as `plantlog production events`
    /// writes them.
    Events { file: PathBuf },
}

pub fn run(data_dir: PathBuf, cmd: ImportCommand) -> Result<()> {
    let db = open_db(&data_dir)?;
    match cmd {
        ImportCommand::Samples { file } => {
            let text = read(&file)?;
            let n = db.with(|c| core::import::import_samples(c, &text, &Actor::command_line()))?;
            println!(
                "{}",
                tr!(
                    lang(),
                    "cli-import-samples",
                    samples = n.samples,
                    tags = n.tags,
                    from = plantlog::production::events::format_time(n.from_ms),
                    to = plantlog::production::events::format_time(n.to_ms),
                    file = file.display().to_string(),
                    folder = data_dir.display().to_string()
                )
            );
        }
        ImportCommand::Events { file } => {
            let text = read(&file)?;
            let n =
                db.with(|c| core::production::import_events(c, &text, &Actor::command_line()))?;
            println!(
                "{}",
                tr!(
                    lang(),
                    "cli-import-events",
                    file = file.display().to_string(),
                    reasons = n.reasons,
                    stops = n.stop_reasons,
                    planned = n.planned_stops,
                    scrap = n.scrap,
                    cycles = n.ideal_cycles
                )
            );
        }
    }
    Ok(())
}
