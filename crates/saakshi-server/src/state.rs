//! What every handler shares.

use std::sync::Arc;

use crate::config::Settings;
use crate::media::MediaStore;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::tus::slots::Slots;

/// Shared server state.
#[derive(Debug)]
pub struct AppState {
    /// Metadata.
    pub db: Store,
    /// Media bytes (the data directory's folder by default).
    pub media: Arc<dyn MediaStore>,
    /// Settings in force.
    pub settings: Settings,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
    /// Per-upload locks and hash states.
    pub uploads: Slots,
    /// The bytes PATCH bodies may hold in memory for the disk, and the threads that
    /// may write them, over all uploads (`Limits::upload_buffer_bytes`, `upload_writers`).
    pub upload_buffer: crate::tus::UploadBudget,
    /// Per-device request budget.
    pub rate: crate::rate_limit::RateLimiter<saakshi_domain::DeviceId>,
    /// Sign-in attempts per account and per address, reserved before verifying.
    pub signin_limits: crate::signin_limits::SigninLimits,
    /// The bound on concurrent password checks.
    pub password_checks: crate::password_check::PasswordChecks,
    /// Failed enrolments (wrong invite codes) per address.
    pub enroll_failures: crate::rate_limit::RateLimiter<crate::client_addr::ClientAddr>,
    /// Held while media is stored by content address or swept as an orphan, so that a
    /// sweep never deletes bytes an upload of the same content has just stored.
    pub media_lock: tokio::sync::Mutex<()>,
    /// The key of possession challenges.
    pub possession: crate::possession::PossessionKey,
    /// The wall clock of upload expiry and its sweeper (tests advance it).
    pub clock: crate::clock::Clock,
}

/// The state as handlers receive it.
pub type Shared = Arc<AppState>;
