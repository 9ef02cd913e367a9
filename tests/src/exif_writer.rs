//! A minimal EXIF writer: GPS position, DateTimeOriginal with its offset, orientation.
//! Enough to make sample photos that carry what a phone camera writes.

/// What to write into a photo's EXIF.
#[derive(Clone, Debug, Default)]
pub struct PhotoTags {
    /// (latitude, longitude) in decimal degrees.
    pub position: Option<(f64, f64)>,
    /// Metres above sea level.
    pub altitude_m: Option<f64>,
    /// Horizontal accuracy in metres.
    pub accuracy_m: Option<f64>,
    /// "YYYY:MM:DD HH:MM:SS", local time.
    pub taken: Option<String>,
    /// "+05:30".
    pub offset: Option<String>,
}

const BYTE: u16 = 1;
const ASCII: u16 = 2;
const SHORT: u16 = 3;
const LONG: u16 = 4;
const RATIONAL: u16 = 5;

struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    data: Vec<u8>,
}

fn ascii(tag: u16, s: &str) -> Entry {
    let mut data = s.as_bytes().to_vec();
    data.push(0);
    Entry {
        tag,
        kind: ASCII,
        count: data.len() as u32,
        data,
    }
}

fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
    let data = values
        .iter()
        .flat_map(|(n, d)| n.to_le_bytes().into_iter().chain(d.to_le_bytes()))
        .collect();
    Entry {
        tag,
        kind: RATIONAL,
        count: values.len() as u32,
        data,
    }
}

fn dms(deg: f64) -> [(u32, u32); 3] {
    let deg = deg.abs();
    let d = deg.trunc();
    let m = ((deg - d) * 60.0).trunc();
    let s = (deg - d - m / 60.0) * 3600.0;
    [
        (d as u32, 1),
        (m as u32, 1),
        ((s * 1000.0).round() as u32, 1000),
    ]
}

fn ifd_size(entries: &[Entry]) -> u32 {
    let data: u32 = entries
        .iter()
        .filter(|e| e.data.len() > 4)
        .map(|e| e.data.len().next_multiple_of(2) as u32)
        .sum();
    2 + 12 * entries.len() as u32 + 4 + data
}

fn write_ifd(out: &mut Vec<u8>, mut entries: Vec<Entry>, at: u32) {
    entries.sort_by_key(|e| e.tag);
    let mut data_at = at + 2 + 12 * entries.len() as u32 + 4;
    let mut data = Vec::new();
    out.extend((entries.len() as u16).to_le_bytes());
    for e in &entries {
        out.extend(e.tag.to_le_bytes());
        out.extend(e.kind.to_le_bytes());
        out.extend(e.count.to_le_bytes());
        if e.data.len() <= 4 {
            let mut inline = e.data.clone();
            inline.resize(4, 0);
            out.extend(inline);
        } else {
            out.extend(data_at.to_le_bytes());
            data.extend(&e.data);
            if e.data.len() % 2 == 1 {
                data.push(0);
            }
            data_at += e.data.len().next_multiple_of(2) as u32;
        }
    }
    out.extend(0u32.to_le_bytes()); // no next IFD
    out.extend(data);
}

/// The TIFF body of an EXIF APP1 segment.
pub fn tiff(tags: &PhotoTags) -> Vec<u8> {
    let mut exif = Vec::new();
    if let Some(t) = &tags.taken {
        exif.push(ascii(0x9003, t));
    }
    if let Some(o) = &tags.offset {
        exif.push(ascii(0x9011, o));
    }
    let mut gps = Vec::new();
    if let Some((lat, lon)) = tags.position {
        gps.push(Entry {
            tag: 0x0000,
            kind: BYTE,
            count: 4,
            data: vec![2, 3, 0, 0],
        });
        gps.push(ascii(0x0001, if lat < 0.0 { "S" } else { "N" }));
        gps.push(rationals(0x0002, &dms(lat)));
        gps.push(ascii(0x0003, if lon < 0.0 { "W" } else { "E" }));
        gps.push(rationals(0x0004, &dms(lon)));
        if let Some(alt) = tags.altitude_m {
            gps.push(Entry {
                tag: 0x0005,
                kind: BYTE,
                count: 1,
                data: vec![u8::from(alt < 0.0)],
            });
            gps.push(rationals(
                0x0006,
                &[((alt.abs() * 10.0).round() as u32, 10)],
            ));
        }
        if let Some(acc) = tags.accuracy_m {
            gps.push(rationals(0x001F, &[((acc * 10.0).round() as u32, 10)]));
        }
    }
    let short = |tag, v: u16| Entry {
        tag,
        kind: SHORT,
        count: 1,
        data: v.to_le_bytes().to_vec(),
    };
    let long = |tag, v: u32| Entry {
        tag,
        kind: LONG,
        count: 1,
        data: v.to_le_bytes().to_vec(),
    };

    // IFD0 holds pointers to the Exif and GPS IFDs, which follow it.
    let ifd0_len = 1 + usize::from(!exif.is_empty()) + usize::from(!gps.is_empty());
    let ifd0_size = 2 + 12 * ifd0_len as u32 + 4;
    let exif_at = 8 + ifd0_size;
    let gps_at = exif_at + if exif.is_empty() { 0 } else { ifd_size(&exif) };
    let mut ifd0 = vec![short(0x0112, 1)];
    if !exif.is_empty() {
        ifd0.push(long(0x8769, exif_at));
    }
    if !gps.is_empty() {
        ifd0.push(long(0x8825, gps_at));
    }

    let mut out = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    write_ifd(&mut out, ifd0, 8);
    if !exif.is_empty() {
        write_ifd(&mut out, exif, exif_at);
    }
    if !gps.is_empty() {
        write_ifd(&mut out, gps, gps_at);
    }
    out
}

/// Inserts an EXIF APP1 segment right after a JPEG's start-of-image marker.
pub fn insert_into_jpeg(jpeg: &[u8], tags: &PhotoTags) -> Vec<u8> {
    let body = tiff(tags);
    let len = (2 + 6 + body.len()) as u16;
    let mut out = Vec::with_capacity(jpeg.len() + body.len() + 10);
    out.extend(&jpeg[..2]); // FF D8
    out.extend([0xFF, 0xE1]);
    out.extend(len.to_be_bytes());
    out.extend(b"Exif\0\0");
    out.extend(body);
    out.extend(&jpeg[2..]);
    out
}
