//! `changes`: the append-only sequence devices pull with a cursor. Never counted, never
//! rewritten: a cursor is the last `seq` a device has seen.

use rusqlite::{Transaction, params};
use saakshi_domain::DeviceId;
use saakshi_domain::wire::{Change, ChangeEntry};

use super::{SqliteStore, StoreError, StoreResult, now_ms, scope};
use crate::store::changes::*;

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

#[async_trait::async_trait]
impl Changes for SqliteStore {
    async fn changes_since(
        &self,
        device: DeviceId,
        audience: Audience,
        cursor: i64,
        limit: u32,
    ) -> StoreResult<(Vec<ChangeEntry>, bool)> {
        self.read(move |c| {
            let (sql, area_path) = match audience {
                Audience::Active { area_path } => (
                    format!(
                        "SELECT seq, at, body FROM changes
                         WHERE seq > ?1 AND (device_id = ?2 OR (area_path IS NOT NULL AND {}))
                         ORDER BY seq LIMIT ?4",
                        scope::sql_under("?3", "area_path")
                    ),
                    Some(area_path),
                ),
                // ?3 is left unused (bound NULL): one parameter list serves both.
                Audience::Revoked => (
                    "SELECT seq, at, body FROM changes
                     WHERE seq > ?1 AND device_id = ?2
                       AND seq <= (SELECT max(seq) FROM changes WHERE device_id = ?2
                                   AND json_extract(body, '$.kind') = 'revoked')
                     ORDER BY seq LIMIT ?4"
                        .to_string(),
                    None,
                ),
            };
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(
                params![cursor, device.to_string(), area_path, i64::from(limit) + 1],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )?;
            let mut out = Vec::new();
            for row in rows {
                let (seq, at, body) = row?;
                out.push(ChangeEntry {
                    seq: seq as u64,
                    at: chrono::DateTime::from_timestamp_millis(at).unwrap_or_default(),
                    change: serde_json::from_str(&body)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                });
            }
            let more = out.len() > limit as usize;
            out.truncate(limit as usize);
            Ok((out, more))
        })
        .await
    }
}
