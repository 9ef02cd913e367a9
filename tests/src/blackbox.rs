//! The security suite's server: the real `saakshi-server` binary in its own process, seen
//! only through its HTTP API and its admin command line, as an attacker would see it.
//!
//! CI points `SAAKSHI_SERVER_BIN` at the release build; without it the suite runs the
//! debug `saakshi-server-under-test` that Cargo builds beside the test binaries.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use saakshi_domain::wire::{EnrollResponse, PullResponse, PushResponse};
use saakshi_domain::{CaptureId, CaptureRecord, DeviceTime, MediaKind, Sha256};
use sha2::Digest;

use crate::harness::AREAS;

/// A running server process with its own data directory.
#[derive(Debug)]
pub struct BlackBox {
    /// `http://127.0.0.1:port`.
    pub url: String,
    /// The data directory (removed when the server is dropped).
    pub dir: tempfile::TempDir,
    /// The first admin's one-time password, as the server printed it.
    pub admin_password: String,
    bin: PathBuf,
    config: Option<PathBuf>,
    child: Child,
    http: Client,
}

/// The password every account of the suite ends up with.
pub const PASSWORD: &str = "correct horse battery";

/// Which binary to run: `SAAKSHI_SERVER_BIN`, else the debug build beside the tests.
pub fn server_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("SAAKSHI_SERVER_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("test binary path");
    // target/debug/deps/<test> → target/debug/saakshi-server-under-test
    exe.parent()
        .and_then(|deps| deps.parent())
        .expect("target dir")
        .join("saakshi-server-under-test")
}

impl BlackBox {
    /// Starts with the default settings and the suite's area tree ([`AREAS`]).
    pub async fn start() -> Self {
        Self::start_with("").await
    }

    /// Starts with `toml` as its settings file (may be empty) and the area tree.
    pub async fn start_with(toml: &str) -> Self {
        Self::start_bin(server_bin(), toml).await
    }

    /// [`BlackBox::start_with`] on the server binary `bin` (the benchmarks run the
    /// release build).
    pub async fn start_bin(bin: PathBuf, toml: &str) -> Self {
        Self::start_inner(bin, toml, false).await
    }

    /// [`BlackBox::start`] with everything the server logs (`RUST_LOG=debug`) kept in a
    /// file, read by [`BlackBox::log`].
    pub async fn start_logged() -> Self {
        Self::start_inner(server_bin(), "", true).await
    }

