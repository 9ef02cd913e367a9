//! Sessions of signed-in coordinators and admins.

use super::{StoreResult, UserRow};

/// How long a session lasts without signing in again.
pub const SESSION_MS: i64 = 12 * 3600 * 1000;

/// A session's user and its CSRF token.
#[derive(Clone, Debug)]
pub struct SessionRow {
    /// Who.
    pub user: UserRow,
    /// Must come back in `X-CSRF-Token` on every write.
    pub csrf: String,
}

/// Sign-in sessions, found by the hash of their cookie token.
#[async_trait::async_trait]
pub trait Sessions: Send + Sync {
    /// Starts a session for the cookie token hashing to `token_hash`, with its CSRF
    /// token; expired sessions go.
    async fn create_session(
        &self,
        user_id: i64,
        token_hash: String,
        csrf: String,
    ) -> StoreResult<()>;

    /// The live session whose cookie token hashes to `token_hash`.
    async fn session(&self, token_hash: String) -> StoreResult<Option<SessionRow>>;

    /// Ends a session.
    async fn end_session(&self, token_hash: String) -> StoreResult<()>;
}
