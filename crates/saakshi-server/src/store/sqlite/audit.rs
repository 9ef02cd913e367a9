//! `audit`: an append-only log of what people did (sign-ins, reviews, exports, media
//! views, publishing, administration). Coordinators read the entries of their scope.

use chrono::{TimeZone, Utc};
use rusqlite::params;
use rusqlite::types::Value;

use super::{SqliteStore, StoreResult, now_ms, scope};
use crate::store::audit::*;

#[async_trait::async_trait]
impl AuditLog for SqliteStore {
    async fn audit(&self, e: NewAudit) -> StoreResult<()> {
        self.write(move |c| {
            c.execute(
                "INSERT INTO audit (at, actor, action, target, detail, area_path)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![now_ms(), e.actor, e.action, e.target, e.detail, e.area_path],
            )?;
            Ok(())
        })
        .await
    }

    async fn list_audit(
        &self,
        scope: Option<String>,
        q: AuditQuery,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        self.read(move |c| {
            let mut conds = vec!["1 = 1".to_string()];
            let mut p: Vec<Value> = Vec::new();
            let mut add = |cond: &str, v: Value| {
                p.push(v);
                conds.push(cond.replace('?', &format!("?{}", p.len())));
            };
            if let Some(prefix) = scope {
                add(&scope::sql_under("area_path", "?"), Value::Text(prefix));
            }
            if let Some(a) = q.actor {
                add("actor = ?", Value::Text(a));
            }
            if let Some(a) = q.action {
                add("action = ?", Value::Text(a));
            }
            if let Some(t) = q.from {
                add("at >= ?", Value::Integer(t.timestamp_millis()));
            }
            if let Some(t) = q.to {
                add("at < ?", Value::Integer(t.timestamp_millis()));
            }
            if let Some(id) = q.before {
                add("id < ?", Value::Integer(id));
            }
            p.push(Value::Integer(i64::from(limit)));
            let sql = format!(
                "SELECT id, at, actor, action, target, detail FROM audit WHERE {}
                 ORDER BY id DESC LIMIT ?{}",
                conds.join(" AND "),
                p.len()
            );
            let mut stmt = c.prepare(&sql)?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(p.iter()), |r| {
                    Ok(AuditEntry {
                        id: r.get(0)?,
                        at: Utc
                            .timestamp_millis_opt(r.get(1)?)
                            .single()
                            .unwrap_or_default(),
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        target: r.get(4)?,
                        detail: r.get(5)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
        .await
    }
}
