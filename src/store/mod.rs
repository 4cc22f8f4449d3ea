//! SQLite: the data folder, opening connections, migrations, the one writer of
//! samples, and reading samples back for charts.
//!
//! Connection PRAGMAs are set in one place, [`open`]. Migrations are forward-only SQL
//! files under migrations/, embedded in the binary and applied when the database is
//! opened by [`Db::open`]. Nothing here knows about HTTP or devices.

pub mod backfill;
pub mod blocks;
pub mod codec;
pub mod compact;
pub mod convert;
mod datadir;
mod db;
pub mod export;
pub mod gate;
pub mod guard;
mod history;
pub mod hot;
pub mod journal;
mod lock;
pub mod minutes;
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

/// How hard a connection's commits hold on a power loss. `Full` syncs the WAL at every
/// commit: a commit that returned survives a power cut. `Normal` syncs only at
/// checkpoints: the file is never corrupt, but a power cut may take back every commit
/// since the last checkpoint (tests/power_loss.rs measures it: many seconds of samples).
/// Configuration, users, audit and the sample writer use `Full` (the writer commits
/// once a second, so that is one sync a second, and a power cut loses at most the
/// samples of the last second, still in memory); bulk loads, the compactor and
/// benchmarks use `Normal`, their work being made again or checkpointed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    Full,
    Normal,
}

/// The sample writer's durability.
pub const WRITER_DURABILITY: Durability = Durability::Full;

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
    #[error(
        "the database {path} was written by a newer Plantlog (database schema {found}; this Plantlog {version} knows up to {known}). It is not opened, so nothing in it is changed: install that newer Plantlog again, or restore a backup made by this version"
    )]
    TooNew {
        path: PathBuf,
        found: usize,
        known: usize,
        version: &'static str,
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

/// A transaction that writes. It takes the write lock at `BEGIN IMMEDIATE`, so it waits
/// (the busy timeout) while another connection writes. A plain (deferred) transaction that
/// reads first and writes after fails at once with `SQLITE_BUSY` when another connection
/// committed in between, as the historian's writer and the demo's people do all the time;
/// read-only snapshots keep using `transaction()`.
pub fn write_tx(conn: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
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

/// The newest database schema this build knows: the number of embedded migrations.
pub fn schema_version_known() -> usize {
    MIGRATIONS_DIR.dirs().count()
}

/// The schema a database is at (SQLite's `user_version`, as rusqlite_migration keeps it).
pub fn schema_version(conn: &Connection) -> rusqlite::Result<usize> {
    conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
        .map(|v| v.max(0) as usize)
}

/// Applies every migration not yet applied. Each runs in its own transaction. A
/// database from a newer Plantlog (a downgrade) is refused before anything is written.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let found = schema_version(conn).map_err(|source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let known = schema_version_known();
    if found > known {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            known,
            version: env!("CARGO_PKG_VERSION"),
        });
    }
    migrations()
        .to_latest(conn)
        .map_err(|source| StoreError::Migrate {
            path: path.to_path_buf(),
            source,
        })?;
    // Migration 17 leaves an older version's hot rows (one per sample) to be packed here.
    hot::adopt_rows(conn).map_err(|source| StoreError::Migrate {
        path: path.to_path_buf(),
        source: rusqlite_migration::Error::RusqliteError {
            query: "packing the hot rows of an older version (store::hot::adopt_rows)".into(),
            err: source,
        },
    })?;
    Ok(())
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
    let hot_rows = hot::count(conn)?;
    // Closed history in blocks, and the last hour's ten-minute blocks still fresh.
    let (blocks, block_samples) = conn.query_row(
        "SELECT (SELECT count(*) FROM blocks) + (SELECT count(*) FROM blocks_fresh),
                (SELECT coalesce(sum(n), 0) FROM blocks) + (SELECT coalesce(sum(n), 0) FROM blocks_fresh)",
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
    hot::adopt_rows(&mut conn).expect("an empty database has no hot rows to pack");
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
            // A number in the hot rows' short form (store::raw).
            ValueRef::Blob(b) => raw::hot_blob(b)
                .map(crate::sample::Value::Number)
                .ok_or(FromSqlError::InvalidType),
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

    /// A change that reads before it writes, while another connection commits in between
    /// (CI saw the plant's language refused with a 500 while the demo's people wrote):
    /// the deferred transaction fails at once, a `write_tx` waits its turn and succeeds.
    #[test]
    fn a_write_transaction_waits_for_another_writer_instead_of_failing() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("plantlog.db");
        let mut a = super::open(&path, super::Durability::Normal).unwrap();
        let b = super::open(&path, super::Durability::Normal).unwrap();
        a.execute_batch("CREATE TABLE t (v INTEGER)").unwrap();
        let read_then_write = |tx: &rusqlite::Transaction<'_>| {
            let n: i64 = tx.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?;
            b.execute("INSERT INTO t VALUES (1)", [])?;
            tx.execute("INSERT INTO t VALUES (?1)", [n])
        };
        let tx = a.transaction().unwrap();
        let e = read_then_write(&tx).unwrap_err();
        assert_eq!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy),
            "{e}"
        );
        drop(tx);
        let tx = super::write_tx(&mut a).unwrap();
        let n: i64 = tx
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        tx.execute("INSERT INTO t VALUES (?1)", [n]).unwrap();
        tx.commit().unwrap();
    }

    /// Issue 16: a database from a newer Plantlog is refused, and left as it was.
    #[test]
    fn a_database_from_a_newer_schema_is_refused_unchanged() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("plantlog.db");
        drop(super::Db::open(&path).unwrap());
        let newer = super::schema_version_known() + 1;
        {
            let c = rusqlite::Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", newer as i64).unwrap();
            c.execute_batch("CREATE TABLE from_the_future (x)").unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let Err(err) = super::Db::open(&path) else {
            panic!("a newer database was opened");
        };
        let text = err.to_string();
        assert!(
            matches!(err, super::StoreError::TooNew { found, .. } if found == newer),
            "{text}"
        );
        assert!(text.contains("newer Plantlog"), "{text}");
        assert!(text.contains("nothing in it is changed"), "{text}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    /// Issue 16: a database file made by the first schema (the oldest release) is
    /// brought to the newest one and keeps its rows.
    #[test]
    fn a_database_from_an_older_schema_is_migrated_with_its_data() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("plantlog.db");
        {
            let mut c = rusqlite::Connection::open(&path).unwrap();
            super::migrations().to_version(&mut c, 1).unwrap();
            c.execute(
                "INSERT INTO settings (key, value) VALUES ('kept', 'yes')",
                [],
            )
            .unwrap();
            assert_eq!(super::schema_version(&c).unwrap(), 1);
        }
        let db = super::Db::open(&path).unwrap();
        let (version, kept): (usize, String) = db
            .sql(|c| {
                Ok((
                    super::schema_version(c)?,
                    c.query_row("SELECT value FROM settings WHERE key = 'kept'", [], |r| {
                        r.get(0)
                    })?,
                ))
            })
            .unwrap();
        assert_eq!(version, super::schema_version_known());
        assert_eq!(kept, "yes");
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
