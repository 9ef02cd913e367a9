//! Proof of possession: a push answered `needed` with a challenge may be answered with a
//! digest of the windows of the local file that the challenge picks
//! ([`saakshi_domain::possession`]) instead of the bytes. Volunteers forward the same
//! photo to each other all day; this saves those uploads, while a hash alone still never
//! stands in for the bytes. Anything that goes wrong here only means uploading as before.

use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use saakshi_domain::Sha256;
use saakshi_domain::possession::{self, Challenge};
use saakshi_domain::wire::{MAX_PROOF_BATCH, MediaState, ProofItem, ProofRequest};

use super::client::Client;
use crate::home::Home;
use crate::media::BlobStore;

/// Media a push answered `needed` with a challenge.
#[derive(Debug, Clone)]
pub(crate) struct Claim {
    /// The media.
    pub sha256: Sha256,
    /// Its size.
    pub size: u64,
    /// What the server asked.
    pub challenge: Challenge,
}

/// The answer to `claim` from the local blob; `None` when it cannot be read (the upload
/// that follows will say why).
fn prove(blobs: &BlobStore, claim: &Claim) -> Option<ProofItem> {
    let mut file = blobs.open_blob(&claim.sha256).ok()?;
    let windows = possession::ranges(&claim.challenge, claim.size);
    let total = possession::sampled_len(&claim.challenge, claim.size);
    let mut sampled = vec![0u8; usize::try_from(total).ok()?];
    let mut at = 0usize;
    for (offset, len) in windows {
        let len = usize::try_from(len).ok()?;
        file.seek(SeekFrom::Start(offset)).ok()?;
        file.read_exact(&mut sampled[at..at + len]).ok()?;
        at += len;
    }
    Some(ProofItem {
        sha256: claim.sha256,
        size: claim.size,
        challenge: claim.challenge,
        answer: possession::answer(&claim.challenge, claim.size, &sampled),
    })
}

/// Answers `claims` (one request per [`MAX_PROOF_BATCH`]) and returns the media the
/// server now counts as held by this device. A failed call (an older server without the
/// route answers 404; the network) proves nothing: those media are uploaded.
pub(crate) async fn prove_all(
    home: &Arc<Home>,
    client: &Client,
    claims: Vec<Claim>,
) -> Vec<Sha256> {
    if claims.is_empty() {
        return Vec::new();
    }
    // Reading up to 1 MiB per file blocks: off the async runtime.
    let reader = home.clone();
    let proofs = tokio::task::spawn_blocking(move || {
        let mut seen = HashSet::new();
        claims
            .iter()
            .filter(|c| seen.insert(c.sha256))
            .filter_map(|c| prove(reader.blobs(), c))
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    let mut present = Vec::new();
    for batch in proofs.chunks(MAX_PROOF_BATCH) {
        let asked: HashSet<Sha256> = batch.iter().map(|p| p.sha256).collect();
        let Ok(resp) = client
            .proofs(&ProofRequest {
                proofs: batch.to_vec(),
            })
            .await
        else {
            break;
        };
        // Only what was asked about: an answer never marks other media as synced.
        present.extend(
            resp.results
                .into_iter()
                .filter(|r| r.media == MediaState::Present && asked.contains(&r.sha256))
                .map(|r| r.sha256),
        );
    }
    present
}
