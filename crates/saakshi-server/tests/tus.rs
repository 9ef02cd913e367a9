//! tus 1.0 behaviour over real sockets: restarts, expiry, takeover of a stuck request,
//! checksums, and every kind of bad request answered with a 4xx that changes nothing.

mod common;

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use reqwest::{Method, StatusCode};
use saakshi_server::config::Settings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Number of media files and unfinished uploads on disk.
fn disk(dir: &std::path::Path) -> (usize, usize) {
    let n = |p: &str| std::fs::read_dir(dir.join(p)).map_or(0, |r| r.count());
    (n("media"), n("uploads"))
}

#[tokio::test]
async fn options_advertise_the_extensions() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let resp = reqwest::Client::new()
        .request(Method::OPTIONS, format!("{}/api/v1/uploads/", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let ext = resp.headers()["tus-extension"].to_str().unwrap();
    for e in [
        "creation",
        "creation-with-upload",
        "creation-defer-length",
        "termination",
        "expiration",
        "checksum",
    ] {
        assert!(ext.split(',').any(|x| x == e), "{e} missing from {ext}");
    }
    assert_eq!(resp.headers()["tus-checksum-algorithm"], "sha1,sha256");
    assert_eq!(
        resp.headers()["tus-max-size"],
        (4u64 << 30).to_string().as_str()
    );
    server.stop().await;
}

#[tokio::test]
async fn the_server_restarted_mid_upload_and_the_upload_resumed() {
    let d = tempfile::tempdir().unwrap();
    let media = bytes(5 << 20, 11);
    let rec = record(&media);
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    phone.push(std::slice::from_ref(&rec)).await;
    let loc = phone
        .create_upload(media.len() as u64, Some(&rec.sha256), Some(&rec.id))
        .await;
    let cut = 2 * 1024 * 1024 + 12345;
    assert_eq!(
        phone.patch(&loc, 0, media[..cut].to_vec()).await.status(),
        StatusCode::NO_CONTENT
    );
    server.stop().await;

    // A new process: no memory of the upload but what is on disk and in the database.
    let server = TestServer::start(d.path()).await;
    let phone = TestDevice {
        url: server.url.clone(),
        ..phone
    };
    let head = phone.head(&loc).await;
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["upload-offset"], cut.to_string().as_str());
    assert_eq!(
        head.headers()["upload-length"],
        media.len().to_string().as_str()
    );
    assert_eq!(head.headers()["cache-control"], "no-store");
    let r = phone.patch(&loc, cut as u64, media[cut..].to_vec()).await;
    assert_eq!(
        r.status(),
        StatusCode::NO_CONTENT,
        "{}",
        r.text().await.unwrap()
    );
    assert!(std::fs::read(d.path().join("media").join(rec.sha256.to_hex())).unwrap() == media);
    assert_eq!(phone.pull(0).await.changes.len(), 1);
    // The finished upload still answers HEAD (a client resuming it learns it is done).
    let head = phone.head(&loc).await;
    assert_eq!(
        head.headers()["upload-offset"],
        media.len().to_string().as_str()
    );
    server.stop().await;
}

/// The state a server stopped (or a request handler dropped) in between leaves: every
/// byte in and its offset saved, the media not yet stored. `moved` says whether the bytes
/// already reached their content address.
async fn stalled_upload(
    server: &TestServer,
    phone: &TestDevice,
    media: &[u8],
    moved: bool,
) -> String {
    let rec = record(media);
    phone.push(std::slice::from_ref(&rec)).await;
    let loc = phone
        .create_upload(media.len() as u64, Some(&rec.sha256), Some(&rec.id))
        .await;
    let id = loc.rsplit('/').next().unwrap().to_string();
    let dest = if moved {
        server.dir.join("media").join(rec.sha256.to_hex())
    } else {
        server.dir.join("uploads").join(&id)
    };
    std::fs::write(&dest, media).unwrap();
    if moved {
        std::fs::remove_file(server.dir.join("uploads").join(&id)).unwrap();
    }
    let len = media.len() as u64;
    server
        .state
        .db
        .set_upload_progress(id, len, Some(len))
        .await
        .unwrap();
    assert!(!server.state.db.has_media(rec.sha256).await.unwrap());
    loc
}

