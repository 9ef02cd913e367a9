//! The metadata store on SQLite (the embedded default): one module per table, each
//! implementing its part of the contract in `store/`. Every call runs on the blocking
//! pool, never on the async workers.

mod areas;
mod audit;
mod captures;
mod changes;
mod devices;
mod feed_query;
mod holders;
mod invites;
mod kits;
mod migrations;
mod review;
pub(crate) mod scope;
mod sessions;
mod uploads;
mod users;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::MetaStore;
pub(crate) use super::{StoreError, StoreResult, now_ms};

/// The metadata database: one writer and a pool of readers over the same WAL file.
/// Cloning is cheap; all clones share the connections.
///
/// SQLite has one writer anyway, so writes queue on one connection. Reads (every
/// request's authentication, the review feed, the pull) each take a read-only
/// connection of their own and run beside the writer and one another: in WAL mode a
/// reader sees every commit made before it began and never waits for a writer.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    writer: Arc<Mutex<Connection>>,
    readers: Arc<Readers>,
}

/// Read-only connections, opened on first use up to [`Readers::MAX`].
#[derive(Debug)]
struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<tokio::sync::Semaphore>,
}

impl Readers {
    /// Enough to keep both cores of a small server and the blocking pool busy, few
    /// enough that each keeps its page cache warm (every connection has its own).
    const MAX: usize = 8;

    /// Opened read-only: a write by mistake on a reader fails loudly in the tests
    /// instead of racing the writer.
    fn open(&self) -> StoreResult<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        Ok(conn)
    }

    fn take(&self) -> StoreResult<Connection> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match idle {
            Some(c) => Ok(c),
            None => self.open(),
        }
    }

    fn give_back(&self, conn: Connection) {
        self.idle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(conn);
    }
}

impl SqliteStore {
    /// Opens (creating) and migrates the database file.
    pub fn open(path: &Path) -> StoreResult<Self> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // NORMAL in WAL mode: a power cut may lose the last commits but never corrupts;
        // media bytes are fsynced separately before their rows are written.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        migrations::migrate(&mut conn)?;
        Ok(Self {
            writer: Arc::new(Mutex::new(conn)),
            readers: Arc::new(Readers {
                path: path.to_path_buf(),
                idle: Mutex::new(Vec::new()),
                permits: Arc::new(tokio::sync::Semaphore::new(Readers::MAX)),
            }),
        })
    }

    /// Runs `f` with the writer on the blocking pool: every change goes through here.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let conn = self.writer.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Runs `f` with a read-only connection on the blocking pool, beside the writer.
    /// The caller waits (without holding a thread) while every reader is busy.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let permit = self
            .readers
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?;
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut conn = readers.take()?;
            let result = f(&mut conn);
            // A connection whose closure panicked is dropped with it; the next read
            // opens a fresh one.
            readers.give_back(conn);
            result
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Runs `f` with the writer on this thread (admin command lines, start-up).
    fn blocking<T>(&self, f: impl FnOnce(&mut Connection) -> StoreResult<T>) -> StoreResult<T> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}

#[async_trait::async_trait]
impl MetaStore for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        self.read(|c| {
            c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?;
            Ok(())
        })
        .await
    }
}

/// SQLite's errors reach callers as the store's, with SQLite's message as the source.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Backend(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Users;

    /// A read does not wait for the writer: with the writer held (a long write), the
    /// review feed, sign-in and every device's authentication still answer.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reads_do_not_wait_for_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let db = SqliteStore::open(&dir.path().join("t.db")).unwrap();
        let (held_tx, held_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let writer = db.clone();
        let holder = std::thread::spawn(move || {
            writer.blocking(|_| {
                held_tx.send(()).unwrap();
                release_rx.recv().unwrap();
                Ok(())
            })
        });
        held_rx.recv().unwrap();
        // Generous bound: it guards against a hang, it does not time anything. With
        // one shared connection the read waits for the release, which never comes
        // before the bound.
        let read = tokio::time::timeout(Duration::from_secs(30), db.user_count()).await;
        release_tx.send(()).unwrap();
        holder.join().unwrap().unwrap();
        assert_eq!(read.expect("the read waited for the writer").unwrap(), 0);
    }

    /// Readers are read-only: a write sent to one by mistake fails instead of racing
    /// the writer.
    #[tokio::test]
    async fn a_reader_refuses_writes() {
        let dir = tempfile::tempdir().unwrap();
        let db = SqliteStore::open(&dir.path().join("t.db")).unwrap();
        let r = db
            .read(|c| {
                c.execute("DELETE FROM users", [])?;
                Ok(())
            })
            .await;
        assert!(
            matches!(r, Err(StoreError::Backend(ref e)) if e.to_string().contains("readonly")),
            "{r:?}"
        );
    }
}
