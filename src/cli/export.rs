//! `plantlog export`: the removable drives of this PC, and a chosen set (reports, raw
//! samples of chosen tags, the configuration, the audit log) written to one with its
//! checksums verified, a progress bar on a terminal, Ctrl+C to cancel. The same core
//! function as the API's export.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, bail};
use clap::Args;

use plantlog::auth::audit::Actor;
use plantlog::core;
use plantlog::core::report::{DriveExport, ReportItem};
use plantlog::removable;
use plantlog::report::{self, Kind, Options};

use super::open_db;

#[derive(Args)]
pub struct ExportArgs {
    /// List the removable drives and stop.
    #[arg(long)]
    list_drives: bool,
    /// The drive or folder to write to (a folder named with the plant and the date is
    /// made in it).
    #[arg(long, required_unless_present = "list_drives")]
    to: Option<PathBuf>,
    /// Start of the reports and samples: RFC 3339, UTC ms, or a date.
    #[arg(long, required_unless_present = "list_drives")]
    from: Option<String>,
    /// End (not included), as --from.
    #[arg(long, required_unless_present = "list_drives")]
    until: Option<String>,
    /// Reports as KIND:FORMAT, comma-separated: "shift:pdf,production:xlsx,energy:pdf";
    /// a tag report ("tag:pdf") is of the tags given with --tags.
    #[arg(long, default_value = "")]
    reports: String,
    /// Raw samples of these tags (ids or device/tag), comma-separated.
    #[arg(long, default_value = "")]
    tags: String,
    /// Add the plant configuration.
    #[arg(long)]
    config: bool,
    /// Add the audit log.
    #[arg(long)]
    audit: bool,
    /// Largest file in MiB (CSVs are split under it); default: FAT32's 4 GiB less a byte.
    #[arg(long)]
    max_file_mib: Option<u64>,
}

pub fn run(data_dir: PathBuf, a: ExportArgs) -> Result<()> {
    if a.list_drives {
        let drives = removable::drives();
        if drives.is_empty() {
            println!("{}", plantlog::tr!(super::lang(), "cli-export-no-drive"));
        }
        for d in drives {
            let l = super::lang();
            println!(
                "{}\t{}\t{}\t{}",
                d.path,
                if d.label.is_empty() {
                    plantlog::tr!(l, "cli-export-no-label")
                } else {
                    d.label.clone()
                },
                d.filesystem,
                plantlog::tr!(
                    l,
                    "cli-export-drive-free",
                    free = l.num(d.free_bytes as f64 / (1u64 << 30) as f64, 1),
                    size = l.num(d.total_bytes as f64 / (1u64 << 30) as f64, 1)
                )
            );
        }
        return Ok(());
    }
    let db = open_db(&data_dir)?;
    let plant = db.with(|c| Ok::<_, anyhow::Error>(plantlog::config::load_plant(c)?))?;
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
    let time = |s: &Option<String>, what: &str| -> Result<i64> {
        super::time_arg(&plant, what, s.as_deref().unwrap_or_default())
    };
    let from = time(&a.from, "--from")?;
    let until = time(&a.until, "--until")?;
    let tag_list: Vec<String> = a
        .tags
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect();
    let mut reports = Vec::new();
    for r in a
        .reports
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        let (k, f) = r.split_once(':').unwrap_or((r, "pdf"));
        let kind = Kind::parse(k)
            .with_context(|| plantlog::tr!(super::lang(), "cli-export-no-report", given = k))?;
        let format = report::Format::parse(f)
            .with_context(|| plantlog::tr!(super::lang(), "cli-export-no-format", given = f))?;
        reports.push(ReportItem {
            kind,
            format,
            from,
            to: until,
            by: None,
            stem: None,
            // A tag report is of the tags given with --tags.
            tags: tag_list.clone(),
        });
    }
    let req = DriveExport {
        to: a.to.clone().unwrap_or_default(),
        from,
        until,
        reports,
        tags: tag_list,
        config: a.config,
        audit: a.audit,
        max_file: a
            .max_file_mib
            .map(|m| m << 20)
            .unwrap_or(removable::write::FAT32_MAX),
    };
    if req.reports.is_empty() && req.tags.is_empty() && !req.config && !req.audit {
        bail!("{}", plantlog::tr!(super::lang(), "cli-export-nothing"));
    }
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let c = cancel.clone();
        let _ = ctrlc_hook(move || c.store(true, Ordering::Relaxed));
    }
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:10} [{bar:40}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Some(b)
    } else {
        None
    };
    let mut progress = |p: &removable::write::Progress| {
        if let Some(b) = &bar {
            b.set_length(p.bytes_total);
            b.set_position(p.bytes_done);
            b.set_message(format!("{} {}/{}", p.phase, p.files_done, p.files_total));
        }
    };
    let actor = Actor {
        id: None,
        name: format!(
            "{} (command line)",
            std::env::var("USERNAME")
                .or_else(|_| std::env::var("USER"))
                .unwrap_or_else(|_| "local user".into())
        ),
        client: "local".into(),
    };
    let tmp = data_dir.join("tmp");
    let w = db.with(|c| {
        core::report::export_to_drive(
            c,
            &req,
            &actor,
            &tmp,
            &Options::default(),
            &mut progress,
            &cancel,
        )
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let w = w?;
    println!("{}", w.folder);
    for f in &w.files {
        println!(
            "  {}",
            plantlog::tr!(
                super::lang(),
                "cli-export-file",
                name = f.name.as_str(),
                size = f.size,
                sha = f.sha256.as_str()
            )
        );
    }
    println!(
        "{}",
        plantlog::tr!(
            super::lang(),
            "cli-export-done",
            files = w.files.len() + 2,
            bytes = w.bytes
        )
    );
    Ok(())
}

/// Calls `f` on Ctrl+C (the write stops at its next chunk); a second Ctrl+C ends the
/// process at once.
fn ctrlc_hook(f: impl FnOnce() + Send + 'static) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::spawn(move || {
        rt.block_on(async {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!(
                    "\n{}",
                    plantlog::tr!(super::lang(), "cli-export-cancelling")
                );
                f();
            }
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        })
    });
    Ok(())
}
