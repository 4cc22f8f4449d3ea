//! SQLite: the data folder, opening connections, migrations, the one writer of
//! samples, and reading samples back for charts.
//!
//! Connection PRAGMAs are set in one place, [`open`]. Migrations are forward-only SQL
//! files under migrations/, embedded in the binary and applied when the database is
//! opened by [`Db::open`]. Nothing here knows about HTTP or devices.

pub mod backfill;
pub mod codec;
pub mod compact;
mod datadir;
mod db;
pub mod export;
pub mod guard;
mod history;
mod lock;
pub mod raw;
pub mod record;
pub mod retention;
pub mod rollup;
#[cfg(test)]
mod roundtrip;
pub mod states;
mod writer;

pub use datadir::{DataDir, default_data_dir, restrict_dir, restrict_file};
pub use db::Db;
pub use history::{History, history};
pub use lock::{DataLock, LockError};
pub use writer::{Writer, WriterHandle, WriterStatus};

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use rusqlite::Connection;
use rusqlite_migration::Migrations;

static MIGRATIONS_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/migrations");

/// The embedded migrations, in order.
pub fn migrations() -> Migrations<'static> {
    Migrations::from_directory(&MIGRATIONS_DIR)
        .expect("the embedded migrations folder is laid out as NN-name/up.sql")
}

/// How hard a connection's commits hold on a power loss. Samples use `Normal` (a power
/// cut may lose the last second, never corrupt); configuration, users and audit use
/// `Full` so that "saved" means saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    Full,
    Normal,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot open the database {path}: {source}; check that the folder exists and is writable"
    )]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the database {path} could not be brought to this version of Plantlog: {source}")]
    Migrate {
        path: PathBuf,
        #[source]
        source: rusqlite_migration::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the background database task stopped")]
    TaskGone,
}

/// Opens one connection with Plantlog's settings. Does not migrate. A new database file
/// is made readable only by this account before SQLite writes to it (its -wal and -shm
/// files take the same permissions).
pub fn open(path: &Path, durability: Durability) -> Result<Connection, StoreError> {
    if !path.exists() && path != Path::new(":memory:") {
        let made = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|_| restrict_file(path));
        if let Err(e) = made
            && e.kind() != std::io::ErrorKind::AlreadyExists
        {
            tracing::warn!("cannot make {} private: {e}", path.display());
        }
    }
    let conn = Connection::open(path).map_err(|source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    setup(&conn, durability).map_err(|source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(conn)
}

/// The per-connection PRAGMAs, in one place.
pub fn setup(conn: &Connection, durability: Durability) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(
        None,
        "synchronous",
        match durability {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        },
    )?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Applies every migration not yet applied. Each runs in its own transaction.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    migrations()
        .to_latest(conn)
        .map_err(|source| StoreError::Migrate {
            path: path.to_path_buf(),
            source,
        })
}

/// How much the historian holds: the newest samples as rows, and the compressed blocks
/// with the samples in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Holdings {
    pub hot_rows: i64,
    pub blocks: i64,
    pub block_samples: i64,
}

pub fn holdings(conn: &Connection) -> rusqlite::Result<Holdings> {
    let hot_rows = conn.query_row("SELECT count(*) FROM samples_hot", [], |r| r.get(0))?;
    let (blocks, block_samples) = conn.query_row(
        "SELECT count(*), coalesce(sum(n), 0) FROM blocks",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Holdings {
        hot_rows,
        blocks,
        block_samples,
    })
}

/// Bytes of the database file and its write-ahead log.
pub fn database_bytes(path: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", path.display())).ok())
        .map(|m| m.len())
        .sum()
}

/// A migrated in-memory database, for tests.
pub fn memory() -> Connection {
    let mut conn = Connection::open_in_memory().expect("in-memory SQLite opens");
    conn.pragma_update(None, "foreign_keys", "ON")
        .expect("foreign keys switch on");
    migrations()
        .to_latest(&mut conn)
        .expect("migrations apply to an empty database");
    conn
}

/// Numbers are stored as REAL, text as TEXT, in the same `value` column.
impl rusqlite::types::ToSql for crate::sample::Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            crate::sample::Value::Number(v) => ToSqlOutput::Borrowed(ValueRef::Real(*v)),
            crate::sample::Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
        })
    }
}

impl rusqlite::types::FromSql for crate::sample::Value {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        use rusqlite::types::{FromSqlError, ValueRef};
        match value {
            ValueRef::Real(v) => Ok(crate::sample::Value::Number(v)),
            ValueRef::Integer(v) => Ok(crate::sample::Value::Number(v as f64)),
            ValueRef::Text(t) => Ok(crate::sample::Value::Text(
                String::from_utf8_lossy(t).into(),
            )),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }

    #[test]
    fn migrations_apply_to_an_empty_database() {
        let conn = super::memory();
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('samples_hot', 'blocks', 'rollup_1m', 'rollup_1h')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 4);
    }
}
