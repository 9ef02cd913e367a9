//! Failure injection for the capture transaction's tests: each step of a durable write
//! (temp write, fsync, rename, insert) can be made to fail, so the tests can prove that
//! no step leaves a record without its blob or a blob without its record.
//!
//! Compiled to nothing outside `cfg(test)`.

use std::io;

/// A step of the capture transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FaultPoint {
    /// Writing bytes to the temporary file.
    TempWrite,
    /// fsync of the temporary file or a directory.
    Fsync,
    /// Renaming the temporary file to its content address.
    Rename,
    /// The SQLite transaction that inserts the record.
    Insert,
}

#[cfg(test)]
thread_local! {
    static FAIL_AT: std::cell::Cell<Option<FaultPoint>> = const { std::cell::Cell::new(None) };
}

/// The faults asked for on the calling thread, to carry into a helper thread.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Faults {
    #[cfg(test)]
    fail_at: Option<FaultPoint>,
}

impl Faults {
    /// The faults of the calling thread.
    pub(crate) fn current() -> Self {
        Self {
            #[cfg(test)]
            fail_at: FAIL_AT.with(|f| f.get()),
        }
    }

    /// Fails with an injected I/O error if a test asked for `point`.
    #[inline]
    pub(crate) fn check(self, point: FaultPoint) -> io::Result<()> {
        #[cfg(test)]
        if self.fail_at == Some(point) {
            return Err(io::Error::other(format!("injected failure at {point:?}")));
        }
        let _ = point;
        Ok(())
    }
}

/// Makes `point` fail on this thread until the guard is dropped.
#[cfg(test)]
pub(crate) fn inject(point: FaultPoint) -> impl Drop {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            FAIL_AT.with(|f| f.set(None));
        }
    }
    FAIL_AT.with(|f| f.set(Some(point)));
    Reset
}

/// Fails with an injected I/O error if a test asked for `point` on this thread.
#[inline]
pub(crate) fn check(point: FaultPoint) -> io::Result<()> {
    Faults::current().check(point)
}
