//! The media folder, the embedded default [`MediaStore`]: finished media under its
//! content address `media/<sha256>`, unfinished tus uploads under `uploads/<id>`.
//!
//! Durability: a new upload's file is fsynced; a part's bytes are `fdatasync`ed before
//! [`PartSink::sync`] returns; a completed upload is renamed to its content address and
//! the folder fsynced, so the name survives a crash as well as the bytes.

use std::io::{self, Seek, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use saakshi_domain::{Sha256, media_type};
use sha2::Digest;
use tokio::fs::{self, File};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use super::{ByteStream, MediaError, MediaResult, MediaStore, PartSink, UploadId};

/// Bytes a ranged read hands on at a time.
const READ_CHUNK: usize = 256 << 10;
/// How many bytes a part appends between two calls that start writeback.
const WRITEBACK_EVERY: u64 = 256 << 10;

/// Local folder storage for media and partial uploads.
#[derive(Clone, Debug)]
pub struct MediaFolder {
    media: PathBuf,
    uploads: PathBuf,
}

impl MediaFolder {
    /// Creates the folders under `root` if missing.
    pub fn open(root: &Path) -> io::Result<Self> {
        let media = root.join("media");
        let uploads = root.join("uploads");
        std::fs::create_dir_all(&media)?;
        std::fs::create_dir_all(&uploads)?;
        Ok(Self { media, uploads })
    }

    /// The hash type guarantees a safe file name.
    fn media_path(&self, sha256: &Sha256) -> PathBuf {
        self.media.join(sha256.to_hex())
    }

    /// The id type guarantees a safe file name (32 lowercase hex digits).
    fn upload_path(&self, id: &UploadId) -> PathBuf {
        self.uploads.join(id.as_str())
    }
}

/// `NotFound` from the file system is the store's [`MediaError::NotFound`].
fn not_found_or_io(e: io::Error) -> MediaError {
    if e.kind() == io::ErrorKind::NotFound {
        MediaError::NotFound
    } else {
        MediaError::Io(e)
    }
}

async fn exists(p: &Path) -> MediaResult<bool> {
    Ok(fs::try_exists(p).await?)
}

async fn remove_if_there(p: &Path) -> MediaResult<()> {
    match fs::remove_file(p).await {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

#[async_trait]
impl MediaStore for MediaFolder {
    async fn create_upload(&self, id: &UploadId) -> MediaResult<()> {
        File::create(self.upload_path(id)).await?.sync_all().await?;
        Ok(())
    }

    fn open_part(&self, id: &UploadId, offset: u64) -> MediaResult<Box<dyn PartSink>> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(self.upload_path(id))
            .map_err(not_found_or_io)?;
        file.set_len(offset)?;
        file.seek(io::SeekFrom::Start(offset))?;
        Ok(Box::new(FilePart {
            file,
            end: offset,
            unflushed_from: offset,
        }))
    }

    async fn upload_exists(&self, id: &UploadId) -> MediaResult<bool> {
        exists(&self.upload_path(id)).await
    }

    async fn hash_prefix(&self, id: &UploadId, len: u64) -> MediaResult<sha2::Sha256> {
        let file = File::open(self.upload_path(id))
            .await
            .map_err(not_found_or_io)?;
        let mut f = file.take(len);
        let mut hasher = sha2::Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = f.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok(hasher)
    }

    async fn upload_head(&self, id: &UploadId) -> MediaResult<Vec<u8>> {
        read_head(&self.upload_path(id)).await
    }

    async fn complete_upload(&self, id: &UploadId, sha256: &Sha256) -> MediaResult<()> {
        let from = self.upload_path(id);
        let to = self.media_path(sha256);
        if exists(&to).await? {
            // Stored already: the copy goes (a retry finds it gone, which is fine).
            return remove_if_there(&from).await;
        }
        fs::rename(&from, &to).await.map_err(not_found_or_io)?;
        File::open(&self.media).await?.sync_all().await?;
        Ok(())
    }

    async fn remove_upload(&self, id: &UploadId) -> MediaResult<()> {
        remove_if_there(&self.upload_path(id)).await
    }

    async fn media_len(&self, sha256: &Sha256) -> MediaResult<Option<u64>> {
        match fs::metadata(self.media_path(sha256)).await {
            Ok(m) => Ok(Some(m.len())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn read_media(&self, sha256: &Sha256, range: Range<u64>) -> MediaResult<ByteStream> {
        let mut file = File::open(self.media_path(sha256))
            .await
            .map_err(not_found_or_io)?;
        let len = file.metadata().await?.len();
        if range.start > range.end || range.end > len {
            return Err(MediaError::OutOfRange {
                start: range.start,
                end: range.end,
                len,
            });
        }
        file.seek(io::SeekFrom::Start(range.start)).await?;
        let bytes = file.take(range.end - range.start);
        Ok(Box::pin(ReaderStream::with_capacity(bytes, READ_CHUNK)))
    }

    async fn remove_media(&self, sha256: &Sha256) -> MediaResult<()> {
        remove_if_there(&self.media_path(sha256)).await
    }

    async fn media_head(&self, sha256: &Sha256) -> MediaResult<Vec<u8>> {
        read_head(&self.media_path(sha256)).await
    }
}

async fn read_head(path: &Path) -> MediaResult<Vec<u8>> {
    let mut head = Vec::with_capacity(media_type::HEADER_LEN);
    File::open(path)
        .await
        .map_err(not_found_or_io)?
        .take(media_type::HEADER_LEN as u64)
        .read_to_end(&mut head)
        .await?;
    Ok(head)
}

/// An upload's file, open at the end of what was written.
struct FilePart {
    file: std::fs::File,
    end: u64,
    unflushed_from: u64,
}

impl PartSink for FilePart {
    /// Appends, and asks the disk to start writing every [`WRITEBACK_EVERY`] bytes so
    /// that the closing `fdatasync` has only the tail left to wait on.
    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)?;
        self.end += bytes.len() as u64;
        if self.end - self.unflushed_from >= WRITEBACK_EVERY {
            start_writeback(
                &self.file,
                self.unflushed_from,
                self.end - self.unflushed_from,
            );
            self.unflushed_from = self.end;
        }
        Ok(())
    }

    /// `fdatasync`: the data and the file's length (a cut-off offset included), which
    /// is all a later read needs.
    fn sync(&mut self) -> io::Result<()> {
        self.file.sync_data()
    }
}

/// Starts writing `len` bytes at `from` to disk without waiting for them. Linux's
/// `POSIX_FADV_DONTNEED` begins writeback of the dirty range, and lets the cache drop
/// it once written: an upload is read back only to resume its hash after a restart.
/// Advice only: a failure changes nothing, since the closing `fdatasync` is what the
/// offset waits on.
#[cfg(target_os = "linux")]
fn start_writeback(file: &std::fs::File, from: u64, len: u64) {
    use rustix::fs::{Advice, fadvise};
    let _ = fadvise(file, from, std::num::NonZeroU64::new(len), Advice::DontNeed);
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &std::fs::File, _from: u64, _len: u64) {}

#[cfg(test)]
mod tests {
    //! The back-end-agnostic suite, run on a fresh folder per test, and what only a
    //! folder has: its files.

    use std::sync::Arc;

    use super::*;
    use crate::media::suite;

    fn folder() -> (tempfile::TempDir, Arc<dyn MediaStore>) {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MediaFolder::open(dir.path()).unwrap());
        (dir, store)
    }

    #[tokio::test]
    async fn appends_resume_at_an_offset_and_cut_off_what_lies_beyond() {
        let (_d, store) = folder();
        suite::append_and_resume(store).await;
    }

    #[tokio::test]
    async fn hash_prefix_covers_exactly_the_first_bytes() {
        let (_d, store) = folder();
        suite::hash_prefix(store).await;
    }

    #[tokio::test]
    async fn completion_stores_by_content_and_is_idempotent() {
        let (_d, store) = folder();
        suite::completion(store).await;
    }

    #[tokio::test]
    async fn ranged_reads_from_start_middle_end_and_past_it() {
        let (_d, store) = folder();
        suite::ranged_reads(store).await;
    }

    #[tokio::test]
    async fn existence_and_removal() {
        let (_d, store) = folder();
        suite::existence_and_removal(store).await;
    }

    #[tokio::test]
    async fn bad_and_unknown_upload_ids_are_refused() {
        let (_d, store) = folder();
        suite::bad_and_unknown_ids(store).await;
    }

    /// The folder's layout is what operators back up and what the black-box tests look
    /// at: media under `media/<sha256>`, nothing left under `uploads/`.
    #[tokio::test]
    async fn completed_media_lies_under_its_content_address() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn MediaStore> = Arc::new(MediaFolder::open(dir.path()).unwrap());
        let bytes = suite::sample(10_000, 3);
        let sha = suite::store_bytes(store, &bytes).await;
        let on_disk = std::fs::read(dir.path().join("media").join(sha.to_hex())).unwrap();
        assert!(on_disk == bytes);
        assert_eq!(
            std::fs::read_dir(dir.path().join("uploads"))
                .unwrap()
                .count(),
            0
        );
    }
}
