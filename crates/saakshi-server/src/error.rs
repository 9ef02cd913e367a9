//! One error type for every route: a status, a stable code and a message for people.
//! Internal details go to the log, never to the client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use saakshi_domain::ErrorCode;
use saakshi_domain::wire::{ErrorBody, ErrorDetail};

use crate::store::StoreError;

/// An error answered to a client.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ApiError {
    /// A refusal the client can act on.
    #[error("{status} {code:?}: {message}")]
    Client {
        /// HTTP status.
        status: StatusCode,
        /// Stable code.
        code: ErrorCode,
        /// For people.
        message: String,
    },
    /// Over the request budget; retry after this many seconds.
    #[error("rate limited for {0} s")]
    RateLimited(u64),
    /// Refused for now (too many attempts, or the server is busy): `Retry-After` and a
    /// message saying which.
    #[error("{status}: {message} (retry in {retry_after_s} s)")]
    TryLater {
        /// 429 (the caller's limit) or 503 (the server's).
        status: StatusCode,
        /// Seconds to wait.
        retry_after_s: u64,
        /// For people.
        message: String,
    },
    /// Our fault; logged with detail, answered as a bare 500.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A client error.
    pub fn client(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Client {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 invalid_input.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::client(StatusCode::BAD_REQUEST, ErrorCode::InvalidInput, message)
    }

    /// 404 not_found.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::client(StatusCode::NOT_FOUND, ErrorCode::NotFound, what)
    }

    /// 401 unauthorized.
    pub fn unauthorized() -> Self {
        Self::client(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            "sign in or send a valid device token",
        )
    }

    /// 403 forbidden.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::client(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    /// 413 payload_too_large.
    pub fn too_large(message: impl Into<String>) -> Self {
        Self::client(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            message,
        )
    }

    /// 429 with `Retry-After`: the caller used up a limit.
    pub fn too_many(retry_after_s: u64, message: impl Into<String>) -> Self {
        Self::TryLater {
            status: StatusCode::TOO_MANY_REQUESTS,
            retry_after_s,
            message: message.into(),
        }
    }

    /// 503 with `Retry-After`: the server is at a bound of its own.
    pub fn busy(retry_after_s: u64, message: impl Into<String>) -> Self {
        Self::TryLater {
            status: StatusCode::SERVICE_UNAVAILABLE,
            retry_after_s,
            message: message.into(),
        }
    }

    /// Wraps anything that is our fault.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::Internal(e.to_string())
    }

    /// The status this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Client { status, .. } => *status,
            Self::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::TryLater { status, .. } => *status,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        Self::internal(e)
    }
}

impl From<crate::media::MediaError> for ApiError {
    fn from(e: crate::media::MediaError) -> Self {
        Self::internal(e)
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        Self::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            Self::Client {
                status,
                code,
                message,
            } => (status, code, message),
            Self::RateLimited(secs) => {
                let body = ErrorBody {
                    error: ErrorDetail {
                        code: ErrorCode::RateLimited,
                        message: format!("too many requests from this device; retry in {secs} s"),
                    },
                };
                let mut resp = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
                resp.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, secs.max(1).into());
                return resp;
            }
            Self::TryLater {
                status,
                retry_after_s,
                message,
            } => {
                let body = ErrorBody {
                    error: ErrorDetail {
                        code: ErrorCode::RateLimited,
                        message,
                    },
                };
                let mut resp = (status, Json(body)).into_response();
                resp.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, retry_after_s.max(1).into());
                return resp;
            }
            Self::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    "internal error; it has been logged".to_string(),
                )
            }
        };
        (
            status,
            Json(ErrorBody {
                error: ErrorDetail { code, message },
            }),
        )
            .into_response()
    }
}
