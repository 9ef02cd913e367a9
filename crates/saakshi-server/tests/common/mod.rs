//! A real server on a loopback port, and a device client speaking HTTP to it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::{Client, Response, StatusCode};
use saakshi_domain::wire::{EnrollResponse, PushResponse};
use saakshi_domain::{CaptureId, CaptureRecord, DeviceTime, MediaKind, Sha256};
use saakshi_server::config::Settings;
use saakshi_server::state::AppState;
use sha2::Digest;
use tokio::sync::oneshot;

pub const AREAS: &str = "code,level,name_en,name_hi,parent_code
UP,state,Uttar Pradesh,उत्तर प्रदेश,
LKO,district,Lucknow,लखनऊ,UP
B-104,booth,Booth 104,बूथ 104,LKO
B-105,booth,Booth 105,बूथ 105,LKO
VNS,district,Varanasi,वाराणसी,UP
B-201,booth,Booth 201,बूथ 201,VNS
";

/// A running server.
pub struct TestServer {
    pub url: String,
    pub state: Arc<AppState>,
    pub dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl TestServer {
    /// Starts a server on port 0 with data in `dir`, areas imported.
    pub async fn start(dir: &Path) -> Self {
        Self::start_with(Settings::for_dir(dir)).await
    }

    pub async fn start_with(settings: Settings) -> Self {
        let dir = settings.data_dir.clone();
        let state = saakshi_server::open_state(settings).unwrap();
        if state.db.area("UP".into()).await.unwrap().is_none() {
            saakshi_server::areas_csv::import(state.db.as_ref(), AREAS)
                .await
                .unwrap();
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(saakshi_server::serve_on(
            state.clone(),
            listener,
            async move {
                let _ = rx.await;
            },
        ));
        Self {
            url,
            state,
            dir,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops gracefully and waits.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            t.await.unwrap().unwrap();
        }
    }

    /// A fresh invite for `area`.
    pub async fn invite(&self, area: &str, uses: u32) -> String {
        let exp = chrono::Utc::now() + chrono::Duration::days(1);
        saakshi_server::admin::new_invite(
            self.state.db.as_ref(),
            area.into(),
            uses,
            exp.timestamp_millis(),
        )
        .await
        .unwrap()
    }

    /// Enrols a new device in `area`.
    pub async fn device(&self, area: &str) -> TestDevice {
        let code = self.invite(area, 1).await;
        TestDevice::enroll(&self.url, &code).await
    }
}

/// A device talking to the server over HTTP.
pub struct TestDevice {
    pub url: String,
    pub token: String,
    pub id: String,
    pub http: Client,
}

impl TestDevice {
    pub async fn enroll(url: &str, code: &str) -> Self {
        let http = Client::new();
        let resp = http
            .post(format!("{url}/api/v1/devices/enroll"))
            .json(&serde_json::json!({
                "invite_code": code,
                "device_name": "test phone",
                "platform": "android",
                "public_key": STANDARD.encode(device_key().verifying_key().to_bytes()),
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED);
        let e: EnrollResponse = resp.json().await.unwrap();
        Self {
            url: url.into(),
            token: e.token,
            id: e.device_id.to_string(),
            http,
        }
    }

    pub fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.url)
        };
        self.http.request(method, url).bearer_auth(&self.token)
    }

    pub async fn push(&self, records: &[CaptureRecord]) -> PushResponse {
        let resp = self
            .req(reqwest::Method::POST, "/api/v1/sync/captures")
            .json(&serde_json::json!({ "captures": records }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            resp.status(),
            StatusCode::OK,
            "{}",
            resp.text().await.unwrap()
        );
        resp.json().await.unwrap()
    }

    pub async fn pull(&self, cursor: u64) -> saakshi_domain::wire::PullResponse {
        let resp = self
            .req(
                reqwest::Method::GET,
                &format!("/api/v1/sync/pull?cursor={cursor}"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json().await.unwrap()
    }

    /// tus POST; returns the upload URL path.
    pub async fn create_upload(
        &self,
        len: u64,
        sha: Option<&Sha256>,
        capture: Option<&CaptureId>,
    ) -> String {
        let resp = self.create_upload_raw(len, &metadata(sha, capture)).await;
        assert_eq!(
            resp.status(),
            StatusCode::CREATED,
            "{}",
            resp.text().await.unwrap()
        );
        resp.headers()["location"].to_str().unwrap().to_string()
    }

    pub async fn create_upload_raw(&self, len: u64, metadata: &str) -> Response {
        self.req(reqwest::Method::POST, "/api/v1/uploads/")
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", len.to_string())
            .header("Upload-Metadata", metadata)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch(&self, location: &str, offset: u64, bytes: Vec<u8>) -> Response {
        self.req(reqwest::Method::PATCH, location)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Offset", offset.to_string())
            .header("Content-Type", "application/offset+octet-stream")
            .body(bytes)
            .send()
            .await
            .unwrap()
    }

    pub async fn head(&self, location: &str) -> Response {
        self.req(reqwest::Method::HEAD, location)
            .header("Tus-Resumable", "1.0.0")
            .send()
            .await
            .unwrap()
    }

    /// Uploads `bytes` in chunks of `chunk`.
    pub async fn upload(&self, bytes: &[u8], chunk: usize, capture: Option<&CaptureId>) -> String {
        let sha = sha256(bytes);
        let loc = self
            .create_upload(bytes.len() as u64, Some(&sha), capture)
            .await;
        let mut off = 0;
        while off < bytes.len() {
            let end = (off + chunk).min(bytes.len());
            let r = self.patch(&loc, off as u64, bytes[off..end].to_vec()).await;
            assert_eq!(
                r.status(),
                StatusCode::NO_CONTENT,
                "{}",
                r.text().await.unwrap()
            );
            off = end;
        }
        loc
    }
}

pub fn metadata(sha: Option<&Sha256>, capture: Option<&CaptureId>) -> String {
    let mut parts = vec![format!("filename {}", STANDARD.encode("clip.wav"))];
    if let Some(s) = sha {
        parts.push(format!("sha256 {}", STANDARD.encode(s.to_hex())));
    }
    if let Some(c) = capture {
        parts.push(format!("capture_id {}", STANDARD.encode(c.to_string())));
    }
    parts.join(",")
}

pub fn sha256(b: &[u8]) -> Sha256 {
    Sha256(sha2::Sha256::digest(b).into())
}

/// Deterministic pseudo-random media: a WAV header (the server keeps only bytes that
/// sniff as media), then noise.
pub fn bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
        | 1;
    let mut b: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let header = b"RIFF\x24\0\0\0WAVEfmt ";
    let n = header.len().min(len);
    b[..n].copy_from_slice(&header[..n]);
    b
}

/// A valid record for `media`.
pub fn record(media: &[u8]) -> CaptureRecord {
    CaptureRecord {
        id: CaptureId::new(),
        revision: 1,
        kind: MediaKind::Audio,
        sha256: sha256(media),
        size: media.len() as u64,
        mime: "audio/wav".into(),
        original_name: Some("clip.wav".into()),
        captured_at: DeviceTime {
            utc: chrono::Utc::now(),
            offset_minutes: 330,
        },
        location: None,
        caption: "सभा".into(),
        tags: vec!["rally".into()],
        event: None,
        area_code: Some("B-104".into()),
        signature: None,
    }
}

/// The key every test device enrols with.
pub fn device_key() -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[7; 32])
}

/// A GPS fix with 12 m accuracy.
pub fn located(lat: f64, lon: f64) -> saakshi_domain::Location {
    saakshi_domain::Location {
        lat,
        lon,
        accuracy_m: Some(12.0),
        altitude_m: None,
        source: saakshi_domain::LocationSource::Gps,
        fix_time: None,
    }
}

/// Sends a PATCH (at offset 0) whose body stops after `body`, though `declared` bytes
/// were announced, and leaves the connection hanging, as a phone that lost signal would.
pub async fn hanging_patch(
    phone: &TestDevice,
    loc: &str,
    body: &[u8],
    declared: usize,
) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let addr = phone.url.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "PATCH {loc} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nTus-Resumable: 1.0.0\r\n\
         Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: {declared}\r\n\r\n",
        phone.token
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    s.flush().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    s
}

/// A signed-in coordinator or admin: the session cookie and its CSRF token.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// Creates a user who already chose their password (`correct horse`) and signs them in.
pub async fn login(
    server: &TestServer,
    name: &str,
    role: saakshi_server::store::Role,
    area: Option<&str>,
) -> Session {
    let id = create_user(server, name, role, area).await;
    // As if they had replaced their first password: the server lets nothing else through
    // before that.
    server
        .state
        .db
        .set_password(
            id,
            saakshi_server::passwords::hash_password("correct horse").unwrap(),
            String::new(),
        )
        .await
        .unwrap();
    sign_in(server, name).await
}

/// Creates a user whose password (`correct horse`) must still be changed, and signs
/// them in.
pub async fn login_first_time(
    server: &TestServer,
    name: &str,
    role: saakshi_server::store::Role,
    area: Option<&str>,
) -> Session {
    create_user(server, name, role, area).await;
    sign_in(server, name).await
}

async fn create_user(
    server: &TestServer,
    name: &str,
    role: saakshi_server::store::Role,
    area: Option<&str>,
) -> i64 {
    server
        .state
        .db
        .create_user(
            name.into(),
            role,
            area.map(String::from),
            saakshi_server::passwords::hash_password("correct horse").unwrap(),
        )
        .await
        .unwrap()
        .expect("a new user name")
}

/// Signs an existing user (password `correct horse`) in: a new session.
pub async fn sign_in(server: &TestServer, name: &str) -> Session {
    let resp = Client::new()
        .post(format!("{}/api/v1/auth/login", server.url))
        .json(&serde_json::json!({"name": name, "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let set = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();
    let body: serde_json::Value = resp.json().await.unwrap();
    Session {
        cookie,
        csrf: body["csrf_token"].as_str().unwrap().to_string(),
    }
}
