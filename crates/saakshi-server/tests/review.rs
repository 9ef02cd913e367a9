//! The dashboard's API over real sockets: the feed's filters and paging, verdicts that
//! reach the device, exports (CSV, GeoJSON, ZIP read back by an independent reader),
//! the audit log, and changing a password.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use saakshi_domain::wire::Change;
use saakshi_domain::{CaptureRecord, MediaKind};
use saakshi_server::store::Role;
use serde_json::{Value, json};

struct Coordinator {
    url: String,
    s: Session,
    http: reqwest::Client,
}

impl Coordinator {
    async fn new(server: &TestServer, name: &str, role: Role, area: Option<&str>) -> Self {
        Self {
            url: server.url.clone(),
            s: login(server, name, role, area).await,
            http: reqwest::Client::new(),
        }
    }

    fn req(&self, m: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(m, format!("{}{path}", self.url))
            .header("cookie", &self.s.cookie)
            .header("x-csrf-token", &self.s.csrf)
    }

    async fn get(&self, path: &str) -> Value {
        let r = self.req(Method::GET, path).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.json().await.unwrap()
    }

    async fn ids(&self, query: &str) -> Vec<String> {
        let v = self.get(&format!("/api/v1/review/captures?{query}")).await;
        assert_eq!(
            v["total"].as_u64().unwrap() as usize,
            v["items"].as_array().unwrap().len(),
            "{query}: one page holds all"
        );
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    }
}

/// Six captures of different kinds, tags, events, places and captions, media uploaded
/// for all but the last.
async fn seed(phone: &TestDevice) -> Vec<CaptureRecord> {
    let mut recs = Vec::new();
    for i in 0..6u64 {
        let media = bytes(20_000 + i as usize * 1000, 100 + i);
        let mut r = record(&media);
        r.kind = [MediaKind::Photo, MediaKind::Video, MediaKind::Audio][i as usize % 3];
        r.mime = ["image/jpeg", "video/mp4", "audio/wav"][i as usize % 3].into();
        r.caption = ["Rally at the chowk", "जनसभा", "=cmd|' /C calc'!A0"][i as usize % 3].into();
        r.tags = if i < 2 { vec!["rally".into()] } else { vec![] };
        r.event = (i == 4).then(|| "nomination".into());
        r.location = (i % 2 == 0).then(|| located(26.8 + i as f64 / 100.0, 80.9));
        r.captured_at.utc = chrono::Utc::now() - chrono::Duration::hours(6 - i as i64);
        // Signed as a device signs at capture: by its key (0, 2, 4), by a stranger's (1),
        // or not at all (3, 5).
        r.signature = match i {
            0 | 2 | 4 => Some(saakshi_domain::manifest::sign(&device_key(), &r)),
            1 => Some(saakshi_domain::manifest::sign(
                &ed25519_dalek::SigningKey::from_bytes(&[8; 32]),
                &r,
            )),
            _ => None,
        };
        phone.push(std::slice::from_ref(&r)).await;
        if i < 5 {
            phone.upload(&media, 8192, Some(&r.id)).await;
        }
        recs.push(r);
    }
    recs
}

