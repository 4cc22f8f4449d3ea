//! `plantlog users`: list users, and give one a new password at the console.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;

use plantlog::auth::audit::Actor;
use plantlog::auth::audit::{self, AuditEntry};
use plantlog::auth::{mfa, password, users};

use plantlog::tr;

use super::{lang, open_db};

#[derive(Subcommand)]
pub enum UsersCommand {
    /// List the users.
    List,
    /// Give USER a new random password, printed once; they must change it at login. It
    /// also lifts a lock after too many failed logins.
    ResetPassword { username: String },
    /// Remove USER's second factor (a lost phone); where their role requires one, they
    /// set it up again at the next login.
    ResetMfa { username: String },
}

pub fn run(data_dir: PathBuf, cmd: UsersCommand) -> Result<()> {
    let db = open_db(&data_dir)?;
    match cmd {
        UsersCommand::List => {
            let list = db.with(|c| Ok::<_, anyhow::Error>(users::list(c)?))?;
            if list.is_empty() {
                println!("{}", tr!(lang(), "cli-users-none"));
            }
            for u in list {
                println!(
                    "{:<20} {:<12} {}{}",
                    u.username,
                    u.role.name(),
                    u.display_name,
                    if u.disabled {
                        format!(" {}", tr!(lang(), "cli-users-disabled"))
                    } else {
                        String::new()
                    }
                );
            }
            Ok(())
        }
        UsersCommand::ResetPassword { username } => {
            let pw = password::generate();
            db.with(|c| {
                let (user, _) = users::by_username(c, &username)?
                    .with_context(|| tr!(lang(), "cli-users-no-such", name = username.as_str()))?;
                users::set_password(c, user.id, &pw, true, &Actor::command_line())?;
                Ok::<_, anyhow::Error>(())
            })?;
            println!(
                "{}\n{}",
                tr!(
                    lang(),
                    "cli-users-new-password",
                    name = username.as_str(),
                    password = pw.as_str()
                ),
                tr!(lang(), "cli-users-must-change")
            );
            Ok(())
        }
        UsersCommand::ResetMfa { username } => {
            db.with(|c| {
                let (user, _) = users::by_username(c, &username)?
                    .with_context(|| tr!(lang(), "cli-users-no-such", name = username.as_str()))?;
                let tx = plantlog::store::write_tx(c)?;
                mfa::remove(&tx, user.id)?;
                tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user.id])?;
                audit::record(
                    &tx,
                    &AuditEntry::new(&Actor::command_line(), "mfa.reset", &user.username, ""),
                )?;
                tx.commit()?;
                Ok::<_, anyhow::Error>(())
            })?;
            println!(
                "{}",
                tr!(lang(), "cli-users-mfa-removed", name = username.as_str())
            );
            Ok(())
        }
    }
}
