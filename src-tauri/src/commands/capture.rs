//! Captures made in the WebView (camera, microphone, a chosen file) arrive as the raw
//! body of an IPC request, with what the person typed in an `x-capture` header. The
//! bytes are written to `<home>/incoming/` and imported by the core exactly as the CLI
//! imports a file: hashed, fsynced, renamed, recorded in one transaction; only then
//! does the command answer, so "stored" in the UI means durable.
//!
//! A location that contradicts the photo's own GPS position, or looks swapped, is not
//! stored until the person confirms it (`location_confirmed`), as the CLI asks for
//! `--force-location`: the app shows both positions and lets them choose.

use std::path::Path;

use saakshi_core::{ImportOutcome, ImportRequest, LocalCapture, SyncItem};
use saakshi_domain::Location;
use serde::{Deserialize, Serialize};
use tauri::State;
use tauri::ipc::{InvokeBody, Request, Response};

use crate::error::AppError;
use crate::state::{AppState, incoming_dir};

/// What the person added to the media (ui/app/src/ipc.ts `CaptureRequest`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaptureFields {
    name: String,
    location: Option<Location>,
    caption: String,
    tags: Vec<String>,
    event: Option<String>,
    /// The person saw the doubts about this location and keeps it.
    #[serde(default)]
    location_confirmed: bool,
}

#[derive(Debug, Serialize)]
pub struct CaptureOutcome {
    outcome: &'static str,
    capture: SyncItem,
}

fn raw_body<'a>(request: &'a Request<'_>) -> Result<&'a [u8], AppError> {
    match request.body() {
        InvokeBody::Raw(bytes) => Ok(bytes),
        InvokeBody::Json(_) => Err(AppError::internal("expected the media as a raw body")),
    }
}

fn header<'a>(request: &'a Request<'_>, name: &str) -> Result<&'a str, AppError> {
    request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| AppError::internal(format!("the request has no {name} header")))
}

/// `encodeURIComponent` undone (the header carries Devanagari as UTF-8 escapes).
fn percent_decode(s: &str) -> Result<String, AppError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| AppError::internal("a bad escape in x-capture"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(AppError::internal)
}

/// The name the file is kept under (the store records it): the last path part, or a
/// neutral one.
fn file_name(name: &str) -> String {
    Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.trim().is_empty())
        .unwrap_or_else(|| "capture".into())
}

fn view(capture: &LocalCapture) -> SyncItem {
    SyncItem {
        capture: capture.clone(),
        upload_offset: 0,
        upload_url: None,
        last_error: None,
        attempts: 0,
    }
}

#[tauri::command]
pub async fn capture(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<CaptureOutcome, AppError> {
    let fields: CaptureFields =
        serde_json::from_str(&percent_decode(header(&request, "x-capture")?)?)
            .map_err(|e| AppError::internal(format!("x-capture: {e}")))?;
    let req = ImportRequest {
        location: fields.location,
        caption: fields.caption,
        tags: fields.tags,
        event: fields.event,
        allow_duplicate: false,
    };
    // Everything typed is checked before a byte is written.
    req.validate().map_err(saakshi_core::CoreError::from)?;
    let dir = incoming_dir(state.home.path()).join(uuid::Uuid::now_v7().to_string());
    let path = dir.join(file_name(&fields.name));
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| AppError::internal(format!("creating {}: {e}", dir.display())))?;
    let written = tokio::fs::write(&path, raw_body(&request)?).await;
    let outcome = match written {
        Ok(()) => {
            let path = path.clone();
            let confirmed = fields.location_confirmed;
            state
                .blocking(move |home| {
                    check_location(&path, req.location.as_ref(), confirmed)?;
                    Ok(home.import_file(&path, &req, &mut |_| {})?)
                })
                .await
        }
        Err(e) => Err(AppError::from(saakshi_core::CoreError::Io {
            context: format!("receiving {}", path.display()),
            source: e,
        })),
    };
    let _ = tokio::fs::remove_dir_all(&dir).await;
    let outcome = outcome?;
    state.sync.wake();
    Ok(match outcome {
        ImportOutcome::Stored(c) => CaptureOutcome {
            outcome: "stored",
            capture: view(&c),
        },
        ImportOutcome::AlreadyCaptured(c) => CaptureOutcome {
            outcome: "already_captured",
            capture: view(&c),
        },
    })
}

/// Refuses a location the core doubts for the media at `path` (far from the photo's own
/// GPS position, or swapped), unless the person has confirmed it.
fn check_location(path: &Path, given: Option<&Location>, confirmed: bool) -> Result<(), AppError> {
    let Some(given) = given.filter(|_| !confirmed) else {
        return Ok(());
    };
    let doubts = saakshi_core::location_doubts_for(path, given)?;
    if doubts.is_empty() {
        Ok(())
    } else {
        Err(AppError::location_doubt(doubts))
    }
}

/// A preview the WebView made (a video's frame) for media that has none.
#[tauri::command]
pub async fn set_thumbnail(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<bool, AppError> {
    let sha = super::sha256(header(&request, "x-sha256")?)?;
    let jpeg = raw_body(&request)?.to_vec();
    state
        .blocking(move |home| Ok(home.set_thumbnail(&sha, &jpeg)?))
        .await
}

/// The preview's JPEG bytes; empty when there is none.
#[tauri::command]
pub async fn thumbnail(state: State<'_, AppState>, sha256: String) -> Result<Response, AppError> {
    let sha = super::sha256(&sha256)?;
    state
        .blocking(move |home| {
            Ok(Response::new(
                home.thumbnail(&sha)?.map(|t| t.jpeg).unwrap_or_default(),
            ))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_text_round_trips_devanagari() {
        // encodeURIComponent('{"caption":"भीड़ 100%"}')
        let enc = "%7B%22caption%22%3A%22%E0%A4%AD%E0%A5%80%E0%A4%A1%E0%A4%BC%20100%25%22%7D";
        assert_eq!(percent_decode(enc).unwrap(), r#"{"caption":"भीड़ 100%"}"#);
        assert!(percent_decode("%E0%A4").is_err(), "half a character");
        assert!(percent_decode("%G1").is_err());
    }

    #[test]
    fn a_swapped_location_is_refused_until_confirmed() {
        // A real photo without GPS of its own: the core recognises the swap by India's bounds.
        let photo =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/browser/app/booth-104.jpg");
        let at = |lat: f64, lon: f64| Location {
            lat,
            lon,
            accuracy_m: None,
            altitude_m: None,
            source: saakshi_domain::LocationSource::Manual,
            fix_time: None,
        };
        let swapped = at(80.9462, 26.8467);
        let err = check_location(&photo, Some(&swapped), false).unwrap_err();
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["kind"], "location_doubt");
        assert_eq!(json["doubts"][0]["doubt"], "looks_swapped");
        assert_eq!(json["doubts"][0]["swapped"]["lat"], 26.8467);
        // Confirmed, or the right way round, or no location at all: nothing to ask.
        check_location(&photo, Some(&swapped), true).unwrap();
        check_location(&photo, Some(&at(26.8467, 80.9462)), false).unwrap();
        check_location(&photo, None, false).unwrap();
    }

    #[test]
    fn file_names_cannot_leave_the_incoming_folder() {
        assert_eq!(file_name("booth.jpg"), "booth.jpg");
        assert_eq!(file_name("../../etc/passwd"), "passwd");
        assert_eq!(file_name(".."), "capture");
        assert_eq!(file_name(""), "capture");
        assert_eq!(file_name(".hidden"), "capture");
    }
}
