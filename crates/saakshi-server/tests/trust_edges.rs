//! The trust boundary's edges with the in-process server (the black-box suite under
//! `tests/` replays the same attacks against the binary): look-alike area codes, a
//! revoked device's pull, cursors past i64, oversized records, and first passwords.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use saakshi_domain::ErrorCode;
use saakshi_domain::wire::{Change, PushStatus};
use saakshi_server::store::{ReviewState, Role};
use serde_json::{Value, json};

const LOOK_ALIKES: &str = "code,level,name_en,name_hi,parent_code
lko,district,lko,लको,UP
b-104,booth,b-104,बूथ,lko
M_9,district,M_9,एम,UP
B_1,booth,B_1,बूथ,M_9
MX9,district,MX9,एम,UP
BX1,booth,BX1,बूथ,MX9
";

fn get(s: &Session, url: &str, path: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .get(format!("{url}{path}"))
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
}

async fn feed_ids(s: &Session, url: &str, query: &str) -> Vec<String> {
    let page: Value = get(s, url, &format!("/api/v1/review/captures{query}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn look_alike_codes_stay_apart() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    saakshi_server::areas_csv::import(server.state.db.as_ref(), LOOK_ALIKES)
        .await
        .unwrap();
    let mut ids = Vec::new();
    let mut devices = Vec::new();
    for (i, booth) in ["B-104", "b-104", "B_1", "BX1"].into_iter().enumerate() {
        let dev = server.device(booth).await;
        let media = bytes(5_000, i as u64 + 1);
        let mut rec = record(&media);
        rec.area_code = None;
        dev.push(std::slice::from_ref(&rec)).await;
        dev.upload(&media, 5_000, Some(&rec.id)).await;
        ids.push(rec.id);
        devices.push(dev);
    }
    let upper = login(&server, "upper", Role::Coordinator, Some("LKO")).await;
    let lower = login(&server, "lower", Role::Coordinator, Some("lko")).await;
    let under = login(&server, "under", Role::Coordinator, Some("M_9")).await;
    let admin = login(&server, "root", Role::Admin, None).await;
    let url = &server.url;
    assert_eq!(feed_ids(&upper, url, "").await, [ids[0].to_string()]);
    assert_eq!(feed_ids(&lower, url, "").await, [ids[1].to_string()]);
    assert_eq!(feed_ids(&under, url, "").await, [ids[2].to_string()]);
    assert_eq!(
        feed_ids(&admin, url, "?area=M_9").await,
        [ids[2].to_string()]
    );
    assert_eq!(
        feed_ids(&admin, url, "?area=lko").await,
        [ids[1].to_string()]
    );
    let areas: Value = get(&under, url, "/api/v1/admin/areas")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = areas
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["M_9", "B_1"]);
    // A kit for LKO and one for M_9 reach their own booths only.
    let db = &server.state.db;
    let publisher = db
        .create_user(
            "publisher".into(),
            Role::Admin,
            None,
            saakshi_server::passwords::hash_password("correct horse").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    for (i, area) in [(0, "LKO"), (2, "M_9")] {
        db.review_capture(None, ids[i], ReviewState::Approved, None, "root".into())
            .await
            .unwrap();
        db.publish_kit(
            publisher,
            None,
            (format!("kit {area}"), String::new()),
            Default::default(),
            vec![ids[i]],
            vec![area.into()],
        )
        .await
        .unwrap()
        .unwrap();
    }
    for (i, expected) in ["kit LKO", "", "kit M_9", ""].into_iter().enumerate() {
        let kits: Vec<String> = devices[i]
            .pull(0)
            .await
            .changes
            .into_iter()
            .filter_map(|c| match c.change {
                Change::Kit { kit } => Some(kit.title_en),
                _ => None,
            })
            .collect();
        let expected: Vec<&str> = [expected].into_iter().filter(|e| !e.is_empty()).collect();
        assert_eq!(kits, expected, "device {i}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_revoked_device_learns_its_revocation_and_no_later_kit() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let field = server.device("B-104").await;
    let lost = server.device("B-105").await;
    let media = bytes(4_000, 9);
    let rec = record(&media);
    field.push(std::slice::from_ref(&rec)).await;
    field.upload(&media, 4_000, Some(&rec.id)).await;
    let db = &server.state.db;
    let publisher = db
        .create_user(
            "root".into(),
            Role::Admin,
            None,
            saakshi_server::passwords::hash_password("correct horse").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    db.review_capture(None, rec.id, ReviewState::Approved, None, "root".into())
        .await
        .unwrap();
    db.revoke_device(lost.id.parse().unwrap(), true)
        .await
        .unwrap();
    db.publish_kit(
        publisher,
        None,
        ("after".into(), String::new()),
        Default::default(),
        vec![rec.id],
        vec!["LKO".into()],
    )
    .await
    .unwrap()
    .unwrap();
    let pulled = lost.pull(0).await;
    assert_eq!(pulled.changes.len(), 1, "{:?}", pulled.changes);
    assert_eq!(pulled.changes[0].change, Change::Revoked { wipe: true });
    assert!(lost.pull(pulled.cursor).await.changes.is_empty());
    assert!(
        field
            .pull(0)
            .await
            .changes
            .iter()
            .any(|c| matches!(c.change, Change::Kit { .. }))
    );
    server.stop().await;
}

#[tokio::test]
async fn cursors_past_i64_and_records_past_the_media_limit_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let mut settings = saakshi_server::config::Settings::for_dir(d.path());
    settings.limits.max_media_bytes = 1 << 20;
    let server = TestServer::start_with(settings).await;
    let dev = server.device("B-104").await;
    for cursor in [u64::MAX, 1 << 63] {
        let resp = dev
            .req(Method::GET, &format!("/api/v1/sync/pull?cursor={cursor}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_input");
    }
    assert!(dev.pull(i64::MAX as u64).await.changes.is_empty());
    let media = bytes(1_000, 3);
    let sizes = [1 << 20, (1 << 20) + 1, 1 << 63];
    let records: Vec<_> = sizes
        .iter()
        .map(|&size| {
            let mut r = record(&media);
            r.size = size;
            r
        })
        .collect();
    let pushed = dev.push(&records).await;
    assert_eq!(pushed.results[0].status, PushStatus::Accepted);
    for r in &pushed.results[1..] {
        assert_eq!(r.status, PushStatus::Rejected);
        assert_eq!(r.code, Some(ErrorCode::PayloadTooLarge));
        assert!(r.message.as_deref().unwrap().contains("1048576"), "{r:?}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_first_password_reaches_only_me_logout_and_password() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let s = login_first_time(&server, "new", Role::Coordinator, Some("LKO")).await;
    let http = reqwest::Client::new();
    let call = |m: Method, path: &str| {
        http.request(m, format!("{}{path}", server.url))
            .header("cookie", &s.cookie)
            .header("x-csrf-token", &s.csrf)
    };
    for path in [
        "/api/v1/review/captures",
        "/api/v1/admin/areas",
        "/api/v1/kits",
    ] {
        let resp = call(Method::GET, path).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"]["code"], "password_change_required", "{path}");
    }
    let me = call(Method::GET, "/api/v1/auth/me").send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let changed = call(Method::POST, "/api/v1/auth/password")
        .json(&json!({"current": "correct horse", "new": "a longer phrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    let feed = call(Method::GET, "/api/v1/review/captures")
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    server.stop().await;
}
