//! `uploads`: tus upload state. It lives in the database, not in a node's memory, so any
//! node (or this one after a restart) can continue any upload.

use rusqlite::{OptionalExtension, params};
use saakshi_domain::{DeviceId, Sha256};

use super::{Db, StoreError, StoreResult, now_ms};

/// One upload's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadRow {
    /// Upload id (the last segment of its URL).
    pub id: String,
    /// The device that created it; nobody else may touch it.
    pub device_id: DeviceId,
    /// Total length, once known.
    pub length: Option<u64>,
    /// Bytes stored and fsynced.
    pub offset: u64,
    /// The `Upload-Metadata` header as received.
    pub metadata: String,
    /// SHA-256 declared in the metadata, if any.
    pub sha256: Option<Sha256>,
    /// Unix ms after which it is removed.
    pub expires_at: i64,
    /// Set once the upload finished and its hash was verified.
    pub done_sha256: Option<Sha256>,
}

impl Db {
    /// Records a new upload.
    pub async fn create_upload(&self, u: UploadRow, capture_id: Option<String>) -> StoreResult<()> {
        self.write(move |c| {
            c.execute(
                "INSERT INTO uploads (id, device_id, length, \"offset\", metadata, sha256, capture_id, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    u.id,
                    u.device_id.to_string(),
                    u.length.map(|l| l as i64),
                    u.offset as i64,
                    u.metadata,
                    u.sha256.map(|s| s.to_hex()),
                    capture_id,
                    now_ms(),
                    u.expires_at
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// An upload by id.
    pub async fn upload(&self, id: String) -> StoreResult<Option<UploadRow>> {
        self.read(move |c| {
            c.query_row(
                "SELECT id, device_id, length, \"offset\", metadata, sha256, expires_at, done_sha256
                 FROM uploads WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, i64>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ))
                },
            )
            .optional()?
            .map(|(id, dev, length, offset, metadata, sha, expires_at, done)| {
                Ok(UploadRow {
                    id,
                    device_id: dev.parse().map_err(|_| StoreError::Corrupt(dev.clone()))?,
                    length: length.map(|l| l as u64),
                    offset: offset as u64,
                    metadata,
                    sha256: parse_sha(sha)?,
                    expires_at,
                    done_sha256: parse_sha(done)?,
                })
            })
            .transpose()
        })
        .await
    }

    /// Saves progress (only ever after the bytes are fsynced) and a length set late.
    pub async fn set_upload_progress(
        &self,
        id: String,
        offset: u64,
        length: Option<u64>,
    ) -> StoreResult<()> {
        self.write(move |c| {
            c.execute(
                "UPDATE uploads SET \"offset\" = ?1, length = coalesce(length, ?2) WHERE id = ?3",
                params![offset as i64, length.map(|l| l as i64), id],
            )?;
            Ok(())
        })
        .await
    }

    /// Marks an upload finished with verified media `sha256`.
    pub async fn finish_upload(&self, id: String, sha256: Sha256) -> StoreResult<()> {
        self.write(move |c| {
            c.execute(
                "UPDATE uploads SET done_sha256 = ?1 WHERE id = ?2",
                params![sha256.to_hex(), id],
            )?;
            Ok(())
        })
        .await
    }

    /// Forgets an upload (finished, terminated or expired).
    pub async fn delete_upload(&self, id: String) -> StoreResult<()> {
        self.write(move |c| {
            c.execute("DELETE FROM uploads WHERE id = ?1", [id])?;
            Ok(())
        })
        .await
    }

    /// Ids of uploads whose every byte is in but that were never finished.
    pub async fn stalled_uploads(&self) -> StoreResult<Vec<String>> {
        self.read(move |c| {
            let mut stmt = c.prepare(
                "SELECT id FROM uploads WHERE done_sha256 IS NULL AND length = \"offset\"",
            )?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(ids)
        })
        .await
    }

    /// Ids of uploads past their expiry.
    pub async fn expired_uploads(&self, now: i64) -> StoreResult<Vec<String>> {
        self.read(move |c| {
            let mut stmt = c.prepare("SELECT id FROM uploads WHERE expires_at <= ?1")?;
            let ids = stmt
                .query_map([now], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(ids)
        })
        .await
    }
}

fn parse_sha(s: Option<String>) -> StoreResult<Option<Sha256>> {
    s.map(|s| s.parse().map_err(|_| StoreError::Corrupt(s.clone())))
        .transpose()
}
