//! Issue 10, finding 1, replayed from the attacker's side against the real server binary:
//! a volunteer with a valid invite pushes script dressed as a photo (HTML, SVG, a JPEG
//! with HTML inside) hoping a reviewer opens it in the dashboard's origin. Each attempt
//! must now be refused, or served only as inert, sandboxed media.

use reqwest::{Method, StatusCode, header};
use saakshi_domain::MediaKind;
use saakshi_domain::wire::{MediaState, PushStatus};
use saakshi_tests::blackbox::{BlackBox, Device, Session, jpeg};

const SCRIPT: &str = "<script>fetch('/api/v1/admin/users',{method:'POST',\
    headers:{'content-type':'application/json'},body:JSON.stringify({name:'evil',role:'admin'})})\
    </script>";

fn html() -> Vec<u8> {
    format!("<!DOCTYPE html><html><body><h1>Rally photo</h1>{SCRIPT}</body></html>").into_bytes()
}

fn svg() -> Vec<u8> {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" \
         onload=\"alert(1)\">{SCRIPT}</svg>"
    )
    .into_bytes()
}

/// A real JPEG (any viewer shows it) with an HTML document after its end: what a
/// browser that sniffs might run as a page.
fn polyglot() -> Vec<u8> {
    let mut b = jpeg(42);
    b.extend_from_slice(html().as_slice());
    b
}

