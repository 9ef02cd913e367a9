//! Security suite, finding 6 (server side): the CSV formula guard missed a column, a
//! revoked device still pulled new kits, `pull?cursor=2^64-1` wrapped and replayed
//! everything, `size` up to 2^63 was accepted, and `must_change_password` was enforced
//! only by the dashboard.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::{Method, StatusCode};
use saakshi_domain::wire::{Change, PushResponse, PushStatus};
use saakshi_domain::{ErrorCode, MediaKind};
use saakshi_tests::blackbox::{BlackBox, PASSWORD, jpeg};
use serde_json::{Value, json};

async fn error_of(resp: reqwest::Response) -> (StatusCode, String, String) {
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    let e = &body["error"];
    (
        status,
        e["code"].as_str().unwrap_or_default().to_string(),
        e["message"].as_str().unwrap_or_default().to_string(),
    )
}

/// Whether a spreadsheet could take this cell for a formula.
fn formula_like(cell: &str) -> bool {
    let plain_number = cell.strip_prefix('-').is_some_and(|n| {
        !n.is_empty()
            && n.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    });
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_number
}

#[tokio::test]
async fn no_csv_field_starts_a_formula() {
    let bb = BlackBox::start().await;
    // The device name is the enrolling phone's to choose.
    let code = bb.invite("B-104");
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let enrolled = reqwest::Client::new()
        .post(format!("{}/api/v1/devices/enroll", bb.url))
        .json(&json!({
            "invite_code": code,
            "device_name": "=HYPERLINK(\"http://evil\")",
            "platform": "android",
            "public_key": STANDARD.encode(key.verifying_key().to_bytes()),
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(enrolled.status(), StatusCode::CREATED);
    let token = enrolled.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let device = bb.enroll("B-104").await;
    let bytes = jpeg(1);
    let mut rec = device.record(&bytes, MediaKind::Photo, "image/jpeg");
    rec.caption = "=cmd|' /C calc'!A0".into();
    rec.tags = vec!["+tag".into(), "x".into()];
    rec.event = Some("@event".into());
    rec.signature = None;
    // Pushed by the device with the formula name, so every free text is hostile.
    let pushed = reqwest::Client::new()
        .post(format!("{}/api/v1/sync/captures", bb.url))
        .bearer_auth(&token)
        .json(&json!({ "captures": [rec] }))
        .send()
        .await
        .unwrap();
    assert_eq!(pushed.status(), StatusCode::OK);
    let pushed: PushResponse = pushed.json().await.unwrap();
    assert_eq!(
        pushed.results[0].status,
        PushStatus::Accepted,
        "{:?}",
        pushed.results[0]
    );
    let admin = bb.admin_session().await;
    let reviewed = admin
        .post(
            &format!("/api/v1/review/captures/{}/review", rec.id),
            &json!({"verdict": "rejected", "note": "-1+1 needs a caption"}),
        )
        .await;
    assert_eq!(reviewed.status(), StatusCode::OK);
    let csv = admin.get("/api/v1/review/export.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    let mut reader =
        csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    for (name, cell) in header.iter().zip(rows[0].iter()) {
        assert!(!formula_like(cell), "column {name}: {cell:?}");
    }
    // The guarded texts are still there, behind their quote.
    let row: Vec<&str> = rows[0].iter().collect();
    for text in [
        "'=cmd|' /C calc'!A0",
        "'+tag;x",
        "'@event",
        "'-1+1 needs a caption",
        "'=HYPERLINK(\"http://evil\")",
    ] {
        assert!(row.contains(&text), "{text:?} not in {row:?}");
    }
}

#[tokio::test]
async fn a_revoked_device_pulls_its_revocation_and_nothing_published_after() {
    let bb = BlackBox::start().await;
    let admin = bb.admin_session().await;
    let field = bb.enroll("B-104").await;
    let lost = bb.enroll("B-105").await;
    let bytes = jpeg(2);
    let rec = field.record(&bytes, MediaKind::Photo, "image/jpeg");
    field.capture(&rec, &bytes).await;
    let approved = admin
        .post(
            &format!("/api/v1/review/captures/{}/review", rec.id),
            &json!({"verdict": "approved"}),
        )
        .await;
    assert_eq!(approved.status(), StatusCode::OK);
    let revoked = admin
        .post(
            &format!("/api/v1/admin/devices/{}/revoke", lost.id),
            &json!({"wipe": true}),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    // A kit for the whole district, published after the phone was reported lost.
    let kit = admin
        .post(
            "/api/v1/kits",
            &json!({"title_en": "after", "capture_ids": [rec.id], "area_codes": ["LKO"]}),
        )
        .await;
    assert_eq!(kit.status(), StatusCode::CREATED);
    let kinds = |changes: &[saakshi_domain::wire::ChangeEntry]| -> Vec<String> {
        changes
            .iter()
            .map(|c| match &c.change {
                Change::Kit { .. } => "kit".to_string(),
                Change::Revoked { wipe } => format!("revoked wipe={wipe}"),
                other => format!("{other:?}"),
            })
            .collect()
    };
    // The field phone gets the kit; the lost one only learns it must wipe.
    assert!(kinds(&field.pull(0).await.changes).contains(&"kit".to_string()));
    let pulled = lost.pull(0).await;
    assert_eq!(kinds(&pulled.changes), ["revoked wipe=true"]);
    assert!(!pulled.more);
    // Asking past its revocation gives nothing either.
    assert!(lost.pull(pulled.cursor).await.changes.is_empty());
}

#[tokio::test]
async fn a_pull_cursor_past_i64_is_refused_not_wrapped() {
    let bb = BlackBox::start().await;
    let dev = bb.enroll("B-104").await;
    let bytes = jpeg(3);
    let rec = dev.record(&bytes, MediaKind::Photo, "image/jpeg");
    dev.capture(&rec, &bytes).await;
    assert!(!dev.pull(0).await.changes.is_empty(), "something to replay");
    for cursor in [u64::MAX, i64::MAX as u64 + 1] {
        let resp = dev
            .req(Method::GET, &format!("/api/v1/sync/pull?cursor={cursor}"))
            .send()
            .await
            .unwrap();
        let (status, code, message) = error_of(resp).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::BAD_REQUEST, "invalid_input"),
            "{message}"
        );
        assert!(message.contains("cursor"), "{message}");
    }
    // The largest cursor SQLite can hold is fine, and past everything.
    let last = dev.pull(i64::MAX as u64).await;
    assert!(last.changes.is_empty());
}

#[tokio::test]
async fn a_record_larger_than_the_media_limit_is_rejected_at_push() {
    let bb = BlackBox::start_with("max_media_bytes = 1048576\n").await;
    let dev = bb.enroll("B-104").await;
    let bytes = jpeg(4);
    let at_limit = {
        let mut r = dev.record(&bytes, MediaKind::Photo, "image/jpeg");
        r.size = 1_048_576;
        r.signature = Some(saakshi_domain::manifest::sign(&dev.key, &r));
        r
    };
    let over = {
        let mut r = dev.record(&bytes, MediaKind::Photo, "image/jpeg");
        r.size = 1_048_577;
        r.signature = Some(saakshi_domain::manifest::sign(&dev.key, &r));
        r
    };
    let huge = {
        let mut r = dev.record(&bytes, MediaKind::Photo, "image/jpeg");
        r.size = 1 << 63;
        r.signature = Some(saakshi_domain::manifest::sign(&dev.key, &r));
        r
    };
    let pushed = dev.push(&[at_limit, over.clone(), huge.clone()]).await;
    assert_eq!(
        pushed.results[0].status,
        PushStatus::Accepted,
        "{:?}",
        pushed.results[0]
    );
    for r in &pushed.results[1..] {
        assert_eq!(r.status, PushStatus::Rejected, "{r:?}");
        assert_eq!(r.code, Some(ErrorCode::PayloadTooLarge), "{r:?}");
        let msg = r.message.as_deref().unwrap_or_default();
        assert!(msg.contains("1048576"), "{msg}");
    }
    // Nothing of the refused records was stored.
    let admin = bb.admin_session().await;
    for rec in [over, huge] {
        let resp = admin
            .get(&format!("/api/v1/review/captures/{}", rec.id))
            .await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_first_password_opens_nothing_but_changing_it() {
    let bb = BlackBox::start().await;
    let out = bb.admin(&[
        "create-user",
        "fresh",
        "--role",
        "coordinator",
        "--area",
        "LKO",
    ]);
    let first = out
        .split("(shown once): ")
        .nth(1)
        .expect("the first password")
        .trim()
        .to_string();
    let s = bb.sign_in("fresh", &first).await.unwrap();
    // Whoever handed the password over could use it for all of these.
    for (method, path) in [
        (Method::GET, "/api/v1/review/captures"),
        (Method::GET, "/api/v1/review/points"),
        (Method::GET, "/api/v1/review/export.csv"),
        (Method::GET, "/api/v1/admin/devices"),
        (Method::GET, "/api/v1/admin/audit"),
        (Method::GET, "/api/v1/kits"),
        (Method::POST, "/api/v1/admin/invites"),
    ] {
        let resp = s
            .req(method.clone(), path)
            .json(&json!({"area_code": "B-104"}))
            .send()
            .await
            .unwrap();
        let (status, code, message) = error_of(resp).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(code, "password_change_required", "{method} {path}");
        assert!(message.contains("password"), "{message}");
    }
    // Who am I, and changing the password, are open; then everything else is.
    let me = s.get("/api/v1/auth/me").await;
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(
        me.json::<Value>().await.unwrap()["must_change_password"],
        true
    );
    let changed = s
        .post(
            "/api/v1/auth/password",
            &json!({"current": first, "new": PASSWORD}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        s.get("/api/v1/review/captures").await.status(),
        StatusCode::OK
    );
    // Signing out is open before the change too.
    let other = bb.admin(&[
        "create-user",
        "fresh2",
        "--role",
        "coordinator",
        "--area",
        "LKO",
    ]);
    let first2 = other
        .split("(shown once): ")
        .nth(1)
        .unwrap()
        .trim()
        .to_string();
    let s2 = bb.sign_in("fresh2", &first2).await.unwrap();
    assert_eq!(
        s2.post("/api/v1/auth/logout", &json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        s2.get("/api/v1/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}
