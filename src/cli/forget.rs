//! `plantlog delete plan|run user|tag|machine NAME`, `plantlog delete plan|run before
//! DATE --class CLASS` (deletion on request, src/takeout/forget.rs)
//! and `plantlog factory-reset`: each says first what it would remove; nothing is
//! removed until the name is typed again with --confirm.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use plantlog::store::{DataDir, DataLock};
use plantlog::takeout::{forget, history};

use plantlog::tr;

use super::takeout::local_actor;
use super::{lang, open_db};

#[derive(Subcommand, Clone)]
pub enum What {
    /// A person: the account becomes a pseudonym, their name leaves every record, what
    /// they did stays.
    User { username: String },
    /// A tag's whole history (samples and rollups); the tag stays configured.
    Tag {
        /// Tag id or device/tag.
        tag: String,
    },
    /// A machine's whole history: its tags' samples and rollups and its production data
    /// (stop reasons, planned stops, scrap, counter reviews, hourly summaries); the
    /// machine stays configured.
    Machine {
        /// The machine's key (or name).
        key: String,
    },
    /// Everything of one data class before a date (the retention purge, once).
    Before {
        /// 2026-01-31 (from 00:00 UTC) or an RFC 3339 time.
        date: String,
        /// raw, minute, hour or audit.
        #[arg(long)]
        class: String,
    },
}

#[derive(Subcommand)]
pub enum DeleteCommand {
    /// Show what would be removed or changed, and how much.
    Plan {
        #[command(subcommand)]
        what: What,
    },
    /// Do it: audited, then VACUUM so the space returns and nothing stays in free pages.
    Run {
        /// The username or the tag (device/tag) again, to confirm.
        #[arg(long)]
        confirm: String,
        #[command(subcommand)]
        what: What,
    },
}

