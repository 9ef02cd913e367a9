//! What every handler shares.

use std::sync::Arc;

use crate::config::Settings;
use crate::media::MediaFolder;
use crate::metrics::Metrics;
use crate::store::Db;
use crate::tus::slots::Slots;

/// Shared server state.
#[derive(Debug)]
pub struct AppState {
    /// Metadata.
    pub db: Db,
    /// Media bytes.
    pub media: MediaFolder,
    /// Settings in force.
    pub settings: Settings,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
    /// Per-upload locks and hash states.
    pub uploads: Slots,
    /// The bytes PATCH bodies may hold in memory for the disk, over all uploads
    /// (`Limits::upload_buffer_bytes`).
    pub upload_buffer: crate::tus::UploadBudget,
    /// Per-device request budget.
    pub rate: crate::auth::RateLimiter,
    /// Held while media is stored by content address or swept as an orphan, so that a
    /// sweep never deletes bytes an upload of the same content has just stored.
    pub media_lock: tokio::sync::Mutex<()>,
    /// The key of possession challenges.
    pub possession: crate::possession::PossessionKey,
    /// Failed sign-ins per user name.
    pub login_failures: crate::auth::RateLimiter<String>,
}

/// The state as handlers receive it.
pub type Shared = Arc<AppState>;
