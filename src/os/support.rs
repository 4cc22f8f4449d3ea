//! The support bundle: one zip a vendor can read offline, with the log files, crash
//! records, recent warnings and errors, the running configuration, settings with
//! anything secret-looking removed, versions and facts about this PC. Secrets live in
//! the OS keyring and never reach the bundle; user names, password hashes, sessions and
//! samples are not included.
//!
//! Reads the database read-only and without migrating, so it also works on a database
//! this version refuses to open (a downgrade) and while Plantlog runs.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use zip::write::SimpleFileOptions;

use crate::store::DataDir;

#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    #[error("cannot write the support bundle {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the support bundle {path}: {source}")]
    Zip {
        path: PathBuf,
        #[source]
        source: zip::result::ZipError,
    },
}

/// What went into a bundle.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BundleSummary {
    pub path: PathBuf,
    pub bytes: u64,
    /// The names inside the zip.
    pub files: Vec<String>,
}

/// Setting keys whose values never leave the PC.
fn is_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "password",
        "secret",
        "token",
        "key",
        "credential",
        "smtp_pass",
    ]
    .iter()
    .any(|w| k.contains(w))
}

/// Writes the bundle of `data_dir` to `out` (a .zip file, replaced if it exists).
/// `program` names who asks ("plantlog support bundle", "Plantlog desktop").
pub fn write_bundle(
    data_dir: &Path,
    out: &Path,
    program: &str,
) -> Result<BundleSummary, SupportError> {
    let write_err = |source| SupportError::Write {
        path: out.to_path_buf(),
        source,
    };
    let zip_err = |source| SupportError::Zip {
        path: out.to_path_buf(),
        source,
    };
    let file = std::fs::File::create(out).map_err(write_err)?;
    let mut zip = zip::ZipWriter::new(file);
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut files = Vec::new();
    let mut add = |zip: &mut zip::ZipWriter<std::fs::File>,
                   name: &str,
                   bytes: &[u8]|
     -> Result<(), SupportError> {
        zip.start_file(name, opts).map_err(zip_err)?;
        zip.write_all(bytes).map_err(write_err)?;
        files.push(name.to_string());
        Ok(())
    };

    let db = open_read_only(data_dir);
    add(&mut zip, "README.txt", readme(program).as_bytes())?;
    add(&mut zip, "versions.txt", versions(db.as_ref()).as_bytes())?;
    add(&mut zip, "system.txt", system_facts(data_dir).as_bytes())?;
    if let Some(toml) = db.as_ref().and_then(current_config) {
        add(&mut zip, "config.toml", toml.as_bytes())?;
    }
    if let Some(conn) = db.as_ref() {
        add(&mut zip, "settings.txt", settings(conn).as_bytes())?;
    }
    let problems = super::logs::recent_problems(data_dir, 200);
    let mut text = String::new();
    for p in &problems {
        let _ = writeln!(text, "{} {:5} {}", p.time, p.level, p.message);
    }
    add(&mut zip, "recent-problems.txt", text.as_bytes())?;
    let logs = super::paths::logs_dir(data_dir);
    for f in super::logs::log_files(&logs).unwrap_or_default() {
        if let (Some(name), Ok(bytes)) = (f.file_name(), std::fs::read(&f)) {
            add(
                &mut zip,
                &format!("logs/{}", name.to_string_lossy()),
                &bytes,
            )?;
        }
    }
    for f in super::crash::list(data_dir) {
        if let (Some(name), Ok(bytes)) = (f.file_name(), std::fs::read(&f)) {
            add(
                &mut zip,
                &format!("crash/{}", name.to_string_lossy()),
                &bytes,
            )?;
        }
    }
    let file = zip.finish().map_err(zip_err)?;
    let bytes = file.metadata().map_err(write_err)?.len();
    Ok(BundleSummary {
        path: out.to_path_buf(),
        bytes,
        files,
    })
}

/// A file name for a bundle made now: `plantlog-support-YYYYMMDD-HHMMSS.zip`.
pub fn default_file_name() -> String {
    format!(
        "plantlog-support-{}.zip",
        jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::system())
            .strftime("%Y%m%d-%H%M%S")
    )
}

fn readme(program: &str) -> String {
    format!(
        "Plantlog support bundle, made by {program} at {} (UTC).\n\n\
         versions.txt         Plantlog, database schema and SQLite versions\n\
         system.txt           this PC: system, processors, memory, data folder, free space\n\
         config.toml          the running plant configuration (holds no secrets)\n\
         settings.txt         settings, with any secret-looking value removed\n\
         recent-problems.txt  the newest warnings and errors from the logs\n\
         logs/                the log files (one a day)\n\
         crash/               crash records, if Plantlog ever crashed\n\n\
         Not included: users, password hashes, sessions, the audit log, samples, secrets.\n",
        jiff::Timestamp::now()
            .round(jiff::Unit::Second)
            .unwrap_or(jiff::Timestamp::now())
    )
}

fn open_read_only(data_dir: &Path) -> Option<Connection> {
    let path = data_dir.join("plantlog.db");
    if !path.exists() {
        return None;
    }
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    let _ = conn.busy_timeout(std::time::Duration::from_secs(5));
    Some(conn)
}

fn versions(db: Option<&Connection>) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "plantlog:          {}", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(
        t,
        "schema known:      {}",
        crate::store::schema_version_known()
    );
    match db.map(crate::store::schema_version) {
        Some(Ok(v)) => {
            let _ = writeln!(t, "database schema:   {v}");
        }
        Some(Err(e)) => {
            let _ = writeln!(t, "database schema:   cannot read: {e}");
        }
        None => {
            let _ = writeln!(t, "database schema:   no database");
        }
    }
    let _ = writeln!(t, "sqlite:            {}", rusqlite::version());
    let _ = writeln!(
        t,
        "built for:         {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    t
}

