//! The life of an upload, apart from HTTP: created, taken over by the request that
//! resumes it, appended to, finished (whole-file hash checked, bytes sniffed, media
//! stored by content address and recorded), settled after a restart, removed when
//! terminated or expired.
//!
//! The handlers parse headers into the values these functions take, and turn an
//! [`UploadError`] into a status and an error body; nothing here names either. Bytes go
//! through the [`MediaStore`](crate::media::MediaStore), state through the metadata
//! store, one request at a time per upload (the [slots](super::slots)).

use std::io;

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use saakshi_domain::media_type::{self, NotMedia};
use saakshi_domain::{DeviceId, Sha256};
use sha2::Digest;

use super::headers::ChecksumAlgorithm;
use super::slots::SlotGuard;
use super::writer::{RequestHasher, UploadWriter, Written};
use crate::media::{MediaError, UploadId};
use crate::metrics::Metrics;
use crate::state::{AppState, Shared};
use crate::store::{DeviceRow, StoreError, UploadRow};

/// A request body, as it arrives.
pub type Incoming = BoxStream<'static, io::Result<Bytes>>;

/// Why an upload step was refused, or failed.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// No such upload (or text that cannot be an upload id).
    #[error("no such upload")]
    NotFound,
    /// The upload is gone for good, and why: its bytes did not hash to what was
    /// declared, or were lost before they were stored. The client starts a new one.
    #[error("{0}")]
    Discarded(&'static str),
    /// Another device's upload.
    #[error("this upload belongs to another device")]
    NotYours,
    /// Past its expiry (the sweeper removes it).
    #[error("this upload expired and was removed; start a new one")]
    Expired,
    /// A request still holds the upload and did not let go in time.
    #[error("another request is still working on this upload; retry shortly")]
    Busy,
    /// The client's offset is not the one the server holds.
    #[error("Upload-Offset is {sent}, but the server holds {held} bytes")]
    OffsetMismatch {
        /// What the request said.
        sent: u64,
        /// What the server holds.
        held: u64,
    },
    /// A length that cannot be (zero, changed, smaller than what was sent).
    #[error("{0}")]
    Invalid(String),
    /// More bytes than the media limit, the device's quota or the declared length allow.
    #[error("{0}")]
    TooLarge(String),
    /// A checksum did not match: the request's (its bytes were dropped) or the whole
    /// upload's (it was discarded).
    #[error("{0}")]
    ChecksumMismatch(&'static str),
    /// The bytes are not media of the allowlist; the upload was discarded.
    #[error(
        "the uploaded bytes are not a photo, video or audio file Saakshi keeps ({0}); \
         the upload was discarded"
    )]
    NotMedia(NotMedia),
    /// The metadata store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The media store failed.
    #[error(transparent)]
    Media(#[from] MediaError),
    /// A task of ours died.
    #[error("an upload task failed: {0}")]
    Task(String),
}

impl From<io::Error> for UploadError {
    fn from(e: io::Error) -> Self {
        Self::Media(MediaError::Io(e))
    }
}

/// Result of an upload step.
pub type UploadResult<T> = Result<T, UploadError>;

/// A new upload, as the creation request describes it.
#[derive(Debug)]
pub struct NewUpload {
    /// The media's length, `None` when it is told later.
    pub length: Option<u64>,
    /// The metadata as received (answered back on HEAD).
    pub metadata: String,
    /// The SHA-256 the media must have, if declared.
    pub sha256: Option<Sha256>,
    /// The capture the media belongs to, if named.
    pub capture_id: Option<String>,
}

/// A request's bytes for an upload, and what it says about them.
pub struct Chunk {
    /// The checksum the request declares for its own bytes.
    pub checksum: Option<(ChecksumAlgorithm, Vec<u8>)>,
    /// How many bytes it says it carries, if it says.
    pub declared_len: Option<u64>,
    /// The bytes.
    pub body: Incoming,
}

impl std::fmt::Debug for Chunk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chunk")
            .field("declared_len", &self.declared_len)
            .finish_non_exhaustive()
    }
}

