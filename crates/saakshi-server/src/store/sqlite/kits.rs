//! `kits`: publishing curated media to areas, and who may download it.

use rusqlite::{OptionalExtension, params};
use saakshi_domain::wire::{Change, Kit, KitItem};
use saakshi_domain::{CaptureId, Sha256, media_type};

use super::holders::MEDIA_HELD;
use super::{SqliteStore, StoreError, StoreResult, now_ms, scope};
use crate::store::kits::*;

#[async_trait::async_trait]
impl Kits for SqliteStore {
    #[allow(clippy::too_many_arguments)]
    async fn publish_kit(
        &self,
        user_id: i64,
        scope: Option<String>,
        titles: (String, String),
        captions: (String, String),
        captures: Vec<CaptureId>,
        areas: Vec<String>,
    ) -> StoreResult<Result<Kit, KitRefusal>> {
        self.write(move |c| {
            let tx = c.transaction()?;
            let in_scope = |path: &str| scope.as_deref().is_none_or(|s| crate::store::covers(s, path));
            // Areas first: publishing outside one's scope is refused before anything else.
            let mut targets = Vec::new();
            for code in &areas {
                let path: Option<String> = tx
                    .query_row("SELECT path FROM areas WHERE code = ?1", [code], |r| r.get(0))
                    .optional()?;
                match path {
                    Some(p) if in_scope(&p) => targets.push((code.clone(), p)),
                    _ => return Ok(Err(KitRefusal::Area(code.clone()))),
                }
            }
            let mut items = Vec::new();
            for id in &captures {
                // The type sniffed from the bytes; for media stored before types were
                // sniffed, the record's own, only if it is on the allowlist.
                let row: Option<(String, i64, String, String, String)> = tx
                    .query_row(
                        &format!(
                            "SELECT c.sha256, m.size, coalesce(m.mime, json_extract(c.record, '$.mime')),
                                    a.path, c.review
                             FROM captures c JOIN media m ON m.sha256 = c.sha256
                             JOIN areas a ON a.code = c.area_code WHERE c.id = ?1 AND {MEDIA_HELD}"
                        ),
                        [id.to_string()],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                    )
                    .optional()?;
                match row {
                    Some((.., path, review)) if in_scope(&path) && review != "approved" => {
                        return Ok(Err(KitRefusal::NotApproved(id.to_string())));
                    }
                    Some((sha, size, mime, path, _)) if in_scope(&path) => items.push(KitItem {
                        sha256: sha.parse().map_err(|_| StoreError::Corrupt(sha.clone()))?,
                        size: size as u64,
                        mime: if media_type::kind_of(&mime).is_some() {
                            mime
                        } else {
                            "application/octet-stream".into()
                        },
                    }),
                    _ => return Ok(Err(KitRefusal::Capture(id.to_string()))),
                }
            }
            let now = now_ms();
            let kit = Kit {
                id: uuid::Uuid::now_v7(),
                title_en: titles.0,
                title_hi: titles.1,
                caption_en: captions.0,
                caption_hi: captions.1,
                published_at: chrono::DateTime::from_timestamp_millis(now).unwrap_or_default(),
                items,
            };
            let body = serde_json::to_string(&kit).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.execute(
                "INSERT INTO kits (id, body, created_by, published_at) VALUES (?1, ?2, ?3, ?4)",
                params![kit.id.to_string(), body, user_id, now],
            )?;
            for (i, item) in kit.items.iter().enumerate() {
                tx.execute(
                    "INSERT INTO kit_items (kit_id, position, sha256) VALUES (?1, ?2, ?3)",
                    params![kit.id.to_string(), i as i64, item.sha256.to_hex()],
                )?;
            }
            let change = serde_json::to_string(&Change::Kit { kit: kit.clone() })
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            for (code, path) in &targets {
                tx.execute(
                    "INSERT INTO kit_areas (kit_id, area_code) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    params![kit.id.to_string(), code],
                )?;
                tx.execute(
                    "INSERT INTO changes (area_path, body, at) VALUES (?1, ?2, ?3)",
                    params![path, change, now],
                )?;
            }
            tx.commit()?;
            Ok(Ok(kit))
        })
        .await
    }

    async fn list_kits(&self, scope: Option<String>) -> StoreResult<Vec<PublishedKit>> {
        self.read(move |c| {
            let mut stmt = c.prepare(&format!(
                "SELECT k.body, group_concat(ka2.area_code) FROM kits k
                 JOIN kit_areas ka2 ON ka2.kit_id = k.id
                 WHERE k.id IN (SELECT ka.kit_id FROM kit_areas ka
                     JOIN areas a ON a.code = ka.area_code
                     WHERE {})
                 GROUP BY k.id ORDER BY k.published_at DESC",
                scope::sql_under_or_all("a.path", "?1")
            ))?;
            let rows = stmt.query_map([scope], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (body, areas) = row?;
                let mut area_codes: Vec<String> = areas.split(',').map(str::to_string).collect();
                area_codes.sort();
                out.push(PublishedKit {
                    kit: serde_json::from_str(&body)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    area_codes,
                });
            }
            Ok(out)
        })
        .await
    }

    async fn kit_reaches(&self, device_area_path: String, sha256: Sha256) -> StoreResult<bool> {
        self.read(move |c| {
            Ok(c.query_row(
                &format!(
                    "SELECT EXISTS (SELECT 1 FROM kit_items ki JOIN kit_areas ka ON ka.kit_id = ki.kit_id
                         JOIN areas a ON a.code = ka.area_code
                         WHERE ki.sha256 = ?1 AND {})",
                    scope::sql_under("?2", "a.path")
                ),
                params![sha256.to_hex(), device_area_path],
                |r| r.get(0),
            )?)
        })
        .await
    }
}
