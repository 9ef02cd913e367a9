//! A ZIP archive written front to back, never seeking, so an export of any size streams
//! to the client with constant memory. Entries are stored (media is already compressed;
//! deflating it costs CPU for nothing), each followed by a data descriptor carrying its
//! CRC-32, and ZIP64 records appear exactly when a size, an offset or the entry count
//! outgrows the classic format (APPNOTE 6.3.10, sections 4.3.9, 4.4.8, 4.5.3).
//!
//! The caller writes `local_header`, then the entry's bytes (feeding them to
//! [`Entry::update`]), then `data_descriptor`; `finish` writes the central directory.

use chrono::{DateTime, Datelike, Timelike, Utc};

const LOCAL_HEADER: u32 = 0x0403_4b50;
const DATA_DESCRIPTOR: u32 = 0x0807_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const ZIP64_EOCD: u32 = 0x0606_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const EOCD: u32 = 0x0605_4b50;
/// Bit 3: sizes and CRC follow the data; bit 11: names are UTF-8.
const FLAGS: u16 = 0x0808;
const U32_MAX: u64 = 0xFFFF_FFFF;

#[derive(Debug)]
struct Written {
    name: String,
    dos_time: (u16, u16),
    crc: u32,
    size: u64,
    offset: u64,
}

/// The archive being written: how far it got, and what the central directory will list.
#[derive(Debug, Default)]
pub struct ZipWriter {
    offset: u64,
    entries: Vec<Written>,
}

/// One entry between its header and its descriptor.
#[derive(Debug)]
pub struct Entry {
    name: String,
    dos_time: (u16, u16),
    offset: u64,
    crc: crc32fast::Hasher,
    size: u64,
}

impl Entry {
    /// Feeds the entry's bytes (the caller writes them out too).
    pub fn update(&mut self, bytes: &[u8]) {
        self.crc.update(bytes);
        self.size += bytes.len() as u64;
    }
}

