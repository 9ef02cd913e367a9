//! The queue screen's query: captures with where their sync stands (state, confirmed
//! upload offset, last error), newest first, one page at a time, and how many match.

use rusqlite::{OptionalExtension, params};
use saakshi_domain::CaptureId;
use serde::Serialize;

use super::Store;
use super::captures::{COLUMNS, CaptureFilter};
use super::sync::{SYNC_COLUMNS, SyncItem, sync_item};

/// One page of the queue and the number of captures the filter matches.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueuePage {
    /// Captures matching the filter, all pages together.
    pub total: u64,
    /// This page, newest first.
    pub items: Vec<SyncItem>,
}

impl Store {
    /// One capture with its sync progress (the app's capture screen).
    pub(crate) fn queue_item(&self, id: &CaptureId) -> rusqlite::Result<Option<SyncItem>> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS}, {SYNC_COLUMNS} FROM captures WHERE id = ?1"),
                [id.to_string()],
                sync_item,
            )
            .optional()
    }

    /// A page of captures matching `filter` with their sync progress. Paged by offset
    /// over the `captured_at` index: a page deep in 10,000 captures costs a few ms.
    pub(crate) fn queue_page(&self, filter: &CaptureFilter) -> rusqlite::Result<QueuePage> {
        let state = filter.state.map(|s| s.as_str());
        let kind = filter.kind.map(|k| k.as_str());
        let total: i64 = self.conn.query_row(
            "SELECT count(*) FROM captures
             WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR kind = ?2)",
            params![state, kind],
            |r| r.get(0),
        )?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS}, {SYNC_COLUMNS} FROM captures
             WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR kind = ?2)
             ORDER BY captured_at DESC, id DESC
             LIMIT ?3 OFFSET ?4"
        ))?;
        let rows = stmt.query_map(
            params![
                state,
                kind,
                filter.limit.map_or(-1, i64::from),
                filter.offset
            ],
            sync_item,
        )?;
        Ok(QueuePage {
            total: total as u64,
            items: rows.collect::<rusqlite::Result<_>>()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use saakshi_domain::{CaptureRecord, CaptureState, DeviceTime, MediaKind, Sha256};

    use super::*;

    fn insert(s: &mut Store, i: u8, kind: MediaKind) -> CaptureId {
        let rec = CaptureRecord {
            id: CaptureId::new(),
            revision: 1,
            kind,
            sha256: Sha256([i; 32]),
            size: 100,
            mime: "image/jpeg".into(),
            original_name: None,
            captured_at: DeviceTime {
                utc: chrono::DateTime::from_timestamp_millis(i64::from(i) * 60_000).unwrap(),
                offset_minutes: 330,
            },
            location: None,
            caption: String::new(),
            tags: vec![],
            event: None,
            area_code: None,
            signature: None,
        };
        s.transaction(|tx| {
            Store::insert_blob(tx, &rec.sha256, rec.size, 0)?;
            Store::insert_capture(tx, &rec, 0)
        })
        .unwrap();
        rec.id
    }

    #[test]
    fn pages_newest_first_with_progress_errors_and_a_filtered_total() {
        let mut s = Store::in_memory();
        let ids: Vec<_> = (0..7)
            .map(|i| {
                insert(
                    &mut s,
                    i,
                    if i % 2 == 0 {
                        MediaKind::Photo
                    } else {
                        MediaKind::Video
                    },
                )
            })
            .collect();
        s.set_upload(&ids[5], Some("http://s/u/1"), 40).unwrap();
        s.note_error(&ids[5], "cannot reach the server").unwrap();
        s.fail(&ids[3], "too large").unwrap();

        let page = s
            .queue_page(&CaptureFilter {
                limit: Some(3),
                offset: 1,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(page.total, 7);
        let got: Vec<_> = page.items.iter().map(|i| i.capture.record.id).collect();
        assert_eq!(got, vec![ids[5], ids[4], ids[3]]);
        assert_eq!(page.items[0].upload_offset, 40);
        assert_eq!(
            page.items[0].last_error.as_deref(),
            Some("cannot reach the server")
        );
        assert_eq!(page.items[0].attempts, 1);
        assert_eq!(page.items[2].capture.failure.as_deref(), Some("too large"));

        let videos = s
            .queue_page(&CaptureFilter {
                kind: Some(MediaKind::Video),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(videos.total, 3);
        assert_eq!(videos.items.len(), 3);
        let failed = s
            .queue_page(&CaptureFilter {
                state: Some(CaptureState::Failed),
                limit: Some(10),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            (failed.total, failed.items[0].capture.record.id),
            (1, ids[3])
        );
        let one = s.queue_item(&ids[5]).unwrap().unwrap();
        assert_eq!(one, page.items[0], "one capture reads as its queue row");
        assert_eq!(s.queue_item(&CaptureId::new()).unwrap(), None);
        let past_the_end = s
            .queue_page(&CaptureFilter {
                limit: Some(10),
                offset: 50,
                ..Default::default()
            })
            .unwrap();
        assert_eq!((past_the_end.total, past_the_end.items.len()), (7, 0));
    }
}
