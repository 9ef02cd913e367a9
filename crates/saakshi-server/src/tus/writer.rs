//! Where a PATCH body goes: appended to the upload's file and hashed on a blocking
//! thread, while the request's task keeps reading the socket.
//!
//! Why not on the request's task: `write` and the writeback call block when the disk is
//! busy (the kernel throttles writers once too much of the page cache is dirty). On a
//! tokio worker that stalls every other request of the server, and it stops reading the
//! socket, so the bytes in flight pile up in kernel buffers and are lost when the
//! connection is cut (`tests/tests/faults.rs` under a parallel `dd`: 1.2–2.5 MiB
//! re-sent per cut, against 0.01–0.8 MiB with this pipeline).
//!
//! Why a thread only while there is something to write: a blocking thread that waited
//! for the body's next bytes was held for the whole request, so 512 stalled bodies
//! (phones on a crawling 2G link) took all of tokio's blocking threads, and the database,
//! which runs there too, stopped answering: no sign-in, no push, no new upload. Now the
//! disk side is a task that waits for batches without a thread, and takes one of the
//! server's [`UploadBudget`] writer permits and a blocking thread only to write what has
//! arrived (every batch queued by then, in one trip) and for the closing `fdatasync`.
//!
//! Chunks reach the disk side as the body's own [`Bytes`] (no copy), gathered into
//! batches of [`BATCH`] bytes so that it wakes once per batch, not per network read. At
//! most [`QUEUED_BATCHES`] batches wait, which bounds the memory of one request whatever
//! the disk does, and every queued batch holds its size in the server-wide budget
//! (`Limits::upload_buffer_bytes`), which bounds them all: when the disk falls behind,
//! readers wait and TCP slows the senders.
//!
//! Where the bytes land is the media store's business ([`MediaStore::open_part`]): this
//! module only feeds its blocking [`PartSink`] and asks it to sync before the offset is
//! saved.

use std::io;
use std::sync::Arc;

use bytes::Bytes;
use sha2::Digest;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio::task::JoinHandle;

use crate::media::{MediaStore, PartSink, UploadId};

/// Bytes gathered before the disk side is woken. Small, so that the disk side works
/// while the body still arrives: with 1 MiB batches a 1 MiB PATCH was written only after
/// its last byte (5.0 s against 4.2–4.3 s for 1 GiB under `tus-js-client`).
pub const BATCH: usize = 64 << 10;
/// Batches that may wait for the disk: 2 MiB per request at most.
pub const QUEUED_BATCHES: usize = 32;

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

/// What a request wrote, once it is on disk.
pub struct Written {
    /// SHA-256 over the whole upload so far.
    pub hasher: sha2::Sha256,
    /// The checksum of this request's bytes alone, when one was declared.
    pub request: Option<RequestHasher>,
    /// Bytes appended by this request.
    pub bytes: u64,
}

/// What all PATCH bodies together may use (`Limits::upload_buffer_bytes` and
/// `Limits::upload_writers`): bytes queued in memory for the disk, and blocking threads
/// writing them. Clones share both.
#[derive(Clone, Debug)]
pub struct UploadBudget {
    bytes: Arc<Semaphore>,
    total: u32,
    writers: Arc<Semaphore>,
}

impl UploadBudget {
    /// A budget of `total` bytes and `writers` threads (each at least one).
    pub fn new(total: u32, writers: usize) -> Self {
        let total = total.max(1);
        Self {
            bytes: Arc::new(Semaphore::new(total as usize)),
            total,
            writers: Arc::new(Semaphore::new(writers.max(1))),
        }
    }

    /// Takes `len` bytes of the budget, waiting until they are free. A batch larger
    /// than the whole budget (a tiny setting) takes all of it. None only if the
    /// semaphore were closed, which nothing does.
    async fn take(&self, len: usize) -> Option<OwnedSemaphorePermit> {
        let want = u32::try_from(len).unwrap_or(u32::MAX).min(self.total);
        self.bytes.clone().acquire_many_owned(want).await.ok()
    }

    /// Runs `f` on a blocking thread once a writer permit is free.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> io::Result<T> + Send + 'static,
    ) -> io::Result<T> {
        let _writer = self.writers.acquire().await.map_err(io::Error::other)?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(io::Error::other)?
    }

    /// Bytes free now.
    pub fn free(&self) -> usize {
        self.bytes.available_permits()
    }

    /// Writer permits free now.
    pub fn free_writers(&self) -> usize {
        self.writers.available_permits()
    }
}

/// Chunks on their way to the disk, with their share of the budget.
type Batch = (Vec<Bytes>, OwnedSemaphorePermit);

/// The request's end of the pipeline to the disk.
pub struct UploadWriter {
    tx: mpsc::Sender<Batch>,
    budget: UploadBudget,
    batch: Vec<Bytes>,
    batched: usize,
    /// Bytes handed to the disk side so far, batched or sent.
    pub queued: u64,
    disk: JoinHandle<io::Result<Written>>,
}

impl UploadWriter {
    /// Starts the disk side: opens upload `id` at `offset` (cutting off anything after
    /// it); `hasher` covers the bytes before `offset`. Queued bytes and writer threads
    /// are taken from `budget`. The disk side is a task of its own, so it finishes what
    /// was queued even when the request's future is dropped.
    pub fn start(
        budget: &UploadBudget,
        media: &Arc<dyn MediaStore>,
        id: &UploadId,
        offset: u64,
        hasher: sha2::Sha256,
        request: Option<RequestHasher>,
    ) -> Self {
        let (tx, rx) = mpsc::channel(QUEUED_BATCHES);
        let (media, id) = (media.clone(), id.clone());
        let disk = tokio::spawn(append_all(
            budget.clone(),
            media,
            id,
            offset,
            rx,
            hasher,
            request,
        ));
        Self {
            tx,
            budget: budget.clone(),
            batch: Vec::new(),
            batched: 0,
            queued: 0,
            disk,
        }
    }