#[tokio::test]
async fn filters_paging_and_scope() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let recs = seed(&phone).await;
    let other = server.device("B-201").await;
    let theirs = record(&bytes(5000, 9));
    other.push(std::slice::from_ref(&theirs)).await;
    let lko = Coordinator::new(&server, "lko", Role::Coordinator, Some("LKO")).await;
    let admin = Coordinator::new(&server, "root", Role::Admin, None).await;
    let id = |i: usize| recs[i].id.to_string();

    assert_eq!(
        lko.ids("").await.len(),
        6,
        "Varanasi's capture is not in scope"
    );
    assert_eq!(admin.ids("").await.len(), 7);
    assert_eq!(admin.ids("area=VNS").await, [theirs.id.to_string()]);
    assert_eq!(
        lko.ids("area=VNS").await.len(),
        0,
        "a filter never widens scope"
    );
    assert_eq!(lko.ids("kind=video").await, [id(4), id(1)]);
    assert_eq!(lko.ids("tag=rally").await, [id(1), id(0)]);
    assert_eq!(lko.ids("event=nomination").await, [id(4)]);
    assert_eq!(lko.ids("located=true").await, [id(4), id(2), id(0)]);
    assert_eq!(lko.ids("located=false").await.len(), 3);
    assert_eq!(lko.ids("q=RALLY").await, [id(3), id(0)], "caption search");
    assert_eq!(lko.ids("q=%E0%A4%9C%E0%A4%A8").await.len(), 2, "Devanagari");
    let from = (recs[3].captured_at.utc - chrono::Duration::seconds(1)).to_rfc3339();
    let q = format!("from={}", urlencode(&from));
    assert_eq!(lko.ids(&q).await, [id(5), id(4), id(3)]);
    assert_eq!(lko.ids(&format!("device={}", phone.id)).await.len(), 6);
    assert_eq!(lko.ids("review=pending").await.len(), 6);

    // Paging by cursor: every capture once, in order, whatever the page size.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("limit=4&before={c}"),
            None => "limit=4".into(),
        };
        let page = lko.get(&format!("/api/v1/review/captures?{q}")).await;
        assert_eq!(page["total"], 6);
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, lko.ids("").await);
    assert_eq!(seen.len(), 6);

    // Bad parameters: 400 in words.
    for bad in [
        "kind=movie",
        "review=maybe",
        "located=yes",
        "from=yesterday",
        "limit=0",
        "before=nonsense",
        "device=42",
        "colour=red",
    ] {
        let r = lko
            .req(Method::GET, &format!("/api/v1/review/captures?{bad}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
    }

    // The detail: media state, area names, provenance; out of scope looks missing.
    let one = lko.get(&format!("/api/v1/review/captures/{}", id(5))).await;
    assert_eq!(one["media"], "missing");
    assert_eq!(one["area"]["name_hi"], "बूथ 104");
    assert!(
        one["device_clock_skew_ms"].is_null(),
        "this device never reported one"
    );
    for (i, verdict) in [
        (0, "verified"),
        (1, "invalid"),
        (3, "unsigned"),
        (5, "unsigned"),
    ] {
        let one = lko.get(&format!("/api/v1/review/captures/{}", id(i))).await;
        assert_eq!(one["provenance"]["verdict"], verdict, "capture {i}");
    }
    let r = lko
        .req(
            Method::GET,
            &format!("/api/v1/review/captures/{}", theirs.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Map points: located only, with area names for labels.
    let pts = lko.get("/api/v1/review/points").await;
    assert_eq!(pts["points"].as_array().unwrap().len(), 3);
    let pts = lko.get("/api/v1/review/points?kind=photo").await;
    assert_eq!(pts["points"].as_array().unwrap().len(), 1);
    assert_eq!(pts["areas"][0]["code"], "B-104");
    server.stop().await;
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn a_verdict_reaches_the_device_at_its_next_pull() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let recs = seed(&phone).await;
    let lko = Coordinator::new(&server, "lko", Role::Coordinator, Some("LKO")).await;
    let before = phone.pull(0).await.cursor;
    let path = |i: usize| format!("/api/v1/review/captures/{}/review", recs[i].id);

    // A rejection needs a note; "pending" is not a verdict.
    for body in [
        json!({"verdict": "rejected"}),
        json!({"verdict": "pending"}),
        json!({"verdict": "approved", "extra": 1}),
    ] {
        let r = lko
            .req(Method::POST, &path(0))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{body}");
    }
    assert_eq!(phone.pull(before).await.changes.len(), 0, "nothing changed");

    let r = lko
        .req(Method::POST, &path(0))
        .json(&json!({"verdict": "needs_info", "note": "कौन सा बूथ?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let detail: Value = r.json().await.unwrap();
    assert_eq!(detail["review"]["state"], "needs_info");
    assert_eq!(detail["review"]["by"], "lko");
    let r = lko
        .req(Method::POST, &path(2))
        .json(&json!({"verdict": "approved"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let pulled = phone.pull(before).await.changes;
    let verdicts: Vec<_> = pulled
        .iter()
        .filter_map(|c| match &c.change {
            Change::Review {
                capture_id,
                verdict,
                note,
            } => Some((*capture_id, verdict.clone(), note.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            (recs[0].id, "needs_info".into(), Some("कौन सा बूथ?".into())),
            (recs[2].id, "approved".into(), None)
        ]
    );
    assert_eq!(lko.ids("review=approved").await, [recs[2].id.to_string()]);
    server.stop().await;
}

/// Runs CPython on `script` with `arg`; returns its stdout.
fn python(script: &str, arg: &std::path::Path) -> String {
    let out = std::process::Command::new("python3")
        .args(["-c", script, arg.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn exports_stream_csv_geojson_and_a_zip_of_media_and_manifests() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let recs = seed(&phone).await;
    let lko = Coordinator::new(&server, "lko", Role::Coordinator, Some("LKO")).await;

    let r = lko
        .req(Method::GET, "/api/v1/review/export.csv?kind=audio")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"saakshi-export-")
    );
    let csv = r.text().await.unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows[0].starts_with("\u{feff}id,kind,captured_at"));
    // A caption that a spreadsheet would run as a formula is defused.
    assert!(rows[1].contains("'=cmd|"), "{}", rows[1]);

    let geo: Value = lko
        .req(Method::GET, "/api/v1/review/export.geojson")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let features = geo["features"].as_array().unwrap();
    assert_eq!(features.len(), 6);
    let located: Vec<_> = features
        .iter()
        .filter(|f| !f["geometry"].is_null())
        .collect();
    assert_eq!(located.len(), 3);
    assert_eq!(located[0]["geometry"]["coordinates"][0], 80.9, "lon first");

    let zip = lko
        .req(Method::GET, "/api/v1/review/export.zip")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let path = d.path().join("export.zip");
    std::fs::write(&path, &zip).unwrap();
    let listing = python(
        "import sys, zipfile, hashlib, json\n\
         z = zipfile.ZipFile(sys.argv[1])\n\
         assert z.testzip() is None\n\
         for i in z.infolist():\n\
         \x20   data = z.read(i)\n\
         \x20   if i.filename.startswith('manifests/'):\n\
         \x20       m = json.loads(data)\n\
         \x20       print(i.filename, m['id'], m['media_file'], m['provenance']['verdict'])\n\
         \x20   else:\n\
         \x20       print(i.filename, hashlib.sha256(data).hexdigest())",
        &path,
    );
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), 5 + 6, "{listing}");
    for (i, r) in recs.iter().enumerate() {
        // Entries are named by the type the server sniffed from the bytes, never by the
        // record's word: the seed's bytes are WAV whatever kind its records claim.
        let ext = "wav";
        let media = format!("media/{}.{ext}", r.sha256.to_hex());
        let manifest = format!("manifests/{}.json {} ", r.id, r.id);
        let m = lines.iter().find(|l| l.starts_with(&manifest)).unwrap();
        if i < 5 {
            assert!(
                lines.contains(&format!("{media} {}", r.sha256.to_hex()).as_str()),
                "{media} hash-checked"
            );
            let verdict = ["verified", "invalid", "verified", "unsigned", "verified"][i];
            assert!(m.ends_with(&format!("{media} {verdict}")), "{m}");
        } else {
            assert!(m.ends_with("None unsigned"), "media not arrived: {m}");
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn the_audit_log_records_what_people_did() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;
    let recs = seed(&phone).await;
    let lko = Coordinator::new(&server, "lko", Role::Coordinator, Some("LKO")).await;
    let admin = Coordinator::new(&server, "root", Role::Admin, None).await;
    let bad = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", server.url))
        .json(&json!({"name": "lko", "password": "guess"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
    lko.req(
        Method::POST,
        &format!("/api/v1/review/captures/{}/review", recs[0].id),
    )
    .json(&json!({"verdict": "approved"}))
    .send()
    .await
    .unwrap();
    lko.req(Method::GET, "/api/v1/review/export.csv?kind=photo")
        .send()
        .await
        .unwrap();
    let sha = recs[0].sha256.to_hex();
    let media = lko
        .req(Method::GET, &format!("/api/v1/media/{sha}"))
        .send()
        .await
        .unwrap();
    assert_eq!(media.status(), StatusCode::OK);
    // A player's later Range requests are the same viewing.
    lko.req(Method::GET, &format!("/api/v1/media/{sha}"))
        .header("range", "bytes=100-")
        .send()
        .await
        .unwrap();

    let log = admin.get("/api/v1/admin/audit").await;
    let actions: Vec<(String, String)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_string(),
                e["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("lko", "media_view"),
        ("lko", "export"),
        ("lko", "review"),
        ("lko", "login_failed"),
        ("root", "login"),
        ("lko", "login"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(actions, want, "newest first");
    // Filtered, and paged.
    let only = admin.get("/api/v1/admin/audit?action=export").await;
    assert_eq!(only["items"].as_array().unwrap().len(), 1);
    assert!(
        only["items"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("\"kind\":\"photo\"")
    );
    let page = admin.get("/api/v1/admin/audit?limit=4").await;
    let next = page["next"].as_str().unwrap();
    let rest = admin
        .get(&format!("/api/v1/admin/audit?limit=4&before={next}"))
        .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 2);
    assert!(rest["next"].is_null());
    // A coordinator does not see failed sign-ins or other scopes' entries.
    let theirs = lko.get("/api/v1/admin/audit").await;
    assert!(
        theirs["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["action"] != "login_failed" && e["actor"] == "lko")
    );
    server.stop().await;
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let me = Coordinator::new(&server, "lko", Role::Coordinator, Some("LKO")).await;
    // A second session of the same user (another browser).
    let other = sign_in(&server, "lko").await;
    let change = |current: &str, new: &str| {
        me.req(Method::POST, "/api/v1/auth/password")
            .json(&json!({"current": current, "new": new}))
            .send()
    };
    assert_eq!(
        change("wrong", "a much longer one").await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        change("correct horse", "short").await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        change("correct horse", "battery staple ११")
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    // This session goes on; the other one is over; the new password works.
    assert_eq!(
        me.get("/api/v1/auth/me").await["must_change_password"],
        false
    );
    let other_me = reqwest::Client::new()
        .get(format!("{}/api/v1/auth/me", server.url))
        .header("cookie", other.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(other_me.status(), StatusCode::UNAUTHORIZED);
    let again = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", server.url))
        .json(&json!({"name": "lko", "password": "battery staple ११"}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    server.stop().await;
}
