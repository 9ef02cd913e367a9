//! Security suite, finding 2: area scope. Scope used to be tested with SQL `LIKE`, which
//! ignores ASCII case and reads `_` as any character, so the coordinators of `LKO` and
//! `lko`, or of `M_9` and `MX9`, read and reviewed each other's captures, media, map
//! points, exports, devices, invites and audit log, and a kit published to one reached the
//! other's devices. Here four look-alike districts, each with a booth, a device, a capture
//! and a coordinator, are tried across every read route and every write, as the
//! neighbouring coordinator would try them.

use reqwest::{Method, StatusCode};
use saakshi_domain::wire::Change;
use saakshi_domain::{CaptureRecord, Location, LocationSource, MediaKind};
use saakshi_tests::blackbox::{BlackBox, Device, Session, jpeg};
use serde_json::{Value, json};

/// Districts whose codes differ only in case or by `_` against a letter, each with a
/// booth whose code does the same.
const LOOK_ALIKES: [(&str, &str); 4] = [
    ("LKO", "B-104"),
    ("lko", "b-104"),
    ("M_9", "B_1"),
    ("MX9", "BX1"),
];

/// `LKO` and `B-104` are in the suite's tree already.
const MORE_AREAS: &str = "code,level,name_en,name_hi,parent_code
lko,district,Look-alike lko,लको,UP
b-104,booth,Look-alike booth b-104,बूथ b-104,lko
M_9,district,Mandal M_9,एम_9,UP
B_1,booth,Booth B_1,बूथ B_1,M_9
MX9,district,Mandal MX9,एमX9,UP
BX1,booth,Booth BX1,बूथ BX1,MX9
";

/// One look-alike district and what lives in it.
struct Holding {
    district: &'static str,
    booth: &'static str,
    coordinator: Session,
    device: Device,
    capture: CaptureRecord,
}

/// Who looks: the admin, or the coordinator of `LOOK_ALIKES[i]`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Viewer {
    Admin,
    Coordinator(usize),
}

/// Every route that reads something of an area.
#[derive(Clone, Copy, Debug)]
enum Read {
    Feed,
    FeedOfArea,
    One,
    Thumbnail,
    Points,
    Media,
    Csv,
    GeoJson,
    Zip,
    Devices,
    Invites,
    Audit,
    Areas,
    Kits,
}

const READS: [Read; 14] = [
    Read::Feed,
    Read::FeedOfArea,
    Read::One,
    Read::Thumbnail,
    Read::Points,
    Read::Media,
    Read::Csv,
    Read::GeoJson,
    Read::Zip,
    Read::Devices,
    Read::Invites,
    Read::Audit,
    Read::Areas,
    Read::Kits,
];

async fn json_of(resp: reqwest::Response, what: &str) -> Value {
    assert_eq!(resp.status(), StatusCode::OK, "{what}");
    resp.json().await.unwrap_or_else(|e| panic!("{what}: {e}"))
}

async fn text_of(resp: reqwest::Response, what: &str) -> String {
    assert_eq!(resp.status(), StatusCode::OK, "{what}");
    // ZIP entries' names are stored as plain bytes: a lossy read finds them.
    String::from_utf8_lossy(&resp.bytes().await.unwrap()).into_owned()
}

/// Whether a single-resource answer showed it (200) or hid it (403 or 404).
fn shown(status: StatusCode, what: &str) -> bool {
    match status {
        StatusCode::OK => true,
        StatusCode::NOT_FOUND | StatusCode::FORBIDDEN => false,
        other => panic!("{what}: unexpected {other}"),
    }
}

/// Whether a JSON list has an element whose `key` is exactly `value`.
fn lists(items: &Value, key: &str, value: &str) -> bool {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {items}"))
        .iter()
        .any(|i| i[key] == value)
}

