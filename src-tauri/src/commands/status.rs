//! What the header and settings show: counts, bytes, enrolment, sync phase.

use saakshi_core::Status;
use saakshi_core::sync::keys;
use saakshi_domain::wire::AreaSummary;
use std::sync::OnceLock;
use std::time::Instant;

use serde::Serialize;
use tauri::State;

use crate::background_sync::SyncPhase;
use crate::error::AppError;
use crate::state::AppState;

/// When `run` began, for the first-paint line.
static STARTED: OnceLock<Instant> = OnceLock::new();

pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
}

/// The UI calls this once its first screen is painted: the time since launch goes to
/// stderr (how slow phones are found in the field; bench/app-size-and-paint.sh reads it).
#[tauri::command]
pub fn first_paint() {
    if let Some(t) = STARTED.get() {
        eprintln!(
            "saakshi-app: first paint {} ms after start",
            t.elapsed().as_millis()
        );
    }
}

#[derive(Debug, Serialize)]
pub struct AppInfo {
    platform: &'static str,
    mobile: bool,
    version: &'static str,
}

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo {
        platform: std::env::consts::OS,
        mobile: cfg!(mobile),
        version: env!("CARGO_PKG_VERSION"),
    }
}

#[derive(Debug, Serialize)]
pub struct StatusView {
    #[serde(flatten)]
    status: Status,
    server: Option<String>,
    area: Option<AreaSummary>,
    sync: SyncPhase,
}

#[tauri::command]
pub async fn status(state: State<'_, AppState>) -> Result<StatusView, AppError> {
    let sync = state.sync.phase();
    state
        .blocking(move |home| {
            Ok(StatusView {
                status: home.status()?,
                server: home.setting(keys::SERVER)?,
                // Kept as JSON at enrolment; an unreadable one shows as no area.
                area: home
                    .setting(keys::AREA)?
                    .and_then(|a| serde_json::from_str(&a).ok()),
                sync,
            })
        })
        .await
}
