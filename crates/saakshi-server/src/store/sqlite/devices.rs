//! `devices`: enrolment (redeeming an invite), token look-up, revocation.

use rusqlite::{OptionalExtension, params};
use saakshi_domain::DeviceId;
use saakshi_domain::wire::Change;

use super::holders::MEDIA_HELD;
use super::{SqliteStore, StoreError, StoreResult, changes, now_ms, scope};
use crate::store::devices::*;

#[async_trait::async_trait]
impl Devices for SqliteStore {
    async fn enroll_device(
        &self,
        code_hash: String,
        token_hash: String,
        name: String,
        platform: String,
        public_key: Vec<u8>,
    ) -> StoreResult<Result<(DeviceId, String), EnrollRefusal>> {
        self.write(move |c| {
            let tx = c.transaction()?;
            let now = now_ms();
            let area: Option<String> = tx
                .query_row(
                    "UPDATE invites SET uses_left = uses_left - 1
                     WHERE code_hash = ?1 AND uses_left > 0 AND expires_at > ?2
                     RETURNING area_code",
                    params![code_hash, now],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(area) = area else {
                return Ok(Err(EnrollRefusal::BadInvite));
            };
            let id = DeviceId::new();
            tx.execute(
                "INSERT INTO devices (id, token_hash, public_key, name, platform, area_code, enrolled_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id.to_string(), token_hash, public_key, name, platform, area, now],
            )?;
            tx.commit()?;
            Ok(Ok((id, area)))
        })
        .await
    }

    async fn device_by_token(&self, token_hash: String) -> StoreResult<Option<DeviceRow>> {
        let hash = token_hash;
        // Every device request comes through here, so it reads on a reader; "last seen"
        // is written at most once a minute per device, on the writer.
        let found = self
            .read(move |c| {
                let mut stmt = c.prepare_cached(
                    "SELECT d.id, d.area_code, a.path, d.revoked_at IS NOT NULL, d.wipe, d.last_seen_at
                     FROM devices d JOIN areas a ON a.code = d.area_code WHERE d.token_hash = ?1",
                )?;
                Ok(stmt
                    .query_row([hash], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, bool>(3)?,
                            r.get::<_, bool>(4)?,
                            r.get::<_, Option<i64>>(5)?,
                        ))
                    })
                    .optional()?)
            })
            .await?;
        let Some((id, area_code, area_path, revoked, wipe, last_seen)) = found else {
            return Ok(None);
        };
        let now = now_ms();
        if last_seen.is_none_or(|t| now - t > 60_000) {
            // Not awaited: the request need not queue behind other writes for a time
            // shown only on the devices page. A failure is logged, and the next
            // request a minute later tries again.
            let (db, id) = (self.clone(), id.clone());
            tokio::spawn(async move {
                let r = db
                    .write(move |c| {
                        c.execute(
                            "UPDATE devices SET last_seen_at = ?1 WHERE id = ?2",
                            params![now, id],
                        )?;
                        Ok(())
                    })
                    .await;
                if let Err(e) = r {
                    tracing::warn!(error = %e, "a device's last-seen time was not saved");
                }
            });
        }
        Ok(Some(DeviceRow {
            id: id
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("device id {id}")))?,
            area_code,
            area_path,
            revoked,
            wipe,
        }))
    }

    async fn revoke_device(&self, id: DeviceId, wipe: bool) -> StoreResult<bool> {
        self.write(move |c| {
            let tx = c.transaction()?;
            let n = tx.execute(
                "UPDATE devices SET revoked_at = coalesce(revoked_at, ?1), wipe = ?2 WHERE id = ?3",
                params![now_ms(), wipe, id.to_string()],
            )?;
            if n == 1 {
                changes::append_for_device(&tx, &id, &Change::Revoked { wipe })?;
            }
            tx.commit()?;
            Ok(n == 1)
        })
        .await
    }

    async fn list_devices(&self, prefix: Option<String>) -> StoreResult<Vec<DeviceInfo>> {
        self.read(move |c| {
            let mut stmt = c.prepare(&format!(
                "SELECT d.id, d.name, d.platform, d.area_code, d.enrolled_at, d.last_seen_at,
                        d.clock_skew_ms, d.revoked_at IS NOT NULL,
                        (SELECT count(*) FROM captures c WHERE c.device_id = d.id),
                        (SELECT count(*) FROM captures c WHERE c.device_id = d.id
                            AND NOT {MEDIA_HELD})
                 FROM devices d JOIN areas a ON a.code = d.area_code
                 WHERE {}
                 ORDER BY d.enrolled_at",
                scope::sql_under_or_all("a.path", "?1")
            ))?;
            let rows = stmt.query_map([prefix], |r| {
                Ok(DeviceInfo {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    platform: r.get(2)?,
                    area_code: r.get(3)?,
                    enrolled_at: r.get(4)?,
                    last_seen_at: r.get(5)?,
                    clock_skew_ms: r.get(6)?,
                    revoked: r.get(7)?,
                    captures: r.get(8)?,
                    media_pending: r.get(9)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    async fn device_clock_skew(&self, id: DeviceId) -> StoreResult<Option<i64>> {
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT clock_skew_ms FROM devices WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
        })
        .await
    }

    async fn device_public_key(&self, id: DeviceId) -> StoreResult<Option<Vec<u8>>> {
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT public_key FROM devices WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?)
        })
        .await
    }

    async fn device_area_path(&self, id: DeviceId) -> StoreResult<Option<String>> {
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT a.path FROM devices d JOIN areas a ON a.code = d.area_code WHERE d.id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?)
        })
        .await
    }

    async fn set_clock_skew(&self, id: DeviceId, skew_ms: i64) -> StoreResult<()> {
        self.write(move |c| {
            c.execute(
                "UPDATE devices SET clock_skew_ms = ?1 WHERE id = ?2",
                params![skew_ms, id.to_string()],
            )?;
            Ok(())
        })
        .await
    }
}
