//! `captures`: the records, their sync state, and the queries the screens need.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use saakshi_domain::{
    CaptureId, CaptureRecord, CaptureState, DeviceTime, Location, LocationSource, MediaKind, Sha256,
};
use serde::Serialize;

use super::Store;

/// A capture as the device holds it: the record plus where it is on its way.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LocalCapture {
    /// The record shared with the server.
    #[serde(flatten)]
    pub record: CaptureRecord,
    /// Sync state.
    pub state: CaptureState,
    /// Why it failed, in words, when `state` is `failed`.
    pub failure: Option<String>,
    /// When this device stored it.
    pub stored_at: DateTime<Utc>,
    /// A coordinator's verdict once pulled (`approved`, `rejected`, `needs_info`);
    /// `pending` until then.
    pub review: String,
    /// The coordinator's note with the verdict.
    pub review_note: Option<String>,
    /// When the volunteer answered the verdict in force (a "needs information" one),
    /// with the capture's next revision; `None` when it is unanswered.
    pub answered_at: Option<DateTime<Utc>>,
}

/// Which captures a listing wants.
#[derive(Clone, Debug, Default)]
pub struct CaptureFilter {
    /// Only this state.
    pub state: Option<CaptureState>,
    /// Only this kind.
    pub kind: Option<MediaKind>,
    /// At most this many (newest first).
    pub limit: Option<u32>,
    /// Skip this many (for paging).
    pub offset: u32,
}

/// Number and bytes of captures in one state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StateCount {
    /// The state.
    pub state: CaptureState,
    /// How many captures are in it.
    pub count: u64,
    /// Their media bytes.
    pub bytes: u64,
}

pub(super) const COLUMNS: &str =
    "id, revision, kind, sha256, size, mime, original_name, captured_at,
    offset_minutes, lat, lon, accuracy_m, altitude_m, location_source, fix_time, caption,
    tags, event, area_code, state, failure, stored_at, signature, review, review_note,
    answered_at";
/// How many columns [`COLUMNS`] names: a query selecting more reads them from here on.
pub(super) const COLUMN_COUNT: usize = 26;

fn ms_to_time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn bad<E: std::error::Error + Send + Sync + 'static>(col: usize, e: E) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e))
}

fn bad_value(col: usize, what: &str) -> rusqlite::Error {
    bad(
        col,
        std::io::Error::other(format!("unexpected {what} in the store")),
    )
}

pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<LocalCapture> {
    let id: String = r.get(0)?;
    let kind: String = r.get(2)?;
    let sha: String = r.get(3)?;
    let lat: Option<f64> = r.get(9)?;
    let lon: Option<f64> = r.get(10)?;
    let source: Option<String> = r.get(13)?;
    let location = match (lat, lon, source) {
        (Some(lat), Some(lon), Some(src)) => Some(Location {
            lat,
            lon,
            accuracy_m: r.get(11)?,
            altitude_m: r.get(12)?,
            source: LocationSource::parse(&src).ok_or_else(|| bad_value(13, "location source"))?,
            fix_time: r.get::<_, Option<i64>>(14)?.map(ms_to_time),
        }),
        _ => None,
    };
    let tags: String = r.get(16)?;
    let state: String = r.get(19)?;
    let record = CaptureRecord {
        id: id.parse().map_err(|e| bad(0, e))?,
        revision: r.get(1)?,
        kind: MediaKind::parse(&kind).ok_or_else(|| bad_value(2, "kind"))?,
        sha256: sha.parse().map_err(|e| bad(3, e))?,
        size: r.get::<_, i64>(4)? as u64,
        mime: r.get(5)?,
        original_name: r.get(6)?,
        captured_at: DeviceTime {
            utc: ms_to_time(r.get(7)?),
            offset_minutes: r.get(8)?,
        },
        location,
        caption: r.get(15)?,
        tags: serde_json::from_str(&tags).map_err(|e| bad(16, e))?,
        event: r.get(17)?,
        area_code: r.get(18)?,
        signature: r.get(22)?,
    };
    Ok(LocalCapture {
        record,
        state: CaptureState::parse(&state).ok_or_else(|| bad_value(19, "state"))?,
        failure: r.get(20)?,
        stored_at: ms_to_time(r.get(21)?),
        review: r
            .get::<_, Option<String>>(23)?
            .unwrap_or_else(|| "pending".into()),
        review_note: r.get(24)?,
        answered_at: r.get::<_, Option<i64>>(25)?.map(ms_to_time),
    })
}

