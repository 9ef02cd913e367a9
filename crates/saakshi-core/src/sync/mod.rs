//! Sync with the server: resumable, idempotent, crash-safe.
//!
//! Every step is stored before the next one starts (state, upload URL, confirmed
//! offset), and every server call is idempotent on the capture id, so a process killed
//! at any moment resumes where it stopped and never sends a duplicate.

mod backoff;
mod blob_body;
mod chunk;
mod client;
mod engine;
pub mod enroll;
mod error;
mod events;
mod kits;
mod policy;
mod proof;
mod upload;

pub use crate::keys::signing_key;
pub use backoff::Backoff;
pub use chunk::{Chunker, MAX_CHUNK, MIN_CHUNK};
pub use client::Client;
pub use engine::{PassReport, SyncEngine};
pub use enroll::{enroll, keys, parse_invite};
pub use error::SyncError;
pub use events::SyncEvent;
pub use policy::SyncPolicy;
pub use upload::{UPLOADS_ENDPOINT, metadata};