pub fn run(data_dir: PathBuf, cmd: DeleteCommand) -> Result<()> {
    let db = open_db(&data_dir)?;
    let (what, confirm) = match cmd {
        DeleteCommand::Plan { what } => (what, None),
        DeleteCommand::Run { what, confirm } => (what, Some(confirm)),
    };
    let actor = local_actor();
    match what {
        What::User { username } => {
            let plan = db.with(|c| forget::plan_user(c, &username))?;
            println!(
                "{}",
                tr!(
                    lang(),
                    "cli-forget-user-plan",
                    user = plan.username.as_str(),
                    name = plan.display_name.as_str(),
                    pseudonym = plan.pseudonym.as_str(),
                    sessions = plan.sessions,
                    audit = plan.audit_records
                )
            );
            for h in &plan.holdings {
                println!(
                    "  {}",
                    tr!(
                        lang(),
                        "cli-forget-rows-name-them",
                        table = h.table.to_string(),
                        rows = h.rows
                    )
                );
            }
            let Some(confirm) = confirm else {
                println!(
                    "{}",
                    tr!(
                        lang(),
                        "cli-forget-to-do-it",
                        command = format!(
                            "plantlog delete run --confirm {} user {}",
                            plan.username, plan.username
                        )
                    )
                );
                return Ok(());
            };
            if confirm.trim() != plan.username {
                bail!(
                    "{}",
                    tr!(
                        lang(),
                        "cli-forget-confirm-unchanged",
                        phrase = plan.username.as_str()
                    )
                );
            }
            let done = db.with(|c| forget::forget_user(c, &plan, &actor))?;
            println!(
                "{}",
                tr!(
                    lang(),
                    "cli-forget-user-done",
                    rows = done.rows_changed,
                    audit = done.audit_rewritten,
                    pseudonym = done.pseudonym.as_str(),
                    head = done.chain_head_after.to_string(),
                    before = done.bytes_before,
                    after = done.bytes_after
                )
            );
        }
        What::Tag { tag } => {
            let plan = db.with(|c| forget::plan_tag(c, &tag))?;
            println!(
                "{}",
                tr!(
                    lang(),
                    "cli-forget-tag-plan",
                    name = plan.name.as_str(),
                    id = plan.tag_id,
                    samples = plan.samples,
                    rollups = plan.rollup_rows
                )
            );
            let Some(confirm) = confirm else {
                println!(
                    "{}",
                    tr!(
                        lang(),
                        "cli-forget-to-do-it",
                        command = format!(
                            "plantlog delete run --confirm {} tag {}",
                            plan.name, plan.name
                        )
                    )
                );
                return Ok(());
            };
            if confirm.trim() != plan.name {
                bail!(
                    "{}",
                    tr!(
                        lang(),
                        "cli-forget-confirm-removed",
                        phrase = plan.name.as_str()
                    )
                );
            }
            let n = db.with(|c| forget::forget_tag(c, &plan, &actor))?;
            println!("{}", tr!(lang(), "cli-forget-tag-done", rows = n));
        }
        What::Machine { key } => {
            let plan = db.with(|c| history::plan_machine(c, &key))?;
            let l = lang();
            println!(
                "{}",
                tr!(
                    l,
                    "cli-forget-machine-plan",
                    key = plan.key.as_str(),
                    name = plan.name.as_str(),
                    samples = plan.samples,
                    tags = plan.tags.len(),
                    bytes = plan.bytes
                )
            );
            let rows = |table: &str, rows: i64| {
                tr!(l, "cli-forget-rows", table = table.to_string(), rows = rows)
            };
            for h in &plan.tables {
                println!("  {}", rows(&h.table, h.rows));
            }
            for h in &plan.quality {
                if h.table == "material_moves" {
                    println!(
                        "  {}",
                        tr!(
                            l,
                            "cli-forget-rows-would-unlink",
                            table = h.table.to_string(),
                            rows = h.rows
                        )
                    );
                } else {
                    println!("  {}", rows(&h.table, h.rows));
                }
            }
            let Some(confirm) = confirm else {
                let command = format!(
                    "plantlog delete run --confirm {} machine {}",
                    plan.key, plan.key
                );
                println!("{}", tr!(l, "cli-forget-to-do-it", command = command));
                return Ok(());
            };
            if confirm.trim() != plan.key {
                bail!(
                    "{}",
                    tr!(l, "cli-forget-confirm-removed", phrase = plan.key.as_str())
                );
            }
            let done = db.with(|c| history::forget_machine(c, &plan, &actor))?;
            print_removed(&done);
        }
        What::Before { date, class } => {
            let l = lang();
            let Some(c) = history::class_named(&class) else {
                bail!("{}", tr!(l, "cli-forget-class"));
            };
            let Some(before) = history::parse_date(&date) else {
                bail!("{}", tr!(l, "cli-forget-date"));
            };
            if before > plantlog::sample::now_ms() {
                bail!("{}", tr!(l, "cli-forget-future", date = date.as_str()));
            }
            let plan = db.with(|conn| history::plan_before(conn, c, before))?;
            println!(
                "{}",
                tr!(
                    l,
                    "cli-forget-before-plan",
                    class = c.name(),
                    date = date.trim(),
                    rows = plan.rows,
                    table = plan.table.to_string(),
                    samples = plan.samples,
                    bytes = plan.bytes
                )
            );
            // The phrase to type stays as the command reads it, in any language.
            let phrase = format!("{} before {}", class.trim(), date.trim());
            let Some(confirm) = confirm else {
                let command = format!(
                    "plantlog delete run --confirm \"{phrase}\" before {} --class {}",
                    date.trim(),
                    class.trim()
                );
                println!("{}", tr!(l, "cli-forget-to-do-it", command = command));
                return Ok(());
            };
            if confirm.trim() != phrase {
                bail!(
                    "{}",
                    tr!(
                        l,
                        "cli-forget-confirm-removed",
                        phrase = format!("\"{phrase}\"")
                    )
                );
            }
            let archive = data_dir.join("archive");
            let done = db.with(|conn| history::forget_before(conn, &plan, &archive, &actor))?;
            print_removed(&done);
        }
    }
    Ok(())
}

