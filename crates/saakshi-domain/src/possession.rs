//! Proof of possession: how a device shows it holds the bytes of media the server may
//! already have, without sending them.
//!
//! Knowing a SHA-256 must not be owning the media: a hash travels in records, exports and
//! screenshots. So a device becomes a reader of stored media only by uploading the bytes
//! or by answering a challenge over them. The server hands out a fresh 32-byte challenge
//! with every `needed` answer of a push, whether or not it holds the bytes (so the answer
//! is no existence oracle); the device answers with a digest of windows of the file that
//! the challenge picks ([`ranges`]), which nobody can compute without those bytes.
//!
//! Why windows and not the whole file: the server must read what it checks, and a claim
//! on a 1 GiB video should cost it at most 1 MiB of reading. Sixteen 64 KiB windows at
//! offsets the device cannot predict catch a device that holds any less than the whole
//! file with overwhelming odds (holding half the bytes passes with odds 2^-16 per try,
//! and every try needs a new push). Files of at most 1 MiB are read whole.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::Digest;

use crate::hash::{BadDigest, Sha256};

/// Bytes in one sampled window.
pub const WINDOW: u64 = 64 * 1024;
/// Windows sampled from a file larger than [`WHOLE_FILE_UP_TO`].
pub const SAMPLES: u64 = 16;
/// Files of at most this many bytes are proven whole.
pub const WHOLE_FILE_UP_TO: u64 = WINDOW * SAMPLES;

/// A server-issued challenge: 32 bytes, sent as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Challenge(pub [u8; 32]);

impl fmt::Display for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Challenge({self})")
    }
}

impl FromStr for Challenge {
    type Err = BadDigest;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<Sha256>().map(|d| Self(d.0))
    }
}

impl Serialize for Challenge {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Challenge {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The `(offset, length)` windows of a file of `size` bytes that answer `challenge`, in
/// ascending order of offset (windows may overlap). The whole file when it is small.
pub fn ranges(challenge: &Challenge, size: u64) -> Vec<(u64, u64)> {
    if size <= WHOLE_FILE_UP_TO {
        return if size == 0 { vec![] } else { vec![(0, size)] };
    }
    let span = size - WINDOW + 1;
    let mut out: Vec<(u64, u64)> = (0..SAMPLES)
        .map(|i| {
            let d = sha2::Sha256::new()
                .chain_update(b"saakshi possession window v1")
                .chain_update(challenge.0)
                .chain_update(i.to_le_bytes())
                .finalize();
            let mut n = [0u8; 8];
            n.copy_from_slice(&d[..8]);
            (u64::from_le_bytes(n) % span, WINDOW)
        })
        .collect();
    out.sort_unstable();
    out
}

/// How many bytes [`ranges`] asks for (what `sampled` must hold in [`answer`]).
pub fn sampled_len(challenge: &Challenge, size: u64) -> u64 {
    ranges(challenge, size).iter().map(|(_, len)| len).sum()
}

/// The answer to `challenge` for a file of `size` bytes, given the bytes of its
/// [`ranges`] concatenated in order.
pub fn answer(challenge: &Challenge, size: u64, sampled: &[u8]) -> Sha256 {
    let d = sha2::Sha256::new()
        .chain_update(b"saakshi possession answer v1")
        .chain_update(challenge.0)
        .chain_update(size.to_le_bytes())
        .chain_update(sampled)
        .finalize();
    Sha256(d.into())
}

/// Compares two answers in time that does not depend on where they differ.
pub fn answers_match(a: &Sha256, b: &Sha256) -> bool {
    a.0.iter()
        .zip(b.0.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(file: &[u8], ch: &Challenge) -> Vec<u8> {
        ranges(ch, file.len() as u64)
            .into_iter()
            .flat_map(|(o, l)| file[o as usize..(o + l) as usize].to_vec())
            .collect()
    }

    #[test]
    fn small_files_are_read_whole_and_large_ones_in_sixteen_windows() {
        let ch = Challenge([3; 32]);
        assert_eq!(ranges(&ch, 0), vec![]);
        assert_eq!(ranges(&ch, 10), vec![(0, 10)]);
        assert_eq!(ranges(&ch, WHOLE_FILE_UP_TO), vec![(0, WHOLE_FILE_UP_TO)]);
        let size = 1 << 30;
        let r = ranges(&ch, size);
        assert_eq!(r.len(), SAMPLES as usize);
        assert!(r.windows(2).all(|w| w[0].0 <= w[1].0), "ascending");
        assert!(r.iter().all(|(o, l)| o + l <= size), "inside the file");
        assert_eq!(sampled_len(&ch, size), SAMPLES * WINDOW);
        // Another challenge picks other windows.
        assert_ne!(r, ranges(&Challenge([4; 32]), size));
    }

    #[test]
    fn the_answer_needs_the_sampled_bytes() {
        let file: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let ch = Challenge([9; 32]);
        let size = file.len() as u64;
        let right = answer(&ch, size, &sample(&file, &ch));
        assert!(answers_match(
            &right,
            &answer(&ch, size, &sample(&file, &ch))
        ));
        // One byte changed inside a window changes the answer.
        let (o, _) = ranges(&ch, size)[5];
        let mut other = file.clone();
        other[o as usize + 100] ^= 1;
        assert!(!answers_match(
            &right,
            &answer(&ch, size, &sample(&other, &ch))
        ));
        // The file's hash alone is no answer, and one challenge's answer is not another's.
        let ch2 = Challenge([10; 32]);
        assert!(!answers_match(
            &right,
            &answer(&ch2, size, &sample(&file, &ch2))
        ));
    }

    #[test]
    fn challenges_travel_as_hex() {
        let ch = Challenge([0xab; 32]);
        let json = serde_json::to_string(&ch).unwrap();
        assert_eq!(json, format!("\"{}\"", "ab".repeat(32)));
        assert_eq!(serde_json::from_str::<Challenge>(&json).unwrap(), ch);
        assert!(serde_json::from_str::<Challenge>("\"abc\"").is_err());
    }
}
