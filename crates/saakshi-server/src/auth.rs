//! Who is calling: a device with its bearer token (coordinator sessions come with the
//! dashboard). Every device route takes [`Device`] and so cannot forget to check.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use saakshi_domain::{DeviceId, ErrorCode};

use crate::error::ApiError;
use crate::state::Shared;
use crate::store::DeviceRow;

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
            .device_by_token(token.to_string())
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        state
            .rate
            .check(device.id, state.settings.limits.device_requests_per_minute)?;
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

/// A fixed one-minute window per device: simple, and enough to stop a runaway client.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<DeviceId, (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts one request; refuses with 429 and `Retry-After` over the budget.
    pub fn check(&self, device: DeviceId, per_minute: u32) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let (start, count) = w.entry(device).or_insert((now, 0));
        if now.duration_since(*start) >= Duration::from_secs(60) {
            *start = now;
            *count = 0;
        }
        *count += 1;
        if *count > per_minute {
            return Err(ApiError::RateLimited(
                60 - now.duration_since(*start).as_secs(),
            ));
        }
        Ok(())
    }
}
