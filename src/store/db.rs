//! Reader and short-writer connections for the API and background jobs: a small pool
//! of connections to the one database file, used from async code through
//! `spawn_blocking` so SQLite never blocks the runtime.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use super::gate::{Closed, Gate};
use super::{Durability, StoreError};

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// Every use passes it, so a restore can swap the file ([`super::gate`]).
    gate: Gate,
}

/// Connections kept open between uses.
const POOL_SIZE: usize = 8;

impl Db {
    /// Opens the database, creating it if needed, and applies pending migrations.
    pub fn open(path: &Path) -> Result<Db, StoreError> {
        let mut conn = super::open(path, Durability::Full)?;
        super::migrate(&mut conn, path)?;
        Ok(Db {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                idle: Mutex::new(vec![conn]),
                gate: Gate::default(),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The gate the uses of this database pass (the writer and the compactor of the
    /// running core pass it too).
    pub fn gate(&self) -> Gate {
        self.inner.gate.clone()
    }

    /// Closes the gate, waits until no connection is in use and closes the idle ones:
    /// the file is free to be replaced until the guard drops. Never call it from inside
    /// a use of this database (it would wait for itself).
    pub fn quiesce(&self) -> Closed {
        let closed = self.inner.gate.close();
        closed.drain();
        self.inner
            .idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        closed
    }

    /// Runs `f` on a pooled connection (durable commits) on the blocking thread pool.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.with(f))
            .await
            .map_err(|_| E::from(StoreError::TaskGone))?
    }

    /// Runs `f` on a pooled connection in the calling thread.
    pub fn with<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Connection) -> Result<T, E>,
        E: From<StoreError>,
    {
        let _inside = self.inner.gate.enter();
        let mut conn = self.take().map_err(E::from)?;
        let result = f(&mut conn);
        // A connection left inside a transaction (a panic, an early return) is dropped
        // rather than reused.
        if conn.is_autocommit() {
            let mut idle = self.inner.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < POOL_SIZE {
                idle.push(conn);
            }
        }
        result
    }

    /// [`Db::with`] for plain SQL work, whose errors become [`StoreError`].
    pub fn sql<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        self.with(|c| f(c).map_err(StoreError::from))
    }

    fn take(&self) -> Result<Connection, StoreError> {
        let pooled = self
            .inner
            .idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop();
        match pooled {
            Some(c) => Ok(c),
            None => super::open(&self.inner.path, Durability::Full),
        }
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("path", &self.inner.path)
            .finish()
    }
}
