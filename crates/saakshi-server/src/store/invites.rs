//! Invites: codes a coordinator hands out; a device redeems one to enrol. Only a code's
//! hash is stored.

use super::StoreResult;

/// An invite as the dashboard lists it.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct InviteInfo {
    /// A short prefix of the code's hash (the code is not kept).
    pub id: String,
    /// Where it enrols.
    pub area_code: String,
    /// Uses it was created with.
    pub uses: i64,
    /// Uses spent.
    pub used: i64,
    /// Unix ms.
    pub expires_at: i64,
    /// Unix ms.
    pub created_at: i64,
}

/// Invites, kept only as hashes of their codes.
#[async_trait::async_trait]
pub trait Invites: Send + Sync {
    /// Stores an invite for `area_code` under its code's hash
    /// ([`crate::secrets::invite_hash`]), usable `uses` times until `expires_at_ms`.
    async fn create_invite(
        &self,
        code_hash: String,
        area_code: String,
        uses: u32,
        expires_at_ms: i64,
    ) -> StoreResult<()>;

    /// Invites for areas under `prefix` (all when `None`), newest first. The codes
    /// themselves are not kept; `id` is a short prefix of the code's hash.
    async fn list_invites(&self, prefix: Option<String>) -> StoreResult<Vec<InviteInfo>>;
}
