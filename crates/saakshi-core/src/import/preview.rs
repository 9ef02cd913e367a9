//! Previews made outside the core: the app draws a video's frame in the WebView (the
//! core decodes no video). The JPEG is decoded and made again by the same code as a
//! photo's thumbnail, so whatever the WebView sent, the store keeps at most 320 px and
//! 64 KiB of a real JPEG.

use std::io::Cursor;

use saakshi_domain::{Sha256, ValidationError};

use super::thumbnail;
use crate::error::{CoreError, Result};
use crate::home::Home;

/// Largest preview accepted from a front end before it is scaled down.
pub const MAX_GIVEN_PREVIEW_BYTES: usize = 4 * 1024 * 1024;

impl Home {
    /// Keeps `jpeg` as the preview of the media `sha256`, unless it already has one.
    /// Returns whether it was kept.
    pub fn set_thumbnail(&self, sha256: &Sha256, jpeg: &[u8]) -> Result<bool> {
        if jpeg.len() > MAX_GIVEN_PREVIEW_BYTES {
            return Err(
                ValidationError::new("thumbnail", "the preview is larger than 4 MiB").into(),
            );
        }
        if self.db(|s| s.capture_with_sha256(sha256))?.is_none() {
            return Err(CoreError::NotFound(sha256.to_hex()));
        }
        if self.thumbnail(sha256)?.is_some() {
            return Ok(false);
        }
        let thumb = thumbnail::make(Cursor::new(jpeg), "image/jpeg", 1)
            .map_err(|e| ValidationError::new("thumbnail", e))?;
        self.db(|s| s.put_thumbnail(sha256, &thumb))?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use image::{ImageEncoder, codecs::jpeg::JpegEncoder};

    use super::*;
    use crate::ImportRequest;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let pixels: Vec<u8> = (0..w * h * 3).map(|i| (i % 251) as u8).collect();
        JpegEncoder::new_with_quality(&mut out, 90)
            .write_image(&pixels, w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        out
    }

    /// A home with one "video" (bytes the core cannot preview) captured.
    fn home_with_video() -> (tempfile::TempDir, Home, Sha256) {
        let dir = tempfile::tempdir().unwrap();
        let (home, _) = Home::create(&dir.path().join("home")).unwrap();
        let file = dir.path().join("clip.mp4");
        let mut bytes = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
        bytes.extend(std::iter::repeat_n(7u8, 4000));
        std::fs::write(&file, bytes).unwrap();
        let c = home
            .import_file(&file, &ImportRequest::default(), &mut |_| {})
            .unwrap();
        let sha = c.capture().record.sha256;
        assert!(home.thumbnail(&sha).unwrap().is_none());
        (dir, home, sha)
    }

    #[test]
    fn a_frame_becomes_a_small_preview_once() {
        let (_dir, home, sha) = home_with_video();
        assert!(home.set_thumbnail(&sha, &jpeg(1280, 720)).unwrap());
        let t = home.thumbnail(&sha).unwrap().unwrap();
        assert_eq!((t.width, t.height), (320, 180));
        assert!(t.jpeg.len() <= thumbnail::MAX_BYTES);
        // A second preview does not replace the first.
        assert!(!home.set_thumbnail(&sha, &jpeg(64, 64)).unwrap());
        assert_eq!(home.thumbnail(&sha).unwrap().unwrap().width, 320);
    }

    #[test]
    fn refuses_what_is_not_a_jpeg_or_not_ours_and_keeps_nothing() {
        let (_dir, home, sha) = home_with_video();
        let err = home.set_thumbnail(&sha, b"not a jpeg").unwrap_err();
        assert!(
            matches!(err, CoreError::Invalid(ref v) if v.field == "thumbnail"),
            "{err}"
        );
        let err = home
            .set_thumbnail(&sha, &vec![0xff; MAX_GIVEN_PREVIEW_BYTES + 1])
            .unwrap_err();
        assert!(matches!(err, CoreError::Invalid(_)), "{err}");
        assert!(home.thumbnail(&sha).unwrap().is_none());
        let err = home
            .set_thumbnail(&Sha256([9; 32]), &jpeg(8, 8))
            .unwrap_err();
        assert!(matches!(err, CoreError::NotFound(_)), "{err}");
    }
}
