//! The review API of the dashboard: the feed with filters, one capture, its thumbnail,
//! verdicts, and map points. Out-of-scope captures are answered exactly like missing ones.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use saakshi_domain::wire::AreaSummary;
use saakshi_domain::{CaptureId, DeviceId, MediaKind, validate};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{ApiJson, ApiQuery};
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::provenance::Provenance;
use crate::security_headers::media_headers;
use crate::state::Shared;
use crate::store::MapPoint;
use crate::store::{CapturePage, CaptureQuery, CaptureRow, NewAudit, ReviewState};

/// The feed's filters, as query parameters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Filters {
    /// An area code: captures from devices of its whole subtree.
    area: Option<String>,
    /// Taken at or after (RFC 3339).
    from: Option<String>,
    /// Taken before (RFC 3339).
    to: Option<String>,
    /// photo, video, audio or note.
    kind: Option<String>,
    /// A tag.
    tag: Option<String>,
    /// An event.
    event: Option<String>,
    /// pending, approved, rejected or needs_info.
    review: Option<String>,
    /// A device id.
    device: Option<String>,
    /// true or false.
    located: Option<String>,
    /// Text in the caption.
    q: Option<String>,
    /// Page size, 1 to 200 (the feed; default 50).
    limit: Option<u32>,
    /// The `next` of the previous page (the feed).
    before: Option<String>,
}

/// An RFC 3339 query parameter, or a 400 naming it.
pub(super) fn time(name: &str, v: &str) -> ApiResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(v)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ApiError::invalid(format!("{name}: give a time like 2026-11-26T09:00:00Z")))
}

impl Filters {
    /// The store query, or a 400 naming the parameter at fault.
    pub fn query(&self) -> ApiResult<CaptureQuery> {
        fn blank(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        Ok(CaptureQuery {
            area: blank(&self.area).map(str::to_string),
            from: blank(&self.from).map(|v| time("from", v)).transpose()?,
            to: blank(&self.to).map(|v| time("to", v)).transpose()?,
            kind: blank(&self.kind)
                .map(|v| {
                    MediaKind::parse(v)
                        .ok_or_else(|| ApiError::invalid("kind is photo, video, audio or note"))
                })
                .transpose()?,
            tag: blank(&self.tag).map(str::to_string),
            event: blank(&self.event).map(str::to_string),
            review: blank(&self.review)
                .map(|v| {
                    ReviewState::parse(v).ok_or_else(|| {
                        ApiError::invalid("review is pending, approved, rejected or needs_info")
                    })
                })
                .transpose()?,
            device: blank(&self.device)
                .map(|v| {
                    v.parse::<DeviceId>()
                        .map_err(|_| ApiError::invalid("device must be a device id"))
                })
                .transpose()?,
            located: blank(&self.located)
                .map(|v| match v {
                    "true" => Ok(true),
                    "false" => Ok(false),
                    _ => Err(ApiError::invalid("located is true or false")),
                })
                .transpose()?,
            text: blank(&self.q).map(str::to_string),
        })
    }

    /// The filters in words, for the audit log.
    pub fn describe(&self) -> String {
        serde_json::to_string(&json!({
            "area": self.area, "from": self.from, "to": self.to, "kind": self.kind,
            "tag": self.tag, "event": self.event, "review": self.review,
            "device": self.device, "located": self.located, "q": self.q,
        }))
        .unwrap_or_default()
    }
}

/// `GET /api/v1/review/captures`: a page of the feed.
#[utoipa::path(
    get,
    path = "/api/v1/review/captures",
    tag = "review",
    security(("session" = [])),
    params(Filters),
    responses((status = 200, body = CapturePage), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn feed(
    State(s): State<Shared>,
    u: User,
    ApiQuery(f): ApiQuery<Filters>,
) -> ApiResult<axum::Json<CapturePage>> {
    let limit = f.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid("limit is 1 to 200"));
    }
    let page =
        s.db.query_captures(u.scope.prefix(), f.query()?, f.before.clone(), limit)
            .await?
            .map_err(|e| ApiError::invalid(e.to_string()))?;
    Ok(axum::Json(page))
}

fn capture_id(id: &str) -> ApiResult<CaptureId> {
    id.parse()
        .map_err(|_| ApiError::not_found("no such capture"))
}

async fn in_scope(s: &Shared, u: &User, id: CaptureId) -> ApiResult<CaptureRow> {
    s.db.capture_in_scope(u.scope.prefix(), id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such capture"))
}

/// One capture as the dashboard's detail shows it: the row, its area's names, and the
/// provenance verdict.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaptureDetail {
    /// The capture.
    #[serde(flatten)]
    row: CaptureRow,
    /// The device's area (the capture's scope).
    area: Option<AreaSummary>,
    /// Whether the device signed it, and whether it still matches.
    provenance: Provenance,
    /// Device time is the device's clock; this says how far off that clock last was (ms,
    /// device minus server), so the dashboard can show device time and an estimate of
    /// the true time side by side.
    device_clock_skew_ms: Option<i64>,
}

/// The detail answer.
async fn detail(s: &Shared, row: CaptureRow) -> ApiResult<CaptureDetail> {
    let area = s.db.area(row.scope_area.clone()).await?.map(|(a, _)| a);
    let provenance = crate::provenance::verdict(s, &row).await?;
    let device_clock_skew_ms = s.db.device_clock_skew(row.device_id).await?;
    Ok(CaptureDetail {
        row,
        area,
        provenance,
        device_clock_skew_ms,
    })
}

