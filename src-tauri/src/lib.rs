//! The Saakshi field app: a Tauri v2 shell around the ui/app screens. Commands are a
//! few lines each over `saakshi-core` (commands/); sync runs in the background for as
//! long as the app does (background_sync.rs). The phone entry point is `run` below.

mod background_sync;
mod commands;
mod error;
mod state;
mod webview_permissions;

use std::sync::Arc;

use saakshi_core::Home;
use tauri::Manager;

pub use error::AppError;

/// Starts the app (desktop `main`, and the Android/iOS entry point).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    commands::status::mark_start();
    let builder = tauri::Builder::default();
    #[cfg(mobile)]
    let builder = builder
        .plugin(tauri_plugin_barcode_scanner::init())
        .plugin(tauri_plugin_geolocation::init());
    let result = builder
        .on_permission_request(|_, kind| webview_permissions::answer(kind))
        .setup(|app| {
            let path = state::home_path(app.path().app_data_dir().ok())
                .ok_or("no folder for Saakshi's data: set SAAKSHI_HOME")?;
            let (home, _) = Home::create(&path)?;
            // What a killed app left half-received; the captures it made are whole.
            let _ = std::fs::remove_dir_all(state::incoming_dir(&path));
            let home = Arc::new(home);
            let sync = background_sync::SyncControl::new();
            app.manage(state::AppState {
                home: home.clone(),
                sync: sync.clone(),
            });
            tauri::async_runtime::spawn(background_sync::run(app.handle().clone(), home, sync));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::status::app_info,
            commands::status::first_paint,
            commands::status::status,
            commands::queue::queue,
            commands::queue::queue_item,
            commands::queue::retry,
            commands::queue::answer,
            commands::kits::kits,
            commands::kits::media,
            commands::kits::save_media,
            commands::settings::settings,
            commands::settings::set_settings,
            commands::enroll::enroll,
            commands::enroll::sync_now,
            commands::capture::capture,
            commands::capture::set_thumbnail,
            commands::capture::thumbnail,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        // No window to show it in: the terminal (or the OS log) is all there is.
        eprintln!("Saakshi could not start: {e}");
        std::process::exit(1);
    }
}