#[tokio::test]
async fn a_complete_but_unstored_upload_is_stored_before_head_answers() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    for (seed, moved) in [(21, false), (22, true)] {
        let media = bytes(300_000, seed);
        let loc = stalled_upload(&server, &phone, &media, moved).await;
        // "Offset = length" tells a client it is done, so it must be true when said.
        let head = phone.head(&loc).await;
        assert_eq!(head.status(), StatusCode::OK);
        assert_eq!(head.headers()["upload-offset"], "300000");
        assert!(server.state.db.has_media(sha256(&media)).await.unwrap());
        let stored = std::fs::read(d.path().join("media").join(sha256(&media).to_hex()));
        assert!(stored.unwrap() == media, "moved: {moved}");
        let synced = phone.pull(0).await.changes;
        assert_eq!(
            synced.len(),
            1 + usize::from(moved),
            "one CaptureSynced each"
        );
    }
    // Bytes that do not hash to the declared sha256: discarded, and the client is told
    // to start again rather than that they are stored.
    let media = bytes(300_000, 23);
    let loc = stalled_upload(&server, &phone, &media, false).await;
    let id = loc.rsplit('/').next().unwrap();
    std::fs::write(d.path().join("uploads").join(id), bytes(300_000, 24)).unwrap();
    assert_eq!(phone.head(&loc).await.status(), StatusCode::NOT_FOUND);
    assert!(!server.state.db.has_media(sha256(&media)).await.unwrap());
    assert_eq!(disk(d.path()).1, 0, "the bad bytes are gone");
    server.stop().await;
}

#[tokio::test]
async fn a_complete_but_unstored_upload_is_stored_at_start_up() {
    let d = tempfile::tempdir().unwrap();
    let media = bytes(200_000, 31);
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    stalled_upload(&server, &phone, &media, false).await;
    server.stop().await;
    let server = TestServer::start(d.path()).await;
    // No request needed: serving begins by storing it.
    let t = Instant::now();
    while !server.state.db.has_media(sha256(&media)).await.unwrap() {
        assert!(t.elapsed() < Duration::from_secs(5), "never stored");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(disk(d.path()), (1, 0));
    server.stop().await;
}

#[tokio::test]
async fn expired_uploads_are_removed() {
    let d = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_dir(d.path());
    // The sweeper runs every quarter of this: never during the test.
    settings.upload_expiry = Duration::from_secs(3600);
    let server = TestServer::start_with(settings).await;
    let phone = server.device("B-104").await;
    let loc = phone.create_upload(1000, None, None).await;
    assert_eq!(
        phone.patch(&loc, 0, vec![1; 400]).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(disk(d.path()), (0, 1));
    // A minute before expiry it is still there; at expiry it is gone, until swept.
    server.state.clock.advance(Duration::from_secs(3540));
    assert_eq!(phone.head(&loc).await.status(), StatusCode::OK);
    assert_eq!(
        saakshi_server::tus::sweep_expired(&server.state)
            .await
            .unwrap(),
        0
    );
    server.state.clock.advance(Duration::from_secs(60));
    assert_eq!(phone.head(&loc).await.status(), StatusCode::GONE);
    assert_eq!(disk(d.path()), (0, 1));
    assert_eq!(
        saakshi_server::tus::sweep_expired(&server.state)
            .await
            .unwrap(),
        1
    );
    assert_eq!(disk(d.path()), (0, 0));
    assert_eq!(phone.head(&loc).await.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn a_new_request_takes_over_from_one_stuck_on_a_dead_connection() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let media = bytes(1 << 20, 5);
    let loc = phone
        .create_upload(media.len() as u64, Some(&sha256(&media)), None)
        .await;
    let sent = 300_000;
    let _stuck = hanging_patch(&phone, &loc, &media[..sent], media.len()).await;

    // The stuck request is told to stop and let go (a holder that does not let go within
    // the takeover wait would make this 409), and what it received is kept.
    let head = phone.head(&loc).await;
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(
        head.headers()["upload-offset"],
        sent.to_string().as_str(),
        "bytes of the stuck request are kept"
    );
    let r = phone.patch(&loc, sent as u64, media[sent..].to_vec()).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(std::fs::read(d.path().join("media").join(sha256(&media).to_hex())).unwrap() == media);
    server.stop().await;
}

#[tokio::test]
async fn shutdown_keeps_the_bytes_of_uploads_in_flight() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let media = bytes(600_000, 6);
    let loc = phone.create_upload(media.len() as u64, None, None).await;
    let mut stuck = hanging_patch(&phone, &loc, &media[..250_000], media.len()).await;
    server.stop().await;
    // The stuck request was answered before the server went away.
    let mut answer = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), stuck.read_to_string(&mut answer)).await;
    assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");
    let server = TestServer::start(d.path()).await;
    let phone = TestDevice {
        url: server.url.clone(),
        ..phone
    };
    assert_eq!(phone.head(&loc).await.headers()["upload-offset"], "250000");
    server.stop().await;
}

