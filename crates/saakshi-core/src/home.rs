//! The device's home folder: one SQLite database, the media blobs, and a lock file.
//!
//! ```text
//! <home>/saakshi.db      records, states, thumbnails, settings (WAL)
//! <home>/media/aa/bb/…   content-addressed media
//! <home>/tmp/            media being written
//! <home>/lock            shared while a write is in progress, exclusive while sweeping
//! ```

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use saakshi_domain::{CaptureId, CaptureState, Sha256};
use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::media::BlobStore;
use crate::store::migrations::MigrationError;
use crate::store::{CaptureFilter, LocalCapture, StateCount, Store, Thumbnail};

const DB_FILE: &str = "saakshi.db";
const LOCK_FILE: &str = "lock";

/// An open device home. Cheap to share behind an `Arc`; database work is serialised.
#[derive(Debug)]
pub struct Home {
    root: PathBuf,
    store: Mutex<Store>,
    blobs: BlobStore,
}

/// Counts and sizes for `saakshi status` and the app's header.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The home folder.
    pub home: PathBuf,
    /// Captures per state (every state, zeros included).
    pub states: Vec<StateCount>,
    /// Captures not yet synced.
    pub pending_count: u64,
    /// Media bytes not yet synced.
    pub pending_bytes: u64,
    /// Media bytes stored on this device.
    pub media_bytes: u64,
    /// Size of the database files.
    pub database_bytes: u64,
    /// Changes from the server that this version could not read and skipped: a sign
    /// that the app needs an update.
    pub unknown_changes: u64,
}

/// The result of re-hashing every stored blob.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    /// Blobs checked.
    pub checked: usize,
    /// Blobs the database knows but the disk does not have.
    pub missing: Vec<Sha256>,
    /// Blobs whose bytes no longer match their hash.
    pub corrupt: Vec<Sha256>,
}

fn open_lock_file(root: &Path) -> Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(root.join(LOCK_FILE))
        .map_err(|e| CoreError::io("opening the lock file", root, e))
}

impl Home {
    /// The platform's data folder for Saakshi (`~/.local/share/saakshi` on Linux).
    pub fn default_path() -> Option<PathBuf> {
        dirs::data_dir().map(|d| d.join("saakshi"))
    }

    /// Creates a new home at `root`, or opens the one already there.
    /// Returns whether it was newly created.
    pub fn create(root: &Path) -> Result<(Self, bool)> {
        let existed = root.join(DB_FILE).is_file();
        fs::create_dir_all(root)
            .map_err(|e| CoreError::io(format!("creating {}", root.display()), root, e))?;
        Ok((Self::open_inner(root, true)?, !existed))
    }

    /// Opens an existing home.
    pub fn open(root: &Path) -> Result<Self> {
        if !root.join(DB_FILE).is_file() {
            return Err(CoreError::NoHome(root.to_path_buf()));
        }
        Self::open_inner(root, false)
    }

    fn open_inner(root: &Path, create: bool) -> Result<Self> {
        // Opening the lock file for writing is the first write: a read-only home is
        // named as such here, before SQLite reports it as "unable to open".
        let lock = open_lock_file(root)?;
        let blobs = BlobStore::open(root)?;
        let db_path = root.join(DB_FILE);
        let store = Store::open(&db_path, create).map_err(|e| match e {
            MigrationError::TooNew { found, known } => CoreError::SchemaTooNew { found, known },
            MigrationError::Changed(v) => CoreError::MigrationChanged(v),
            MigrationError::Sql(inner) => CoreError::db(root, inner),
        })?;
        let home = Self {
            root: root.to_path_buf(),
            store: Mutex::new(store),
            blobs,
        };
        home.sweep_if_idle(&lock)?;
        Ok(home)
    }

