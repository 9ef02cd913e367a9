//! `blobs`: which media files on disk the database knows about.

use std::collections::HashSet;

use rusqlite::{Transaction, params};
use saakshi_domain::Sha256;

use super::Store;

impl Store {
    /// Records a blob (no-op if already recorded).
    pub(crate) fn insert_blob(
        tx: &Transaction<'_>,
        sha256: &Sha256,
        size: u64,
        now_ms: i64,
    ) -> rusqlite::Result<()> {
        tx.execute(
            "INSERT INTO blobs (sha256, size, stored_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (sha256) DO NOTHING",
            params![sha256.to_hex(), size as i64, now_ms],
        )?;
        Ok(())
    }

    /// Every blob the database knows.
    pub(crate) fn blob_set(&self) -> rusqlite::Result<HashSet<Sha256>> {
        let mut stmt = self.conn.prepare("SELECT sha256 FROM blobs")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = HashSet::new();
        for row in rows {
            if let Ok(sha) = row?.parse() {
                out.insert(sha);
            }
        }
        Ok(out)
    }

    /// Bytes of all known blobs.
    pub(crate) fn blob_bytes(&self) -> rusqlite::Result<u64> {
        self.conn
            .query_row("SELECT coalesce(sum(size), 0) FROM blobs", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
    }
}