/// Creates an upload for `device`. Its length, if known, is checked against the media
/// limit and the device's quota before anything is made.
pub async fn create(s: &AppState, device: DeviceId, new: NewUpload) -> UploadResult<UploadRow> {
    check_length(s, new.length)?;
    check_quota(s, device, new.length.unwrap_or(0)).await?;
    let id = UploadId::new();
    let expires_at = s.clock.now_ms() + s.settings.upload_expiry.as_millis() as i64;
    s.media.create_upload(&id).await?;
    let row = UploadRow {
        id: id.to_string(),
        device_id: device,
        length: new.length,
        offset: 0,
        metadata: new.metadata,
        sha256: new.sha256,
        expires_at,
        done_sha256: None,
    };
    s.db.create_upload(row.clone(), new.capture_id).await?;
    Ok(row)
}

/// The first bytes of an upload just made (creation-with-upload). Returns the offset.
pub async fn append_first(s: &Shared, row: UploadRow, chunk: Chunk) -> UploadResult<u64> {
    let guard = acquire(s, &row.id).await?;
    receive_detached(s, row, guard, chunk).await
}

/// How far an upload got, for its device. Takes over from a request stuck on it, and
/// stores it first if its last byte is in but it was never stored.
pub async fn status(s: &AppState, device: &DeviceRow, id: &str) -> UploadResult<UploadRow> {
    let (_guard, row) = take_over(s, device, id).await?;
    settle(s, row).await
}

/// What an append request asks for.
#[derive(Debug)]
pub struct Append {
    /// Where the client says its bytes start.
    pub offset: u64,
    /// The length, when the request tells it (a deferred length is set this way).
    pub length: Option<u64>,
}

/// What an append did.
#[derive(Debug)]
pub struct Appended {
    /// The upload's offset now.
    pub offset: u64,
    /// Its length, if known.
    pub length: Option<u64>,
    /// When it expires.
    pub expires_at: i64,
}

/// Appends a request's bytes at `at.offset`, which must be the offset the server holds.
/// An upload already finished takes nothing and answers its offset.
pub async fn append(
    s: &Shared,
    device: &DeviceRow,
    id: &str,
    at: Append,
    chunk: Chunk,
) -> UploadResult<Appended> {
    let (guard, row) = take_over(s, device, id).await?;
    let mut row = settle(s, row).await?;
    if at.offset != row.offset {
        return Err(UploadError::OffsetMismatch {
            sent: at.offset,
            held: row.offset,
        });
    }
    if let Some(l) = at.length {
        match row.length {
            Some(known) if known != l => {
                return Err(UploadError::Invalid(
                    "Upload-Length cannot change once set".into(),
                ));
            }
            Some(_) => {}
            None if l < row.offset => {
                return Err(UploadError::Invalid(
                    "Upload-Length is smaller than what was already sent".into(),
                ));
            }
            None => {
                check_length(s, Some(l))?;
                check_quota(s, device.id, l - row.offset).await?;
                row.length = Some(l);
            }
        }
    }
    let offset = if row.done_sha256.is_some() {
        row.offset
    } else {
        receive_detached(s, row.clone(), guard, chunk).await?
    };
    Ok(Appended {
        offset,
        length: row.length,
        expires_at: row.expires_at,
    })
}

/// Termination: removes an upload, bytes and state, once any request on it let go.
pub async fn terminate(s: &AppState, device: &DeviceRow, id: &str) -> UploadResult<()> {
    let (_guard, row) = take_over(s, device, id).await?;
    s.media.remove_upload(&upload_id(&row)?).await?;
    s.db.delete_upload(row.id.clone()).await?;
    s.uploads.remove(&row.id);
    Ok(())
}

/// Removes uploads past their expiry, bytes and state. Returns how many.
pub async fn sweep_expired(s: &AppState) -> UploadResult<usize> {
    let ids = s.db.expired_uploads(s.clock.now_ms()).await?;
    for id in &ids {
        let _guard = s.uploads.acquire(id).await;
        // A row whose id is no upload id has no bytes to remove; its state still goes.
        if let Ok(upload) = UploadId::parse(id) {
            s.media.remove_upload(&upload).await?;
        }
        s.db.delete_upload(id.clone()).await?;
        s.uploads.remove(id);
    }
    Ok(ids.len())
}

