//! The sync columns of `captures`: what to send next, and where each send stands.

use rusqlite::params;
use saakshi_domain::{CaptureId, CaptureState, Sha256};

use super::Store;
use super::captures::{COLUMN_COUNT, COLUMNS, LocalCapture, from_row};

/// Upload order: photos, then notes, audio, videos (small first, so a short window of
/// signal carries the most captures); within a kind, oldest first, so the server's
/// timeline fills in the order things happened.
const SYNC_ORDER: &str =
    "CASE kind WHEN 'photo' THEN 0 WHEN 'note' THEN 1 WHEN 'audio' THEN 2 ELSE 3 END,
    captured_at, id";

/// A capture on its way, as `status` shows it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SyncItem {
    /// The capture.
    #[serde(flatten)]
    pub capture: LocalCapture,
    /// Media bytes the server confirmed.
    pub upload_offset: u64,
    /// The tus upload under way.
    pub upload_url: Option<String>,
    /// The last transient error, in words.
    pub last_error: Option<String>,
    /// Attempts since the last success.
    pub attempts: u32,
}

/// Where a capture's sync stands, selected after [`COLUMNS`].
pub(super) const SYNC_COLUMNS: &str = "upload_offset, upload_url, last_error, attempts";

/// A row of `SELECT {COLUMNS}, {SYNC_COLUMNS}`.
pub(super) fn sync_item(r: &rusqlite::Row<'_>) -> rusqlite::Result<SyncItem> {
    Ok(SyncItem {
        capture: from_row(r)?,
        upload_offset: r.get::<_, i64>(COLUMN_COUNT)? as u64,
        upload_url: r.get(COLUMN_COUNT + 1)?,
        last_error: r.get(COLUMN_COUNT + 2)?,
        attempts: r.get(COLUMN_COUNT + 3)?,
    })
}

impl Store {
    /// Captures in `state`, in sync order.
    pub(crate) fn in_state(
        &self,
        state: CaptureState,
        limit: u32,
    ) -> rusqlite::Result<Vec<SyncItem>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS}, {SYNC_COLUMNS} FROM captures
             WHERE state = ?1 ORDER BY {SYNC_ORDER} LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![state.as_str(), limit], sync_item)?;
        rows.collect()
    }

    /// Every capture not yet synced, in sync order (failed ones last).
    pub(crate) fn unsynced(&self) -> rusqlite::Result<Vec<SyncItem>> {
        let mut out = Vec::new();
        for state in [
            CaptureState::Uploaded,
            CaptureState::Previewed,
            CaptureState::Registered,
            CaptureState::Captured,
            CaptureState::Failed,
        ] {
            out.extend(self.in_state(state, u32::MAX)?);
        }
        Ok(out)
    }

    /// Moves a capture to `state`, clearing the transient error (progress was made).
    pub(crate) fn set_sync_state(
        &self,
        id: &CaptureId,
        state: CaptureState,
    ) -> rusqlite::Result<()> {
        self.conn.execute(
            "UPDATE captures SET state = ?1, failure = NULL, last_error = NULL, attempts = 0,
                 updated_at = ?2 WHERE id = ?3",
            params![
                state.as_str(),
                chrono::Utc::now().timestamp_millis(),
                id.to_string()
            ],
        )?;
        Ok(())
    }

    /// Puts a capture in `failed` with a reason for people.
    pub(crate) fn fail(&self, id: &CaptureId, reason: &str) -> rusqlite::Result<()> {
        self.conn.execute(
            "UPDATE captures SET state = 'failed', failure = ?1, updated_at = ?2 WHERE id = ?3",
            params![
                reason,
                chrono::Utc::now().timestamp_millis(),
                id.to_string()
            ],
        )?;
        Ok(())
    }

    /// Notes a transient error on a capture (it stays in its state).
    pub(crate) fn note_error(&self, id: &CaptureId, message: &str) -> rusqlite::Result<()> {
        self.conn.execute(
            "UPDATE captures SET last_error = ?1, attempts = attempts + 1 WHERE id = ?2",
            params![message, id.to_string()],
        )?;
        Ok(())
    }

    /// Records the tus upload and the offset the server confirmed.
    pub(crate) fn set_upload(
        &self,
        id: &CaptureId,
        url: Option<&str>,
        offset: u64,
    ) -> rusqlite::Result<()> {
        self.conn.execute(
            "UPDATE captures SET upload_url = ?1, upload_offset = ?2 WHERE id = ?3",
            params![url, offset as i64, id.to_string()],
        )?;
        Ok(())
    }

    /// Counts a hash mismatch reported by the server; returns how many so far.
    pub(crate) fn count_checksum_failure(&self, id: &CaptureId) -> rusqlite::Result<u32> {
        self.conn.query_row(
            "UPDATE captures SET checksum_failures = checksum_failures + 1, upload_url = NULL,
                 upload_offset = 0 WHERE id = ?1 RETURNING checksum_failures",
            [id.to_string()],
            |r| r.get(0),
        )
    }

    /// Marks every capture of these bytes synced.
    pub(crate) fn synced_by_sha(&self, sha256: &Sha256) -> rusqlite::Result<Vec<CaptureId>> {
        let mut stmt = self.conn.prepare(
            "UPDATE captures SET state = 'synced', failure = NULL, last_error = NULL, attempts = 0,
                 upload_url = NULL, upload_offset = size, updated_at = ?1
             WHERE sha256 = ?2 AND state <> 'synced' RETURNING id",
        )?;
        let ids = stmt
            .query_map(
                params![chrono::Utc::now().timestamp_millis(), sha256.to_hex()],
                |r| r.get::<_, String>(0),
            )?
            .filter_map(|r| r.ok().and_then(|s| s.parse().ok()))
            .collect();
        Ok(ids)
    }

    /// A coordinator's verdict. Whether it was news: false when the capture is not here
    /// or already had this verdict and note (the same change pulled again). News makes
    /// an earlier answer part of the past: the new verdict is unanswered.
    pub(crate) fn set_review(
        &self,
        id: &CaptureId,
        verdict: &str,
        note: Option<&str>,
    ) -> rusqlite::Result<bool> {
        let changed = self.conn.execute(
            "UPDATE captures SET review = ?1, review_note = ?2, answered_at = NULL
             WHERE id = ?3 AND (review IS NOT ?1 OR review_note IS NOT ?2)",
            params![verdict, note, id.to_string()],
        )?;
        Ok(changed > 0)
    }

    /// Sends failed captures (one, or all) back to the start of the queue; pushes are
    /// idempotent, so the server tells them where they stand.
    pub(crate) fn retry_failed(&self, id: Option<&CaptureId>) -> rusqlite::Result<usize> {
        self.conn.execute(
            "UPDATE captures SET state = 'captured', failure = NULL, last_error = NULL,
                 attempts = 0, checksum_failures = 0
             WHERE state = 'failed' AND (?1 IS NULL OR id = ?1)",
            [id.map(|i| i.to_string())],
        )
    }
}
