//! Security suite, finding 3: knowing a SHA-256 is not owning the media. A volunteer
//! with a valid invite names another device's hash in a record; the server must not hand
//! over the bytes, join the claim to them, say whether it holds them, or tell their size.
//! A device that really holds the bytes still skips the upload by answering a challenge.

use reqwest::{Method, StatusCode};
use saakshi_domain::possession::{self, Challenge};
use saakshi_domain::wire::{MediaState, ProofResponse, PushResult};
use saakshi_domain::{MediaKind, Sha256};
use saakshi_tests::blackbox::{BlackBox, Device, sha256};
use saakshi_tests::samples;

/// Media larger than [`possession::WHOLE_FILE_UP_TO`], so the proof samples windows.
fn long_clip(seed: f64) -> Vec<u8> {
    let clip = samples::wav(40, 220.0 + seed);
    assert!(clip.len() as u64 > possession::WHOLE_FILE_UP_TO);
    clip
}

fn challenge(r: &PushResult) -> Challenge {
    assert_eq!(r.media, Some(MediaState::Needed), "{r:?}");
    r.challenge.expect("a `needed` answer carries a challenge")
}

/// The proof the device computes from the bytes it holds.
fn prove(bytes: &[u8], ch: &Challenge) -> Sha256 {
    let sampled: Vec<u8> = possession::ranges(ch, bytes.len() as u64)
        .into_iter()
        .flat_map(|(o, l)| bytes[o as usize..(o + l) as usize].to_vec())
        .collect();
    possession::answer(ch, bytes.len() as u64, &sampled)
}

