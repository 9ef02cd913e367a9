//! `changes`: the append-only sequence devices pull with a cursor. Never counted, never
//! rewritten: a cursor is the last `seq` a device has seen.

use rusqlite::{Transaction, params};
use saakshi_domain::DeviceId;
use saakshi_domain::wire::{Change, ChangeEntry};

use super::{Db, StoreError, StoreResult, now_ms};

/// Appends a change for one device.
pub(super) fn append_for_device(
    tx: &Transaction<'_>,
    device: &DeviceId,
    change: &Change,
) -> StoreResult<()> {
    let body = serde_json::to_string(change).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO changes (device_id, body, at) VALUES (?1, ?2, ?3)",
        params![device.to_string(), body, now_ms()],
    )?;
    Ok(())
}

impl Db {
    /// Changes for `device` (or for its area subtree) after `cursor`, oldest first, at
    /// most `limit`; and whether more remain.
    pub async fn changes_since(
        &self,
        device: DeviceId,
        area_path: String,
        cursor: u64,
        limit: u32,
    ) -> StoreResult<(Vec<ChangeEntry>, bool)> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, at, body FROM changes
                 WHERE seq > ?1 AND (device_id = ?2 OR (area_path IS NOT NULL AND ?3 LIKE area_path || '%'))
                 ORDER BY seq LIMIT ?4",
            )?;
            let rows = stmt.query_map(
                params![cursor as i64, device.to_string(), area_path, i64::from(limit) + 1],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)),
            )?;
            let mut out = Vec::new();
            for row in rows {
                let (seq, at, body) = row?;
                out.push(ChangeEntry {
                    seq: seq as u64,
                    at: chrono::DateTime::from_timestamp_millis(at).unwrap_or_default(),
                    change: serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                });
            }
            let more = out.len() > limit as usize;
            out.truncate(limit as usize);
            Ok((out, more))
        })
        .await
    }
}
