//! One slot per upload in progress on this node: a lock so that requests on one upload
//! never interleave, the running SHA-256 so that chunked uploads are hashed once, and a
//! cancel signal so that a new request takes over from one stuck on a dead connection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OwnedMutexGuard;
use tokio_util::sync::CancellationToken;

/// How long a new request waits for the old one to let go after being told to.
const TAKEOVER_WAIT: Duration = Duration::from_secs(5);

/// The running hash of an upload: SHA-256 state over its first `offset` bytes.
#[derive(Clone, Debug, Default)]
pub struct SlotState {
    /// `(offset, hasher)` when known.
    pub hash: Option<(u64, sha2::Sha256)>,
}

#[derive(Debug, Default)]
struct Slot {
    lock: Arc<tokio::sync::Mutex<SlotState>>,
    holder: Mutex<CancellationToken>,
}

/// All slots of this node.
#[derive(Debug, Default)]
pub struct Slots {
    slots: Mutex<HashMap<String, Arc<Slot>>>,
    shutdown: CancellationToken,
}

/// Held while a request works on an upload.
#[derive(Debug)]
pub struct SlotGuard {
    /// The upload's running hash.
    pub state: OwnedMutexGuard<SlotState>,
    /// Fires when another request (or shutdown) wants this upload.
    pub cancel: CancellationToken,
}

impl Slots {
    /// Takes the upload's slot, first telling any request holding it to stop (it saves
    /// what it received and lets go). `None` if the holder did not let go in time.
    pub async fn acquire(&self, id: &str) -> Option<SlotGuard> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            slots.entry(id.to_string()).or_default().clone()
        };
        slot.holder
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .cancel();
        let state = tokio::time::timeout(TAKEOVER_WAIT, slot.lock.clone().lock_owned())
            .await
            .ok()?;
        let cancel = self.shutdown.child_token();
        *slot.holder.lock().unwrap_or_else(|p| p.into_inner()) = cancel.clone();
        Some(SlotGuard { state, cancel })
    }

    /// Takes the upload's slot if it exists and nobody holds it, without disturbing
    /// anyone. Never creates a slot, so unknown ids leave nothing behind.
    pub fn try_acquire(&self, id: &str) -> Option<SlotGuard> {
        let slot = self
            .slots
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)?
            .clone();
        let state = slot.lock.clone().try_lock_owned().ok()?;
        let cancel = self.shutdown.child_token();
        *slot.holder.lock().unwrap_or_else(|p| p.into_inner()) = cancel.clone();
        Some(SlotGuard { state, cancel })
    }

    /// Forgets an upload's slot (finished, terminated, expired).
    pub fn remove(&self, id: &str) {
        self.slots
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
    }

    /// Tells every request working on an upload to save what it has and stop.
    pub fn shut_down(&self) {
        self.shutdown.cancel();
    }
}
