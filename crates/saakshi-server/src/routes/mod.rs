//! The HTTP API: one module per group of routes, assembled by [`router`].

mod admin;
mod audit;
mod dashboard;
mod enroll;
mod export;
mod health;
mod json;
mod kits;
mod media;
pub mod openapi;
mod proofs;
mod review;
mod session;
mod sync;

pub use enroll::ENROLL_FAILURES_PER_MINUTE;

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
        .route("/api/v1/sync/proofs", post(proofs::prove))
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
        .route(
            "/api/v1/admin/invites",
            get(admin::invites).post(admin::create_invite),
        )
        .route("/api/v1/admin/devices", get(admin::devices))
        .route("/api/v1/admin/devices/{id}/revoke", post(admin::revoke))
        .route(
            "/api/v1/admin/users",
            get(admin::users).post(admin::create_user),
        )
        .route("/api/v1/admin/audit", get(audit::list))
        .route("/api/v1/auth/password", post(session::change_password))
        .route("/api/v1/review/captures", get(review::feed))
        .route("/api/v1/review/captures/{id}", get(review::one))
        .route(
            "/api/v1/review/captures/{id}/thumbnail",
            get(review::thumbnail),
        )
        .route("/api/v1/review/captures/{id}/review", post(review::review))
        .route("/api/v1/review/points", get(review::points))
        .route("/api/v1/review/export.csv", get(export::csv))
        .route("/api/v1/review/export.geojson", get(export::geojson))
        .route("/api/v1/review/export.zip", get(export::zip))
        .route("/api/v1/dashboard/config", get(dashboard::config))
        .route("/", get(dashboard::index))
        .route("/assets/{*path}", get(dashboard::assets))
        .route("/api/v1/kits", get(kits::list).post(kits::publish))
        .layer(json_limit)
}
