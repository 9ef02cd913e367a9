//! `GET /api/v1/admin/audit`: the audit log, filtered, newest first. Admins see all of
//! it; a coordinator sees what concerns their scope.

use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::review::time;
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::Shared;
use crate::store::AuditQuery;

/// `?actor=&action=&from=&to=&limit=&before=`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<u32>,
    before: Option<String>,
}

/// Lists entries.
pub async fn list(
    State(s): State<Shared>,
    u: User,
    Query(p): Query<Params>,
) -> ApiResult<axum::Json<Value>> {
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
    Ok(axum::Json(json!({ "items": items, "next": next })))
}
