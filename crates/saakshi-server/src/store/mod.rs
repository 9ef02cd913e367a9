//! Server metadata on SQLite (the embedded default). One module per table; methods speak
//! the domain. Every call runs on the blocking pool, never on the async workers.

mod areas;
pub mod audit;
mod captures;
mod changes;
pub(crate) mod devices;
mod holders;
mod invites;
mod kits;
mod migrations;
pub mod review;
pub mod scope;
pub mod sessions;
mod uploads;
pub(crate) mod users;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;

pub use areas::{AreaImportError, AreaRow, parse_areas_csv};
pub use audit::{AuditEntry, AuditQuery, NewAudit};
pub use captures::UpsertOutcome;
pub use changes::Audience;
pub use devices::{DeviceInfo, DeviceRow};
pub use invites::InviteInfo;
pub use kits::{KitRefusal, PublishedKit};
pub use review::{CapturePage, CaptureQuery, CaptureRow, ReviewState};
pub use sessions::SessionRow;
pub use uploads::UploadRow;
pub use users::{Role, UserInfo, UserRow};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite said no.
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A row held something this build cannot read.
    #[error("database holds unreadable data: {0}")]
    Corrupt(String),
    /// The database was migrated by a newer server.
    #[error("the database is from a newer saakshi-server (schema {found}, this one knows {known})")]
    TooNew {
        /// Applied.
        found: i64,
        /// Known here.
        known: i64,
    },
    /// An applied migration differs from the embedded one.
    #[error("migration {0} differs from the one applied to this database")]
    Changed(i64),
    /// The blocking task died.
    #[error("database task failed: {0}")]
    Task(String),
}

/// Result of the store.
pub type StoreResult<T> = Result<T, StoreError>;

/// The metadata database. Cloning is cheap; all clones share one connection, whose work
/// is serialised (SQLite has one writer anyway).
#[derive(Clone, Debug)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
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
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with the connection on the blocking pool.
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Runs `f` with the connection on this thread (admin command lines, start-up).
    pub fn blocking<T>(&self, f: impl FnOnce(&mut Connection) -> StoreResult<T>) -> StoreResult<T> {
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Lowercase hex SHA-256 of a secret (tokens and invite codes are stored this way).
pub fn secret_hash(secret: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(secret.as_bytes()))
}
