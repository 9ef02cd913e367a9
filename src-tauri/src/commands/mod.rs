//! The commands the UI calls (ui/app/src/ipc.ts), one module per screen's needs. Each is
//! a few lines: take the state, call the core off the async runtime, map the error.

pub mod capture;
pub mod enroll;
pub mod kits;
pub mod queue;
pub mod settings;
pub mod status;

use saakshi_domain::Sha256;

use crate::error::AppError;

/// A media address the UI sent back to us.
fn sha256(text: &str) -> Result<Sha256, AppError> {
    text.parse()
        .map_err(|_| AppError::invalid("sha256", format!("{text:?} is not a SHA-256")))
}
