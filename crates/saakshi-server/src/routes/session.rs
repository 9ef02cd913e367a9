//! Signing in and out (coordinators and admins).

use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::ApiJson;
use crate::auth::{SESSION_COOKIE, User, session_cookie};
use crate::error::{ApiError, ApiResult};
use crate::state::Shared;
use crate::store::NewAudit;
use crate::store::sessions::SESSION_MS;

/// `{"name", "password"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    name: String,
    password: String,
}

/// Sign-in attempts allowed per user name per minute.
const LOGINS_PER_MINUTE: u32 = 10;

fn cookie(value: &str, max_age_s: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}"
    ))
    .unwrap_or(HeaderValue::from_static(
        "saakshi_session=; Path=/; Max-Age=0",
    ))
}

fn me(u: &User) -> serde_json::Value {
    json!({
        "name": u.user.name,
        "role": u.user.role.as_str(),
        "area_code": u.user.area_code,
        "must_change_password": u.user.must_change_password,
        "csrf_token": u.csrf,
    })
}

/// `POST /api/v1/auth/login`: sets the session cookie, answers the user and the CSRF
/// token that writes must carry.
pub async fn login(State(s): State<Shared>, ApiJson(req): ApiJson<Login>) -> ApiResult<Response> {
    s.login_failures
        .check(req.name.to_lowercase(), LOGINS_PER_MINUTE)
        .map_err(ApiError::RateLimited)?;
    let attempted: String = req.name.chars().take(100).collect();
    let Some(user) = s.db.check_login(req.name, req.password).await? else {
        s.db.audit(NewAudit {
            actor: attempted,
            action: "login_failed",
            target: None,
            detail: None,
            area_path: None,
        })
        .await?;
        return Err(ApiError::client(
            StatusCode::UNAUTHORIZED,
            saakshi_domain::ErrorCode::Unauthorized,
            "wrong name or password",
        ));
    };
    let (token, csrf) = s.db.create_session(user.id).await?;
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
    headers.insert(SET_COOKIE, cookie(&token, SESSION_MS / 1000));
    let body = json!({
        "name": user.name,
        "role": user.role.as_str(),
        "area_code": user.area_code,
        "must_change_password": user.must_change_password,
        "csrf_token": csrf,
    });
    Ok((headers, axum::Json(body)).into_response())
}

/// `POST /api/v1/auth/logout`.
pub async fn logout(
    State(s): State<Shared>,
    _user: User,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(token) = session_cookie(&headers) {
        s.db.end_session(token).await?;
    }
    Ok(([(SET_COOKIE, cookie("", 0))], StatusCode::NO_CONTENT).into_response())
}

/// `GET /api/v1/auth/me`.
pub async fn whoami(u: User) -> axum::Json<serde_json::Value> {
    axum::Json(me(&u))
}

/// `{"current", "new"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    current: String,
    new: String,
}

/// The shortest password accepted.
const MIN_PASSWORD_CHARS: usize = 10;

/// `POST /api/v1/auth/password`: changes the caller's password (proving the current
/// one) and signs out their other sessions.
pub async fn change_password(
    State(s): State<Shared>,
    u: User,
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
    s.login_failures
        .check(u.user.name.to_lowercase(), LOGINS_PER_MINUTE)
        .map_err(ApiError::RateLimited)?;
    if s.db
        .check_login(u.user.name.clone(), req.current)
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
    s.db.set_password(u.user.id, req.new, token).await?;
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