/// Stores every upload whose last byte is in but whose media was never stored (the
/// server stopped in between). Run at start-up. Returns how many were settled.
pub async fn settle_stalled(s: &AppState) -> UploadResult<usize> {
    let mut n = 0;
    for id in s.db.stalled_uploads().await? {
        let _guard = s.uploads.acquire(&id).await;
        if let Some(row) = s.db.upload(id.clone()).await? {
            match settle(s, row).await {
                Ok(_) => n += 1,
                Err(e) => {
                    tracing::warn!(upload = %id, error = %e, "a stalled upload was discarded")
                }
            }
        }
    }
    Ok(n)
}

/// A row's id as the media store takes it. Rows are made by [`create`], so this fails
/// only on a database edited by hand.
fn upload_id(row: &UploadRow) -> UploadResult<UploadId> {
    Ok(UploadId::parse(&row.id)?)
}

/// An upload whose last byte is in, but whose media was never stored: the server
/// stopped between saving the offset and storing the bytes. Stores it now, so that an
/// offset equal to the length always means "stored and verified" to the client. Call
/// with the upload's slot held.
async fn settle(s: &AppState, mut row: UploadRow) -> UploadResult<UploadRow> {
    if row.done_sha256.is_some() || row.length != Some(row.offset) {
        return Ok(row);
    }
    let id = upload_id(&row)?;
    let digest = if s.media.upload_exists(&id).await? {
        let hasher = s.media.hash_prefix(&id, row.offset).await?;
        match finish(s, &row, hasher, row.offset).await {
            Err(UploadError::ChecksumMismatch(_)) => {
                return Err(UploadError::Discarded(
                    "this upload's bytes did not hash to the declared sha256 and were \
                     discarded; start a new one",
                ));
            }
            other => other?,
        }
    } else {
        // Moved to its content address already: that happens only after the hash check.
        let stored = match row.sha256 {
            Some(sha) => s.media.media_len(&sha).await?.map(|_| sha),
            None => None,
        };
        match stored {
            Some(sha) => {
                let mime = match media_type::sniff(&s.media.media_head(&sha).await?) {
                    Ok(sniffed) => sniffed.mime,
                    Err(what) => {
                        discard(s, &row).await?;
                        return Err(UploadError::NotMedia(what));
                    }
                };
                let _stores = s.media_lock.lock().await;
                s.db.add_media(sha, row.offset, row.device_id, mime).await?;
                s.db.finish_upload(row.id.clone(), sha).await?;
                sha
            }
            None => {
                s.db.delete_upload(row.id.clone()).await?;
                s.uploads.remove(&row.id);
                return Err(UploadError::Discarded(
                    "this upload's bytes were lost before they were stored; start a new one",
                ));
            }
        }
    };
    row.done_sha256 = Some(digest);
    Ok(row)
}

/// Refuses `more` bytes from a device that would then hold more than its quota.
async fn check_quota(s: &AppState, device: DeviceId, more: u64) -> UploadResult<()> {
    let quota = s.settings.limits.max_device_bytes;
    let used = s.db.device_stored_bytes(device).await?;
    if used.saturating_add(more) > quota {
        return Err(quota_exceeded(used, quota));
    }
    Ok(())
}

fn quota_exceeded(used: u64, quota: u64) -> UploadError {
    UploadError::TooLarge(format!(
        "this device already has {used} bytes on the server and may have at most {quota}; \
         ask a coordinator to raise max_device_bytes"
    ))
}

fn check_length(s: &AppState, length: Option<u64>) -> UploadResult<()> {
    match length {
        Some(0) => Err(UploadError::Invalid(
            "Upload-Length is 0; media cannot be empty".into(),
        )),
        Some(l) if l > s.settings.limits.max_media_bytes => Err(UploadError::TooLarge(format!(
            "the media is {l} bytes; this server takes at most {}",
            s.settings.limits.max_media_bytes
        ))),
        _ => Ok(()),
    }
}

/// For an upload whose length is deferred: how many more bytes it may take, and which
/// bound that is. The media limit and the device's quota both hold while the bytes
/// arrive, since no length was checked up front.
struct Room {
    bytes: u64,
    /// `(used, quota)` when the quota is the nearer bound.
    quota: Option<(u64, u64)>,
    max_media: u64,
}

