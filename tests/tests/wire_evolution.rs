//! Old phones meet newer servers for months in the field. A device built from this tree
//! syncs with the real server through a proxy that makes every answer look like it
//! came from a newer version: unknown fields in every JSON object, a media state this
//! version does not know, and a change kind it has never seen. Everything it does know
//! still arrives; the unknown change is skipped and counted. And a Saakshi server whose
//! answer cannot be read at all stops sync with "update the app" instead of retrying.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saakshi_core::Home;
use saakshi_core::sync::{SyncEngine, SyncError, SyncPolicy, keys};
use saakshi_domain::CaptureState;
use saakshi_server::store::{ReviewState, Role};
use saakshi_tests::harness::{Server, capture, enrolled_home, write_media};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// What the rewriting proxy did, so the test knows the old client really met it.
#[derive(Debug, Default)]
struct Rewrites {
    objects_widened: AtomicUsize,
    media_states_renamed: AtomicUsize,
    unknown_changes_sent: AtomicUsize,
}

#[derive(Debug)]
struct NewerServer {
    upstream: String,
    http: reqwest::Client,
    rewrites: Rewrites,
}

/// Adds a field no version of this client knows to every object, nested ones included.
fn widen(v: &mut Value, count: &AtomicUsize) {
    match v {
        Value::Object(map) => {
            for x in map.values_mut() {
                widen(x, count);
            }
            map.insert(
                "added_by_a_newer_server".into(),
                json!({"nested": [1, "two", {"three": null}]}),
            );
            count.fetch_add(1, Ordering::Relaxed);
        }
        Value::Array(items) => items.iter_mut().for_each(|x| widen(x, count)),
        _ => {}
    }
}

