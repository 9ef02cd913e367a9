//! Liveness/readiness and metrics.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::json;

use crate::error::ApiResult;
use crate::state::Shared;

/// `GET /healthz`: 200 when the database answers.
pub async fn healthz(State(s): State<Shared>) -> ApiResult<impl IntoResponse> {
    s.db.ping().await?;
    Ok(axum::Json(
        json!({ "status": "ok", "protocol": saakshi_domain::PROTOCOL_VERSION }),
    ))
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics(State(s): State<Shared>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)],
        s.metrics.render(),
    )
}
