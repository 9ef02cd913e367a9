//! The Saakshi device: a durable local store of captures and their media.
//!
//! - [`Home`]: the device's folder (SQLite database + content-addressed media).
//! - [`import`]: a photo, video or audio file becomes a capture, durably.
//! - [`export`]: media plus one JSON manifest per capture, for hand-over without a server.
//!
//! No Tauri, no UI: the `saakshi` CLI and the app are thin shells over this crate.

pub mod error;
pub mod evidence;
pub mod export;
mod home;
pub mod import;
pub mod keys;
pub mod media;
pub mod revise;
pub mod store;
pub mod sync;

pub use error::{CoreError, ErrorClass, InputProblem, Result};
pub use home::{Home, Status, VerifyReport};
pub use import::location_check::{LocationDoubt, location_doubts, location_doubts_for};
pub use import::{CheckedFile, ImportOutcome, ImportRequest, check_file};
pub use store::{
    CaptureFilter, LocalCapture, LocalKit, QueuePage, StateCount, SyncItem, Thumbnail,
};
