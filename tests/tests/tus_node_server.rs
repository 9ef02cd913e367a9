//! The device's uploader is a plain tus client: it uploads to the official Node server
//! (`@tus/server` with its file store), and resumes there after a cut.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use saakshi_core::sync::{SyncEngine, SyncPolicy};
use saakshi_domain::CaptureState;
use saakshi_tests::harness::{Server, capture, enrolled_home, write_media};
use saakshi_tests::proxy::Proxy;

/// Installs the peers (idempotent) and returns `(node, peers dir)`.
fn peers() -> (String, PathBuf) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new("bash")
        .arg("-c")
        .arg("set -euo pipefail; source scripts/lib/peers.sh; ensure_peers; printf '%s\\n%s\\n' \"$SAAKSHI_NODE\" \"$SAAKSHI_PEERS_DIR\"")
        .current_dir(&root)
        .stderr(Stdio::inherit())
        .output()
        .unwrap();
    assert!(out.status.success(), "installing the tus peers failed");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut l = text.lines();
    (l.next().unwrap().into(), PathBuf::from(l.next().unwrap()))
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_to_the_official_node_server_and_resumes_after_a_cut() {
    let (node, dir) = peers();
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("tus-store");
    std::fs::create_dir_all(&store).unwrap();
    let mut tus = Command::new(node)
        .arg(dir.join("tus-node-server.mjs"))
        .args([
            "--port",
            "0",
            "--dir",
            store.to_str().unwrap(),
            "--path",
            "/files",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(tus.stdout.take().unwrap()).lines();
    let port: u16 = loop {
        let l = lines.next().expect("LISTENING line").unwrap();
        if let Some(p) = l.strip_prefix("LISTENING ") {
            break p.trim().parse().unwrap();
        }
    };
    let proxy = Proxy::start(format!("127.0.0.1:{port}").parse().unwrap()).await;

    let server = Server::start(&d.path().join("server")).await;
    let home = enrolled_home(&d.path().join("phone"), &server, &server.url, "B-104").await;
    let c = capture(
        &home,
        &write_media(&d.path().join("clip.wav"), 30 << 20, 99),
    );
    let engine = SyncEngine::new(home.clone(), SyncPolicy::default())
        .unwrap()
        .with_upload_endpoint(&format!("{}/files/", proxy.url()));

    proxy.set(|f| f.cut_after = Some(11 << 20));
    let first = engine.pass().await;
    assert!(
        first.is_err_and(|e| e.is_transient()),
        "the cut interrupts the upload"
    );
    assert_eq!(proxy.cuts(), 1);
    let item = home
        .unsynced()
        .unwrap()
        .into_iter()
        .find(|i| i.capture.record.id == c.record.id)
        .unwrap();
    assert!(
        item.upload_url
            .as_deref()
            .is_some_and(|u| u.contains("/files/"))
    );
    assert!(item.upload_offset > 0, "the Node server kept what arrived");

    engine.run_until_idle(3).await.unwrap();
    assert_eq!(
        home.capture(&c.record.id).unwrap().state,
        CaptureState::Synced
    );
    let source = std::fs::read(home.blobs().path_of(&c.record.sha256)).unwrap();
    let stored: Vec<_> = std::fs::read_dir(&store)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none())
        .collect();
    assert_eq!(stored.len(), 1, "one upload, resumed, not a second one");
    assert!(
        std::fs::read(&stored[0]).unwrap() == source,
        "byte for byte"
    );
    let _ = Command::new("kill").arg(tus.id().to_string()).status();
    let _ = tus.wait();
    server.stop().await;
}