/// `GET /api/v1/review/captures/{id}`.
#[utoipa::path(
    get,
    path = "/api/v1/review/captures/{id}",
    tag = "review",
    security(("session" = [])),
    params(("id" = String, Path, description = "the capture id")),
    responses((status = 200, body = CaptureDetail), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn one(
    State(s): State<Shared>,
    u: User,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<CaptureDetail>> {
    let row = in_scope(&s, &u, capture_id(&id)?).await?;
    Ok(axum::Json(detail(&s, row).await?))
}

/// `GET /api/v1/review/captures/{id}/thumbnail`.
#[utoipa::path(
    get,
    path = "/api/v1/review/captures/{id}/thumbnail",
    operation_id = "review_thumbnail",
    tag = "review",
    security(("session" = [])),
    params(("id" = String, Path, description = "the capture id")),
    responses((status = 200, description = "the JPEG preview", content_type = "image/jpeg", body = Vec<u8>), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn thumbnail(
    State(s): State<Shared>,
    u: User,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let id = capture_id(&id)?;
    let jpeg =
        s.db.thumbnail_in_scope(u.scope.prefix(), id)
            .await?
            .ok_or_else(|| ApiError::not_found("this capture has no thumbnail"))?;
    // Device-made bytes: a JPEG by its magic (checked when it was sent), and served
    // like any media, sandboxed.
    let mut headers = media_headers(&format!("thumbnail-{id}"), Some("image/jpeg"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    Ok((headers, jpeg))
}

/// `{"verdict", "note"}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// approved, rejected or needs_info.
    verdict: String,
    /// Why; required but to approve.
    #[serde(default)]
    note: Option<String>,
}

/// `POST /api/v1/review/captures/{id}/review`: the verdict reaches the device at its
/// next pull.
#[utoipa::path(
    post,
    path = "/api/v1/review/captures/{id}/review",
    tag = "review",
    security(("session" = [], "csrf" = [])),
    params(("id" = String, Path, description = "the capture id")),
    request_body = Verdict,
    responses((status = 200, body = CaptureDetail), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn review(
    State(s): State<Shared>,
    u: User,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<Verdict>,
) -> ApiResult<axum::Json<CaptureDetail>> {
    let id = capture_id(&id)?;
    let verdict = match ReviewState::parse(&req.verdict) {
        Some(ReviewState::Pending) | None => {
            return Err(ApiError::invalid(
                "verdict is approved, rejected or needs_info",
            ));
        }
        Some(v) => v,
    };
    let note = req
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    if let Some(n) = &note {
        validate::text("note", n, validate::MAX_CAPTION_CHARS)
            .map_err(|e| ApiError::invalid(e.to_string()))?;
    }
    if note.is_none() && verdict != ReviewState::Approved {
        return Err(ApiError::invalid(
            "say why in a note when rejecting or asking for more",
        ));
    }
    let row = in_scope(&s, &u, id).await?;
    let reviewed =
        s.db.review_capture(
            u.scope.prefix(),
            id,
            verdict,
            note.clone(),
            u.user.name.clone(),
        )
        .await?;
    if !reviewed {
        return Err(ApiError::not_found("no such capture"));
    }
    let area_path = s.db.area(row.scope_area.clone()).await?.map(|(_, p)| p);
    s.db.audit(NewAudit {
        actor: u.user.name.clone(),
        action: "review",
        target: Some(id.to_string()),
        detail: Some(match &note {
            Some(n) => format!("{}: {n}", verdict.as_str()),
            None => verdict.as_str().to_string(),
        }),
        area_path,
    })
    .await?;
    let row = in_scope(&s, &u, id).await?;
    Ok(axum::Json(detail(&s, row).await?))
}

/// At most this many points on one map.
const MAX_POINTS: u32 = 50_000;

/// `GET /api/v1/review/points`: located captures matching the filters, with the names
/// of their areas (the map labels them even without tiles).
#[utoipa::path(
    get,
    path = "/api/v1/review/points",
    tag = "review",
    security(("session" = [])),
    params(Filters),
    responses((status = 200, body = MapPoints), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn points(
    State(s): State<Shared>,
    u: User,
    ApiQuery(f): ApiQuery<Filters>,
) -> ApiResult<axum::Json<MapPoints>> {
    let points =
        s.db.map_points(u.scope.prefix(), f.query()?, MAX_POINTS)
            .await?;
    let mut codes: Vec<&str> = points.iter().map(|p| p.area_code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut areas = Vec::new();
    for code in codes {
        if let Some((a, _)) = s.db.area(code.to_string()).await? {
            areas.push(AreaName {
                code: a.code,
                name_en: a.name_en,
                name_hi: a.name_hi,
            });
        }
    }
    Ok(axum::Json(MapPoints { points, areas }))
}

/// The map: located captures matching the filters, and the names of their areas.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MapPoints {
    /// At most 50,000.
    points: Vec<MapPoint>,
    /// The areas the points belong to.
    areas: Vec<AreaName>,
}

/// An area's names, to label the map.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AreaName {
    /// Area code.
    code: String,
    /// English name.
    name_en: String,
    /// Hindi name.
    name_hi: String,
}
