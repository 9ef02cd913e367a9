//! The device side of proof of possession: a push answered `needed` with a challenge is
//! answered with the windows of the local file the challenge picks, and media proven
//! that way is synced without an upload; when proving fails, the device uploads.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use saakshi_core::Home;
use saakshi_core::sync::{SyncEngine, SyncPolicy, keys};
use saakshi_domain::CaptureState;
use saakshi_domain::possession::{Challenge, answer, ranges};
use saakshi_domain::wire::{ProofRequest, PushRequest};
use saakshi_tests::harness::{Server, capture, enrolled_home, write_media};
use serde_json::{Value, json};

const CHALLENGE: Challenge = Challenge([7; 32]);

/// The answer only a holder of `bytes` can give.
fn expected(bytes: &[u8]) -> String {
    let sampled: Vec<u8> = ranges(&CHALLENGE, bytes.len() as u64)
        .into_iter()
        .flat_map(|(o, l)| bytes[o as usize..(o + l) as usize].to_vec())
        .collect();
    answer(&CHALLENGE, bytes.len() as u64, &sampled).to_hex()
}

fn saakshi(v: Value) -> Response {
    let mut r = Json(v).into_response();
    r.headers_mut()
        .insert("saakshi-protocol", HeaderValue::from_static("1"));
    r
}

#[derive(Debug, Default)]
struct Calls {
    proofs: AtomicUsize,
    proven: AtomicUsize,
    uploads: AtomicUsize,
    other: AtomicUsize,
}

/// A stand-in server that holds `bytes` and challenges every push; with `proofs` it
/// checks the answers against its own copy, without it it is an older server (404).
/// Upload creations are counted and answered 503; anything else is counted too.
async fn challenging_server(bytes: Vec<u8>, proofs: bool) -> (String, Arc<Calls>) {
    let calls = Arc::new(Calls::default());
    let now = || "2026-12-02T10:00:00Z";
    let (c1, c2, c3) = (calls.clone(), calls.clone(), calls.clone());
    let mut app = axum::Router::new()
        .route(
            "/healthz",
            axum::routing::get(|| async { saakshi(json!({"status": "ok"})) }),
        )
        .route(
            "/api/v1/sync/captures",
            axum::routing::post(move |Json(req): Json<PushRequest>| async move {
                let results: Vec<Value> = req
                    .captures
                    .iter()
                    .map(|c| {
                        json!({"id": c.id, "status": "accepted", "media": "needed",
                                    "challenge": CHALLENGE.to_string()})
                    })
                    .collect();
                saakshi(json!({"results": results, "server_time": now()}))
            }),
        )
        .route(
            saakshi_core::sync::UPLOADS_ENDPOINT,
            axum::routing::post(move || async move {
                c3.uploads.fetch_add(1, Ordering::SeqCst);
                StatusCode::SERVICE_UNAVAILABLE
            }),
        )
        .route(
            "/api/v1/sync/pull",
            axum::routing::get(move || async move {
                saakshi(json!({"changes": [], "cursor": 0, "more": false, "server_time": now()}))
            }),
        )
        .fallback(move || async move {
            c2.other.fetch_add(1, Ordering::SeqCst);
            (StatusCode::NOT_FOUND, "no such route").into_response()
        });
    if proofs {
        app = app.route(
            "/api/v1/sync/proofs",
            axum::routing::post(move |Json(req): Json<ProofRequest>| async move {
                c1.proofs.fetch_add(1, Ordering::SeqCst);
                let right = expected(&bytes);
                let results: Vec<Value> = req
                    .proofs
                    .iter()
                    .map(|p| {
                        let ok = p.challenge == CHALLENGE
                            && p.size == bytes.len() as u64
                            && p.answer.to_hex() == right;
                        if ok {
                            c1.proven.fetch_add(1, Ordering::SeqCst);
                        }
                        json!({"sha256": p.sha256, "media": if ok { "present" } else { "needed" }})
                    })
                    .collect();
                saakshi(json!({"results": results}))
            }),
        );
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, calls)
}

