//! `uploads`: tus upload state. It lives in the database, not in a node's memory, so any
//! node (or this one after a restart) can continue any upload.

use rusqlite::{OptionalExtension, params};
use saakshi_domain::Sha256;

use super::{SqliteStore, StoreError, StoreResult, now_ms};
use crate::store::uploads::*;

#[async_trait::async_trait]
impl Uploads for SqliteStore {
    async fn create_upload(&self, u: UploadRow, capture_id: Option<String>) -> StoreResult<()> {
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

    async fn upload(&self, id: String) -> StoreResult<Option<UploadRow>> {
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

    async fn set_upload_progress(
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

    async fn finish_upload(&self, id: String, sha256: Sha256) -> StoreResult<()> {
        self.write(move |c| {
            c.execute(
                "UPDATE uploads SET done_sha256 = ?1 WHERE id = ?2",
                params![sha256.to_hex(), id],
            )?;
            Ok(())
        })
        .await
    }

    async fn delete_upload(&self, id: String) -> StoreResult<()> {
        self.write(move |c| {
            c.execute("DELETE FROM uploads WHERE id = ?1", [id])?;
            Ok(())
        })
        .await
    }

    async fn stalled_uploads(&self) -> StoreResult<Vec<String>> {
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

    async fn expired_uploads(&self, now: i64) -> StoreResult<Vec<String>> {
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
