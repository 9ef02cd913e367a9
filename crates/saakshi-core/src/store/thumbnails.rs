//! `thumbnails`: small JPEG previews, one per blob.

use rusqlite::{OptionalExtension, params};
use saakshi_domain::Sha256;

use super::Store;

/// A JPEG preview of a photo.
#[derive(Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// JPEG bytes (at most 64 KiB).
    pub jpeg: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl std::fmt::Debug for Thumbnail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Thumbnail({}x{}, {} bytes)",
            self.width,
            self.height,
            self.jpeg.len()
        )
    }
}

impl Store {
    /// Stores the preview of a blob (replacing an older one).
    pub(crate) fn put_thumbnail(&self, sha256: &Sha256, t: &Thumbnail) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT INTO thumbnails (sha256, jpeg, width, height) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (sha256) DO UPDATE SET jpeg = excluded.jpeg,
                 width = excluded.width, height = excluded.height",
            params![sha256.to_hex(), t.jpeg, t.width, t.height],
        )?;
        Ok(())
    }

    /// Deletes every preview.
    pub(crate) fn clear_thumbnails(&self) -> rusqlite::Result<()> {
        self.conn.execute("DELETE FROM thumbnails", [])?;
        Ok(())
    }

    /// The preview of a blob, if one was made.
    pub(crate) fn thumbnail(&self, sha256: &Sha256) -> rusqlite::Result<Option<Thumbnail>> {
        self.conn
            .query_row(
                "SELECT jpeg, width, height FROM thumbnails WHERE sha256 = ?1",
                [sha256.to_hex()],
                |r| {
                    Ok(Thumbnail {
                        jpeg: r.get(0)?,
                        width: r.get(1)?,
                        height: r.get(2)?,
                    })
                },
            )
            .optional()
    }
}