async fn send_proof(
    dev: &Device,
    sha: Sha256,
    size: u64,
    ch: Challenge,
    answer: Sha256,
) -> MediaState {
    let resp = dev
        .req(Method::POST, "/api/v1/sync/proofs")
        .json(&serde_json::json!({"proofs": [{
            "sha256": sha, "size": size, "challenge": ch, "answer": answer
        }]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: ProofResponse = resp.json().await.unwrap();
    body.results[0].media
}

async fn download(dev: &Device, sha: &Sha256) -> StatusCode {
    dev.req(Method::GET, &format!("/api/v1/media/{}", sha.to_hex()))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_hash_without_the_bytes_earns_nothing() {
    let bb = BlackBox::start().await;
    let owner = bb.enroll("B-104").await;
    let clip = long_clip(0.0);
    let rec = owner.record(&clip, MediaKind::Audio, "audio/wav");
    owner.capture(&rec, &clip).await;
    assert_eq!(download(&owner, &rec.sha256).await, StatusCode::OK);

    // The claimant pushes a record of its own naming the owner's hash and size.
    let thief = bb.enroll("B-104").await;
    let claim = thief.record(&clip, MediaKind::Audio, "audio/wav");
    let answer = thief.push(std::slice::from_ref(&claim)).await;
    let ch = challenge(&answer.results[0]);
    assert_eq!(download(&thief, &rec.sha256).await, StatusCode::NOT_FOUND);

    // Guessing at the proof: the file's hash, zeros, or the right answer to another
    // challenge all fail.
    for guess in [
        claim.sha256,
        Sha256([0; 32]),
        prove(&clip, &Challenge([1; 32])),
    ] {
        assert_eq!(
            send_proof(&thief, claim.sha256, claim.size, ch, guess).await,
            MediaState::Needed
        );
    }
    // A made-up challenge with the right answer to it is no better.
    let made_up = Challenge([2; 32]);
    assert_eq!(
        send_proof(
            &thief,
            claim.sha256,
            claim.size,
            made_up,
            prove(&clip, &made_up)
        )
        .await,
        MediaState::Needed
    );
    // Another device's challenge, answered correctly, does not transfer.
    let honest = bb.enroll("B-104").await;
    let other = honest
        .push(&[honest.record(&clip, MediaKind::Audio, "audio/wav")])
        .await;
    let other_ch = challenge(&other.results[0]);
    assert_eq!(
        send_proof(
            &thief,
            claim.sha256,
            claim.size,
            other_ch,
            prove(&clip, &other_ch)
        )
        .await,
        MediaState::Needed
    );
    assert_eq!(download(&thief, &rec.sha256).await, StatusCode::NOT_FOUND);

    // Pushing the claim again still says `needed`; the pull joins nothing.
    let again = thief.push(std::slice::from_ref(&claim)).await;
    assert_eq!(again.results[0].media, Some(MediaState::Needed));
    let pulled = thief.pull(0).await;
    assert!(
        !pulled
            .changes
            .iter()
            .any(|c| matches!(c.change, saakshi_domain::wire::Change::CaptureSynced { .. })),
        "{:?}",
        pulled.changes
    );

    // The coordinator sees the claim without media, and its signature vouches for no bytes.
    let coord = bb.coordinator("lko", "LKO").await;
    let detail: serde_json::Value = coord
        .get(&format!("/api/v1/review/captures/{}", claim.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["media"], "missing", "{detail}");
    let said = detail["provenance"]["detail"].as_str().unwrap();
    assert!(said.contains("has not sent these media bytes"), "{said}");
    let owners: serde_json::Value = coord
        .get(&format!("/api/v1/review/captures/{}", rec.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(owners["media"], "present");
}

#[tokio::test]
async fn the_answer_to_a_claim_says_nothing_about_other_devices_media() {
    let bb = BlackBox::start().await;
    let owner = bb.enroll("B-104").await;
    let clip = long_clip(1.0);
    let rec = owner.record(&clip, MediaKind::Audio, "audio/wav");
    owner.capture(&rec, &clip).await;

    let prober = bb.enroll("B-201").await;
    let stored = prober.record(&clip, MediaKind::Audio, "audio/wav");
    let mut wrong_size = prober.record(&clip, MediaKind::Audio, "audio/wav");
    wrong_size.size += 1;
    wrong_size.signature = None;
    let never = long_clip(2.0);
    let unknown = prober.record(&never, MediaKind::Audio, "audio/wav");
    let answer = prober.push(&[stored, wrong_size, unknown]).await;
    for r in &answer.results {
        // Same status, same media state, a challenge each, and no size in any message.
        assert_eq!(
            r.status,
            saakshi_domain::wire::PushStatus::Accepted,
            "{r:?}"
        );
        challenge(r);
        assert!(r.message.is_none(), "{r:?}");
    }
}

#[tokio::test]
async fn a_device_that_holds_the_bytes_proves_it_instead_of_uploading() {
    let bb = BlackBox::start().await;
    let first = bb.enroll("B-104").await;
    let clip = long_clip(3.0);
    let rec = first.record(&clip, MediaKind::Audio, "audio/wav");
    first.capture(&rec, &clip).await;
    let uploads_before = bb.metrics().await;

    // A second volunteer was forwarded the same clip.
    let second = bb.enroll("B-105").await;
    let forwarded = second.record(&clip, MediaKind::Audio, "audio/wav");
    let answer = second.push(std::slice::from_ref(&forwarded)).await;
    let ch = challenge(&answer.results[0]);
    assert_eq!(
        send_proof(
            &second,
            forwarded.sha256,
            forwarded.size,
            ch,
            prove(&clip, &ch)
        )
        .await,
        MediaState::Present
    );
    // Synced without a byte of upload: readable, joined, announced on the next pull.
    assert_eq!(download(&second, &forwarded.sha256).await, StatusCode::OK);
    let again = second.push(std::slice::from_ref(&forwarded)).await;
    assert_eq!(again.results[0].media, Some(MediaState::Present));
    assert!(second.pull(0).await.changes.iter().any(|c| matches!(
        c.change,
        saakshi_domain::wire::Change::CaptureSynced { capture_id, .. } if capture_id == forwarded.id
    )));
    let count = |m: &str| {
        m.lines()
            .find(|l| l.starts_with("saakshi_uploads_completed_total"))
            .map(str::to_string)
    };
    assert_eq!(
        count(&uploads_before),
        count(&bb.metrics().await),
        "no new upload"
    );

    // Small files are proven whole.
    let photo = saakshi_tests::blackbox::jpeg(9);
    assert!((photo.len() as u64) <= possession::WHOLE_FILE_UP_TO);
    let p1 = first.record(&photo, MediaKind::Photo, "image/jpeg");
    first.capture(&p1, &photo).await;
    let p2 = second.record(&photo, MediaKind::Photo, "image/jpeg");
    let ch = challenge(&second.push(std::slice::from_ref(&p2)).await.results[0]);
    let mut tampered = photo.clone();
    let last = tampered.len() - 3;
    tampered[last] ^= 0xff;
    assert_eq!(
        send_proof(&second, p2.sha256, p2.size, ch, prove(&tampered, &ch)).await,
        MediaState::Needed,
        "one byte off anywhere in a small file fails"
    );
    assert_eq!(
        send_proof(&second, p2.sha256, p2.size, ch, prove(&photo, &ch)).await,
        MediaState::Present
    );
    assert_eq!(sha256(&photo), p2.sha256);
}