impl Store {
    /// Inserts a new capture (its blob row must exist in the same transaction).
    pub(crate) fn insert_capture(
        tx: &Transaction<'_>,
        rec: &CaptureRecord,
        now_ms: i64,
    ) -> rusqlite::Result<()> {
        let loc = rec.location.as_ref();
        tx.execute(
            "INSERT INTO captures (id, revision, kind, sha256, size, mime, original_name,
                 captured_at, offset_minutes, lat, lon, accuracy_m, altitude_m,
                 location_source, fix_time, caption, tags, event, area_code, state,
                 stored_at, updated_at, signature)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                 ?17, ?18, ?19, 'captured', ?20, ?20, ?21)",
            params![
                rec.id.to_string(),
                rec.revision,
                rec.kind.as_str(),
                rec.sha256.to_hex(),
                rec.size as i64,
                rec.mime,
                rec.original_name,
                rec.captured_at.utc.timestamp_millis(),
                rec.captured_at.offset_minutes,
                loc.map(|l| l.lat),
                loc.map(|l| l.lon),
                loc.and_then(|l| l.accuracy_m),
                loc.and_then(|l| l.altitude_m),
                loc.map(|l| l.source.as_str()),
                loc.and_then(|l| l.fix_time).map(|t| t.timestamp_millis()),
                rec.caption,
                serde_json::to_string(&rec.tags).unwrap_or_else(|_| "[]".into()),
                rec.event,
                rec.area_code,
                now_ms,
                rec.signature,
            ],
        )?;
        Ok(())
    }

    /// Puts the next revision of a capture in place of the current one, notes it as the
    /// answer to the verdict in force, and queues it to be sent again (state `captured`:
    /// the push finds its media already on the server). Only over the revision before it,
    /// and only once that reached the server: a revision still on its way could otherwise
    /// be marked sent by the push under way, and this one never leave.
    pub(crate) fn replace_record(
        tx: &Transaction<'_>,
        rec: &CaptureRecord,
        now_ms: i64,
    ) -> rusqlite::Result<()> {
        let loc = rec.location.as_ref();
        let changed = tx.execute(
            "UPDATE captures SET revision = ?2, lat = ?3, lon = ?4, accuracy_m = ?5,
                 altitude_m = ?6, location_source = ?7, fix_time = ?8, caption = ?9, tags = ?10,
                 signature = ?11, state = 'captured', failure = NULL, last_error = NULL,
                 attempts = 0, updated_at = ?12, answered_at = ?12
             WHERE id = ?1 AND revision = ?2 - 1 AND state = 'synced'",
            params![
                rec.id.to_string(),
                rec.revision,
                loc.map(|l| l.lat),
                loc.map(|l| l.lon),
                loc.and_then(|l| l.accuracy_m),
                loc.and_then(|l| l.altitude_m),
                loc.map(|l| l.source.as_str()),
                loc.and_then(|l| l.fix_time).map(|t| t.timestamp_millis()),
                rec.caption,
                serde_json::to_string(&rec.tags).unwrap_or_else(|_| "[]".into()),
                rec.signature,
                now_ms,
            ],
        )?;
        // Another answer got there first, or sync moved it: nothing is overwritten.
        if changed != 1 {
            return Err(rusqlite::Error::QueryReturnedNoRows);
        }
        Ok(())
    }

    /// One capture by id.
    pub fn capture(&self, id: &CaptureId) -> rusqlite::Result<Option<LocalCapture>> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM captures WHERE id = ?1"),
                [id.to_string()],
                from_row,
            )
            .optional()
    }

    /// Ids that start or end with `part` (at most two: enough to tell "ambiguous").
    /// UUIDv7s share their leading (time) digits, so people copy the random tail.
    pub fn capture_ids_matching(&self, part: &str) -> rusqlite::Result<Vec<CaptureId>> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM captures WHERE (id >= ?1 AND id < ?1 || 'g') OR id LIKE '%' || ?1
             LIMIT 2",
        )?;
        let rows = stmt.query_map([part.to_ascii_lowercase()], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for id in rows {
            out.push(id?.parse().map_err(|e| bad(0, e))?);
        }
        Ok(out)
    }

    /// The oldest capture of these bytes, if any.
    pub fn capture_with_sha256(&self, sha256: &Sha256) -> rusqlite::Result<Option<CaptureId>> {
        self.conn
            .query_row(
                "SELECT id FROM captures WHERE sha256 = ?1 ORDER BY stored_at, id LIMIT 1",
                [sha256.to_hex()],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|s| s.parse().map_err(|e| bad(0, e)))
            .transpose()
    }

    /// Captures matching `filter`, newest first.
    pub fn captures(&self, filter: &CaptureFilter) -> rusqlite::Result<Vec<LocalCapture>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM captures
             WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR kind = ?2)
             ORDER BY captured_at DESC, id DESC
             LIMIT ?3 OFFSET ?4"
        ))?;
        let rows = stmt.query_map(
            params![
                filter.state.map(|s| s.as_str()),
                filter.kind.map(|k| k.as_str()),
                filter.limit.map_or(-1, i64::from),
                filter.offset,
            ],
            from_row,
        )?;
        rows.collect()
    }

    /// Count and bytes per state, every state listed (zeros included).
    pub fn state_counts(&self) -> rusqlite::Result<Vec<StateCount>> {
        let mut stmt = self.conn.prepare(
            "SELECT state, count(*), coalesce(sum(size), 0) FROM captures GROUP BY state",
        )?;
        let mut found = std::collections::HashMap::new();
        for row in stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })? {
            let (s, n, b) = row?;
            found.insert(s, (n as u64, b as u64));
        }
        Ok(CaptureState::ALL
            .into_iter()
            .map(|state| {
                let (count, bytes) = found.get(state.as_str()).copied().unwrap_or((0, 0));
                StateCount {
                    state,
                    count,
                    bytes,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_count_matches_the_column_list() {
        assert_eq!(COLUMNS.split(',').count(), COLUMN_COUNT);
    }

    fn record(sha: u8, minute: i64) -> CaptureRecord {
        CaptureRecord {
            id: CaptureId::new(),
            revision: 1,
            kind: MediaKind::Photo,
            sha256: Sha256([sha; 32]),
            size: 10,
            mime: "image/jpeg".into(),
            original_name: None,
            captured_at: DeviceTime {
                utc: ms_to_time(minute * 60_000),
                offset_minutes: 330,
            },
            location: None,
            caption: String::new(),
            tags: vec!["रैली".into()],
            event: None,
            area_code: None,
            signature: None,
        }
    }

    fn insert(s: &mut Store, rec: &CaptureRecord) {
        s.transaction(|tx| {
            Store::insert_blob(tx, &rec.sha256, rec.size, 0)?;
            Store::insert_capture(tx, rec, 0)
        })
        .unwrap();
    }

    /// A verdict is news once: pulling the same change again tells the screens nothing.
    #[test]
    fn a_verdict_is_news_only_when_it_changes() {
        let mut s = Store::in_memory();
        let rec = record(1, 0);
        insert(&mut s, &rec);
        assert!(
            s.set_review(&rec.id, "needs_info", Some("कौन सा बूथ?"))
                .unwrap()
        );
        assert!(
            !s.set_review(&rec.id, "needs_info", Some("कौन सा बूथ?"))
                .unwrap()
        );
        assert!(
            s.set_review(&rec.id, "needs_info", Some("which booth?"))
                .unwrap()
        );
        assert!(s.set_review(&rec.id, "approved", None).unwrap());
        assert!(!s.set_review(&rec.id, "approved", None).unwrap());
        // Another device's capture (not here): no news.
        assert!(!s.set_review(&CaptureId::new(), "approved", None).unwrap());
        let c = s.capture(&rec.id).unwrap().unwrap();
        assert_eq!((c.review.as_str(), c.review_note), ("approved", None));
    }

    #[test]
    fn round_trips_every_field() {
        let mut s = Store::in_memory();
        let mut rec = record(1, 5);
        rec.location = Some(Location {
            lat: 26.8,
            lon: 80.9,
            accuracy_m: Some(12.5),
            altitude_m: Some(-3.0),
            source: LocationSource::Exif,
            fix_time: Some(ms_to_time(1_700_000_000_000)),
        });
        rec.caption = "भीड़\nline two".into();
        rec.event = Some("sabha".into());
        rec.area_code = Some("B-1".into());
        rec.original_name = Some("a.jpg".into());
        insert(&mut s, &rec);
        let got = s.capture(&rec.id).unwrap().unwrap();
        assert_eq!(got.record, rec);
        assert_eq!(got.state, CaptureState::Captured);
    }

    #[test]
    fn a_record_without_its_blob_row_is_refused() {
        let mut s = Store::in_memory();
        let rec = record(2, 0);
        let err = s.transaction(|tx| Store::insert_capture(tx, &rec, 0));
        assert!(err.is_err(), "foreign key must hold");
        assert!(s.capture(&rec.id).unwrap().is_none());
    }

    #[test]
    fn lists_newest_first_pages_and_counts() {
        let mut s = Store::in_memory();
        let recs: Vec<_> = (0..5).map(|i| record(i as u8, i)).collect();
        for r in &recs {
            insert(&mut s, r);
        }
        let page = s
            .captures(&CaptureFilter {
                limit: Some(2),
                offset: 1,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            page.iter().map(|c| c.record.id).collect::<Vec<_>>(),
            vec![recs[3].id, recs[2].id]
        );
        let counts = s.state_counts().unwrap();
        assert_eq!(counts.len(), CaptureState::ALL.len());
        assert_eq!(counts[0].count, 5);
        assert_eq!(counts[0].bytes, 50);
        assert_eq!(
            s.capture_with_sha256(&Sha256([3; 32])).unwrap(),
            Some(recs[3].id)
        );
        let id = recs[4].id.to_string();
        assert_eq!(s.capture_ids_matching(&id[..30]).unwrap(), vec![recs[4].id]);
        assert_eq!(s.capture_ids_matching(&id[28..]).unwrap(), vec![recs[4].id]);
        assert_eq!(
            s.capture_ids_matching(&id[..8]).unwrap().len(),
            2,
            "shared time prefix"
        );
    }
}
