//! Signing in and out (coordinators and admins).

use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use saakshi_domain::wire::ErrorBody;
use serde::{Deserialize, Serialize};

use super::ApiJson;
use crate::auth::{SESSION_COOKIE, User, session_cookie};
use crate::client_addr::ClientAddr;
use crate::error::{ApiError, ApiResult};
use crate::metrics::Metrics;
use crate::password_check::Busy;
use crate::secrets;
use crate::state::Shared;
use crate::store::SESSION_MS;
use crate::store::{NewAudit, Role, UserRow};

/// `{"name", "password"}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    name: String,
    password: String,
}

/// The session cookie. `Secure` whenever the server's public URL is https, so a browser
/// never sends it over plain http (a proxy that also answers on port 80, a downgrade).
fn cookie(s: &Shared, value: &str, max_age_s: i64) -> HeaderValue {
    let secure = s
        .settings
        .public_url
        .as_deref()
        .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"));
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(
        "saakshi_session=; Path=/; Max-Age=0",
    ))
}

/// The signed-in person, and the CSRF token their writes must carry.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    /// Login name.
    name: String,
    /// What they may do.
    role: Role,
    /// A coordinator's area.
    area_code: Option<String>,
    /// The first password must be changed before anything else.
    must_change_password: bool,
    /// Send it as `X-CSRF-Token` with every write.
    csrf_token: String,
}

impl Me {
    fn of(user: &UserRow, csrf: String) -> Self {
        Self {
            name: user.name.clone(),
            role: user.role,
            area_code: user.area_code.clone(),
            must_change_password: user.must_change_password,
            csrf_token: csrf,
        }
    }
}

/// Checks `name`'s password within the sign-in limits: the attempt is reserved before
/// the (bounded) argon2id check, kept as a failure when the password is wrong and given
/// back otherwise. `Ok(None)`: wrong name or password.
async fn check_password(
    s: &Shared,
    addr: ClientAddr,
    name: String,
    password: String,
) -> ApiResult<Option<UserRow>> {
    let attempt = s.signin_limits.reserve(&name, addr).map_err(|r| {
        Metrics::add(&s.metrics.attempts_refused, 1);
        ApiError::too_many(
            r.retry_after_s,
            format!(
                "too many failed sign-ins for this name or from this address; retry in {} s",
                r.retry_after_s
            ),
        )
    })?;
    let found = match s.db.user_for_login(name).await {
        Ok(found) => found,
        Err(e) => {
            s.signin_limits.give_back(attempt);
            return Err(e.into());
        }
    };
    let (user, hash) = found.map_or((None, None), |(u, h)| (Some(u), Some(h)));
    match s.password_checks.verify(password, hash).await {
        Err(Busy) => {
            s.signin_limits.give_back(attempt);
            Metrics::add(&s.metrics.attempts_refused, 1);
            Err(ApiError::busy(
                2,
                "the server is busy checking other sign-ins; retry in a few seconds",
            ))
        }
        Ok(right) => {
            s.metrics.password_check(user.is_some(), right);
            if right {
                s.signin_limits.succeeded(attempt);
                Ok(user)
            } else {
                s.signin_limits.failed(attempt);
                Ok(None)
            }
        }
    }
}

/// `POST /api/v1/auth/login`: sets the session cookie, answers the user and the CSRF
/// token that writes must carry.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "session",
    request_body = Login,
    responses((status = 200, description = "signed in: Set-Cookie carries the session", body = Me), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
pub async fn login(
    State(s): State<Shared>,
    addr: ClientAddr,
    ApiJson(req): ApiJson<Login>,
) -> ApiResult<Response> {
    let attempted: String = req.name.chars().take(100).collect();
    let Some(user) = check_password(&s, addr, req.name, req.password).await? else {
        s.db.audit(NewAudit {
            actor: attempted,
            action: "login_failed",
            target: None,
            detail: Some(format!("from {addr}")),
            area_path: None,
        })
        .await?;
        return Err(ApiError::client(
            StatusCode::UNAUTHORIZED,
            saakshi_domain::ErrorCode::Unauthorized,
            "wrong name or password",
        ));
    };
    let (token, csrf) = (secrets::random_token(), secrets::random_token());
    s.db.create_session(user.id, secrets::hash(&token), csrf.clone())
        .await?;
    let area_path = match &user.area_code {
        Some(code) => s.db.area(code.clone()).await?.map(|(_, p)| p),
        None => None,
    };
    s.db.audit(NewAudit {
        actor: user.name.clone(),
        action: "login",
        target: None,
        detail: None,
        area_path,
    })
    .await?;
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, cookie(&s, &token, SESSION_MS / 1000));
    Ok((headers, axum::Json(Me::of(&user, csrf))).into_response())
}

/// `POST /api/v1/auth/logout`.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "session",
    security(("session" = [], "csrf" = [])),
    responses((status = 204, description = "signed out"), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
pub async fn logout(
    State(s): State<Shared>,
    _user: User,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(token) = session_cookie(&headers) {
        s.db.end_session(secrets::hash(&token)).await?;
    }
    Ok(([(SET_COOKIE, cookie(&s, "", 0))], StatusCode::NO_CONTENT).into_response())
}

/// `GET /api/v1/auth/me`.
#[utoipa::path(
    get,
    path = "/api/v1/auth/me",
    tag = "session",
    security(("session" = [])),
    responses((status = 200, body = Me), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
pub async fn whoami(u: User) -> axum::Json<Me> {
    axum::Json(Me::of(&u.user, u.csrf.clone()))
}

/// `{"current", "new"}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    current: String,
    new: String,
}

/// The shortest password accepted.
const MIN_PASSWORD_CHARS: usize = 10;

/// `POST /api/v1/auth/password`: changes the caller's password (proving the current
/// one) and signs out their other sessions.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password",
    tag = "session",
    security(("session" = [], "csrf" = [])),
    request_body = NewPassword,
    responses((status = 204, description = "changed; the other sessions are signed out"), (status = "default", description = "an error: its stable code and a sentence", body = ErrorBody))
)]
pub async fn change_password(
    State(s): State<Shared>,
    u: User,
    addr: ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewPassword>,
) -> ApiResult<StatusCode> {
    let n = req.new.chars().count();
    if !(MIN_PASSWORD_CHARS..=200).contains(&n) {
        return Err(ApiError::invalid(format!(
            "the new password needs {MIN_PASSWORD_CHARS} to 200 characters"
        )));
    }
    if req.new == req.current {
        return Err(ApiError::invalid("the new password is the same as the old"));
    }
    // The same limits as signing in: a stolen session must not become a way to guess
    // the password faster.
    if check_password(&s, addr, u.user.name.clone(), req.current)
        .await?
        .is_none()
    {
        return Err(ApiError::client(
            StatusCode::FORBIDDEN,
            saakshi_domain::ErrorCode::Forbidden,
            "the current password is wrong",
        ));
    }
    let token = session_cookie(&headers).ok_or_else(ApiError::unauthorized)?;
    let hash = crate::passwords::hash(req.new).await?;
    s.db.set_password(u.user.id, hash, secrets::hash(&token))
        .await?;
    s.db.audit(NewAudit {
        actor: u.user.name.clone(),
        action: "password_change",
        target: None,
        detail: None,
        area_path: u.scope.prefix(),
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Me.role` is written by serde now; it must stay the stored name the dashboard and
    /// the OpenAPI document's enum use.
    #[test]
    fn roles_are_written_as_their_stored_names() {
        for role in [Role::Admin, Role::Coordinator] {
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
    }
}