fn print_removed(done: &history::Removed) {
    let l = lang();
    let removed = |table: &str, rows: i64| {
        tr!(
            l,
            "cli-forget-rows-removed",
            table = table.to_string(),
            rows = rows
        )
    };
    for h in &done.tables {
        println!("  {}", removed(&h.table, h.rows));
    }
    for h in &done.quality {
        if h.table == "material_moves" {
            println!(
                "  {}",
                tr!(
                    l,
                    "cli-forget-rows-unlinked",
                    table = h.table.to_string(),
                    rows = h.rows
                )
            );
        } else {
            println!("  {}", removed(&h.table, h.rows));
        }
    }
    for a in &done.archives {
        println!("  {}", tr!(l, "cli-forget-archived", file = a.to_string()));
    }
    println!(
        "{}",
        tr!(
            l,
            "cli-forget-history-done",
            samples = done.samples,
            before = done.bytes_before,
            after = done.bytes_after
        )
    );
}

/// `plantlog factory-reset`: with Plantlog stopped, removes the data folder's content
/// (database, logs, backups kept in it, exports in it) after `--confirm "delete
/// everything"`; with --export-to, a full export is made and verified first and the
/// reset does not happen if it fails.
pub fn factory_reset(
    data_dir: PathBuf,
    confirm: Option<String>,
    export_to: Option<PathBuf>,
) -> Result<()> {
    const PHRASE: &str = "delete everything";
    let dir = DataDir::create(&data_dir).with_context(|| {
        tr!(
            lang(),
            "cli-cannot-open-folder",
            folder = data_dir.display().to_string()
        )
    })?;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir.root())?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let bytes: u64 = entries.iter().map(|p| size(p)).sum();
    let l = lang();
    println!(
        "{}",
        tr!(
            l,
            "cli-reset-plan",
            folder = data_dir.display().to_string(),
            entries = entries.len(),
            bytes = bytes
        )
    );
    if export_to.is_none() {
        println!("{}", tr!(l, "cli-reset-export-first"));
    }
    if confirm.as_deref() != Some(PHRASE) {
        let command = format!("plantlog factory-reset --confirm \"{PHRASE}\" [--export-to DIR]");
        println!("{}", tr!(l, "cli-forget-to-do-it", command = command));
        if confirm.is_some() {
            bail!(
                "{}",
                tr!(l, "cli-reset-confirm", phrase = format!("\"{PHRASE}\""))
            );
        }
        return Ok(());
    }
    let lock = DataLock::acquire(&dir, "plantlog factory-reset")
        .with_context(|| tr!(l, "cli-reset-stop-first"))?;
    if let Some(to) = export_to {
        let db = open_db(&data_dir)?;
        let out = plantlog::takeout::export(
            &db,
            &plantlog::takeout::Options::new(&to),
            &mut |_| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .with_context(|| tr!(l, "cli-reset-export-failed"))?;
        println!(
            "{}",
            tr!(
                l,
                "cli-reset-exported",
                folder = out.folder.to_string(),
                files = out.files
            )
        );
        drop(db);
    }
    let keep = [dir.lock_file(), dir.lock_info_file()];
    for p in std::fs::read_dir(dir.root())?.flatten().map(|e| e.path()) {
        if keep.contains(&p) {
            continue;
        }
        let r = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        r.with_context(|| tr!(l, "cli-cannot-remove", file = p.display().to_string()))?;
    }
    drop(lock);
    for p in keep {
        let _ = std::fs::remove_file(p);
    }
    println!(
        "{}",
        tr!(l, "cli-reset-done", folder = data_dir.display().to_string())
    );
    Ok(())
}

fn size(p: &std::path::Path) -> u64 {
    if p.is_dir() {
        std::fs::read_dir(p)
            .map(|d| d.flatten().map(|e| size(&e.path())).sum())
            .unwrap_or(0)
    } else {
        std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
    }
}
