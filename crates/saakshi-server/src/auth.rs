//! Who is calling: a device with its bearer token, or a coordinator or admin with a
//! session cookie. Every route takes one of the extractors here, so none can forget to
//! check, and scope is a value ([`Scope`]) that queries take, not a check to remember.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use saakshi_domain::ErrorCode;

use crate::error::ApiError;
use crate::state::Shared;
use crate::store::{DeviceRow, Role, UserRow};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "saakshi_session";

/// An enrolled, not revoked device, within its request budget.
#[derive(Debug, Clone)]
pub struct Device(pub DeviceRow);

/// An enrolled device, revoked or not (only the pull route, which tells a revoked device
/// so, accepts revoked devices).
#[derive(Debug, Clone)]
pub struct AnyDevice(pub DeviceRow);

fn bearer(parts: &Parts) -> Option<&str> {
    let v = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let token = v.strip_prefix("Bearer ")?.trim();
    (!token.is_empty() && token.len() <= 200).then_some(token)
}

impl FromRequestParts<Shared> for AnyDevice {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or_else(ApiError::unauthorized)?;
        let device = state
            .db
            .device_by_token(crate::secrets::hash(token))
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        state
            .rate
            .check(device.id, state.settings.limits.device_requests_per_minute)
            .map_err(ApiError::RateLimited)?;
        Ok(Self(device))
    }
}

impl FromRequestParts<Shared> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, ApiError> {
        let AnyDevice(device) = AnyDevice::from_request_parts(parts, state).await?;
        if device.revoked {
            return Err(ApiError::client(
                StatusCode::FORBIDDEN,
                ErrorCode::DeviceRevoked,
                "this device was revoked by a coordinator; pull once more to learn what to do",
            ));
        }
        Ok(Self(device))
    }
}

/// What part of the area tree a signed-in person sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Admins: everything.
    All,
    /// Coordinators: this area path and everything below it.
    Under(String),
}

impl Scope {
    /// The path prefix for queries (`None`: no filter).
    pub fn prefix(&self) -> Option<String> {
        match self {
            Self::All => None,
            Self::Under(p) => Some(p.clone()),
        }
    }

    /// Whether an area with this path is in scope: the same rule every query applies
    /// ([`crate::store::covers`]).
    pub fn covers(&self, area_path: &str) -> bool {
        match self {
            Self::All => true,
            Self::Under(p) => crate::store::covers(p, area_path),
        }
    }
}

/// What a session whose password must change may still call: who am I, sign out, and
/// change the password.
const PASSWORD_CHANGE_ROUTES: [&str; 3] = [
    "/api/v1/auth/me",
    "/api/v1/auth/logout",
    "/api/v1/auth/password",
];

/// A signed-in coordinator or admin. Writes must carry the session's CSRF token in
/// `X-CSRF-Token` (the cookie is SameSite=Strict too; this is the second lock).
#[derive(Debug, Clone)]
pub struct User {
    /// Who.
    pub user: UserRow,
    /// What they see.
    pub scope: Scope,
    /// The session's CSRF token.
    pub csrf: String,
}

/// The session token from the cookie header.
pub fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            kv.trim()
                .strip_prefix(SESSION_COOKIE)?
                .strip_prefix('=')
                .map(str::to_string)
        })
        .filter(|t| !t.is_empty() && t.len() <= 100)
}

impl FromRequestParts<Shared> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, ApiError> {
        let token = session_cookie(&parts.headers).ok_or_else(ApiError::unauthorized)?;
        let session = state
            .db
            .session(crate::secrets::hash(&token))
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        let safe = matches!(
            parts.method,
            axum::http::Method::GET | axum::http::Method::HEAD
        );
        let csrf = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok());
        if !safe && csrf != Some(session.csrf.as_str()) {
            return Err(ApiError::forbidden(
                "missing or wrong X-CSRF-Token; sign in again",
            ));
        }
        // A first (or reset) password is known to whoever handed it over: until its owner
        // replaces it, the session reaches only what replacing it takes.
        if session.user.must_change_password && !PASSWORD_CHANGE_ROUTES.contains(&parts.uri.path())
        {
            return Err(ApiError::client(
                StatusCode::FORBIDDEN,
                ErrorCode::PasswordChangeRequired,
                "this account must change its password first (POST /api/v1/auth/password)",
            ));
        }
        let scope = match (session.user.role, &session.user.area_code) {
            (Role::Admin, _) => Scope::All,
            (Role::Coordinator, Some(code)) => Scope::Under(
                state
                    .db
                    .area(code.clone())
                    .await?
                    .ok_or_else(|| ApiError::internal("a coordinator's area is missing"))?
                    .1,
            ),
            (Role::Coordinator, None) => {
                return Err(ApiError::forbidden("this account has no area"));
            }
        };
        Ok(Self {
            user: session.user,
            scope,
            csrf: session.csrf,
        })
    }
}

/// An admin (not a coordinator).
#[derive(Debug, Clone)]
pub struct Admin(pub User);

impl FromRequestParts<Shared> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, ApiError> {
        let u = User::from_request_parts(parts, state).await?;
        if u.user.role != Role::Admin {
            return Err(ApiError::forbidden("only an admin may do this"));
        }
        Ok(Self(u))
    }
}

/// A device or a signed-in person (media downloads serve both).
#[derive(Debug, Clone)]
pub enum Caller {
    /// A device.
    Device(DeviceRow),
    /// A coordinator or admin.
    User(User),
}

impl FromRequestParts<Shared> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, ApiError> {
        if bearer(parts).is_some() {
            return Device::from_request_parts(parts, state)
                .await
                .map(|Device(d)| Self::Device(d));
        }
        User::from_request_parts(parts, state).await.map(Self::User)
    }
}
