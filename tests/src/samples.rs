//! Sample media for demos and tests: geotagged JPEG photos from places in Uttar Pradesh,
//! a photo without GPS, and short WAV audio clips. Deterministic: the same call makes the
//! same bytes.

use std::f64::consts::PI;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{ImageFormat, Rgb, RgbImage};

use crate::exif_writer::{PhotoTags, insert_into_jpeg};

/// One sample photo's place.
#[derive(Debug)]
pub struct Place {
    /// File stem.
    pub name: &'static str,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// When it was taken, local time.
    pub taken: &'static str,
}

/// The places the sample photos were "taken".
pub const PLACES: &[Place] = &[
    Place {
        name: "lucknow-hazratganj-rally",
        lat: 26.8500,
        lon: 80.9462,
        taken: "2026:11:20 11:02:13",
    },
    Place {
        name: "varanasi-ghat-sabha",
        lat: 25.3066,
        lon: 83.0104,
        taken: "2026:11:21 17:45:40",
    },
    Place {
        name: "kanpur-booth-104",
        lat: 26.4499,
        lon: 80.3319,
        taken: "2026:11:22 08:15:05",
    },
    Place {
        name: "prayagraj-padyatra",
        lat: 25.4246,
        lon: 81.8853,
        taken: "2026:11:23 09:30:00",
    },
];

/// A 1600×1200 picture: a sky-to-ground gradient with a crowd of coloured heads, so
/// thumbnails and viewers have something to show.
pub fn picture(seed: u32) -> RgbImage {
    let (w, h) = (1600u32, 1200u32);
    let mut img = RgbImage::from_fn(w, h, |_, y| {
        let t = y as f32 / h as f32;
        let sky = [120.0 + 80.0 * t, 170.0 + 40.0 * t, 235.0 - 60.0 * t];
        Rgb(sky.map(|c| c as u8))
    });
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    for _ in 0..220 {
        let cx = next() % w;
        let cy = h / 2 + next() % (h / 2);
        let r = 14 + next() % 26;
        let colour = Rgb([
            (next() % 200) as u8 + 40,
            (next() % 120) as u8 + 40,
            (next() % 90) as u8 + 20,
        ]);
        for y in cy.saturating_sub(r)..(cy + r).min(h) {
            for x in cx.saturating_sub(r)..(cx + r).min(w) {
                let (dx, dy) = (x as i64 - cx as i64, y as i64 - cy as i64);
                if dx * dx + dy * dy <= (r * r) as i64 {
                    img.put_pixel(x, y, colour);
                }
            }
        }
    }
    img
}

/// A JPEG of [`picture`], with EXIF tags.
pub fn photo(seed: u32, tags: &PhotoTags) -> Vec<u8> {
    let mut jpeg = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture(seed))
        .write_to(&mut jpeg, ImageFormat::Jpeg)
        .expect("encoding a JPEG in memory cannot fail");
    insert_into_jpeg(&jpeg.into_inner(), tags)
}

/// A mono 16-bit WAV of `seconds` of a slowly warbling tone.
pub fn wav(seconds: u32, base_hz: f64) -> Vec<u8> {
    let rate = 16_000u32;
    let n = rate * seconds;
    let mut out = Vec::with_capacity(44 + 2 * n as usize);
    out.extend(b"RIFF");
    out.extend((36 + 2 * n).to_le_bytes());
    out.extend(b"WAVEfmt ");
    out.extend(16u32.to_le_bytes());
    out.extend(1u16.to_le_bytes()); // PCM
    out.extend(1u16.to_le_bytes()); // mono
    out.extend(rate.to_le_bytes());
    out.extend((rate * 2).to_le_bytes());
    out.extend(2u16.to_le_bytes());
    out.extend(16u16.to_le_bytes());
    out.extend(b"data");
    out.extend((2 * n).to_le_bytes());
    for i in 0..n {
        let t = f64::from(i) / f64::from(rate);
        let f = base_hz * (1.0 + 0.05 * (2.0 * PI * 0.5 * t).sin());
        let s = (0.3 * (2.0 * PI * f * t).sin() * f64::from(i16::MAX)) as i16;
        out.extend(s.to_le_bytes());
    }
    out
}

/// Writes the sample set into `dir` and returns the files made.
pub fn write_all(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut made = Vec::new();
    for (i, p) in PLACES.iter().enumerate() {
        let tags = PhotoTags {
            position: Some((p.lat, p.lon)),
            altitude_m: Some(110.0 + i as f64 * 7.5),
            accuracy_m: Some(5.0 + i as f64 * 3.0),
            taken: Some(p.taken.to_string()),
            offset: Some("+05:30".into()),
        };
        let path = dir.join(format!("{}.jpg", p.name));
        std::fs::write(&path, photo(i as u32 + 1, &tags))?;
        made.push(path);
    }
    let path = dir.join("no-gps-crowd.jpg");
    std::fs::write(&path, photo(99, &PhotoTags::default()))?;
    made.push(path);
    for (name, secs, hz) in [
        ("speech-clip.wav", 4, 220.0),
        ("slogan-chant.wav", 2, 330.0),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, wav(secs, hz))?;
        made.push(path);
    }
    Ok(made)
}
