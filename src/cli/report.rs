//! `plantlog report KIND`: a shift, production, tag or energy report of a data folder over any
//! range, as PDF (with its charts as PNG beside it), XLSX or CSV, by the same functions
//! the API calls.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};

use plantlog::config;
use plantlog::core;
use plantlog::report::{self, Kind, Options, Paper};

use super::open_db;
use super::production::Period;

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    Shift,
    Production,
    /// Chosen tags (--tags): min, max, mean per hour or day, trends, alarms.
    Tag,
    /// Each energy meter (kWh): kWh per day and shift, peak demand, kWh per part.
    Energy,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StepArg {
    Hour,
    Day,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Pdf,
    Xlsx,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

#[derive(Args)]
pub struct ReportArgs {
    /// shift: each shift's machines, states and stops; production: OEE per machine and
    /// line, downtime Pareto, parts per day.
    #[arg(value_enum)]
    kind: KindArg,
    /// Start: RFC 3339, UTC ms, or a date (that production day's start).
    #[arg(long)]
    from: String,
    /// End (not included), as --from.
    #[arg(long)]
    to: String,
    #[arg(long, value_enum, default_value_t = FormatArg::Pdf)]
    format: FormatArg,
    /// The production report's periods.
    #[arg(long, value_enum, default_value_t = Period::Month)]
    by: Period,
    #[arg(long, value_enum, default_value_t = PaperArg::A4)]
    paper: PaperArg,
    /// CSV: the field separator (one character, e.g. ";").
    #[arg(long, default_value = ",")]
    delimiter: char,
    /// CSV: decimals with a comma.
    #[arg(long)]
    decimal_comma: bool,
    /// CSV: no byte-order mark.
    #[arg(long)]
    no_bom: bool,
    /// The tag report's tags: device/tag names or ids, comma-separated.
    #[arg(long, default_value = "")]
    tags: String,
    /// The tag report's periods.
    #[arg(long, value_enum, default_value_t = StepArg::Day)]
    step: StepArg,
    /// The file to write; a PDF's charts are written beside it as PNG.
    #[arg(long, short)]
    output: PathBuf,
}

/// Who runs the command, for the report's footer.
fn who() -> String {
    let user = std::env::var("USERNAME")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| gethostname::gethostname().to_string_lossy().into_owned());
    format!("{user} (command line)")
}

fn write(p: &Path, bytes: &[u8]) -> Result<()> {
    super::write(p, bytes)
}

pub fn run(data_dir: PathBuf, a: ReportArgs) -> Result<()> {
    let db = open_db(&data_dir)?;
    let plant = db.with(|c| Ok::<_, anyhow::Error>(config::load_plant(c)?))?;
    if plant.version == 0 {
        bail!(
            "{}",
            plantlog::tr!(
                super::lang(),
                "cli-config-none",
                folder = data_dir.display().to_string()
            )
        );
    }
    if !a.delimiter.is_ascii() {
        bail!("{}", plantlog::tr!(super::lang(), "cli-bad-delimiter"));
    }
    let from = super::time_arg(&plant, "--from", &a.from)?;
    let to = super::time_arg(&plant, "--to", &a.to)?;
    let kind = match a.kind {
        KindArg::Shift => Kind::Shift,
        KindArg::Production => Kind::Production,
        KindArg::Tag => Kind::Tag,
        KindArg::Energy => Kind::Energy,
    };
    let format = match a.format {
        FormatArg::Pdf => report::Format::Pdf,
        FormatArg::Xlsx => report::Format::Xlsx,
        FormatArg::Csv => report::Format::Csv,
    };
    let opts = Options {
        paper: match a.paper {
            PaperArg::A4 => Paper::A4,
            PaperArg::Letter => Paper::Letter,
        },
        bom: !a.no_bom,
        delimiter: a.delimiter as u8,
        decimal_comma: a.decimal_comma,
    };
    let by = a.by.into();
    let doc = if kind == Kind::Tag {
        let tags: Vec<String> = a
            .tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect();
        let step = match a.step {
            StepArg::Hour => report::tags::Step::Hour,
            StepArg::Day => report::tags::Step::Day,
        };
        db.with(|c| {
            let lang = plantlog::i18n::for_actor(c, None);
            core::report::build_tags(c, &tags, from, to, step, &who(), lang)
        })?
    } else {
        db.with(|c| {
            let lang = plantlog::i18n::for_actor(c, None);
            core::report::build(c, kind, from, to, Some(by), &who(), lang)
        })?
    };
    let bytes = core::report::render(&doc, format, &opts)?;
    write(&a.output, &bytes)?;
    println!(
        "{}",
        plantlog::tr!(
            super::lang(),
            "cli-file-written",
            file = a.output.display().to_string(),
            bytes = bytes.len()
        )
    );
    if format == report::Format::Pdf {
        let dir = a.output.parent().unwrap_or(Path::new("."));
        let stem = a
            .output
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| doc.stem());
        for (i, (_, png)) in report::pngs(&doc)?.into_iter().enumerate() {
            let p = dir.join(format!("{stem}-chart{}.png", i + 1));
            write(&p, &png)?;
            println!(
                "{}",
                plantlog::tr!(
                    super::lang(),
                    "cli-file-written",
                    file = p.display().to_string(),
                    bytes = png.len()
                )
            );
        }
    }
    Ok(())
}
