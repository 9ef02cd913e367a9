//! The review feed's SQL: the columns of a listed capture, how a row becomes a
//! [`CaptureRow`], and the WHERE clause with its parameters for a scope and a
//! [`CaptureQuery`] (every filter a coordinator can set).

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::types::Value;

use super::{StoreError, StoreResult, scope};
use crate::store::review::*;

/// Column 4, the media: there only when the capture's own device holds it.
pub(super) const SELECT: &str = concat!(
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

pub(super) fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoreResult<CaptureRow>> {
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
pub(super) fn where_clause(scope: Option<&str>, q: &CaptureQuery) -> (String, Vec<Value>) {
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
