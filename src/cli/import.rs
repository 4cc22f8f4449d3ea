//! `plantlog import`: recorded samples and what people entered, from CSV files into a
//! data folder. Each file is imported whole or not at all; a refused file's mistakes
//! are all listed with their lines.

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use plantlog::auth::audit::Actor;
use plantlog::core;

use super::{open_db, read};

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
                "Imported {} samples of {} tags ({} to {}) from {} into {}",
                n.samples,
                n.tags,
                plantlog::production::events::format_time(n.from_ms),
                plantlog::production::events::format_time(n.to_ms),
                file.display(),
                data_dir.display()
            );
        }
        ImportCommand::Events { file } => {
            let text = read(&file)?;
            let n =
                db.with(|c| core::production::import_events(c, &text, &Actor::command_line()))?;
            println!(
                "Imported from {}: {} reasons, {} reasons of stops, {} planned stops, {} scrap entries, {} ideal cycle times",
                file.display(),
                n.reasons,
                n.stop_reasons,
                n.planned_stops,
                n.scrap,
                n.ideal_cycles
            );
        }
    }
    Ok(())
}
