//! Pure types shared by the Saakshi device (`saakshi-core`) and server (`saakshi-server`).
//!
//! Nothing here touches a file, a socket or a database: these are the nouns both sides
//! agree on, and the rules (validation) that make a value acceptable to either.

pub mod area;
pub mod capture;
pub mod error;
pub mod hash;
pub mod id;
pub mod location;
pub mod manifest;
pub mod media_type;
#[cfg(feature = "openapi")]
mod openapi;
pub mod possession;
pub mod state;
pub mod validate;
pub mod wire;

pub use area::{Area, AreaLevel};
pub use capture::{CaptureRecord, DeviceTime, MediaKind};
pub use error::ErrorCode;
pub use hash::Sha256;
pub use id::{CaptureId, DeviceId};
pub use location::{Location, LocationSource};
pub use state::CaptureState;
pub use validate::ValidationError;

/// Version of the wire protocol (`Saakshi-Protocol` header, `/api/v1`).
pub const PROTOCOL_VERSION: u32 = 1;
