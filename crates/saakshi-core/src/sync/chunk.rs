//! How much to send per request: adapted to the link, so a good link moves big chunks
//! and a poor one still completes a chunk between drops.

use std::time::Duration;

/// Smallest chunk.
pub const MIN_CHUNK: u64 = 256 * 1024;
/// Largest chunk.
pub const MAX_CHUNK: u64 = 16 * 1024 * 1024;
/// A chunk should take about this long on the measured link.
const TARGET: Duration = Duration::from_secs(4);

/// Adaptive chunk size.
#[derive(Debug, Clone)]
pub struct Chunker {
    size: u64,
}

impl Default for Chunker {
    fn default() -> Self {
        Self { size: 1024 * 1024 }
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
        let ideal = (bytes as f64 / secs * TARGET.as_secs_f64()) as u64;
        self.size = ((self.size + ideal) / 2).clamp(MIN_CHUNK, MAX_CHUNK);
    }

    /// A chunk failed: halve.
    pub fn shrink(&mut self) {
        self.size = (self.size / 2).max(MIN_CHUNK);
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
}
