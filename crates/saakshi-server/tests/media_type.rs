//! Media is kept and served only as what its bytes are: a completed upload is sniffed
//! (the device's own sniff, from saakshi-domain), refused unless it is an allowlisted
//! photo, video or audio type, and served under the sniffed type with a sandboxing policy.

mod common;

use common::*;
use reqwest::{Client, Method, StatusCode, header};
use saakshi_domain::MediaKind;
use saakshi_domain::wire::{MediaState, PushStatus};
use saakshi_server::store::Role;

/// Number of media files and unfinished uploads on disk.
fn disk(dir: &std::path::Path) -> (usize, usize) {
    let n = |p: &str| std::fs::read_dir(dir.join(p)).map_or(0, |r| r.count());
    (n("media"), n("uploads"))
}

fn html() -> Vec<u8> {
    b"<!doctype html><html><script>fetch('/api/v1/admin/users',{method:'POST'})</script>"
        .repeat(100)
}

#[tokio::test]
async fn bytes_that_are_not_media_are_discarded_when_the_upload_completes() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec();
    for bad in [html(), svg] {
        let mut rec = record(&bad);
        rec.kind = MediaKind::Photo;
        rec.mime = "image/jpeg".into();
        assert_eq!(
            phone.push(std::slice::from_ref(&rec)).await.results[0].status,
            PushStatus::Accepted
        );
        let loc = phone
            .create_upload(bad.len() as u64, Some(&rec.sha256), Some(&rec.id))
            .await;
        // In two PATCHes: the sniff reads the file, not the last request's body.
        let half = bad.len() / 2;
        let first = phone.patch(&loc, 0, bad[..half].to_vec()).await;
        assert_eq!(first.status(), StatusCode::NO_CONTENT);
        let last = phone.patch(&loc, half as u64, bad[half..].to_vec()).await;
        assert_eq!(last.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let body: serde_json::Value = last.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_input");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("it looks like"),
            "{body}"
        );
        assert!(!server.state.db.has_media(rec.sha256).await.unwrap());
        assert_eq!(disk(d.path()), (0, 0), "bytes and upload are gone");
        assert_eq!(phone.head(&loc).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            phone.push(std::slice::from_ref(&rec)).await.results[0].media,
            Some(MediaState::Needed)
        );
    }
    server.stop().await;
}

/// The server stopped after the hash check and the move, before the media was recorded:
/// at the next look the bytes are sniffed again, so nothing skips the check.
#[tokio::test]
async fn a_stalled_upload_is_sniffed_before_it_is_stored() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    for (media, stored) in [(bytes(20_000, 3), true), (html(), false)] {
        let rec = record(&media);
        phone.push(std::slice::from_ref(&rec)).await;
        let loc = phone
            .create_upload(media.len() as u64, Some(&rec.sha256), Some(&rec.id))
            .await;
        let id = loc.rsplit('/').next().unwrap().to_string();
        std::fs::write(d.path().join("media").join(rec.sha256.to_hex()), &media).unwrap();
        std::fs::remove_file(d.path().join("uploads").join(&id)).unwrap();
        let len = media.len() as u64;
        server
            .state
            .db
            .set_upload_progress(id, len, Some(len))
            .await
            .unwrap();
        let head = phone.head(&loc).await;
        assert_eq!(head.status().is_success(), stored, "{}", head.status());
        assert_eq!(server.state.db.has_media(rec.sha256).await.unwrap(), stored);
        let mime = server.state.db.media_mime(rec.sha256).await.unwrap();
        assert_eq!(mime.as_deref(), stored.then_some("audio/wav"));
    }
    server.stop().await;
}

/// The sniffed type is stored and served; the record's word is not.
#[tokio::test]
async fn media_is_served_under_its_sniffed_type_sandboxed() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let media = bytes(30_000, 5);
    let mut rec = record(&media);
    rec.mime = "audio/mpeg".into(); // the device is wrong (or lying): it is a WAV
    phone.push(std::slice::from_ref(&rec)).await;
    phone.upload(&media, 10_000, Some(&rec.id)).await;
    assert_eq!(
        server
            .state
            .db
            .media_mime(rec.sha256)
            .await
            .unwrap()
            .as_deref(),
        Some("audio/wav")
    );
    let coord = login(&server, "lko", Role::Coordinator, Some("LKO")).await;
    let resp = Client::new()
        .get(format!(
            "{}/api/v1/media/{}",
            server.url,
            rec.sha256.to_hex()
        ))
        .header("cookie", &coord.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let h = resp.headers();
    assert_eq!(h[header::CONTENT_TYPE], "audio/wav");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        h[header::CONTENT_DISPOSITION],
        format!("inline; filename=\"{}.wav\"", rec.sha256.to_hex()).as_str()
    );
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.starts_with("default-src 'none'") && csp.ends_with("; sandbox"));

    // Media stored before types were sniffed has none: it is only ever an attachment.
    let db = rusqlite::Connection::open(d.path().join("saakshi-server.db")).unwrap();
    db.execute("UPDATE media SET mime = NULL", []).unwrap();
    let resp = Client::new()
        .get(format!(
            "{}/api/v1/media/{}",
            server.url,
            rec.sha256.to_hex()
        ))
        .header("cookie", &coord.cookie)
        .send()
        .await
        .unwrap();
    let h = resp.headers();
    assert_eq!(h[header::CONTENT_TYPE], "application/octet-stream");
    assert_eq!(
        h[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"{}.bin\"", rec.sha256.to_hex()).as_str()
    );
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    server.stop().await;
}

/// Once the bytes are held, a record claiming another kind for them is refused.
#[tokio::test]
async fn a_record_of_another_kind_than_the_stored_bytes_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let media = bytes(20_000, 8);
    let rec = record(&media);
    phone.push(std::slice::from_ref(&rec)).await;
    phone.upload(&media, 20_000, Some(&rec.id)).await;

    let mut photo = record(&media);
    photo.kind = MediaKind::Photo;
    photo.mime = "image/jpeg".into();
    let r = &phone.push(std::slice::from_ref(&photo)).await.results[0];
    assert_eq!(r.status, PushStatus::Rejected);
    assert_eq!(
        r.message.as_deref(),
        Some("this record says photo, but its media is audio")
    );
    // The same kind is fine.
    let again = record(&media);
    let r = &phone.push(std::slice::from_ref(&again)).await.results[0];
    assert_eq!(r.status, PushStatus::Accepted);
    server.stop().await;
}

/// Every answer carries nosniff and a policy; JSON can never be rendered as a page.
#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let http = Client::new();
    for resp in [
        http.get(format!("{}/healthz", server.url))
            .send()
            .await
            .unwrap(),
        http.get(format!("{}/api/v1/auth/me", server.url))
            .send()
            .await
            .unwrap(),
        phone
            .req(Method::GET, "/api/v1/sync/pull?cursor=0")
            .send()
            .await
            .unwrap(),
        phone
            .req(Method::OPTIONS, "/api/v1/uploads/")
            .send()
            .await
            .unwrap(),
    ] {
        let h = resp.headers();
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer");
        assert_eq!(
            h[header::CONTENT_SECURITY_POLICY],
            "default-src 'none'; frame-ancestors 'none'"
        );
    }
    let page = http.get(format!("{}/", server.url)).send().await.unwrap();
    let csp = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    // Settings::for_dir turns tiles off: no outside image source at all.
    assert!(csp.contains("img-src 'self' data: blob:;"), "{csp}");
    server.stop().await;
}
