//! `plantlog support bundle -o FILE.zip` and `plantlog support errors`: what a vendor
//! needs to help, read from the data folder (src/os/support), also when Plantlog does not
//! start.

use std::path::PathBuf;

use anyhow::Result;

use plantlog::tr;

use super::lang;

#[derive(clap::Subcommand)]
pub enum SupportCommand {
    /// Write a zip with the logs, crash records, configuration (no secrets), versions
    /// and facts about this PC, to send to a vendor.
    Bundle {
        /// The zip to write (default: plantlog-support-DATE-TIME.zip here).
        #[arg(short, long, value_name = "FILE.zip")]
        output: Option<PathBuf>,
    },
    /// The newest warnings and errors from the log files.
    Errors {
        /// How many.
        #[arg(short = 'n', long, default_value_t = 30)]
        count: usize,
    },
}

pub fn run(data_dir: PathBuf, cmd: SupportCommand) -> Result<()> {
    match cmd {
        SupportCommand::Bundle { output } => {
            let out =
                output.unwrap_or_else(|| PathBuf::from(plantlog::os::support::default_file_name()));
            let s =
                plantlog::os::support::write_bundle(&data_dir, &out, "plantlog support bundle")?;
            println!(
                "{}",
                tr!(
                    lang(),
                    "cli-support-wrote",
                    file = s.path.display().to_string(),
                    bytes = s.bytes,
                    files = s.files.len(),
                    folder = data_dir.display().to_string()
                )
            );
            Ok(())
        }
        SupportCommand::Errors { count } => {
            let lines = plantlog::os::logs::recent_problems(&data_dir, count);
            if lines.is_empty() {
                println!(
                    "{}",
                    tr!(
                        lang(),
                        "cli-support-no-problems",
                        folder = data_dir.display().to_string()
                    )
                );
            }
            for l in lines {
                println!("{} {:5} {}", l.time, l.level, l.message);
            }
            Ok(())
        }
    }
}
