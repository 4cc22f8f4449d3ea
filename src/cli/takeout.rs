//! `plantlog export all --to DIR`: the full export (src/takeout) of the data folder's
//! database, with a progress bar on a terminal (a line per part otherwise), Ctrl+C to
//! stop keeping what is finished; run again on the same folder to continue. Without
//! `all`, `plantlog export` is the chosen-set export to a drive (src/cli/export.rs).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use clap::{Args, Subcommand};

use plantlog::auth::audit::{self, Actor, AuditEntry};
use plantlog::takeout::{self, Options, Progress};

use super::open_db;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ExportCommand {
    #[command(subcommand)]
    pub all: Option<ExportAll>,
    #[command(flatten)]
    pub chosen: super::export::ExportArgs,
}

#[derive(Subcommand)]
pub enum ExportAll {
    /// Everything the database holds, in open formats (CSV per table, Parquet and CSV
    /// of every sample and rollup, the configuration as TOML, the schema as Markdown
    /// and JSON, SHA256SUMS), every file read back and verified. Continues an
    /// interrupted export when DIR holds one.
    All {
        /// The export folder (made when missing; empty, or an unfinished export).
        #[arg(long)]
        to: PathBuf,
        /// Rows per samples CSV file.
        #[arg(long, default_value_t = 1_000_000)]
        csv_rows: usize,
        /// Write the samples and rollups in this format only (the tables are CSV
        /// either way); both when not given. A continued export keeps its formats.
        #[arg(long, value_enum)]
        only: Option<Only>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Only {
    Parquet,
    Csv,
}

impl Only {
    pub fn formats(only: Option<Only>) -> takeout::Formats {
        takeout::Formats {
            parquet: !matches!(only, Some(Only::Csv)),
            csv: !matches!(only, Some(Only::Parquet)),
        }
    }
}

pub fn run(data_dir: PathBuf, c: ExportCommand) -> Result<()> {
    match c.all {
        None => super::export::run(data_dir, c.chosen),
        Some(ExportAll::All { to, csv_rows, only }) => {
            all(data_dir, to, csv_rows, Only::formats(only))
        }
    }
}

pub fn local_actor() -> Actor {
    Actor {
        id: None,
        name: format!(
            "{} (command line)",
            std::env::var("USERNAME")
                .or_else(|_| std::env::var("USER"))
                .unwrap_or_else(|_| "local user".into())
        ),
        client: "local".into(),
    }
}

fn all(data_dir: PathBuf, to: PathBuf, csv_rows: usize, formats: takeout::Formats) -> Result<()> {
    let db = open_db(&data_dir)?;
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let c = cancel.clone();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::spawn(move || {
            rt.block_on(async {
                if tokio::signal::ctrl_c().await.is_ok() {
                    eprintln!("\n{}", plantlog::tr!(super::lang(), "cli-takeout-stopping"));
                    c.store(true, Ordering::Relaxed);
                }
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(130);
                }
            })
        });
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:24} [{bar:40}] {pos}/{len} rows eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b
    });
    let mut last_part = String::new();
    let mut progress = |p: &Progress| {
        if let Some(b) = &bar {
            b.set_length(p.rows_total.max(p.rows_done));
            b.set_position(p.rows_done);
            b.set_message(format!("{} {}/{}", p.phase, p.parts_done, p.parts_total));
        } else if p.part != last_part || p.phase != "writing" && last_part != p.phase {
            last_part = if p.phase == "writing" {
                p.part.clone()
            } else {
                p.phase.clone()
            };
            eprintln!(
                "{} {}/{} parts, {} rows{}",
                if p.phase == "writing" {
                    &p.part
                } else {
                    &p.phase
                },
                p.parts_done,
                p.parts_total,
                p.rows_done,
                if p.parts_resumed > 0 {
                    format!(" ({} parts done by an earlier run)", p.parts_resumed)
                } else {
                    String::new()
                }
            );
        }
    };
    let opts = Options {
        csv_rows: csv_rows.max(1),
        formats,
        ..Options::new(to.clone())
    };
    let out = takeout::export(&db, &opts, &mut progress, &cancel);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let out = out?;
    let actor = local_actor();
    db.sql(|c| {
        audit::record(
            c,
            &AuditEntry::new(
                &actor,
                "export.all",
                &out.folder,
                &format!(
                    "{} files, {} bytes, {} samples, SHA256SUMS {}",
                    out.files, out.bytes, out.sample_rows, out.sums_sha256
                ),
            ),
        )
    })?;
    println!("{}", out.folder);
    let l = super::lang();
    println!(
        "{}",
        plantlog::tr!(
            l,
            "cli-takeout-done",
            files = out.files,
            bytes = out.bytes,
            samples = out.sample_rows,
            until = jiff::Timestamp::from_millisecond(out.until_ms)
                .map(|t| t.to_string())
                .unwrap_or_default(),
            resumed = if out.parts_resumed > 0 {
                plantlog::tr!(
                    l,
                    "cli-takeout-resumed",
                    resumed = out.parts_resumed,
                    parts = out.parts
                )
            } else {
                String::new()
            },
            sums = out.sums_sha256.as_str()
        )
    );
    println!("{}", plantlog::tr!(l, "cli-takeout-schema"));
    Ok(())
}
