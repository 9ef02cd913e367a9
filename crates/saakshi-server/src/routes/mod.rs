//! The HTTP API: one module per group of routes, assembled by [`router`].

mod enroll;
mod health;
mod json;
mod media;
mod sync;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub use json::ApiJson;

use crate::state::Shared;

/// Every route of the JSON API and the health endpoints (tus is mounted beside it).
pub fn router(state: &Shared) -> Router<Shared> {
    let json_limit = DefaultBodyLimit::max(state.settings.limits.max_json_bytes);
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(health::metrics))
        .route("/api/v1/devices/enroll", post(enroll::enroll))
        .route("/api/v1/sync/captures", post(sync::push))
        .route("/api/v1/sync/pull", get(sync::pull))
        .route(
            "/api/v1/sync/thumbnails/{capture_id}",
            post(sync::thumbnail).layer(DefaultBodyLimit::max(sync::MAX_THUMBNAIL_BYTES)),
        )
        .route("/api/v1/media/{sha256}", get(media::download))
        .layer(json_limit)
}
