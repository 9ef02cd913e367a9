//! Devices: enrolment (redeeming an invite), token look-up, revocation.

use saakshi_domain::DeviceId;

use super::StoreResult;

/// A device as the auth layer needs it.
#[derive(Clone, Debug)]
pub struct DeviceRow {
    /// Its id.
    pub id: DeviceId,
    /// The area it is enrolled in.
    pub area_code: String,
    /// That area's path (for kits aimed at an ancestor).
    pub area_path: String,
    /// Revoked devices are refused.
    pub revoked: bool,
    /// Whether a revoked device must wipe its local media.
    pub wipe: bool,
}

/// A device as admins see it.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DeviceInfo {
    /// Its id.
    pub id: String,
    /// The name given at enrolment.
    pub name: String,
    /// android, linux, …
    pub platform: String,
    /// Where it is enrolled.
    pub area_code: String,
    /// When it enrolled (Unix ms).
    pub enrolled_at: i64,
    /// When it last called (Unix ms, to the minute).
    pub last_seen_at: Option<i64>,
    /// Its clock minus the server's, as it last estimated (ms).
    pub clock_skew_ms: Option<i64>,
    /// Whether it was revoked.
    pub revoked: bool,
    /// Captures it pushed.
    pub captures: i64,
    /// Of those, how many still wait for their media.
    pub media_pending: i64,
}

/// Why an enrolment was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum EnrollRefusal {
    /// Unknown, used up or expired: one answer for all three.
    BadInvite,
}

/// Enrolled devices, found by the hash of their token.
#[async_trait::async_trait]
pub trait Devices: Send + Sync {
    /// Redeems the invite whose code hashes to `code_hash` (one use) and enrols a device
    /// whose token hashes to `token_hash`, in one transaction. Returns its new id and its
    /// area code.
    async fn enroll_device(
        &self,
        code_hash: String,
        token_hash: String,
        name: String,
        platform: String,
        public_key: Vec<u8>,
    ) -> StoreResult<Result<(DeviceId, String), EnrollRefusal>>;

    /// The device whose token hashes to `token_hash`, and notes that it was seen.
    async fn device_by_token(&self, token_hash: String) -> StoreResult<Option<DeviceRow>>;

    async fn revoke_device(&self, id: DeviceId, wipe: bool) -> StoreResult<bool>;

    /// Devices enrolled in areas under `prefix` (all when `None`).
    async fn list_devices(&self, prefix: Option<String>) -> StoreResult<Vec<DeviceInfo>>;

    /// A device's clock minus the server's, as it last estimated (ms).
    async fn device_clock_skew(&self, id: DeviceId) -> StoreResult<Option<i64>>;

    /// The public key a device enrolled with.
    async fn device_public_key(&self, id: DeviceId) -> StoreResult<Option<Vec<u8>>>;

    /// The area path of a device's area.
    async fn device_area_path(&self, id: DeviceId) -> StoreResult<Option<String>>;

    /// Records the device's clock skew estimate.
    async fn set_clock_skew(&self, id: DeviceId, skew_ms: i64) -> StoreResult<()>;
}