    /// What the server has logged so far (only when started by
    /// [`BlackBox::start_logged`]).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    async fn start_inner(bin: PathBuf, toml: &str, logged: bool) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = (!toml.is_empty()).then(|| {
            let p = dir.path().join("settings.toml");
            std::fs::write(&p, toml).expect("write settings");
            p
        });
        let mut cmd = Command::new(&bin);
        cmd.arg("--data-dir")
            .arg(dir.path())
            .args(["--listen", "127.0.0.1:0"]);
        if let Some(c) = &config {
            cmd.arg("--config").arg(c);
        }
        if logged {
            let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
            cmd.env("RUST_LOG", "debug").stderr(log);
        } else {
            cmd.env("RUST_LOG", "warn").stderr(Stdio::inherit());
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
        let stdout = child.stdout.take().expect("stdout");
        // The server prints its admin password, then "listening on URL" once bound.
        let (url, admin_password) = tokio::task::spawn_blocking(move || {
            let mut password = None;
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref() {
                let line = line.expect("server stdout");
                if let Some(p) = line.split("one-time password: ").nth(1) {
                    password = Some(p.trim().to_string());
                }
                if let Some(u) = line.strip_prefix("saakshi-server: listening on ") {
                    let url = u.trim().to_string();
                    // Keep draining so the server never blocks on a full pipe.
                    std::thread::spawn(move || for _ in lines {});
                    return (url, password.expect("the first start creates admin"));
                }
            }
            panic!("the server exited before listening");
        })
        .await
        .expect("reading the server's output");
        let bb = Self {
            url,
            dir,
            admin_password,
            bin,
            config,
            child,
            http: Client::new(),
        };
        let areas = bb.dir.path().join("areas.csv");
        std::fs::write(&areas, AREAS).expect("write areas");
        bb.admin(&["import-areas", areas.to_str().expect("utf-8 path")]);
        bb
    }

    /// Runs `saakshi-server admin ARGS` on the same data; panics unless it succeeds.
    /// Returns its standard output.
    pub fn admin(&self, args: &[&str]) -> String {
        let out = self.admin_raw(args);
        assert!(
            out.status.success(),
            "admin {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Runs `saakshi-server admin ARGS`, whatever its outcome.
    pub fn admin_raw(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("--data-dir").arg(self.dir.path());
        if let Some(c) = &self.config {
            cmd.arg("--config").arg(c);
        }
        cmd.arg("admin")
            .args(args)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run the admin command")
    }

    /// Imports more areas (CSV with the usual header).
    pub fn import_areas(&self, csv: &str) {
        let p = self.dir.path().join("more-areas.csv");
        std::fs::write(&p, csv).expect("write areas");
        self.admin(&["import-areas", p.to_str().expect("utf-8 path")]);
    }

    /// A fresh invite code for `area` with `uses` uses.
    pub fn invite_uses(&self, area: &str, uses: u32) -> String {
        let out = self.admin(&[
            "invite",
            "--area",
            area,
            "--uses",
            &uses.to_string(),
            "--json",
        ]);
        let v: serde_json::Value = serde_json::from_str(out.trim()).expect("invite JSON");
        v["code"].as_str().expect("code").to_string()
    }

    /// A fresh one-use invite code for `area`.
    pub fn invite(&self, area: &str) -> String {
        self.invite_uses(area, 1)
    }

    /// Enrols a new device (with a fresh key) in `area`.
    pub async fn enroll(&self, area: &str) -> Device {
        let code = self.invite(area);
        Device::enroll(&self.url, &code).await
    }

    /// Creates a coordinator of `area`, signs them in and sets [`PASSWORD`].
    pub async fn coordinator(&self, name: &str, area: &str) -> Session {
        let out = self.admin(&["create-user", name, "--role", "coordinator", "--area", area]);
        let first = first_password(&out);
        self.first_sign_in(name, &first).await
    }

    /// Creates another admin, signs them in and sets [`PASSWORD`].
    pub async fn new_admin(&self, name: &str) -> Session {
        let out = self.admin(&["create-user", name, "--role", "admin"]);
        let first = first_password(&out);
        self.first_sign_in(name, &first).await
    }

    /// The first admin (`admin`), signed in with [`PASSWORD`] set.
    pub async fn admin_session(&self) -> Session {
        match self.sign_in("admin", PASSWORD).await {
            Ok(s) => s,
            Err(_) => {
                let pw = self.admin_password.clone();
                self.first_sign_in("admin", &pw).await
            }
        }
    }

    /// Signs in with a first password, changes it to [`PASSWORD`], signs in again.
    async fn first_sign_in(&self, name: &str, first: &str) -> Session {
        let s = self
            .sign_in(name, first)
            .await
            .unwrap_or_else(|r| panic!("first sign-in of {name}: {r}"));
        let resp = s
            .req(Method::POST, "/api/v1/auth/password")
            .json(&serde_json::json!({"current": first, "new": PASSWORD}))
            .send()
            .await
            .expect("change password");
        assert_eq!(resp.status(), StatusCode::NO_CONTENT, "change password");
        self.sign_in(name, PASSWORD)
            .await
            .unwrap_or_else(|r| panic!("sign-in of {name}: {r}"))
    }

    /// Signs in; `Err` carries the refusal's status and body.
    pub async fn sign_in(&self, name: &str, password: &str) -> Result<Session, String> {
        let resp = self
            .http
            .post(format!("{}/api/v1/auth/login", self.url))
            .json(&serde_json::json!({"name": name, "password": password}))
            .send()
            .await
            .expect("login request");
        if resp.status() != StatusCode::OK {
            return Err(format!(
                "{} {}",
                resp.status(),
                resp.text().await.unwrap_or_default()
            ));
        }
        let set = resp.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .to_string();
        let cookie = set.split(';').next().expect("cookie pair").to_string();
        let body: serde_json::Value = resp.json().await.expect("login JSON");
        Ok(Session {
            url: self.url.clone(),
            cookie,
            csrf: body["csrf_token"].as_str().expect("csrf").to_string(),
            http: self.http.clone(),
        })
    }

    /// A request with no credentials at all.
    pub fn anonymous(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, format!("{}{path}", self.url))
    }

    /// The server's `/metrics` text.
    pub async fn metrics(&self) -> String {
        self.anonymous(Method::GET, "/metrics")
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text")
    }

    /// The server's process id (for memory readings).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for BlackBox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn first_password(admin_output: &str) -> String {
    admin_output
        .split("(shown once): ")
        .nth(1)
        .expect("the admin command prints the first password")
        .trim()
        .to_string()
}

