//! The dashboard's administration API: areas, invites, devices, users, and the review
//! feed. Every read is filtered by the caller's scope; every write checks it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use saakshi_domain::DeviceId;
use saakshi_domain::wire::ErrorBody;
use serde::{Deserialize, Serialize};

use super::{ApiJson, ApiText};
use crate::auth::{Admin, User};
use crate::error::{ApiError, ApiResult};
use crate::state::Shared;
use crate::store::{AreaRow, DeviceInfo, NewAudit, Role};

/// `GET /api/v1/admin/areas`: the areas in scope.
#[utoipa::path(
    get,
    path = "/api/v1/admin/areas",
    tag = "admin",
    security(("session" = [])),
    responses((status = 200, body = Vec<AreaRow>), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
pub async fn areas(State(s): State<Shared>, u: User) -> ApiResult<axum::Json<Vec<AreaRow>>> {
    Ok(axum::Json(s.db.list_areas(u.scope.prefix()).await?))
}

/// `POST /api/v1/admin/areas/import` (admin; body: the CSV text).
#[utoipa::path(
    post,
    path = "/api/v1/admin/areas/import",
    tag = "admin",
    security(("session" = [], "csrf" = [])),
    request_body(content = String, content_type = "text/csv", description = "code,level,name_en,name_hi,parent_code"),
    responses((status = 200, body = Imported), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
pub async fn import_areas(
    State(s): State<Shared>,
    Admin(a): Admin,
    ApiText(body): ApiText,
) -> ApiResult<axum::Json<Imported>> {
    let n = crate::areas_csv::import(s.db.as_ref(), &body)
        .await
        .map_err(|e| match e {
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
    Ok(axum::Json(Imported { imported: n }))
}

/// How many areas an import wrote.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Imported {
    /// Areas imported (new or updated).
    imported: usize,
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
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvite {
    area_code: String,
    /// Devices that may use it: 1 to 10000 (default 1).
    #[schema(minimum = 1, maximum = 10000)]
    #[serde(default = "one")]
    uses: u32,
    /// Days until it expires: 1 to 365 (default 7).
    #[serde(default = "week")]
    #[schema(minimum = 1, maximum = 365)]
    days: u32,
}

fn one() -> u32 {
    1
}

fn week() -> u32 {
    7
}

/// `POST /api/v1/admin/invites`: an invite for an area in scope.
#[utoipa::path(
    post,
    path = "/api/v1/admin/invites",
    tag = "admin",
    security(("session" = [], "csrf" = [])),
    request_body = NewInvite,
    responses((status = 201, body = InviteCreated), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
pub async fn create_invite(
    State(s): State<Shared>,
    u: User,
    ApiJson(req): ApiJson<NewInvite>,
) -> ApiResult<(StatusCode, axum::Json<InviteCreated>)> {
    let (_, path) =
        s.db.area(req.area_code.clone())
            .await?
            .ok_or_else(|| ApiError::invalid("no such area"))?;
    if !u.scope.covers(&path) {
        return Err(ApiError::forbidden("that area is outside your scope"));
    }
    let expires = crate::admin::invite_expiry(req.uses, req.days).map_err(ApiError::invalid)?;
    let code = crate::admin::new_invite(
        s.db.as_ref(),
        req.area_code.clone(),
        req.uses,
        expires.timestamp_millis(),
    )
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
        axum::Json(InviteCreated {
            code,
            link,
            expires_at: expires,
        }),
    ))
}

/// A new invite: its code is shown this once (the server keeps only its hash).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InviteCreated {
    /// The code to type into the app.
    code: String,
    /// A link that opens the app's enrolment with the code.
    link: String,
    /// When it stops working.
    expires_at: DateTime<Utc>,
}

/// `GET /api/v1/admin/invites`: invites for areas in scope (the codes are not kept).
#[utoipa::path(
    get,
    path = "/api/v1/admin/invites",
    tag = "admin",
    security(("session" = [])),
    responses((status = 200, body = Vec<crate::store::InviteInfo>), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
pub async fn invites(
    State(s): State<Shared>,
    u: User,
) -> ApiResult<axum::Json<Vec<crate::store::InviteInfo>>> {
    Ok(axum::Json(s.db.list_invites(u.scope.prefix()).await?))
}

/// `GET /api/v1/admin/devices`: devices in scope, with last seen and pending counts.
#[utoipa::path(
    get,
    path = "/api/v1/admin/devices",
    tag = "admin",
    security(("session" = [])),
    responses((status = 200, body = Vec<DeviceInfo>), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
pub async fn devices(State(s): State<Shared>, u: User) -> ApiResult<axum::Json<Vec<DeviceInfo>>> {
    Ok(axum::Json(s.db.list_devices(u.scope.prefix()).await?))
}

/// `{"wipe": bool}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Revoke {
    /// Also delete the media on the device.
    #[serde(default)]
    wipe: bool,
}

/// `POST /api/v1/admin/devices/{id}/revoke`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/devices/{id}/revoke",
    tag = "admin",
    security(("session" = [], "csrf" = [])),
    params(("id" = String, Path, description = "the device id")),
    request_body = Revoke,
    responses((status = 204, description = "revoked"), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
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
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    name: String,
    /// `admin` or `coordinator`.
    role: String,
    /// A coordinator's area.
    area_code: Option<String>,
}

/// `POST /api/v1/admin/users` (admin): answers the generated first password once.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users",
    tag = "admin",
    security(("session" = [], "csrf" = [])),
    request_body = NewUser,
    responses((status = 201, body = UserCreated), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
pub async fn create_user(
    State(s): State<Shared>,
    Admin(a): Admin,
    ApiJson(req): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, axum::Json<UserCreated>)> {
    if Role::parse(&req.role).is_none() {
        return Err(ApiError::invalid("role is admin or coordinator"));
    }
    let password = crate::admin::create_user(
        s.db.as_ref(),
        req.name.clone(),
        &req.role,
        req.area_code.clone(),
    )
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
        axum::Json(UserCreated {
            name: req.name,
            password,
        }),
    ))
}

/// `GET /api/v1/admin/users` (admin): every account.
#[utoipa::path(
    get,
    path = "/api/v1/admin/users",
    tag = "admin",
    security(("session" = [])),
    responses((status = 200, body = Vec<crate::store::UserInfo>), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
pub async fn users(
    State(s): State<Shared>,
    _a: Admin,
) -> ApiResult<axum::Json<Vec<crate::store::UserInfo>>> {
    Ok(axum::Json(s.db.list_users().await?))
}

/// A new account and its first password, shown this once (it must be changed at the
/// first sign-in).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserCreated {
    /// Login name.
    name: String,
    /// The first password.
    password: String,
}
