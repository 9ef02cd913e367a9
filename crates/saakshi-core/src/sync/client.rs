//! The HTTP side of sync: the v1 API and tus 1.0, with every failure classified.

use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use saakshi_domain::wire::{
    EnrollRequest, EnrollResponse, PROTOCOL_HEADER, ProofRequest, ProofResponse, PullResponse,
    PushRequest, PushResponse,
};
use saakshi_domain::{CaptureId, ErrorCode};

use super::error::{SyncError, status_is_transient};

/// What a PATCH achieved.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PatchResult {
    /// The server now holds this many bytes.
    Advanced(u64),
    /// Our offset was stale; ask again.
    OffsetMismatch,
    /// The upload is gone (expired, terminated, discarded).
    Gone,
    /// The server found the bytes do not match the hash; it discarded the upload.
    ChecksumMismatch(String),
}

/// What a tus creation achieved.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Created {
    /// The upload's URL, and how many bytes of the creating request the server kept.
    At(String, u64),
    /// The whole media came with the request and the server found it does not match the
    /// hash; it discarded the upload.
    ChecksumMismatch(String),
}

/// A client of one Saakshi server. Its `Debug` shows the server, never the token.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the server at `base` (`http(s)://host[:port]`), with a device token
    /// once enrolled.
    pub fn new(base: &str, token: Option<String>) -> Result<Self, SyncError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("saakshi/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Permanent(format!("cannot set up HTTP: {e}")))?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_string(),
            token,
        })
    }

    /// The server's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Resolves a URL the server gave (absolute, or an absolute path).
    pub(crate) fn resolve(&self, url: &str) -> String {
        if url.starts_with("http://") || url.starts_with("https://") {
            url.to_string()
        } else {
            format!("{}/{}", self.base, url.trim_start_matches('/'))
        }
    }

    fn req(&self, method: Method, url: &str) -> RequestBuilder {
        let b = self
            .http
            .request(method, self.resolve(url))
            .timeout(Duration::from_secs(60));
        match &self.token {
            Some(t) => b.bearer_auth(t),
            None => b,
        }
    }

    /// Sends, and turns anything but 2xx into a classified error.
    async fn send(&self, b: RequestBuilder) -> Result<Response, SyncError> {
        let resp = b.send().await.map_err(|e| SyncError::from_transport(&e))?;
        if resp.status().is_success() {
            Ok(resp)
        } else {
            Err(error_from(resp).await)
        }
    }

    /// `GET /healthz`; returns this device's clock minus the server's, in ms (from the
    /// `Date` header: to the second).
    pub async fn probe(&self) -> Result<i64, SyncError> {
        let b = self
            .http
            .get(self.resolve("/healthz"))
            .timeout(Duration::from_secs(10));
        let resp = self.send(b).await?;
        let server = resp
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|s| chrono::DateTime::parse_from_rfc2822(s).ok());
        Ok(server.map_or(0, |t| {
            chrono::Utc::now().timestamp_millis() - t.timestamp_millis()
        }))
    }

    /// `POST /api/v1/devices/enroll`.
    pub async fn enroll(&self, req: &EnrollRequest) -> Result<EnrollResponse, SyncError> {
        let resp = self
            .send(self.req(Method::POST, "/api/v1/devices/enroll").json(req))
            .await?;
        decode(resp, "the enrolment").await
    }

    /// `POST /api/v1/sync/captures`.
    pub async fn push(&self, req: &PushRequest) -> Result<PushResponse, SyncError> {
        let resp = self
            .send(self.req(Method::POST, "/api/v1/sync/captures").json(req))
            .await?;
        decode(resp, "the push").await
    }

    /// `POST /api/v1/sync/proofs`: answers to the challenges of a push.
    pub(crate) async fn proofs(&self, req: &ProofRequest) -> Result<ProofResponse, SyncError> {
        let resp = self
            .send(self.req(Method::POST, "/api/v1/sync/proofs").json(req))
            .await?;
        decode(resp, "the proofs").await
    }

    /// `POST /api/v1/sync/thumbnails/{id}`.
    pub async fn thumbnail(&self, id: &CaptureId, jpeg: Vec<u8>) -> Result<(), SyncError> {
        let b = self
            .req(Method::POST, &format!("/api/v1/sync/thumbnails/{id}"))
            .header(reqwest::header::CONTENT_TYPE, "image/jpeg")
            .body(jpeg);
        self.send(b).await.map(|_| ())
    }

    /// `GET /api/v1/sync/pull?cursor=N`.
    pub async fn pull(&self, cursor: u64) -> Result<PullResponse, SyncError> {
        let resp = self
            .send(self.req(Method::GET, &format!("/api/v1/sync/pull?cursor={cursor}")))
            .await?;
        decode(resp, "the pull").await
    }

    /// `GET /api/v1/media/{sha256}` from byte `from` on (a `Range` request when resuming).
    pub(crate) async fn media(
        &self,
        sha256: &saakshi_domain::Sha256,
        from: u64,
    ) -> Result<Response, SyncError> {
        let mut b = self
            .req(Method::GET, &format!("/api/v1/media/{}", sha256.to_hex()))
            .timeout(Duration::from_secs(3600));
        if from > 0 {
            b = b.header(reqwest::header::RANGE, format!("bytes={from}-"));
        }
        self.send(b).await
    }

    /// tus creation, with the first `len` bytes from `body` (creation-with-upload) when
    /// `len > 0`; returns the upload's URL and the bytes the server kept.
    pub(crate) async fn tus_create(
        &self,
        endpoint: &str,
        length: u64,
        metadata: &str,
        (len, body): (u64, reqwest::Body),
        timeout: Duration,
    ) -> Result<Created, SyncError> {
        let mut b = self
            .req(Method::POST, endpoint)
            .timeout(timeout)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", length.to_string())
            .header("Upload-Metadata", metadata);
        if len > 0 {
            b = b
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/offset+octet-stream",
                )
                .header(reqwest::header::CONTENT_LENGTH, len.to_string())
                .body(body);
        }
        let resp = b.send().await.map_err(|e| SyncError::from_transport(&e))?;
        match resp.status().as_u16() {
            200..=299 => {}
            460 => return Ok(Created::ChecksumMismatch(message_of(resp).await)),
            _ => return Err(error_from(resp).await),
        }
        let loc = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                SyncError::transient("the server created an upload without saying where")
            })?;
        // No Upload-Offset: the server kept none of the body (it may ignore it).
        let kept = resp
            .headers()
            .get("upload-offset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            .min(len);
        Ok(Created::At(self.resolve(loc), kept))
    }

    /// tus HEAD: the server's offset, or `None` if the upload is gone.
    pub(crate) async fn tus_offset(&self, url: &str) -> Result<Option<u64>, SyncError> {
        let b = self.req(Method::HEAD, url).header("Tus-Resumable", "1.0.0");
        let resp = b.send().await.map_err(|e| SyncError::from_transport(&e))?;
        match resp.status() {
            StatusCode::NOT_FOUND | StatusCode::GONE | StatusCode::FORBIDDEN => return Ok(None),
            s if !s.is_success() => return Err(error_from(resp).await),
            _ => {}
        }
        let offset = resp
            .headers()
            .get("upload-offset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| SyncError::transient("the server's answer had no Upload-Offset"))?;
        Ok(Some(offset))
    }

    /// tus PATCH of `len` bytes from `body` at `offset`.
    pub(crate) async fn tus_patch(
        &self,
        url: &str,
        offset: u64,
        len: u64,
        body: reqwest::Body,
        timeout: Duration,
    ) -> Result<PatchResult, SyncError> {
        let b = self
            .req(Method::PATCH, url)
            .timeout(timeout)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Offset", offset.to_string())
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/offset+octet-stream",
            )
            .header(reqwest::header::CONTENT_LENGTH, len.to_string())
            .body(body);
        let resp = b.send().await.map_err(|e| SyncError::from_transport(&e))?;
        match resp.status().as_u16() {
            200..=299 => resp
                .headers()
                .get("upload-offset")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .map(PatchResult::Advanced)
                .ok_or_else(|| SyncError::transient("the server's answer had no Upload-Offset")),
            409 => Ok(PatchResult::OffsetMismatch),
            404 | 410 => Ok(PatchResult::Gone),
            460 => Ok(PatchResult::ChecksumMismatch(message_of(resp).await)),
            _ => Err(error_from(resp).await),
        }
    }
}