impl Room {
    async fn of(s: &AppState, row: &UploadRow) -> UploadResult<Self> {
        let limits = &s.settings.limits;
        let media_room = limits.max_media_bytes.saturating_sub(row.offset);
        let used = s.db.device_stored_bytes(row.device_id).await?;
        let quota_room = limits.max_device_bytes.saturating_sub(used);
        Ok(if quota_room < media_room {
            Self {
                bytes: quota_room,
                quota: Some((used, limits.max_device_bytes)),
                max_media: limits.max_media_bytes,
            }
        } else {
            Self {
                bytes: media_room,
                quota: None,
                max_media: limits.max_media_bytes,
            }
        })
    }

    /// The refusal once a request tries to take more.
    fn refusal(&self) -> UploadError {
        match self.quota {
            Some((used, quota)) => quota_exceeded(used, quota),
            None => UploadError::TooLarge(format!(
                "the media is larger than this server takes (at most {} bytes)",
                self.max_media
            )),
        }
    }
}

/// The upload's slot and its row, for a request of the device that owns it. A free slot
/// is simply taken (the common case: one database read). A busy one is taken over from
/// the request holding it, but only once the upload is known to be this device's, so
/// that no other device can interrupt it; the row is then read again, as the request
/// that let go may have moved it on.
async fn take_over(
    s: &AppState,
    dev: &DeviceRow,
    id: &str,
) -> UploadResult<(SlotGuard, UploadRow)> {
    if let Some(guard) = s.uploads.try_acquire(id) {
        return Ok((guard, load_owned(s, dev, id).await?));
    }
    load_owned(s, dev, id).await?;
    let guard = acquire(s, id).await?;
    Ok((guard, load_owned(s, dev, id).await?))
}

async fn acquire(s: &AppState, id: &str) -> UploadResult<SlotGuard> {
    s.uploads.acquire(id).await.ok_or(UploadError::Busy)
}

/// The upload, if it exists, belongs to this device and has not expired.
async fn load_owned(s: &AppState, dev: &DeviceRow, id: &str) -> UploadResult<UploadRow> {
    // Text that is no upload id never reaches the database or the media store.
    UploadId::parse(id).map_err(|_| UploadError::NotFound)?;
    let row =
        s.db.upload(id.to_string())
            .await?
            .ok_or(UploadError::NotFound)?;
    if row.device_id != dev.id {
        return Err(UploadError::NotYours);
    }
    if row.expires_at <= s.clock.now_ms() {
        return Err(UploadError::Expired);
    }
    Ok(row)
}

/// [`receive`] on a task of its own. A client that vanishes makes the server drop its
/// request handler; the bytes that arrived must still be saved and, if they were the
/// last, stored — never an offset saved as complete and the media left unstored.
async fn receive_detached(
    s: &Shared,
    row: UploadRow,
    guard: SlotGuard,
    chunk: Chunk,
) -> UploadResult<u64> {
    let s = s.clone();
    tokio::spawn(async move { receive(&s, row, guard, chunk).await })
        .await
        .map_err(|e| UploadError::Task(e.to_string()))?
}

