//! `sessions`: signed-in coordinators and admins.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use rusqlite::{OptionalExtension, params};

use super::users::{Role, UserRow};
use super::{Db, StoreResult, now_ms, secret_hash};

/// How long a session lasts without signing in again.
pub const SESSION_MS: i64 = 12 * 3600 * 1000;

fn random_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A session's user and its CSRF token.
#[derive(Clone, Debug)]
pub struct SessionRow {
    /// Who.
    pub user: UserRow,
    /// Must come back in `X-CSRF-Token` on every write.
    pub csrf: String,
}

impl Db {
    /// Starts a session; returns (cookie token, CSRF token).
    pub async fn create_session(&self, user_id: i64) -> StoreResult<(String, String)> {
        let token = random_token();
        let csrf = random_token();
        let (hash, c2) = (secret_hash(&token), csrf.clone());
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
        .await?;
        Ok((token, csrf))
    }

    /// The live session for a cookie token.
    pub async fn session(&self, token: String) -> StoreResult<Option<SessionRow>> {
        let hash = secret_hash(&token);
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

    /// Ends a session.
    pub async fn end_session(&self, token: String) -> StoreResult<()> {
        let hash = secret_hash(&token);
        self.write(move |c| {
            c.execute("DELETE FROM sessions WHERE token_hash = ?1", [hash])?;
            Ok(())
        })
        .await
    }
}
