//! The provenance verdict the dashboard and exports show for a capture: whether the
//! device that pushed it signed its manifest at capture, and whether what the server
//! holds still matches what was signed (`saakshi_domain::manifest`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use saakshi_domain::manifest::{self, Verdict};
use serde::Serialize;

use crate::error::ApiResult;
use crate::state::Shared;
use crate::store::CaptureRow;

/// What the server can say about where a capture came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Provenance {
    /// `verified`, `unsigned` or `invalid`.
    pub verdict: Verdict,
    /// In words.
    pub detail: String,
    /// The device's Ed25519 public key (base64), to check the signature offline.
    pub device_public_key: Option<String>,
}

/// The verdict for one stored capture.
pub async fn verdict(s: &Shared, row: &CaptureRow) -> ApiResult<Provenance> {
    let key = s.db.device_public_key(row.device_id).await?;
    Ok(judge(row, key))
}

/// The verdict for a capture, given its device's enrolled key (callers judging many
/// captures look each key up once).
pub fn judge(row: &CaptureRow, key: Option<Vec<u8>>) -> Provenance {
    let verdict = key
        .as_deref()
        .map_or(Verdict::Invalid, |k| manifest::verify(k, &row.record));
    let who = &row.device_name;
    let detail = match verdict {
        // A signature vouches for the bytes only once this device has shown it holds them
        // (uploaded or proven); until then it is a signed claim about a hash.
        Verdict::Verified if row.media != "present" => format!(
            "signed at capture by device {who}, but this device has not sent these media bytes (yet): \
             the signature covers a claim, not media the server holds from it"
        ),
        Verdict::Verified => format!(
            "signed at capture by device {who}; id, media hash and size, time and place are as signed"
        ),
        Verdict::Unsigned => format!("pushed by device {who}, but it carries no signature"),
        Verdict::Invalid => format!(
            "the signature does not match device {who}'s key over these fields: altered, or not signed by it"
        ),
    };
    Provenance {
        verdict,
        detail,
        device_public_key: key.map(|k| STANDARD.encode(k)),
    }
}
