//! JSON bodies of the sync API v1 (DESIGN.md "Wire protocol"), shared by the server that
//! answers them and the device that sends them.
//!
//! Readers are tolerant, writers strict: what the server reads (requests) refuses unknown
//! fields, so a typo in a client is an error; what a device reads (responses) ignores
//! unknown fields and unknown enum values, because old phones meet newer servers for
//! months in the field and must keep syncing (see [`Change::Unknown`], [`MediaState`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::area::AreaLevel;
use crate::capture::CaptureRecord;
use crate::error::ErrorCode;
use crate::hash::Sha256;
use crate::id::{CaptureId, DeviceId};
use crate::possession::Challenge;

/// Header every response carries: `Saakshi-Protocol: 1`.
pub const PROTOCOL_HEADER: &str = "Saakshi-Protocol";
/// Most captures in one push.
pub const MAX_PUSH_BATCH: usize = 500;

/// `{"error": {"code", "message"}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The stable code and a sentence for people.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable, machine-readable.
    pub code: ErrorCode,
    /// For people; may change between versions.
    pub message: String,
}

/// `POST /api/v1/devices/enroll`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The invite code a coordinator handed out.
    pub invite_code: String,
    /// A name a person gave the device.
    pub device_name: String,
    /// `android`, `linux`, `windows`, `macos`, `ios`, `cli`, …
    pub platform: String,
    /// Base64 of the device's 32-byte Ed25519 public key.
    pub public_key: String,
}

/// An area as a device sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaSummary {
    /// Area code.
    pub code: String,
    /// Its level.
    pub level: AreaLevel,
    /// English name.
    pub name_en: String,
    /// Hindi name.
    pub name_hi: String,
}

/// `201` answer to an enrolment. Its `Debug` leaves the token out.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollResponse {
    /// The device's new id.
    pub device_id: DeviceId,
    /// Bearer token for every later call; shown once.
    pub token: String,
    /// The area the device is enrolled in.
    pub area: AreaSummary,
    /// The server's clock, to estimate skew.
    pub server_time: DateTime<Utc>,
}

impl std::fmt::Debug for EnrollResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrollResponse")
            .field("device_id", &self.device_id)
            .field("token", &"<redacted>")
            .field("area", &self.area)
            .field("server_time", &self.server_time)
            .finish()
    }
}

/// `POST /api/v1/sync/captures`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// At most [`MAX_PUSH_BATCH`] records.
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub captures: Vec<CaptureRecord>,
    /// The device's estimate of (device clock − server clock), in milliseconds.
    #[serde(default)]
    pub clock_skew_ms: Option<i64>,
}

/// What the server did with one pushed record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    /// Stored (or already stored identically).
    Accepted,
    /// The server holds a different version of this revision, or a newer revision.
    Conflict,
    /// Refused; see `code` and `message`.
    Rejected,
    /// A status a newer server sent that this version does not know (never sent, so
    /// never written, and so not in the OpenAPI document either).
    #[serde(other, skip_serializing)]
    Unknown,
}

/// Whether the server needs the media bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaState {
    /// The server holds these bytes (verified); nothing to upload.
    Present,
    /// An upload of them is under way; continue it at `offset`.
    Uploading,
    /// Upload it. Also what a state this version does not know reads as: uploading
    /// is always safe (the server verifies and deduplicates the bytes). Last, as serde
    /// wants its catch-all.
    #[serde(other)]
    Needed,
}

/// The per-record answer of a push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResult {
    /// Which record.
    pub id: CaptureId,
    /// What happened.
    pub status: PushStatus,
    /// Why, when not accepted (a code this version does not know reads as none).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "tolerant::known_or_none"
    )]
    pub code: Option<ErrorCode>,
    /// Why, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The revision the server holds now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<u32>,
    /// Whether to upload the media.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<MediaState>,
    /// With `uploading`: the tus upload to continue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_url: Option<String>,
    /// With `uploading`: bytes the server already holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// With `needed`: a device that holds the bytes may answer this challenge
    /// (`POST /api/v1/sync/proofs`) instead of uploading them; see [`crate::possession`].
    /// One this version cannot read reads as none: the device then simply uploads.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "tolerant::known_or_none"
    )]
    pub challenge: Option<Challenge>,
}

/// Answer to a push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// One result per pushed record, in order.
    pub results: Vec<PushResult>,
    /// The server's clock.
    pub server_time: DateTime<Utc>,
}

