//! The life of a capture on the device (DESIGN.md "Device: states of a capture").

use serde::{Deserialize, Serialize};

/// Where a capture is on its way to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaptureState {
    /// Stored durably on the device; the server knows nothing yet.
    Captured,
    /// The server holds the metadata.
    Registered,
    /// The server holds the thumbnail too.
    Previewed,
    /// Every media byte is on the server; its hash is not yet confirmed.
    Uploaded,
    /// The server verified the SHA-256 of the whole media.
    Synced,
    /// A permanent error stopped it; the reason is kept and shown, and the user may retry.
    Failed,
}

impl CaptureState {
    /// Every state, in order of progress.
    pub const ALL: [Self; 6] = [
        Self::Captured,
        Self::Registered,
        Self::Previewed,
        Self::Uploaded,
        Self::Synced,
        Self::Failed,
    ];

    /// Stable lowercase name (database, wire, CLI).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Captured => "captured",
            Self::Registered => "registered",
            Self::Previewed => "previewed",
            Self::Uploaded => "uploaded",
            Self::Synced => "synced",
            Self::Failed => "failed",
        }
    }

    /// Inverse of [`CaptureState::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Still has work to do before the server holds everything.
    pub fn is_pending(self) -> bool {
        !matches!(self, Self::Synced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for s in CaptureState::ALL {
            assert_eq!(CaptureState::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert_eq!(CaptureState::parse("lost"), None);
        assert!(CaptureState::Failed.is_pending());
        assert!(!CaptureState::Synced.is_pending());
    }
}
