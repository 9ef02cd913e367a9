//! The HTTP API: one module per group of routes, assembled by [`router`].

mod admin;
mod enroll;
mod health;
mod json;
mod kits;
mod media;
pub mod openapi;
mod session;
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
        .route("/api/v1/openapi.json", get(openapi::serve))
        .route("/api/v1/devices/enroll", post(enroll::enroll))
        .route("/api/v1/sync/captures", post(sync::push))
        .route("/api/v1/sync/pull", get(sync::pull))
        .route(
            "/api/v1/sync/thumbnails/{capture_id}",
            post(sync::thumbnail).layer(DefaultBodyLimit::max(sync::MAX_THUMBNAIL_BYTES)),
        )
        .route("/api/v1/media/{sha256}", get(media::download))
        .route("/api/v1/auth/login", post(session::login))
        .route("/api/v1/auth/logout", post(session::logout))
        .route("/api/v1/auth/me", get(session::whoami))
        .route("/api/v1/admin/areas", get(admin::areas))
        .route("/api/v1/admin/areas/import", post(admin::import_areas))
        .route("/api/v1/admin/invites", post(admin::create_invite))
        .route("/api/v1/admin/devices", get(admin::devices))
        .route("/api/v1/admin/devices/{id}/revoke", post(admin::revoke))
        .route("/api/v1/admin/users", post(admin::create_user))
        .route("/api/v1/review/captures", get(admin::captures))
        .route("/api/v1/kits", get(kits::list).post(kits::publish))
        .layer(json_limit)
}
