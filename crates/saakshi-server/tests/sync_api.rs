//! The sync API over real HTTP: enrolment, push, tus upload, pull, downloads.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use saakshi_domain::wire::{Change, MediaState, PushStatus};

#[tokio::test]
async fn enroll_push_upload_pull() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let media = bytes(3 << 20, 1);
    let rec = record(&media);

    let r = phone.push(std::slice::from_ref(&rec)).await;
    assert_eq!(r.results[0].status, PushStatus::Accepted);
    assert_eq!(r.results[0].media, Some(MediaState::Needed));
    assert!(phone.pull(0).await.changes.is_empty(), "nothing synced yet");

    // Half the bytes, then the server reports the upload as under way at that offset.
    let loc = phone
        .create_upload(media.len() as u64, Some(&rec.sha256), Some(&rec.id))
        .await;
    let half = media.len() / 2;
    assert_eq!(
        phone.patch(&loc, 0, media[..half].to_vec()).await.status(),
        StatusCode::NO_CONTENT
    );
    let r = phone.push(std::slice::from_ref(&rec)).await;
    assert_eq!(r.results[0].media, Some(MediaState::Uploading));
    assert_eq!(r.results[0].offset, Some(half as u64));
    assert_eq!(r.results[0].upload_url.as_deref(), Some(loc.as_str()));

    let resp = phone.patch(&loc, half as u64, media[half..].to_vec()).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        resp.headers()["upload-offset"],
        media.len().to_string().as_str()
    );
    assert_eq!(resp.headers()["tus-resumable"], "1.0.0");
    assert_eq!(resp.headers()["saakshi-protocol"], "1");

    let pull = phone.pull(0).await;
    assert_eq!(pull.changes.len(), 1);
    assert_eq!(
        pull.changes[0].change,
        Change::CaptureSynced {
            capture_id: rec.id,
            sha256: rec.sha256
        }
    );
    assert!(
        phone.pull(pull.cursor).await.changes.is_empty(),
        "the cursor moves past it"
    );
    let r = phone.push(std::slice::from_ref(&rec)).await;
    assert_eq!(r.results[0].media, Some(MediaState::Present));

    // The stored bytes are the sent bytes, and come back with Range and ETag.
    let stored = std::fs::read(d.path().join("media").join(rec.sha256.to_hex())).unwrap();
    assert!(stored == media);
    let path = format!("/api/v1/media/{}", rec.sha256.to_hex());
    let part = phone
        .req(Method::GET, &path)
        .header("Range", "bytes=10-19")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 10-19/{}", media.len()).as_str()
    );
    let etag = part.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(part.bytes().await.unwrap().as_ref(), &media[10..20]);
    let again = phone
        .req(Method::GET, &path)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let bad = phone
        .req(Method::GET, &path)
        .header("Range", "bytes=999999999-")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    server.stop().await;
}

#[tokio::test]
async fn the_same_push_three_times_makes_one_record() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let recs: Vec<_> = (0..3).map(|i| record(&bytes(1000, i))).collect();
    for _ in 0..3 {
        let r = phone.push(&recs).await;
        assert!(r.results.iter().all(|x| x.status == PushStatus::Accepted));
    }
    assert_eq!(
        server
            .state
            .db
            .list_captures(None, 100)
            .await
            .unwrap()
            .len(),
        3
    );

    // A new revision updates; an old or different one is a conflict; media cannot change.
    let mut edited = recs[0].clone();
    edited.revision = 2;
    edited.caption = "edited".into();
    assert_eq!(
        phone.push(std::slice::from_ref(&edited)).await.results[0].status,
        PushStatus::Accepted
    );
    let r = phone.push(std::slice::from_ref(&recs[0])).await;
    assert_eq!(
        (r.results[0].status, r.results[0].revision),
        (PushStatus::Conflict, Some(2))
    );
    let mut other = edited.clone();
    other.caption = "something else".into();
    assert_eq!(
        phone.push(std::slice::from_ref(&other)).await.results[0].status,
        PushStatus::Conflict
    );
    let mut swapped = edited.clone();
    swapped.revision = 3;
    swapped.sha256 = sha256(b"other bytes");
    assert_eq!(
        phone.push(std::slice::from_ref(&swapped)).await.results[0].status,
        PushStatus::Rejected
    );
    assert_eq!(
        server
            .state
            .db
            .list_captures(None, 100)
            .await
            .unwrap()
            .len(),
        3
    );

    // Another device cannot touch this device's capture.
    let thief = server.device("B-105").await;
    let r = thief.push(std::slice::from_ref(&recs[1])).await;
    assert_eq!(r.results[0].status, PushStatus::Rejected);
    server.stop().await;
}

