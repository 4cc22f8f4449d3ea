//! The `plantlog` command's subcommands, one module each. They parse, call the core's
//! rooms and print; the core itself never prints or exits.

pub mod audit;
pub mod backup;
pub mod bench;
pub mod bench_export;
#[cfg(feature = "bench-central")]
pub mod bench_sync;
pub mod config;
pub mod export;
pub mod forget;
pub mod import;
pub mod modbus;
pub mod production;
pub mod quality;
pub mod report;
pub mod run;
pub mod service;
pub mod support;
pub mod sync;
pub mod takeout;
pub mod trace;
pub mod users;

use anyhow::{Context, Result};

use plantlog::store::{DataDir, Db};

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .with_context(|| plantlog::tr!(lang(), "cli-no-runtime"))
}

/// Runs `f` on a new runtime; when it returns, work still running on the runtime's
/// threads (a long read a client left) gets a few seconds, then the process goes on
/// without it, so stopping never hangs.
pub fn block_on<F: std::future::Future<Output = Result<()>>>(f: F) -> Result<()> {
    let rt = runtime()?;
    let result = rt.block_on(f);
    rt.shutdown_timeout(std::time::Duration::from_secs(3));
    result
}

/// Opens the data folder's database; from then on the command speaks the plant's
/// language unless `--lang` or `PLANTLOG_LANG` chose another.
pub fn open_db(data_dir: &std::path::Path) -> Result<Db> {
    let dir = DataDir::create(data_dir).with_context(|| {
        plantlog::tr!(
            lang(),
            "cli-cannot-create-folder",
            folder = data_dir.display().to_string()
        )
    })?;
    let db = Db::open(&dir.database())?;
    db.with(|c| {
        plantlog::i18n::plant_default(c);
        Ok::<_, plantlog::store::StoreError>(())
    })?;
    Ok(db)
}

/// For a command that does not open the database (`config check`, `backup now --to`,
/// `backup verify`, `backup list --to`): the plant's default language, read from the
/// data folder's database when there is one, opened read-only (nothing is created or
/// changed; a database that cannot be read leaves the language as it was).
pub fn peek_plant_language(data_dir: &std::path::Path) {
    use rusqlite::{Connection, OpenFlags};
    let path = data_dir.join("plantlog.db");
    if !path.is_file() {
        return;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if let Ok(c) = Connection::open_with_flags(&path, flags) {
        let _ = c.busy_timeout(std::time::Duration::from_millis(500));
        plantlog::i18n::plant_default(&c);
    }
}

/// The language the command speaks (see [`plantlog::i18n::cli`]).
pub fn lang() -> plantlog::i18n::Lang {
    plantlog::i18n::cli()
}

/// `s` seconds with one decimal, as the command's language writes it.
pub fn secs(s: f64) -> String {
    lang().num(s, 1)
}

/// A quantity as Rust writes it ("12.5", "3"), with the decimal comma where the
/// command's language uses one.
pub fn number(v: impl std::fmt::Display) -> String {
    let s = v.to_string();
    match lang() {
        plantlog::i18n::Lang::De | plantlog::i18n::Lang::Es => s.replace('.', ","),
        _ => s,
    }
}

/// An error as the command says it: each cause of the chain joined by ": " (as `{e:#}`),
/// an error of the core by its code and params in the command's language (the
/// configuration's mistakes each with its place), after which its own causes are not
/// repeated.
pub fn say_error(e: &anyhow::Error) -> String {
    let lang = lang();
    let mut parts = Vec::new();
    for cause in e.chain() {
        if let Some(said) = plantlog::i18n::errors::known(lang, cause) {
            parts.push(said);
            break;
        }
        parts.push(cause.to_string());
    }
    parts.join(": ")
}

pub fn read(file: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(file).with_context(|| {
        plantlog::tr!(lang(), "cli-cannot-read", file = file.display().to_string())
    })
}

/// Writes `bytes` to `file`; an error names the file in the command's language.
pub fn write(file: &std::path::Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(file, bytes).with_context(|| {
        plantlog::tr!(
            lang(),
            "cli-cannot-write",
            file = file.display().to_string()
        )
    })
}

/// A day or a time given to `flag` (`--from`, `--to`, `--until`): a day in the plant's
/// calendar, RFC 3339 with an offset or UTC milliseconds; refused in the command's
/// language.
pub fn time_arg(plant: &plantlog::config::Plant, flag: &str, given: &str) -> Result<i64> {
    plantlog::core::production::parse_time(plant, given).map_err(|_| {
        anyhow::anyhow!(
            "{}",
            plantlog::tr!(lang(), "cli-bad-time", flag = flag, given = given)
        )
    })
}
