//! Checks exported evidence offline (`saakshi verify PATH`): for every manifest in a
//! device export folder (`saakshi export`), a server export ZIP, or that ZIP unpacked,
//! whether the capture's signature holds under the device key the manifest names, and
//! whether its media file is there and hashes to the signed SHA-256.
//!
//! Nothing here trusts the export: a manifest is only as good as its signature, and a
//! media file only as good as its hash.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use saakshi_domain::manifest::{self, Verdict};
use saakshi_domain::{CaptureRecord, Sha256};
use serde::Serialize;
use serde_json::Value;
use sha2::Digest;

use crate::error::{CoreError, InputProblem, Result};

/// What the signature check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureCheck {
    /// Signed by the named device key; the signed fields are unchanged.
    Verified,
    /// The capture carries no signature.
    Unsigned,
    /// The signature does not hold: altered, or made by another key.
    Invalid,
    /// Signed, but the manifest names no device key to check it with.
    NoKey,
}

/// What the media check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaCheck {
    /// Present, and its SHA-256 and size are the signed ones.
    Intact,
    /// Present, but its bytes are not the ones the record names.
    Damaged,
    /// Named by the manifest but not in the export.
    Missing,
    /// The export says it holds no media for this capture (it never reached the server).
    NotExported,
}

/// One capture's verdicts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceCheck {
    /// The manifest's name in the export.
    pub manifest: String,
    /// The capture id, as the manifest gives it.
    pub capture_id: String,
    /// The signature.
    pub signature: SignatureCheck,
    /// The media file.
    pub media: MediaCheck,
}

impl EvidenceCheck {
    /// Whether this capture is proven: signed, unchanged, and its media whole.
    pub fn proven(&self) -> bool {
        self.signature == SignatureCheck::Verified && self.media == MediaCheck::Intact
    }
}

/// Where an export's files are read from.
enum Source {
    Dir(PathBuf),
    Zip(zip::ZipArchive<File>),
}

fn bad(path: &Path, what: impl Into<String>) -> CoreError {
    CoreError::Input {
        path: path.to_path_buf(),
        problem: InputProblem::NotEvidence(what.into()),
    }
}

impl Source {
    fn open(path: &Path) -> Result<Self> {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => CoreError::input(path, InputProblem::Missing),
            _ => CoreError::io(format!("reading {}", path.display()), path, e),
        })?;
        if meta.is_dir() {
            return Ok(Self::Dir(path.to_path_buf()));
        }
        let f = File::open(path)
            .map_err(|e| CoreError::io(format!("reading {}", path.display()), path, e))?;
        zip::ZipArchive::new(f)
            .map(Self::Zip)
            .map_err(|e| bad(path, format!("neither a folder nor a ZIP archive ({e})")))
    }

    /// Names of the manifests: `*.json` at the top (device exports) or in
    /// `manifests/` (server exports).
    fn manifests(&mut self) -> io::Result<Vec<String>> {
        let is_manifest = |n: &str| {
            n.ends_with(".json")
                && (!n.contains('/')
                    || n.strip_prefix("manifests/")
                        .is_some_and(|r| !r.contains('/')))
        };
        let mut names: Vec<String> = match self {
            Self::Dir(root) => {
                let mut out = Vec::new();
                for sub in ["", "manifests"] {
                    let Ok(entries) = std::fs::read_dir(root.join(sub)) else {
                        continue;
                    };
                    for e in entries {
                        let name = e?.file_name().to_string_lossy().into_owned();
                        let name = if sub.is_empty() {
                            name
                        } else {
                            format!("{sub}/{name}")
                        };
                        if is_manifest(&name) && !name.starts_with('.') {
                            out.push(name);
                        }
                    }
                }
                out
            }
            Self::Zip(z) => z
                .file_names()
                .filter(|n| is_manifest(n))
                .map(str::to_string)
                .collect(),
        };
        names.sort();
        Ok(names)
    }

    /// Reads `name` (a path inside the export, never outside it) with `f`.
    fn read<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut dyn Read) -> io::Result<T>,
    ) -> io::Result<Option<T>> {
        if name.split('/').any(|part| part == ".." || part.is_empty()) || name.starts_with('/') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{name:?} points outside the export"),
            ));
        }
        match self {
            Self::Dir(root) => match File::open(root.join(name)) {
                Ok(mut file) => f(&mut file).map(Some),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            Self::Zip(z) => match z.by_name(name) {
                Ok(mut entry) => f(&mut entry).map(Some),
                Err(zip::result::ZipError::FileNotFound) => Ok(None),
                Err(e) => Err(io::Error::other(e)),
            },
        }
    }
}

