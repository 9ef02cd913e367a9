//! tus upload state. It lives in the store, not in a node's memory, so any node (or this
//! one after a restart) can continue any upload.

use saakshi_domain::{DeviceId, Sha256};

use super::StoreResult;

/// One upload's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadRow {
    /// Upload id (the last segment of its URL).
    pub id: String,
    /// The device that created it; nobody else may touch it.
    pub device_id: DeviceId,
    /// Total length, once known.
    pub length: Option<u64>,
    /// Bytes stored and fsynced.
    pub offset: u64,
    /// The `Upload-Metadata` header as received.
    pub metadata: String,
    /// SHA-256 declared in the metadata, if any.
    pub sha256: Option<Sha256>,
    /// Unix ms after which it is removed.
    pub expires_at: i64,
    /// Set once the upload finished and its hash was verified.
    pub done_sha256: Option<Sha256>,
}

/// tus upload state, shared by every node.
#[async_trait::async_trait]
pub trait Uploads: Send + Sync {
    /// Records a new upload.
    async fn create_upload(&self, u: UploadRow, capture_id: Option<String>) -> StoreResult<()>;

    /// An upload by id.
    async fn upload(&self, id: String) -> StoreResult<Option<UploadRow>>;

    /// Saves progress (only ever after the bytes are fsynced) and a length set late.
    async fn set_upload_progress(
        &self,
        id: String,
        offset: u64,
        length: Option<u64>,
    ) -> StoreResult<()>;

    /// Marks an upload finished with verified media `sha256`.
    async fn finish_upload(&self, id: String, sha256: Sha256) -> StoreResult<()>;

    /// Forgets an upload (finished, terminated or expired).
    async fn delete_upload(&self, id: String) -> StoreResult<()>;

    /// Ids of uploads whose every byte is in but that were never finished.
    async fn stalled_uploads(&self) -> StoreResult<Vec<String>>;

    /// Ids of uploads past their expiry.
    async fn expired_uploads(&self, now: i64) -> StoreResult<Vec<String>>;
}
