//! Enrolment with an invite, and "sync now".

use saakshi_core::sync::{self, keys};
use saakshi_domain::wire::AreaSummary;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// Longest device name, in characters.
const MAX_NAME: usize = 100;

/// Redeems an invite (a link, or a server address and a code) and starts syncing.
#[tauri::command]
pub async fn enroll(
    state: State<'_, AppState>,
    invite: String,
    code: Option<String>,
    name: String,
) -> Result<AreaSummary, AppError> {
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "device_name",
            format!("a device name has 1 to {MAX_NAME} characters"),
        ));
    }
    // What was pasted is checked here so that "not an invite" is told apart from "the
    // server said no".
    sync::parse_invite(&invite, code.as_deref()).map_err(|e| AppError::BadInvite {
        detail: e.to_string(),
    })?;
    let home = state.home.clone();
    if let Some(server) = home.setting(keys::SERVER)?
        && home.setting(keys::TOKEN)?.is_some()
    {
        return Err(AppError::AlreadyEnrolled {
            detail: format!("this device is already enrolled with {server}"),
        });
    }
    let resp = sync::enroll(&home, &invite, code.as_deref(), &name, std::env::consts::OS).await?;
    state.sync.wake();
    Ok(resp.area)
}

#[tauri::command]
pub fn sync_now(state: State<'_, AppState>) {
    state.sync.wake();
}
