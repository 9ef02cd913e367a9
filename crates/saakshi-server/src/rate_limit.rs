//! Fixed one-minute windows per key: simple, and enough to stop a runaway client or a
//! guesser. Time enters as an argument (`*_at`), so the rules are tested without sleeps.
//!
//! Not `governor`: its GCRA cells cannot be given back, and the guards here reserve an
//! attempt before doing the expensive check, then give the reservation back when the
//! attempt succeeded (successes are not what a limit on guessing should count).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The length of every window.
pub const WINDOW: Duration = Duration::from_secs(60);

/// Past this many keys, expired windows are dropped (memory stays bounded by the keys
/// seen in one minute).
const PRUNE_ABOVE: usize = 100_000;

/// Counts per key in the current window (not locked: guards that must check several
/// keys at once hold one lock over several of these).
#[derive(Debug)]
pub struct Windows<K> {
    map: HashMap<K, (Instant, u32)>,
}

impl<K> Default for Windows<K> {
    fn default() -> Self {
        Self {
            map: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash> Windows<K> {
    /// How many events `key` has in the window in force at `now`.
    pub fn used(&self, key: &K, now: Instant) -> u32 {
        match self.map.get(key) {
            Some((start, n)) if now.saturating_duration_since(*start) < WINDOW => *n,
            _ => 0,
        }
    }

    /// Seconds until `key`'s window ends (at least 1).
    pub fn retry_after(&self, key: &K, now: Instant) -> u64 {
        self.map.get(key).map_or(1, |(start, _)| {
            WINDOW
                .saturating_sub(now.saturating_duration_since(*start))
                .as_secs()
                .max(1)
        })
    }

    /// Counts one event for `key`.
    pub fn add(&mut self, key: K, now: Instant) {
        if self.map.len() > PRUNE_ABOVE {
            self.map
                .retain(|_, (start, _)| now.saturating_duration_since(*start) < WINDOW);
        }
        let (start, n) = self.map.entry(key).or_insert((now, 0));
        if now.saturating_duration_since(*start) >= WINDOW {
            *start = now;
            *n = 0;
        }
        *n += 1;
    }

    /// Gives back one event counted for `key` (a reservation that turned out not to be
    /// a failure). A window that already ended is left alone.
    pub fn give_back(&mut self, key: &K, now: Instant) {
        if let Some((start, n)) = self.map.get_mut(key)
            && now.saturating_duration_since(*start) < WINDOW
        {
            *n = n.saturating_sub(1);
        }
    }
}

/// A thread-safe limit of events per key per minute.
#[derive(Debug)]
pub struct RateLimiter<K> {
    windows: Mutex<Windows<K>>,
}

impl<K> Default for RateLimiter<K> {
    fn default() -> Self {
        Self {
            windows: Mutex::new(Windows::default()),
        }
    }
}

impl<K: Eq + Hash> RateLimiter<K> {
    /// Counts one event; over `per_minute`, answers how many seconds to wait.
    pub fn check(&self, key: K, per_minute: u32) -> Result<(), u64> {
        self.check_at(key, per_minute, Instant::now())
    }

    /// [`RateLimiter::check`] at a given time.
    pub fn check_at(&self, key: K, per_minute: u32, now: Instant) -> Result<(), u64> {
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        w.add_counted(key, per_minute, now)
    }

    /// Reserves one event when `key` has fewer than `per_minute` in its window, else
    /// answers how many seconds to wait (and counts nothing). Give the reservation back
    /// with [`RateLimiter::give_back`] when the attempt is not one the limit counts.
    pub fn reserve(&self, key: K, per_minute: u32) -> Result<(), u64> {
        self.reserve_at(key, per_minute, Instant::now())
    }

    /// [`RateLimiter::reserve`] at a given time.
    pub fn reserve_at(&self, key: K, per_minute: u32, now: Instant) -> Result<(), u64> {
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if w.used(&key, now) >= per_minute {
            return Err(w.retry_after(&key, now));
        }
        w.add(key, now);
        Ok(())
    }

    /// Gives back a reservation.
    pub fn give_back(&self, key: &K) {
        self.give_back_at(key, Instant::now());
    }

    /// [`RateLimiter::give_back`] at a given time.
    pub fn give_back_at(&self, key: &K, now: Instant) {
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        w.give_back(key, now);
    }
}

impl<K: Eq + Hash> Windows<K> {
    /// Counts one event even past the limit (a runaway client keeps its window full).
    fn add_counted(&mut self, key: K, per_minute: u32, now: Instant) -> Result<(), u64> {
        let over = self.used(&key, now) >= per_minute;
        let retry = self.retry_after(&key, now);
        self.add(key, now);
        if over { Err(retry) } else { Ok(()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_counts_every_event_and_the_window_resets() {
        let l = RateLimiter::default();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.check_at("a", 3, t0), Ok(()));
        }
        let wait = l
            .check_at("a", 3, t0 + Duration::from_secs(20))
            .unwrap_err();
        assert_eq!(wait, 40);
        assert_eq!(l.check_at("b", 3, t0), Ok(()), "keys are separate");
        assert_eq!(l.check_at("a", 3, t0 + WINDOW), Ok(()), "a new window");
    }

    #[test]
    fn reserve_refuses_at_the_limit_without_counting_and_give_back_frees_a_slot() {
        let l = RateLimiter::default();
        let t0 = Instant::now();
        assert_eq!(l.reserve_at(1, 2, t0), Ok(()));
        assert_eq!(l.reserve_at(1, 2, t0), Ok(()));
        assert!(l.reserve_at(1, 2, t0).is_err());
        assert!(l.reserve_at(1, 2, t0).is_err());
        l.give_back_at(&1, t0);
        assert_eq!(l.reserve_at(1, 2, t0), Ok(()), "one slot came back");
        assert!(l.reserve_at(1, 2, t0).is_err(), "refusals were not counted");
        assert_eq!(l.reserve_at(1, 2, t0 + WINDOW), Ok(()));
    }

    #[test]
    fn giving_back_into_a_new_window_changes_nothing() {
        let l = RateLimiter::default();
        let t0 = Instant::now();
        l.reserve_at(1, 1, t0).unwrap();
        l.give_back_at(&1, t0 + WINDOW);
        l.reserve_at(1, 1, t0 + WINDOW).unwrap();
        assert!(l.reserve_at(1, 1, t0 + WINDOW).is_err());
    }
}
