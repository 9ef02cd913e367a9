//! The server's metadata store: what it keeps about accounts, devices, invites, areas,
//! captures and their media, uploads, kits, changes and the audit log.
//!
//! Each file here is one part of the contract: the domain types and a trait that speaks
//! in them, never in SQL. [`MetaStore`] is all of them; handlers hold it as [`Store`]
//! (`Arc<dyn MetaStore>`) and never learn which database is behind it. [`sqlite`] is the
//! embedded implementation; another back-end implements the same traits and must pass
//! the same stories (`tests/store_stories.rs`). Nothing outside `sqlite/` names rusqlite.

pub mod areas;
pub mod audit;
pub mod captures;
pub mod changes;
pub mod devices;
pub mod invites;
pub mod kits;
pub mod review;
pub mod sessions;
pub mod sqlite;
pub mod uploads;
pub mod users;

use std::sync::Arc;

pub use areas::{AreaImportError, AreaRow, Areas, covers};
pub use audit::{AuditEntry, AuditLog, AuditQuery, NewAudit};
pub use captures::{Captures, Held, Holdings, UpsertOutcome};
pub use changes::{Audience, Changes};
pub use devices::{DeviceInfo, DeviceRow, Devices, EnrollRefusal};
pub use invites::{InviteInfo, Invites};
pub use kits::{KitRefusal, Kits, PublishedKit};
pub use review::{BadQuery, CapturePage, CaptureQuery, CaptureRow, MapPoint, ReviewState, Reviews};
pub use sessions::{SESSION_MS, SessionRow, Sessions};
pub use sqlite::SqliteStore;
pub use uploads::{UploadRow, Uploads};
pub use users::{Role, UserInfo, UserRow, Users};

/// Every part of the metadata store, as one object.
#[async_trait::async_trait]
pub trait MetaStore:
    Users
    + Sessions
    + Devices
    + Invites
    + Areas
    + AuditLog
    + Captures
    + Holdings
    + Changes
    + Kits
    + Reviews
    + Uploads
    + std::fmt::Debug
    + Send
    + Sync
{
    /// Whether the store answers a query (the health check).
    async fn ping(&self) -> StoreResult<()>;
}

/// The metadata store as the server holds it.
pub type Store = Arc<dyn MetaStore>;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database said no (its own error, kept as the source).
    #[error("database: {0}")]
    Backend(Box<dyn std::error::Error + Send + Sync>),
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

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
