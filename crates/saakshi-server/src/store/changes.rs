//! The append-only sequence of changes devices pull with a cursor.

use saakshi_domain::DeviceId;
use saakshi_domain::wire::ChangeEntry;

use super::StoreResult;

/// Whose changes a pull reads.
#[derive(Clone, Debug)]
pub enum Audience {
    /// An active device: its own changes and those of its area and every area above it.
    Active {
        /// The device's area path.
        area_path: String,
    },
    /// A revoked device: only what it must learn, its own changes up to and including
    /// its revocation; nothing published to its area, nothing that came later.
    Revoked,
}

/// What each device pulls, in order.
#[async_trait::async_trait]
pub trait Changes: Send + Sync {
    /// Changes for `device` (or for its area subtree) after `cursor`, oldest first, at
    /// most `limit`; and whether more remain.
    async fn changes_since(
        &self,
        device: DeviceId,
        audience: Audience,
        cursor: i64,
        limit: u32,
    ) -> StoreResult<(Vec<ChangeEntry>, bool)>;
}
