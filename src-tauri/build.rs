// The app's commands are declared here so that capabilities/ can allow exactly the
// ones the UI uses; a command missing from a capability is refused by the shell.
fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "app_info",
            "first_paint",
            "status",
            "queue",
            "queue_item",
            "retry",
            "answer",
            "kits",
            "settings",
            "set_settings",
            "enroll",
            "sync_now",
            "capture",
            "set_thumbnail",
            "thumbnail",
            "media",
            "save_media",
        ]),
    ))
    .expect("tauri build step failed");
}
