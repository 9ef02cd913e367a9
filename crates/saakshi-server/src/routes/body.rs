//! Raw request bodies with our error format: a body over the route's limit answers
//! `413 payload_too_large` and text that is not UTF-8 `400 malformed_request`, as JSON
//! like every other refusal, instead of axum's plain-text rejections (a thumbnail over
//! 64 KiB was answered `text/plain`, against the OpenAPI document).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use saakshi_domain::ErrorCode;

use crate::error::ApiError;

/// The refusal for a body axum could not read.
fn refusal(status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large("the request body is too large")
    } else {
        ApiError::client(StatusCode::BAD_REQUEST, ErrorCode::MalformedRequest, text)
    }
}

/// The body's bytes, refused in our error format.
#[derive(Debug)]
pub struct ApiBytes(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBytes {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Bytes::from_request(req, state)
            .await
            .map(Self)
            .map_err(|r| refusal(r.status(), r.body_text()))
    }
}

/// The body as UTF-8 text, refused in our error format.
#[derive(Debug)]
pub struct ApiText(pub String);

impl<S: Send + Sync> FromRequest<S> for ApiText {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        String::from_request(req, state)
            .await
            .map(Self)
            .map_err(|r| refusal(r.status(), r.body_text()))
    }
}
