//! What the commands share: the open device home and the background sync's handle.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use saakshi_core::Home;

use crate::background_sync::SyncControl;
use crate::error::AppError;

/// Managed state of the app.
#[derive(Debug)]
pub struct AppState {
    pub home: Arc<Home>,
    pub sync: Arc<SyncControl>,
}

impl AppState {
    /// Runs store work off the async runtime (SQLite and fsync block).
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Home) -> Result<T, AppError> + Send + 'static,
    {
        let home = self.home.clone();
        tauri::async_runtime::spawn_blocking(move || f(&home)).await?
    }
}

/// Where the device home lives: `SAAKSHI_HOME` if set (tests, demos, several devices on
/// one laptop); on a laptop the same folder as the `saakshi` CLI; on a phone the app's
/// own data folder.
pub fn home_path(app_data: Option<PathBuf>) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SAAKSHI_HOME").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    if cfg!(mobile) {
        return app_data;
    }
    Home::default_path().or(app_data)
}

/// Files the WebView sent, on their way into the store (see commands/capture.rs).
pub fn incoming_dir(home: &Path) -> PathBuf {
    home.join("incoming")
}
