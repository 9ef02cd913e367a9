//! What sync tells the screens while it works: byte progress and state changes, as
//! events on a channel (the CLI prints them, the app forwards them to the WebView).

use saakshi_domain::{CaptureId, CaptureState};
use serde::Serialize;

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SyncEvent {
    /// Media bytes of a capture confirmed by the server.
    Progress {
        /// Which capture.
        capture_id: CaptureId,
        /// Bytes the server holds.
        done: u64,
        /// Media size.
        total: u64,
    },
    /// A capture moved to another state.
    State {
        /// Which capture.
        capture_id: CaptureId,
        /// Its new state.
        state: CaptureState,
        /// Why, when it failed.
        reason: Option<String>,
    },
    /// Sync could not go on for now; it will retry after `retry_in_ms`.
    Waiting {
        /// Why, in words.
        reason: String,
        /// When the next attempt is.
        retry_in_ms: u64,
    },
    /// A coordinator's verdict on one of this device's captures arrived, or changed.
    Reviewed {
        /// Which capture.
        capture_id: CaptureId,
        /// `approved`, `rejected` or `needs_info`.
        verdict: String,
        /// The coordinator's note, if any.
        note: Option<String>,
    },
    /// The server revoked this device.
    Revoked {
        /// Whether local media was wiped.
        wiped: bool,
    },
    /// A pass finished with nothing left to send.
    Idle,
}