/// Reads a 2xx JSON answer. A body cut short is a network failure (transient). A body
/// that is not the JSON this version expects is one of two things: when the answer
/// carries `Saakshi-Protocol`, a Saakshi server that speaks something newer, which no
/// retry can fix ("update the app"); without it, something else answered in the
/// server's place (a Wi-Fi sign-in page, a proxy), which goes away by itself.
async fn decode<T: serde::de::DeserializeOwned>(
    resp: Response,
    what: &str,
) -> Result<T, SyncError> {
    let from_saakshi = resp.headers().contains_key(PROTOCOL_HEADER);
    let body = resp
        .bytes()
        .await
        .map_err(|e| SyncError::from_transport(&e))?;
    serde_json::from_slice(&body).map_err(|e| {
        if from_saakshi {
            SyncError::UpdateRequired(format!("{what}: {e}"))
        } else {
            SyncError::transient(format!(
                "something other than the Saakshi server answered {what} (a Wi-Fi sign-in page?)"
            ))
        }
    })
}

/// `{"error": {"code", "message"}}` as a device reads it: a code this version does not
/// know still brings its message (the domain's `ErrorBody` is what the server writes).
#[derive(serde::Deserialize)]
struct ErrorAnswer {
    error: ErrorAnswerDetail,
}

#[derive(serde::Deserialize)]
struct ErrorAnswerDetail {
    #[serde(default)]
    code: serde_json::Value,
    message: String,
}

impl ErrorAnswer {
    fn code(&self) -> Option<ErrorCode> {
        serde_json::from_value(self.error.code.clone()).ok()
    }
}

async fn message_of(resp: Response) -> String {
    let status = resp.status();
    match resp.json::<ErrorAnswer>().await {
        Ok(b) => b.error.message,
        Err(_) => format!("the server answered {status}"),
    }
}

/// Classifies a non-2xx answer.
async fn error_from(resp: Response) -> SyncError {
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = resp.json::<ErrorAnswer>().await.ok();
    let message = body.as_ref().map_or_else(
        || format!("the server answered {status}"),
        |b| b.error.message.clone(),
    );
    match (status, body.and_then(|b| b.code())) {
        (401, _) | (403, Some(ErrorCode::DeviceRevoked)) => SyncError::Refused(message),
        (s, _) if status_is_transient(s) => SyncError::Transient {
            message,
            retry_after,
        },
        _ => SyncError::Permanent(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_names_the_server_but_never_the_token() {
        let c = Client::new("http://10.0.0.5:8470", Some("s3cr3t-t0ken".into())).unwrap();
        let shown = format!("{c:?}");
        assert!(shown.contains("10.0.0.5"), "{shown}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }
}
