//! The device sync calls: push records, pull changes, send thumbnails.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use saakshi_domain::wire::{
    MediaState, PullResponse, PushRequest, PushResponse, PushResult, PushStatus,
};
use saakshi_domain::{CaptureId, ErrorCode};
use serde::Deserialize;

use super::{ApiBytes, ApiJson, ApiQuery};
use crate::auth::{AnyDevice, Device};
use crate::error::{ApiError, ApiResult};
use crate::metrics::Metrics;
use crate::state::Shared;
use crate::store::{Audience, UpsertOutcome};
use crate::tus::UPLOADS_PATH;

/// Largest thumbnail accepted.
pub const MAX_THUMBNAIL_BYTES: usize = 64 * 1024;
/// Most changes in one pull.
const PULL_PAGE: u32 = 500;

/// `POST /api/v1/sync/captures`: idempotent upsert of a batch, one answer per record.
#[utoipa::path(
    post,
    path = "/api/v1/sync/captures",
    tag = "sync",
    security(("device" = [])),
    request_body = PushRequest,
    responses((status = 200, body = PushResponse), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn push(
    State(s): State<Shared>,
    Device(dev): Device,
    ApiJson(req): ApiJson<PushRequest>,
) -> ApiResult<axum::Json<PushResponse>> {
    let max = s.settings.limits.max_batch;
    if req.captures.len() > max {
        return Err(ApiError::too_large(format!(
            "{} captures in one push; at most {max} are allowed",
            req.captures.len()
        )));
    }
    if let Some(skew) = req.clock_skew_ms {
        s.db.set_clock_skew(dev.id, skew).await?;
    }
    // Validate each record; store all valid ones in one transaction.
    let mut results: Vec<PushResult> = Vec::with_capacity(req.captures.len());
    let mut valid = Vec::new();
    for rec in req.captures {
        let mut r = PushResult {
            id: rec.id,
            status: PushStatus::Accepted,
            code: None,
            message: None,
            revision: None,
            media: None,
            upload_url: None,
            offset: None,
            challenge: None,
        };
        let max_bytes = s.settings.limits.max_media_bytes;
        if let Err(e) = rec.validate() {
            r.status = PushStatus::Rejected;
            r.code = Some(ErrorCode::InvalidInput);
            r.message = Some(e.to_string());
        } else if rec.size > max_bytes {
            // Refused here, not only at upload time: stored sizes are read back as i64.
            r.status = PushStatus::Rejected;
            r.code = Some(ErrorCode::PayloadTooLarge);
            r.message = Some(format!(
                "media of {} bytes is over this server's limit of {max_bytes}",
                rec.size
            ));
        } else {
            valid.push((results.len(), rec));
        }
        results.push(r);
    }
    let (slots, records): (Vec<usize>, Vec<_>) = valid.into_iter().unzip();
    let claims: Vec<_> = records.iter().map(|r| (r.sha256, r.size)).collect();
    let outcomes =
        s.db.upsert_captures(dev.id, dev.area_code.clone(), records)
            .await?;
    let now = crate::store::now_ms();
    for ((i, outcome), (rec_sha, rec_size)) in slots.into_iter().zip(outcomes).zip(claims) {
        let r = &mut results[i];
        match outcome {
            UpsertOutcome::Accepted { revision, media } => {
                Metrics::add(&s.metrics.captures_accepted, 1);
                r.revision = Some(revision);
                r.media = Some(media.0);
                if media.0 == MediaState::Needed {
                    r.challenge = Some(s.possession.challenge(&dev.id, &rec_sha, rec_size, now));
                }
                if let (MediaState::Uploading, Some((offset, upload))) = media {
                    r.offset = Some(offset);
                    r.upload_url = Some(format!("{UPLOADS_PATH}/{upload}"));
                }
            }
            UpsertOutcome::Conflict { revision } => {
                r.status = PushStatus::Conflict;
                r.code = Some(ErrorCode::Conflict);
                r.revision = Some(revision);
                r.message = Some(format!(
                    "the server holds revision {revision} of this capture"
                ));
            }
            UpsertOutcome::Rejected { code, message } => {
                r.status = PushStatus::Rejected;
                r.code = Some(code);
                r.message = Some(message);
            }
        }
    }
    Ok(axum::Json(PushResponse {
        results,
        server_time: chrono::Utc::now(),
    }))
}

/// `?cursor=N`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    /// The `cursor` of the previous page; 0 (or none) for the start.
    #[serde(default)]
    cursor: u64,
}

/// `GET /api/v1/sync/pull?cursor=N`: what changed for this device since the cursor.
/// Revoked devices may pull, to learn that they were revoked.
#[utoipa::path(
    get,
    path = "/api/v1/sync/pull",
    tag = "sync",
    security(("device" = [])),
    params(PullQuery),
    responses((status = 200, body = PullResponse), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn pull(
    State(s): State<Shared>,
    AnyDevice(dev): AnyDevice,
    ApiQuery(q): ApiQuery<PullQuery>,
) -> ApiResult<axum::Json<PullResponse>> {
    // Cursors are SQLite rowids (i64): a larger one would wrap negative and replay all.
    let from = i64::try_from(q.cursor).map_err(|_| {
        ApiError::invalid(format!(
            "cursor {} is beyond any change; pass the last cursor this server gave",
            q.cursor
        ))
    })?;
    let audience = if dev.revoked {
        Audience::Revoked
    } else {
        Audience::Active {
            area_path: dev.area_path.clone(),
        }
    };
    let (changes, more) =
        s.db.changes_since(dev.id, audience, from, PULL_PAGE)
            .await?;
    let cursor = changes.last().map_or(q.cursor, |c| c.seq);
    Ok(axum::Json(PullResponse {
        changes,
        cursor,
        more,
        server_time: chrono::Utc::now(),
    }))
}

/// `POST /api/v1/sync/thumbnails/{capture_id}`: a small JPEG preview.
#[utoipa::path(
    post,
    path = "/api/v1/sync/thumbnails/{capture_id}",
    operation_id = "send_thumbnail",
    tag = "sync",
    security(("device" = [])),
    params(("capture_id" = String, Path, description = "the capture id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "a JPEG preview, at most 64 KiB"),
    responses((status = 204, description = "stored"), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn thumbnail(
    State(s): State<Shared>,
    Device(dev): Device,
    Path(id): Path<String>,
    ApiBytes(body): ApiBytes,
) -> ApiResult<StatusCode> {
    let id: CaptureId = id
        .parse()
        .map_err(|_| ApiError::invalid("the capture id is not a UUID"))?;
    if body.len() < 4 || body[..3] != [0xFF, 0xD8, 0xFF] {
        return Err(ApiError::invalid("a thumbnail must be a JPEG"));
    }
    if !s.db.put_thumbnail(dev.id, id, body.to_vec()).await? {
        return Err(ApiError::not_found(
            "no capture with this id from this device; push it first",
        ));
    }
    Ok(StatusCode::NO_CONTENT)
}
