//! The official tus clients, unmodified, against this server: `tus-js-client` (Node) and
//! `tuspy` (Python). Each upload is interrupted, resumed, and the stored media compared
//! byte for byte. The peers are installed by `scripts/lib/peers.sh` (npm lockfile, venv).

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use common::*;
use saakshi_domain::wire::Change;

struct Peers {
    node: String,
    python: String,
    dir: PathBuf,
}

/// Installs the peers once per test process (idempotent and quiet when ready).
fn peers() -> &'static Peers {
    static PEERS: OnceLock<Peers> = OnceLock::new();
    PEERS.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let out = Command::new("bash")
            .arg("-c")
            .arg(
                "set -euo pipefail; source scripts/lib/peers.sh; ensure_peers; \
                 printf '%s\\n%s\\n%s\\n' \"$SAAKSHI_NODE\" \"$SAAKSHI_TUSPY\" \"$SAAKSHI_PEERS_DIR\"",
            )
            .current_dir(&root)
            .stderr(Stdio::inherit())
            .output()
            .expect("run bash");
        assert!(out.status.success(), "installing the tus peers failed (scripts/lib/peers.sh)");
        let text = String::from_utf8(out.stdout).unwrap();
        let mut lines = text.lines();
        Peers {
            node: lines.next().unwrap().to_string(),
            python: lines.next().unwrap().to_string(),
            dir: PathBuf::from(lines.next().unwrap()),
        }
    })
}

fn js_client(args: &[String]) -> Command {
    let p = peers();
    let mut c = Command::new(&p.node);
    c.arg(p.dir.join("tus-js-upload.mjs")).args(args);
    c
}

fn py_client(args: &[String]) -> Command {
    let p = peers();
    let mut c = Command::new(&p.python);
    c.arg(p.dir.join("tuspy_upload.py")).args(args);
    c
}

fn args(
    server: &TestServer,
    dev: &TestDevice,
    file: &std::path::Path,
    media: &[u8],
    rec: &saakshi_domain::CaptureRecord,
    extra: &[&str],
) -> Vec<String> {
    let mut a: Vec<String> = vec![
        "--endpoint".into(),
        format!("{}/api/v1/uploads/", server.url),
        "--file".into(),
        file.display().to_string(),
        "--token".into(),
        dev.token.clone(),
        "--metadata".into(),
        format!("sha256={}", sha256(media).to_hex()),
        "--metadata".into(),
        format!("capture_id={}", rec.id),
        "--metadata".into(),
        "filename=clip.wav".into(),
    ];
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

fn url_of(stdout: &[u8]) -> String {
    let line = String::from_utf8_lossy(stdout);
    let v: serde_json::Value = serde_json::from_str(line.lines().last().unwrap()).unwrap();
    v["url"].as_str().unwrap().to_string()
}

async fn stop_then_resume(client: fn(&[String]) -> Command, extra: &[&str]) {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(&d.path().join("server")).await;
    let phone = server.device("B-104").await;
    let media = bytes(24 << 20, 42);
    let file = d.path().join("clip.wav");
    std::fs::write(&file, &media).unwrap();
    let rec = record(&media);
    phone.push(std::slice::from_ref(&rec)).await;

    let mut first = args(&server, &phone, &file, &media, &rec, extra);
    first.extend(["--stop-after".into(), (9 << 20).to_string()]);
    let out = tokio::task::spawn_blocking(move || client(&first).output().unwrap())
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = url_of(&out.stdout);
    let head = phone.head(&url).await;
    let offset: u64 = head.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        offset >= 9 << 20 && offset < media.len() as u64,
        "offset {offset}"
    );

    let mut second = args(&server, &phone, &file, &media, &rec, extra);
    second.extend(["--upload-url".into(), url.clone()]);
    let out = tokio::task::spawn_blocking(move || client(&second).output().unwrap())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        url_of(&out.stdout),
        url,
        "resumed the same upload, did not start another"
    );

    let stored = std::fs::read(d.path().join("server/media").join(rec.sha256.to_hex())).unwrap();
    assert!(stored == media, "stored media differs from the source");
    let pull = phone.pull(0).await;
    assert_eq!(
        pull.changes[0].change,
        Change::CaptureSynced {
            capture_id: rec.id,
            sha256: rec.sha256
        }
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tus_js_client_stops_and_resumes() {
    stop_then_resume(js_client, &["--chunk-size", "1048576"]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tuspy_stops_and_resumes_with_checksums() {
    stop_then_resume(py_client, &["--chunk-size", "1048576", "--checksum"]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tus_js_client_killed_at_a_random_moment_resumes() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(&d.path().join("server")).await;
    let phone = server.device("B-104").await;
    let media = bytes(48 << 20, 4242);
    let file = d.path().join("clip.wav");
    std::fs::write(&file, &media).unwrap();
    let rec = record(&media);
    let a = args(
        &server,
        &phone,
        &file,
        &media,
        &rec,
        &["--chunk-size", "262144"],
    );
    let (url, offset_at_kill) = tokio::task::spawn_blocking(move || {
        let mut child = js_client(&a)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let url = loop {
            let l = lines.next().expect("UPLOAD_URL line").unwrap();
            if let Some(u) = l.strip_prefix("UPLOAD_URL ") {
                break u.to_string();
            }
        };
        std::thread::sleep(Duration::from_millis(rand::random_range(50..250)));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        (url, status)
    })
    .await
    .unwrap();
    assert!(
        offset_at_kill.code().is_none(),
        "killed by a signal, not finished"
    );
    let head = phone.head(&url).await;
    let offset: u64 = head.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        offset < media.len() as u64,
        "the kill landed before the end"
    );

    let mut b = args(
        &server,
        &phone,
        &file,
        &media,
        &rec,
        &["--chunk-size", "262144"],
    );
    b.extend(["--upload-url".into(), url]);
    let out = tokio::task::spawn_blocking(move || js_client(&b).output().unwrap())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stored = std::fs::read(d.path().join("server/media").join(rec.sha256.to_hex())).unwrap();
    assert!(stored == media);
    server.stop().await;
}