fn current_config(conn: &Connection) -> Option<String> {
    conn.query_row(
        "SELECT toml FROM config_versions ORDER BY id DESC LIMIT 1",
        [],
        |r| r.get(0),
    )
    .optional()
    .ok()
    .flatten()
}

fn settings(conn: &Connection) -> String {
    let mut t = String::new();
    let rows: Vec<(String, String)> = conn
        .prepare("SELECT key, value FROM settings ORDER BY key")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()
        })
        .unwrap_or_default();
    for (k, v) in rows {
        if is_secret(&k) {
            let _ = writeln!(t, "{k} = (removed)");
        } else {
            let _ = writeln!(t, "{k} = {v}");
        }
    }
    t
}

/// Facts about this PC and the data folder.
pub fn system_facts(data_dir: &Path) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "system:            {}", os_description());
    let _ = writeln!(
        t,
        "processors:        {}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    if let Some(mb) = total_memory_mb() {
        let _ = writeln!(t, "memory:            {mb} MB");
    }
    let _ = writeln!(
        t,
        "time zone:         {}",
        jiff::tz::TimeZone::system()
            .iana_name()
            .unwrap_or("(not an IANA zone)")
    );
    let _ = writeln!(t, "data folder:       {}", data_dir.display());
    let dir = DataDir::create(data_dir).ok();
    if let Some(dir) = &dir {
        let size = |p: PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
        let _ = writeln!(
            t,
            "database:          {} bytes (+ {} WAL)",
            size(dir.database()),
            size(data_dir.join("plantlog.db-wal"))
        );
        let holder = std::fs::read_to_string(dir.lock_info_file()).unwrap_or_default();
        let _ = writeln!(t, "last lock holder:  {}", holder.trim());
    }
    let disk = crate::store::guard::check(data_dir, 0);
    let _ = writeln!(
        t,
        "disk free:         {} of {} MB",
        disk.free_bytes.map_or(0, |b| b / (1024 * 1024)),
        disk.total_bytes.map_or(0, |b| b / (1024 * 1024))
    );
    match tokio_serial::available_ports() {
        Ok(ports) => {
            let _ = writeln!(t, "serial ports:      {}", ports.len());
            for p in ports {
                let kind = match p.port_type {
                    tokio_serial::SerialPortType::UsbPort(u) => format!(
                        "USB {:04x}:{:04x} {} {}",
                        u.vid,
                        u.pid,
                        u.manufacturer.unwrap_or_default(),
                        u.product.unwrap_or_default()
                    ),
                    other => format!("{other:?}"),
                };
                let _ = writeln!(t, "  {:<18} {}", p.port_name, kind.trim());
            }
        }
        Err(e) => {
            let _ = writeln!(t, "serial ports:      cannot list: {e}");
        }
    }
    t
}

fn os_description() -> String {
    #[cfg(target_os = "linux")]
    {
        let pretty = std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|s| {
                s.lines().find_map(|l| {
                    l.strip_prefix("PRETTY_NAME=")
                        .map(|v| v.trim_matches('"').to_string())
                })
            })
            .unwrap_or_else(|| "Linux".into());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        format!(
            "{pretty}, kernel {} ({})",
            kernel.trim(),
            std::env::consts::ARCH
        )
    }
    #[cfg(windows)]
    {
        // `ver` prints "Microsoft Windows [Version 10.0.22631.4460]".
        let ver = std::process::Command::new("cmd")
            .args(["/C", "ver"])
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "Windows".into());
        format!("{ver} ({})", std::env::consts::ARCH)
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    {
        format!("{} ({})", std::env::consts::OS, std::env::consts::ARCH)
    }
}

fn total_memory_mb() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let info = std::fs::read_to_string("/proc/meminfo").ok()?;
        let kb: u64 = info
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb / 1024)
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Windows: the support bundle does without it rather than pull in a crate.
        None
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn secret_looking_settings_are_removed() {
        assert!(is_secret("sync.token"));
        assert!(is_secret("smtp_password"));
        assert!(is_secret("api_key"));
        assert!(!is_secret("storage.disk_warn_mb"));
    }

    #[test]
    fn bundle_holds_logs_config_and_no_secrets() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let dir = DataDir::create(&data).unwrap();
        let db = crate::store::Db::open(&dir.database()).unwrap();
        db.sql(|c| {
            c.execute_batch(
                "INSERT INTO settings (key, value) VALUES ('sync.token', 'hunter2-secret');
                 INSERT INTO settings (key, value) VALUES ('storage.disk_warn_mb', '2048');",
            )
        })
        .unwrap();
        let logs = crate::os::paths::logs_dir(&data);
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::write(
            logs.join("plantlog.2026-01-02.log"),
            "2026-01-02T10:00:02.000000Z ERROR plantlog::store: disk full\n",
        )
        .unwrap();
        let out = tmp.path().join("bundle.zip");
        let summary = write_bundle(&data, &out, "test").unwrap();
        assert!(summary.bytes > 0);
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
        for n in [
            "README.txt",
            "versions.txt",
            "system.txt",
            "settings.txt",
            "recent-problems.txt",
            "logs/plantlog.2026-01-02.log",
        ] {
            assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
        }
        let mut all = String::new();
        for i in 0..zip.len() {
            zip.by_index(i).unwrap().read_to_string(&mut all).unwrap();
        }
        assert!(!all.contains("hunter2"), "a secret reached the bundle");
        assert!(all.contains("storage.disk_warn_mb = 2048"));
        assert!(all.contains("sync.token = (removed)"));
        assert!(all.contains("disk full"));
        assert!(all.contains(&format!("plantlog:          {}", env!("CARGO_PKG_VERSION"))));
    }
}