    /// Queues one chunk, waiting while the disk side is [`QUEUED_BATCHES`] behind or
    /// the server-wide budget is spent. False once the disk side has stopped; [`Self::finish`] then says why.
    pub async fn push(&mut self, chunk: Bytes) -> bool {
        self.queued += chunk.len() as u64;
        self.batched += chunk.len();
        self.batch.push(chunk);
        if self.batched < BATCH {
            return true;
        }
        self.send().await
    }

    async fn send(&mut self) -> bool {
        let size = std::mem::take(&mut self.batched);
        let batch = std::mem::take(&mut self.batch);
        if batch.is_empty() {
            return true;
        }
        let Some(permit) = self.budget.take(size).await else {
            return false;
        };
        self.tx.send((batch, permit)).await.is_ok()
    }

    /// Hands over the last batch and waits until every byte is on disk.
    pub async fn finish(mut self) -> io::Result<Written> {
        self.send().await;
        let Self { tx, disk, .. } = self;
        drop(tx);
        disk.await.map_err(io::Error::other)?
    }
}

/// An upload's part and hashes between two trips to a writer thread.
struct Appending {
    part: Box<dyn PartSink>,
    bytes: u64,
    hasher: sha2::Sha256,
    request: Option<RequestHasher>,
}

impl Appending {
    /// Appends and hashes one batch. The permit is dropped, and its bytes return to the
    /// budget, once the store took the batch.
    fn append(&mut self, (batch, _permit): Batch) -> io::Result<()> {
        for chunk in &batch {
            self.part.write(chunk)?;
            self.hasher.update(chunk);
            if let Some(r) = self.request.as_mut() {
                r.update(chunk);
            }
            self.bytes += chunk.len() as u64;
        }
        Ok(())
    }
}

/// The disk side: waits for batches without a thread; with one, takes a writer and
/// appends it and every batch queued behind it; `fdatasync`s once the request's side
/// hangs up.
async fn append_all(
    budget: UploadBudget,
    media: Arc<dyn MediaStore>,
    id: UploadId,
    offset: u64,
    mut rx: mpsc::Receiver<Batch>,
    hasher: sha2::Sha256,
    request: Option<RequestHasher>,
) -> io::Result<Written> {
    let mut state = budget
        .write(move || {
            Ok(Appending {
                part: media.open_part(&id, offset)?,
                bytes: 0,
                hasher,
                request,
            })
        })
        .await?;
    while let Some(first) = rx.recv().await {
        let (back, rx_back) = budget
            .write(move || {
                state.append(first)?;
                while let Ok(next) = rx.try_recv() {
                    state.append(next)?;
                }
                Ok((state, rx))
            })
            .await?;
        (state, rx) = (back, rx_back);
    }
    budget
        .write(move || {
            state.part.sync()?;
            Ok(Written {
                hasher: state.hasher,
                request: state.request,
                bytes: state.bytes,
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::{MediaFolder, read_all};

    /// 1 MiB through a budget of 100 KiB: every byte lands, in order, with its hash,
    /// and the whole budget is back once the request is done. A batch whose bytes are
    /// never given back, or one that cannot fit the budget, stalls the pipeline: the
    /// timeout turns that into a failure.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_body_larger_than_the_budget_lands_whole_and_gives_the_budget_back() {
        let dir = tempfile::tempdir().unwrap();
        let media: Arc<dyn MediaStore> = Arc::new(MediaFolder::open(dir.path()).unwrap());
        let id = UploadId::new();
        media.create_upload(&id).await.unwrap();
        let total = 100 << 10;
        let budget = UploadBudget::new(total, 1);
        let body: Vec<u8> = (0..1u32 << 20).map(|i| (i * 7 + i / 4096) as u8).collect();

        let mut w = UploadWriter::start(&budget, &media, &id, 0, sha2::Sha256::new(), None);
        let send = async {
            // Chunks of uneven sizes, as a network delivers them; one larger than a batch.
            let mut at = 0;
            for size in [1usize, 5000, 70_000, 16_384, 300_000].into_iter().cycle() {
                if at == body.len() {
                    break;
                }
                let end = (at + size).min(body.len());
                assert!(w.push(Bytes::copy_from_slice(&body[at..end])).await);
                assert!(budget.free() <= total as usize);
                at = end;
            }
            w.finish().await.unwrap()
        };
        let written = tokio::time::timeout(std::time::Duration::from_secs(30), send)
            .await
            .expect("the upload stalled: the budget was not given back");

        assert_eq!(written.bytes, body.len() as u64);
        let digest = written.hasher.finalize();
        assert_eq!(digest.as_slice(), sha2::Sha256::digest(&body).as_slice());
        // What the store holds is what was sent, in order.
        let sha = saakshi_domain::Sha256(digest.into());
        media.complete_upload(&id, &sha).await.unwrap();
        let stored = read_all(media.read_media(&sha, 0..body.len() as u64).await.unwrap())
            .await
            .unwrap();
        assert!(stored == body, "the store holds other bytes than were sent");
        assert_eq!(budget.free(), total as usize);
        assert_eq!(budget.free_writers(), 1, "the writer is back too");
    }
}
