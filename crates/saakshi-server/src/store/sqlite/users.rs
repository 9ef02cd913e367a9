//! `users`: coordinators and admins, with argon2id password hashes.

use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, StoreError, StoreResult, now_ms};
use crate::store::users::*;

#[async_trait::async_trait]
impl Users for SqliteStore {
    async fn create_user(
        &self,
        name: String,
        role: Role,
        area_code: Option<String>,
        password_hash: String,
    ) -> StoreResult<Option<i64>> {
        let hash = password_hash;
        self.write(move |c| {
            let n = c.execute(
                "INSERT INTO users (name, password_hash, role, area_code, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO NOTHING",
                params![name, hash, role.as_str(), area_code, now_ms()],
            )?;
            Ok((n == 1).then(|| c.last_insert_rowid()))
        })
        .await
    }

    async fn user_count(&self) -> StoreResult<i64> {
        self.read(|c| Ok(c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?))
            .await
    }

    async fn user_for_login(&self, name: String) -> StoreResult<Option<(UserRow, String)>> {
        self.read(move |c| {
            c.query_row(
                "SELECT id, name, role, area_code, must_change_password, password_hash
                 FROM users WHERE name = ?1",
                [name],
                |r| {
                    Ok((
                        UserRow {
                            id: r.get(0)?,
                            name: r.get(1)?,
                            role: Role::parse(&r.get::<_, String>(2)?).unwrap_or(Role::Coordinator),
                            area_code: r.get(3)?,
                            must_change_password: r.get(4)?,
                        },
                        r.get::<_, String>(5)?,
                    ))
                },
            )
            .optional()
            .map_err(StoreError::from)
        })
        .await
    }

    async fn list_users(&self) -> StoreResult<Vec<UserInfo>> {
        self.read(|c| {
            let mut stmt =
                c.prepare("SELECT name, role, area_code, created_at FROM users ORDER BY name")?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(UserInfo {
                        name: r.get(0)?,
                        role: r.get(1)?,
                        area_code: r.get(2)?,
                        created_at: r.get(3)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
        .await
    }

    async fn set_password(
        &self,
        user_id: i64,
        password_hash: String,
        keep_session_hash: String,
    ) -> StoreResult<()> {
        let (hash, keep) = (password_hash, keep_session_hash);
        self.write(move |c| {
            let tx = c.transaction()?;
            tx.execute(
                "UPDATE users SET password_hash = ?1, must_change_password = 0 WHERE id = ?2",
                params![hash, user_id],
            )?;
            tx.execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2",
                params![user_id, keep],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}
