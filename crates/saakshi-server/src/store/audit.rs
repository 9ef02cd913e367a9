//! The audit log: an append-only record of what people did (sign-ins, reviews, exports,
//! media views, publishing, administration). Coordinators read the entries of their scope.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;

/// One thing someone did.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Position in the log.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// The user name (or what tried to sign in).
    pub actor: String,
    /// `login`, `review`, `export`, `media_view`, …
    pub action: String,
    /// What it was done to (a capture id, a device id, an area code, …).
    pub target: Option<String>,
    /// Anything else worth keeping (a verdict, an export's filter).
    pub detail: Option<String>,
}

/// What to record.
#[derive(Clone, Debug)]
pub struct NewAudit {
    /// Who.
    pub actor: String,
    /// What.
    pub action: &'static str,
    /// On what.
    pub target: Option<String>,
    /// More.
    pub detail: Option<String>,
    /// The area path concerned; `None` for server-wide actions (admins only see them).
    pub area_path: Option<String>,
}

/// Which entries.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// By this actor.
    pub actor: Option<String>,
    /// Of this action.
    pub action: Option<String>,
    /// At or after.
    pub from: Option<DateTime<Utc>>,
    /// Before.
    pub to: Option<DateTime<Utc>>,
    /// Entries older than this id (paging).
    pub before: Option<i64>,
}

/// The audit log: appended to, never changed.
#[async_trait::async_trait]
pub trait AuditLog: Send + Sync {
    /// Appends to the log.
    async fn audit(&self, e: NewAudit) -> StoreResult<()>;

    /// Entries visible in `scope` (all when `None`), newest first, at most `limit`.
    async fn list_audit(
        &self,
        scope: Option<String>,
        q: AuditQuery,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>>;
}