fn header(resp: &reqwest::Response, name: header::HeaderName) -> &str {
    resp.headers()
        .get(&name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .to_str()
        .expect("ASCII header")
}

/// The media headers that make a download inert whatever its bytes hide.
fn assert_inert(resp: &reqwest::Response, mime: &str) {
    assert_eq!(header(resp, header::CONTENT_TYPE), mime);
    assert_eq!(header(resp, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    let csp = header(resp, header::CONTENT_SECURITY_POLICY);
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(csp.split(';').any(|d| d.trim() == "sandbox"), "{csp}");
    assert!(!csp.contains("script"), "{csp}");
}

async fn world() -> (BlackBox, Device, Session) {
    let bb = BlackBox::start().await;
    let phone = bb.enroll("B-104").await;
    let reviewer = bb.admin_session().await;
    (bb, phone, reviewer)
}

/// The push is refused on the `mime` field, and nothing is stored for it.
async fn push_is_refused(phone: &Device, kind: MediaKind, mime: &str, bytes: &[u8]) {
    let rec = phone.record(bytes, kind, mime);
    let pushed = phone.push(std::slice::from_ref(&rec)).await;
    let r = &pushed.results[0];
    assert_eq!(r.status, PushStatus::Rejected, "{kind:?} {mime}: {r:?}");
    let message = r.message.as_deref().unwrap_or_default();
    assert!(
        message.contains(mime),
        "the refusal names the type: {message}"
    );
}

#[tokio::test]
async fn a_photo_declared_as_html_or_svg_is_refused_at_push() {
    let (_bb, phone, _) = world().await;
    push_is_refused(&phone, MediaKind::Photo, "text/html", &html()).await;
    push_is_refused(&phone, MediaKind::Photo, "image/svg+xml", &svg()).await;
    push_is_refused(&phone, MediaKind::Photo, "application/xhtml+xml", &html()).await;
    // Media types of the wrong kind too: a "photo" is never served as a video.
    push_is_refused(&phone, MediaKind::Photo, "video/mp4", &jpeg(1)).await;
    push_is_refused(&phone, MediaKind::Note, "text/html", &html()).await;
}

/// The bytes decide, not the record: HTML and SVG declared as a JPEG photo pass the push
/// (the record itself is well formed) but the upload is discarded when it completes,
/// and nothing can be downloaded.
#[tokio::test]
async fn html_and_svg_bytes_declared_as_a_jpeg_are_discarded_when_the_upload_completes() {
    let (_bb, phone, reviewer) = world().await;
    for bytes in [html(), svg(), b"\xEF\xBB\xBF<svg onload=alert(1)>".to_vec()] {
        let rec = phone.record(&bytes, MediaKind::Photo, "image/jpeg");
        let pushed = phone.push(std::slice::from_ref(&rec)).await;
        assert_eq!(pushed.results[0].status, PushStatus::Accepted);
        let done = phone.upload(&rec, &bytes).await;
        assert_eq!(done.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let body: serde_json::Value = done.json().await.unwrap();
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("not a photo, video or audio") && message.contains("discarded"),
            "{message}"
        );

        let path = format!("/api/v1/media/{}", rec.sha256.to_hex());
        assert_eq!(reviewer.get(&path).await.status(), StatusCode::NOT_FOUND);
        let own = phone.req(Method::GET, &path).send().await.unwrap();
        assert_eq!(own.status(), StatusCode::NOT_FOUND);
        // Pushed again, the server still asks for the bytes: nothing was kept.
        let again = phone.push(std::slice::from_ref(&rec)).await;
        assert_eq!(again.results[0].media, Some(MediaState::Needed));
    }
}

/// A JPEG with a page inside is a JPEG: it is served as one, sniffed by the server (not
/// as the record declared it), with `nosniff` and a sandboxing policy, to the reviewer
/// and to the device alike.
#[tokio::test]
async fn a_polyglot_jpeg_is_only_ever_served_as_an_inert_image() {
    let (_bb, phone, reviewer) = world().await;
    let bytes = polyglot();
    // The device says PNG; the server believes the bytes.
    let rec = phone.record(&bytes, MediaKind::Photo, "image/png");
    phone.capture(&rec, &bytes).await;

    let path = format!("/api/v1/media/{}", rec.sha256.to_hex());
    let resp = reviewer.get(&path).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_inert(&resp, "image/jpeg");
    assert_eq!(
        header(&resp, header::CONTENT_DISPOSITION),
        format!("inline; filename=\"{}.jpg\"", rec.sha256.to_hex())
    );
    assert_eq!(resp.bytes().await.unwrap().as_ref(), bytes.as_slice());

    // A range, as a player asks for one, and a revalidation keep the same policy.
    let part = reviewer
        .req(Method::GET, &path)
        .header(header::RANGE, "bytes=0-9")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_inert(&part, "image/jpeg");
    let cached = reviewer
        .req(Method::GET, &path)
        .header(
            header::IF_NONE_MATCH,
            format!("\"{}\"", rec.sha256.to_hex()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    assert!(header(&cached, header::CONTENT_SECURITY_POLICY).contains("sandbox"));

    let own = phone.req(Method::GET, &path).send().await.unwrap();
    assert_eq!(own.status(), StatusCode::OK);
    assert_inert(&own, "image/jpeg");
}

/// Bytes the server holds are what they sniffed as: another record over them, of another
/// kind, is refused, so that the dashboard never picks a player the bytes do not fit.
#[tokio::test]
async fn a_record_whose_kind_differs_from_the_stored_bytes_is_refused() {
    let (_bb, phone, _) = world().await;
    let bytes = jpeg(7);
    let photo = phone.record(&bytes, MediaKind::Photo, "image/jpeg");
    phone.capture(&photo, &bytes).await;

    let as_audio = phone.record(&bytes, MediaKind::Audio, "audio/mpeg");
    let pushed = phone.push(std::slice::from_ref(&as_audio)).await;
    let r = &pushed.results[0];
    assert_eq!(r.status, PushStatus::Rejected, "{r:?}");
    assert!(
        r.message
            .as_deref()
            .is_some_and(|m| m.contains("says audio") && m.contains("is photo")),
        "{r:?}"
    );
}

/// Kits carry the sniffed type to the field app, whatever the record said.
#[tokio::test]
async fn kit_items_carry_the_sniffed_type() {
    let (_bb, phone, reviewer) = world().await;
    let bytes = jpeg(9);
    let rec = phone.record(&bytes, MediaKind::Photo, "image/webp");
    phone.capture(&rec, &bytes).await;
    let reviewed = reviewer
        .post(
            &format!("/api/v1/review/captures/{}/review", rec.id),
            &serde_json::json!({"verdict": "approved"}),
        )
        .await;
    assert!(reviewed.status().is_success(), "{}", reviewed.status());
    let kit = reviewer
        .post(
            "/api/v1/kits",
            &serde_json::json!({
                "title_en": "Rally",
                "capture_ids": [rec.id],
                "area_codes": ["B-104"],
            }),
        )
        .await;
    assert_eq!(kit.status(), StatusCode::CREATED);
    let kit: serde_json::Value = kit.json().await.unwrap();
    assert_eq!(kit["items"][0]["mime"], "image/jpeg");
}

/// The dashboard's page runs only the server's own scripts, cannot be framed and leaks no
/// referrer; JSON answers can never be rendered as a page.
#[tokio::test]
async fn the_dashboard_and_the_api_carry_a_strict_policy() {
    let (bb, _, reviewer) = world().await;
    let page = bb.anonymous(Method::GET, "/").send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(header(&page, header::CONTENT_TYPE).starts_with("text/html"));
    let csp = header(&page, header::CONTENT_SECURITY_POLICY).to_string();
    let directive = |name: &str| -> String {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.split(' ').next() == Some(name))
            .unwrap_or_else(|| panic!("{name} missing from {csp}"))
            .to_string()
    };
    assert_eq!(directive("script-src"), "script-src 'self'");
    assert_eq!(directive("default-src"), "default-src 'none'");
    assert_eq!(directive("frame-ancestors"), "frame-ancestors 'none'");
    assert_eq!(directive("base-uri"), "base-uri 'none'");
    assert_eq!(directive("object-src"), "object-src 'none'");
    assert_eq!(directive("connect-src"), "connect-src 'self'");
    assert_eq!(directive("form-action"), "form-action 'self'");
    // The default tile server, and nothing else, beside the page's own images.
    assert_eq!(
        directive("img-src"),
        "img-src 'self' data: blob: https://tile.openstreetmap.org"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    assert_eq!(header(&page, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(header(&page, header::REFERRER_POLICY), "no-referrer");
    assert_eq!(header(&page, header::X_FRAME_OPTIONS), "DENY");

    for resp in [
        reviewer.get("/api/v1/auth/me").await,
        reviewer.get("/api/v1/review/captures").await,
        bb.anonymous(Method::GET, "/api/v1/auth/me")
            .send()
            .await
            .unwrap(),
        bb.anonymous(Method::GET, "/no/such/page")
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(header(&resp, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(
            header(&resp, header::CONTENT_SECURITY_POLICY),
            "default-src 'none'; frame-ancestors 'none'"
        );
        assert_eq!(header(&resp, header::REFERRER_POLICY), "no-referrer");
    }
}

/// A configured tile server is the one outside origin the page may load images from;
/// with tiles turned off there is none.
#[tokio::test]
async fn the_dashboard_policy_names_the_configured_tiles_only() {
    let bb =
        BlackBox::start_with("map_tiles = \"https://{s}.tiles.example.org/{z}/{x}/{y}.png\"\n")
            .await;
    let page = bb.anonymous(Method::GET, "/").send().await.unwrap();
    let csp = header(&page, header::CONTENT_SECURITY_POLICY);
    assert!(
        csp.contains("img-src 'self' data: blob: https://*.tiles.example.org;"),
        "{csp}"
    );
    drop(bb);

    let bb = BlackBox::start_with("map_tiles = \"none\"\n").await;
    let page = bb.anonymous(Method::GET, "/").send().await.unwrap();
    let csp = header(&page, header::CONTENT_SECURITY_POLICY);
    assert!(csp.contains("img-src 'self' data: blob:;"), "{csp}");
}