/// Most proofs in one `POST /api/v1/sync/proofs`.
pub const MAX_PROOF_BATCH: usize = 500;

/// `POST /api/v1/sync/proofs`: answers to the challenges of a push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProofRequest {
    /// At most [`MAX_PROOF_BATCH`].
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub proofs: Vec<ProofItem>,
}

/// A device's answer to one challenge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProofItem {
    /// The media.
    pub sha256: Sha256,
    /// Its size in bytes.
    pub size: u64,
    /// The challenge the push answered with.
    pub challenge: Challenge,
    /// [`crate::possession::answer`] over the windows the challenge picks.
    pub answer: Sha256,
}

/// Answer to `POST /api/v1/sync/proofs`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProofResponse {
    /// One per proof, in order.
    pub results: Vec<ProofResult>,
}

/// What one proof earned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProofResult {
    /// The media.
    pub sha256: Sha256,
    /// `present`: proven, nothing to upload; `needed`: upload it (the proof failed, or
    /// the server does not hold these bytes: the two are not told apart).
    pub media: MediaState,
}

/// One thing that changed for a device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The server verified the media of this capture: it is synced.
    CaptureSynced {
        /// The capture.
        capture_id: CaptureId,
        /// Its media.
        sha256: Sha256,
    },
    /// A coordinator reviewed this capture.
    Review {
        /// The capture.
        capture_id: CaptureId,
        /// `approved`, `rejected` or `needs_info`.
        verdict: String,
        /// The coordinator's note.
        note: Option<String>,
    },
    /// The device was revoked: stop syncing; wipe local media if `wipe`.
    Revoked {
        /// Whether to delete local media too.
        wipe: bool,
    },
    /// A coordinator published a kit for an area this device is in.
    Kit {
        /// The kit.
        kit: Kit,
    },
    /// A change this version cannot read: a kind added by a newer server, or a known
    /// kind in a shape it does not understand. Devices skip it and count it; a server
    /// never sends it (nor can it: it is never written, and so not in the OpenAPI
    /// document either).
    #[serde(other, skip_serializing)]
    Unknown,
}

/// A curated set of media with captions, published to areas, ready to share.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Kit {
    /// Its id.
    pub id: uuid::Uuid,
    /// Title in English (may be empty when only Hindi is given).
    pub title_en: String,
    /// Title in Hindi (may be empty when only English is given).
    pub title_hi: String,
    /// Caption to share with, in English.
    pub caption_en: String,
    /// Caption to share with, in Hindi.
    pub caption_hi: String,
    /// When it was published.
    pub published_at: DateTime<Utc>,
    /// The media, in order.
    pub items: Vec<KitItem>,
}

/// One media file of a kit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KitItem {
    /// Content address; download from `/api/v1/media/{sha256}`.
    pub sha256: Sha256,
    /// Size in bytes.
    pub size: u64,
    /// MIME type.
    pub mime: String,
}

/// One entry of the change sequence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeEntry {
    /// Position in the server's append-only change sequence.
    pub seq: u64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What changed ([`Change::Unknown`] when it cannot be read, so that one change a
    /// device does not understand never makes the whole page unreadable).
    #[serde(deserialize_with = "tolerant::change")]
    pub change: Change,
}

/// `GET /api/v1/sync/pull?cursor=N`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// Changes after the cursor, oldest first.
    pub changes: Vec<ChangeEntry>,
    /// Pass this as `cursor` next time.
    pub cursor: u64,
    /// More changes wait beyond this page.
    pub more: bool,
    /// The server's clock.
    pub server_time: DateTime<Utc>,
}