/// A home that believes it is enrolled with `url`, holding `file`.
fn home_with(
    dir: &std::path::Path,
    url: &str,
    file: &std::path::Path,
) -> (Arc<Home>, saakshi_core::LocalCapture) {
    let (home, _) = Home::create(&dir.join("home")).unwrap();
    home.set_setting(keys::SERVER, url).unwrap();
    home.set_setting(keys::TOKEN, "t").unwrap();
    let home = Arc::new(home);
    let c = capture(&home, file);
    (home, c)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_holder_proves_its_bytes_and_uploads_nothing() {
    let d = tempfile::tempdir().unwrap();
    // Over 1 MiB, so the answer covers sampled windows, not the whole file.
    let file = write_media(&d.path().join("rally.wav"), 3 << 20, 11);
    let (url, calls) = challenging_server(std::fs::read(&file).unwrap(), true).await;
    let (home, c) = home_with(d.path(), &url, &file);

    let report = SyncEngine::new(home.clone(), SyncPolicy::default())
        .unwrap()
        .run_until_idle(0)
        .await
        .unwrap();
    assert_eq!(report.proven, 1, "{report:?}");
    assert_eq!(report.uploaded, 0, "{report:?}");
    assert_eq!(calls.proofs.load(Ordering::SeqCst), 1, "one batch");
    assert_eq!(calls.proven.load(Ordering::SeqCst), 1, "the right windows");
    assert_eq!(calls.uploads.load(Ordering::SeqCst), 0, "no upload tried");
    assert_eq!(calls.other.load(Ordering::SeqCst), 0);
    assert_eq!(
        home.capture(&c.record.id).unwrap().state,
        CaptureState::Synced
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_proofs_route_the_device_uploads() {
    let d = tempfile::tempdir().unwrap();
    let file = write_media(&d.path().join("small.wav"), 100 << 10, 13);
    let (url, calls) = challenging_server(std::fs::read(&file).unwrap(), false).await;
    let (home, c) = home_with(d.path(), &url, &file);
    let err = SyncEngine::new(home.clone(), SyncPolicy::default())
        .unwrap()
        .pass()
        .await
        .unwrap_err();
    // The 404 of the proofs call was no error: the device went on to upload (which
    // this stand-in answers 503, so the capture waits for the next pass).
    assert!(err.is_transient(), "{err:?}");
    assert_eq!(calls.other.load(Ordering::SeqCst), 1, "the proofs call");
    assert_eq!(calls.uploads.load(Ordering::SeqCst), 1, "then the upload");
    assert_ne!(
        home.capture(&c.record.id).unwrap().state,
        CaptureState::Synced
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_device_with_the_same_photo_proves_it_to_the_real_server() {
    let d = tempfile::tempdir().unwrap();
    let server = Server::start(&d.path().join("server")).await;
    let file = write_media(&d.path().join("forwarded.wav"), 2 << 20, 12);
    let sync = |h: &Arc<Home>| {
        let h = h.clone();
        async move {
            SyncEngine::new(h, SyncPolicy::default())
                .unwrap()
                .run_until_idle(2)
                .await
                .unwrap()
        }
    };
    let first = enrolled_home(&d.path().join("first"), &server, &server.url, "B-104").await;
    capture(&first, &file);
    assert_eq!(sync(&first).await.uploaded, 1);

    // Volunteers forward the same photo to each other: the second one proves it.
    let second = enrolled_home(&d.path().join("second"), &server, &server.url, "B-105").await;
    let c = capture(&second, &file);
    let report = sync(&second).await;
    assert_eq!((report.proven, report.uploaded), (1, 0), "{report:?}");
    assert_eq!(
        second.capture(&c.record.id).unwrap().state,
        CaptureState::Synced
    );
}
