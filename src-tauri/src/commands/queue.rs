//! The queue and capture screens: pages of captures with their sync progress, one
//! capture, retry, and the answer to a coordinator.

use saakshi_core::revise::Answer;
use saakshi_core::{CaptureFilter, LocalCapture, QueuePage, SyncItem};
use saakshi_domain::{CaptureId, CaptureState, MediaKind};
use serde::Deserialize;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// Rows per query at most; the UI asks for 100 at a time.
const MAX_PAGE: u32 = 500;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueFilter {
    state: Option<CaptureState>,
    kind: Option<MediaKind>,
    limit: u32,
    offset: u32,
}

#[tauri::command]
pub async fn queue(state: State<'_, AppState>, filter: QueueFilter) -> Result<QueuePage, AppError> {
    let f = CaptureFilter {
        state: filter.state,
        kind: filter.kind,
        limit: Some(filter.limit.min(MAX_PAGE)),
        offset: filter.offset,
    };
    state.blocking(move |home| Ok(home.queue(&f)?)).await
}

/// One capture with its sync progress and verdict: the capture screen.
#[tauri::command]
pub async fn queue_item(state: State<'_, AppState>, id: String) -> Result<SyncItem, AppError> {
    let id = id
        .parse::<CaptureId>()
        .map_err(|e| AppError::invalid("id", e))?;
    state.blocking(move |home| Ok(home.queue_item(&id)?)).await
}

/// Answers a coordinator who asked for information about a capture: its next revision
/// (new caption, tags or place; the same media), sent now.
#[tauri::command]
pub async fn answer(
    state: State<'_, AppState>,
    id: String,
    answer: Answer,
) -> Result<LocalCapture, AppError> {
    let id = id
        .parse::<CaptureId>()
        .map_err(|e| AppError::invalid("id", e))?;
    let answered = state
        .blocking(move |home| Ok(home.answer(&id, &answer)?))
        .await?;
    state.sync.wake();
    Ok(answered)
}

/// Puts one failed capture (or all) back in the queue, and syncs now.
#[tauri::command]
pub async fn retry(state: State<'_, AppState>, id: Option<String>) -> Result<usize, AppError> {
    let id = id
        .map(|s| s.parse::<CaptureId>())
        .transpose()
        .map_err(|e| AppError::invalid("id", e))?;
    let n = state
        .blocking(move |home| Ok(home.retry_failed(id.as_ref())?))
        .await?;
    state.sync.wake();
    Ok(n)
}
