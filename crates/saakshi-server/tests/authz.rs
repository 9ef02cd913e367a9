//! Authorisation as a matrix: every route × admin / coordinator in scope / coordinator
//! out of scope / device / revoked device / anonymous.

mod common;

use common::*;
use reqwest::{Method, RequestBuilder, StatusCode};
use saakshi_server::store::Role;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Admin,
    CoordIn,
    CoordOut,
    Device,
    Revoked,
    Anon,
}
const EVERYONE: [Who; 6] = [
    Who::Admin,
    Who::CoordIn,
    Who::CoordOut,
    Who::Device,
    Who::Revoked,
    Who::Anon,
];

struct World {
    server: TestServer,
    admin: Session,
    coord_in: Session,
    coord_out: Session,
    device: TestDevice,
    revoked: TestDevice,
}

impl World {
    fn req(&self, who: Who, method: Method, path: &str) -> RequestBuilder {
        let http = reqwest::Client::new();
        let b = http.request(method, format!("{}{path}", self.server.url));
        let with = |s: &Session| {
            b.try_clone()
                .unwrap()
                .header("cookie", &s.cookie)
                .header("x-csrf-token", &s.csrf)
        };
        match who {
            Who::Admin => with(&self.admin),
            Who::CoordIn => with(&self.coord_in),
            Who::CoordOut => with(&self.coord_out),
            Who::Device => b.bearer_auth(&self.device.token),
            Who::Revoked => b.bearer_auth(&self.revoked.token),
            Who::Anon => b,
        }
    }
}

fn tus(b: RequestBuilder) -> RequestBuilder {
    b.header("Tus-Resumable", "1.0.0")
}

