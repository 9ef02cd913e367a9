//! The device's SQLite database: one module per table, the SQL beside the code that uses
//! it. Methods speak SQLite errors; [`crate::Home`] turns them into words.

mod blobs;
mod captures;
mod kits;
pub(crate) mod migrations;
mod queue;
mod settings;
mod sync;
mod thumbnails;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use captures::{CaptureFilter, LocalCapture, StateCount};
pub use kits::LocalKit;
pub use queue::QueuePage;
pub use sync::SyncItem;
pub use thumbnails::Thumbnail;

/// An open, migrated device database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if asked) and migrates the database at `path`.
    pub(crate) fn open(path: &Path, create: bool) -> Result<Self, migrations::MigrationError> {
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let mut conn = Connection::open_with_flags(path, flags)?;
        Self::configure(&conn)?;
        migrations::migrate(&mut conn)?;
        Ok(Self { conn })
    }

    /// A migrated in-memory database, for unit tests.
    #[cfg(test)]
    pub(crate) fn in_memory() -> Self {
        let mut conn = Connection::open_in_memory().expect("in-memory SQLite");
        Self::configure(&conn).expect("pragmas");
        migrations::migrate(&mut conn).expect("migrations");
        Self { conn }
    }

    fn configure(conn: &Connection) -> rusqlite::Result<()> {
        conn.busy_timeout(Duration::from_secs(10))?;
        // WAL: readers never block the writer (the app's queue screen reads while sync
        // writes). synchronous=FULL: a committed capture survives a power cut, not just a
        // killed app; captures are few enough that the extra fsync costs nothing visible.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        Ok(())
    }

    /// Runs `f` in one transaction, committed only if it returns `Ok`.
    pub(crate) fn transaction<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}
