//! The tus request handlers: each parses its headers, calls the upload's
//! [lifecycle](super::lifecycle), and answers its outcome as tus says (statuses,
//! `Upload-*` headers) or its [`UploadError`] as the API's error body.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::TimeZone;
use futures_util::{StreamExt, TryStreamExt};
use saakshi_domain::{CaptureId, ErrorCode, Sha256};

use super::lifecycle::{self, Append, Chunk, NewUpload, UploadError};
use super::{TUS_EXTENSIONS, TUS_VERSION, UPLOADS_PATH, headers};
use crate::auth::Device;
use crate::error::{ApiError, ApiResult};
use crate::state::Shared;

const OCTETS: &str = "application/offset+octet-stream";

fn h(name: &'static str) -> HeaderName {
    HeaderName::from_static(name)
}

fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn bad_header(e: headers::HeaderError) -> ApiError {
    ApiError::invalid(e.to_string())
}

/// How each refusal of the lifecycle is answered.
impl From<UploadError> for ApiError {
    fn from(e: UploadError) -> Self {
        let message = e.to_string();
        let (status, code) = match e {
            UploadError::NotFound | UploadError::Discarded(_) => {
                (StatusCode::NOT_FOUND, ErrorCode::NotFound)
            }
            UploadError::NotYours => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            UploadError::Expired => (StatusCode::GONE, ErrorCode::UploadExpired),
            UploadError::Busy => (StatusCode::LOCKED, ErrorCode::Conflict),
            UploadError::OffsetMismatch { .. } => (StatusCode::CONFLICT, ErrorCode::OffsetMismatch),
            UploadError::Invalid(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidInput),
            UploadError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge),
            // 460: the checksum extension's own status.
            UploadError::ChecksumMismatch(_) => (
                StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST),
                ErrorCode::ChecksumMismatch,
            ),
            UploadError::NotMedia(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::InvalidInput)
            }
            UploadError::Store(_) | UploadError::Media(_) | UploadError::Task(_) => {
                return ApiError::internal(message);
            }
        };
        ApiError::client(status, code, message)
    }
}

/// The bytes of a request, with what its headers say about them.
fn chunk(headers: &HeaderMap, body: Body) -> ApiResult<Chunk> {
    let checksum = get(headers, "upload-checksum")
        .map(headers::parse_checksum)
        .transpose()
        .map_err(bad_header)?;
    Ok(Chunk {
        checksum,
        declared_len: get(headers, "content-length").and_then(|v| v.parse::<u64>().ok()),
        body: body
            .into_data_stream()
            .map_err(std::io::Error::other)
            .boxed(),
    })
}

fn http_date(ms: i64) -> HeaderValue {
    let t = chrono::Utc
        .timestamp_millis_opt(ms)
        .single()
        .unwrap_or_default();
    HeaderValue::from_str(&t.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"))
}

fn require_tus(headers: &HeaderMap) -> ApiResult<()> {
    if get(headers, "tus-resumable") != Some(TUS_VERSION) {
        return Err(ApiError::client(
            StatusCode::PRECONDITION_FAILED,
            ErrorCode::UnsupportedProtocol,
            "send Tus-Resumable: 1.0.0",
        ));
    }
    Ok(())
}

/// `OPTIONS`: what this server supports (no authentication, as tus discovery expects).
#[utoipa::path(
    options,
    path = "/api/v1/uploads",
    tag = "tus",
    responses((status = 204, description = "Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm"))
)]
pub async fn options(State(s): State<Shared>) -> Response {
    let mut hm = HeaderMap::new();
    hm.insert(h("tus-version"), HeaderValue::from_static(TUS_VERSION));
    hm.insert(h("tus-extension"), HeaderValue::from_static(TUS_EXTENSIONS));
    hm.insert(h("tus-max-size"), s.settings.limits.max_media_bytes.into());
    hm.insert(
        h("tus-checksum-algorithm"),
        HeaderValue::from_static("sha1,sha256"),
    );
    (StatusCode::NO_CONTENT, hm).into_response()
}

