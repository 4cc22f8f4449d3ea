//! `plantlog sync`: connect this plant to a central server (the token is read from a
//! file or standard input, never from the command line, and kept outside SQLite),
//! switch sync off, and show its status. A running Plantlog picks the change up at its
//! next sync step.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use clap::Subcommand;

use plantlog::sample::now_ms;
use plantlog::sync::{self, Connect};

use super::open_db;

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Switch sync on towards a central server.
    Connect {
        /// The central server, e.g. http://central.example:8790
        #[arg(long)]
        url: String,
        /// The site name the central server knows this plant by.
        #[arg(long)]
        site: String,
        /// The central server's certificate SHA-256 fingerprint to pin (as
        /// plantlog-central prints it), for a self-signed certificate over https.
        #[arg(long, default_value = "")]
        pin_sha256: String,
        /// File holding the site's token ("-": standard input).
        #[arg(long, value_name = "FILE")]
        token_file: PathBuf,
        /// How often to look for samples to send when caught up.
        #[arg(long, default_value_t = 5000)]
        interval_ms: i64,
        /// The longest wait between attempts while the central server is unreachable.
        #[arg(long, default_value_t = 60_000)]
        max_backoff_ms: i64,
        /// The data classes that leave the plant, comma-separated among raw, rollups,
        /// production, audit and config (first connect: rollups,production; later: kept
        /// unless given).
        #[arg(long)]
        classes: Option<String>,
    },
    /// Switch sync off (the position is kept; the token is removed).
    Off,
    /// Limit how fast a backlog drains: batches are paced to at most this many bytes per
    /// second on average (0: no limit). Kept while sync is off.
    Bandwidth {
        /// Bytes per second, e.g. 250000 (at least 1024), or 0 for no limit.
        bytes_per_second: i64,
    },
    /// The sync state, position and backlog.
    Status,
}

pub fn run(data_dir: PathBuf, cmd: SyncCommand) -> Result<()> {
    let db = open_db(&data_dir)?;
    match cmd {
        SyncCommand::Connect {
            url,
            site,
            pin_sha256,
            token_file,
            interval_ms,
            max_backoff_ms,
            classes,
        } => {
            let mut token = String::new();
            if token_file.as_os_str() == "-" {
                std::io::stdin().read_to_string(&mut token)?;
            } else {
                token = std::fs::read_to_string(&token_file).with_context(|| {
                    format!("cannot read the token file {}", token_file.display())
                })?;
            }
            let c = Connect {
                url,
                site,
                pin_sha256,
                interval_ms,
                max_backoff_ms,
                classes,
            };
            let dir = data_dir.clone();
            let kept =
                db.with(|conn| sync::connect(conn, &dir, &c, &token).map_err(|e| anyhow!(e)))?;
            let chosen = db.with(|conn| Ok::<_, anyhow::Error>(sync::streams::classes(conn)?))?;
            println!(
                "{}",
                plantlog::tr!(
                    super::lang(),
                    "cli-sync-on",
                    site = c.site.to_string(),
                    url = c.url.to_string(),
                    streams = chosen.join(", "),
                    kept = kept.describe().to_string()
                )
            );
        }
        SyncCommand::Off => {
            let dir = data_dir.clone();
            db.with(|conn| sync::disconnect(conn, &dir).map_err(|e| anyhow!(e)))?;
            println!("{}", plantlog::tr!(super::lang(), "cli-sync-off"));
        }
        SyncCommand::Bandwidth { bytes_per_second } => {
            db.with(|conn| sync::pace::set_limit(conn, bytes_per_second).map_err(|e| anyhow!(e)))?;
            if bytes_per_second == 0 {
                println!("{}", plantlog::tr!(super::lang(), "cli-sync-unlimited"));
            } else {
                println!(
                    "{}",
                    plantlog::tr!(super::lang(), "cli-sync-limit", bytes = bytes_per_second)
                );
            }
        }
        SyncCommand::Status => {
            let dir = data_dir.clone();
            let s = db.with(|conn| Ok::<_, anyhow::Error>(sync::status(conn, &dir, now_ms())?))?;
            println!("{}", serde_json::to_string_pretty(&s)?);
        }
    }
    Ok(())
}
