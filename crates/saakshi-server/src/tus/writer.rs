//! Where a PATCH body goes: appended to the upload's file and hashed, chunk by chunk, on
//! the request's own task.
//!
//! Why on the task and not on a blocking thread: a chunk is written to the page cache
//! (a memory copy, no disk wait) and hashed while it is still in the CPU cache that just
//! received it. Handing it to another thread costs another copy and moves the bytes
//! between cores, which measured about twice as slow under the official tus client
//! (BENCHMARKS.md, "A 1 GiB tus upload"). The one call that waits for the disk, the
//! closing `fdatasync`, runs on the blocking pool ([`ChunkWriter::sync`]).
//!
//! The disk is asked to start writing every [`WRITEBACK_EVERY`] bytes without waiting
//! for it, so that the closing `fdatasync` has only the tail left to wait on.

use std::fs::File;
use std::io::{self, Write};

use sha2::Digest;

/// How many bytes are appended between two calls that start writeback.
pub const WRITEBACK_EVERY: u64 = 256 << 10;

/// The per-request checksum of the tus checksum extension.
pub enum RequestHasher {
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
}

impl RequestHasher {
    fn update(&mut self, b: &[u8]) {
        match self {
            Self::Sha1(h) => h.update(b),
            Self::Sha256(h) => h.update(b),
        }
    }

    /// The digest of everything this request sent.
    pub fn finish(self) -> Vec<u8> {
        match self {
            Self::Sha1(h) => h.finalize().to_vec(),
            Self::Sha256(h) => h.finalize().to_vec(),
        }
    }
}

/// Appends to an upload's file at a known offset, keeping its running hashes.
pub struct ChunkWriter {
    file: File,
    /// SHA-256 over the whole upload so far.
    hasher: sha2::Sha256,
    /// The checksum of this request's bytes alone, when one was declared.
    request: Option<RequestHasher>,
    /// Bytes appended by this request.
    pub written: u64,
    /// The file offset where the bytes not yet handed to writeback start.
    unflushed_from: u64,
    offset: u64,
}

impl ChunkWriter {
    /// `file` is positioned at `offset`; `hasher` covers the bytes before it.
    pub fn new(
        file: File,
        offset: u64,
        hasher: sha2::Sha256,
        request: Option<RequestHasher>,
    ) -> Self {
        Self {
            file,
            hasher,
            request,
            written: 0,
            unflushed_from: offset,
            offset,
        }
    }

    /// Appends and hashes one chunk; starts writeback every [`WRITEBACK_EVERY`] bytes.
    pub fn append(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.file.write_all(chunk)?;
        self.hasher.update(chunk);
        if let Some(r) = self.request.as_mut() {
            r.update(chunk);
        }
        self.written += chunk.len() as u64;
        let end = self.offset + self.written;
        if end - self.unflushed_from >= WRITEBACK_EVERY {
            start_writeback(&self.file, self.unflushed_from, end - self.unflushed_from);
            self.unflushed_from = end;
        }
        Ok(())
    }

    /// Waits until every appended byte is on disk (on the blocking pool), and gives the
    /// hashes back.
    pub async fn sync(self) -> io::Result<(sha2::Sha256, Option<RequestHasher>, u64)> {
        let Self {
            file,
            hasher,
            request,
            written,
            ..
        } = self;
        tokio::task::spawn_blocking(move || file.sync_data())
            .await
            .map_err(io::Error::other)??;
        Ok((hasher, request, written))
    }
}

/// Starts writing `len` bytes at `from` to disk without waiting for them. Linux's
/// `POSIX_FADV_DONTNEED` begins writeback of the dirty range, and lets the cache drop
/// it once written: an upload is read back only to resume its hash after a restart.
/// Advice only: a failure changes nothing, since the closing `fdatasync` is what the
/// offset waits on.
#[cfg(target_os = "linux")]
fn start_writeback(file: &File, from: u64, len: u64) {
    use rustix::fs::{Advice, fadvise};
    let _ = fadvise(file, from, std::num::NonZeroU64::new(len), Advice::DontNeed);
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _from: u64, _len: u64) {}
