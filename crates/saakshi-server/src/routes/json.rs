//! `Json` with our error format: a malformed body answers `400 malformed_request` with
//! serde's description, an oversized one `413 payload_too_large`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use saakshi_domain::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body, refused in our error format.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(rejection) => Err(match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => {
                    ApiError::too_large("the request body is too large")
                }
                StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::client(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    ErrorCode::MalformedRequest,
                    "send Content-Type: application/json",
                ),
                _ => ApiError::client(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::MalformedRequest,
                    body_text(&rejection),
                ),
            }),
        }
    }
}

fn body_text(r: &JsonRejection) -> String {
    r.body_text()
}