/// `POST`: creates an upload (and, with a body, starts it: creation-with-upload).
#[utoipa::path(
    post,
    path = "/api/v1/uploads",
    tag = "tus",
    security(("device" = [])),
    params(
        ("Tus-Resumable" = String, Header, description = "1.0.0"),
        ("Upload-Length" = Option<u64>, Header, description = "the media's size in bytes"),
        ("Upload-Defer-Length" = Option<String>, Header, description = "1: the size is told later"),
        ("Upload-Metadata" = String, Header, description = "base64 pairs: sha256, capture_id, kind, filename, mime"),
    ),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream", description = "optional first bytes (creation-with-upload)"),
    responses(
        (status = 201, description = "created; Location names it, Upload-Offset says how much of the body was kept"),
        (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody),
    )
)]
pub async fn create(
    State(s): State<Shared>,
    Device(dev): Device,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    require_tus(&headers)?;
    let length = match (
        get(&headers, "upload-length"),
        get(&headers, "upload-defer-length"),
    ) {
        (Some(l), None) => Some(headers::parse_u64("Upload-Length", l).map_err(bad_header)?),
        (None, Some("1")) => None,
        _ => {
            return Err(ApiError::invalid(
                "send either Upload-Length or Upload-Defer-Length: 1",
            ));
        }
    };
    let raw_meta = get(&headers, "upload-metadata")
        .unwrap_or_default()
        .to_string();
    let meta = headers::parse_metadata(&raw_meta).map_err(bad_header)?;
    let text = |k: &str| -> ApiResult<Option<String>> {
        meta.get(k)
            .map(|v| {
                String::from_utf8(v.clone())
                    .map_err(|_| ApiError::invalid(format!("Upload-Metadata: {k} is not UTF-8")))
            })
            .transpose()
    };
    let sha256 = text("sha256")?
        .map(|v| v.parse::<Sha256>())
        .transpose()
        .map_err(|_| ApiError::invalid("Upload-Metadata: sha256 must be 64 hex digits"))?;
    let capture_id = text("capture_id")?
        .map(|v| v.parse::<CaptureId>().map(|id| id.to_string()))
        .transpose()
        .map_err(|_| ApiError::invalid("Upload-Metadata: capture_id must be a UUID"))?;

    // A first body's headers are checked before anything is made.
    let first = (get(&headers, "content-type") == Some(OCTETS))
        .then(|| chunk(&headers, body))
        .transpose()?;
    let new = NewUpload {
        length,
        metadata: raw_meta,
        sha256,
        capture_id,
    };
    let row = lifecycle::create(&s, dev.id, new).await?;

    let mut hm = HeaderMap::new();
    let location = format!("{UPLOADS_PATH}/{}", row.id);
    hm.insert(
        header::LOCATION,
        HeaderValue::from_str(&location).map_err(ApiError::internal)?,
    );
    hm.insert(h("upload-expires"), http_date(row.expires_at));
    if let Some(first) = first {
        let offset = lifecycle::append_first(&s, row, first).await?;
        hm.insert(h("upload-offset"), offset.into());
    }
    Ok((StatusCode::CREATED, hm).into_response())
}

/// `HEAD`: how far an upload got. Takes over from a request stuck on the upload.
#[utoipa::path(
    head,
    path = "/api/v1/uploads/{id}",
    tag = "tus",
    security(("device" = [])),
    params(("id" = String, Path, description = "the upload id (from the Location of its creation)"), ("Tus-Resumable" = String, Header, description = "1.0.0")),
    responses(
        (status = 200, description = "Upload-Offset, and Upload-Length once known"),
        (status = "default", description = "an error (a HEAD answer has no body)"),
    )
)]
pub async fn status(
    State(s): State<Shared>,
    Device(dev): Device,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    require_tus(&headers)?;
    let row = lifecycle::status(&s, &dev, &id).await?;
    let mut hm = HeaderMap::new();
    hm.insert(h("upload-offset"), row.offset.into());
    match row.length {
        Some(l) => hm.insert(h("upload-length"), l.into()),
        None => hm.insert(h("upload-defer-length"), HeaderValue::from_static("1")),
    };
    if !row.metadata.is_empty()
        && let Ok(v) = HeaderValue::from_str(&row.metadata)
    {
        hm.insert(h("upload-metadata"), v);
    }
    hm.insert(h("upload-expires"), http_date(row.expires_at));
    hm.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok((StatusCode::OK, hm).into_response())
}

/// `PATCH`: appends bytes at `Upload-Offset`.
#[utoipa::path(
    patch,
    path = "/api/v1/uploads/{id}",
    tag = "tus",
    security(("device" = [])),
    params(
        ("id" = String, Path, description = "the upload id (from the Location of its creation)"),
        ("Tus-Resumable" = String, Header, description = "1.0.0"),
        ("Upload-Offset" = u64, Header, description = "where these bytes start"),
        ("Upload-Checksum" = Option<String>, Header, description = "sha1 or sha256, then the base64 digest of this body"),
    ),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses(
        (status = 204, description = "appended; Upload-Offset is the new offset"),
        (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody),
    )
)]
pub async fn append(
    State(s): State<Shared>,
    Device(dev): Device,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    require_tus(&headers)?;
    if get(&headers, "content-type") != Some(OCTETS) {
        return Err(ApiError::client(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::MalformedRequest,
            format!("a PATCH carries Content-Type: {OCTETS}"),
        ));
    }
    let offset = headers::parse_u64(
        "Upload-Offset",
        get(&headers, "upload-offset")
            .ok_or_else(|| ApiError::invalid("Upload-Offset is missing"))?,
    )
    .map_err(bad_header)?;
    let length = get(&headers, "upload-length")
        .map(|l| headers::parse_u64("Upload-Length", l))
        .transpose()
        .map_err(bad_header)?;
    let chunk = chunk(&headers, body)?;
    let done = lifecycle::append(&s, &dev, &id, Append { offset, length }, chunk).await?;
    let mut hm = HeaderMap::new();
    hm.insert(h("upload-offset"), done.offset.into());
    if done.length != Some(done.offset) {
        hm.insert(h("upload-expires"), http_date(done.expires_at));
    }
    Ok((StatusCode::NO_CONTENT, hm).into_response())
}

/// `DELETE`: termination.
#[utoipa::path(
    delete,
    path = "/api/v1/uploads/{id}",
    tag = "tus",
    security(("device" = [])),
    params(("id" = String, Path, description = "the upload id (from the Location of its creation)"), ("Tus-Resumable" = String, Header, description = "1.0.0")),
    responses(
        (status = 204, description = "removed, bytes and state"),
        (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody),
    )
)]
pub async fn terminate(
    State(s): State<Shared>,
    Device(dev): Device,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    require_tus(&headers)?;
    lifecycle::terminate(&s, &dev, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
