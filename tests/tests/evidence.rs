//! Provenance end to end: a capture signed on the device at capture (offline), synced,
//! exported by a coordinator from the server as a ZIP, and proven offline by
//! `saakshi verify` on that ZIP, with no server and no device store.

use std::process::Command;

use saakshi_core::sync::{SyncEngine, SyncPolicy};
use saakshi_server::store::Role;
use saakshi_tests::harness::{Server, capture, enrolled_home, write_media};

const PHOTO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../crates/saakshi-core/tests/fixtures/gps.jpg"
);

#[tokio::test(flavor = "multi_thread")]
async fn a_server_export_is_proven_offline() {
    let d = tempfile::tempdir().unwrap();
    let server = Server::start(&d.path().join("server")).await;
    let home = enrolled_home(&d.path().join("phone"), &server, &server.url, "B-104").await;
    capture(&home, std::path::Path::new(PHOTO));
    capture(&home, &write_media(&d.path().join("a.wav"), 300_000, 4));
    let engine = SyncEngine::new(home.clone(), SyncPolicy::default()).unwrap();
    engine.run_until_idle(3).await.unwrap();

    let lko = server
        .state
        .db
        .create_user(
            "lko".into(),
            Role::Coordinator,
            Some("LKO".into()),
            saakshi_server::passwords::hash_password("correct horse").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    // A coordinator who has replaced the first password (nothing else is served before).
    server
        .state
        .db
        .set_password(
            lko,
            saakshi_server::passwords::hash_password("correct horse").unwrap(),
            String::new(),
        )
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let login = http
        .post(format!("{}/api/v1/auth/login", server.url))
        .json(&serde_json::json!({"name": "lko", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let zip = http
        .get(format!("{}/api/v1/review/export.zip", server.url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let path = d.path().join("export.zip");
    std::fs::write(&path, &zip).unwrap();
    server.stop().await;

    let out = Command::new(env!("CARGO_BIN_EXE_saakshi-under-test"))
        .args(["--json", "verify", path.to_str().unwrap()])
        .env_remove("SAAKSHI_HOME")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["proven"], 2, "{v}");
    for c in v["captures"].as_array().unwrap() {
        assert_eq!(c["signature"], "verified");
        assert_eq!(c["media"], "intact");
    }
}
