//! `POST /api/v1/devices/enroll`: invite code + public key → device id, token, area.

use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use saakshi_domain::ErrorCode;
use saakshi_domain::validate;
use saakshi_domain::wire::{EnrollRequest, EnrollResponse};

use super::ApiJson;
use crate::client_addr::ClientAddr;
use crate::error::{ApiError, ApiResult};
use crate::metrics::Metrics;
use crate::secrets;
use crate::state::Shared;
use crate::store::EnrollRefusal;

/// Failed enrolments (wrong invite codes, bad requests) per address per minute. Codes
/// carry 50 bits, so this is not what keeps them unguessable; it keeps a guesser from
/// spending the server's time and filling its log. Successes are given back: a training
/// session enrols dozens of phones from one NATed address.
pub const ENROLL_FAILURES_PER_MINUTE: u32 = 10;

/// Enrols a device.
#[utoipa::path(
    post,
    path = "/api/v1/devices/enroll",
    tag = "sync",
    request_body = EnrollRequest,
    responses((status = 201, body = EnrollResponse), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn enroll(
    State(s): State<Shared>,
    addr: ClientAddr,
    ApiJson(req): ApiJson<EnrollRequest>,
) -> ApiResult<(StatusCode, axum::Json<EnrollResponse>)> {
    // Reserved before the code is looked up, so parallel guesses cannot overrun it.
    s.enroll_failures
        .reserve(addr, ENROLL_FAILURES_PER_MINUTE)
        .map_err(|secs| {
            Metrics::add(&s.metrics.attempts_refused, 1);
            ApiError::too_many(
                secs,
                format!("too many failed enrolments from this address; retry in {secs} s"),
            )
        })?;
    let answer = enroll_checked(&s, req).await;
    if answer.is_ok() {
        s.enroll_failures.give_back(&addr);
    }
    answer
}

async fn enroll_checked(
    s: &Shared,
    req: EnrollRequest,
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
    let token = secrets::new_device_token();
    let (device_id, area_code) = s
        .db
        .enroll_device(
            secrets::invite_hash(&req.invite_code),
            secrets::hash(&token),
            name,
            platform,
            key,
        )
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
