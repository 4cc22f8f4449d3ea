//! `plantlog backup now|list|verify|restore|drill`: the same backup room the app's scheduler
//! and admin page use, with progress on a terminal.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use age::x25519::Identity;
use plantlog::auth::audit::{self, Actor, AuditEntry};
use plantlog::backup::{self, Progress, crypt, manifest, targets};
use plantlog::store::{DataDir, DataLock};
use plantlog::tr;

use super::{lang, secs};

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Back up the data folder now, while Plantlog may be collecting into it: into
    /// FOLDER, or without --to to every target set up on the Backups page (each run
    /// recorded there, with the target's retention applied).
    Now {
        /// The folder to back up into (a drive, a share, a stick); the backup goes into
        /// FOLDER/Plantlog/<time>.
        #[arg(long, value_name = "FOLDER")]
        to: Option<PathBuf>,
        /// With --to: store only the pages changed since the newest backup in FOLDER
        /// (a full backup when there is none to build on, or the chain's full one is a
        /// week old). Targets set up on the Backups page always do this.
        #[arg(long, requires = "to")]
        incremental: bool,
        /// The recovery key of encrypted backups, in a file (else the OS keyring): an
        /// incremental on an encrypted backup reads its page list with it.
        #[arg(long, value_name = "FILE")]
        key_file: Option<PathBuf>,
    },
    /// List the backups in FOLDER, or without --to on every target, newest last, with
    /// their state.
    List {
        #[arg(long, value_name = "FOLDER")]
        to: Option<PathBuf>,
    },
    /// Check a backup again: each file's SHA-256, the database's integrity, its row
    /// counts and newest samples against its manifest.
    Verify {
        /// A backup folder (FOLDER/Plantlog/<time>).
        backup: PathBuf,
        /// The recovery key of an encrypted backup, in a file (else the OS keyring).
        #[arg(long, value_name = "FILE")]
        key_file: Option<PathBuf>,
    },
    /// Restore a backup into the data folder (--data-dir). Plantlog must be stopped; the
    /// data that is there is moved aside into set-aside/, never deleted.
    Restore {
        /// A backup folder (FOLDER/Plantlog/<time>).
        backup: PathBuf,
        /// The recovery key of an encrypted backup, in a file (else the OS keyring).
        #[arg(long, value_name = "FILE")]
        key_file: Option<PathBuf>,
    },
    /// Run a restore drill now: the newest good backup on the targets set up on the
    /// Backups page is restored into a temporary folder (never the data folder) and
    /// checked; the result is recorded and audited as the app's monthly drill is.
    Drill {
        /// The recovery key of encrypted backups, in a file (else the OS keyring).
        #[arg(long, value_name = "FILE")]
        key_file: Option<PathBuf>,
    },
}

/// Progress on a terminal: one line rewritten in place.
struct Terminal {
    on: bool,
    last: Mutex<(String, u64)>,
}

impl Terminal {
    fn new() -> Terminal {
        Terminal {
            on: std::io::stderr().is_terminal(),
            last: Mutex::new((String::new(), u64::MAX)),
        }
    }

    fn done(&self) {
        if self.on {
            eprint!("\r\x1b[2K");
        }
    }
}

