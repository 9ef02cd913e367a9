//! The server's half of proof of possession (`saakshi_domain::possession`): challenges it
//! can check later without storing them, and the check itself.
//!
//! A challenge is a keyed digest of (device, media hash, size, day): bound to one device,
//! so an answer cannot be handed to another, and to a day, so an answer that leaked once
//! (a log, a backup) is worthless a day later. Keeping no state means a push of 500
//! records writes nothing for its challenges, and any server node can check any answer.

use saakshi_domain::possession::{self, Challenge};
use saakshi_domain::{DeviceId, Sha256};
use sha2::Digest;

use crate::media::{MediaResult, MediaStore, read_all};

/// The key challenges are made with (`server_secrets`, name `possession`).
#[derive(Clone)]
pub struct PossessionKey([u8; 32]);

impl std::fmt::Debug for PossessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PossessionKey(..)")
    }
}

const DAY_MS: i64 = 24 * 3600 * 1000;

impl PossessionKey {
    /// Wraps a stored key.
    pub fn new(key: [u8; 32]) -> Self {
        Self(key)
    }

    fn at_day(&self, device: &DeviceId, sha256: &Sha256, size: u64, day: i64) -> Challenge {
        // Every field has a fixed length, so no two inputs share an encoding.
        let d = sha2::Sha256::new()
            .chain_update(b"saakshi possession challenge v1")
            .chain_update(self.0)
            .chain_update(device.as_uuid().as_bytes())
            .chain_update(sha256.0)
            .chain_update(size.to_le_bytes())
            .chain_update(day.to_le_bytes())
            .finalize();
        Challenge(d.into())
    }

    /// Today's challenge for `device` claiming `size` bytes of `sha256`.
    pub fn challenge(
        &self,
        device: &DeviceId,
        sha256: &Sha256,
        size: u64,
        now_ms: i64,
    ) -> Challenge {
        self.at_day(device, sha256, size, now_ms.div_euclid(DAY_MS))
    }

    /// Whether this server issued `challenge` for these values today or yesterday (a
    /// push just before midnight is answered just after).
    pub fn issued(
        &self,
        challenge: &Challenge,
        device: &DeviceId,
        sha256: &Sha256,
        size: u64,
        now_ms: i64,
    ) -> bool {
        let today = now_ms.div_euclid(DAY_MS);
        [today, today - 1].into_iter().any(|day| {
            let want = self.at_day(device, sha256, size, day);
            possession::answers_match(&Sha256(want.0), &Sha256(challenge.0))
        })
    }
}

/// Checks an answer against stored media `sha256` of `size` bytes: one ranged read per
/// sampled window, at most [`possession::WHOLE_FILE_UP_TO`] bytes in all. Media that is
/// not stored, or not at that size, proves nothing.
pub async fn check_answer(
    media: &dyn MediaStore,
    sha256: &Sha256,
    size: u64,
    challenge: &Challenge,
    answer: &Sha256,
) -> MediaResult<bool> {
    if media.media_len(sha256).await? != Some(size) {
        return Ok(false);
    }
    let mut sampled = Vec::with_capacity(possession::sampled_len(challenge, size) as usize);
    for (offset, len) in possession::ranges(challenge, size) {
        sampled.extend(read_all(media.read_media(sha256, offset..offset + len).await?).await?);
    }
    let want = possession::answer(challenge, size, &sampled);
    Ok(possession::answers_match(&want, answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_are_bound_to_device_media_size_and_day() {
        let key = PossessionKey::new([1; 32]);
        let (a, b) = (DeviceId::new(), DeviceId::new());
        let sha = Sha256([5; 32]);
        let now = 1_800_000_000_000;
        let ch = key.challenge(&a, &sha, 10, now);
        assert!(key.issued(&ch, &a, &sha, 10, now));
        assert!(
            key.issued(&ch, &a, &sha, 10, now + DAY_MS),
            "yesterday's still counts"
        );
        assert!(
            !key.issued(&ch, &a, &sha, 10, now + 2 * DAY_MS),
            "older ones do not"
        );
        assert!(!key.issued(&ch, &b, &sha, 10, now), "another device");
        assert!(
            !key.issued(&ch, &a, &Sha256([6; 32]), 10, now),
            "other media"
        );
        assert!(!key.issued(&ch, &a, &sha, 11, now), "another size");
        assert!(
            !PossessionKey::new([2; 32]).issued(&ch, &a, &sha, 10, now),
            "another server"
        );
    }

    #[tokio::test]
    async fn answers_are_checked_against_the_stored_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let media: std::sync::Arc<dyn MediaStore> =
            std::sync::Arc::new(crate::media::MediaFolder::open(dir.path()).unwrap());
        let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
        let sha = crate::media::suite::store_bytes(media.clone(), &bytes).await;
        let media = media.as_ref();
        let ch = Challenge([7; 32]);
        let size = bytes.len() as u64;
        let sampled: Vec<u8> = possession::ranges(&ch, size)
            .into_iter()
            .flat_map(|(o, l)| bytes[o as usize..(o + l) as usize].to_vec())
            .collect();
        let right = possession::answer(&ch, size, &sampled);
        assert!(check_answer(media, &sha, size, &ch, &right).await.unwrap());
        assert!(
            !check_answer(media, &sha, size, &ch, &Sha256([0; 32]))
                .await
                .unwrap()
        );
        assert!(
            !check_answer(media, &sha, size + 1, &ch, &right)
                .await
                .unwrap(),
            "wrong size"
        );
        assert!(
            !check_answer(media, &Sha256([9; 32]), size, &ch, &right)
                .await
                .unwrap(),
            "media not stored"
        );
    }
}
