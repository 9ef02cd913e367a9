//! Capture import: any photo, video or audio file becomes a durable capture.
//!
//! Order matters (DESIGN.md "Device: states of a capture"): the bytes are hashed while
//! they are written to a temporary file, fsynced, renamed to their content address, the
//! directory fsynced, and only then does one SQLite transaction insert the record. A crash
//! at any point leaves no record, or a complete one; leftovers are swept at the next open.

pub mod exif;
pub mod location_check;
mod preview;
pub mod thumbnail;

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use chrono::{DateTime, FixedOffset, Local, TimeZone};
use saakshi_domain::media_type::{self, HEADER_LEN};
use saakshi_domain::validate::{self, MAX_CAPTION_CHARS, MAX_EVENT_CHARS};
use saakshi_domain::{CaptureId, CaptureRecord, DeviceTime, Location, MediaKind, ValidationError};

use crate::error::{CoreError, InputProblem, Result};
use crate::home::Home;
use crate::media::{FaultPoint, StoredBlob, fault};
use crate::store::{LocalCapture, Store};

pub use preview::MAX_GIVEN_PREVIEW_BYTES;
pub use saakshi_domain::media_type::extension_for;

/// What the person adds to the media.
#[derive(Clone, Debug, Default)]
pub struct ImportRequest {
    /// Where it was taken; `None` lets a photo's own EXIF GPS speak.
    pub location: Option<Location>,
    /// Free text.
    pub caption: String,
    /// Labels.
    pub tags: Vec<String>,
    /// Event name.
    pub event: Option<String>,
    /// Store the bytes again as a new capture even if they were captured before.
    pub allow_duplicate: bool,
}

impl ImportRequest {
    /// Checks what the person typed, before any byte is written.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(l) = &self.location {
            l.validate()?;
        }
        validate::text("caption", &self.caption, MAX_CAPTION_CHARS)?;
        validate::tags(&self.tags)?;
        if let Some(ev) = &self.event {
            if ev.trim().is_empty() {
                return Err(ValidationError::new("event", "the event name is empty"));
            }
            validate::text("event", ev, MAX_EVENT_CHARS)?;
        }
        Ok(())
    }
}

/// What an import did.
#[derive(Clone, Debug)]
pub enum ImportOutcome {
    /// A new capture was stored.
    Stored(LocalCapture),
    /// These bytes were captured before; nothing new was made.
    AlreadyCaptured(LocalCapture),
}

impl ImportOutcome {
    /// The capture, new or existing.
    pub fn capture(&self) -> &LocalCapture {
        match self {
            Self::Stored(c) | Self::AlreadyCaptured(c) => c,
        }
    }
}

/// A file that passed the checks an import makes before writing anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedFile {
    /// Size in bytes.
    pub size: u64,
    /// MIME type sniffed from the content.
    pub mime: String,
    /// Photo, video or audio.
    pub kind: MediaKind,
}

/// Checks that `path` is a non-empty, readable photo, video or audio file. Writes nothing.
pub fn check_file(path: &Path) -> Result<CheckedFile> {
    let (_, checked) = open_checked(path)?;
    Ok(checked)
}

fn open_checked(path: &Path) -> Result<(File, CheckedFile)> {
    let bad = |p| CoreError::input(path, p);
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => bad(InputProblem::Missing),
        _ => bad(InputProblem::Unreadable(e)),
    })?;
    if meta.is_dir() {
        return Err(bad(InputProblem::Directory));
    }
    if !meta.is_file() {
        return Err(bad(InputProblem::NotAFile));
    }
    if meta.len() == 0 {
        return Err(bad(InputProblem::Empty));
    }
    let mut file = File::open(path).map_err(|e| bad(InputProblem::Unreadable(e)))?;
    let mut header = Vec::with_capacity(HEADER_LEN);
    (&mut file)
        .take(HEADER_LEN as u64)
        .read_to_end(&mut header)
        .map_err(|e| bad(InputProblem::Unreadable(e)))?;
    // The same sniff the server applies to every upload (saakshi_domain::media_type).
    let sniffed = media_type::sniff(&header).map_err(|what| bad(InputProblem::NotMedia(what.0)))?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| bad(InputProblem::Unreadable(e)))?;
    Ok((
        file,
        CheckedFile {
            size: meta.len(),
            mime: sniffed.mime,
            kind: sniffed.kind,
        },
    ))
}

/// A file name as it may be stored: no control characters, at most 255 characters.
fn clean_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy();
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .take(validate::MAX_FILE_NAME_CHARS)
        .collect();
    (!cleaned.is_empty()).then_some(cleaned)
}

