//! PostgreSQL: the connection pool, the schema's migrations (an ordered list, each
//! applied in a transaction that holds an advisory lock, so several central servers
//! starting at once migrate once), and the sites and their tokens.

/// The pool of connections every handler takes one from.
pub use deadpool_postgres::Pool;
use deadpool_postgres::{Manager, ManagerConfig, RecyclingMethod};
use sha2::{Digest, Sha256};
use tokio_postgres::NoTls;

/// The migrations, in order; the version table records how many were applied. Never
/// edit one that was released: add the next.
const MIGRATIONS: &[(&str, &str)] = &[
    ("01-start", include_str!("../migrations/01-start.sql")),
    ("02-streams", include_str!("../migrations/02-streams.sql")),
    (
        "03-token-grace",
        include_str!("../migrations/03-token-grace.sql"),
    ),
    (
        "04-completeness",
        include_str!("../migrations/04-completeness.sql"),
    ),
    (
        "05-unknown-gaps",
        include_str!("../migrations/05-unknown-gaps.sql"),
    ),
];

/// An arbitrary key for the advisory lock that serialises migrations.
const MIGRATE_LOCK: i64 = 0x706c_616e_746c_6f67;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("PostgreSQL: {0}")]
    Pg(#[from] tokio_postgres::Error),
    #[error("no PostgreSQL connection: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("the database URL is not understood: {0}")]
    Config(String),
    #[error(
        "the database's schema is version {found}, newer than this central server knows ({known}); run the newer plantlog-central"
    )]
    TooNew { found: i64, known: i64 },
    #[error("{0}")]
    Refused(String),
}

/// Opens a pool of connections to `url` (a libpq connection string or
/// postgresql:// URL).
pub fn pool(url: &str, size: usize) -> Result<Pool, DbError> {
    let config: tokio_postgres::Config = url
        .parse()
        .map_err(|e: tokio_postgres::Error| DbError::Config(format!("{url:?}: {e}")))?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(size)
        .build()
        .map_err(|e| DbError::Config(e.to_string()))
}

/// Applies the migrations not yet applied; returns the schema version.
pub async fn migrate(pool: &Pool) -> Result<i64, DbError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version bigint NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    )
    .await?;
    let found: i64 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])
        .await?
        .get(0);
    let known = MIGRATIONS.len() as i64;
    if found > known {
        return Err(DbError::TooNew { found, known });
    }
    for (i, (_, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&(i as i64 + 1)],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(known)
}

/// SHA-256 of a token, as stored.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A new random token: 32 bytes as 64 hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

/// Makes a site and its first token; returns the token (shown once, stored hashed).
pub async fn add_site(pool: &Pool, name: &str) -> Result<String, DbError> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(DbError::Refused(format!(
            "site name {name:?}: use 1 to 64 letters, digits, '-' or '_'"
        )));
    }
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let row = tx
        .query_opt(
            "INSERT INTO sites (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id",
            &[&name],
        )
        .await?;
    let Some(row) = row else {
        return Err(DbError::Refused(format!(
            "a site named {name:?} exists already; use `plantlog-central site token {name}` for a new token"
        )));
    };
    let id: i64 = row.get(0);
    let token = new_token();
    tx.execute(
        "INSERT INTO site_tokens (site_id, token_hash) VALUES ($1, $2)",
        &[&id, &token_hash(&token)],
    )
    .await?;
    tx.execute(
        "INSERT INTO events (site_id, kind, detail) VALUES ($1, 'site added', $2)",
        &[&id, &format!("site {name} and its first token")],
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Adds a token to an existing site (the old ones stay valid until revoked).
pub async fn add_token(pool: &Pool, name: &str) -> Result<String, DbError> {
    let client = pool.get().await?;
    let Some(row) = client
        .query_opt("SELECT id FROM sites WHERE name = $1", &[&name])
        .await?
    else {
        return Err(DbError::Refused(format!("no site named {name:?}")));
    };
    let id: i64 = row.get(0);
    let token = new_token();
    client
        .execute(
            "INSERT INTO site_tokens (site_id, token_hash) VALUES ($1, $2)",
            &[&id, &token_hash(&token)],
        )
        .await?;
    client
        .execute(
            "INSERT INTO events (site_id, kind, detail) VALUES ($1, 'token added', 'a new token')",
            &[&id],
        )
        .await?;
    Ok(token)
}

/// Rotates a site's token: a new token, valid at once; the site's other tokens stay
/// valid for `grace_secs` more (time to give the plant the new one), then are refused.
/// A token that already ends sooner keeps its end. Returns the new token (shown once).
pub async fn rotate_token(pool: &Pool, name: &str, grace_secs: i64) -> Result<String, DbError> {
    if !(0..=90 * 86_400).contains(&grace_secs) {
        return Err(DbError::Refused(
            "the grace period is 0 seconds to 90 days".to_string(),
        ));
    }
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let Some(row) = tx
        .query_opt("SELECT id FROM sites WHERE name = $1", &[&name])
        .await?
    else {
        return Err(DbError::Refused(format!("no site named {name:?}")));
    };
    let id: i64 = row.get(0);
    let old = tx
        .execute(
            "UPDATE site_tokens SET expires_at = least(coalesce(expires_at, 'infinity'),
                 now() + make_interval(secs => $2::bigint))
             WHERE site_id = $1 AND revoked_at IS NULL
               AND (expires_at IS NULL OR expires_at > now())",
            &[&id, &grace_secs],
        )
        .await?;
    let token = new_token();
    tx.execute(
        "INSERT INTO site_tokens (site_id, token_hash) VALUES ($1, $2)",
        &[&id, &token_hash(&token)],
    )
    .await?;
    tx.execute(
        "INSERT INTO events (site_id, kind, detail) VALUES ($1, 'token rotated', $2)",
        &[
            &id,
            &format!("a new token; {old} older token(s) valid for {grace_secs} s more"),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// A site as the owner sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SiteView {
    pub name: String,
    pub last_seq: i64,
    pub acked_to_ts: i64,
    pub samples: i64,
    pub last_batch_at: Option<String>,
}

pub async fn sites(pool: &Pool) -> Result<Vec<SiteView>, DbError> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT name, last_seq, acked_to_ts, samples, to_char(last_batch_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM sites ORDER BY name",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| SiteView {
            name: r.get(0),
            last_seq: r.get(1),
            acked_to_ts: r.get(2),
            samples: r.get(3),
            last_batch_at: r.get(4),
        })
        .collect())
}
