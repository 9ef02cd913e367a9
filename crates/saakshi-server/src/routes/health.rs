//! Liveness/readiness and metrics.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use saakshi_domain::wire::ErrorBody;
use serde::Serialize;

use crate::error::ApiResult;
use crate::state::Shared;

/// `GET /healthz`'s answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`.
    status: &'static str,
    /// The wire protocol's version (`Saakshi-Protocol`).
    protocol: u32,
}

/// `GET /healthz`: 200 when the database answers.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses((status = 200, body = Health), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
pub async fn healthz(State(s): State<Shared>) -> ApiResult<axum::Json<Health>> {
    s.db.ping().await?;
    Ok(axum::Json(Health {
        status: "ok",
        protocol: saakshi_domain::PROTOCOL_VERSION,
    }))
}

/// `GET /metrics`: the OpenMetrics text format, which Prometheus scrapes.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "health",
    responses((status = 200, description = "OpenMetrics text format (Prometheus scrapes it)", content_type = "application/openmetrics-text", body = String))
)]
pub async fn metrics(State(s): State<Shared>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)],
        s.metrics.render(),
    )
}