/// A signed-in coordinator or admin.
#[derive(Debug, Clone)]
pub struct Session {
    /// The server.
    pub url: String,
    /// `saakshi_session=…`.
    pub cookie: String,
    /// The session's CSRF token.
    pub csrf: String,
    http: Client,
}

impl Session {
    /// A request with the cookie and the CSRF token.
    pub fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.url))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
    }

    /// GET `path`; the response whatever its status.
    pub async fn get(&self, path: &str) -> Response {
        self.req(Method::GET, path).send().await.expect("GET")
    }

    /// POST `body` as JSON to `path`.
    pub async fn post(&self, path: &str, body: &serde_json::Value) -> Response {
        self.req(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("POST")
    }
}

/// An enrolled device talking to the server as a phone would (or as an attacker with a
/// valid invite would: it can send any record and any bytes).
#[derive(Debug)]
pub struct Device {
    /// The server.
    pub url: String,
    /// Its id.
    pub id: String,
    /// Its bearer token.
    pub token: String,
    /// Its signing key.
    pub key: ed25519_dalek::SigningKey,
    http: Client,
}

impl Device {
    /// Enrols with `code` and a fresh key; panics unless the server says 201.
    pub async fn enroll(url: &str, code: &str) -> Self {
        let mut seed = [0u8; 32];
        rand::rng().fill_bytes(&mut seed);
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        let http = Client::new();
        let resp = http
            .post(format!("{url}/api/v1/devices/enroll"))
            .json(&serde_json::json!({
                "invite_code": code,
                "device_name": "security suite phone",
                "platform": "android",
                "public_key": STANDARD.encode(key.verifying_key().to_bytes()),
            }))
            .send()
            .await
            .expect("enroll");
        assert_eq!(resp.status(), StatusCode::CREATED, "enrolment");
        let e: EnrollResponse = resp.json().await.expect("enroll JSON");
        Self {
            url: url.into(),
            id: e.device_id.to_string(),
            token: e.token,
            key,
            http,
        }
    }

