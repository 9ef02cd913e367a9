//! The server's wall clock, as one value in the state so that tests can move it: an upload
//! that expires in an hour is tested by advancing the clock an hour, not by sleeping
//! through a short expiry while a background sweeper races the assertions.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Milliseconds since the Unix epoch: the system's, plus whatever a test advanced.
#[derive(Debug, Default)]
pub struct Clock {
    advanced_ms: AtomicI64,
}

impl Clock {
    /// Now, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        crate::store::now_ms() + self.advanced_ms.load(Ordering::Relaxed)
    }

    /// Moves this clock forward by `by` (tests; the system clock is untouched).
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.advanced_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_by_that_much() {
        let clock = Clock::default();
        let before = clock.now_ms();
        clock.advance(Duration::from_secs(3600));
        let after = clock.now_ms();
        // The system clock moved a little too; never backwards, never by an hour.
        assert!(
            (3_600_000..3_660_000).contains(&(after - before)),
            "{}",
            after - before
        );
    }
}
