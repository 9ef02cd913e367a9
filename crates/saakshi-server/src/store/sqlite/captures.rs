//! `captures` and `media`: idempotent upsert of pushed records, and the join of a record
//! with its verified media, whichever arrives first.

use rusqlite::{OptionalExtension, Transaction, params};
use saakshi_domain::wire::{Change, MediaState};
use saakshi_domain::{CaptureId, CaptureRecord, DeviceId, MediaKind, Sha256, media_type};

use super::holders::{MEDIA_HELD, holds_in};
use crate::revisions::{self, HeldMedia, HeldRecord, Judgement};

use super::{SqliteStore, StoreError, StoreResult, changes, now_ms, scope};
use crate::store::captures::*;
use crate::store::{CaptureQuery, CaptureRow, Reviews};

fn media_size(tx: &Transaction<'_>, sha256: &Sha256) -> StoreResult<Option<u64>> {
    Ok(tx
        .query_row(
            "SELECT size FROM media WHERE sha256 = ?1",
            [sha256.to_hex()],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .map(|s| s as u64))
}

/// The kind of stored media, judged by the type sniffed from its bytes (none for media
/// stored before types were sniffed).
fn stored_kind(tx: &Transaction<'_>, sha256: &Sha256) -> StoreResult<Option<MediaKind>> {
    let mime: Option<String> = tx
        .query_row(
            "SELECT mime FROM media WHERE sha256 = ?1",
            [sha256.to_hex()],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(mime.as_deref().and_then(media_type::kind_of))
}

/// Records the join of a capture with its media, for the device's next pull.
pub(super) fn note_synced(
    tx: &Transaction<'_>,
    device: &DeviceId,
    id: &CaptureId,
    sha256: &Sha256,
) -> StoreResult<()> {
    changes::append_for_device(
        tx,
        device,
        &Change::CaptureSynced {
            capture_id: *id,
            sha256: *sha256,
        },
    )
}

#[async_trait::async_trait]
impl Captures for SqliteStore {
    async fn upsert_captures(
        &self,
        device: DeviceId,
        area_code: String,
        records: Vec<CaptureRecord>,
    ) -> StoreResult<Vec<UpsertOutcome>> {
        self.write(move |c| {
            let tx = c.transaction()?;
            let out = records
                .iter()
                .map(|r| upsert_in(&tx, &device, &area_code, r))
                .collect::<StoreResult<Vec<_>>>()?;
            tx.commit()?;
            Ok(out)
        })
        .await
    }

    async fn has_media(&self, sha256: Sha256) -> StoreResult<bool> {
        self.read(move |c| {
            let tx = c.transaction()?;
            Ok(media_size(&tx, &sha256)?.is_some())
        })
        .await
    }

    async fn device_may_read_media(&self, device: DeviceId, sha256: Sha256) -> StoreResult<bool> {
        self.read(move |c| {
            let tx = c.transaction()?;
            holds_in(&tx, &device, &sha256)
        })
        .await
    }

    async fn scope_may_read_media(
        &self,
        prefix: Option<String>,
        sha256: Sha256,
    ) -> StoreResult<bool> {
        self.read(move |c| {
            Ok(c.query_row(
                &format!(
                    "SELECT EXISTS (SELECT 1 FROM captures c JOIN areas a ON a.code = c.area_code
                         WHERE c.sha256 = ?1 AND {MEDIA_HELD} AND {})",
                    scope::sql_under_or_all("a.path", "?2")
                ),
                params![sha256.to_hex(), prefix],
                |r| r.get(0),
            )?)
        })
        .await
    }

    async fn media_mime(&self, sha256: Sha256) -> StoreResult<Option<String>> {
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT mime FROM media WHERE sha256 = ?1",
                [sha256.to_hex()],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
        })
        .await
    }

    async fn put_thumbnail(
        &self,
        device: DeviceId,
        id: CaptureId,
        jpeg: Vec<u8>,
    ) -> StoreResult<bool> {
        self.write(move |c| {
            let owned: bool = c.query_row(
                "SELECT EXISTS (SELECT 1 FROM captures WHERE id = ?1 AND device_id = ?2)",
                params![id.to_string(), device.to_string()],
                |r| r.get(0),
            )?;
            if owned {
                c.execute(
                    "INSERT INTO thumbnails (capture_id, jpeg) VALUES (?1, ?2)
                     ON CONFLICT (capture_id) DO UPDATE SET jpeg = excluded.jpeg",
                    params![id.to_string(), jpeg],
                )?;
            }
            Ok(owned)
        })
        .await
    }

    async fn list_captures(
        &self,
        area_path: Option<String>,
        limit: u32,
    ) -> StoreResult<Vec<CaptureRow>> {
        let page = self
            .query_captures(area_path, CaptureQuery::default(), None, limit)
            .await?
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(page.items)
    }
}