    /// A request with the bearer token.
    pub fn req(&self, method: Method, path: &str) -> RequestBuilder {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.url)
        };
        self.http.request(method, url).bearer_auth(&self.token)
    }

    /// Pushes records; the raw response.
    pub async fn push_raw(&self, records: &[CaptureRecord]) -> Response {
        self.req(Method::POST, "/api/v1/sync/captures")
            .json(&serde_json::json!({ "captures": records }))
            .send()
            .await
            .expect("push")
    }

    /// Pushes records; panics unless 200.
    pub async fn push(&self, records: &[CaptureRecord]) -> PushResponse {
        let resp = self.push_raw(records).await;
        assert_eq!(resp.status(), StatusCode::OK, "push");
        resp.json().await.expect("push JSON")
    }

    /// Pulls from `cursor`; panics unless 200.
    pub async fn pull(&self, cursor: u64) -> PullResponse {
        let resp = self
            .req(Method::GET, &format!("/api/v1/sync/pull?cursor={cursor}"))
            .send()
            .await
            .expect("pull");
        assert_eq!(resp.status(), StatusCode::OK, "pull");
        resp.json().await.expect("pull JSON")
    }

    /// tus creation with `Upload-Length` and these metadata pairs; the raw response.
    pub async fn create_upload(&self, len: u64, metadata: &[(&str, &str)]) -> Response {
        self.req(Method::POST, "/api/v1/uploads/")
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", len.to_string())
            .header("Upload-Metadata", upload_metadata(metadata))
            .send()
            .await
            .expect("tus POST")
    }

    /// One tus PATCH; the raw response.
    pub async fn patch(&self, location: &str, offset: u64, bytes: Vec<u8>) -> Response {
        self.req(Method::PATCH, location)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Offset", offset.to_string())
            .header("Content-Type", "application/offset+octet-stream")
            .body(bytes)
            .send()
            .await
            .expect("tus PATCH")
    }

    /// Uploads `bytes` whole for the capture `rec` (one PATCH); the PATCH's response.
    pub async fn upload(&self, rec: &CaptureRecord, bytes: &[u8]) -> Response {
        let location = self.open_upload(rec, bytes.len() as u64).await;
        self.patch(&location, 0, bytes.to_vec()).await
    }

    /// Creates the tus upload of `rec`'s media (`len` bytes); its location. Panics
    /// unless the server answers 201.
    pub async fn open_upload(&self, rec: &CaptureRecord, len: u64) -> String {
        let sha = rec.sha256.to_hex();
        let id = rec.id.to_string();
        let created = self
            .create_upload(
                len,
                &[
                    ("sha256", &sha),
                    ("capture_id", &id),
                    ("kind", rec.kind.as_str()),
                    ("mime", &rec.mime),
                    ("filename", rec.original_name.as_deref().unwrap_or("media")),
                ],
            )
            .await;
        assert_eq!(created.status(), StatusCode::CREATED, "tus creation");
        created.headers()["location"]
            .to_str()
            .expect("location")
            .to_string()
    }

    /// A PATCH over a raw connection whose headers promise all of `bytes` but whose body
    /// stops after the first `sent` of them, as a phone on a crawling link does; the
    /// connection is returned so that it stays open.
    pub async fn stall_patch(
        &self,
        location: &str,
        bytes: &[u8],
        sent: usize,
    ) -> std::io::Result<tokio::net::TcpStream> {
        use tokio::io::AsyncWriteExt;
        let path = location.strip_prefix(&self.url).unwrap_or(location);
        let host = self.url.trim_start_matches("http://");
        let mut conn = tokio::net::TcpStream::connect(host).await?;
        let head = format!(
            "PATCH {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\n\
             Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n\
             Content-Type: application/offset+octet-stream\r\nContent-Length: {}\r\n\r\n",
            self.token,
            bytes.len()
        );
        conn.write_all(head.as_bytes()).await?;
        conn.write_all(&bytes[..sent]).await?;
        conn.flush().await?;
        Ok(conn)
    }

    /// Pushes `rec` and uploads `bytes` for it; panics unless both are accepted.
    pub async fn capture(&self, rec: &CaptureRecord, bytes: &[u8]) {
        let pushed = self.push(std::slice::from_ref(rec)).await;
        assert_eq!(
            pushed.results[0].status,
            saakshi_domain::wire::PushStatus::Accepted,
            "{:?}",
            pushed.results[0]
        );
        let patched = self.upload(rec, bytes).await;
        assert_eq!(patched.status(), StatusCode::NO_CONTENT, "upload");
    }

    /// A record of `bytes` as `kind`/`mime`, signed with this device's key.
    pub fn record(&self, bytes: &[u8], kind: MediaKind, mime: &str) -> CaptureRecord {
        let mut rec = CaptureRecord {
            id: CaptureId::new(),
            revision: 1,
            kind,
            sha256: sha256(bytes),
            size: bytes.len() as u64,
            mime: mime.into(),
            original_name: Some("media".into()),
            captured_at: DeviceTime {
                utc: chrono::Utc::now(),
                offset_minutes: 330,
            },
            location: None,
            caption: "security suite".into(),
            tags: vec![],
            event: None,
            area_code: None,
            signature: None,
        };
        rec.signature = Some(saakshi_domain::manifest::sign(&self.key, &rec));
        rec
    }
}

/// `Upload-Metadata` from key/value pairs (values base64).
pub fn upload_metadata(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k} {}", STANDARD.encode(v)))
        .collect::<Vec<_>>()
        .join(",")
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> Sha256 {
    Sha256(sha2::Sha256::digest(bytes).into())
}

/// A small, real JPEG (decodable), different for each `seed`.
pub fn jpeg(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(16, 16, |x, y| {
        image::Rgb([seed, (x * 16) as u8, (y * 16) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode JPEG");
    out.into_inner()
}

/// Waits for `f` to hold, up to `within` (for effects the server applies after answering).
pub async fn eventually(within: Duration, mut f: impl AsyncFnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if f().await {
            return true;
        }
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
