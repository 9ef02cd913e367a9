//! Content-addressed media on the device's disk.

mod blobs;
mod fault;

pub use blobs::{BlobStore, StoredBlob, TempBlob};
#[cfg(test)]
pub(crate) use fault::inject;
pub(crate) use fault::{FaultPoint, check as fault};
