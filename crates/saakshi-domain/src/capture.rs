//! The capture record: everything known about one photo, video, audio clip or note.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use crate::hash::Sha256;
use crate::id::CaptureId;
use crate::location::Location;
use crate::media_type;
use crate::validate::{self, ValidationError};

/// What sort of media a capture holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// A still image.
    Photo,
    /// A video clip.
    Video,
    /// An audio clip.
    Audio,
    /// A written note (text typed in the app).
    Note,
}

impl MediaKind {
    /// Stable lowercase name (database, wire, CLI).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Photo => "photo",
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Note => "note",
        }
    }

    /// Inverse of [`MediaKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "photo" => Self::Photo,
            "video" => Self::Video,
            "audio" => Self::Audio,
            "note" => Self::Note,
            _ => return None,
        })
    }

    /// The kind a MIME type belongs to, if it is on the allowlist of media Saakshi keeps
    /// ([`crate::media_type`]).
    pub fn from_mime(mime: &str) -> Option<Self> {
        media_type::kind_of(mime)
    }

    /// Upload order: small things first, so that a short window of signal carries the most
    /// captures (photos, then notes and audio, then videos).
    pub fn upload_rank(self) -> u8 {
        match self {
            Self::Photo => 0,
            Self::Note => 1,
            Self::Audio => 2,
            Self::Video => 3,
        }
    }
}

/// The device's wall clock at capture, with the UTC offset it was set to. The instant is
/// kept in UTC; the offset lets a reader show the local time the volunteer saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceTime {
    /// The instant, as the device's clock had it.
    pub utc: DateTime<Utc>,
    /// The device's offset from UTC at that instant, in minutes (India: 330).
    #[cfg_attr(feature = "openapi", schema(minimum = -720, maximum = 840))]
    pub offset_minutes: i16,
}

impl DeviceTime {
    /// Builds one from a local time with its offset.
    pub fn from_local(t: DateTime<FixedOffset>) -> Self {
        let secs = t.offset().local_minus_utc();
        Self {
            utc: t.with_timezone(&Utc),
            offset_minutes: (secs / 60) as i16,
        }
    }

    /// The local time the volunteer saw, or UTC if the offset is out of range.
    pub fn local(&self) -> DateTime<FixedOffset> {
        let off = FixedOffset::east_opt(i32::from(self.offset_minutes) * 60)
            .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
        self.utc.with_timezone(&off)
    }

    fn validate(&self) -> Result<(), ValidationError> {
        // Real offsets run from UTC-12:00 to UTC+14:00.
        if !(-720..=840).contains(&self.offset_minutes) {
            return Err(ValidationError::new(
                "offset_minutes",
                format!(
                    "UTC offset {} minutes is not a real time zone",
                    self.offset_minutes
                ),
            ));
        }
        Ok(())
    }
}

/// One capture as device and server both know it.
///
/// `id` is made on the device and never changes; an edit (caption, tags) makes a new
/// `revision` of the same id, never a new record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaptureRecord {
    /// Identity, made on the device (UUIDv7).
    pub id: CaptureId,
    /// Starts at 1; every edit adds one.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub revision: u32,
    /// Photo, video, audio or note.
    pub kind: MediaKind,
    /// Content address of the media bytes.
    pub sha256: Sha256,
    /// Size of the media in bytes.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub size: u64,
    /// MIME type sniffed from the content, not the file name.
    pub mime: String,
    /// The file name the media had when it was imported, if any. (This and the other
    /// options are always written, as null when absent: required in the schema.)
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub original_name: Option<String>,
    /// When it was taken, by the device's clock.
    pub captured_at: DeviceTime,
    /// Where it was taken; `None` when there was no fix.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub location: Option<Location>,
    /// Free text from the volunteer.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub caption: String,
    /// Short labels (`rally`, `booth-104`, …).
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub tags: Vec<String>,
    /// The event it belongs to, if the volunteer named one.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub event: Option<String>,
    /// The area the device was enrolled in when the capture was made.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub area_code: Option<String>,
    /// The device's Ed25519 signature (base64) over the record's manifest
    /// ([`crate::manifest`]), made at capture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

