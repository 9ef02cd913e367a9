//! `users`: coordinators and admins, with argon2id password hashes.

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rusqlite::{OptionalExtension, params};

use super::{Db, StoreError, StoreResult, now_ms};

/// What a signed-in person may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
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

/// Argon2's working memory (~19 MiB with the default parameters), kept by a caller
/// between checks. Reused rather than allocated per check because glibc, once it has
/// freed one block this large, serves the next from a per-thread arena and keeps it: a
/// flood of checks spread over the blocking pool's threads then held ~19 MiB per thread
/// (373 MiB peak for 20 checks; see BENCHMARKS.md, sign-in flood).
pub type Argon2Memory = Vec<Block>;

/// Whether `password` matches `hash` (blocking: one argon2id run), computed in `memory`,
/// which grows to what the hash's parameters need. Callers on the server go through
/// [`crate::password_check::PasswordChecks`], which bounds how many run and lends them
/// their memory.
/// The algorithm, version, parameters and salt come from the PHC string, as argon2's own
/// `PasswordVerifier` takes them; the comparison is argon2's constant-time one.
pub fn verify_password_in(password: &str, hash: &str, memory: &mut Argon2Memory) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let Some(expected) = parsed.hash else {
        return false;
    };
    let (Ok(algorithm), Ok(version), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        parsed
            .version
            .map_or(Ok(Version::default()), Version::try_from),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Some(Ok(salt)) = parsed.salt.map(|s| s.decode_b64(&mut salt_buf)) else {
        return false;
    };
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..])
        .is_ok()
        && Output::new(&out).is_ok_and(|computed| computed == expected)
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

    /// Number of users (the first start creates an admin when there are none).
    pub async fn user_count(&self) -> StoreResult<i64> {
        self.read(|c| Ok(c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?))
            .await
    }

    /// The user with this name and their password hash, to be verified by the caller
    /// (through the bounded [`crate::password_check::PasswordChecks`]).
    pub async fn user_for_login(&self, name: String) -> StoreResult<Option<(UserRow, String)>> {
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

    /// Every account, by name.
    pub async fn list_users(&self) -> StoreResult<Vec<UserInfo>> {
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

/// An account as the admin screen lists it.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
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

#[cfg(test)]
mod tests {
    use argon2::password_hash::PasswordVerifier;

    use super::*;

    /// argon2's own verifier, the reference the reusing one must agree with.
    fn reference(password: &str, hash: &str) -> bool {
        PasswordHash::new(hash).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    }

    #[test]
    fn agrees_with_argon2s_verifier_and_reuses_its_memory() {
        let hash = hash_password("correct horse").unwrap();
        let mut memory = Argon2Memory::new();
        for (password, right) in [
            ("correct horse", true),
            ("correct hors", false),
            ("", false),
        ] {
            assert_eq!(
                verify_password_in(password, &hash, &mut memory),
                right,
                "{password:?}"
            );
            assert_eq!(reference(password, &hash), right, "{password:?}");
        }
        let grown = memory.len();
        assert_eq!(grown, Params::default().block_count());
        let before = memory.as_ptr();
        assert!(verify_password_in("correct horse", &hash, &mut memory));
        assert_eq!(
            memory.as_ptr(),
            before,
            "the second check reuses the memory"
        );
    }

    #[test]
    fn other_parameters_and_algorithms_stored_in_the_hash_are_honoured() {
        let params = Params::new(4096, 3, 1, Some(24)).unwrap();
        let salt = SaltString::encode_b64(b"sixteen byte slt").unwrap();
        for algorithm in [Algorithm::Argon2i, Algorithm::Argon2d, Algorithm::Argon2id] {
            let hash = Argon2::new(algorithm, Version::V0x13, params.clone())
                .hash_password(b"pw", &salt)
                .unwrap()
                .to_string();
            // A larger buffer than needed is fine; a smaller one grows.
            let mut memory = vec![Block::default(); 8192];
            assert!(verify_password_in("pw", &hash, &mut memory), "{hash}");
            assert!(!verify_password_in("pW", &hash, &mut Vec::new()), "{hash}");
            assert!(reference("pw", &hash));
        }
    }

    #[test]
    fn malformed_hashes_never_match() {
        let good = hash_password("pw").unwrap();
        let no_output = good.rsplit_once('$').unwrap().0.to_string();
        for bad in [
            "",
            "plain text",
            no_output.as_str(),
            "$argon2id$v=19$m=19456,t=2,p=1$!!!notbase64$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
            "$argon2id$v=7$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
            "$scrypt$ln=15,r=8,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        ] {
            assert!(!verify_password_in("pw", bad, &mut Vec::new()), "{bad:?}");
        }
        assert!(verify_password_in("pw", &good, &mut Vec::new()));
    }
}
