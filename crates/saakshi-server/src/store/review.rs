//! The coordinators' view of captures: a filtered feed paged by a cursor, one capture's
//! detail, map points, and review verdicts (which reach the device at its next pull).
//! Every query is confined to a scope (an area path prefix; `None` for admins).

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};
use saakshi_domain::wire::Change;
use saakshi_domain::{CaptureId, CaptureRecord, DeviceId, MediaKind};
use serde::Serialize;

use super::{Db, StoreError, StoreResult, changes, now_ms, scope};

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

fn parse_cursor(c: &str) -> Option<(i64, String)> {
    let (ms, id) = c.split_once('~')?;
    Some((ms.parse().ok()?, id.parse::<CaptureId>().ok()?.to_string()))
}

/// Why a query's parameters were refused.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadQuery(pub String);

/// Column 4, the media: there only when the capture's own device holds it.
const SELECT: &str = concat!(
    "SELECT c.record, c.device_id, d.name, c.area_code, ",
    super::holders::media_held!(),
    ", c.received_at, c.review, c.review_note, c.reviewed_by, c.reviewed_at,
        EXISTS (SELECT 1 FROM thumbnails t WHERE t.capture_id = c.id)
     FROM captures c
     JOIN areas a ON a.code = c.area_code
     JOIN devices d ON d.id = c.device_id"
);

fn ms_to_time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoreResult<CaptureRow>> {
    let record: String = r.get(0)?;
    let device: String = r.get(1)?;
    let review: String = r.get(6)?;
    let reviewed_at: Option<i64> = r.get(9)?;
    let built = (|| {
        Ok(CaptureRow {
            record: serde_json::from_str(&record)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            device_id: device
                .parse()
                .map_err(|_| StoreError::Corrupt(device.clone()))?,
            device_name: r.get(2)?,
            scope_area: r.get(3)?,
            media: if r.get(4)? { "present" } else { "missing" },
            received_at: ms_to_time(r.get(5)?),
            review: Review {
                state: ReviewState::parse(&review)
                    .ok_or_else(|| StoreError::Corrupt(format!("review state {review}")))?,
                note: r.get(7)?,
                by: r.get(8)?,
                at: reviewed_at.map(ms_to_time),
            },
            has_thumbnail: r.get(10)?,
        })
    })();
    Ok(built)
}

/// The WHERE clause and its parameters for a scope and a query.
fn where_clause(scope: Option<&str>, q: &CaptureQuery) -> (String, Vec<Value>) {
    let mut sql = vec!["1 = 1".to_string()];
    let mut p: Vec<Value> = Vec::new();
    let mut add = |cond: &str, v: Value| {
        p.push(v);
        sql.push(cond.replace('?', &format!("?{}", p.len())));
    };
    if let Some(prefix) = scope {
        add(
            &scope::sql_under("a.path", "?"),
            Value::Text(prefix.to_string()),
        );
    }
    if let Some(area) = &q.area {
        add(
            &scope::sql_under("a.path", "(SELECT path FROM areas WHERE code = ?)"),
            Value::Text(area.clone()),
        );
    }
    if let Some(t) = q.from {
        add("c.captured_at >= ?", Value::Integer(t.timestamp_millis()));
    }
    if let Some(t) = q.to {
        add("c.captured_at < ?", Value::Integer(t.timestamp_millis()));
    }
    if let Some(k) = q.kind {
        add("c.kind = ?", Value::Text(k.as_str().to_string()));
    }
    if let Some(tag) = &q.tag {
        add(
            "EXISTS (SELECT 1 FROM json_each(c.record, '$.tags') WHERE value = ?)",
            Value::Text(tag.clone()),
        );
    }
    if let Some(e) = &q.event {
        add(
            "json_extract(c.record, '$.event') = ?",
            Value::Text(e.clone()),
        );
    }
    if let Some(r) = q.review {
        add("c.review = ?", Value::Text(r.as_str().to_string()));
    }
    if let Some(d) = q.device {
        add("c.device_id = ?", Value::Text(d.to_string()));
    }
    if let Some(located) = q.located {
        add(
            "(json_extract(c.record, '$.location') IS NOT NULL) = ?",
            Value::Integer(i64::from(located)),
        );
    }
    if let Some(text) = &q.text {
        add(
            "instr(lower(json_extract(c.record, '$.caption')), lower(?)) > 0",
            Value::Text(text.clone()),
        );
    }
    (sql.join(" AND "), p)
}

impl Db {
    /// One page of captures in `scope` matching `q`, newest arrival first, with the
    /// number matching in all.
    pub async fn query_captures(
        &self,
        scope: Option<String>,
        q: CaptureQuery,
        before: Option<String>,
        limit: u32,
    ) -> StoreResult<Result<CapturePage, BadQuery>> {
        self.capture_page(scope, q, before, limit, true).await
    }