fn now_local() -> DateTime<FixedOffset> {
    Local::now().fixed_offset()
}

impl Home {
    /// Imports one media file as a new capture. `progress` receives bytes stored so far.
    pub fn import_file(
        &self,
        path: &Path,
        req: &ImportRequest,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportOutcome> {
        req.validate()?;
        let (file, checked) = open_checked(path)?;
        let original_name = clean_name(path);
        self.import_checked(file, checked, original_name, req, progress)
    }

    fn import_checked(
        &self,
        file: File,
        checked: CheckedFile,
        original_name: Option<String>,
        req: &ImportRequest,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportOutcome> {
        let now = now_local();
        let _guard = self.write_guard()?;
        let temp = self.blobs().write_temp(file, progress)?;
        if !req.allow_duplicate
            && let Some(existing) = self.db(|s| s.capture_with_sha256(&temp.sha256()))?
        {
            return Ok(ImportOutcome::AlreadyCaptured(self.capture(&existing)?));
        }
        let stored = self.blobs().commit(temp)?;

        let photo = (checked.kind == MediaKind::Photo)
            .then(|| self.blobs().open_blob(&stored.sha256))
            .transpose()?
            .map(|f| exif::read(&mut BufReader::new(f)));
        let captured_at = photo
            .as_ref()
            .and_then(|m| exif_time(m, now))
            .unwrap_or_else(|| DeviceTime::from_local(now));
        let location = req
            .location
            .clone()
            .or_else(|| photo.as_ref().and_then(|m| m.location.clone()));

        let mut record = CaptureRecord {
            id: CaptureId::new(),
            revision: 1,
            kind: checked.kind,
            sha256: stored.sha256,
            size: stored.size,
            mime: checked.mime.clone(),
            original_name,
            captured_at,
            location,
            caption: req.caption.clone(),
            tags: req.tags.clone(),
            event: req.event.clone(),
            area_code: self.db(|s| s.setting("area_code"))?,
            signature: None,
        };
        // Signed now, at capture, with this device's key (made on first use).
        let key = crate::keys::signing_key(self)?;
        record.signature = Some(saakshi_domain::manifest::sign(&key, &record));
        if let Err(e) = record
            .validate()
            .map_err(CoreError::from)
            .and_then(|()| self.insert_record(&record, &stored, now.timestamp_millis()))
        {
            self.forget_blob(&stored);
            return Err(e);
        }
        drop(_guard);

        if let Some(meta) = &photo {
            // Best effort: a photo whose pixels cannot be decoded is still evidence.
            let _ = self.make_thumbnail(&stored, &checked.mime, meta.orientation);
        }
        Ok(ImportOutcome::Stored(self.capture(&record.id)?))
    }

    fn insert_record(&self, record: &CaptureRecord, blob: &StoredBlob, now_ms: i64) -> Result<()> {
        self.db(|s| {
            s.transaction(|tx| {
                Store::insert_blob(tx, &blob.sha256, blob.size, now_ms)?;
                Store::insert_capture(tx, record, now_ms)?;
                fault(FaultPoint::Insert)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
            })
        })
    }

    /// After a failed insert: remove the blob we just placed, unless a record (from a
    /// concurrent import of the same bytes) now needs it.
    fn forget_blob(&self, blob: &StoredBlob) {
        if !blob.newly_stored {
            return;
        }
        let referenced = self
            .db(|s| s.blob_set())
            .map(|set| set.contains(&blob.sha256))
            .unwrap_or(true);
        if !referenced {
            let _ = self.blobs().remove(&blob.sha256);
        }
    }

    fn make_thumbnail(&self, blob: &StoredBlob, mime: &str, orientation: u32) -> Result<()> {
        if self.thumbnail(&blob.sha256)?.is_some() {
            return Ok(());
        }
        let f = self.blobs().open_blob(&blob.sha256)?;
        let thumb = thumbnail::make(f, mime, orientation).map_err(|e| CoreError::Io {
            context: "making a thumbnail".into(),
            source: std::io::Error::other(e),
        })?;
        self.db(|s| s.put_thumbnail(&blob.sha256, &thumb))
    }
}

/// The photo's own DateTimeOriginal, in its own offset if it recorded one, else in the
/// device's current offset.
fn exif_time(meta: &exif::PhotoMeta, now: DateTime<FixedOffset>) -> Option<DeviceTime> {
    let local = meta.taken_local?;
    let offset = meta.taken_offset.unwrap_or(*now.offset());
    offset
        .from_local_datetime(&local)
        .single()
        .map(DeviceTime::from_local)
}

#[cfg(test)]
mod tests;