/// Field readers that turn what this version cannot read into a safe default instead
/// of an error for the whole response.
mod tolerant {
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Deserializer};

    use super::Change;

    /// `Some(T)` when the value reads as `T`; `None` when absent, null or unknown.
    pub(super) fn known_or_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: DeserializeOwned,
    {
        let v = Option::<serde_json::Value>::deserialize(d)?;
        Ok(v.and_then(|v| serde_json::from_value(v).ok()))
    }

    /// A change, or [`Change::Unknown`] when it does not read as one.
    pub(super) fn change<'de, D: Deserializer<'de>>(d: D) -> Result<Change, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(serde_json::from_value(v).unwrap_or(Change::Unknown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enroll_request_is_exactly_the_documented_shape() {
        let json = r#"{"invite_code":"ABCD-EFGH","device_name":"Ravi's phone","platform":"android","public_key":"AAAA"}"#;
        let r: EnrollRequest = serde_json::from_str(json).unwrap();
        assert_eq!(r.platform, "android");
        let extra =
            r#"{"invite_code":"x","device_name":"y","platform":"z","public_key":"k","admin":true}"#;
        assert!(serde_json::from_str::<EnrollRequest>(extra).is_err());
    }

    #[test]
    fn requests_the_server_reads_stay_strict() {
        let extra = r#"{"captures":[],"clock_skew_ms":null,"admin":true}"#;
        assert!(serde_json::from_str::<PushRequest>(extra).is_err());
    }

    #[test]
    fn a_pull_from_a_newer_server_reads_with_its_extras_ignored() {
        let sha = "ab".repeat(32);
        let json = format!(
            r#"{{"changes":[
                {{"seq":1,"at":"2026-01-01T00:00:00Z","shard":7,"change":
                    {{"kind":"capture_synced","capture_id":"0190d6c4-1c5e-7000-8000-000000000001","sha256":"{sha}","by":"x"}}}},
                {{"seq":2,"at":"2026-01-01T00:00:00Z","change":{{"kind":"poll","question":"?"}}}},
                {{"seq":3,"at":"2026-01-01T00:00:00Z","change":{{"kind":"review","capture_id":"nope"}}}},
                {{"seq":4,"at":"2026-01-01T00:00:00Z","change":{{"kind":"kit","kit":{{
                    "id":"0190d6c4-1c5e-7000-8000-000000000002","title_en":"t","title_hi":"","caption_en":"",
                    "caption_hi":"","published_at":"2026-01-01T00:00:00Z","pinned":true,
                    "items":[{{"sha256":"{sha}","size":3,"mime":"image/jpeg","width":9}}]}}}}}}
            ],"cursor":4,"more":false,"server_time":"2026-01-01T00:00:00Z","region":"x"}}"#
        );
        let r: PullResponse = serde_json::from_str(&json).unwrap();
        let kinds: Vec<_> = r.changes.iter().map(|c| &c.change).collect();
        assert!(matches!(kinds[0], Change::CaptureSynced { .. }));
        // An unknown kind, and a known kind in a shape this version cannot read.
        assert_eq!(kinds[1], &Change::Unknown);
        assert_eq!(kinds[2], &Change::Unknown);
        assert!(matches!(kinds[3], Change::Kit { kit } if kit.items[0].size == 3));
    }

    #[test]
    fn unknown_enum_values_in_a_push_answer_read_safely() {
        let json = r#"{"results":[
            {"id":"0190d6c4-1c5e-7000-8000-000000000001","status":"accepted","media":"proving","hint":1},
            {"id":"0190d6c4-1c5e-7000-8000-000000000002","status":"deferred"},
            {"id":"0190d6c4-1c5e-7000-8000-000000000003","status":"rejected","code":"quota_exceeded","message":"full"}
        ],"server_time":"2026-01-01T00:00:00Z"}"#;
        let r: PushResponse = serde_json::from_str(json).unwrap();
        assert_eq!(r.results[0].media, Some(MediaState::Needed));
        assert_eq!(r.results[1].status, PushStatus::Unknown);
        assert_eq!(r.results[2].status, PushStatus::Rejected);
        assert_eq!(r.results[2].code, None);
        assert_eq!(r.results[2].message.as_deref(), Some("full"));
        let known: PushResult = serde_json::from_str(
            r#"{"id":"0190d6c4-1c5e-7000-8000-000000000001","status":"rejected","code":"conflict"}"#,
        )
        .unwrap();
        assert_eq!(known.code, Some(ErrorCode::Conflict));
    }

    #[test]
    fn enrolment_debug_leaves_the_token_out() {
        let json = r#"{"device_id":"0190d6c4-1c5e-7000-8000-000000000001","token":"s3cr3t-t0ken",
            "area":{"code":"B-1","level":"booth","name_en":"B","name_hi":"B","pin":1},
            "server_time":"2026-01-01T00:00:00Z","motd":"hi"}"#;
        let r: EnrollResponse = serde_json::from_str(json).unwrap();
        assert_eq!(r.token, "s3cr3t-t0ken");
        let shown = format!("{r:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("B-1"), "{shown}");
    }

    #[test]
    fn changes_are_tagged_by_kind() {
        let c = Change::Revoked { wipe: true };
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            serde_json::json!({"kind": "revoked", "wipe": true})
        );
    }
}
