//! Export: every capture's media and one JSON manifest beside it, for handing evidence
//! over on a USB stick when there is no server.
//!
//! `DIR/<capture-id>.<ext>` holds the media, `DIR/<capture-id>.json` the manifest. Each
//! file is written to a temporary name and renamed, and the media is re-hashed while it is
//! copied, so an export never silently carries damaged bytes.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use base64::Engine;

use saakshi_domain::Sha256;
use serde::Serialize;
use sha2::Digest;

use crate::error::{CoreError, Result};
use crate::home::Home;
use crate::import::extension_for;
use crate::store::{CaptureFilter, LocalCapture};

/// Format name written into every manifest.
pub const MANIFEST_FORMAT: &str = "saakshi.capture.v1";

/// The JSON written beside each exported media file.
#[derive(Debug, Serialize)]
pub struct ExportManifest<'a> {
    /// Always [`MANIFEST_FORMAT`].
    pub format: &'static str,
    /// The media file's name in the export folder.
    pub media_file: String,
    /// The capture as the device holds it.
    pub capture: &'a LocalCapture,
    /// This device's Ed25519 public key (base64), to check `capture.signature` offline
    /// (`saakshi verify`).
    pub device_public_key: String,
}

/// What an export wrote.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ExportReport {
    /// The folder.
    pub dir: PathBuf,
    /// Captures exported.
    pub captures: usize,
    /// Media bytes copied.
    pub bytes: u64,
}

impl Home {
    /// Exports the captures matching `filter` into `dir` (created if missing).
    /// `progress(done_bytes, total_bytes)` is called as media is copied.
    pub fn export(
        &self,
        dir: &Path,
        filter: &CaptureFilter,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<ExportReport> {
        let captures = self.captures(filter)?;
        let device_public_key = base64::engine::general_purpose::STANDARD
            .encode(crate::keys::signing_key(self)?.verifying_key().to_bytes());
        fs::create_dir_all(dir)
            .map_err(|e| CoreError::io(format!("creating {}", dir.display()), dir, e))?;
        let total: u64 = captures.iter().map(|c| c.record.size).sum();
        let mut report = ExportReport {
            dir: dir.to_path_buf(),
            ..Default::default()
        };
        for c in &captures {
            let rec = &c.record;
            let media_file = format!("{}.{}", rec.id, extension_for(&rec.mime));
            let base = report.bytes;
            let src = self.blobs().open_blob(&rec.sha256)?;
            write_atomically(dir, &media_file, |out| {
                copy_verified(src, out, &rec.sha256, &mut |n| progress(base + n, total))
            })?;
            let manifest = ExportManifest {
                format: MANIFEST_FORMAT,
                media_file,
                capture: c,
                device_public_key: device_public_key.clone(),
            };
            write_atomically(dir, &format!("{}.json", rec.id), |out| {
                serde_json::to_writer_pretty(&mut *out, &manifest).map_err(io::Error::other)?;
                out.write_all(b"\n")
            })?;
            report.captures += 1;
            report.bytes += rec.size;
        }
        Ok(report)
    }
}

/// Copies `src` to `out`, failing if the bytes do not hash to `expected`.
fn copy_verified(
    mut src: File,
    out: &mut File,
    expected: &Sha256,
    progress: &mut dyn FnMut(u64),
) -> io::Result<()> {
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut done = 0u64;
    loop {
        let n = src.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
        done += n as u64;
        progress(done);
    }
    if Sha256(hasher.finalize().into()) != *expected {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("media {expected} is damaged on this device"),
        ));
    }
    Ok(())
}

fn write_atomically(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<()> {
    let dest = dir.join(name);
    let tmp = dir.join(format!(".{name}.part"));
    let result = File::create(&tmp)
        .and_then(|mut f| {
            write(&mut f)?;
            f.sync_all()
        })
        .and_then(|()| fs::rename(&tmp, &dest));
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        if e.kind() == io::ErrorKind::InvalidData {
            CoreError::Corrupt(e.to_string())
        } else {
            CoreError::io(format!("writing {}", dest.display()), dir, e)
        }
    })
}
