//! The dashboard's administration API: areas, invites, devices, users, and the review
//! feed. Every read is filtered by the caller's scope; every write checks it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use saakshi_domain::DeviceId;
use serde::Deserialize;
use serde_json::json;

use super::ApiJson;
use crate::auth::{Admin, User};
use crate::error::{ApiError, ApiResult};
use crate::state::Shared;
use crate::store::{AreaRow, DeviceInfo, NewAudit, Role};

/// `GET /api/v1/admin/areas`: the areas in scope.
pub async fn areas(State(s): State<Shared>, u: User) -> ApiResult<axum::Json<Vec<AreaRow>>> {
    Ok(axum::Json(s.db.list_areas(u.scope.prefix()).await?))
}

/// `POST /api/v1/admin/areas/import` (admin; body: the CSV text).
pub async fn import_areas(
    State(s): State<Shared>,
    Admin(a): Admin,
    body: String,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let n = s.db.import_areas(body).await.map_err(|e| match e {
        crate::store::AreaImportError::Line { .. } => ApiError::invalid(e.to_string()),
        crate::store::AreaImportError::Store(e) => ApiError::from(e),
    })?;
    audit(
        &s,
        &a,
        "areas_import",
        None,
        Some(format!("{n} areas")),
        None,
    )
    .await?;
    Ok(axum::Json(json!({ "imported": n })))
}

/// Records an administrative action.
async fn audit(
    s: &Shared,
    u: &User,
    action: &'static str,
    target: Option<String>,
    detail: Option<String>,
    area_path: Option<String>,
) -> ApiResult<()> {
    s.db.audit(NewAudit {
        actor: u.user.name.clone(),
        action,
        target,
        detail,
        area_path,
    })
    .await?;
    Ok(())
}

/// `{"area_code", "uses", "days"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewInvite {
    area_code: String,
    #[serde(default = "one")]
    uses: u32,
    #[serde(default = "week")]
    days: u32,
}

fn one() -> u32 {
    1
}

fn week() -> u32 {
    7
}

/// `POST /api/v1/admin/invites`: an invite for an area in scope.
pub async fn create_invite(
    State(s): State<Shared>,
    u: User,
    ApiJson(req): ApiJson<NewInvite>,
) -> ApiResult<(StatusCode, axum::Json<serde_json::Value>)> {
    let (_, path) =
        s.db.area(req.area_code.clone())
            .await?
            .ok_or_else(|| ApiError::invalid("no such area"))?;
    if !u.scope.covers(&path) {
        return Err(ApiError::forbidden("that area is outside your scope"));
    }
    let expires = crate::admin::invite_expiry(req.uses, req.days).map_err(ApiError::invalid)?;
    let code =
        s.db.create_invite(req.area_code.clone(), req.uses, expires.timestamp_millis())
            .await?;
    let detail = format!("{} uses, {} days", req.uses, req.days);
    audit(
        &s,
        &u,
        "invite_create",
        Some(req.area_code),
        Some(detail),
        Some(path),
    )
    .await?;
    let link = format!("{}/join/{code}", s.settings.public_base());
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "code": code, "link": link, "expires_at": expires })),
    ))
}

/// `GET /api/v1/admin/invites`: invites for areas in scope (the codes are not kept).
pub async fn invites(
    State(s): State<Shared>,
    u: User,
) -> ApiResult<axum::Json<Vec<crate::store::InviteInfo>>> {
    Ok(axum::Json(s.db.list_invites(u.scope.prefix()).await?))
}

/// `GET /api/v1/admin/devices`: devices in scope, with last seen and pending counts.
pub async fn devices(State(s): State<Shared>, u: User) -> ApiResult<axum::Json<Vec<DeviceInfo>>> {
    Ok(axum::Json(s.db.list_devices(u.scope.prefix()).await?))
}

/// `{"wipe": bool}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revoke {
    #[serde(default)]
    wipe: bool,
}

/// `POST /api/v1/admin/devices/{id}/revoke`.
pub async fn revoke(
    State(s): State<Shared>,
    u: User,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<Revoke>,
) -> ApiResult<StatusCode> {
    let id: DeviceId = id
        .parse()
        .map_err(|_| ApiError::not_found("no such device"))?;
    let path =
        s.db.device_area_path(id)
            .await?
            .ok_or_else(|| ApiError::not_found("no such device"))?;
    if !u.scope.covers(&path) {
        return Err(ApiError::forbidden("that device is outside your scope"));
    }
    s.db.revoke_device(id, req.wipe).await?;
    let detail = if req.wipe { "wipe" } else { "keep media" };
    audit(
        &s,
        &u,
        "device_revoke",
        Some(id.to_string()),
        Some(detail.into()),
        Some(path),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `{"name", "role", "area_code"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    name: String,
    role: String,
    area_code: Option<String>,
}

/// `POST /api/v1/admin/users` (admin): answers the generated first password once.
pub async fn create_user(
    State(s): State<Shared>,
    Admin(a): Admin,
    ApiJson(req): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, axum::Json<serde_json::Value>)> {
    if Role::parse(&req.role).is_none() {
        return Err(ApiError::invalid("role is admin or coordinator"));
    }
    let password =
        crate::admin::create_user(&s.db, req.name.clone(), &req.role, req.area_code.clone())
            .await
            .map_err(|e| ApiError::invalid(e.to_string()))?;
    let detail = format!("{} {}", req.role, req.area_code.unwrap_or_default());
    audit(
        &s,
        &a,
        "user_create",
        Some(req.name.clone()),
        Some(detail),
        None,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "name": req.name, "password": password })),
    ))
}

/// `GET /api/v1/admin/users` (admin): every account.
pub async fn users(
    State(s): State<Shared>,
    _a: Admin,
) -> ApiResult<axum::Json<Vec<crate::store::UserInfo>>> {
    Ok(axum::Json(s.db.list_users().await?))
}