#[tokio::test]
async fn the_same_bytes_from_two_devices_are_stored_once_and_each_must_show_it_holds_them() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let a = server.device("B-104").await;
    let b = server.device("B-201").await;
    let media = bytes(700_000, 7);
    let ra = record(&media);
    let rb = record(&media);
    a.push(std::slice::from_ref(&ra)).await;
    a.upload(&media, 256 * 1024, Some(&ra.id)).await;
    // The server holds the bytes, but b has not shown it does: it is asked to upload them
    // or answer a challenge (security_possession.rs proves one), as for unknown bytes.
    let r = b.push(std::slice::from_ref(&rb)).await;
    assert_eq!(r.results[0].media, Some(MediaState::Needed));
    assert!(r.results[0].challenge.is_some());
    // Sending them again costs no second copy.
    b.upload(&media, 1 << 20, None).await;
    let files: Vec<_> = std::fs::read_dir(d.path().join("media")).unwrap().collect();
    assert_eq!(files.len(), 1);
    assert_eq!(
        std::fs::read_dir(d.path().join("uploads")).unwrap().count(),
        0
    );
    // Both devices learn their capture is synced.
    assert_eq!(a.pull(0).await.changes.len(), 1);
    assert_eq!(b.pull(0).await.changes.len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn media_may_arrive_before_its_record() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let media = bytes(200_000, 3);
    let rec = record(&media);
    phone.upload(&media, 64 * 1024, Some(&rec.id)).await;
    assert!(phone.pull(0).await.changes.is_empty());
    let r = phone.push(std::slice::from_ref(&rec)).await;
    assert_eq!(r.results[0].media, Some(MediaState::Present));
    let pull = phone.pull(0).await;
    assert!(
        matches!(pull.changes[0].change, Change::CaptureSynced { capture_id, .. } if capture_id == rec.id)
    );
    let rows = server.state.db.list_captures(None, 10).await.unwrap();
    assert_eq!(rows[0].media, "present");
    server.stop().await;
}

#[tokio::test]
async fn revoked_devices_are_refused_and_told_at_pull() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let id = phone.id.parse().unwrap();
    assert!(server.state.db.revoke_device(id, true).await.unwrap());
    let resp = phone
        .req(Method::POST, "/api/v1/sync/captures")
        .json(&serde_json::json!({"captures": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "device_revoked");
    let pull = phone.pull(0).await;
    assert_eq!(
        pull.changes.last().unwrap().change,
        Change::Revoked { wipe: true }
    );
    server.stop().await;
}

/// A query string that does not parse is refused in the API's own error format (JSON
/// with a stable code), as the OpenAPI document says every error is, not as axum's plain
/// text.
#[tokio::test]
async fn a_query_that_does_not_parse_is_refused_as_json() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let dev = server.device("B-104").await;
    for path in [
        "/api/v1/sync/pull?cursor=-1",
        "/api/v1/sync/pull?cursor=1&unknown=2",
    ] {
        let resp = dev.req(Method::GET, path).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(resp.headers()["content-type"], "application/json", "{path}");
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body["error"]["code"], "malformed_request", "{path}");
    }
    server.stop().await;
}

/// A raw body over its route's limit (a thumbnail over 64 KiB) or CSV that is not UTF-8
/// is refused in the API's JSON error format too, not as axum's plain text.
#[tokio::test]
async fn a_raw_body_that_cannot_be_read_is_refused_as_json() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let dev = server.device("B-104").await;
    let resp = dev
        .req(
            Method::POST,
            "/api/v1/sync/thumbnails/01a216ad-d989-756d-bcd1-6d96536ca54a",
        )
        .body(vec![0xffu8; 70_000])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(resp.headers()["content-type"], "application/json");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");

    let admin = login(&server, "ada", saakshi_server::store::Role::Admin, None).await;
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/admin/areas/import", server.url))
        .header("cookie", &admin.cookie)
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "text/csv")
        .body(vec![b'U', b'P', 0xff, 0xfe, b'\n'])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(resp.headers()["content-type"], "application/json");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "malformed_request");
    server.stop().await;
}