#[tokio::test]
async fn deferred_length_creation_with_upload_checksums_and_termination() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let media = bytes(100_000, 9);

    // creation-with-upload + creation-defer-length.
    let resp = phone
        .req(Method::POST, "/api/v1/uploads")
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Defer-Length", "1")
        .header("Content-Type", "application/offset+octet-stream")
        .body(media[..40_000].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(resp.headers()["upload-offset"], "40000");
    let loc = resp.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(phone.head(&loc).await.headers()["upload-defer-length"], "1");

    // A checksum that does not match: 460, and nothing of that request is kept.
    let bad = phone
        .req(Method::PATCH, &loc)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", "40000")
        .header("Content-Type", "application/offset+octet-stream")
        .header(
            "Upload-Checksum",
            format!("sha1 {}", STANDARD.encode([0u8; 20])),
        )
        .body(media[40_000..60_000].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 460);
    assert_eq!(phone.head(&loc).await.headers()["upload-offset"], "40000");

    // The right sha256 checksum, and the length given late.
    let digest = sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(
        &media[40_000..],
    ));
    let ok = phone
        .req(Method::PATCH, &loc)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", "40000")
        .header("Upload-Length", media.len().to_string())
        .header("Content-Type", "application/offset+octet-stream")
        .header(
            "Upload-Checksum",
            format!("sha256 {}", STANDARD.encode(digest)),
        )
        .body(media[40_000..].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    assert_eq!(disk(d.path()), (1, 0));

    // Termination.
    let loc = phone.create_upload(5000, None, None).await;
    phone.patch(&loc, 0, vec![3; 100]).await;
    let del = phone
        .req(Method::DELETE, &loc)
        .header("Tus-Resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), StatusCode::NO_CONTENT);
    assert_eq!(phone.head(&loc).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(disk(d.path()), (1, 0));
    server.stop().await;
}

#[tokio::test]
async fn a_declared_sha256_that_does_not_match_discards_the_upload() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let media = bytes(50_000, 1);
    let wrong = sha256(b"something else");
    let loc = phone
        .create_upload(media.len() as u64, Some(&wrong), None)
        .await;
    let r = phone.patch(&loc, 0, media.clone()).await;
    assert_eq!(r.status().as_u16(), 460);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "checksum_mismatch");
    assert_eq!(disk(d.path()), (0, 0));
    assert_eq!(phone.head(&loc).await.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

/// Asserts a 4xx with the error JSON, and no change on disk or in captures.
async fn refused(server: &TestServer, resp: reqwest::Response, status: u16, code: &str) {
    assert_eq!(resp.status().as_u16(), status, "expected {status} {code}");
    assert_eq!(
        server
            .state
            .db
            .list_captures(None, 100)
            .await
            .unwrap()
            .len(),
        0
    );
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(
        server
            .state
            .db
            .list_captures(None, 100)
            .await
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn bad_requests_get_their_4xx_and_change_nothing() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let other = server.device("B-105").await;
    let post_json = |body: &'static str| {
        phone
            .req(Method::POST, "/api/v1/sync/captures")
            .header("content-type", "application/json")
            .body(body)
    };
    refused(
        &server,
        post_json("{not json").send().await.unwrap(),
        400,
        "malformed_request",
    )
    .await;
    refused(
        &server,
        post_json(r#"{"captures": "many"}"#).send().await.unwrap(),
        400,
        "malformed_request",
    )
    .await;
    refused(
        &server,
        post_json(r#"{"captures": [], "extra": 1}"#)
            .send()
            .await
            .unwrap(),
        400,
        "malformed_request",
    )
    .await;
    let mut rec = record(b"x");
    rec.location = Some(saakshi_domain::Location {
        lat: 200.0,
        lon: 0.0,
        accuracy_m: None,
        altitude_m: None,
        source: saakshi_domain::LocationSource::Gps,
        fix_time: None,
    });
    let r = phone.push(std::slice::from_ref(&rec)).await;
    assert_eq!(
        r.results[0].status,
        saakshi_domain::wire::PushStatus::Rejected
    );
    assert!(
        r.results[0]
            .message
            .as_deref()
            .unwrap()
            .contains("latitude 200")
    );
    let too_many: Vec<_> = (0..501).map(|i| record(&bytes(10, i))).collect();
    let resp = phone
        .req(Method::POST, "/api/v1/sync/captures")
        .json(&serde_json::json!({"captures": too_many}))
        .send()
        .await
        .unwrap();
    refused(&server, resp, 413, "payload_too_large").await;

    // tus.
    refused(
        &server,
        phone.create_upload_raw(5 << 30, "").await,
        413,
        "payload_too_large",
    )
    .await;
    refused(
        &server,
        phone.create_upload_raw(10, "filename !!!notbase64").await,
        400,
        "invalid_input",
    )
    .await;
    refused(
        &server,
        phone
            .create_upload_raw(10, &format!("sha256 {}", STANDARD.encode("xyz")))
            .await,
        400,
        "invalid_input",
    )
    .await;
    refused(
        &server,
        phone.create_upload_raw(10, &"k a,".repeat(2000)).await,
        400,
        "invalid_input",
    )
    .await;
    let no_version = phone
        .req(Method::POST, "/api/v1/uploads/")
        .header("Upload-Length", "5")
        .send()
        .await
        .unwrap();
    refused(&server, no_version, 412, "unsupported_protocol").await;
    let loc = phone.create_upload(10, None, None).await;
    refused(
        &server,
        phone.patch(&loc, 3, vec![1, 2]).await,
        409,
        "offset_mismatch",
    )
    .await;
    refused(
        &server,
        phone.patch(&loc, 0, vec![0; 11]).await,
        413,
        "payload_too_large",
    )
    .await;
    let wrong_type = phone
        .req(Method::PATCH, &loc)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", "0")
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    refused(&server, wrong_type, 415, "malformed_request").await;
    refused(
        &server,
        other.patch(&loc, 0, vec![1]).await,
        403,
        "forbidden",
    )
    .await;
    // An answer to HEAD has no body: the status says it all.
    assert_eq!(other.head(&loc).await.status(), StatusCode::FORBIDDEN);
    let anon = reqwest::Client::new()
        .request(Method::HEAD, format!("{}{loc}", server.url))
        .header("Tus-Resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status(), StatusCode::UNAUTHORIZED);
    let forged = TestDevice {
        token: "sd1_forged".into(),
        url: phone.url.clone(),
        id: String::new(),
        http: reqwest::Client::new(),
    };
    refused(
        &server,
        forged.patch(&loc, 0, vec![1]).await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(
        phone.head(&loc).await.headers()["upload-offset"],
        "0",
        "nothing was written"
    );

    // Paths built from user input.
    let raw = |path: &str| {
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nTus-Resumable: 1.0.0\r\nConnection: close\r\n\r\n",
            phone.token
        );
        let addr = server.url.trim_start_matches("http://").to_string();
        async move {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            s.write_all(req.as_bytes()).await.unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).await.unwrap();
            out
        }
    };
    assert!(
        raw("/api/v1/media/..%2F..%2Fsaakshi-server.db")
            .await
            .starts_with("HTTP/1.1 400")
    );
    assert!(
        raw("/api/v1/media/../saakshi-server.db")
            .await
            .starts_with("HTTP/1.1 4")
    );
    let resp = phone
        .req(Method::HEAD, "/api/v1/uploads/..%2F..%2Fsaakshi-server.db")
        .header("Tus-Resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);

    // An oversized header is refused by the HTTP layer before any handler runs.
    let huge = "a".repeat(512 * 1024);
    let resp = phone
        .req(Method::GET, "/api/v1/sync/pull")
        .header("X-Huge", huge)
        .send()
        .await;
    assert!(resp.is_err() || resp.unwrap().status().is_client_error());

    // A revoked device.
    server
        .state
        .db
        .revoke_device(phone.id.parse().unwrap(), false)
        .await
        .unwrap();
    refused(
        &server,
        phone.patch(&loc, 0, vec![1]).await,
        403,
        "device_revoked",
    )
    .await;
    server.stop().await;
}