impl NewerServer {
    fn rewrite(&self, path: &str, body: &mut Value) {
        if path == "/api/v1/sync/captures" {
            // A newer server names a media state this version does not know.
            for r in body["results"].as_array_mut().into_iter().flatten() {
                if r["media"] == "needed" {
                    r["media"] = json!("needed_after_review");
                    self.rewrites
                        .media_states_renamed
                        .fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        if path == "/api/v1/sync/pull" {
            let cursor = body["cursor"].clone();
            let at = body["server_time"].clone();
            if let Some(changes) = body["changes"].as_array_mut() {
                changes.insert(
                    0,
                    json!({"seq": cursor, "at": at,
                           "change": {"kind": "poll", "question": "Was the booth open?"}}),
                );
                self.rewrites
                    .unknown_changes_sent
                    .fetch_add(1, Ordering::Relaxed);
            }
        }
        widen(body, &self.rewrites.objects_widened);
    }
}

async fn forward(State(p): State<Arc<NewerServer>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let target = format!(
        "{}{}",
        p.upstream,
        parts.uri.path_and_query().map_or("/", |pq| pq.as_str())
    );
    let body = axum::body::to_bytes(body, 64 << 20)
        .await
        .expect("request body");
    let mut out = p.http.request(parts.method, target);
    for (k, v) in &parts.headers {
        if k != header::HOST && k != header::CONTENT_LENGTH {
            out = out.header(k, v);
        }
    }
    let resp = out.body(body).send().await.expect("upstream answers");
    let status = resp.status();
    let headers = resp.headers().clone();
    let mut bytes = resp.bytes().await.expect("upstream body");
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json && let Ok(mut v) = serde_json::from_slice::<Value>(&bytes) {
        p.rewrite(&path, &mut v);
        bytes = Bytes::from(serde_json::to_vec(&v).expect("json"));
    }
    let mut answer = Response::new(Body::from(bytes));
    *answer.status_mut() = status;
    for (k, v) in &headers {
        if k != header::CONTENT_LENGTH && k != header::TRANSFER_ENCODING {
            answer.headers_mut().append(k, v.clone());
        }
    }
    answer
}

/// Serves `app` on a loopback port; returns its URL.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

async fn newer_server_in_front_of(upstream: &str) -> (String, Arc<NewerServer>) {
    let proxy = Arc::new(NewerServer {
        upstream: upstream.to_string(),
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        rewrites: Rewrites::default(),
    });
    let app = axum::Router::new()
        .fallback(forward)
        .with_state(proxy.clone());
    (serve(app).await, proxy)
}

async fn sync(home: &Arc<Home>) -> saakshi_core::sync::PassReport {
    SyncEngine::new(home.clone(), SyncPolicy::default())
        .unwrap()
        .run_until_idle(2)
        .await
        .expect("an old device syncs with a newer server")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_old_device_syncs_through_a_newer_servers_answers() {
    let d = tempfile::tempdir().unwrap();
    let server = Server::start(&d.path().join("server")).await;
    let (url, proxy) = newer_server_in_front_of(&server.url).await;

    // Enrolment, push, media upload and pull all go through the newer answers.
    let author = enrolled_home(&d.path().join("author"), &server, &url, "B-105").await;
    let c = capture(&author, &write_media(&d.path().join("a.wav"), 300 << 10, 1));
    let first = sync(&author).await;
    assert_eq!(first.uploaded, 1, "{first:?}");
    assert_eq!(
        author.capture(&c.record.id).unwrap().state,
        CaptureState::Synced
    );

    // A verdict and a kit come down among changes this version cannot read.
    server
        .state
        .db
        .review_capture(
            None,
            c.record.id,
            ReviewState::Approved,
            Some("clear photo".into()),
            "lucknow".into(),
        )
        .await
        .unwrap();
    let coordinator = server
        .state
        .db
        .create_user(
            "lucknow".into(),
            Role::Coordinator,
            Some("LKO".into()),
            saakshi_server::passwords::hash_password("pw").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    server
        .state
        .db
        .publish_kit(
            coordinator,
            Some("/UP/LKO/".into()),
            ("Rally".into(), "रैली".into()),
            Default::default(),
            vec![c.record.id],
            vec!["LKO".into()],
        )
        .await
        .unwrap()
        .unwrap();
    let second = sync(&author).await;
    let local = author.capture(&c.record.id).unwrap();
    assert_eq!(local.review, "approved");
    assert_eq!(local.review_note.as_deref(), Some("clear photo"));

    let reader = enrolled_home(&d.path().join("reader"), &server, &url, "B-104").await;
    let third = sync(&reader).await;
    let kits = reader.kits().unwrap();
    assert_eq!(kits.len(), 1, "the kit arrives");
    assert_eq!(kits[0].present, vec![true], "with its media");
    assert_eq!(third.kit_media, 1);

    // Every unknown change was skipped, counted, and shown by `status`.
    let sent = proxy.rewrites.unknown_changes_sent.load(Ordering::Relaxed);
    assert!(sent >= 3, "the proxy injected {sent} unknown changes");
    let skipped = first.unknown_changes + second.unknown_changes;
    assert!(skipped >= 2, "{first:?} {second:?}");
    assert_eq!(author.status().unwrap().unknown_changes, skipped as u64);
    assert_eq!(
        reader.status().unwrap().unknown_changes,
        third.unknown_changes as u64
    );
    assert!(proxy.rewrites.objects_widened.load(Ordering::Relaxed) > 10);
    assert!(proxy.rewrites.media_states_renamed.load(Ordering::Relaxed) >= 1);
}

/// A stand-in Saakshi server (it carries `Saakshi-Protocol`) whose push answers are not
/// what this version can read; counts the pushes it gets.
async fn unreadable_server(body: &'static str, protocol: bool) -> (String, Arc<AtomicUsize>) {
    let pushes = Arc::new(AtomicUsize::new(0));
    let answer = move |ct: &'static str| {
        let mut r = (StatusCode::OK, body).into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        if protocol {
            r.headers_mut()
                .insert("saakshi-protocol", HeaderValue::from_static("1"));
        }
        r
    };
    let counted = pushes.clone();
    let app = axum::Router::new()
        .route(
            "/healthz",
            axum::routing::get(move || async move { answer("application/json") }),
        )
        .route(
            "/api/v1/sync/captures",
            axum::routing::post(move || {
                counted.fetch_add(1, Ordering::SeqCst);
                async move {
                    answer(if protocol {
                        "application/json"
                    } else {
                        "text/html"
                    })
                }
            }),
        );
    (serve(app).await, pushes)
}

/// A home that believes it is enrolled with `url`, holding one capture.
fn home_enrolled_with(dir: &std::path::Path, url: &str) -> (Arc<Home>, saakshi_core::LocalCapture) {
    let (home, _) = Home::create(&dir.join("home")).unwrap();
    home.set_setting(keys::SERVER, url).unwrap();
    home.set_setting(keys::TOKEN, "t").unwrap();
    let c = capture(&home, &write_media(&dir.join("a.wav"), 64 << 10, 2));
    (Arc::new(home), c)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_answer_from_saakshi_asks_for_an_update_and_stops() {
    let d = tempfile::tempdir().unwrap();
    let (url, pushes) = unreadable_server(r#"{"results":"in v2 this is a map"}"#, true).await;
    let (home, c) = home_enrolled_with(d.path(), &url);
    let engine = SyncEngine::new(home.clone(), SyncPolicy::default()).unwrap();

    // Six retries allowed: none is used.
    let err = engine.run_until_idle(6).await.unwrap_err();
    assert!(matches!(err, SyncError::UpdateRequired(_)), "{err:?}");
    assert!(err.to_string().contains("update the app"), "{err}");
    assert!(!err.is_transient());
    assert_eq!(pushes.load(Ordering::SeqCst), 1, "no retry");

    // The background loop stops too, instead of asking again and again.
    let stopped = tokio::time::timeout(
        Duration::from_secs(20),
        engine.watch(CancellationToken::new(), Duration::from_millis(10)),
    )
    .await
    .expect("watch stops by itself");
    assert!(matches!(stopped, Err(SyncError::UpdateRequired(_))));
    assert_eq!(pushes.load(Ordering::SeqCst), 2);

    // The capture waits, untouched, for the updated app.
    assert_eq!(
        home.capture(&c.record.id).unwrap().state,
        CaptureState::Captured
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_from_something_else_on_the_network_is_worth_a_retry() {
    // A Wi-Fi sign-in page answers 200 with HTML, and without Saakshi-Protocol.
    let d = tempfile::tempdir().unwrap();
    let (url, pushes) = unreadable_server("<html>Sign in to CafeWiFi</html>", false).await;
    let (home, _) = home_enrolled_with(d.path(), &url);
    let engine = SyncEngine::new(home, SyncPolicy::default()).unwrap();
    let err = engine.pass().await.unwrap_err();
    assert!(err.is_transient(), "{err:?}");
    assert_eq!(pushes.load(Ordering::SeqCst), 1);
}
