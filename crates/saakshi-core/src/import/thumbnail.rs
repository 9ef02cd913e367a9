//! Small JPEG previews of photos: long side at most 320 px, at most 64 KiB, upright.
//!
//! JPEGs (nearly every phone photo) are decoded at 1/2, 1/4 or 1/8 scale straight from
//! the DCT, so a 12-megapixel photo never needs its full pixel buffer.

use std::io::{BufRead, BufReader, Read, Seek};

use image::{DynamicImage, ImageReader, Limits, RgbImage, codecs::jpeg::JpegEncoder};

use crate::store::Thumbnail;

/// Longest side of a thumbnail, in pixels.
pub const MAX_SIDE: u32 = 320;
/// Largest thumbnail, in bytes.
pub const MAX_BYTES: usize = 64 * 1024;

/// Makes a thumbnail from an image stream of type `mime`. `orientation` is the EXIF one.
pub fn make(src: impl Read + Seek, mime: &str, orientation: u32) -> Result<Thumbnail, String> {
    let img = if mime == "image/jpeg" {
        decode_jpeg_scaled(BufReader::new(src))?
    } else {
        decode_other(BufReader::new(src))?
    };
    let small = img.thumbnail(MAX_SIDE, MAX_SIDE);
    let upright = orient(small, orientation).into_rgb8();
    encode_within_limit(&upright)
}

fn decode_jpeg_scaled(src: impl Read) -> Result<DynamicImage, String> {
    let mut d = jpeg_decoder::Decoder::new(src);
    d.read_info()
        .map_err(|e| format!("not a readable JPEG: {e}"))?;
    let side = MAX_SIDE as u16;
    let (w, h) = d.scale(side, side).map_err(|e| e.to_string())?;
    let pixels = d
        .decode()
        .map_err(|e| format!("not a readable JPEG: {e}"))?;
    let info = d.info().ok_or("JPEG without a header")?;
    let (w, h) = (u32::from(w), u32::from(h));
    use jpeg_decoder::PixelFormat as P;
    let rgb: Vec<u8> = match info.pixel_format {
        P::RGB24 => pixels,
        P::L8 => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
        P::L16 => pixels
            .chunks_exact(2)
            .flat_map(|c| [c[0], c[0], c[0]])
            .collect(),
        P::CMYK32 => pixels
            .chunks_exact(4)
            .flat_map(|c| {
                // Adobe CMYK JPEGs store inverted values; this is the usual approximation.
                let k = u16::from(c[3]);
                [0, 1, 2].map(|i| ((u16::from(c[i]) * k) / 255) as u8)
            })
            .collect(),
    };
    RgbImage::from_raw(w, h, rgb)
        .map(DynamicImage::ImageRgb8)
        .ok_or_else(|| "JPEG decoded to an unexpected size".to_string())
}

fn decode_other(src: impl BufRead + Seek) -> Result<DynamicImage, String> {
    let mut reader = ImageReader::new(src)
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    // A hostile or broken file must not make us allocate gigabytes.
    let mut limits = Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    limits.max_image_width = Some(30_000);
    limits.max_image_height = Some(30_000);
    reader.limits(limits);
    reader
        .decode()
        .map_err(|e| format!("cannot decode the image: {e}"))
}

/// Applies EXIF orientation so the preview is the right way up.
fn orient(img: DynamicImage, orientation: u32) -> DynamicImage {
    match orientation {
        2 => img.fliph(),
        3 => img.rotate180(),
        4 => img.flipv(),
        5 => img.rotate90().fliph(),
        6 => img.rotate90(),
        7 => img.rotate270().fliph(),
        8 => img.rotate270(),
        _ => img,
    }
}

fn encode_within_limit(img: &RgbImage) -> Result<Thumbnail, String> {
    for quality in [80, 65, 50, 35, 20] {
        let mut jpeg = Vec::with_capacity(32 * 1024);
        JpegEncoder::new_with_quality(&mut jpeg, quality)
            .encode_image(img)
            .map_err(|e| e.to_string())?;
        if jpeg.len() <= MAX_BYTES {
            return Ok(Thumbnail {
                jpeg,
                width: img.width(),
                height: img.height(),
            });
        }
    }
    Err("the thumbnail stays over 64 KiB even at low quality".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Rgb};
    use std::io::Cursor;

    fn noisy(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
        // Noise is the worst case for JPEG size.
        let mut seed = 12345u32;
        let img = RgbImage::from_fn(w, h, |_, _| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let b = seed.to_le_bytes();
            Rgb([b[1], b[2], b[3]])
        });
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img)
            .write_to(&mut out, format)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn large_noisy_jpeg_fits_the_limits() {
        let src = noisy(2000, 1500, ImageFormat::Jpeg);
        let t = make(Cursor::new(src), "image/jpeg", 1).unwrap();
        assert_eq!((t.width, t.height), (320, 240));
        assert!(t.jpeg.len() <= MAX_BYTES, "{} bytes", t.jpeg.len());
        assert_eq!(&t.jpeg[..2], &[0xFF, 0xD8]);
    }

    #[test]
    fn png_and_orientation() {
        let src = noisy(400, 100, ImageFormat::Png);
        let t = make(Cursor::new(src), "image/png", 6).unwrap();
        // Rotated a quarter turn: portrait now.
        assert_eq!((t.width, t.height), (80, 320));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
        bytes.extend(std::iter::repeat_n(0x42, 1000));
        assert!(make(Cursor::new(bytes), "image/jpeg", 1).is_err());
    }
}
