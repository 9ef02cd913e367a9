//! The media folder (the embedded default media store): finished media under their
//! content address `media/<sha256>`, unfinished tus uploads under `uploads/<id>`.

use std::io;
use std::path::{Path, PathBuf};

use saakshi_domain::{Sha256, media_type};
use sha2::Digest;
use tokio::fs::{self, File};
use tokio::io::AsyncReadExt;

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

    /// Where finished media lives. The hash type guarantees a safe file name.
    pub fn media_path(&self, sha256: &Sha256) -> PathBuf {
        self.media.join(sha256.to_hex())
    }

    /// Where an unfinished upload lives. Ids are made by us (UUID simple form); anything
    /// else is refused before it reaches a path.
    pub fn upload_path(&self, id: &str) -> Option<PathBuf> {
        (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| self.uploads.join(id))
    }

    /// Creates the empty file of a new upload.
    pub async fn create_upload(&self, id: &str) -> io::Result<()> {
        let p = self
            .upload_path(id)
            .ok_or_else(|| io::Error::other("bad upload id"))?;
        File::create(&p).await?.sync_all().await
    }

    /// Opens an upload for appending at `offset`, cutting off anything beyond it (bytes a
    /// crashed request wrote but never confirmed). Blocking: it runs on the blocking
    /// thread that then writes the request's bytes.
    pub fn open_upload_at(&self, id: &str, offset: u64) -> io::Result<std::fs::File> {
        use std::io::Seek;
        let p = self
            .upload_path(id)
            .ok_or_else(|| io::Error::other("bad upload id"))?;
        let mut f = std::fs::OpenOptions::new().write(true).open(&p)?;
        f.set_len(offset)?;
        f.seek(io::SeekFrom::Start(offset))?;
        Ok(f)
    }

    /// SHA-256 state over the first `len` bytes of an upload (to resume hashing after a
    /// restart, or on a node that did not see the earlier bytes).
    pub async fn hash_prefix(&self, id: &str, len: u64) -> io::Result<sha2::Sha256> {
        let p = self
            .upload_path(id)
            .ok_or_else(|| io::Error::other("bad upload id"))?;
        let mut f = File::open(&p).await?.take(len);
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

    /// The first bytes of an unfinished upload ([`media_type::HEADER_LEN`] at most),
    /// for [`media_type::sniff`].
    pub async fn upload_head(&self, id: &str) -> io::Result<Vec<u8>> {
        let p = self
            .upload_path(id)
            .ok_or_else(|| io::Error::other("bad upload id"))?;
        read_head(&p).await
    }

    /// The first bytes of stored media, for [`media_type::sniff`].
    pub async fn media_head(&self, sha256: &Sha256) -> io::Result<Vec<u8>> {
        read_head(&self.media_path(sha256)).await
    }

    /// Moves a finished upload to its content address. If the bytes are already stored
    /// (another device sent them), the copy is dropped.
    pub async fn finish_upload(&self, id: &str, sha256: &Sha256) -> io::Result<()> {
        let from = self
            .upload_path(id)
            .ok_or_else(|| io::Error::other("bad upload id"))?;
        let to = self.media_path(sha256);
        if fs::try_exists(&to).await? {
            return fs::remove_file(&from).await;
        }
        fs::rename(&from, &to).await?;
        File::open(&self.media).await?.sync_all().await
    }

    /// Removes stored media (orphans only: the caller made sure nothing refers to it).
    pub async fn remove_media(&self, sha256: &Sha256) -> io::Result<()> {
        match fs::remove_file(self.media_path(sha256)).await {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Removes an unfinished upload's bytes.
    pub async fn remove_upload(&self, id: &str) -> io::Result<()> {
        let Some(p) = self.upload_path(id) else {
            return Ok(());
        };
        match fs::remove_file(p).await {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

async fn read_head(path: &Path) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(media_type::HEADER_LEN);
    File::open(path)
        .await?
        .take(media_type::HEADER_LEN as u64)
        .read_to_end(&mut head)
        .await?;
    Ok(head)
}
