//! Stable error codes: the `code` of `{"error": {"code", "message"}}` on the wire, and what
//! the device shows a person. Codes never change meaning once shipped.

use serde::{Deserialize, Serialize};

/// A stable, machine-readable error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request or input broke a validation rule.
    InvalidInput,
    /// The body was not the JSON expected.
    MalformedRequest,
    /// No such thing (or not visible to the caller).
    NotFound,
    /// A different revision already exists.
    Conflict,
    /// No or bad credentials.
    Unauthorized,
    /// Credentials are fine but the scope does not reach.
    Forbidden,
    /// The device was revoked; it must stop and wipe when told.
    DeviceRevoked,
    /// Over a configured size limit.
    PayloadTooLarge,
    /// The bytes do not hash to what was declared.
    ChecksumMismatch,
    /// tus: the offset does not match the server's.
    OffsetMismatch,
    /// Too many requests; retry after the indicated delay.
    RateLimited,
    /// The upload expired and was removed.
    UploadExpired,
    /// The client speaks a protocol version the server does not.
    UnsupportedProtocol,
    /// Something broke on the server side.
    Internal,
    /// The account signed in with a password it must replace before doing anything else.
    PasswordChangeRequired,
}

impl ErrorCode {
    /// Whether retrying the same request later can succeed.
    pub fn is_transient(self) -> bool {
        matches!(self, Self::RateLimited | Self::Internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&ErrorCode::ChecksumMismatch).unwrap(),
            "\"checksum_mismatch\""
        );
        assert!(ErrorCode::RateLimited.is_transient());
        assert!(!ErrorCode::Forbidden.is_transient());
    }
}
