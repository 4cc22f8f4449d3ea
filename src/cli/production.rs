//! `plantlog production`: the production report of a data folder over any range, as
//! JSON (the same as `GET /api/production/report`) or CSV, and what people entered as
//! an events file (for `plantlog import events`).

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Subcommand, ValueEnum};

use plantlog::config;
use plantlog::core;
use plantlog::production::By;

use plantlog::tr;

use super::{lang, open_db};

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Period {
    Shift,
    Day,
    Week,
    Month,
}

impl From<Period> for By {
    fn from(p: Period) -> By {
        match p {
            Period::Shift => By::Shift,
            Period::Day => By::Day,
            Period::Week => By::Week,
            Period::Month => By::Month,
        }
    }
}

#[derive(Subcommand)]
pub enum ProductionCommand {
    /// Per machine and period: planned, break, planned-stop, no-data, run and down
    /// time (by state and reason), micro-stops, parts, scrap, availability,
    /// performance, quality and OEE, each with how it was computed.
    Report {
        /// Start: RFC 3339 ("2026-03-02T06:00:00+01:00"), UTC ms, or a date (that
        /// production day's start in the plant's time zone).
        #[arg(long)]
        from: String,
        /// End (not included), as --from; a date is the start of that day.
        #[arg(long)]
        to: String,
        /// One machine's key; default: every machine.
        #[arg(long)]
        machine: Option<String>,
        #[arg(long, value_enum, default_value_t = Period::Shift)]
        by: Period,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write to this file instead of printing.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// What people entered that bears on a range (reasons, stop reasons, planned
    /// stops, scrap, ideal cycle times), as an events file.
    Events {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

fn write(output: Option<PathBuf>, text: String) -> Result<()> {
    match output {
        Some(p) => super::write(&p, text),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

pub fn run(data_dir: PathBuf, cmd: ProductionCommand) -> Result<()> {
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
    match cmd {
        ProductionCommand::Report {
            from,
            to,
            machine,
            by,
            format,
            output,
        } => {
            let from = super::time_arg(&plant, "--from", &from)?;
            let to = super::time_arg(&plant, "--to", &to)?;
            let by = by.into();
            let report =
                db.with(|c| core::production::report(c, from, to, machine.as_deref(), by))?;
            let text = match format {
                Format::Json => serde_json::to_string_pretty(&report)? + "\n",
                Format::Csv => plantlog::production::report::csv(&report),
            };
            write(output, text)
        }
        ProductionCommand::Events { from, to, output } => {
            let from = super::time_arg(&plant, "--from", &from)?;
            let to = super::time_arg(&plant, "--to", &to)?;
            let text = db.with(|c| core::production::events_csv(c, from, to))?;
            write(output, text)
        }
    }
}
