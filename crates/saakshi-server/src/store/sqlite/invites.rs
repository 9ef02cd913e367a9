//! `invites`: codes a coordinator hands out; a device redeems one to enrol.

use rusqlite::params;

use super::{SqliteStore, StoreResult, now_ms, scope};
use crate::store::invites::*;

#[async_trait::async_trait]
impl Invites for SqliteStore {
    async fn create_invite(
        &self,
        code_hash: String,
        area_code: String,
        uses: u32,
        expires_at_ms: i64,
    ) -> StoreResult<()> {
        let hash = code_hash;
        self.write(move |c| {
            c.execute(
                "INSERT INTO invites (code_hash, area_code, uses_left, uses, expires_at, created_at)
                 VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
                params![hash, area_code, uses, expires_at_ms, now_ms()],
            )?;
            Ok(())
        })
        .await
    }

    async fn list_invites(&self, prefix: Option<String>) -> StoreResult<Vec<InviteInfo>> {
        self.read(move |c| {
            let mut stmt = c.prepare(&format!(
                "SELECT substr(i.code_hash, 1, 12), i.area_code, coalesce(i.uses, i.uses_left),
                        i.uses_left, i.expires_at, i.created_at
                 FROM invites i JOIN areas a ON a.code = i.area_code
                 WHERE {}
                 ORDER BY i.created_at DESC",
                scope::sql_under_or_all("a.path", "?1")
            ))?;
            let rows = stmt
                .query_map([prefix], |r| {
                    let uses: i64 = r.get(2)?;
                    let left: i64 = r.get(3)?;
                    Ok(InviteInfo {
                        id: r.get(0)?,
                        area_code: r.get(1)?,
                        uses,
                        used: uses - left,
                        expires_at: r.get(4)?,
                        created_at: r.get(5)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
        .await
    }
}
