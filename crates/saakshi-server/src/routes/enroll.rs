//! `POST /api/v1/devices/enroll`: invite code + public key → device id, token, area.

use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use saakshi_domain::ErrorCode;
use saakshi_domain::validate;
use saakshi_domain::wire::{EnrollRequest, EnrollResponse};

use super::ApiJson;
use crate::error::{ApiError, ApiResult};
use crate::metrics::Metrics;
use crate::state::Shared;
use crate::store::devices::EnrollRefusal;

/// Enrols a device.
pub async fn enroll(
    State(s): State<Shared>,
    ApiJson(req): ApiJson<EnrollRequest>,
) -> ApiResult<(StatusCode, axum::Json<EnrollResponse>)> {
    let key = STANDARD
        .decode(req.public_key.trim())
        .ok()
        .filter(|k| k.len() == 32)
        .ok_or_else(|| ApiError::invalid("public_key must be the base64 of 32 Ed25519 bytes"))?;
    let name = req.device_name.trim().to_string();
    if name.is_empty() {
        return Err(ApiError::invalid("device_name is empty"));
    }
    validate::text("device_name", &name, 100).map_err(|e| ApiError::invalid(e.to_string()))?;
    let platform = req.platform.trim().to_ascii_lowercase();
    if platform.is_empty()
        || platform.len() > 32
        || !platform
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ApiError::invalid(
            "platform must be a short name such as android or linux",
        ));
    }
    let (device_id, token, area_code) = s
        .db
        .enroll_device(req.invite_code, name, platform, key)
        .await?
        .map_err(|EnrollRefusal::BadInvite| {
            ApiError::client(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "this invite code is not valid, used up or expired; ask your coordinator for a new one",
            )
        })?;
    let (area, _) =
        s.db.area(area_code)
            .await?
            .ok_or_else(|| ApiError::internal("an invite points at a missing area"))?;
    Metrics::add(&s.metrics.enrollments, 1);
    Ok((
        StatusCode::CREATED,
        axum::Json(EnrollResponse {
            device_id,
            token,
            area,
            server_time: chrono::Utc::now(),
        }),
    ))
}
