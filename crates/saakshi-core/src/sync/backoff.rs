//! Exponential backoff with full jitter (sleep a random time between zero and the
//! current ceiling), capped, reset on success: many devices coming back online at once
//! spread out instead of stampeding the server.

use std::time::Duration;

use rand::Rng;

/// Backoff state.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    failures: u32,
}

impl Backoff {
    /// Starts at `base`, never waits more than `cap`.
    pub fn new(base: Duration, cap: Duration) -> Self {
        Self {
            base,
            cap,
            failures: 0,
        }
    }

    /// The ceiling for the next wait.
    pub fn ceiling(&self) -> Duration {
        let factor = 1u32.checked_shl(self.failures.min(20)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// Records a failure and returns how long to wait (at least `floor`, e.g. a
    /// server's Retry-After).
    pub fn next_wait(&mut self, floor: Option<Duration>) -> Duration {
        let ceiling = self.ceiling();
        self.failures = self.failures.saturating_add(1);
        let jittered =
            Duration::from_millis(rand::rng().random_range(0..=ceiling.as_millis() as u64));
        jittered
            .max(floor.unwrap_or_default())
            .min(self.cap.max(floor.unwrap_or_default()))
    }

    /// Success: start again from the base.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_caps_jitters_and_resets() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
        let mut ceilings = Vec::new();
        for _ in 0..8 {
            ceilings.push(b.ceiling());
            let w = b.next_wait(None);
            assert!(w <= *ceilings.last().unwrap());
        }
        assert_eq!(ceilings[0], Duration::from_millis(100));
        assert_eq!(ceilings[3], Duration::from_millis(800));
        assert_eq!(*ceilings.last().unwrap(), Duration::from_secs(2));
        // Full jitter: over many draws, waits spread across the range.
        let waits: Vec<_> = (0..200).map(|_| b.next_wait(None)).collect();
        assert!(waits.iter().any(|w| *w < Duration::from_millis(500)));
        assert!(waits.iter().any(|w| *w > Duration::from_millis(1500)));
        assert!(
            b.next_wait(Some(Duration::from_secs(30))) >= Duration::from_secs(30),
            "Retry-After wins"
        );
        b.reset();
        assert_eq!(b.ceiling(), Duration::from_millis(100));
    }
}
