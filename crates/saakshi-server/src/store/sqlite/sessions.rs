//! `sessions`: signed-in coordinators and admins.

use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, StoreResult, now_ms};
use crate::store::sessions::*;
use crate::store::users::{Role, UserRow};

#[async_trait::async_trait]
impl Sessions for SqliteStore {
    async fn create_session(
        &self,
        user_id: i64,
        token_hash: String,
        csrf: String,
    ) -> StoreResult<()> {
        let (hash, c2) = (token_hash, csrf);
        self.write(move |c| {
            let now = now_ms();
            c.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?;
            c.execute(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![hash, user_id, c2, now, now + SESSION_MS],
            )?;
            Ok(())
        })
        .await
    }

    async fn session(&self, token_hash: String) -> StoreResult<Option<SessionRow>> {
        let hash = token_hash;
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT u.id, u.name, u.role, u.area_code, u.must_change_password, s.csrf_token
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            )?;
            Ok(stmt
                .query_row(params![hash, now_ms()], |r| {
                    Ok(SessionRow {
                        user: UserRow {
                            id: r.get(0)?,
                            name: r.get(1)?,
                            role: Role::parse(&r.get::<_, String>(2)?).unwrap_or(Role::Coordinator),
                            area_code: r.get(3)?,
                            must_change_password: r.get(4)?,
                        },
                        csrf: r.get(5)?,
                    })
                })
                .optional()?)
        })
        .await
    }

    async fn end_session(&self, token_hash: String) -> StoreResult<()> {
        let hash = token_hash;
        self.write(move |c| {
            c.execute("DELETE FROM sessions WHERE token_hash = ?1", [hash])?;
            Ok(())
        })
        .await
    }
}
