//! When and how fast sync may use the network. The app fills this from the OS (metered
//! link, Wi-Fi) and the user's settings; the CLI from settings alone.

use std::fmt;
use std::sync::Arc;

/// Network policy for sync.
#[derive(Clone)]
pub struct SyncPolicy {
    /// Sync only on an unmetered link (Wi-Fi).
    pub wifi_only: bool,
    /// Upload at most this many bytes a second.
    pub bandwidth_cap: Option<u64>,
    /// Whether the current link is metered (mobile data). Asked before every chunk.
    pub is_metered: Arc<dyn Fn() -> bool + Send + Sync>,
}

impl Default for SyncPolicy {
    fn default() -> Self {
        Self {
            wifi_only: false,
            bandwidth_cap: None,
            is_metered: Arc::new(|| false),
        }
    }
}

impl fmt::Debug for SyncPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncPolicy")
            .field("wifi_only", &self.wifi_only)
            .field("bandwidth_cap", &self.bandwidth_cap)
            .finish_non_exhaustive()
    }
}

impl SyncPolicy {
    /// The policy the user set on this device (Wi-Fi only, bandwidth cap), with the link
    /// taken as unmetered until the app says otherwise.
    pub fn from_settings(home: &crate::Home) -> crate::Result<Self> {
        use super::enroll::keys;
        Ok(Self {
            wifi_only: home.setting(keys::WIFI_ONLY)?.as_deref() == Some("true"),
            bandwidth_cap: home
                .setting(keys::BANDWIDTH_CAP)?
                .and_then(|v| v.parse().ok())
                .filter(|&v: &u64| v > 0),
            ..Self::default()
        })
    }

    /// Whether sync may use the current link.
    pub fn network_allowed(&self) -> bool {
        !(self.wifi_only && (self.is_metered)())
    }
}
