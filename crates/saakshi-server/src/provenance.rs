//! The provenance verdict the dashboard shows for a capture.
//!
//! Devices do not sign capture manifests yet (docs/design-notes.md, "Known gaps"), so
//! every capture is reported `unsigned`, which is the truth, never `verified`.

use serde::Serialize;

use crate::error::ApiResult;
use crate::state::Shared;
use crate::store::CaptureRow;

/// What the server can say about where a capture came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// `verified`, `unsigned` or `invalid`.
    pub verdict: &'static str,
    /// In words.
    pub detail: String,
}

/// The verdict for one stored capture.
pub async fn verdict(_s: &Shared, row: &CaptureRow) -> ApiResult<Provenance> {
    Ok(Provenance {
        verdict: "unsigned",
        detail: format!(
            "pushed by device {} over its authenticated connection; it carries no signature",
            row.device_name
        ),
    })
}