/// Streams a request body into the upload at `row.offset`, syncs, saves the new offset,
/// and finishes the upload when the last byte is in. Returns the new offset.
///
/// A body cut short (dead connection, or another request taking over) keeps every byte
/// that arrived, unless the request carried a checksum, which then cannot be verified.
async fn receive(
    s: &AppState,
    row: UploadRow,
    mut guard: SlotGuard,
    chunk: Chunk,
) -> UploadResult<u64> {
    let Chunk {
        checksum,
        declared_len,
        body: mut stream,
    } = chunk;
    let id = upload_id(&row)?;
    if let (Some(len), Some(cl)) = (row.length, declared_len)
        && row.offset + cl > len
    {
        return Err(past_length());
    }
    let deferred = match row.length {
        Some(_) => None,
        None => Some(Room::of(s, &row).await?),
    };
    if let (Some(room), Some(cl)) = (&deferred, declared_len)
        && cl > room.bytes
    {
        return Err(room.refusal());
    }
    let base = match guard.state.hash.take() {
        Some((at, h)) if at == row.offset => h,
        _ => s.media.hash_prefix(&id, row.offset).await?,
    };
    let request = checksum.as_ref().map(|(algo, _)| match algo {
        ChecksumAlgorithm::Sha1 => RequestHasher::Sha1(sha1::Sha1::new()),
        ChecksumAlgorithm::Sha256 => RequestHasher::Sha256(sha2::Sha256::new()),
    });
    let mut writer = UploadWriter::start(
        &s.upload_buffer,
        &s.media,
        &id,
        row.offset,
        base.clone(),
        request,
    );
    let mut cut_short = false;
    let mut too_long = false;
    loop {
        let next = tokio::select! {
            biased;
            () = guard.cancel.cancelled() => { cut_short = true; break; }
            next = stream.next() => next,
        };
        let bytes = match next {
            None => break,
            Some(Err(_)) => {
                cut_short = true;
                break;
            }
            Some(Ok(bytes)) => bytes,
        };
        let after = writer.queued + bytes.len() as u64;
        let past_end = match (row.length, &deferred) {
            (Some(len), _) => row.offset + after > len,
            (None, Some(room)) => after > room.bytes,
            (None, None) => false,
        };
        if past_end {
            too_long = true;
            break;
        }
        if !writer.push(bytes).await {
            break; // the disk side failed; finish() says why
        }
    }
    let Written {
        hasher,
        request,
        bytes: received,
    } = writer.finish().await?;

    let refuse = if too_long {
        Some(match &deferred {
            Some(room) => room.refusal(),
            None => past_length(),
        })
    } else if let (Some((_, want)), Some(got)) = (&checksum, request) {
        (cut_short || got.finish() != *want).then_some(UploadError::ChecksumMismatch(
            "Upload-Checksum does not match the bytes sent; they were discarded",
        ))
    } else {
        None
    };
    if let Some(err) = refuse {
        // Put the upload back exactly as it was before this request: a part opened at
        // the old offset cuts off what this one wrote, and its sync makes that durable.
        let (media, offset) = (s.media.clone(), row.offset);
        tokio::task::spawn_blocking(move || media.open_part(&id, offset)?.sync())
            .await
            .map_err(|e| UploadError::Task(e.to_string()))??;
        guard.state.hash = Some((row.offset, base));
        return Err(err);
    }

    let new_offset = row.offset + received;
    if received > 0 || row.length.is_some() {
        s.db.set_upload_progress(row.id.clone(), new_offset, row.length)
            .await?;
    }
    Metrics::add(&s.metrics.upload_bytes, received);
    if row.length == Some(new_offset) {
        finish(s, &row, hasher, new_offset).await?;
    } else {
        guard.state.hash = Some((new_offset, hasher));
    }
    Ok(new_offset)
}

fn past_length() -> UploadError {
    UploadError::TooLarge("the body runs past Upload-Length".into())
}

/// Removes a complete upload that was refused, bytes and state.
async fn discard(s: &AppState, row: &UploadRow) -> UploadResult<()> {
    s.media.remove_upload(&upload_id(row)?).await?;
    s.db.delete_upload(row.id.clone()).await?;
    s.uploads.remove(&row.id);
    Metrics::add(&s.metrics.uploads_rejected, 1);
    Ok(())
}

/// The last byte is in: check the whole upload's hash and that it is media (by the same
/// sniff the device applies before it imports a file), then store it by content
/// address with the MIME type sniffed from it. Returns the hash.
async fn finish(
    s: &AppState,
    row: &UploadRow,
    hasher: sha2::Sha256,
    len: u64,
) -> UploadResult<Sha256> {
    let id = upload_id(row)?;
    let digest = Sha256(hasher.finalize().into());
    if row.sha256.is_some_and(|declared| declared != digest) {
        discard(s, row).await?;
        return Err(UploadError::ChecksumMismatch(
            "the uploaded bytes do not hash to the declared sha256; the upload was discarded",
        ));
    }
    let mime = match media_type::sniff(&s.media.upload_head(&id).await?) {
        Ok(sniffed) => sniffed.mime,
        Err(what) => {
            discard(s, row).await?;
            return Err(UploadError::NotMedia(what));
        }
    };
    {
        let _stores = s.media_lock.lock().await;
        s.media.complete_upload(&id, &digest).await?;
        s.db.add_media(digest, len, row.device_id, mime).await?;
    }
    s.db.finish_upload(row.id.clone(), digest).await?;
    s.uploads.remove(&row.id);
    Metrics::add(&s.metrics.uploads_completed, 1);
    Ok(digest)
}
