//! What the WebView may use without asking: the camera, the microphone and the location,
//! which the Capture screen needs. Only the app's own UI runs in the WebView (no remote
//! pages; see the CSP in tauri.conf.json), so granting these is granting them to Saakshi,
//! as a native app's install-time permissions would; the OS may still ask (Android).
//! Anything else gets the WebView's default answer.

use tauri::webview::{PermissionKind, PermissionResponse};

pub fn answer(kind: PermissionKind) -> PermissionResponse {
    match kind {
        PermissionKind::Camera | PermissionKind::Microphone | PermissionKind::Geolocation => {
            PermissionResponse::Allow
        }
        _ => PermissionResponse::Default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_needs_are_granted_and_nothing_else() {
        for kind in [
            PermissionKind::Camera,
            PermissionKind::Microphone,
            PermissionKind::Geolocation,
        ] {
            assert_eq!(answer(kind), PermissionResponse::Allow, "{kind:?}");
        }
        for kind in [
            PermissionKind::Notifications,
            PermissionKind::DisplayCapture,
            PermissionKind::PointerLock,
        ] {
            assert_eq!(answer(kind), PermissionResponse::Default, "{kind:?}");
        }
    }
}