impl Progress for Terminal {
    fn step(&self, what: &str, done: u64, total: u64) {
        if !self.on {
            return;
        }
        let pct = (done * 100).checked_div(total).unwrap_or(0);
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.0 == what && last.1 == pct {
            return;
        }
        *last = (what.to_string(), pct);
        if total > 1 {
            eprint!("\r\x1b[2K{what}: {pct} %");
        } else {
            eprint!("\r\x1b[2K{what}…");
        }
        let _ = std::io::stderr().flush();
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

pub fn run(data_dir: PathBuf, cmd: BackupCommand) -> Result<()> {
    // The commands that do not open the database still speak the plant's language.
    if matches!(
        cmd,
        BackupCommand::Now { to: Some(_), .. }
            | BackupCommand::Verify { .. }
            | BackupCommand::List { to: Some(_) }
    ) {
        super::peek_plant_language(&data_dir);
    }
    match cmd {
        BackupCommand::Now {
            to: None, key_file, ..
        } => now_to_targets(&data_dir, key_file.as_deref()),
        BackupCommand::List { to: None } => {
            let targets = configured(&data_dir)?;
            for t in targets {
                println!("{} ({}):", t.name, t.path);
                match targets::folder(&t.path) {
                    Some(f) => list(&f)?,
                    None => println!(
                        "  {}",
                        tr!(
                            lang(),
                            "cli-backup-waiting-for-stick",
                            label = targets::stick_label(&t.path).unwrap_or_default()
                        )
                    ),
                }
            }
            Ok(())
        }
        BackupCommand::Now {
            to: Some(to),
            incremental,
            key_file,
        } => {
            let keys = keys(&data_dir, key_file.as_deref())?;
            let p = Terminal::new();
            let made = if incremental || keys.encrypt_to.is_some() {
                backup::incremental::make_next_with(&data_dir, &to, &keys, &p)
            } else {
                backup::make(&data_dir, &to, &p)
            };
            p.done();
            let made = made?;
            let m = &made.manifest;
            if let Some(c) = m.chain.as_ref().filter(|c| c.parent.is_some()) {
                println!(
                    "{}",
                    tr!(
                        lang(),
                        "cli-backup-incremental",
                        parent = c.parent.as_deref().unwrap_or(""),
                        stored = c.stored_pages,
                        pages = c.pages
                    )
                );
            }
            println!(
                "{}",
                tr!(
                    lang(),
                    "cli-backup-done",
                    folder = data_dir.display().to_string(),
                    backup = made.dir.display().to_string(),
                    size = mb(m.bytes()),
                    files = m.files.len(),
                    tables = m.verification.tables,
                    tags = m.verification.tags,
                    seconds = secs(m.took_ms as f64 / 1000.0),
                    copy = secs(m.copy_ms as f64 / 1000.0)
                )
            );
            Ok(())
        }
        BackupCommand::List { to: Some(to) } => list(&to),
        BackupCommand::Verify { backup, key_file } => {
            let key = key(key_file.as_deref())?;
            let p = Terminal::new();
            p.step("verifying", 0, 1);
            let result = backup::verify::verify_with(&backup, key.as_ref());
            p.done();
            let (m, v) = result?;
            if !v.passed {
                bail!(
                    "{}",
                    tr!(
                        lang(),
                        "cli-backup-not-verified",
                        backup = backup.display().to_string(),
                        problems = v.problems.join("; ")
                    )
                );
            }
            println!(
                "{}",
                tr!(
                    lang(),
                    "cli-backup-verifies",
                    backup = backup.display().to_string(),
                    files = m.files.len(),
                    tables = v.tables,
                    tags = v.tags,
                    size = mb(m.bytes()),
                    name = m.name.as_str(),
                    seconds = secs(v.took_ms as f64 / 1000.0)
                )
            );
            Ok(())
        }
        BackupCommand::Restore { backup, key_file } => {
            restore(&data_dir, &backup, key(key_file.as_deref())?)
        }
        BackupCommand::Drill { key_file } => drill(&data_dir, key(key_file.as_deref())?),
    }
}

/// The key that reads encrypted backups: the recovery key in `file` when given, else
/// the one in the OS keyring (None when there is none).
fn key(file: Option<&Path>) -> Result<Option<Identity>> {
    if let Some(f) = file {
        let text = std::fs::read_to_string(f).with_context(|| {
            tr!(
                lang(),
                "cli-cannot-read-key",
                file = f.display().to_string()
            )
        })?;
        return Ok(Some(crypt::parse_key(&text)?));
    }
    Ok(plantlog::mail::secret::Secrets::default()
        .get(crypt::KEY_ACCOUNT)
        .and_then(|(t, _)| crypt::parse_key(&t).ok()))
}

/// How the data folder's backups are written: encrypted when the admin turned it on.
fn keys(data_dir: &Path, file: Option<&Path>) -> Result<crypt::Keys> {
    let db = data_dir.join(manifest::DATABASE);
    let setting = match backup::verify::open_copy(&db) {
        Ok(c) => crypt::setting(&c).unwrap_or(None),
        Err(_) => None,
    };
    Ok(crypt::Keys {
        encrypt_to: setting.map(|r| crypt::parse_recipient(&r)).transpose()?,
        key: key(file)?,
    })
}

fn restore(data_dir: &Path, backup: &Path, key: Option<Identity>) -> Result<()> {
    let dir = DataDir::create(data_dir).with_context(|| {
        tr!(
            lang(),
            "cli-cannot-create-folder",
            folder = data_dir.display().to_string()
        )
    })?;
    // Collection stays stopped for the whole restore: nothing else may hold the folder.
    let _lock = DataLock::acquire(&dir, "restoring a backup")?;
    let p = Terminal::new();
    let result =
        backup::restore::restore_with(backup, data_dir, key.as_ref(), &Actor::command_line(), &p);
    p.done();
    let r = result?;
    println!(
        "{}",
        tr!(
            lang(),
            "cli-backup-restored",
            name = r.manifest.name.as_str(),
            folder = data_dir.display().to_string()
        )
    );
    match r.set_aside {
        Some(aside) => println!(
            "{}",
            tr!(
                lang(),
                "cli-backup-kept-aside",
                aside = aside.display().to_string()
            )
        ),
        None => println!("{}", tr!(lang(), "cli-backup-was-empty")),
    }
    Ok(())
}

fn list(to: &Path) -> Result<()> {
    let root = to.join(backup::FOLDER);
    let listed = manifest::list(&root)?;
    if listed.is_empty() {
        println!(
            "{}",
            tr!(
                lang(),
                "cli-backup-none",
                folder = root.display().to_string()
            )
        );
    }
    for l in listed {
        let size = l.manifest.as_ref().map_or(0, |m| m.bytes());
        let lg = lang();
        let why = l.why.as_deref().unwrap_or("");
        let state = match l.state {
            manifest::Found::Good => tr!(lg, "cli-backup-good"),
            manifest::Found::Failed => tr!(lg, "cli-backup-state-failed", why = why),
            manifest::Found::Incomplete => tr!(lg, "cli-backup-incomplete", why = why),
        };
        let kind = match l
            .manifest
            .as_ref()
            .and_then(|m| m.chain.as_ref())
            .and_then(|c| c.parent.as_deref())
        {
            Some(p) => tr!(lg, "cli-backup-incremental-on", parent = p),
            None => tr!(lg, "cli-backup-full"),
        };
        let kind = match l.manifest.as_ref().is_some_and(|m| m.encryption.is_some()) {
            true => tr!(lg, "cli-backup-encrypted", kind = kind),
            false => kind,
        };
        println!("{}  {:>10}  {state}  {kind}", l.dir.display(), mb(size));
    }
    Ok(())
}

fn configured(data_dir: &Path) -> Result<Vec<targets::Target>> {
    let db = super::open_db(data_dir)?;
    let list = db.sql(|c| targets::list(c))?;
    if list.is_empty() {
        bail!(
            "{}",
            tr!(
                lang(),
                "cli-backup-no-target",
                folder = data_dir.display().to_string()
            )
        );
    }
    Ok(list)
}

/// Every enabled target in turn, as the scheduler runs them; fails when one failed.
fn now_to_targets(data_dir: &Path, key_file: Option<&Path>) -> Result<()> {
    let keys = keys(data_dir, key_file)?;
    let db = super::open_db(data_dir)?;
    let tz = db
        .with(|c| Ok::<_, anyhow::Error>(plantlog::config::load_plant(c)?))?
        .timezone();
    let mut failed = 0;
    for t in configured(data_dir)?.into_iter().filter(|t| t.enabled) {
        if let Some(label) = targets::stick_label(&t.path)
            && targets::folder(&t.path).is_none()
        {
            println!(
                "{}",
                tr!(
                    lang(),
                    "cli-backup-skipped",
                    target = t.name.as_str(),
                    why = targets::waiting_for(label)
                )
            );
            continue;
        }
        let p = Terminal::new();
        let o = targets::run_with(&db, data_dir, &t, &tz, &keys, &p);
        p.done();
        match o?.made {
            Ok(m) => println!(
                "{}",
                tr!(
                    lang(),
                    "cli-backup-target-done",
                    target = t.name.as_str(),
                    backup = m.dir.display().to_string(),
                    size = mb(m.manifest.bytes()),
                    seconds = secs(m.manifest.took_ms as f64 / 1000.0)
                )
            ),
            Err(e) => {
                failed += 1;
                eprintln!(
                    "{}",
                    tr!(
                        lang(),
                        "cli-backup-target-failed",
                        target = t.name.as_str(),
                        error = e.to_string()
                    )
                );
            }
        }
    }
    if failed > 0 {
        bail!("{}", tr!(lang(), "cli-backup-failed-count", count = failed));
    }
    Ok(())
}

/// One restore drill now, recorded and audited in the data folder's database.
fn drill(data_dir: &Path, key: Option<Identity>) -> Result<()> {
    let db = super::open_db(data_dir)?;
    let list: Vec<_> = configured(data_dir)?
        .into_iter()
        .filter(|t| t.enabled)
        .collect();
    let p = Terminal::new();
    p.step(
        "restoring the newest backup into a temporary folder and checking it",
        0,
        1,
    );
    let d = backup::drill::run_with(&list, plantlog::sample::now_ms(), key.as_ref());
    p.done();
    let d = d?;
    let d = db.sql(|c| {
        let tx = plantlog::store::write_tx(c)?;
        let d = backup::drill::record(&tx, &d)?;
        let detail = format!(
            "{}, took {:.1} s: {}",
            if d.passed { "passed" } else { "FAILED" },
            d.took_ms as f64 / 1000.0,
            d.detail
        );
        audit::record(
            &tx,
            &AuditEntry::new(&Actor::command_line(), "backup.drill", &d.backup, &detail),
        )?;
        tx.commit()?;
        Ok(d)
    })?;
    if !d.passed {
        bail!(
            "{}",
            tr!(
                lang(),
                "cli-backup-drill-failed",
                backup = d.backup.as_str(),
                seconds = secs(d.took_ms as f64 / 1000.0),
                detail = d.detail.as_str()
            )
        );
    }
    println!(
        "{}",
        tr!(
            lang(),
            "cli-backup-drill-passed",
            backup = d.backup.as_str(),
            target = d.target.as_str(),
            seconds = secs(d.took_ms as f64 / 1000.0),
            detail = d.detail.as_str()
        )
    );
    Ok(())
}
