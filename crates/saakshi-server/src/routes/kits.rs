//! Kits: a coordinator publishes the media of captures in scope, with captions in Hindi
//! and/or English, to areas in scope; devices there receive it at their next pull.

use axum::extract::State;
use axum::http::StatusCode;
use saakshi_domain::wire::Kit;
use saakshi_domain::{CaptureId, validate};
use serde::Deserialize;

use super::ApiJson;
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::Shared;
use crate::store::{KitRefusal, NewAudit};

/// The body of `POST /api/v1/kits`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKit {
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    title_hi: String,
    #[serde(default)]
    caption_en: String,
    #[serde(default)]
    caption_hi: String,
    capture_ids: Vec<CaptureId>,
    area_codes: Vec<String>,
}

/// `POST /api/v1/kits`.
#[utoipa::path(
    post,
    path = "/api/v1/kits",
    tag = "kits",
    security(("session" = [], "csrf" = [])),
    request_body = NewKit,
    responses((status = 201, body = Kit), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn publish(
    State(s): State<Shared>,
    u: User,
    ApiJson(req): ApiJson<NewKit>,
) -> ApiResult<(StatusCode, axum::Json<Kit>)> {
    if req.title_en.trim().is_empty() && req.title_hi.trim().is_empty() {
        return Err(ApiError::invalid("give a title in Hindi or English"));
    }
    for (field, text, max) in [
        ("title_en", &req.title_en, 200),
        ("title_hi", &req.title_hi, 200),
        ("caption_en", &req.caption_en, validate::MAX_CAPTION_CHARS),
        ("caption_hi", &req.caption_hi, validate::MAX_CAPTION_CHARS),
    ] {
        validate::text(field, text, max).map_err(|e| ApiError::invalid(e.to_string()))?;
    }
    if req.capture_ids.is_empty() || req.capture_ids.len() > 100 {
        return Err(ApiError::invalid("a kit holds 1 to 100 captures"));
    }
    if req.area_codes.is_empty() {
        return Err(ApiError::invalid("choose at least one area to publish to"));
    }
    let areas = req.area_codes.join(",");
    let kit =
        s.db.publish_kit(
            u.user.id,
            u.scope.prefix(),
            (req.title_en, req.title_hi),
            (req.caption_en, req.caption_hi),
            req.capture_ids,
            req.area_codes,
        )
        .await?
        .map_err(|r| match r {
            KitRefusal::Capture(id) => ApiError::invalid(format!(
                "capture {id} is unknown, outside your scope, or its media has not arrived"
            )),
            KitRefusal::NotApproved(id) => ApiError::invalid(format!(
                "capture {id} is not approved; approve it before it goes to the field"
            )),
            KitRefusal::Area(code) => {
                ApiError::forbidden(format!("area {code:?} is unknown or outside your scope"))
            }
        })?;
    s.db.audit(NewAudit {
        actor: u.user.name.clone(),
        action: "kit_publish",
        target: Some(kit.id.to_string()),
        detail: Some(format!("{} items to {areas}", kit.items.len())),
        area_path: u.scope.prefix(),
    })
    .await?;
    Ok((StatusCode::CREATED, axum::Json(kit)))
}

/// `GET /api/v1/kits`: kits published to areas in scope.
#[utoipa::path(
    get,
    path = "/api/v1/kits",
    operation_id = "kits_list",
    tag = "kits",
    security(("session" = [])),
    responses((status = 200, body = Vec<crate::store::PublishedKit>), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn list(
    State(s): State<Shared>,
    u: User,
) -> ApiResult<axum::Json<Vec<crate::store::PublishedKit>>> {
    Ok(axum::Json(s.db.list_kits(u.scope.prefix()).await?))
}
