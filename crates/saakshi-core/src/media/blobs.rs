//! The blob store: `media/<aa>/<bb>/<sha256>` under the home, written so that a crash at
//! any moment leaves either nothing or a complete, correctly named file.
//!
//! A write goes: bytes → `tmp/<random>.part` (hashed as they pass) → fsync → rename to the
//! content address → fsync of the directories that changed. Only then may a database
//! record point at it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;

use saakshi_domain::Sha256;
use sha2::Digest;

use super::fault::{FaultPoint, Faults, check as fault};
use crate::error::{CoreError, Result};

/// Size of one read/write: large enough for full disk throughput, small enough that
/// memory does not grow with the file.
const CHUNK: usize = 4 << 20;
/// A filled buffer and how many of its bytes count.
type Chunk = (Vec<u8>, usize);

/// Buffers in flight between the reader, the hasher and the writer.
const BUFFERS: usize = 4;
/// The writer asks the disk to catch up this often, so the final fsync is short and the
/// disk works while we hash (plain page-cache writes would all wait for the end).
const SYNC_EVERY: u64 = 64 << 20;

/// The media folder and its temporary folder.
#[derive(Debug, Clone)]
pub struct BlobStore {
    media: PathBuf,
    tmp: PathBuf,
}

/// A fully written, fsynced temporary file whose hash is known. Dropping it without
/// [`BlobStore::commit`] removes the file.
#[derive(Debug)]
pub struct TempBlob {
    path: PathBuf,
    sha256: Sha256,
    size: u64,
    committed: bool,
}

impl TempBlob {
    /// SHA-256 of the bytes written.
    pub fn sha256(&self) -> Sha256 {
        self.sha256
    }

    /// Number of bytes written.
    pub fn size(&self) -> u64 {
        self.size
    }
}

impl Drop for TempBlob {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A blob at its content address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredBlob {
    /// Its address.
    pub sha256: Sha256,
    /// Its size in bytes.
    pub size: u64,
    /// False when identical bytes were already stored (nothing new was written).
    pub newly_stored: bool,
}

/// What a sweep removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SweepReport {
    /// Temporary files left by an interrupted write.
    pub temp_files: usize,
    /// Blobs that no record refers to.
    pub orphan_blobs: usize,
}

impl BlobStore {
    /// A blob store rooted at `home` (`home/media`, `home/tmp`), created if missing.
    pub fn open(home: &Path) -> Result<Self> {
        let media = home.join("media");
        let tmp = home.join("tmp");
        for dir in [&media, &tmp] {
            fs::create_dir_all(dir)
                .map_err(|e| CoreError::io(format!("creating {}", dir.display()), dir, e))?;
        }
        Ok(Self { media, tmp })
    }

    /// Where the blob with this hash lives.
    pub fn path_of(&self, sha256: &Sha256) -> PathBuf {
        let hex = sha256.to_hex();
        self.media.join(&hex[0..2]).join(&hex[2..4]).join(hex)
    }

    /// Whether the blob is on disk.
    pub fn contains(&self, sha256: &Sha256) -> bool {
        self.path_of(sha256).is_file()
    }

    /// Opens a stored blob for reading.
    pub fn open_blob(&self, sha256: &Sha256) -> Result<File> {
        let p = self.path_of(sha256);
        File::open(&p).map_err(|e| CoreError::io(format!("opening media {sha256}"), &p, e))
    }

