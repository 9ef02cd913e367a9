//! Password verification with a bound: argon2id takes ~19 MiB and a core's worth of time
//! per check, so unbounded parallel checks grow memory with the flood (150 attempts
//! once took the server from 1.5 GB to 3 GB). At most one check per core runs, on the
//! blocking pool; a few more may wait briefly; beyond that the caller is told to come
//! back later instead of queueing without end. Each running check borrows one of at most
//! `parallel` working memories, so the checks' memory is bounded by the permits, not by
//! what the allocator keeps (see [`Argon2Memory`]).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::passwords::{Argon2Memory, DUMMY_HASH, verify_password_in};

/// The server is checking as many passwords as it will; retry after a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Busy;

/// The bound on concurrent password checks.
#[derive(Debug)]
pub struct PasswordChecks {
    running: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
    max_wait: Duration,
    /// Working memories not in use; never more than `parallel`, one per permit.
    memories: Mutex<Vec<Argon2Memory>>,
}

impl PasswordChecks {
    /// `parallel` checks at once; up to `max_waiting` more wait, each at most `max_wait`.
    pub fn new(parallel: usize, max_waiting: usize, max_wait: Duration) -> Self {
        Self {
            running: Semaphore::new(parallel.max(1)),
            waiting: AtomicUsize::new(0),
            max_waiting,
            max_wait,
            memories: Mutex::new(Vec::new()),
        }
    }

    /// One check per core, eight waiting per core, for at most two seconds.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new(cores, 8 * cores, Duration::from_secs(2))
    }

    /// Whether `password` matches `hash`. With no hash (an unknown name) the same work is
    /// done against a dummy hash, within the same bound, and the answer is `false`.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, Busy> {
        let _permit = self.permit().await?;
        let known = hash.is_some();
        let mut memory = self.memories().pop().unwrap_or_default();
        let checked = tokio::task::spawn_blocking(move || {
            let ok = verify_password_in(
                &password,
                hash.as_deref().unwrap_or(DUMMY_HASH),
                &mut memory,
            );
            (ok, memory)
        })
        .await;
        // A check that panicked counts as a failure; its memory is dropped with it.
        let ok = checked.is_ok_and(|(ok, memory)| {
            self.memories().push(memory);
            ok
        });
        Ok(known && ok)
    }

    fn memories(&self) -> std::sync::MutexGuard<'_, Vec<Argon2Memory>> {
        self.memories.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn permit(&self) -> Result<tokio::sync::SemaphorePermit<'_>, Busy> {
        if let Ok(p) = self.running.try_acquire() {
            return Ok(p);
        }
        // Counted before waiting, so the bound holds however many arrive at once.
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Busy);
        }
        let got = tokio::time::timeout(self.max_wait, self.running.acquire()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match got {
            Ok(Ok(p)) => Ok(p),
            _ => Err(Busy),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passwords::hash_password;

    #[tokio::test]
    async fn verifies_and_refuses_unknown_names() {
        let c = PasswordChecks::new(1, 1, Duration::from_secs(10));
        let hash = hash_password("right one").unwrap();
        assert_eq!(
            c.verify("right one".into(), Some(hash.clone())).await,
            Ok(true)
        );
        assert_eq!(c.verify("wrong".into(), Some(hash)).await, Ok(false));
        assert_eq!(c.verify("right one".into(), None).await, Ok(false));
        assert_eq!(
            c.memories().len(),
            1,
            "one permit, one working memory, kept"
        );
    }

    #[tokio::test]
    async fn beyond_the_waiting_room_callers_are_told_busy_at_once() {
        let c = std::sync::Arc::new(PasswordChecks::new(1, 1, Duration::from_secs(30)));
        let held = c.running.try_acquire().unwrap();
        let waiter = {
            let c = c.clone();
            tokio::spawn(async move { c.permit().await.map(drop) })
        };
        while c.waiting.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(
            c.verify("x".into(), None).await,
            Err(Busy),
            "no room to wait"
        );
        drop(held);
        assert_eq!(
            waiter.await.unwrap(),
            Ok(()),
            "the one waiting got its turn"
        );
    }

    #[tokio::test]
    async fn waiting_is_bounded_in_time() {
        let c = PasswordChecks::new(1, 10, Duration::from_millis(50));
        let _held = c.running.try_acquire().unwrap();
        assert_eq!(c.verify("x".into(), None).await, Err(Busy));
        assert_eq!(c.waiting.load(Ordering::SeqCst), 0);
    }
}
