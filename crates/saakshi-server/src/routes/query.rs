//! `Query` with our error format: a query string that does not parse (an unknown
//! parameter, a negative cursor) answers `400 malformed_request` as JSON, like every
//! other refusal, instead of axum's plain-text rejection (found by schemathesis'
//! content-type check against the OpenAPI document).

use axum::extract::{FromRequestParts, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use saakshi_domain::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Query parameters, refused in our error format.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Self(v)),
            Err(rejection) => Err(ApiError::client(
                StatusCode::BAD_REQUEST,
                ErrorCode::MalformedRequest,
                rejection.body_text(),
            )),
        }
    }
}