    /// Streams `src` into a new temporary file, hashing as it goes, and fsyncs it.
    /// `progress` is called with the bytes read so far.
    ///
    /// Reading, hashing and writing run as a three-stage pipeline over a small ring of
    /// buffers, and the disk is asked to drain as the file grows (see [`write_chunks`]),
    /// so that the three overlap instead of taking turns. Memory stays at a few buffers
    /// whatever the size of the media.
    pub fn write_temp(
        &self,
        mut src: impl Read,
        progress: &mut dyn FnMut(u64),
    ) -> Result<TempBlob> {
        let path = self
            .tmp
            .join(format!("{}.part", uuid::Uuid::now_v7().simple()));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| CoreError::io("creating a temporary file", &self.tmp, e))?;
        // From here on, dropping `blob` removes the temporary file.
        let mut blob = TempBlob {
            path,
            sha256: Sha256([0; 32]),
            size: 0,
            committed: false,
        };
        let faults = Faults::current();
        let (hash_tx, hash_rx) = mpsc::sync_channel::<Chunk>(BUFFERS);
        let (write_tx, write_rx) = mpsc::sync_channel::<Chunk>(BUFFERS);
        let (empty_tx, empty_rx) = mpsc::sync_channel::<Vec<u8>>(BUFFERS);
        for _ in 0..BUFFERS {
            let _ = empty_tx.send(vec![0u8; CHUNK]);
        }
        // A stage whose downstream stopped (an error) stops too; the error is reported
        // by the stage that had it.
        let (read_result, digest, write_result) = thread::scope(|s| {
            let writer = s.spawn(move || write_chunks(file, write_rx, empty_tx, faults));
            let hasher = s.spawn(move || {
                let mut hasher = sha2::Sha256::new();
                for (buf, n) in hash_rx {
                    hasher.update(&buf[..n]);
                    if write_tx.send((buf, n)).is_err() {
                        break;
                    }
                }
                Sha256(hasher.finalize().into())
            });
            let read_result = (|| {
                while let Ok(mut buf) = empty_rx.recv() {
                    let n = read_some(&mut src, &mut buf)?;
                    if n == 0 {
                        break;
                    }
                    blob.size += n as u64;
                    progress(blob.size);
                    if hash_tx.send((buf, n)).is_err() {
                        break;
                    }
                }
                Ok::<(), io::Error>(())
            })();
            drop(hash_tx);
            let digest = hasher.join();
            let write_result = writer
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("media writer thread panicked")));
            (read_result, digest, write_result)
        });
        write_result.map_err(|e| CoreError::io("writing media", &self.tmp, e))?;
        read_result.map_err(|e| CoreError::Io {
            context: "reading the media".into(),
            source: e,
        })?;
        blob.sha256 = digest.map_err(|_| CoreError::Io {
            context: "hashing the media".into(),
            source: io::Error::other("hasher thread panicked"),
        })?;
        Ok(blob)
    }

    /// Moves a temporary blob to its content address and makes the rename durable.
    /// Identical bytes already stored are kept and the temporary copy removed.
    pub fn commit(&self, mut tmp: TempBlob) -> Result<StoredBlob> {
        let dest = self.path_of(&tmp.sha256);
        let stored = StoredBlob {
            sha256: tmp.sha256,
            size: tmp.size,
            newly_stored: !dest.is_file(),
        };
        if !stored.newly_stored {
            return Ok(stored); // `tmp` drops and removes its file
        }
        let leaf = dest.parent().unwrap_or(&self.media);
        create_dirs_durably(&self.media, leaf)?;
        fault(FaultPoint::Rename)
            .and_then(|()| fs::rename(&tmp.path, &dest))
            .map_err(|e| CoreError::io("moving media into place", &dest, e))?;
        tmp.committed = true;
        // The rename is durable once the directory that holds the new name is synced;
        // new parent directories were synced into their own parents on creation.
        if let Err(e) = fault(FaultPoint::Fsync).and_then(|()| sync_dir(leaf)) {
            let _ = fs::remove_file(&dest);
            return Err(CoreError::io("saving media to disk (fsync)", leaf, e));
        }
        Ok(stored)
    }

    /// Removes a blob (when its record could not be written, or by a purge policy).
    pub fn remove(&self, sha256: &Sha256) -> Result<()> {
        let p = self.path_of(sha256);
        match fs::remove_file(&p) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(CoreError::io("removing media", &p, e)),
        }
    }

    /// Re-reads a blob and checks that it still hashes to its address.
    pub fn verify(&self, sha256: &Sha256) -> Result<bool> {
        let mut f = self.open_blob(sha256)?;
        let mut hasher = sha2::Sha256::new();
        io::copy(&mut f, &mut hasher)
            .map_err(|e| CoreError::io("reading media", &self.path_of(sha256), e))?;
        Ok(Sha256(hasher.finalize().into()) == *sha256)
    }

    /// Removes every temporary file, and every blob for which `keep` says no. Only safe
    /// while no write is in progress (the caller holds the home's exclusive lock).
    pub fn sweep(&self, keep: impl Fn(&Sha256) -> bool) -> Result<SweepReport> {
        let mut report = SweepReport::default();
        for entry in read_dir(&self.tmp)? {
            let p = entry.path();
            if fs::remove_file(&p).is_ok() {
                report.temp_files += 1;
            }
        }
        for l1 in read_dir(&self.media)? {
            if !l1.path().is_dir() {
                continue;
            }
            for l2 in read_dir(&l1.path())? {
                if !l2.path().is_dir() {
                    continue;
                }
                for f in read_dir(&l2.path())? {
                    let name = f.file_name();
                    let known = name
                        .to_str()
                        .and_then(|n| n.parse::<Sha256>().ok())
                        .filter(|sha| self.path_of(sha) == f.path())
                        .is_some_and(|sha| keep(&sha));
                    if !known && fs::remove_file(f.path()).is_ok() {
                        report.orphan_blobs += 1;
                    }
                }
            }
        }
        Ok(report)
    }

    /// Every blob address on disk (for checks and tests).
    pub fn list(&self) -> Result<Vec<Sha256>> {
        let mut out = Vec::new();
        for l1 in read_dir(&self.media)? {
            for l2 in read_dir(&l1.path())? {
                for f in read_dir(&l2.path())? {
                    if let Some(sha) = f.file_name().to_str().and_then(|n| n.parse().ok()) {
                        out.push(sha);
                    }
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Names in the temporary folder (for checks and tests).
    pub fn temp_files(&self) -> Result<usize> {
        Ok(read_dir(&self.tmp)?.len())
    }
}

/// Reads until `buf` is full or the source ends (pipes and sockets return short reads).
fn read_some(src: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match src.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The writer thread: writes each chunk, returns the buffer for reuse, and fsyncs at
/// the end. Every [`SYNC_EVERY`] bytes it asks a third thread to `fdatasync` what is
/// written so far, so the disk drains while we keep writing instead of all at the end.
fn write_chunks(
    mut file: File,
    full: mpsc::Receiver<Chunk>,
    empty: mpsc::SyncSender<Vec<u8>>,
    faults: Faults,
) -> io::Result<()> {
    let flusher_file = file.try_clone()?;
    let (flush_tx, flush_rx) = mpsc::sync_channel::<()>(1);
    let flusher = thread::spawn(move || -> io::Result<()> {
        for () in flush_rx {
            faults
                .check(FaultPoint::Fsync)
                .and_then(|()| flusher_file.sync_data())?;
        }
        Ok(())
    });
    let mut unsynced = 0u64;
    let written = (|| {
        for (buf, n) in full {
            faults
                .check(FaultPoint::TempWrite)
                .and_then(|()| file.write_all(&buf[..n]))?;
            unsynced += n as u64;
            if unsynced >= SYNC_EVERY {
                // If a flush is still running, the next one will cover these bytes too.
                let _ = flush_tx.try_send(());
                unsynced = 0;
            }
            let _ = empty.send(buf);
        }
        Ok::<(), io::Error>(())
    })();
    drop(flush_tx);
    let flushed = flusher
        .join()
        .unwrap_or_else(|_| Err(io::Error::other("media flusher thread panicked")));
    written?;
    flushed?;
    faults
        .check(FaultPoint::Fsync)
        .and_then(|()| file.sync_all())
}

fn read_dir(dir: &Path) -> Result<Vec<fs::DirEntry>> {
    match fs::read_dir(dir) {
        Ok(rd) => rd
            .collect::<io::Result<Vec<_>>>()
            .map_err(|e| CoreError::io("listing media", dir, e)),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => Ok(Vec::new()),
        Err(e) => Err(CoreError::io("listing media", dir, e)),
    }
}

/// Creates `leaf` and any missing parents below `root`, syncing each new directory's
/// parent so the new entries survive a power cut.
fn create_dirs_durably(root: &Path, leaf: &Path) -> Result<()> {
    if leaf.is_dir() {
        return Ok(());
    }
    let mut missing = Vec::new();
    let mut cur = leaf;
    while !cur.is_dir() && cur != root {
        missing.push(cur.to_path_buf());
        match cur.parent() {
            Some(p) => cur = p,
            None => break,
        }
    }
    for dir in missing.iter().rev() {
        match fs::create_dir(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(CoreError::io("creating a media folder", dir, e)),
        }
        let parent = dir.parent().unwrap_or(root);
        fault(FaultPoint::Fsync)
            .and_then(|()| sync_dir(parent))
            .map_err(|e| CoreError::io("saving a media folder (fsync)", parent, e))?;
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out at most 777 bytes a call, and optionally fails after `fail_after`.
    struct Dribble {
        data: Vec<u8>,
        pos: usize,
        fail_after: Option<usize>,
    }

    impl Read for Dribble {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.fail_after.is_some_and(|f| self.pos >= f) {
                return Err(io::Error::other("card removed"));
            }
            let n = buf.len().min(777).min(self.data.len() - self.pos);
            buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
            self.pos += n;
            Ok(n)
        }
    }

    fn data(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn short_reads_across_many_chunks_hash_and_store_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let bytes = data(2 * CHUNK + 3);
        let mut seen = 0;
        let src = Dribble {
            data: bytes.clone(),
            pos: 0,
            fail_after: None,
        };
        let temp = store.write_temp(src, &mut |n| seen = n).unwrap();
        assert_eq!(seen, bytes.len() as u64);
        let expected = Sha256(sha2::Sha256::digest(&bytes).into());
        assert_eq!(temp.sha256(), expected);
        let stored = store.commit(temp).unwrap();
        assert!(stored.newly_stored);
        assert_eq!(fs::read(store.path_of(&expected)).unwrap(), bytes);
        assert!(store.verify(&expected).unwrap());
        // The same bytes again cost nothing and leave no temporary file.
        let again = store.write_temp(&bytes[..], &mut |_| {}).unwrap();
        assert!(!store.commit(again).unwrap().newly_stored);
        assert_eq!(store.temp_files().unwrap(), 0);
    }

    #[test]
    fn a_source_that_fails_midway_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let src = Dribble {
            data: data(CHUNK * 2),
            pos: 0,
            fail_after: Some(CHUNK + 5),
        };
        let err = store.write_temp(src, &mut |_| {}).unwrap_err();
        assert!(err.to_string().contains("card removed"), "{err}");
        assert_eq!(store.temp_files().unwrap(), 0);
        assert!(store.list().unwrap().is_empty());
    }
}
