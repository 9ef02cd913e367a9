//! The tus request handlers.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::TimeZone;
use futures_util::StreamExt;
use saakshi_domain::media_type::{self, NotMedia};
use saakshi_domain::{CaptureId, ErrorCode, Sha256};
use sha2::Digest;

use super::headers::{self, ChecksumAlgorithm};
use super::slots::SlotGuard;
use super::writer::{RequestHasher, UploadWriter, Written};
use super::{TUS_EXTENSIONS, TUS_VERSION, UPLOADS_PATH};
use crate::auth::Device;
use crate::error::{ApiError, ApiResult};
use crate::metrics::Metrics;
use crate::state::{AppState, Shared};
use crate::store::UploadRow;

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

fn checksum_mismatch(message: &str) -> ApiError {
    ApiError::client(
        StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST),
        ErrorCode::ChecksumMismatch,
        message,
    )
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
    check_length(&s, length)?;
    check_quota(&s, dev.id, length.unwrap_or(0)).await?;
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

    let id = uuid::Uuid::now_v7().simple().to_string();
    let expires_at = s.clock.now_ms() + s.settings.upload_expiry.as_millis() as i64;
    s.media.create_upload(&id).await?;
    let row = UploadRow {
        id: id.clone(),
        device_id: dev.id,
        length,
        offset: 0,
        metadata: raw_meta,
        sha256,
        expires_at,
        done_sha256: None,
    };
    s.db.create_upload(row.clone(), capture_id).await?;

    let mut hm = HeaderMap::new();
    let location = format!("{UPLOADS_PATH}/{id}");
    hm.insert(
        header::LOCATION,
        HeaderValue::from_str(&location).map_err(ApiError::internal)?,
    );
    hm.insert(h("upload-expires"), http_date(expires_at));
    if get(&headers, "content-type") == Some(OCTETS) {
        let guard = acquire(&s, &id).await?;
        let offset = receive_detached(&s, row, guard, &headers, body).await?;
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
    let (guard, row) = take_over(&s, &dev, &id).await?;
    let row = settle(&s, row).await?;
    drop(guard);
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
    let (guard, row) = take_over(&s, &dev, &id).await?;
    let mut row = settle(&s, row).await?;
    if offset != row.offset {
        return Err(ApiError::client(
            StatusCode::CONFLICT,
            ErrorCode::OffsetMismatch,
            format!(
                "Upload-Offset is {offset}, but the server holds {} bytes",
                row.offset
            ),
        ));
    }
    if let Some(l) = get(&headers, "upload-length") {
        let l = headers::parse_u64("Upload-Length", l).map_err(bad_header)?;
        match row.length {
            Some(known) if known != l => {
                return Err(ApiError::invalid("Upload-Length cannot change once set"));
            }
            Some(_) => {}
            None if l < row.offset => {
                return Err(ApiError::invalid(
                    "Upload-Length is smaller than what was already sent",
                ));
            }
            None => {
                check_length(&s, Some(l))?;
                check_quota(&s, dev.id, l - row.offset).await?;
                row.length = Some(l);
            }
        }
    }
    let done_already = row.done_sha256.is_some();
    let new_offset = if done_already {
        row.offset
    } else {
        receive_detached(&s, row.clone(), guard, &headers, body).await?
    };
    let mut hm = HeaderMap::new();
    hm.insert(h("upload-offset"), new_offset.into());
    if row.length != Some(new_offset) {
        hm.insert(h("upload-expires"), http_date(row.expires_at));
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
    let _guard = take_over(&s, &dev, &id).await?;
    s.media.remove_upload(&id).await?;
    s.db.delete_upload(id.clone()).await?;
    s.uploads.remove(&id);
    Ok(StatusCode::NO_CONTENT)
}

/// Removes uploads past their expiry, bytes and state. Returns how many.
pub async fn sweep_expired(s: &AppState) -> ApiResult<usize> {
    let ids = s.db.expired_uploads(s.clock.now_ms()).await?;
    for id in &ids {
        let _guard = s.uploads.acquire(id).await;
        s.media.remove_upload(id).await?;
        s.db.delete_upload(id.clone()).await?;
        s.uploads.remove(id);
    }
    Ok(ids.len())
}

/// Stores every upload whose last byte is in but whose media was never stored (the
/// server stopped in between). Run at start-up. Returns how many were settled.
pub async fn settle_stalled(s: &AppState) -> ApiResult<usize> {
    let mut n = 0;
    for id in s.db.stalled_uploads().await? {
        let _guard = s.uploads.acquire(&id).await;
        if let Some(row) = s.db.upload(id.clone()).await? {
            match settle(s, row).await {
                Ok(_) => n += 1,
                Err(e) => {
                    tracing::warn!(upload = %id, error = %e, "a stalled upload was discarded")
                }
            }
        }
    }
    Ok(n)
}

/// An upload whose last byte is in, but whose media was never stored: the server
/// stopped between saving the offset and storing the bytes. Stores it now, so that an
/// offset equal to the length always means "stored and verified" to the client. Call
/// with the upload's slot held.
async fn settle(s: &AppState, mut row: UploadRow) -> ApiResult<UploadRow> {
    if row.done_sha256.is_some() || row.length != Some(row.offset) {
        return Ok(row);
    }
    let bytes_here = match s.media.upload_path(&row.id) {
        Some(p) => tokio::fs::try_exists(p).await?,
        None => false,
    };
    let digest = if bytes_here {
        let hasher = s.media.hash_prefix(&row.id, row.offset).await?;
        match finish(s, &row, hasher, row.offset).await {
            Err(e) if e.status().as_u16() == 460 => {
                return Err(ApiError::not_found(
                    "this upload's bytes did not hash to the declared sha256 and were \
                     discarded; start a new one",
                ));
            }
            other => other?,
        }
    } else {
        // Moved to its content address already: that happens only after the hash check.
        match row.sha256 {
            Some(sha) if tokio::fs::try_exists(s.media.media_path(&sha)).await? => {
                let mime = match media_type::sniff(&s.media.media_head(&sha).await?) {
                    Ok(sniffed) => sniffed.mime,
                    Err(what) => {
                        discard(s, &row).await?;
                        return Err(not_media(&what));
                    }
                };
                let _stores = s.media_lock.lock().await;
                s.db.add_media(sha, row.offset, row.device_id, mime).await?;
                s.db.finish_upload(row.id.clone(), sha).await?;
                sha
            }
            _ => {
                s.db.delete_upload(row.id.clone()).await?;
                s.uploads.remove(&row.id);
                return Err(ApiError::not_found(
                    "this upload's bytes were lost before they were stored; start a new one",
                ));
            }
        }
    };
    row.done_sha256 = Some(digest);
    Ok(row)
}

/// Refuses `more` bytes from a device that would then hold more than its quota.
async fn check_quota(s: &AppState, device: saakshi_domain::DeviceId, more: u64) -> ApiResult<()> {
    let quota = s.settings.limits.max_device_bytes;
    let used = s.db.device_stored_bytes(device).await?;
    if used.saturating_add(more) > quota {
        return Err(quota_exceeded(used, quota));
    }
    Ok(())
}

fn quota_exceeded(used: u64, quota: u64) -> ApiError {
    ApiError::too_large(format!(
        "this device already has {used} bytes on the server and may have at most {quota}; \
         ask a coordinator to raise max_device_bytes"
    ))
}

/// For an upload whose length is deferred, how many more bytes it may take, and the
/// refusal once it tries to take more: the media limit and the device's quota both hold
/// while the bytes arrive, since no Upload-Length was checked up front.
async fn deferred_room(s: &AppState, row: &UploadRow) -> ApiResult<(u64, ApiError)> {
    let limits = &s.settings.limits;
    let media_room = limits.max_media_bytes.saturating_sub(row.offset);
    let used = s.db.device_stored_bytes(row.device_id).await?;
    let quota_room = limits.max_device_bytes.saturating_sub(used);
    Ok(if quota_room < media_room {
        (quota_room, quota_exceeded(used, limits.max_device_bytes))
    } else {
        (
            media_room,
            ApiError::too_large(format!(
                "the media is larger than this server takes (at most {} bytes)",
                limits.max_media_bytes
            )),
        )
    })
}

fn check_length(s: &AppState, length: Option<u64>) -> ApiResult<()> {
    match length {
        Some(0) => Err(ApiError::invalid(
            "Upload-Length is 0; media cannot be empty",
        )),
        Some(l) if l > s.settings.limits.max_media_bytes => Err(ApiError::too_large(format!(
            "the media is {l} bytes; this server takes at most {}",
            s.settings.limits.max_media_bytes
        ))),
        _ => Ok(()),
    }
}

/// The upload's slot and its row, for a request of the device that owns it. A free slot
/// is simply taken (the common case: one database read). A busy one is taken over from
/// the request holding it, but only once the upload is known to be this device's, so
/// that no other device can interrupt it; the row is then read again, as the request
/// that let go may have moved it on.
async fn take_over(
    s: &AppState,
    dev: &crate::store::DeviceRow,
    id: &str,
) -> ApiResult<(SlotGuard, UploadRow)> {
    if let Some(guard) = s.uploads.try_acquire(id) {
        return Ok((guard, load_owned(s, dev, id).await?));
    }
    load_owned(s, dev, id).await?;
    let guard = acquire(s, id).await?;
    Ok((guard, load_owned(s, dev, id).await?))
}

async fn acquire(s: &AppState, id: &str) -> ApiResult<SlotGuard> {
    s.uploads.acquire(id).await.ok_or_else(|| {
        ApiError::client(
            StatusCode::LOCKED,
            ErrorCode::Conflict,
            "another request is still working on this upload; retry shortly",
        )
    })
}

/// The upload, if it exists, belongs to this device and has not expired.
async fn load_owned(s: &AppState, dev: &crate::store::DeviceRow, id: &str) -> ApiResult<UploadRow> {
    let missing = || ApiError::not_found("no such upload");
    if s.media.upload_path(id).is_none() {
        return Err(missing());
    }
    let row = s.db.upload(id.to_string()).await?.ok_or_else(missing)?;
    if row.device_id != dev.id {
        return Err(ApiError::forbidden("this upload belongs to another device"));
    }
    if row.expires_at <= s.clock.now_ms() {
        return Err(ApiError::client(
            StatusCode::GONE,
            ErrorCode::UploadExpired,
            "this upload expired and was removed; start a new one",
        ));
    }
    Ok(row)
}

/// [`receive`] on a task of its own. A client that vanishes makes the server drop its
/// request handler; the bytes that arrived must still be saved and, if they were the
/// last, stored — never an offset saved as complete and the media left unstored.
async fn receive_detached(
    s: &Shared,
    row: UploadRow,
    guard: SlotGuard,
    headers: &HeaderMap,
    body: Body,
) -> ApiResult<u64> {
    let (s, headers) = (s.clone(), headers.clone());
    tokio::spawn(async move { receive(&s, row, guard, &headers, body).await })
        .await
        .map_err(ApiError::internal)?
}

/// Streams a request body into the upload at `row.offset`, fsyncs, saves the new offset,
/// and finishes the upload when the last byte is in. Returns the new offset.
///
/// A body cut short (dead connection, or another request taking over) keeps every byte
/// that arrived, unless the request carried a checksum, which then cannot be verified.
async fn receive(
    s: &AppState,
    row: UploadRow,
    mut guard: SlotGuard,
    headers: &HeaderMap,
    body: Body,
) -> ApiResult<u64> {
    let checksum = get(headers, "upload-checksum")
        .map(headers::parse_checksum)
        .transpose()
        .map_err(bad_header)?;
    let declared = get(headers, "content-length").and_then(|v| v.parse::<u64>().ok());
    if let (Some(len), Some(cl)) = (row.length, declared)
        && row.offset + cl > len
    {
        return Err(ApiError::too_large("the body runs past Upload-Length"));
    }
    let deferred = match row.length {
        Some(_) => None,
        None => Some(deferred_room(s, &row).await?),
    };
    if let (Some((room, refusal)), Some(cl)) = (&deferred, declared)
        && cl > *room
    {
        return Err(refusal.clone());
    }
    let base = match guard.state.hash.take() {
        Some((at, h)) if at == row.offset => h,
        _ => s.media.hash_prefix(&row.id, row.offset).await?,
    };
    let request = checksum.as_ref().map(|(algo, _)| match algo {
        ChecksumAlgorithm::Sha1 => RequestHasher::Sha1(sha1::Sha1::new()),
        ChecksumAlgorithm::Sha256 => RequestHasher::Sha256(sha2::Sha256::new()),
    });
    let mut writer = UploadWriter::start(
        &s.upload_buffer,
        &s.media,
        &row.id,
        row.offset,
        base.clone(),
        request,
    );
    let mut cut_short = false;
    let mut too_long = false;
    let mut stream = body.into_data_stream();
    loop {
        let next = tokio::select! {
            biased;
            () = guard.cancel.cancelled() => { cut_short = true; break; }
            next = stream.next() => next,
        };
        let chunk = match next {
            None => break,
            Some(Err(_)) => {
                cut_short = true;
                break;
            }
            Some(Ok(chunk)) => chunk,
        };
        let after = writer.queued + chunk.len() as u64;
        let past_end = match (row.length, &deferred) {
            (Some(len), _) => row.offset + after > len,
            (None, Some((room, _))) => after > *room,
            (None, None) => false,
        };
        if past_end {
            too_long = true;
            break;
        }
        if !writer.push(chunk).await {
            break; // the disk side failed; finish() says why
        }
    }
    let Written {
        hasher,
        request,
        bytes: received,
    } = writer.finish().await?;

    let refuse = if too_long {
        Some(match deferred {
            Some((_, refusal)) => refusal,
            None => ApiError::too_large("the body runs past Upload-Length"),
        })
    } else if let (Some((_, want)), Some(got)) = (&checksum, request) {
        (cut_short || got.finish() != *want).then(|| {
            checksum_mismatch("Upload-Checksum does not match the bytes sent; they were discarded")
        })
    } else {
        None
    };
    if let Some(err) = refuse {
        // Put the upload back exactly as it was before this request.
        let (media, id, offset) = (s.media.clone(), row.id.clone(), row.offset);
        tokio::task::spawn_blocking(move || media.open_upload_at(&id, offset)?.sync_all())
            .await
            .map_err(ApiError::internal)??;
        guard.state.hash = Some((row.offset, base));
        return Err(err);
    }

    let new_offset = row.offset + received;
    if received > 0 || row.length.is_some() {
        s.db.set_upload_progress(row.id.clone(), new_offset, row.length)
            .await?;
    }
    Metrics::add(&s.metrics.upload_bytes, received);
    if row.length == Some(new_offset) {
        finish(s, &row, hasher, new_offset).await?;
    } else {
        guard.state.hash = Some((new_offset, hasher));
    }
    Ok(new_offset)
}

/// Removes a complete upload that was refused, bytes and state.
async fn discard(s: &AppState, row: &UploadRow) -> ApiResult<()> {
    s.media.remove_upload(&row.id).await?;
    s.db.delete_upload(row.id.clone()).await?;
    s.uploads.remove(&row.id);
    Metrics::add(&s.metrics.uploads_rejected, 1);
    Ok(())
}

/// 415: the bytes are not a photo, video or audio type of the allowlist, judged by the
/// same sniff the device applies before it imports a file.
fn not_media(what: &NotMedia) -> ApiError {
    ApiError::client(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::InvalidInput,
        format!(
            "the uploaded bytes are not a photo, video or audio file Saakshi keeps ({what}); \
             the upload was discarded"
        ),
    )
}

/// The last byte is in: check the whole file's hash and that it is media, then store it
/// by content address with the MIME type sniffed from it. Returns the hash.
async fn finish(
    s: &AppState,
    row: &UploadRow,
    hasher: sha2::Sha256,
    len: u64,
) -> ApiResult<Sha256> {
    let digest = Sha256(hasher.finalize().into());
    if row.sha256.is_some_and(|declared| declared != digest) {
        discard(s, row).await?;
        return Err(checksum_mismatch(
            "the uploaded bytes do not hash to the declared sha256; the upload was discarded",
        ));
    }
    let mime = match media_type::sniff(&s.media.upload_head(&row.id).await?) {
        Ok(sniffed) => sniffed.mime,
        Err(what) => {
            discard(s, row).await?;
            return Err(not_media(&what));
        }
    };
    {
        let _stores = s.media_lock.lock().await;
        s.media.finish_upload(&row.id, &digest).await?;
        s.db.add_media(digest, len, row.device_id, mime).await?;
    }
    s.db.finish_upload(row.id.clone(), digest).await?;
    s.uploads.remove(&row.id);
    Metrics::add(&s.metrics.uploads_completed, 1);
    Ok(digest)
}