#[tokio::test]
async fn every_route_for_every_kind_of_caller() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let device = server.device("B-104").await;
    let revoked = server.device("B-104").await;
    server
        .state
        .db
        .revoke_device(revoked.id.parse().unwrap(), false)
        .await
        .unwrap();
    let media = bytes(10_000, 1);
    let mut rec = record(&media);
    rec.location = Some(located(26.85, 80.95));
    device.push(std::slice::from_ref(&rec)).await;
    device.upload(&media, 4096, Some(&rec.id)).await;
    let upload = device.create_upload(100, None, None).await;
    let w = World {
        admin: login(&server, "root", Role::Admin, None).await,
        coord_in: login(&server, "lucknow", Role::Coordinator, Some("LKO")).await,
        coord_out: login(&server, "varanasi", Role::Coordinator, Some("VNS")).await,
        device,
        revoked,
        server,
    };
    let sha = rec.sha256.to_hex();
    use Who::*;
    // (description, expected statuses for EVERYONE in order, request maker)
    type Make<'a> = Box<dyn Fn(Who, usize) -> RequestBuilder + 'a>;
    let cases: Vec<(&str, [u16; 6], Make)> = vec![
        (
            "GET pull",
            [401, 401, 401, 200, 200, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/sync/pull?cursor=0")),
        ),
        (
            "POST captures",
            [401, 401, 401, 200, 403, 401],
            Box::new(|who, _| {
                w.req(who, Method::POST, "/api/v1/sync/captures")
                    .json(&serde_json::json!({"captures": [rec]}))
            }),
        ),
        (
            "POST thumbnail",
            [401, 401, 401, 204, 403, 401],
            Box::new(|who, _| {
                w.req(
                    who,
                    Method::POST,
                    &format!("/api/v1/sync/thumbnails/{}", rec.id),
                )
                .body(vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0])
            }),
        ),
        (
            "POST upload",
            [401, 401, 401, 201, 403, 401],
            Box::new(|who, _| {
                tus(w.req(who, Method::POST, "/api/v1/uploads/")).header("Upload-Length", "10")
            }),
        ),
        (
            "HEAD upload",
            [401, 401, 401, 200, 403, 401],
            Box::new(|who, _| tus(w.req(who, Method::HEAD, &upload))),
        ),
        (
            "PATCH upload",
            [401, 401, 401, 204, 403, 401],
            Box::new(|who, _| {
                tus(w.req(who, Method::PATCH, &upload))
                    .header("Upload-Offset", "0")
                    .header("Content-Type", "application/offset+octet-stream")
                    .body(Vec::new())
            }),
        ),
        (
            "GET media",
            [200, 200, 404, 200, 403, 401],
            Box::new(|who, _| w.req(who, Method::GET, &format!("/api/v1/media/{sha}"))),
        ),
        (
            "GET me",
            [200, 200, 200, 401, 401, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/auth/me")),
        ),
        (
            "GET areas",
            [200, 200, 200, 401, 401, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/admin/areas")),
        ),
        (
            "POST areas/import",
            [200, 403, 403, 401, 401, 401],
            Box::new(|who, _| {
                w.req(who, Method::POST, "/api/v1/admin/areas/import").body(
                    "code,level,name_en,name_hi,parent_code\nB-106,booth,Booth 106,बूथ 106,LKO\n",
                )
            }),
        ),
        (
            "POST invites",
            [201, 201, 403, 401, 401, 401],
            Box::new(|who, _| {
                w.req(who, Method::POST, "/api/v1/admin/invites")
                    .json(&serde_json::json!({"area_code": "B-104"}))
            }),
        ),
        (
            "GET devices",
            [200, 200, 200, 401, 401, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/admin/devices")),
        ),
        (
            "POST users",
            [201, 403, 403, 401, 401, 401],
            Box::new(|who, i| {
                w.req(who, Method::POST, "/api/v1/admin/users")
                .json(&serde_json::json!({"name": format!("new{i}"), "role": "coordinator", "area_code": "LKO"}))
            }),
        ),
        (
            "GET review/captures",
            [200, 200, 200, 401, 401, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/review/captures")),
        ),
        (
            "GET review/captures/{id}",
            [200, 200, 404, 401, 401, 401],
            Box::new(|who, _| {
                w.req(
                    who,
                    Method::GET,
                    &format!("/api/v1/review/captures/{}", rec.id),
                )
            }),
        ),
        (
            "GET review thumbnail",
            [200, 200, 404, 401, 401, 401],
            Box::new(|who, _| {
                w.req(
                    who,
                    Method::GET,
                    &format!("/api/v1/review/captures/{}/thumbnail", rec.id),
                )
            }),
        ),
        (
            "POST review",
            [200, 200, 404, 401, 401, 401],
            Box::new(|who, _| {
                w.req(
                    who,
                    Method::POST,
                    &format!("/api/v1/review/captures/{}/review", rec.id),
                )
                .json(&serde_json::json!({"verdict": "approved"}))
            }),
        ),
        (
            "GET review/points",
            [200, 200, 200, 401, 401, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/review/points")),
        ),
        (
            "GET export.csv",
            [200, 200, 200, 401, 401, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/review/export.csv")),
        ),
        (
            "GET export.geojson",
            [200, 200, 200, 401, 401, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/review/export.geojson")),
        ),
        (
            "GET export.zip",
            [200, 200, 200, 401, 401, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/review/export.zip")),
        ),
        (
            "GET users",
            [200, 403, 403, 401, 401, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/admin/users")),
        ),
        (
            "GET invites",
            [200, 200, 200, 401, 401, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/admin/invites")),
        ),
        (
            "GET audit",
            [200, 200, 200, 401, 401, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/admin/audit")),
        ),
        (
            "POST password (too short: refused after authorisation)",
            [400, 400, 400, 401, 401, 401],
            Box::new(|who, _| {
                w.req(who, Method::POST, "/api/v1/auth/password")
                    .json(&serde_json::json!({"current": "correct horse", "new": "short"}))
            }),
        ),
        (
            "GET dashboard config",
            [200; 6],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/dashboard/config")),
        ),
        (
            "GET / (the dashboard page)",
            [200; 6],
            Box::new(|who, _| w.req(who, Method::GET, "/")),
        ),
        (
            "GET kits",
            [200, 200, 200, 401, 401, 401],
            Box::new(|who, _| w.req(who, Method::GET, "/api/v1/kits")),
        ),
        (
            "POST kits",
            [201, 201, 403, 401, 401, 401],
            Box::new(|who, _| {
                w.req(who, Method::POST, "/api/v1/kits")
                    .json(&serde_json::json!({
                        "title_en": "Rally", "capture_ids": [rec.id], "area_codes": ["B-104"]
                    }))
            }),
        ),
        (
            "GET healthz",
            [200; 6],
            Box::new(|who, _| w.req(who, Method::GET, "/healthz")),
        ),
        (
            "GET metrics",
            [200; 6],
            Box::new(|who, _| w.req(who, Method::GET, "/metrics")),
        ),
    ];
    let mut failures = Vec::new();
    for (name, expected, make) in &cases {
        for (i, (who, want)) in EVERYONE.iter().zip(expected).enumerate() {
            let got = make(*who, i).send().await.unwrap().status().as_u16();
            if got != *want {
                failures.push(format!("{name} as {who:?}: expected {want}, got {got}"));
            }
        }
    }
    // Revoking needs a fresh victim per caller.
    for (who, want) in EVERYONE.iter().zip([204, 204, 403, 401, 401, 401]) {
        let victim = w.server.device("B-105").await;
        let got = w
            .req(
                *who,
                Method::POST,
                &format!("/api/v1/admin/devices/{}/revoke", victim.id),
            )
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        if got != want {
            failures.push(format!("revoke as {who:?}: expected {want}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Scope filters what a 200 contains: the coordinator of Varanasi sees nothing of Lucknow.
    let json = |who, path: &'static str| {
        let r = w.req(who, Method::GET, path);
        async move {
            r.send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    for (who, n) in [(CoordIn, 1), (CoordOut, 0), (Admin, 1)] {
        let feed = json(who, "/api/v1/review/captures").await;
        assert_eq!(
            feed["items"].as_array().unwrap().len(),
            n,
            "{who:?}: {feed}"
        );
        assert_eq!(feed["total"], n, "{who:?}");
        let points = json(who, "/api/v1/review/points").await;
        assert_eq!(points["points"].as_array().unwrap().len(), n, "{who:?}");
        let csv = w
            .req(who, Method::GET, "/api/v1/review/export.csv")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            csv.lines().count(),
            1 + n,
            "{who:?}: header and rows\n{csv}"
        );
    }
    // The audit log: Lucknow's review is there for Lucknow and the admin, not Varanasi.
    let reviews = |v: serde_json::Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "review")
            .count()
    };
    assert_eq!(reviews(json(CoordIn, "/api/v1/admin/audit").await), 2);
    assert_eq!(reviews(json(Admin, "/api/v1/admin/audit").await), 2);
    assert_eq!(reviews(json(CoordOut, "/api/v1/admin/audit").await), 0);
    // Kits list where they were sent; Varanasi sees none of Lucknow's.
    let kits = json(CoordIn, "/api/v1/kits").await;
    assert_eq!(
        kits[0]["area_codes"],
        serde_json::json!(["B-104"]),
        "{kits}"
    );
    assert_eq!(
        json(CoordOut, "/api/v1/kits")
            .await
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let out_invites = json(CoordOut, "/api/v1/admin/invites").await;
    assert_eq!(out_invites.as_array().unwrap().len(), 0, "{out_invites}");
    let out_devices = json(CoordOut, "/api/v1/admin/devices").await;
    assert_eq!(out_devices.as_array().unwrap().len(), 0, "{out_devices}");
    let out_areas = json(CoordOut, "/api/v1/admin/areas").await;
    let codes: Vec<&str> = out_areas
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["VNS", "B-201"]);
    drop(cases);
    w.server.stop().await;
}

#[tokio::test]
async fn writes_need_the_csrf_token_and_sign_in_is_rate_limited() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let s = login(&server, "root", Role::Admin, None).await;
    let http = reqwest::Client::new();
    let invite = |csrf: Option<&str>| {
        let mut b = http
            .post(format!("{}/api/v1/admin/invites", server.url))
            .header("cookie", &s.cookie)
            .json(&serde_json::json!({"area_code": "B-104"}));
        if let Some(c) = csrf {
            b = b.header("x-csrf-token", c);
        }
        b.send()
    };
    assert_eq!(invite(None).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(
        invite(Some("wrong")).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        invite(Some(&s.csrf)).await.unwrap().status(),
        StatusCode::CREATED
    );

    let attempt = |pw: &'static str| {
        http.post(format!("{}/api/v1/auth/login", server.url))
            .json(&serde_json::json!({"name": "root", "password": pw}))
            .send()
    };
    // Successful sign-ins do not count (several tabs are not an attack)...
    for _ in 0..12 {
        assert_eq!(
            attempt("correct horse").await.unwrap().status(),
            StatusCode::OK
        );
    }
    // ...failures do: past the count for this account from this address, even the right
    // password waits (the limits themselves are tested in tests/signin.rs).
    for _ in 0..saakshi_server::signin_limits::PAIR_FAILURES_PER_MINUTE {
        assert_eq!(
            attempt("guess").await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = attempt("correct horse").await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));

    // Signing out ends the session.
    let out = http
        .post(format!("{}/api/v1/auth/logout", server.url))
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let me = http
        .get(format!("{}/api/v1/auth/me", server.url))
        .header("cookie", &s.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    server.stop().await;
}
