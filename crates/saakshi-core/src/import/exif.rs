//! What a photo says about itself: EXIF GPS position, the time it was taken, and which way
//! is up. Reads only the metadata segment, never the pixels.

use std::io::{BufRead, Seek};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use exif::{Exif, In, Tag, Value};
use saakshi_domain::{Location, LocationSource};

/// The EXIF facts Saakshi uses.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhotoMeta {
    /// Position from the GPS tags, if complete and in range.
    pub location: Option<Location>,
    /// DateTimeOriginal, with OffsetTimeOriginal when present.
    pub taken_local: Option<NaiveDateTime>,
    /// OffsetTimeOriginal, when the camera wrote it.
    pub taken_offset: Option<FixedOffset>,
    /// EXIF orientation (1..=8), 1 when absent.
    pub orientation: u32,
}

/// Reads EXIF from a JPEG, TIFF, HEIF, PNG or WebP stream. No EXIF at all is not an
/// error: it gives the defaults. Quirks that real writers produce (a stray next-IFD
/// pointer, a malformed tag) cost only the fields they touch.
pub fn read(reader: &mut (impl BufRead + Seek)) -> PhotoMeta {
    let result = exif::Reader::new()
        .continue_on_error(true)
        .read_from_container(reader)
        .or_else(|e| e.distill_partial_result(|_| {}));
    match result {
        Ok(ex) => from_exif(&ex),
        Err(_) => PhotoMeta {
            orientation: 1,
            ..Default::default()
        },
    }
}

fn from_exif(ex: &Exif) -> PhotoMeta {
    PhotoMeta {
        location: gps(ex),
        taken_local: ascii(ex, Tag::DateTimeOriginal)
            .and_then(|s| NaiveDateTime::parse_from_str(s.trim(), "%Y:%m:%d %H:%M:%S").ok()),
        taken_offset: ascii(ex, Tag::OffsetTimeOriginal).and_then(parse_offset),
        orientation: ex
            .get_field(Tag::Orientation, In::PRIMARY)
            .and_then(|f| f.value.get_uint(0))
            .filter(|o| (1..=8).contains(o))
            .unwrap_or(1),
    }
}

fn ascii(ex: &Exif, tag: Tag) -> Option<&str> {
    match &ex.get_field(tag, In::PRIMARY)?.value {
        Value::Ascii(parts) => parts.first().and_then(|b| std::str::from_utf8(b).ok()),
        _ => None,
    }
}

fn rationals(ex: &Exif, tag: Tag) -> Option<Vec<f64>> {
    match &ex.get_field(tag, In::PRIMARY)?.value {
        Value::Rational(v) => Some(v.iter().map(|r| r.to_f64()).collect()),
        _ => None,
    }
}

/// Degrees, minutes, seconds → signed decimal degrees.
fn dms(ex: &Exif, tag: Tag, ref_tag: Tag, negative: &str) -> Option<f64> {
    let v = rationals(ex, tag)?;
    let deg = v.first()? + v.get(1).unwrap_or(&0.0) / 60.0 + v.get(2).unwrap_or(&0.0) / 3600.0;
    let sign = match ascii(ex, ref_tag) {
        Some(r) if r.trim().eq_ignore_ascii_case(negative) => -1.0,
        _ => 1.0,
    };
    deg.is_finite().then_some(sign * deg)
}

fn gps(ex: &Exif) -> Option<Location> {
    let lat = dms(ex, Tag::GPSLatitude, Tag::GPSLatitudeRef, "S")?;
    let lon = dms(ex, Tag::GPSLongitude, Tag::GPSLongitudeRef, "W")?;
    let altitude_m = rationals(ex, Tag::GPSAltitude)
        .and_then(|v| v.first().copied())
        .map(|a| {
            let below = ex
                .get_field(Tag::GPSAltitudeRef, In::PRIMARY)
                .and_then(|f| f.value.get_uint(0))
                == Some(1);
            if below { -a } else { a }
        });
    let accuracy_m = rationals(ex, Tag::GPSHPositioningError).and_then(|v| v.first().copied());
    let loc = Location {
        lat,
        lon,
        accuracy_m,
        altitude_m,
        source: LocationSource::Exif,
        fix_time: gps_time(ex),
    };
    // A camera that wrote 0/0 or garbage has no fix; keep what is valid, drop the rest.
    if loc.validate().is_ok() {
        return Some(loc);
    }
    let bare = Location {
        accuracy_m: None,
        altitude_m: None,
        ..loc
    };
    bare.validate().is_ok().then_some(bare)
}

fn gps_time(ex: &Exif) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(ascii(ex, Tag::GPSDateStamp)?.trim(), "%Y:%m:%d").ok()?;
    let t = rationals(ex, Tag::GPSTimeStamp)?;
    let secs = t.first()? * 3600.0 + t.get(1).unwrap_or(&0.0) * 60.0 + t.get(2).unwrap_or(&0.0);
    if !(0.0..86_400.0).contains(&secs) {
        return None;
    }
    let midnight = date.and_hms_opt(0, 0, 0)?;
    let ms = (secs * 1000.0).round() as i64;
    Some(Utc.from_utc_datetime(&(midnight + chrono::Duration::milliseconds(ms))))
}

/// `+05:30` / `-04:00` → offset.
fn parse_offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let secs = (h.parse::<i32>().ok()? * 60 + m.parse::<i32>().ok()?) * 60;
    FixedOffset::east_opt(sign * secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+05:30"), FixedOffset::east_opt(19_800));
        assert_eq!(parse_offset("-04:00"), FixedOffset::east_opt(-14_400));
        assert_eq!(parse_offset("0530"), None);
        assert_eq!(parse_offset(""), None);
    }

    #[test]
    fn no_exif_gives_defaults() {
        let mut c = std::io::Cursor::new(b"\xFF\xD8\xFF\xD9".to_vec());
        let m = read(&mut c);
        assert_eq!(m.location, None);
        assert_eq!(m.orientation, 1);
    }
}
