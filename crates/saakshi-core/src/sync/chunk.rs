//! How much to send per request: adapted to the link, so a good link moves big chunks
//! and a poor one still completes a chunk between drops.

use std::time::Duration;

/// Smallest chunk.
pub const MIN_CHUNK: u64 = 256 * 1024;
/// Largest chunk. On loopback or a LAN a chunk sized for [`TARGET`] would be gigabytes;
/// past a few hundred MiB the cost of a request (its answer waits for `fdatasync`) is
/// under 1 % of its time, so nothing is gained and a stalled request is found later.
pub const MAX_CHUNK: u64 = 256 * 1024 * 1024;
/// A chunk should take about this long on the measured link.
const TARGET: Duration = Duration::from_secs(4);
/// Assumed speed before anything was measured, for timeouts: a slow 2G uplink.
const SLOWEST: f64 = 8_000.0;

/// Adaptive chunk size.
#[derive(Debug, Clone)]
pub struct Chunker {
    size: u64,
    /// Bytes a second of the last chunk, once one went through.
    rate: Option<f64>,
}

impl Default for Chunker {
    fn default() -> Self {
        Self {
            size: 1024 * 1024,
            rate: None,
        }
    }
}

impl Chunker {
    /// The next chunk size.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// A chunk of `bytes` went through in `took`: move halfway towards the size that
    /// would take [`TARGET`] at that speed.
    pub fn record(&mut self, bytes: u64, took: Duration) {
        let secs = took.as_secs_f64().max(0.001);
        let rate = bytes as f64 / secs;
        self.rate = Some(rate);
        let ideal = (rate * TARGET.as_secs_f64()) as u64;
        self.size = ((self.size + ideal) / 2).clamp(MIN_CHUNK, MAX_CHUNK);
    }

    /// A chunk failed: halve.
    pub fn shrink(&mut self) {
        self.size = (self.size / 2).max(MIN_CHUNK);
    }

    /// How long a request carrying `len` bytes may take before it counts as stalled:
    /// eight times what the last measured speed needs, and never less than a minute or
    /// than the slowest link would need; so a slower moment passes, and a dead link
    /// under a chunk sized for a fast one is noticed in minutes, not days.
    pub fn timeout(&self, len: u64) -> Duration {
        let floor = self.rate.map_or(SLOWEST, |r| (r / 8.0).max(SLOWEST));
        Duration::from_secs(60).max(Duration::from_secs_f64(len as f64 / floor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adapts_within_bounds() {
        let mut c = Chunker::default();
        for _ in 0..20 {
            c.record(c.size(), Duration::from_millis(10)); // very fast link
        }
        assert_eq!(c.size(), MAX_CHUNK);
        for _ in 0..20 {
            // 256 kbit/s = 32 KB/s
            let took = Duration::from_secs_f64(c.size() as f64 / 32_000.0);
            c.record(c.size(), took);
        }
        assert!(c.size() <= 160 * 1024 + MIN_CHUNK, "{}", c.size());
        assert!(c.size() >= MIN_CHUNK);
        c.shrink();
        assert_eq!(c.size(), MIN_CHUNK);
    }

    #[test]
    fn timeouts_follow_the_measured_speed() {
        let mut c = Chunker::default();
        // Nothing measured: what the slowest link needs (1 MiB at 8 kB/s).
        assert_eq!(c.timeout(1 << 20).as_secs(), (1 << 20) / 8_000);
        // 100 MB/s measured: a 256 MiB chunk needs 2.7 s; a minute is the floor.
        c.record(100_000_000, Duration::from_secs(1));
        assert_eq!(c.timeout(MAX_CHUNK), Duration::from_secs(60));
        // 10 MB/s: eight times the 27 s a 256 MiB chunk needs (it was days at 8 kB/s).
        c.record(10_000_000, Duration::from_secs(1));
        assert_eq!(c.timeout(MAX_CHUNK).as_secs(), 8 * MAX_CHUNK / 10_000_000);
        // 32 kB/s: never less than the slowest link needs.
        c.record(32_000, Duration::from_secs(1));
        assert_eq!(c.timeout(1 << 20).as_secs(), (1 << 20) / 8_000);
    }
}