fn dos_time(t: DateTime<Utc>) -> (u16, u16) {
    // DOS dates start in 1980; anything earlier is clamped there.
    let year = t.year().clamp(1980, 2107) as u16;
    let time = ((t.hour() as u16) << 11) | ((t.minute() as u16) << 5) | (t.second() as u16 / 2);
    let date = ((year - 1980) << 9) | ((t.month() as u16) << 5) | t.day() as u16;
    (time, date)
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u64le(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

impl ZipWriter {
    /// Starts an entry: returns it and the bytes of its local header.
    pub fn local_header(&mut self, name: &str, modified: DateTime<Utc>) -> (Entry, Vec<u8>) {
        let dos = dos_time(modified);
        let mut out = Vec::with_capacity(30 + name.len());
        u32le(&mut out, LOCAL_HEADER);
        u16le(&mut out, 45); // version needed: ZIP64 may follow
        u16le(&mut out, FLAGS);
        u16le(&mut out, 0); // stored
        u16le(&mut out, dos.0);
        u16le(&mut out, dos.1);
        u32le(&mut out, 0); // CRC, sizes: in the data descriptor
        u32le(&mut out, 0);
        u32le(&mut out, 0);
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        let entry = Entry {
            name: name.to_string(),
            dos_time: dos,
            offset: self.offset,
            crc: crc32fast::Hasher::new(),
            size: 0,
        };
        self.offset += out.len() as u64;
        (entry, out)
    }

    /// Ends an entry whose bytes were all written: returns its data descriptor.
    pub fn data_descriptor(&mut self, entry: Entry) -> Vec<u8> {
        let crc = entry.crc.finalize();
        let mut out = Vec::with_capacity(24);
        u32le(&mut out, DATA_DESCRIPTOR);
        u32le(&mut out, crc);
        // Readers take 8-byte sizes here exactly when the central directory entry has a
        // ZIP64 size field, which it has when the size does not fit 32 bits.
        if entry.size >= U32_MAX {
            u64le(&mut out, entry.size);
            u64le(&mut out, entry.size);
        } else {
            u32le(&mut out, entry.size as u32);
            u32le(&mut out, entry.size as u32);
        }
        self.offset += entry.size + out.len() as u64;
        self.entries.push(Written {
            name: entry.name,
            dos_time: entry.dos_time,
            crc,
            size: entry.size,
            offset: entry.offset,
        });
        out
    }

    /// The central directory and end records; the archive is complete after them.
    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::new();
        let cd_start = self.offset;
        for e in &self.entries {
            let big_size = e.size >= U32_MAX;
            let big_offset = e.offset >= U32_MAX;
            let mut extra = Vec::new();
            if big_size || big_offset {
                let mut fields = Vec::new();
                if big_size {
                    u64le(&mut fields, e.size);
                    u64le(&mut fields, e.size);
                }
                if big_offset {
                    u64le(&mut fields, e.offset);
                }
                u16le(&mut extra, 0x0001);
                u16le(&mut extra, fields.len() as u16);
                extra.extend_from_slice(&fields);
            }
            u32le(&mut out, CENTRAL_HEADER);
            u16le(&mut out, (3 << 8) | 45); // made by: Unix, spec 4.5
            u16le(&mut out, 45);
            u16le(&mut out, FLAGS);
            u16le(&mut out, 0);
            u16le(&mut out, e.dos_time.0);
            u16le(&mut out, e.dos_time.1);
            u32le(&mut out, e.crc);
            let size32 = if big_size { u32::MAX } else { e.size as u32 };
            u32le(&mut out, size32);
            u32le(&mut out, size32);
            u16le(&mut out, e.name.len() as u16);
            u16le(&mut out, extra.len() as u16);
            u16le(&mut out, 0); // comment
            u16le(&mut out, 0); // disk
            u16le(&mut out, 0); // internal attributes
            u32le(&mut out, 0o100644 << 16); // a regular file, rw-r--r--
            u32le(
                &mut out,
                if big_offset {
                    u32::MAX
                } else {
                    e.offset as u32
                },
            );
            out.extend_from_slice(e.name.as_bytes());
            out.extend_from_slice(&extra);
        }
        let cd_size = out.len() as u64;
        let count = self.entries.len() as u64;
        if count >= 0xFFFF || cd_start >= U32_MAX || cd_size >= U32_MAX {
            let zip64_eocd = cd_start + cd_size;
            u32le(&mut out, ZIP64_EOCD);
            u64le(&mut out, 44); // size of the rest of this record
            u16le(&mut out, (3 << 8) | 45);
            u16le(&mut out, 45);
            u32le(&mut out, 0);
            u32le(&mut out, 0);
            u64le(&mut out, count);
            u64le(&mut out, count);
            u64le(&mut out, cd_size);
            u64le(&mut out, cd_start);
            u32le(&mut out, ZIP64_LOCATOR);
            u32le(&mut out, 0);
            u64le(&mut out, zip64_eocd);
            u32le(&mut out, 1);
        }
        u32le(&mut out, EOCD);
        u16le(&mut out, 0);
        u16le(&mut out, 0);
        let count16 = count.min(0xFFFF) as u16;
        u16le(&mut out, count16);
        u16le(&mut out, count16);
        u32le(&mut out, cd_size.min(U32_MAX) as u32);
        u32le(&mut out, cd_start.min(U32_MAX) as u32);
        u16le(&mut out, 0);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes an archive of `files` into memory.
    fn archive(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut z = ZipWriter::default();
        let mut out = Vec::new();
        let t = DateTime::parse_from_rfc3339("2026-11-26T09:30:42Z")
            .unwrap()
            .with_timezone(&Utc);
        for (name, bytes) in files {
            let (mut e, h) = z.local_header(name, t);
            out.extend(h);
            e.update(bytes);
            out.extend_from_slice(bytes);
            out.extend(z.data_descriptor(e));
        }
        out.extend(z.finish());
        out
    }

    #[test]
    fn python_reads_what_we_write() {
        let files = vec![
            ("media/a.jpg", vec![7u8; 100_000]),
            ("manifests/अ.json", b"{\"x\": 1}".to_vec()),
            ("empty", Vec::new()),
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.zip");
        std::fs::write(&path, archive(&files)).unwrap();
        // An independent reader: CPython's zipfile checks every CRC and size.
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import sys, zipfile, hashlib\n\
                 z = zipfile.ZipFile(sys.argv[1])\n\
                 assert z.testzip() is None\n\
                 for i in z.infolist(): print(i.filename, i.file_size, i.date_time, \
                 hashlib.sha256(z.read(i)).hexdigest()[:8])",
                path.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("media/a.jpg 100000 (2026, 11, 26, 9, 30, 42)"));
        assert!(lines[1].starts_with("manifests/अ.json 8 "));
        assert!(lines[2].starts_with("empty 0 "));
    }

    #[test]
    fn offsets_past_four_gib_get_zip64_records() {
        // Pretend 5 GiB were written before: the records must switch to ZIP64.
        let mut z = ZipWriter {
            offset: 5 << 30,
            entries: Vec::new(),
        };
        let (mut e, _) = z.local_header("late", Utc::now());
        e.update(b"abc");
        z.data_descriptor(e);
        let tail = z.finish();
        let has = |sig: u32| tail.windows(4).any(|w| w == sig.to_le_bytes());
        assert!(has(ZIP64_EOCD) && has(ZIP64_LOCATOR));
        // The central entry carries the 64-bit offset in its ZIP64 extra field, which
        // follows the name.
        let extra_at = tail.windows(4).position(|w| w == b"late").unwrap() + 4;
        assert_eq!(&tail[extra_at..extra_at + 2], &1u16.to_le_bytes());
        assert_eq!(&tail[extra_at + 2..extra_at + 4], &8u16.to_le_bytes());
        assert_eq!(
            &tail[extra_at + 4..extra_at + 12],
            &(5u64 << 30).to_le_bytes()
        );
    }
}
