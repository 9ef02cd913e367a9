//! This device against answers it cannot fully read, from a stand-in server on a
//! loopback port (raw HTTP, so the test needs nothing beyond the core's own crates; the
//! end-to-end version through the real server is tests/tests/wire_evolution.rs).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use saakshi_core::sync::{SyncEngine, SyncError, SyncPolicy, keys};
use saakshi_core::{Home, ImportRequest};
use saakshi_domain::CaptureState;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

/// Answers per `METHOD /path` (query ignored): content type, whether to carry
/// `Saakshi-Protocol`, and the body. Counts what it was asked.
#[derive(Clone, Default)]
struct Stub {
    routes: HashMap<String, (&'static str, bool, String)>,
    asked: Arc<Mutex<Vec<String>>>,
}

impl Stub {
    fn on(mut self, route: &str, ct: &'static str, saakshi: bool, body: impl Into<String>) -> Self {
        self.routes
            .insert(route.to_string(), (ct, saakshi, body.into()));
        self
    }

    fn count(&self, route: &str) -> usize {
        self.asked
            .lock()
            .unwrap()
            .iter()
            .filter(|r| *r == route)
            .count()
    }

    async fn serve(self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                let stub = self.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    let head_end = loop {
                        let n = conn.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                    let len: usize = head
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse().ok())?
                        })
                        .unwrap_or(0);
                    while buf.len() < head_end + len {
                        let n = conn.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    let mut first = head.lines().next().unwrap_or("").split(' ');
                    let method = first.next().unwrap_or("");
                    let path = first.next().unwrap_or("").split('?').next().unwrap_or("");
                    let route = format!("{method} {path}");
                    stub.asked.lock().unwrap().push(route.clone());
                    let answer = match stub.routes.get(&route) {
                        Some((ct, saakshi, body)) => format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: {ct}\r\n{}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                            if *saakshi { "saakshi-protocol: 1\r\n" } else { "" },
                            body.len()
                        ),
                        None => "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                            .to_string(),
                    };
                    let _ = conn.write_all(answer.as_bytes()).await;
                    let _ = conn.shutdown().await;
                });
            }
        });
        url
    }
}

const JSON: &str = "application/json";

/// A home that believes it is enrolled with `url`, holding one capture.
fn home_with_capture(dir: &std::path::Path, url: &str) -> (Arc<Home>, saakshi_domain::CaptureId) {
    let (home, _) = Home::create(&dir.join("home")).unwrap();
    home.set_setting(keys::SERVER, url).unwrap();
    home.set_setting(keys::TOKEN, "t").unwrap();
    let file = dir.join("clip.wav");
    let mut bytes = b"RIFF\x24\0\0\0WAVEfmt ".to_vec();
    bytes.extend((0..8192u32).map(|i| (i * 13) as u8));
    std::fs::write(&file, bytes).unwrap();
    let out = home
        .import_file(&file, &ImportRequest::default(), &mut |_| {})
        .unwrap();
    let id = out.capture().record.id;
    (Arc::new(home), id)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_answer_from_saakshi_asks_for_an_update_and_is_not_retried() {
    let d = tempfile::tempdir().unwrap();
    let stub = Stub::default()
        .on("GET /healthz", JSON, true, r#"{"status":"ok"}"#)
        .on(
            "POST /api/v1/sync/captures",
            JSON,
            true,
            r#"{"results":"in a later version this is a map"}"#,
        );
    let url = stub.clone().serve().await;
    let (home, id) = home_with_capture(d.path(), &url);
    let engine = SyncEngine::new(home.clone(), SyncPolicy::default()).unwrap();

    let err = engine.run_until_idle(6).await.unwrap_err();
    assert!(matches!(err, SyncError::UpdateRequired(_)), "{err:?}");
    assert!(err.to_string().contains("update the app"), "{err}");
    assert_eq!(stub.count("POST /api/v1/sync/captures"), 1, "no retry");

    // The watching loop stops as well, instead of asking again and again.
    let stopped = tokio::time::timeout(
        Duration::from_secs(30),
        engine.watch(CancellationToken::new(), Duration::from_millis(10)),
    )
    .await
    .expect("watch stops by itself");
    assert!(matches!(stopped, Err(SyncError::UpdateRequired(_))));
    assert_eq!(stub.count("POST /api/v1/sync/captures"), 2);
    // The capture waits, untouched, for the updated app.
    assert_eq!(home.capture(&id).unwrap().state, CaptureState::Captured);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_from_something_else_on_the_network_is_worth_a_retry() {
    // A Wi-Fi sign-in page answers 200 with HTML, and without Saakshi-Protocol.
    let d = tempfile::tempdir().unwrap();
    let stub = Stub::default()
        .on("GET /healthz", "text/html", false, "<html>Sign in</html>")
        .on(
            "POST /api/v1/sync/captures",
            "text/html",
            false,
            "<html>Sign in</html>",
        );
    let url = stub.clone().serve().await;
    let (home, _) = home_with_capture(d.path(), &url);
    let err = SyncEngine::new(home, SyncPolicy::default())
        .unwrap()
        .pass()
        .await
        .unwrap_err();
    assert!(err.is_transient(), "{err:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_changes_are_skipped_and_counted_known_ones_applied() {
    let d = tempfile::tempdir().unwrap();
    let (home, id) = home_with_capture(&d.path().join("x"), "http://127.0.0.1:9");
    let pull = format!(
        r#"{{"changes":[
            {{"seq":1,"at":"2026-12-02T10:00:00Z","change":{{"kind":"poll","question":"?"}},"shard":1}},
            {{"seq":2,"at":"2026-12-02T10:00:00Z","change":{{"kind":"review","capture_id":"{id}",
               "verdict":"approved","note":"ok","by":"lucknow"}}}},
            {{"seq":3,"at":"2026-12-02T10:00:00Z","change":{{"kind":"broadcast"}}}}
        ],"cursor":3,"more":false,"server_time":"2026-12-02T10:00:00Z","extra":[1]}}"#
    );
    let push = format!(
        r#"{{"results":[{{"id":"{id}","status":"accepted","media":"present","tier":"gold"}}],
            "server_time":"2026-12-02T10:00:00Z","notice":"new version"}}"#
    );
    let stub = Stub::default()
        .on("GET /healthz", JSON, true, r#"{"status":"ok"}"#)
        .on("POST /api/v1/sync/captures", JSON, true, push)
        .on("GET /api/v1/sync/pull", JSON, true, pull);
    let url = stub.clone().serve().await;
    home.set_setting(keys::SERVER, &url).unwrap();
    let report = SyncEngine::new(home.clone(), SyncPolicy::default())
        .unwrap()
        .run_until_idle(0)
        .await
        .unwrap();
    assert_eq!(report.pulled, 3);
    assert_eq!(report.unknown_changes, 2, "{report:?}");
    assert_eq!(home.status().unwrap().unknown_changes, 2);
    let c = home.capture(&id).unwrap();
    assert_eq!(c.state, CaptureState::Synced);
    assert_eq!(c.review, "approved");
}
