//! The coordinators' view of captures: a filtered feed paged by a cursor, one capture's
//! detail, map points, and review verdicts (which reach the device at its next pull).
//! Every query is confined to a scope (an area path prefix; `None` for admins).

use chrono::{DateTime, Utc};
use saakshi_domain::{CaptureId, CaptureRecord, DeviceId, MediaKind};
use serde::Serialize;

use super::StoreResult;

/// A review verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Nobody reviewed it yet.
    Pending,
    /// Fit to use.
    Approved,
    /// Not fit to use.
    Rejected,
    /// The reviewer asks the volunteer for more.
    NeedsInfo,
}

impl ReviewState {
    /// As stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::NeedsInfo => "needs_info",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Approved,
            Self::Rejected,
            Self::NeedsInfo,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// A capture's review.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Review {
    /// The verdict.
    pub state: ReviewState,
    /// The reviewer's note.
    pub note: Option<String>,
    /// Who reviewed.
    pub by: Option<String>,
    /// When.
    pub at: Option<DateTime<Utc>>,
}

/// A stored capture as listings show it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CaptureRow {
    /// The record.
    #[serde(flatten)]
    pub record: CaptureRecord,
    /// Who pushed it.
    pub device_id: DeviceId,
    /// The device's name.
    pub device_name: String,
    /// The device's area: the capture's scope.
    pub scope_area: String,
    /// `present` when the verified media is stored, else `missing`.
    pub media: &'static str,
    /// When the server first received the record.
    pub received_at: DateTime<Utc>,
    /// The review.
    pub review: Review,
    /// Whether the device sent a thumbnail.
    pub has_thumbnail: bool,
}

/// Which captures: every field narrows; `None` does not.
#[derive(Clone, Debug, Default)]
pub struct CaptureQuery {
    /// Captures from devices of this area's subtree.
    pub area: Option<String>,
    /// Taken at or after.
    pub from: Option<DateTime<Utc>>,
    /// Taken before.
    pub to: Option<DateTime<Utc>>,
    /// Of this kind.
    pub kind: Option<MediaKind>,
    /// Carrying this tag.
    pub tag: Option<String>,
    /// Of this event.
    pub event: Option<String>,
    /// In this review state.
    pub review: Option<ReviewState>,
    /// From this device.
    pub device: Option<DeviceId>,
    /// With (true) or without (false) a location.
    pub located: Option<bool>,
    /// Caption containing this text (case-insensitive for ASCII).
    pub text: Option<String>,
}

/// One page of the feed.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CapturePage {
    /// Newest arrival first.
    pub items: Vec<CaptureRow>,
    /// Pass as `before` for the next page; `None` on the last.
    pub next: Option<String>,
    /// How many captures match in all.
    pub total: u64,
}

/// A located capture, for the map.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MapPoint {
    /// The capture.
    pub id: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Photo, video, …
    pub kind: String,
    /// Review state.
    pub review: String,
    /// The device's area.
    pub area_code: String,
}

/// Where a page ends: `(received_at, id)` of its last row.
pub fn cursor_of(row: &CaptureRow) -> String {
    format!("{}~{}", row.received_at.timestamp_millis(), row.record.id)
}

/// The inverse of [`cursor_of`]: `None` for anything it did not make.
pub fn parse_cursor(c: &str) -> Option<(i64, String)> {
    let (ms, id) = c.split_once('~')?;
    Some((ms.parse().ok()?, id.parse::<CaptureId>().ok()?.to_string()))
}

/// Why a query's parameters were refused.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadQuery(pub String);

/// The coordinators' feed, map and verdicts, each confined to a scope.
#[async_trait::async_trait]
pub trait Reviews: Send + Sync {
    /// One page of captures in `scope` matching `q`, newest arrival first, with the
    /// number matching in all.
    async fn query_captures(
        &self,
        scope: Option<String>,
        q: CaptureQuery,
        before: Option<String>,
        limit: u32,
    ) -> StoreResult<Result<CapturePage, BadQuery>>;

    /// Like [`Reviews::query_captures`], counting the total only when `count` (an export
    /// walking every page needs no count per page).
    async fn capture_page(
        &self,
        scope: Option<String>,
        q: CaptureQuery,
        before: Option<String>,
        limit: u32,
        count: bool,
    ) -> StoreResult<Result<CapturePage, BadQuery>>;

    /// One capture, if it exists in `scope`.
    async fn capture_in_scope(
        &self,
        scope: Option<String>,
        id: CaptureId,
    ) -> StoreResult<Option<CaptureRow>>;

    /// Records a verdict on a capture in `scope` and queues it for the device's next
    /// pull, in one transaction. `false` if no such capture is in scope.
    async fn review_capture(
        &self,
        scope: Option<String>,
        id: CaptureId,
        verdict: ReviewState,
        note: Option<String>,
        reviewer: String,
    ) -> StoreResult<bool>;

    /// Located captures in `scope` matching `q`, at most `limit`.
    async fn map_points(
        &self,
        scope: Option<String>,
        q: CaptureQuery,
        limit: u32,
    ) -> StoreResult<Vec<MapPoint>>;

    /// A capture's thumbnail, if the capture is in `scope` and has one.
    async fn thumbnail_in_scope(
        &self,
        scope: Option<String>,
        id: CaptureId,
    ) -> StoreResult<Option<Vec<u8>>>;
}
