//! `plantlog audit verify`: checks the audit log's hash chain and prints what it found
//! (the number of records, the head hash to compare with a copy kept elsewhere, or the
//! first record that does not follow); exits non-zero when the chain is broken.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Subcommand;

use plantlog::auth::audit;

use plantlog::tr;

use super::{lang, open_db};

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
                    "{}",
                    tr!(
                        lang(),
                        "cli-audit-broken",
                        id = b.id,
                        reason = b.reason.as_str(),
                        checked = report.records - 1
                    )
                ),
                (None, Some(first), Some(last)) => println!(
                    "{}\n{}",
                    tr!(
                        lang(),
                        "cli-audit-intact",
                        records = report.records,
                        first = first,
                        last = last
                    ),
                    tr!(lang(), "cli-audit-head", head = report.head.as_str())
                ),
                _ => println!("{}", tr!(lang(), "cli-audit-empty")),
            }
            Ok(())
        }
    }
}