/// Whether `who` can see, through `read`, what belongs to `owner`.
async fn sees(read: Read, who: &Session, owner: &Holding) -> bool {
    let id = owner.capture.id.to_string();
    let what = format!("{read:?} of {}", owner.district);
    match read {
        Read::Feed => {
            let page = json_of(who.get("/api/v1/review/captures?limit=200").await, &what).await;
            lists(&page["items"], "id", &id)
        }
        // The area filter names the owner's district: only its subtree may answer.
        Read::FeedOfArea => {
            let page = json_of(
                who.get(&format!("/api/v1/review/captures?area={}", owner.district))
                    .await,
                &what,
            )
            .await;
            lists(&page["items"], "id", &id)
        }
        Read::One => shown(
            who.get(&format!("/api/v1/review/captures/{id}"))
                .await
                .status(),
            &what,
        ),
        Read::Thumbnail => shown(
            who.get(&format!("/api/v1/review/captures/{id}/thumbnail"))
                .await
                .status(),
            &what,
        ),
        Read::Points => {
            let map = json_of(who.get("/api/v1/review/points").await, &what).await;
            lists(&map["points"], "id", &id)
        }
        Read::Media => shown(
            who.get(&format!("/api/v1/media/{}", owner.capture.sha256.to_hex()))
                .await
                .status(),
            &what,
        ),
        Read::Csv => text_of(who.get("/api/v1/review/export.csv").await, &what)
            .await
            .contains(&id),
        Read::GeoJson => text_of(who.get("/api/v1/review/export.geojson").await, &what)
            .await
            .contains(&id),
        Read::Zip => text_of(who.get("/api/v1/review/export.zip").await, &what)
            .await
            .contains(&format!("manifests/{id}.json")),
        Read::Devices => {
            let devices = json_of(who.get("/api/v1/admin/devices").await, &what).await;
            lists(&devices, "id", &owner.device.id)
        }
        Read::Invites => {
            let invites = json_of(who.get("/api/v1/admin/invites").await, &what).await;
            lists(&invites, "area_code", owner.booth)
        }
        // Each coordinator created an invite for its booth: the log names the booth.
        Read::Audit => {
            let log = json_of(who.get("/api/v1/admin/audit?limit=500").await, &what).await;
            log["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "invite_create" && e["target"] == owner.booth)
        }
        Read::Areas => {
            let areas = json_of(who.get("/api/v1/admin/areas").await, &what).await;
            lists(&areas, "code", owner.district)
        }
        Read::Kits => {
            let kits = json_of(who.get("/api/v1/kits").await, &what).await;
            lists(&kits, "title_en", &kit_title(owner.district))
        }
    }
}

fn kit_title(district: &str) -> String {
    format!("Kit of {district}")
}

/// A located, signed photo with its thumbnail, pushed and uploaded by `device`.
async fn capture_in(device: &Device, seed: u8) -> CaptureRecord {
    let bytes = jpeg(seed);
    let mut rec = device.record(&bytes, MediaKind::Photo, "image/jpeg");
    rec.location = Some(Location {
        lat: 26.8 + f64::from(seed) / 100.0,
        lon: 80.9,
        accuracy_m: Some(10.0),
        altitude_m: None,
        source: LocationSource::Gps,
        fix_time: None,
    });
    rec.signature = Some(saakshi_domain::manifest::sign(&device.key, &rec));
    device.capture(&rec, &bytes).await;
    let thumb = device
        .req(Method::POST, &format!("/api/v1/sync/thumbnails/{}", rec.id))
        .body(jpeg(seed.wrapping_add(100)))
        .send()
        .await
        .unwrap();
    assert_eq!(thumb.status(), StatusCode::NO_CONTENT, "thumbnail");
    rec
}

async fn world(bb: &BlackBox) -> Vec<Holding> {
    bb.import_areas(MORE_AREAS);
    let mut out = Vec::new();
    for (i, (district, booth)) in LOOK_ALIKES.into_iter().enumerate() {
        let coordinator = bb.coordinator(&format!("coord-{i}"), district).await;
        let device = bb.enroll(booth).await;
        let capture = capture_in(&device, i as u8 + 1).await;
        out.push(Holding {
            district,
            booth,
            coordinator,
            device,
            capture,
        });
    }
    out
}

/// Every write a coordinator can aim at another area, and whether it was let through.
async fn writes(me: &Holding, other: &Holding) -> Vec<(&'static str, StatusCode)> {
    let s = &me.coordinator;
    let review = s
        .post(
            &format!("/api/v1/review/captures/{}/review", other.capture.id),
            &json!({"verdict": "rejected", "note": "not ours"}),
        )
        .await
        .status();
    let revoke = s
        .post(
            &format!("/api/v1/admin/devices/{}/revoke", other.device.id),
            &json!({"wipe": true}),
        )
        .await
        .status();
    let invite = s
        .post(
            "/api/v1/admin/invites",
            &json!({"area_code": other.booth, "uses": 1, "days": 1}),
        )
        .await
        .status();
    let kit_of_theirs = s
        .post(
            "/api/v1/kits",
            &json!({"title_en": "theirs", "capture_ids": [other.capture.id], "area_codes": [me.district]}),
        )
        .await
        .status();
    let kit_to_them = s
        .post(
            "/api/v1/kits",
            &json!({"title_en": "to them", "capture_ids": [me.capture.id], "area_codes": [other.district]}),
        )
        .await
        .status();
    vec![
        ("review", review),
        ("revoke", revoke),
        ("invite", invite),
        ("kit of their capture", kit_of_theirs),
        ("kit to their area", kit_to_them),
    ]
}

#[tokio::test]
async fn look_alike_areas_never_reach_each_other() {
    let bb = BlackBox::start().await;
    let areas = world(&bb).await;
    let admin = bb.admin_session().await;

    // Every write aimed at a look-alike area is refused, and changes nothing.
    for (i, me) in areas.iter().enumerate() {
        for (j, other) in areas.iter().enumerate() {
            if i == j {
                continue;
            }
            for (write, status) in writes(me, other).await {
                assert!(
                    status.is_client_error() && status != StatusCode::CONFLICT,
                    "coordinator of {} → {write} in {}: {status}",
                    me.district,
                    other.district
                );
            }
        }
    }
    for a in &areas {
        let c = json_of(
            admin
                .get(&format!("/api/v1/review/captures/{}", a.capture.id))
                .await,
            "capture",
        )
        .await;
        assert_eq!(c["review"]["state"], "pending", "{}", a.district);
        let pull = a.device.pull(0).await;
        assert!(
            !pull
                .changes
                .iter()
                .any(|c| matches!(c.change, Change::Revoked { .. })),
            "{} was revoked by a neighbour",
            a.district
        );
    }

    // Within their own area the same writes go through (the invites and kits below are
    // what the read matrix then looks for).
    for a in &areas {
        let s = &a.coordinator;
        let review = s
            .post(
                &format!("/api/v1/review/captures/{}/review", a.capture.id),
                &json!({"verdict": "approved"}),
            )
            .await;
        assert_eq!(
            review.status(),
            StatusCode::OK,
            "own review in {}",
            a.district
        );
        let invite = s
            .post(
                "/api/v1/admin/invites",
                &json!({"area_code": a.booth, "uses": 1, "days": 1}),
            )
            .await;
        assert_eq!(
            invite.status(),
            StatusCode::CREATED,
            "own invite in {}",
            a.district
        );
        let kit = s
            .post(
                "/api/v1/kits",
                &json!({"title_en": kit_title(a.district), "capture_ids": [a.capture.id], "area_codes": [a.district]}),
            )
            .await;
        assert_eq!(
            kit.status(),
            StatusCode::CREATED,
            "own kit in {}",
            a.district
        );
    }

    // The read matrix: route × viewer × owner. A coordinator sees its own area only; the
    // admin sees all four.
    let viewers: Vec<Viewer> = std::iter::once(Viewer::Admin)
        .chain((0..areas.len()).map(Viewer::Coordinator))
        .collect();
    let mut wrong = Vec::new();
    for read in READS {
        for viewer in &viewers {
            let session = match viewer {
                Viewer::Admin => &admin,
                Viewer::Coordinator(i) => &areas[*i].coordinator,
            };
            for (j, owner) in areas.iter().enumerate() {
                let expected = match viewer {
                    Viewer::Admin => true,
                    Viewer::Coordinator(i) => *i == j,
                };
                if sees(read, session, owner).await != expected {
                    wrong.push(format!(
                        "{read:?}: {viewer:?} {} {}",
                        if expected { "misses" } else { "sees" },
                        owner.district
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "scope leaks:\n{}", wrong.join("\n"));
    // The area filter names one district and answers for its subtree only, even to an
    // admin who sees all four.
    for a in &areas {
        let page = json_of(
            admin
                .get(&format!("/api/v1/review/captures?area={}", a.district))
                .await,
            "feed of one area",
        )
        .await;
        let ids: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["id"].as_str())
            .collect();
        assert_eq!(ids, [a.capture.id.to_string()], "?area={}", a.district);
    }

    // Kit delivery: each device receives the kit of its own district and no other, and
    // cannot download a look-alike kit's media either.
    for (i, a) in areas.iter().enumerate() {
        let pull = a.device.pull(0).await;
        let titles: Vec<&str> = pull
            .changes
            .iter()
            .filter_map(|c| match &c.change {
                Change::Kit { kit } => Some(kit.title_en.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            titles,
            [kit_title(a.district)],
            "kits pulled in {}",
            a.district
        );
        for (j, other) in areas.iter().enumerate() {
            if i == j {
                continue;
            }
            let media = a
                .device
                .req(
                    Method::GET,
                    &format!("/api/v1/media/{}", other.capture.sha256.to_hex()),
                )
                .send()
                .await
                .unwrap();
            assert!(
                !shown(media.status(), "kit media"),
                "a device of {} downloaded the kit media of {}",
                a.district,
                other.district
            );
        }
    }
}
