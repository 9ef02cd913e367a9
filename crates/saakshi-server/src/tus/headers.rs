//! Parsing of tus 1.0 request headers. Pure functions, property-tested: whatever bytes a
//! client sends, the answer is a value or a clear error, never a panic.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Longest `Upload-Metadata` header accepted.
pub const MAX_METADATA_LEN: usize = 4096;

/// A header that is present but wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{header}: {problem}")]
pub struct HeaderError {
    /// Which header.
    pub header: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

fn err(header: &'static str, problem: impl Into<String>) -> HeaderError {
    HeaderError {
        header,
        problem: problem.into(),
    }
}

/// `Upload-Offset` / `Upload-Length`: a non-negative decimal integer, digits only.
pub fn parse_u64(header: &'static str, value: &str) -> Result<u64, HeaderError> {
    if value.is_empty() || value.len() > 20 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(header, "must be a non-negative whole number"));
    }
    value.parse().map_err(|_| err(header, "is too large"))
}

/// `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be absent).
/// Keys must be non-empty, unique, and free of spaces and commas.
pub fn parse_metadata(value: &str) -> Result<BTreeMap<String, Vec<u8>>, HeaderError> {
    const H: &str = "Upload-Metadata";
    if value.len() > MAX_METADATA_LEN {
        return Err(err(H, format!("is longer than {MAX_METADATA_LEN} bytes")));
    }
    let mut out = BTreeMap::new();
    if value.trim().is_empty() {
        return Ok(out);
    }
    for pair in value.split(',') {
        let pair = pair.trim();
        let mut parts = pair.split(' ');
        let key = parts.next().unwrap_or_default();
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(err(H, format!("bad key in {pair:?}")));
        }
        let decoded = match parts.next() {
            None | Some("") => Vec::new(),
            Some(v) => STANDARD
                .decode(v)
                .map_err(|_| err(H, format!("the value of {key:?} is not valid base64")))?,
        };
        if parts.next().is_some() {
            return Err(err(H, format!("{pair:?} has more than a key and a value")));
        }
        if out.insert(key.to_string(), decoded).is_some() {
            return Err(err(H, format!("key {key:?} appears twice")));
        }
    }
    Ok(out)
}

/// Encodes metadata the way `parse_metadata` reads it (for HEAD responses).
pub fn encode_metadata(meta: &BTreeMap<String, Vec<u8>>) -> String {
    meta.iter()
        .map(|(k, v)| {
            if v.is_empty() {
                k.clone()
            } else {
                format!("{k} {}", STANDARD.encode(v))
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A checksum algorithm of the tus checksum extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecksumAlgorithm {
    /// SHA-1 (20 bytes).
    Sha1,
    /// SHA-256 (32 bytes).
    Sha256,
}

/// `Upload-Checksum: <algorithm> <base64 digest>`.
pub fn parse_checksum(value: &str) -> Result<(ChecksumAlgorithm, Vec<u8>), HeaderError> {
    const H: &str = "Upload-Checksum";
    let (algo, digest) = value
        .trim()
        .split_once(' ')
        .ok_or_else(|| err(H, "must be `<algorithm> <base64 digest>`"))?;
    let (algo, len) = match algo {
        "sha1" => (ChecksumAlgorithm::Sha1, 20),
        "sha256" => (ChecksumAlgorithm::Sha256, 32),
        other => {
            return Err(err(
                H,
                format!("algorithm {other:?} is not supported (sha1, sha256)"),
            ));
        }
    };
    let digest = STANDARD
        .decode(digest.trim())
        .map_err(|_| err(H, "the digest is not valid base64"))?;
    if digest.len() != len {
        return Err(err(H, format!("a {algo:?} digest has {len} bytes")));
    }
    Ok((algo, digest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_u64("Upload-Offset", "0"), Ok(0));
        assert_eq!(
            parse_u64("Upload-Offset", "18446744073709551615"),
            Ok(u64::MAX)
        );
        for bad in [
            "",
            "-1",
            "+1",
            " 1",
            "1.0",
            "0x10",
            "18446744073709551616",
            "१",
        ] {
            assert!(parse_u64("Upload-Offset", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn metadata_as_tus_clients_send_it() {
        let m = parse_metadata("filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential")
            .unwrap();
        assert_eq!(m["filename"], b"world_domination_plan.pdf");
        assert_eq!(m["is_confidential"], b"");
        assert!(parse_metadata("").unwrap().is_empty());
        assert!(parse_metadata("a !!!").is_err(), "broken base64");
        assert!(parse_metadata("a YQ==,a Yg==").is_err(), "duplicate key");
        assert!(parse_metadata("a YQ== extra").is_err());
        assert!(parse_metadata(",").is_err());
        assert!(parse_metadata(&"a".repeat(5000)).is_err());
    }

    #[test]
    fn checksums() {
        let (a, d) = parse_checksum("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=").unwrap();
        assert_eq!((a, d.len()), (ChecksumAlgorithm::Sha1, 20));
        assert!(parse_checksum("md5 AAAA").is_err());
        assert!(
            parse_checksum("sha256 Kq5sNclPz7QV2+lfQIuc6R7oRu0=").is_err(),
            "length"
        );
        assert!(parse_checksum("sha1").is_err());
    }

    proptest! {
        #[test]
        fn metadata_never_panics(s in ".{0,300}") {
            let _ = parse_metadata(&s);
        }

        #[test]
        fn checksum_never_panics(s in ".{0,100}") {
            let _ = parse_checksum(&s);
        }

        #[test]
        fn numbers_never_panic(s in ".{0,30}") {
            let _ = parse_u64("Upload-Length", &s);
        }

        #[test]
        fn metadata_round_trips(
            pairs in proptest::collection::btree_map("[a-z_]{1,12}", proptest::collection::vec(any::<u8>(), 0..40), 0..6)
        ) {
            let encoded = encode_metadata(&pairs);
            prop_assert_eq!(parse_metadata(&encoded).unwrap(), pairs);
        }
    }
}
