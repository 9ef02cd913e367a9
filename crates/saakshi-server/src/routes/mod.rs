//! The HTTP API: one module per group of routes, assembled by [`router`].

mod admin;
mod audit;
mod body;
mod dashboard;
mod enroll;
mod export;
mod health;
mod json;
mod kits;
mod media;
pub mod openapi;
mod proofs;
mod query;
mod review;
mod session;
mod sync;

pub use enroll::ENROLL_FAILURES_PER_MINUTE;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use body::{ApiBytes, ApiText};
pub use json::ApiJson;
pub use query::ApiQuery;

use crate::state::Shared;

/// Every route of the JSON API and the health endpoints (tus is mounted beside it).
pub fn router(state: &Shared) -> Router<Shared> {
    api(state.settings.limits.max_json_bytes)
        .split_for_parts()
        .0
}

/// The routes with their OpenAPI descriptions: each handler is registered through
/// `routes!`, which takes its path and method from the handler's `#[utoipa::path]`, so
/// the document ([`openapi::document`]) and the router cannot disagree. The dashboard's
/// page and assets are not API and are routed without a description.
pub(crate) fn api(max_json_bytes: usize) -> OpenApiRouter<Shared> {
    let json_limit = DefaultBodyLimit::max(max_json_bytes);
    // The thumbnail route has its own, smaller body limit: a router of its own, merged.
    let thumbnails = OpenApiRouter::new()
        .routes(routes!(sync::thumbnail))
        .layer(DefaultBodyLimit::max(sync::MAX_THUMBNAIL_BYTES));
    OpenApiRouter::new()
        .routes(routes!(health::healthz))
        .routes(routes!(health::metrics))
        .routes(routes!(openapi::serve))
        .routes(routes!(enroll::enroll))
        .routes(routes!(sync::push))
        .routes(routes!(sync::pull))
        .routes(routes!(proofs::prove))
        .routes(routes!(media::download))
        .routes(routes!(session::login))
        .routes(routes!(session::logout))
        .routes(routes!(session::whoami))
        .routes(routes!(session::change_password))
        .routes(routes!(admin::areas))
        .routes(routes!(admin::import_areas))
        .routes(routes!(admin::invites, admin::create_invite))
        .routes(routes!(admin::devices))
        .routes(routes!(admin::revoke))
        .routes(routes!(admin::users, admin::create_user))
        .routes(routes!(audit::list))
        .routes(routes!(review::feed))
        .routes(routes!(review::one))
        .routes(routes!(review::thumbnail))
        .routes(routes!(review::review))
        .routes(routes!(review::points))
        .routes(routes!(export::csv))
        .routes(routes!(export::geojson))
        .routes(routes!(export::zip))
        .routes(routes!(dashboard::config))
        .routes(routes!(kits::list, kits::publish))
        .route("/", get(dashboard::index))
        .route("/assets/{*path}", get(dashboard::assets))
        .layer(json_limit)
        .merge(thumbnails)
}
