//! `plantlog audit verify`: checks the audit log's hash chain and prints what it found
//! (the number of records, the head hash to compare with a copy kept elsewhere, or the
//! first record that does not follow); exits non-zero when the chain is broken.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Subcommand;

use plantlog::auth::audit;

use super::open_db;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check that no audit record was changed, removed or inserted.
    Verify,
}

pub fn run(data_dir: PathBuf, cmd: AuditCommand) -> Result<()> {
    let db = open_db(&data_dir)?;
    match cmd {
        AuditCommand::Verify => {
            let report = db.with(|c| Ok::<_, anyhow::Error>(audit::verify(c)?))?;
            match (&report.broken, report.first_id, report.last_id) {
                (Some(b), _, _) => bail!(
                    "the audit log's chain is broken at record {}: {}. Records before it are intact ({} checked).",
                    b.id,
                    b.reason,
                    report.records - 1
                ),
                (None, Some(first), Some(last)) => println!(
                    "The audit log is intact: {} records ({first} to {last}), each following from the one before.\nHead hash: {}",
                    report.records, report.head
                ),
                _ => println!("The audit log is empty."),
            }
            Ok(())
        }
    }
}
