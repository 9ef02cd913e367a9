//! `POST /api/v1/sync/proofs`: a device proves it holds media the push said was needed,
//! instead of uploading it (see `crate::possession`). Volunteers forward the same photo
//! to each other all day; this keeps that from costing an upload per phone.

use axum::extract::State;
use saakshi_domain::wire::{MAX_PROOF_BATCH, MediaState, ProofRequest, ProofResponse, ProofResult};

use super::ApiJson;
use crate::auth::Device;
use crate::error::{ApiError, ApiResult};
use crate::possession::check_answer;
use crate::state::Shared;
use crate::store::now_ms;

/// Checks each answer; a right one makes the device a holder of the media (its captures
/// of it are synced). A wrong answer, a stale challenge and media the server does not
/// hold all get the same `needed`, so the route tells nothing about other devices' media.
#[utoipa::path(
    post,
    path = "/api/v1/sync/proofs",
    tag = "sync",
    security(("device" = [])),
    request_body = ProofRequest,
    responses((status = 200, body = ProofResponse), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn prove(
    State(s): State<Shared>,
    Device(dev): Device,
    ApiJson(req): ApiJson<ProofRequest>,
) -> ApiResult<axum::Json<ProofResponse>> {
    if req.proofs.len() > MAX_PROOF_BATCH {
        return Err(ApiError::too_large(format!(
            "{} proofs in one request; at most {MAX_PROOF_BATCH} are allowed",
            req.proofs.len()
        )));
    }
    let now = now_ms();
    let mut results = Vec::with_capacity(req.proofs.len());
    for p in req.proofs {
        let issued = s
            .possession
            .issued(&p.challenge, &dev.id, &p.sha256, p.size, now);
        let mut proven = false;
        if issued && s.db.media_size(p.sha256).await? == Some(p.size) {
            proven =
                check_answer(s.media.as_ref(), &p.sha256, p.size, &p.challenge, &p.answer).await?;
        }
        let media = if proven && s.db.add_holder(dev.id, p.sha256).await? {
            MediaState::Present
        } else {
            MediaState::Needed
        };
        results.push(ProofResult {
            sha256: p.sha256,
            media,
        });
    }
    Ok(axum::Json(ProofResponse { results }))
}
