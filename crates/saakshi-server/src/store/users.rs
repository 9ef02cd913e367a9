//! Accounts of coordinators and admins. The store keeps a password's argon2id hash only
//! (`crate::passwords`).

use super::StoreResult;

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

/// Accounts: made by an admin, found by name at sign-in.
#[async_trait::async_trait]
pub trait Users: Send + Sync {
    /// Creates a user with a password hash (`crate::passwords::hash`); `Ok(None)` if the
    /// name is taken.
    async fn create_user(
        &self,
        name: String,
        role: Role,
        area_code: Option<String>,
        password_hash: String,
    ) -> StoreResult<Option<i64>>;

    /// Number of users (the first start creates an admin when there are none).
    async fn user_count(&self) -> StoreResult<i64>;

    /// The user with this name and their password hash, to be verified by the caller
    /// (through the bounded [`crate::password_check::PasswordChecks`]).
    async fn user_for_login(&self, name: String) -> StoreResult<Option<(UserRow, String)>>;

    /// Every account, by name.
    async fn list_users(&self) -> StoreResult<Vec<UserInfo>>;

    /// Sets a user's password hash (after they proved the old password) and ends their
    /// other sessions but the one whose token hashes to `keep_session_hash`, so a stolen
    /// session does not outlive the change.
    async fn set_password(
        &self,
        user_id: i64,
        password_hash: String,
        keep_session_hash: String,
    ) -> StoreResult<()>;
}
