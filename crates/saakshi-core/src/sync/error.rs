//! Sync errors know whether waiting and trying again can help.

use std::time::Duration;

use crate::error::CoreError;

/// Why a sync step failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The network or the server is having a bad moment: retry later, keep everything.
    #[error("{message}")]
    Transient {
        /// For people.
        message: String,
        /// The server asked to wait this long (429 / 503 Retry-After).
        retry_after: Option<Duration>,
    },
    /// Retrying the same thing cannot help (refused, too large, damaged).
    #[error("{0}")]
    Permanent(String),
    /// The server answered in a form this version cannot read (a newer Saakshi server):
    /// retrying cannot help, updating the app does.
    #[error(
        "this version of Saakshi cannot read the server's answer ({0}); update the app to keep syncing"
    )]
    UpdateRequired(String),
    /// This device has no server and token yet.
    #[error("this device is not enrolled; run `saakshi enroll URL CODE` first")]
    NotEnrolled,
    /// The server refused the token: revoked, or enrolled elsewhere.
    #[error("the server no longer accepts this device ({0}); ask your coordinator")]
    Refused(String),
    /// The local store failed.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl SyncError {
    /// Whether a later retry can succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Transient { .. })
    }

    pub(crate) fn transient(message: impl Into<String>) -> Self {
        Self::Transient {
            message: message.into(),
            retry_after: None,
        }
    }

    /// Classifies a transport error: everything below HTTP is transient (no route,
    /// refused, reset, timed out, cut mid-body).
    pub(crate) fn from_transport(e: &reqwest::Error) -> Self {
        let what = if e.is_timeout() {
            "the server did not answer in time"
        } else if e.is_connect() {
            "cannot reach the server"
        } else {
            "the connection broke"
        };
        Self::transient(format!("{what} ({})", root_cause(e)))
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// Which HTTP answers are worth retrying.
pub(crate) fn status_is_transient(status: u16) -> bool {
    matches!(status, 408 | 423 | 425 | 429) || status >= 500
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        for s in [408, 423, 429, 500, 502, 503, 504] {
            assert!(status_is_transient(s), "{s}");
        }
        for s in [400, 401, 403, 404, 409, 413, 415, 460] {
            assert!(!status_is_transient(s), "{s}");
        }
        assert!(SyncError::transient("x").is_transient());
        assert!(!SyncError::Permanent("x".into()).is_transient());
        assert!(!SyncError::NotEnrolled.is_transient());
        assert!(!SyncError::UpdateRequired("x".into()).is_transient());
    }
}