    /// Like [`Db::query_captures`], counting the total only when `count` (an export
    /// walking every page needs no count per page).
    pub async fn capture_page(
        &self,
        scope: Option<String>,
        q: CaptureQuery,
        before: Option<String>,
        limit: u32,
        count: bool,
    ) -> StoreResult<Result<CapturePage, BadQuery>> {
        let before = match before.as_deref().map(parse_cursor) {
            Some(None) => return Ok(Err(BadQuery("before: not a cursor of this feed".into()))),
            Some(Some(c)) => Some(c),
            None => None,
        };
        self.read(move |c| {
            let (cond, mut p) = where_clause(scope.as_deref(), &q);
            let total: i64 = if count {
                c.query_row(
                    &format!(
                        "SELECT count(*) FROM captures c JOIN areas a ON a.code = c.area_code
                         WHERE {cond}"
                    ),
                    rusqlite::params_from_iter(p.iter()),
                    |r| r.get(0),
                )?
            } else {
                0
            };
            let mut page_cond = cond;
            if let Some((ms, id)) = before {
                p.push(Value::Integer(ms));
                p.push(Value::Text(id));
                let (a, b) = (p.len() - 1, p.len());
                page_cond.push_str(&format!(
                    " AND (c.received_at < ?{a} OR (c.received_at = ?{a} AND c.id < ?{b}))"
                ));
            }
            p.push(Value::Integer(i64::from(limit) + 1));
            let sql = format!(
                "{SELECT} WHERE {page_cond} ORDER BY c.received_at DESC, c.id DESC LIMIT ?{}",
                p.len()
            );
            let mut stmt = c.prepare(&sql)?;
            let mut items = stmt
                .query_map(rusqlite::params_from_iter(p.iter()), read_row)?
                .map(|r| r?)
                .collect::<StoreResult<Vec<_>>>()?;
            let next = if items.len() > limit as usize {
                items.truncate(limit as usize);
                items.last().map(cursor_of)
            } else {
                None
            };
            Ok(Ok(CapturePage {
                items,
                next,
                total: total as u64,
            }))
        })
        .await
    }

    /// One capture, if it exists in `scope`.
    pub async fn capture_in_scope(
        &self,
        scope: Option<String>,
        id: CaptureId,
    ) -> StoreResult<Option<CaptureRow>> {
        self.read(move |c| {
            let (cond, mut p) = where_clause(scope.as_deref(), &CaptureQuery::default());
            p.push(Value::Text(id.to_string()));
            let sql = format!("{SELECT} WHERE {cond} AND c.id = ?{}", p.len());
            c.query_row(&sql, rusqlite::params_from_iter(p.iter()), read_row)
                .optional()?
                .transpose()
        })
        .await
    }

    /// Records a verdict on a capture in `scope` and queues it for the device's next
    /// pull, in one transaction. `false` if no such capture is in scope.
    pub async fn review_capture(
        &self,
        scope: Option<String>,
        id: CaptureId,
        verdict: ReviewState,
        note: Option<String>,
        reviewer: String,
    ) -> StoreResult<bool> {
        self.write(move |c| {
            let tx = c.transaction()?;
            let device: Option<String> = tx
                .query_row(
                    &format!(
                        "SELECT c.device_id FROM captures c JOIN areas a ON a.code = c.area_code
                         WHERE c.id = ?1 AND {}",
                        scope::sql_under_or_all("a.path", "?2")
                    ),
                    params![id.to_string(), scope],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(device) = device else {
                return Ok(false);
            };
            tx.execute(
                "UPDATE captures SET review = ?1, review_note = ?2, reviewed_by = ?3,
                     reviewed_at = ?4 WHERE id = ?5",
                params![verdict.as_str(), note, reviewer, now_ms(), id.to_string()],
            )?;
            let device: DeviceId = device
                .parse()
                .map_err(|_| StoreError::Corrupt(device.clone()))?;
            changes::append_for_device(
                &tx,
                &device,
                &Change::Review {
                    capture_id: id,
                    verdict: verdict.as_str().to_string(),
                    note,
                },
            )?;
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    /// Located captures in `scope` matching `q`, at most `limit`.
    pub async fn map_points(
        &self,
        scope: Option<String>,
        q: CaptureQuery,
        limit: u32,
    ) -> StoreResult<Vec<MapPoint>> {
        self.read(move |c| {
            let q = CaptureQuery {
                located: Some(true),
                ..q
            };
            let (cond, mut p) = where_clause(scope.as_deref(), &q);
            p.push(Value::Integer(i64::from(limit)));
            let sql = format!(
                "SELECT c.id, json_extract(c.record, '$.location.lat'),
                        json_extract(c.record, '$.location.lon'), c.kind, c.review, c.area_code
                 FROM captures c JOIN areas a ON a.code = c.area_code
                 WHERE {cond} ORDER BY c.received_at DESC LIMIT ?{}",
                p.len()
            );
            let mut stmt = c.prepare(&sql)?;
            let points = stmt
                .query_map(rusqlite::params_from_iter(p.iter()), |r| {
                    Ok(MapPoint {
                        id: r.get(0)?,
                        lat: r.get(1)?,
                        lon: r.get(2)?,
                        kind: r.get(3)?,
                        review: r.get(4)?,
                        area_code: r.get(5)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(points)
        })
        .await
    }

    /// A capture's thumbnail, if the capture is in `scope` and has one.
    pub async fn thumbnail_in_scope(
        &self,
        scope: Option<String>,
        id: CaptureId,
    ) -> StoreResult<Option<Vec<u8>>> {
        self.read(move |c| {
            Ok(c.query_row(
                &format!(
                    "SELECT t.jpeg FROM thumbnails t JOIN captures c ON c.id = t.capture_id
                     JOIN areas a ON a.code = c.area_code
                     WHERE t.capture_id = ?1 AND {}",
                    scope::sql_under_or_all("a.path", "?2")
                ),
                params![id.to_string(), scope],
                |r| r.get(0),
            )
            .optional()?)
        })
        .await
    }
}
