//! `kits` and `kit_media`: what coordinators published to this device's area.

use rusqlite::params;
use saakshi_domain::Sha256;
use saakshi_domain::wire::{Kit, KitItem};

use super::Store;

/// A kit with where its media is on this device.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LocalKit {
    /// The kit as published.
    #[serde(flatten)]
    pub kit: Kit,
    /// For each item, whether its media is here yet.
    pub present: Vec<bool>,
}

impl Store {
    /// Keeps a kit (again is a no-op).
    pub(crate) fn put_kit(&self, kit: &Kit) -> rusqlite::Result<()> {
        let body = serde_json::to_string(kit).unwrap_or_default();
        self.conn.execute(
            "INSERT INTO kits (id, body, received_at) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING",
            params![kit.id.to_string(), body, chrono::Utc::now().timestamp_millis()],
        )?;
        for (i, item) in kit.items.iter().enumerate() {
            self.conn.execute(
                "INSERT INTO kit_media (kit_id, position, sha256, size, mime) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO NOTHING",
                params![kit.id.to_string(), i as i64, item.sha256.to_hex(), item.size as i64, item.mime],
            )?;
        }
        Ok(())
    }

    /// Kit media not yet in the blob store.
    pub(crate) fn missing_kit_media(&self) -> rusqlite::Result<Vec<KitItem>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT k.sha256, k.size, k.mime FROM kit_media k
             WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = k.sha256)",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (sha, size, mime) = row?;
            if let Ok(sha256) = sha.parse::<Sha256>() {
                out.push(KitItem {
                    sha256,
                    size: size as u64,
                    mime,
                });
            }
        }
        Ok(out)
    }

    /// Every kit, newest first.
    pub(crate) fn kits(&self) -> rusqlite::Result<Vec<LocalKit>> {
        let blobs = self.blob_set()?;
        let mut stmt = self
            .conn
            .prepare("SELECT body FROM kits ORDER BY received_at DESC, id DESC")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for body in rows {
            if let Ok(kit) = serde_json::from_str::<Kit>(&body?) {
                let present = kit
                    .items
                    .iter()
                    .map(|i| blobs.contains(&i.sha256))
                    .collect();
                out.push(LocalKit { kit, present });
            }
        }
        Ok(out)
    }
}
