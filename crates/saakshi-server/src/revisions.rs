//! The rule of capture revisions: what the server does with a pushed record, given what
//! it already holds. A pure function, so every store applies the same rule inside its
//! own transaction instead of keeping a copy of it.
//!
//! A device owns its captures; it may send the same revision again (a retry after a cut:
//! accepted, nothing changes), a newer one (the caption, tags or location changed: it
//! replaces the held one), but never a different copy of a held revision or an older one
//! (a conflict, answered with the revision held), and never new media for a capture.

use saakshi_domain::{CaptureRecord, DeviceId, ErrorCode, MediaKind};

/// What the store holds of the pushed capture id.
#[derive(Clone, Debug)]
pub struct HeldRecord<'a> {
    /// The device that pushed it first.
    pub owner: &'a str,
    /// Its revision.
    pub revision: u32,
    /// The record as stored (canonical JSON).
    pub record: &'a str,
}

/// Media this device holds for the record's hash: its size and the kind sniffed from
/// its bytes (none for media stored before kinds were sniffed).
#[derive(Clone, Copy, Debug)]
pub struct HeldMedia {
    /// Bytes.
    pub size: u64,
    /// Photo, video, audio.
    pub kind: Option<MediaKind>,
}

/// What to do with a pushed record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Judgement {
    /// New: store it.
    Insert,
    /// A newer revision of a held capture: replace the record.
    Update,
    /// The held revision, sent again identically: nothing to write.
    Same,
    /// A different copy of the held revision, or an older one: the held revision wins.
    Conflict {
        /// The revision held.
        revision: u32,
    },
    /// Refused.
    Reject {
        /// Why, for the device.
        code: ErrorCode,
        /// In words.
        message: String,
    },
}

fn reject(code: ErrorCode, message: impl Into<String>) -> Judgement {
    Judgement::Reject {
        code,
        message: message.into(),
    }
}

/// Judges `rec` (serialised as `json`), pushed by `device`. `media` is what this device
/// holds of the record's hash; only such media is compared, since a refusal about anyone
/// else's bytes would tell that they exist. Fails only on a held record it cannot read.
pub fn judge(
    device: &DeviceId,
    rec: &CaptureRecord,
    json: &str,
    held: Option<HeldRecord<'_>>,
    media: Option<HeldMedia>,
) -> Result<Judgement, serde_json::Error> {
    if let Some(m) = media {
        if m.size != rec.size {
            return Ok(reject(
                ErrorCode::InvalidInput,
                format!(
                    "this device sent these bytes with {} bytes, not {}",
                    m.size, rec.size
                ),
            ));
        }
        if let Some(kind) = m.kind
            && kind != rec.kind
        {
            return Ok(reject(
                ErrorCode::InvalidInput,
                format!(
                    "this record says {}, but its media is {}",
                    rec.kind.as_str(),
                    kind.as_str()
                ),
            ));
        }
    }
    let Some(held) = held else {
        return Ok(Judgement::Insert);
    };
    if held.owner != device.to_string() {
        return Ok(reject(
            ErrorCode::Forbidden,
            "this capture id belongs to another device",
        ));
    }
    if held.revision == rec.revision {
        return Ok(if held.record == json {
            Judgement::Same
        } else {
            Judgement::Conflict {
                revision: held.revision,
            }
        });
    }
    if held.revision > rec.revision {
        return Ok(Judgement::Conflict {
            revision: held.revision,
        });
    }
    let old: CaptureRecord = serde_json::from_str(held.record)?;
    if old.sha256 != rec.sha256 || old.kind != rec.kind {
        return Ok(reject(
            ErrorCode::InvalidInput,
            "a new revision cannot change the media of a capture",
        ));
    }
    Ok(Judgement::Update)
}
