//! The coordinators' view of captures: the feed paged by a cursor, one capture's detail,
//! map points, and review verdicts (which reach the device at its next pull). The SQL of
//! the feed's filters is built in `feed_query.rs`. Every query is confined to a scope
//! (an area path prefix; `None` for admins).

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};
use saakshi_domain::wire::Change;
use saakshi_domain::{CaptureId, DeviceId};

use super::feed_query::{SELECT, read_row, where_clause};
use super::{SqliteStore, StoreError, StoreResult, changes, now_ms, scope};
use crate::store::review::*;

#[async_trait::async_trait]
impl Reviews for SqliteStore {
    async fn query_captures(
        &self,
        scope: Option<String>,
        q: CaptureQuery,
        before: Option<String>,
        limit: u32,
    ) -> StoreResult<Result<CapturePage, BadQuery>> {
        self.capture_page(scope, q, before, limit, true).await
    }

    async fn capture_page(
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

    async fn capture_in_scope(
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

    async fn review_capture(
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

    async fn map_points(
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

    async fn thumbnail_in_scope(
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