    /// The home folder.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The media blobs.
    pub fn blobs(&self) -> &BlobStore {
        &self.blobs
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll
        // back), so a poisoned mutex is safe to keep using.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs database work and turns its errors into words.
    pub(crate) fn db<T>(&self, f: impl FnOnce(&mut Store) -> rusqlite::Result<T>) -> Result<T> {
        f(&mut self.store()).map_err(|e| CoreError::db(&self.root, e))
    }

    /// Held (shared) for the whole of a media write, so that no sweep — in this process
    /// or another — can take a half-written or not-yet-recorded blob for an orphan.
    pub(crate) fn write_guard(&self) -> Result<File> {
        let f = open_lock_file(&self.root)?;
        f.lock_shared()
            .map_err(|e| CoreError::io("locking the store", &self.root, e))?;
        Ok(f)
    }

    /// Removes temporary files and blobs no record refers to, when no write is running
    /// anywhere. Runs at every open.
    fn sweep_if_idle(&self, lock: &File) -> Result<()> {
        if lock.try_lock().is_err() {
            return Ok(()); // another process is writing; it will sweep another time
        }
        let known = self.db(|s| s.blob_set())?;
        self.blobs.sweep(|sha| known.contains(sha))?;
        lock.unlock()
            .map_err(|e| CoreError::io("unlocking the store", &self.root, e))
    }

    /// One capture.
    pub fn capture(&self, id: &CaptureId) -> Result<LocalCapture> {
        self.db(|s| s.capture(id))?
            .ok_or_else(|| CoreError::NotFound(id.to_string()))
    }

    /// A capture named by its full id, or by a unique start or end of it (as people
    /// type them; `saakshi list` shows the end).
    pub fn resolve(&self, id_or_prefix: &str) -> Result<CaptureId> {
        let s = id_or_prefix.trim();
        if let Ok(id) = s.parse::<CaptureId>() {
            return self.capture(&id).map(|c| c.record.id);
        }
        if s.len() < 4 || !s.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(CoreError::NotFound(s.to_string()));
        }
        let found = self.db(|st| st.capture_ids_matching(s))?;
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(CoreError::NotFound(s.to_string())),
            _ => Err(CoreError::Ambiguous(s.to_string())),
        }
    }

    /// Captures matching `filter`, newest first.
    pub fn captures(&self, filter: &CaptureFilter) -> Result<Vec<LocalCapture>> {
        self.db(|s| s.captures(filter))
    }

    /// The preview of a capture's media, if one was made.
    pub fn thumbnail(&self, sha256: &Sha256) -> Result<Option<Thumbnail>> {
        self.db(|s| s.thumbnail(sha256))
    }

    /// Counts per state, bytes pending and storage used.
    pub fn status(&self) -> Result<Status> {
        let (states, media_bytes) = self.db(|s| Ok((s.state_counts()?, s.blob_bytes()?)))?;
        let pending = states.iter().filter(|c| c.state.is_pending());
        let database_bytes = ["", "-wal", "-shm"]
            .iter()
            .filter_map(|suffix| fs::metadata(self.root.join(format!("{DB_FILE}{suffix}"))).ok())
            .map(|m| m.len())
            .sum();
        let unknown_changes = self
            .setting(crate::sync::keys::UNKNOWN_CHANGES)?
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        Ok(Status {
            home: self.root.clone(),
            unknown_changes,
            pending_count: pending.clone().map(|c| c.count).sum(),
            pending_bytes: pending.map(|c| c.bytes).sum(),
            states,
            media_bytes,
            database_bytes,
        })
    }

    /// Re-reads every blob the database knows and checks its hash.
    pub fn verify(&self) -> Result<VerifyReport> {
        let known = self.db(|s| s.blob_set())?;
        let mut report = VerifyReport::default();
        for sha in known {
            report.checked += 1;
            if !self.blobs.contains(&sha) {
                report.missing.push(sha);
            } else if !self.blobs.verify(&sha)? {
                report.corrupt.push(sha);
            }
        }
        report.missing.sort();
        report.corrupt.sort();
        Ok(report)
    }

    /// A device setting (enrolment, policies), if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.db(|s| s.setting(key))
    }

    /// Sets a device setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.db(|s| s.set_setting(key, value))
    }

    /// Counts one pulled change skipped because this version cannot read it.
    pub(crate) fn count_unknown_change(&self) -> Result<()> {
        self.db(|s| s.increment_setting(crate::sync::keys::UNKNOWN_CHANGES))
    }

    /// Removes a device setting.
    pub fn clear_setting(&self, key: &str) -> Result<()> {
        self.db(|s| s.clear_setting(key))
    }

    /// A page of captures matching `filter`, newest first, with their sync progress
    /// and last error, and how many match in all (the app's queue screen).
    pub fn queue(&self, filter: &CaptureFilter) -> Result<crate::store::QueuePage> {
        self.db(|s| s.queue_page(filter))
    }

    /// One capture with its sync progress, as a queue row shows it.
    pub fn queue_item(&self, id: &CaptureId) -> Result<crate::store::SyncItem> {
        self.db(|s| s.queue_item(id))?
            .ok_or_else(|| CoreError::NotFound(id.to_string()))
    }

    /// Every capture not yet synced, with its upload progress and last error.
    pub fn unsynced(&self) -> Result<Vec<crate::store::SyncItem>> {
        self.db(|s| s.unsynced())
    }

    /// Sends failed captures (one, or all) back to the queue.
    pub fn retry_failed(&self, id: Option<&CaptureId>) -> Result<usize> {
        self.db(|s| s.retry_failed(id))
    }

    /// Deletes every media file and preview on this device (records stay): what a
    /// revoked device does when the server asks it to wipe.
    pub fn wipe_media(&self) -> Result<usize> {
        let _guard = self.write_guard()?;
        let all = self.blobs.list()?;
        for sha in &all {
            self.blobs.remove(sha)?;
        }
        self.db(|s| s.clear_thumbnails())?;
        Ok(all.len())
    }

    /// Kits received from coordinators, newest first.
    pub fn kits(&self) -> Result<Vec<crate::store::LocalKit>> {
        self.db(|s| s.kits())
    }

    /// Stores verified bytes from `src` (a download) in the blob store, if they hash to
    /// `expected`; the same durable path as a capture.
    pub fn store_blob(&self, src: impl std::io::Read, expected: &Sha256) -> Result<()> {
        let _guard = self.write_guard()?;
        let temp = self.blobs.write_temp(src, &mut |_| {})?;
        if temp.sha256() != *expected {
            return Err(CoreError::Corrupt(expected.to_hex()));
        }
        let stored = self.blobs.commit(temp)?;
        let now = chrono::Utc::now().timestamp_millis();
        self.db(|s| s.transaction(|tx| Store::insert_blob(tx, &stored.sha256, stored.size, now)))
    }

    /// Number of captures in `state`.
    pub fn count_in(&self, state: CaptureState) -> Result<u64> {
        Ok(self
            .status()?
            .states
            .iter()
            .find(|c| c.state == state)
            .map_or(0, |c| c.count))
    }
}