/// The capture record inside a manifest, in either export format.
fn record_of(manifest: &Value) -> Option<CaptureRecord> {
    let obj = manifest.get("capture").unwrap_or(manifest).as_object()?;
    const FIELDS: [&str; 14] = [
        "id",
        "revision",
        "kind",
        "sha256",
        "size",
        "mime",
        "original_name",
        "captured_at",
        "location",
        "caption",
        "tags",
        "event",
        "area_code",
        "signature",
    ];
    let only: serde_json::Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    serde_json::from_value(Value::Object(only)).ok()
}

/// The device key a manifest names: `device_public_key` (device exports) or
/// `provenance.device_public_key` (server exports).
fn key_of(manifest: &Value) -> Option<Vec<u8>> {
    let b64 = manifest
        .get("device_public_key")
        .or_else(|| manifest.get("provenance")?.get("device_public_key"))?
        .as_str()?;
    STANDARD.decode(b64).ok()
}

fn hash(r: &mut dyn Read) -> io::Result<(Sha256, u64)> {
    let mut h = sha2::Sha256::new();
    let n = io::copy(r, &mut h)?;
    Ok((Sha256(h.finalize().into()), n))
}

/// Checks every manifest of the export at `path`; `progress(done, total)` after each.
pub fn check_export(
    path: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<EvidenceCheck>> {
    let mut src = Source::open(path)?;
    let io_err = |e: io::Error| CoreError::io(format!("reading {}", path.display()), path, e);
    let names = src.manifests().map_err(io_err)?;
    if names.is_empty() {
        return Err(bad(path, "holds no capture manifests"));
    }
    let mut out = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let text = src
            .read(name, |r| {
                let mut s = String::new();
                r.read_to_string(&mut s).map(|_| s)
            })
            .map_err(io_err)?
            .unwrap_or_default();
        let manifest: Value = serde_json::from_str(&text)
            .map_err(|e| bad(path, format!("{name} is not JSON: {e}")))?;
        let record = record_of(&manifest)
            .ok_or_else(|| bad(path, format!("{name} holds no capture record")))?;
        let signature = match (&record.signature, key_of(&manifest)) {
            (None, _) => SignatureCheck::Unsigned,
            (Some(_), None) => SignatureCheck::NoKey,
            (Some(_), Some(key)) => match manifest::verify(&key, &record) {
                Verdict::Verified => SignatureCheck::Verified,
                Verdict::Unsigned => SignatureCheck::Unsigned,
                Verdict::Invalid => SignatureCheck::Invalid,
            },
        };
        let media = match manifest.get("media_file").and_then(Value::as_str) {
            None => MediaCheck::NotExported,
            Some(file) => match src.read(file, hash) {
                Ok(Some((sha, size))) if sha == record.sha256 && size == record.size => {
                    MediaCheck::Intact
                }
                Ok(Some(_)) => MediaCheck::Damaged,
                Ok(None) => MediaCheck::Missing,
                Err(e) if e.kind() == io::ErrorKind::InvalidData => MediaCheck::Missing,
                Err(e) => return Err(io_err(e)),
            },
        };
        out.push(EvidenceCheck {
            manifest: name.clone(),
            capture_id: record.id.to_string(),
            signature,
            media,
        });
        progress(i + 1, names.len());
    }
    Ok(out)
}