impl CaptureRecord {
    /// Checks every rule a record must meet on device and server alike.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.revision == 0 {
            return Err(ValidationError::new("revision", "revisions start at 1"));
        }
        if self.size == 0 {
            return Err(ValidationError::new("size", "the media is empty"));
        }
        let mime_ok = self.mime.len() <= 100
            && self.mime.split_once('/').is_some_and(|(a, b)| {
                !a.is_empty() && !b.is_empty() && self.mime.bytes().all(|c| c.is_ascii_graphic())
            });
        if !mime_ok {
            return Err(ValidationError::new(
                "mime",
                format!("{:?} is not a MIME type", self.mime),
            ));
        }
        // The declared type must be one a browser can only ever show, never run, and it
        // must fit the kind: a "photo" of type text/html or image/svg+xml is refused.
        if !media_type::allowed(self.kind).contains(&media_type::essence(&self.mime).as_str()) {
            return Err(ValidationError::new(
                "mime",
                format!(
                    "{:?} is not a {} type Saakshi keeps (allowed: {})",
                    self.mime,
                    self.kind.as_str(),
                    media_type::allowed(self.kind).join(", ")
                ),
            ));
        }
        if let Some(name) = &self.original_name {
            validate::text("original_name", name, validate::MAX_FILE_NAME_CHARS)?;
        }
        self.captured_at.validate()?;
        if let Some(loc) = &self.location {
            loc.validate()?;
        }
        validate::text("caption", &self.caption, validate::MAX_CAPTION_CHARS)?;
        validate::tags(&self.tags)?;
        if let Some(ev) = &self.event {
            if ev.trim().is_empty() {
                return Err(ValidationError::new("event", "the event name is empty"));
            }
            validate::text("event", ev, validate::MAX_EVENT_CHARS)?;
        }
        if let Some(code) = &self.area_code {
            validate::area_code(code)?;
        }
        if self.signature.as_ref().is_some_and(|s| s.len() != 88) {
            return Err(ValidationError::new(
                "signature",
                "a signature is 64 bytes in base64 (88 characters)",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::location::LocationSource;

    pub(crate) fn sample() -> CaptureRecord {
        CaptureRecord {
            id: CaptureId::new(),
            revision: 1,
            kind: MediaKind::Photo,
            sha256: Sha256([7; 32]),
            size: 1234,
            mime: "image/jpeg".into(),
            original_name: Some("IMG_0001.jpg".into()),
            captured_at: DeviceTime {
                utc: Utc::now(),
                offset_minutes: 330,
            },
            location: Some(Location {
                lat: 26.8467,
                lon: 80.9462,
                accuracy_m: Some(8.0),
                altitude_m: Some(123.0),
                source: LocationSource::Gps,
                fix_time: None,
            }),
            caption: "सभा में भीड़".into(),
            tags: vec!["rally".into()],
            event: Some("Lucknow rally".into()),
            area_code: Some("B-104".into()),
            signature: None,
        }
    }

    #[test]
    fn sample_is_valid_and_round_trips() {
        let r = sample();
        r.validate().unwrap();
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<CaptureRecord>(&json).unwrap(), r);
    }

    #[test]
    fn unknown_fields_are_refused_on_the_wire() {
        let mut v = serde_json::to_value(sample()).unwrap();
        v["surprise"] = serde_json::json!(1);
        assert!(serde_json::from_value::<CaptureRecord>(v).is_err());
    }

    #[test]
    fn each_broken_rule_names_its_field() {
        type Breaker = Box<dyn Fn(&mut CaptureRecord)>;
        let cases: Vec<(&str, Breaker)> = vec![
            ("revision", Box::new(|r| r.revision = 0)),
            ("size", Box::new(|r| r.size = 0)),
            ("mime", Box::new(|r| r.mime = "jpeg".into())),
            ("mime", Box::new(|r| r.mime = "text/html".into())),
            ("mime", Box::new(|r| r.mime = "image/svg+xml".into())),
            ("mime", Box::new(|r| r.mime = "video/mp4".into())),
            ("mime", Box::new(|r| r.kind = MediaKind::Audio)),
            ("mime", Box::new(|r| r.kind = MediaKind::Note)),
            (
                "offset_minutes",
                Box::new(|r| r.captured_at.offset_minutes = 900),
            ),
            ("lat", Box::new(|r| r.location.as_mut().unwrap().lat = 91.0)),
            ("caption", Box::new(|r| r.caption = "x".repeat(100_000))),
            ("tags", Box::new(|r| r.tags = vec![String::new()])),
            ("event", Box::new(|r| r.event = Some("  ".into()))),
            ("area_code", Box::new(|r| r.area_code = Some("../x".into()))),
        ];
        for (field, break_it) in cases {
            let mut r = sample();
            break_it(&mut r);
            assert_eq!(r.validate().unwrap_err().field, field);
        }
    }

    #[test]
    fn local_time_keeps_the_offset() {
        let t = DateTime::parse_from_rfc3339("2026-11-26T10:30:00+05:30").unwrap();
        let d = DeviceTime::from_local(t);
        assert_eq!(d.offset_minutes, 330);
        assert_eq!(d.utc.to_rfc3339(), "2026-11-26T05:00:00+00:00");
        assert_eq!(d.local(), t);
    }

    #[test]
    fn kinds_from_mime() {
        assert_eq!(MediaKind::from_mime("image/jpeg"), Some(MediaKind::Photo));
        assert_eq!(MediaKind::from_mime("video/mp4"), Some(MediaKind::Video));
        assert_eq!(MediaKind::from_mime("audio/ogg"), Some(MediaKind::Audio));
        assert_eq!(MediaKind::from_mime("application/pdf"), None);
        assert_eq!(MediaKind::from_mime("image/svg+xml"), None);
        assert_eq!(MediaKind::from_mime("text/html"), None);
        assert!(MediaKind::Photo.upload_rank() < MediaKind::Video.upload_rank());
    }
}
