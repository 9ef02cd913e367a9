//! `GET /api/v1/media/{sha256}`: media downloads with `Range`, `ETag` and
//! `If-None-Match`, streamed from the media store as a ranged read.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saakshi_domain::Sha256;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::media::MediaError;
use crate::security_headers::{MEDIA_CSP, media_headers};
use crate::state::Shared;
use crate::store::NewAudit;

/// A satisfiable byte range, inclusive.
#[derive(Debug, PartialEq, Eq)]
struct ByteRange {
    start: u64,
    end: u64,
}

/// Parses a single `bytes=` range against a length. `Ok(None)`: no (usable) Range
/// header, send everything; `Err(())`: unsatisfiable (416).
fn parse_range(value: Option<&str>, len: u64) -> Result<Option<ByteRange>, ()> {
    let Some(spec) = value.and_then(|v| v.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None); // multiple ranges: answer with the whole body, as RFC 9110 allows
    }
    let (a, b) = spec.split_once('-').ok_or(())?;
    let (a, b) = (a.trim(), b.trim());
    let range = if a.is_empty() {
        let n: u64 = b.parse().map_err(|_| ())?;
        if n == 0 || len == 0 {
            return Err(());
        }
        ByteRange {
            start: len.saturating_sub(n),
            end: len - 1,
        }
    } else {
        let start: u64 = a.parse().map_err(|_| ())?;
        let end = if b.is_empty() {
            len.saturating_sub(1)
        } else {
            b.parse::<u64>().map_err(|_| ())?.min(len.saturating_sub(1))
        };
        if start >= len || end < start {
            return Err(());
        }
        ByteRange { start, end }
    };
    Ok(Some(range))
}

/// Sends media the caller may read: a device its own captures' media and the kits of its
/// area, a coordinator the media of captures in scope.
#[utoipa::path(
    get,
    path = "/api/v1/media/{sha256}",
    tag = "sync",
    security(("device" = []), ("session" = [])),
    params(("sha256" = String, Path, description = "64 hex digits"), ("Range" = Option<String>, Header, description = "one bytes= range"), ("If-None-Match" = Option<String>, Header, description = "the ETag held")),
    responses((status = 200, description = "the media", content_type = "application/octet-stream", body = Vec<u8>), (status = 206, description = "a range of it", body = Vec<u8>), (status = 304, description = "not modified"), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn download(
    State(s): State<Shared>,
    caller: Caller,
    Path(sha): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let sha: Sha256 = sha
        .parse()
        .map_err(|_| ApiError::invalid("media is named by 64 hex digits of its SHA-256"))?;
    let allowed = match &caller {
        Caller::Device(dev) => {
            s.db.device_may_read_media(dev.id, sha).await?
                || s.db.kit_reaches(dev.area_path.clone(), sha).await?
        }
        Caller::User(u) => s.db.scope_may_read_media(u.scope.prefix(), sha).await?,
    };
    let no_such = || ApiError::not_found("no such media for you");
    if !allowed || !s.db.has_media(sha).await? {
        return Err(no_such());
    }
    let etag = format!("\"{}\"", sha.to_hex());
    let etag_value = HeaderValue::from_str(&etag).map_err(ApiError::internal)?;
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        // A cache that updates its copy's headers from a 304 keeps the media's policy.
        return Ok((
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag_value),
                (
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(MEDIA_CSP),
                ),
            ],
        )
            .into_response());
    }
    // The type the server sniffed from the bytes, never the one a device declared.
    let sniffed = s.db.media_mime(sha).await?;
    let len = s.media.media_len(&sha).await?.ok_or_else(no_such)?;
    let range = parse_range(
        headers.get(header::RANGE).and_then(|v| v.to_str().ok()),
        len,
    );
    // A coordinator viewing media is audited once per viewing, not once per Range
    // request a player makes while it streams.
    if let Caller::User(u) = &caller
        && range
            .as_ref()
            .is_ok_and(|r| r.as_ref().is_none_or(|r| r.start == 0))
    {
        s.db.audit(NewAudit {
            actor: u.user.name.clone(),
            action: "media_view",
            target: Some(sha.to_hex()),
            detail: None,
            area_path: u.scope.prefix(),
        })
        .await?;
    }
    let mut resp_headers = media_headers(&sha.to_hex(), sniffed.as_deref());
    resp_headers.insert(header::ETAG, etag_value);
    resp_headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    resp_headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    let (status, start, count) = match range {
        Err(()) => {
            resp_headers.insert(
                header::CONTENT_RANGE,
                HeaderValue::from_str(&format!("bytes */{len}")).map_err(ApiError::internal)?,
            );
            return Ok((StatusCode::RANGE_NOT_SATISFIABLE, resp_headers).into_response());
        }
        Ok(None) => (StatusCode::OK, 0, len),
        Ok(Some(r)) => {
            resp_headers.insert(
                header::CONTENT_RANGE,
                HeaderValue::from_str(&format!("bytes {}-{}/{len}", r.start, r.end))
                    .map_err(ApiError::internal)?,
            );
            (StatusCode::PARTIAL_CONTENT, r.start, r.end - r.start + 1)
        }
    };
    let bytes = match s.media.read_media(&sha, start..start + count).await {
        // Removed as an orphan since its length was read.
        Err(MediaError::NotFound) => return Err(no_such()),
        other => other?,
    };
    resp_headers.insert(header::CONTENT_LENGTH, count.into());
    let body = Body::from_stream(bytes);
    Ok((status, resp_headers, body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let r = |s: &str| parse_range(Some(s), 100);
        assert_eq!(r("bytes=0-9"), Ok(Some(ByteRange { start: 0, end: 9 })));
        assert_eq!(r("bytes=90-"), Ok(Some(ByteRange { start: 90, end: 99 })));
        assert_eq!(r("bytes=-10"), Ok(Some(ByteRange { start: 90, end: 99 })));
        assert_eq!(
            r("bytes=50-1000"),
            Ok(Some(ByteRange { start: 50, end: 99 }))
        );
        assert_eq!(r("bytes=100-"), Err(()));
        assert_eq!(r("bytes=9-3"), Err(()));
        assert_eq!(r("bytes=x-3"), Err(()));
        assert_eq!(r("bytes=0-1,5-6"), Ok(None));
        assert_eq!(r("items=0-1"), Ok(None));
        assert_eq!(parse_range(None, 100), Ok(None));
    }
}
