//! SHA-256 content addresses: the name of every media blob on device and server.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A SHA-256 digest, shown and sent as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256(pub [u8; 32]);

/// Text that is not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a SHA-256 digest (expected 64 hex digits)")]
pub struct BadDigest;

impl Sha256 {
    /// Lowercase hex, the form used in paths, URLs and JSON.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256({})", self.to_hex())
    }
}

impl FromStr for Sha256 {
    type Err = BadDigest;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 64 {
            return Err(BadDigest);
        }
        let mut out = [0u8; 32];
        // Upper-case hex is accepted on input; we always write lower-case.
        hex::decode_to_slice(s, &mut out).map_err(|_| BadDigest)?;
        Ok(Self(out))
    }
}

impl Serialize for Sha256 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Sha256 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rejects_wrong_length_and_non_hex() {
        assert!("ab".parse::<Sha256>().is_err());
        assert!("zz".repeat(32).parse::<Sha256>().is_err());
        assert!("../".repeat(22)[..64].parse::<Sha256>().is_err());
    }

    proptest! {
        #[test]
        fn hex_round_trip(bytes in proptest::array::uniform32(any::<u8>())) {
            let d = Sha256(bytes);
            prop_assert_eq!(d.to_hex().parse::<Sha256>().unwrap(), d);
            let json = serde_json::to_string(&d).unwrap();
            prop_assert_eq!(serde_json::from_str::<Sha256>(&json).unwrap(), d);
        }
    }
}
