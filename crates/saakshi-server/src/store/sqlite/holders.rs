//! `media_holders`: which device holds which media. A device becomes a holder by
//! uploading the bytes or by proving it has them (`routes/proofs.rs`); only then are its
//! captures joined to the media, may it download them, and do its signatures count as
//! vouching for them. Also the media sweeps and quotas that follow from holding.

use rusqlite::{OptionalExtension, Transaction, params};
use saakshi_domain::{DeviceId, Sha256};

use super::{SqliteStore, StoreError, StoreResult, captures::note_synced, now_ms};
use crate::store::captures::*;

/// SQL (for a capture aliased `c`): its device holds its media. Every query that treats a
/// capture's media as there uses this, never `media` alone. A macro so that `concat!`
/// can build constant queries with it.
macro_rules! media_held {
    () => {
        "EXISTS (SELECT 1 FROM media_holders h WHERE h.sha256 = c.sha256 AND h.device_id = c.device_id)"
    };
}
pub(super) use media_held;

/// [`media_held!`] as a constant, for `format!`.
pub(super) const MEDIA_HELD: &str = media_held!();

pub(super) fn holds_in(
    tx: &Transaction<'_>,
    device: &DeviceId,
    sha256: &Sha256,
) -> StoreResult<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM media_holders WHERE sha256 = ?1 AND device_id = ?2)",
        params![sha256.to_hex(), device.to_string()],
        |r| r.get(0),
    )?)
}

/// Makes `device` a holder of stored media; when it was not one yet, its captures of
/// these bytes are joined (a `capture_synced` change each for its next pull).
fn hold_in(tx: &Transaction<'_>, device: &DeviceId, sha256: &Sha256, how: Held) -> StoreResult<()> {
    let new = tx.execute(
        "INSERT INTO media_holders (sha256, device_id, how, since) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
        params![sha256.to_hex(), device.to_string(), how.as_str(), now_ms()],
    )? == 1;
    if new {
        let ids: Vec<String> = tx
            .prepare("SELECT id FROM captures WHERE sha256 = ?1 AND device_id = ?2")?
            .query_map(params![sha256.to_hex(), device.to_string()], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in ids {
            let id = id
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("capture id {id}")))?;
            note_synced(tx, device, &id, sha256)?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl Holdings for SqliteStore {
    async fn add_media(
        &self,
        sha256: Sha256,
        size: u64,
        uploader: DeviceId,
        mime: String,
    ) -> StoreResult<bool> {
        self.write(move |c| {
            let tx = c.transaction()?;
            let new = tx.execute(
                "INSERT INTO media (sha256, size, stored_at, mime) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (sha256) DO NOTHING",
                params![sha256.to_hex(), size as i64, now_ms(), mime],
            )? == 1;
            hold_in(&tx, &uploader, &sha256, Held::Upload)?;
            tx.commit()?;
            Ok(new)
        })
        .await
    }

    async fn media_size(&self, sha256: Sha256) -> StoreResult<Option<u64>> {
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT size FROM media WHERE sha256 = ?1",
                [sha256.to_hex()],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .map(|s| s as u64))
        })
        .await
    }

    async fn add_holder(&self, device: DeviceId, sha256: Sha256) -> StoreResult<bool> {
        self.write(move |c| {
            let tx = c.transaction()?;
            let stored: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM media WHERE sha256 = ?1)",
                [sha256.to_hex()],
                |r| r.get(0),
            )?;
            if stored {
                hold_in(&tx, &device, &sha256, Held::Proof)?;
            }
            tx.commit()?;
            Ok(stored)
        })
        .await
    }

    async fn device_stored_bytes(&self, device: DeviceId) -> StoreResult<u64> {
        self.read(move |c| {
            let n: i64 = c.query_row(
                "SELECT coalesce((SELECT sum(m.size) FROM media_holders h
                                  JOIN media m ON m.sha256 = h.sha256 WHERE h.device_id = ?1), 0)
                      + coalesce((SELECT sum(coalesce(length, \"offset\")) FROM uploads
                                  WHERE device_id = ?1 AND done_sha256 IS NULL), 0)",
                [device.to_string()],
                |r| r.get(0),
            )?;
            Ok(n.max(0) as u64)
        })
        .await
    }

    async fn orphan_media(&self, before_ms: i64) -> StoreResult<Vec<Sha256>> {
        self.read(move |c| {
            let mut stmt = c.prepare(&format!(
                "SELECT m.sha256 FROM media m WHERE m.stored_at < ?1 {ORPHAN} LIMIT 1000"
            ))?;
            let rows = stmt.query_map([before_ms], |r| r.get::<_, String>(0))?;
            rows.map(|r| {
                let s = r?;
                s.parse()
                    .map_err(|_| StoreError::Corrupt(format!("media {s}")))
            })
            .collect()
        })
        .await
    }

    async fn remove_orphan_media(&self, sha256: Sha256) -> StoreResult<bool> {
        self.write(move |c| {
            let tx = c.transaction()?;
            let n = tx.execute(
                &format!("DELETE FROM media AS m WHERE m.sha256 = ?1 {ORPHAN}"),
                [sha256.to_hex()],
            )?;
            tx.commit()?;
            Ok(n == 1)
        })
        .await
    }
}

impl SqliteStore {
    /// A 32-byte key the server made for itself (created on first use, kept forever).
    /// Blocking: read once at start-up.
    pub fn secret(&self, name: &'static str) -> StoreResult<[u8; 32]> {
        self.blocking(move |c| {
            let fresh: [u8; 32] = rand::random();
            c.execute(
                "INSERT INTO server_secrets (name, value) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![name, fresh.to_vec()],
            )?;
            let v: Vec<u8> = c.query_row(
                "SELECT value FROM server_secrets WHERE name = ?1",
                [name],
                |r| r.get(0),
            )?;
            v.try_into()
                .map_err(|_| StoreError::Corrupt(format!("server secret {name}")))
        })
    }
}

/// SQL tail: media `m` that no capture's own device holds and no kit carries.
const ORPHAN: &str = "AND NOT EXISTS (SELECT 1 FROM captures c JOIN media_holders h
         ON h.sha256 = c.sha256 AND h.device_id = c.device_id WHERE c.sha256 = m.sha256)
     AND NOT EXISTS (SELECT 1 FROM kit_items ki WHERE ki.sha256 = m.sha256)";
