//! A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` into a temporary
//! folder, `postgres` on a free port of 127.0.0.1 (and a socket in that folder), stopped
//! and removed when dropped. Debian's PostgreSQL binaries are found in
//! /usr/lib/postgresql/<version>/bin (or the folder `PLANTLOG_PG_BIN` names, or PATH).
//!
//! PostgreSQL refuses to run as root: as root, the folder is given to the `postgres`
//! account and the server runs as it (through `runuser`).

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum PgTestError {
    #[error(
        "PostgreSQL's binaries were not found (initdb, pg_ctl): install Debian's postgresql package, or set PLANTLOG_PG_BIN to their folder"
    )]
    NoBinaries,
    #[error("{what} failed: {detail}")]
    Step { what: String, detail: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("PostgreSQL: {0}")]
    Pg(#[from] tokio_postgres::Error),
}

/// A running throwaway cluster; stopped and deleted on drop.
pub struct PgCluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    as_postgres: bool,
    running: bool,
}

fn bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PLANTLOG_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    found.sort();
    if let Some((_, bin)) = found.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p).find(|d| d.join("initdb").exists() && d.join("pg_ctl").exists())
    })
}

fn is_root() -> bool {
    #[cfg(unix)]
    {
        Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl PgCluster {
    /// Makes and starts a cluster with a database named `plantlog`.
    pub async fn start() -> Result<PgCluster, PgTestError> {
        let bin = bin_dir().ok_or(PgTestError::NoBinaries)?;
        let dir = tempfile::Builder::new().prefix("plantlog-pg-").tempdir()?;
        let as_postgres = is_root();
        if as_postgres {
            run(
                Command::new("chown")
                    .arg("-R")
                    .arg("postgres:")
                    .arg(dir.path()),
                "chown of the cluster folder",
            )?;
        }
        let mut cluster = PgCluster {
            bin,
            dir,
            port: free_port()?,
            as_postgres,
            running: false,
        };
        let data = cluster.data();
        let mut initdb = cluster.command("initdb");
        initdb.arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ]);
        run(&mut initdb, "initdb")?;
        cluster.start_server()?;
        let client = cluster.connect("postgres").await?;
        client.batch_execute("CREATE DATABASE plantlog").await?;
        Ok(cluster)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    /// Starts the server (again, after [`PgCluster::stop`]) on the same port.
    pub fn start_server(&mut self) -> Result<(), PgTestError> {
        // fsync off: a test's cluster need not survive the machine losing power, only a
        // crash of the server process (`-m immediate`), after which what the OS holds is
        // still there. synchronous_commit stays on: with it off, a commit is answered
        // before its WAL is written, so an immediate stop loses batches the central
        // server already acknowledged (the sync test's crash step found that).
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
            self.port,
            self.dir.path().display()
        );
        let mut c = self.command("pg_ctl");
        c.arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.dir.path().join("server.log"))
            .args(["-w", "-t", "60", "-o", &options, "start"]);
        run(&mut c, "pg_ctl start").map_err(|e| self.with_log(e))?;
        self.running = true;
        Ok(())
    }

    /// Stops the server at once (`pg_ctl -m immediate`: like a crash; committed data
    /// stays).
    pub fn stop(&mut self) -> Result<(), PgTestError> {
        let mut c = self.command("pg_ctl");
        c.arg("-D")
            .arg(self.data())
            .args(["-w", "-m", "immediate", "stop"]);
        run(&mut c, "pg_ctl stop")?;
        self.running = false;
        Ok(())
    }

    fn with_log(&self, e: PgTestError) -> PgTestError {
        let log = std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        match e {
            PgTestError::Step { what, detail } => PgTestError::Step {
                what,
                detail: format!("{detail}\nserver log:\n{log}"),
            },
            e => e,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn folder(&self) -> &Path {
        self.dir.path()
    }

    /// A connection string for `database`.
    pub fn url(&self, database: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user=postgres dbname={database}",
            self.port
        )
    }

    /// A connection to `database` (its driver task runs on the current runtime).
    pub async fn connect(&self, database: &str) -> Result<tokio_postgres::Client, PgTestError> {
        let (client, conn) =
            tokio_postgres::connect(&self.url(database), tokio_postgres::NoTls).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(client)
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if self.running {
            let _ = self.stop();
        }
    }
}

fn run(c: &mut Command, what: &str) -> Result<(), PgTestError> {
    let out = c.output()?;
    if out.status.success() {
        return Ok(());
    }
    Err(PgTestError::Step {
        what: what.to_string(),
        detail: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    })
}
