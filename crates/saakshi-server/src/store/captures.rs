//! Captures and their media: the idempotent upsert of pushed records (revisions and
//! conflicts), which device holds which media, and the media sweeps and quotas that
//! follow from holding.

use saakshi_domain::wire::MediaState;
use saakshi_domain::{CaptureId, CaptureRecord, DeviceId, ErrorCode, Sha256};

use super::{CaptureRow, StoreResult};

/// What an upsert did.
#[derive(Clone, Debug, PartialEq)]
pub enum UpsertOutcome {
    /// Stored, or already stored identically; the server now holds `revision`.
    Accepted {
        /// The revision held.
        revision: u32,
        /// Whether the media is needed, present or being uploaded (offset, upload id).
        media: (MediaState, Option<(u64, String)>),
    },
    /// The server holds a different copy of this revision, or a newer one.
    Conflict {
        /// The revision held.
        revision: u32,
    },
    /// Refused.
    Rejected {
        /// Why.
        code: ErrorCode,
        /// In words.
        message: String,
    },
}

/// How a device came to hold media.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Held {
    /// It uploaded the bytes.
    Upload,
    /// It answered a possession challenge.
    Proof,
}

impl Held {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upload => "upload",
            Self::Proof => "proof",
        }
    }
}

/// Pushed capture records and who may read their media.
#[async_trait::async_trait]
pub trait Captures: Send + Sync {
    /// Inserts or updates the records of one push by `device` (enrolled in `area_code`),
    /// in one transaction (one commit), one outcome per record, in order.
    async fn upsert_captures(
        &self,
        device: DeviceId,
        area_code: String,
        records: Vec<CaptureRecord>,
    ) -> StoreResult<Vec<UpsertOutcome>>;

    /// Whether verified media with this hash is stored.
    async fn has_media(&self, sha256: Sha256) -> StoreResult<bool>;

    /// Whether `device` holds this media (it uploaded the bytes or proved it has them):
    /// naming a hash in a record is not enough to download it.
    async fn device_may_read_media(&self, device: DeviceId, sha256: Sha256) -> StoreResult<bool>;

    /// Whether a capture in areas under `prefix` (any, when `None`) whose device holds
    /// this media refers to it.
    async fn scope_may_read_media(
        &self,
        prefix: Option<String>,
        sha256: Sha256,
    ) -> StoreResult<bool>;

    /// The MIME type the server sniffed from these bytes when they arrived: the only type
    /// they are served under (never what a device declared). `None` for media stored
    /// before types were sniffed, and for media not stored.
    async fn media_mime(&self, sha256: Sha256) -> StoreResult<Option<String>>;

    /// Stores a capture's thumbnail; false if the device does not own the capture.
    async fn put_thumbnail(
        &self,
        device: DeviceId,
        id: CaptureId,
        jpeg: Vec<u8>,
    ) -> StoreResult<bool>;

    /// Captures whose scope lies under `area_path` (all when `None`), newest arrival
    /// first: the first page of the review feed, unfiltered.
    async fn list_captures(
        &self,
        area_path: Option<String>,
        limit: u32,
    ) -> StoreResult<Vec<CaptureRow>>;
}

/// Verified media, and which device holds which.
#[async_trait::async_trait]
pub trait Holdings: Send + Sync {
    /// Records verified media, of the MIME type sniffed from its bytes, uploaded by
    /// `uploader`, who now holds it. Returns whether these bytes were new to the server.
    async fn add_media(
        &self,
        sha256: Sha256,
        size: u64,
        uploader: DeviceId,
        mime: String,
    ) -> StoreResult<bool>;

    /// The size of stored media, if it is stored.
    async fn media_size(&self, sha256: Sha256) -> StoreResult<Option<u64>>;

    /// Makes `device` a holder of stored media it proved it has. False when the media
    /// is no longer stored.
    async fn add_holder(&self, device: DeviceId, sha256: Sha256) -> StoreResult<bool>;

    /// Bytes `device` has on the server: the media it holds and its unfinished uploads
    /// (their length, or what arrived when the length is deferred). For its quota.
    async fn device_stored_bytes(&self, device: DeviceId) -> StoreResult<u64>;

    /// Media stored before `before_ms` that no capture's device holds and no kit carries:
    /// bytes a device uploaded and never described, or whose captures never came.
    async fn orphan_media(&self, before_ms: i64) -> StoreResult<Vec<Sha256>>;

    /// Forgets orphaned media (rechecked in the same transaction, so a capture or kit
    /// that arrived meanwhile keeps it). True when it was removed: delete the bytes then.
    async fn remove_orphan_media(&self, sha256: Sha256) -> StoreResult<bool>;
}
