//! `plantlog-central`: run the central server, prepare its database, add sites.

use std::net::SocketAddr;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use tokio_util::sync::CancellationToken;

use plantlog_central::db;

#[derive(Parser)]
#[command(
    version,
    about = "Plantlog's central server: plants sync to it, it stores in PostgreSQL"
)]
struct Cli {
    /// The PostgreSQL database, as a URL (postgresql://user@host/db) or a libpq
    /// connection string ("host=/run/postgresql dbname=plantlog").
    #[arg(long, env = "PLANTLOG_CENTRAL_DATABASE")]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve plants' batches (migrates the database first).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8790")]
        listen: SocketAddr,
        /// Connections to PostgreSQL.
        #[arg(long, default_value_t = 8)]
        connections: usize,
        /// Serve HTTPS with cert.pem and key.pem from this folder; when they are not
        /// there, a self-signed certificate is generated into it (for --tls-name) and its
        /// SHA-256 fingerprint printed, for the plants to pin.
        #[arg(long, value_name = "DIR")]
        tls_dir: Option<std::path::PathBuf>,
        /// Names (DNS or IP) the generated certificate is for.
        #[arg(long, default_value = "localhost")]
        tls_name: Vec<String>,
        /// A file whose first line is the owner's password (at least 12 characters):
        /// the owner's page at / (sites, their sync, production and energy by day) is
        /// served for it (HTTP Basic, any user name). Without it the page is off. Also
        /// PLANTLOG_CENTRAL_OWNER_PASSWORD_FILE.
        #[arg(
            long,
            value_name = "FILE",
            env = "PLANTLOG_CENTRAL_OWNER_PASSWORD_FILE"
        )]
        owner_password_file: Option<std::path::PathBuf>,
    },
    /// Bring the database's schema to this version and stop.
    Migrate,
    /// Sites: add one (prints its token once), add a token, list them.
    #[command(subcommand)]
    Site(SiteCommand),
}

#[derive(Subcommand)]
enum SiteCommand {
    /// Add a site; prints the token the plant will use (it is not stored, only its hash).
    Add { name: String },
    /// A further token for a site (the old ones stay valid).
    Token { name: String },
    /// Rotate a site's token: prints a new one; the site's older tokens stay valid for
    /// the grace period (time to give the plant the new token), then are refused.
    Rotate {
        name: String,
        /// How long the older tokens stay valid, in hours (0: refused at once).
        #[arg(long, default_value_t = 24.0)]
        grace_hours: f64,
    },
    /// The sites with their high-water marks.
    List,
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let connections = match &cli.command {
        Command::Serve { connections, .. } => *connections,
        _ => 2,
    };
    let pool = db::pool(&cli.database, connections)?;
    let version = db::migrate(&pool)
        .await
        .context("cannot prepare the database")?;
    match cli.command {
        Command::Migrate => println!("The database's schema is at version {version}."),
        Command::Serve {
            listen,
            tls_dir,
            tls_name,
            owner_password_file,
            ..
        } => {
            let owner = match &owner_password_file {
                Some(path) => {
                    let text = std::fs::read_to_string(path).with_context(|| {
                        format!("cannot read the owner's password from {}", path.display())
                    })?;
                    let first = text.lines().next().unwrap_or("");
                    Some(
                        plantlog_central::owner::Owner::new(first)
                            .map_err(anyhow::Error::msg)
                            .with_context(|| format!("{}", path.display()))?,
                    )
                }
                None => None,
            };
            let has_owner = owner.is_some();
            let router = plantlog_central::router_with(pool, owner);
            let tls = match &tls_dir {
                Some(dir) => Some(
                    plantlog_central::tls::load_or_generate(dir, &tls_name)
                        .context("cannot prepare HTTPS")?,
                ),
                None => None,
            };
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            println!(
                "plantlog-central is serving {}://{}/ (schema version {version})",
                if tls.is_some() { "https" } else { "http" },
                listener.local_addr()?
            );
            if let Some(t) = &tls {
                println!(
                    "Certificate SHA-256 fingerprint (pin it on the plants): {}",
                    t.fingerprint
                );
            }
            if has_owner {
                println!("The owner's page is at / (the owner's password, any user name).");
            }
            let shutdown = CancellationToken::new();
            let stop = shutdown.clone();
            tokio::spawn(async move {
                let _ = tokio::signal::ctrl_c().await;
                stop.cancel();
            });
            #[cfg(unix)]
            {
                let stop = shutdown.clone();
                tokio::spawn(async move {
                    if let Ok(mut term) =
                        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    {
                        term.recv().await;
                        stop.cancel();
                    }
                });
            }
            match tls {
                Some(t) => {
                    plantlog_central::tls::serve_router(listener, router, t.config, shutdown)
                        .await?
                }
                None => plantlog_central::serve_router(listener, router, shutdown).await?,
            }
        }
        Command::Site(SiteCommand::Add { name }) => {
            let token = db::add_site(&pool, &name).await?;
            println!(
                "Site {name} added. Its token (shown only now; give it to the plant):\n{token}"
            );
        }
        Command::Site(SiteCommand::Token { name }) => {
            let token = db::add_token(&pool, &name).await?;
            println!("A new token for site {name} (shown only now):\n{token}");
        }
        Command::Site(SiteCommand::Rotate { name, grace_hours }) => {
            if !grace_hours.is_finite() || grace_hours < 0.0 {
                anyhow::bail!("--grace-hours must be 0 or more");
            }
            let secs = (grace_hours * 3600.0).round() as i64;
            let token = db::rotate_token(&pool, &name, secs).await?;
            println!(
                "A new token for site {name} (shown only now; give it to the plant with `plantlog sync connect`). The older tokens stay valid for {grace_hours} h:\n{token}"
            );
        }
        Command::Site(SiteCommand::List) => {
            for s in db::sites(&pool).await? {
                println!(
                    "{}\tbatch {}\tsamples {}\tcomplete to {}\tlast batch {}",
                    s.name,
                    s.last_seq,
                    s.samples,
                    s.acked_to_ts,
                    s.last_batch_at.as_deref().unwrap_or("never")
                );
            }
        }
    }
    Ok(())
}
