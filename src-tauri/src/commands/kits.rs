//! Kits and their media: shown in the WebView, shared, or saved to Downloads.

use std::path::{Path, PathBuf};

use saakshi_core::LocalKit;
use tauri::State;
use tauri::ipc::Response;

use crate::error::AppError;
use crate::state::AppState;

#[tauri::command]
pub async fn kits(state: State<'_, AppState>) -> Result<Vec<LocalKit>, AppError> {
    state.blocking(|home| Ok(home.kits()?)).await
}

/// The bytes of stored media (a kit's, or a capture's), as an ArrayBuffer.
#[tauri::command]
pub async fn media(state: State<'_, AppState>, sha256: String) -> Result<Response, AppError> {
    let sha = super::sha256(&sha256)?;
    state
        .blocking(move |home| {
            let path = home.blobs().path_of(&sha);
            std::fs::read(&path)
                .map(Response::new)
                .map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => AppError::NotFound {
                        detail: format!("media {sha256} is not on this device"),
                    },
                    _ => AppError::internal(format!("reading {}: {e}", path.display())),
                })
        })
        .await
}

/// Copies media to the Downloads folder (desktop "share") under a name that is free.
#[tauri::command]
pub async fn save_media(
    state: State<'_, AppState>,
    sha256: String,
    name: String,
) -> Result<String, AppError> {
    let sha = super::sha256(&sha256)?;
    let file_name = Path::new(&name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .ok_or_else(|| AppError::invalid("name", format!("{name:?} is not a file name")))?;
    let dir = dirs::download_dir()
        .or_else(dirs::home_dir)
        .ok_or_else(|| AppError::internal("no Downloads or home folder"))?;
    state
        .blocking(move |home| {
            let dest = free_name(&dir, &file_name);
            std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::copy(home.blobs().path_of(&sha), &dest))
                .map_err(|e| AppError::internal(format!("saving {}: {e}", dest.display())))?;
            Ok(dest.display().to_string())
        })
        .await
}

/// `dir/name`, or `dir/stem (2).ext` and so on when it is taken: never overwrite.
fn free_name(dir: &Path, name: &str) -> PathBuf {
    let candidate = dir.join(name);
    if !candidate.exists() {
        return candidate;
    }
    let p = Path::new(name);
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let ext = p
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (2..)
        .map(|i| dir.join(format!("{stem} ({i}){ext}")))
        .find(|c| !c.exists())
        .unwrap_or(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites_a_saved_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            free_name(dir.path(), "kit-1.jpg"),
            dir.path().join("kit-1.jpg")
        );
        std::fs::write(dir.path().join("kit-1.jpg"), b"x").unwrap();
        std::fs::write(dir.path().join("kit-1 (2).jpg"), b"x").unwrap();
        assert_eq!(
            free_name(dir.path(), "kit-1.jpg"),
            dir.path().join("kit-1 (3).jpg")
        );
    }
}
