//! Where media bytes live: the [`MediaStore`] trait and its implementations.
//!
//! The trait speaks in uploads, parts, completion, ranged reads and existence, never in
//! paths, so that a back-end with no files under it (S3-compatible object storage:
//! multipart uploads, parts, ranged GETs) can take the folder's place without anything
//! above it changing. Finished media is named by its content address; an unfinished
//! upload by an [`UploadId`], which is checked once when it is made from text, so no
//! implementation ever sees a name a client chose.
//!
//! [`MediaFolder`] (a local folder) is the embedded default. The back-end-agnostic test
//! suite every implementation must pass is in `suite.rs`.

mod folder;
#[cfg(test)]
pub(crate) mod suite;

use std::fmt;
use std::io;
use std::ops::Range;

use async_trait::async_trait;
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use saakshi_domain::{Sha256, media_type};

pub use folder::MediaFolder;

/// The bytes of a ranged read, in order, as they arrive from the back-end.
pub type ByteStream = BoxStream<'static, io::Result<Bytes>>;

/// What a media store refuses or fails with.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// Text that is not an upload id this server makes (32 lowercase hex digits).
    #[error("not an upload id: an upload is named by 32 lowercase hex digits")]
    BadUploadId,
    /// No such upload, or no such media.
    #[error("no such upload or media")]
    NotFound,
    /// A read of bytes the media does not have.
    #[error("bytes {start}..{end} were asked for, but the media has {len}")]
    OutOfRange {
        /// First byte asked for.
        start: u64,
        /// One past the last byte asked for.
        end: u64,
        /// The media's length.
        len: u64,
    },
    /// The back-end failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl From<MediaError> for io::Error {
    fn from(e: MediaError) -> Self {
        match e {
            MediaError::Io(e) => e,
            MediaError::NotFound => io::Error::new(io::ErrorKind::NotFound, e),
            other => io::Error::other(other),
        }
    }
}

/// Result of a media store call.
pub type MediaResult<T> = Result<T, MediaError>;

/// The name of an unfinished upload: a UUIDv7 in its simple form (32 lowercase hex
/// digits), made by this server. Text from a client becomes one only through
/// [`UploadId::parse`], so a store never builds a name from anything else.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UploadId(String);

impl UploadId {
    /// A new, unique id (time-ordered, so listings of uploads sort by age).
    #[allow(clippy::new_without_default)] // a default id would be a random one: say so
    pub fn new() -> Self {
        Self(uuid::Uuid::now_v7().simple().to_string())
    }

    /// Checks text from a URL or a database row. Lowercase only, as we make them: on a
    /// case-insensitive file system `ABC…` and `abc…` would name the same file.
    pub fn parse(text: &str) -> MediaResult<Self> {
        let ok = text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| Self(text.to_string()))
            .ok_or(MediaError::BadUploadId)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UploadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where one request's bytes go: opened at an offset of an upload, written, then made
/// durable. Blocking: it is driven by the bounded disk writers of `tus::writer`, on a
/// blocking thread, never on an async worker.
pub trait PartSink: Send {
    /// Appends `bytes` after everything written so far. They need not be durable yet.
    fn write(&mut self, bytes: &[u8]) -> io::Result<()>;

    /// Makes every byte written so far durable. The server reports an offset only after
    /// this returned: an offset it ever answered is never lost.
    fn sync(&mut self) -> io::Result<()>;
}

/// Media bytes: unfinished tus uploads, and finished media under their content address.
///
/// Every method is safe to call concurrently on different uploads; callers serialise
/// work on one upload (the tus slots) and completion against orphan removal (the media
/// lock), so implementations need no locks of their own for that.
#[async_trait]
pub trait MediaStore: Send + Sync + fmt::Debug + 'static {
    /// Creates the empty upload `id`, durably.
    async fn create_upload(&self, id: &UploadId) -> MediaResult<()>;

    /// Opens upload `id` for appending at `offset`, first cutting off any bytes beyond
    /// it (bytes a crashed or refused request wrote but the server never confirmed).
    /// Blocking; fails with [`MediaError::NotFound`] if the upload does not exist.
    fn open_part(&self, id: &UploadId, offset: u64) -> MediaResult<Box<dyn PartSink>>;

    /// Whether upload `id` still has its bytes.
    async fn upload_exists(&self, id: &UploadId) -> MediaResult<bool>;

    /// The SHA-256 state over the first `len` bytes of upload `id`: to go on hashing
    /// after a restart, or on a node that did not see the earlier bytes.
    async fn hash_prefix(&self, id: &UploadId, len: u64) -> MediaResult<sha2::Sha256>;

    /// The first bytes of upload `id` ([`media_type::HEADER_LEN`] at most), for
    /// [`media_type::sniff`].
    async fn upload_head(&self, id: &UploadId) -> MediaResult<Vec<u8>>;

    /// Makes upload `id` the media `sha256` (the caller checked the hash), durably, and
    /// forgets the upload. Idempotent: if the media is already stored (another device
    /// sent the same bytes, or this call is a retry) the upload's copy is dropped.
    async fn complete_upload(&self, id: &UploadId, sha256: &Sha256) -> MediaResult<()>;

    /// Removes upload `id`'s bytes; an upload that is not there is no error.
    async fn remove_upload(&self, id: &UploadId) -> MediaResult<()>;

    /// The length of stored media, `None` when it is not stored.
    async fn media_len(&self, sha256: &Sha256) -> MediaResult<Option<u64>>;

    /// Bytes `range` of stored media. A range reaching past the end is refused with
    /// [`MediaError::OutOfRange`] (the caller knows the length: [`Self::media_len`]).
    async fn read_media(&self, sha256: &Sha256, range: Range<u64>) -> MediaResult<ByteStream>;

    /// Removes stored media (orphans only: the caller made sure, under the media lock,
    /// that nothing refers to it). Media that is not there is no error.
    async fn remove_media(&self, sha256: &Sha256) -> MediaResult<()>;

    /// The first bytes of stored media ([`media_type::HEADER_LEN`] at most), for
    /// [`media_type::sniff`].
    async fn media_head(&self, sha256: &Sha256) -> MediaResult<Vec<u8>> {
        let len = self.media_len(sha256).await?.ok_or(MediaError::NotFound)?;
        read_all(
            self.read_media(sha256, 0..len.min(media_type::HEADER_LEN as u64))
                .await?,
        )
        .await
    }
}

/// Gathers a (short) stream into memory.
pub async fn read_all(mut stream: ByteStream) -> MediaResult<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk?);
    }
    Ok(out)
}
