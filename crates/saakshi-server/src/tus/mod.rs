//! tus 1.0.0 resumable uploads at `/api/v1/uploads/`: core, creation,
//! creation-with-upload, creation-defer-length, termination, expiration, and checksum
//! (sha1, sha256).
//!
//! Every byte is fsynced before the offset that covers it is saved and answered, so an
//! offset the server ever reported is never lost. The whole file's SHA-256 is checked
//! against the one declared in `Upload-Metadata` before the media is accepted; media is
//! stored by content address, so the same bytes from another device cost nothing.

mod handlers;
pub mod headers;
pub mod lifecycle;
pub mod slots;
mod writer;

use axum::Router;
use axum::routing::{options, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use lifecycle::{settle_stalled, sweep_expired};
pub use writer::UploadBudget;

use crate::state::Shared;

/// Where uploads live.
pub const UPLOADS_PATH: &str = "/api/v1/uploads";
/// The protocol version we speak.
pub const TUS_VERSION: &str = "1.0.0";
/// Extensions we implement.
pub const TUS_EXTENSIONS: &str =
    "creation,creation-with-upload,creation-defer-length,termination,expiration,checksum";

/// The tus routes.
pub fn router() -> Router<Shared> {
    api().split_for_parts().0
}

/// The tus routes with their OpenAPI descriptions (see `crate::routes::api`). The path
/// with a trailing slash, which some clients use, is routed but not described twice.
pub(crate) fn api() -> OpenApiRouter<Shared> {
    OpenApiRouter::new()
        .routes(routes!(handlers::create, handlers::options))
        .routes(routes!(
            handlers::status,
            handlers::append,
            handlers::terminate
        ))
        .route(
            &format!("{UPLOADS_PATH}/{{id}}"),
            options(handlers::options),
        )
        .route(
            &format!("{UPLOADS_PATH}/"),
            post(handlers::create).options(handlers::options),
        )
}
