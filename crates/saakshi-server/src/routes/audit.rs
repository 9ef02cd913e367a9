//! `GET /api/v1/admin/audit`: the audit log, filtered, newest first. Admins see all of
//! it; a coordinator sees what concerns their scope.

use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::ApiQuery;
use super::review::time;
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::Shared;
use crate::store::{AuditEntry, AuditQuery};

/// `?actor=&action=&from=&to=&limit=&before=`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// A user name.
    actor: Option<String>,
    /// login, login_failed, review, export, media_view, kit_publish, invite_create,
    /// user_create, device_revoke, areas_import, password_change.
    action: Option<String>,
    /// At or after (RFC 3339).
    from: Option<String>,
    /// Before (RFC 3339).
    to: Option<String>,
    /// Page size, 1 to 500 (default 100).
    limit: Option<u32>,
    /// The `next` of the previous page.
    before: Option<String>,
}

/// Lists entries.
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit",
    operation_id = "audit_list",
    tag = "admin",
    security(("session" = [])),
    params(Params),
    responses((status = 200, body = AuditPage), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn list(
    State(s): State<Shared>,
    u: User,
    ApiQuery(p): ApiQuery<Params>,
) -> ApiResult<axum::Json<AuditPage>> {
    let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let limit = p.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid("limit is 1 to 500"));
    }
    let q = AuditQuery {
        actor: blank(p.actor),
        action: blank(p.action),
        from: blank(p.from).map(|v| time("from", &v)).transpose()?,
        to: blank(p.to).map(|v| time("to", &v)).transpose()?,
        before: blank(p.before)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| ApiError::invalid("before: not a cursor of this log"))
            })
            .transpose()?,
    };
    let items = s.db.list_audit(u.scope.prefix(), q, limit + 1).await?;
    let more = items.len() > limit as usize;
    let items: Vec<_> = items.into_iter().take(limit as usize).collect();
    let next = more
        .then(|| items.last().map(|e| e.id.to_string()))
        .flatten();
    Ok(axum::Json(AuditPage { items, next }))
}

/// A page of the audit log.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    /// Newest first.
    items: Vec<AuditEntry>,
    /// Pass as `before` for the next page; none on the last.
    next: Option<String>,
}
