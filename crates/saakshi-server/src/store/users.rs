//! `users`: coordinators and admins, with argon2id password hashes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::{OptionalExtension, params};

use super::{Db, StoreError, StoreResult, now_ms};

/// What a signed-in person may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Everything, everywhere.
    Admin,
    /// Review and publish within one area subtree.
    Coordinator,
}

impl Role {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Coordinator => "coordinator",
        }
    }

    /// Inverse of [`Role::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "coordinator" => Some(Self::Coordinator),
            _ => None,
        }
    }
}

/// A user as stored.
#[derive(Clone, Debug)]
pub struct UserRow {
    /// Row id.
    pub id: i64,
    /// Login name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Scope (coordinators), or none (admins: everything).
    pub area_code: Option<String>,
    /// The first password was generated; it must be changed.
    pub must_change_password: bool,
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> StoreResult<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Corrupt(format!("hashing a password: {e}")))
}

/// A hash with the default parameters, checked for unknown names so that they cost what
/// a known name costs.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";

/// Whether `password` matches `hash` (blocking: one argon2id run). Callers on the server
/// go through [`crate::password_check::PasswordChecks`], which bounds how many run.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

impl Db {
    /// Creates a user; `Ok(None)` if the name is taken.
    pub async fn create_user(
        &self,
        name: String,
        role: Role,
        area_code: Option<String>,
        password: String,
    ) -> StoreResult<Option<i64>> {
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))??;
        self.call(move |c| {
            let n = c.execute(
                "INSERT INTO users (name, password_hash, role, area_code, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO NOTHING",
                params![name, hash, role.as_str(), area_code, now_ms()],
            )?;
            Ok((n == 1).then(|| c.last_insert_rowid()))
        })
        .await
    }

    /// Number of users (the first start creates an admin when there are none).
    pub async fn user_count(&self) -> StoreResult<i64> {
        self.call(|c| Ok(c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?))
            .await
    }

    /// The user with this name and their password hash, to be verified by the caller
    /// (through the bounded [`crate::password_check::PasswordChecks`]).
    pub async fn user_for_login(&self, name: String) -> StoreResult<Option<(UserRow, String)>> {
        self.call(move |c| {
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

    /// Every account, by name.
    pub async fn list_users(&self) -> StoreResult<Vec<UserInfo>> {
        self.call(|c| {
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

    /// Sets a user's password (after they proved the old one) and ends their other
    /// sessions, so a stolen session does not outlive the change.
    pub async fn set_password(
        &self,
        user_id: i64,
        password: String,
        keep_session: String,
    ) -> StoreResult<()> {
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))??;
        let keep = super::secret_hash(&keep_session);
        self.call(move |c| {
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

/// An account as the admin screen lists it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct UserInfo {
    /// Login name.
    pub name: String,
    /// `admin` or `coordinator`.
    pub role: String,
    /// A coordinator's area.
    pub area_code: Option<String>,
    /// Unix ms.
    pub created_at: i64,
}