fn upsert_in(
    tx: &Transaction<'_>,
    device: &DeviceId,
    area_code: &str,
    rec: &CaptureRecord,
) -> StoreResult<UpsertOutcome> {
    let json = serde_json::to_string(rec).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let existing: Option<(String, u32, String)> = tx
        .query_row(
            "SELECT device_id, revision, record FROM captures WHERE id = ?1",
            [rec.id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    // Only media this device holds counts as present: anything else (stored or not, so
    // the answer tells nothing about other devices' media) is needed, with a challenge.
    let present = if holds_in(tx, device, &rec.sha256)? {
        media_size(tx, &rec.sha256)?
    } else {
        None
    };
    let media = match present {
        Some(size) => Some(HeldMedia {
            size,
            kind: stored_kind(tx, &rec.sha256)?,
        }),
        None => None,
    };
    let held = existing
        .as_ref()
        .map(|(owner, revision, record)| HeldRecord {
            owner,
            revision: *revision,
            record,
        });
    let now = now_ms();
    match revisions::judge(device, rec, &json, held, media)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?
    {
        Judgement::Reject { code, message } => {
            return Ok(UpsertOutcome::Rejected { code, message });
        }
        Judgement::Conflict { revision } => return Ok(UpsertOutcome::Conflict { revision }),
        Judgement::Same => {}
        Judgement::Update => {
            tx.execute(
                "UPDATE captures SET revision = ?1, record = ?2, updated_at = ?3 WHERE id = ?4",
                params![rec.revision, json, now, rec.id.to_string()],
            )?;
        }
        Judgement::Insert => {
            tx.execute(
                "INSERT INTO captures (id, device_id, revision, record, kind, sha256, size, captured_at,
                     area_code, received_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                params![
                    rec.id.to_string(),
                    device.to_string(),
                    rec.revision,
                    json,
                    rec.kind.as_str(),
                    rec.sha256.to_hex(),
                    rec.size as i64,
                    rec.captured_at.utc.timestamp_millis(),
                    area_code,
                    now
                ],
            )?;
            if present.is_some() {
                note_synced(tx, device, &rec.id, &rec.sha256)?;
            }
        }
    }
    let media = if present.is_some() {
        (MediaState::Present, None)
    } else {
        let upload: Option<(String, i64)> = tx
            .query_row(
                "SELECT id, \"offset\" FROM uploads WHERE device_id = ?1 AND sha256 = ?2 AND expires_at > ?3
                   AND done_sha256 IS NULL
                 ORDER BY \"offset\" DESC LIMIT 1",
                params![device.to_string(), rec.sha256.to_hex(), now],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match upload {
            Some((id, offset)) => (MediaState::Uploading, Some((offset as u64, id))),
            None => (MediaState::Needed, None),
        }
    };
    Ok(UpsertOutcome::Accepted {
        revision: rec.revision.max(existing_revision(tx, &rec.id)?),
        media,
    })
}

fn existing_revision(tx: &Transaction<'_>, id: &CaptureId) -> StoreResult<u32> {
    Ok(tx.query_row(
        "SELECT revision FROM captures WHERE id = ?1",
        [id.to_string()],
        |r| r.get(0),
    )?)
}
