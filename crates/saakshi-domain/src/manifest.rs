//! Signed capture manifests: what a device vouches for when it captures something.
//!
//! The manifest holds what must never change about a capture: its id, the media's
//! SHA-256 and size, its kind, when and where it was taken. Edits (caption, tags,
//! event) make new revisions and leave it, and its signature, valid. The device signs it
//! with its Ed25519 key at capture, possibly long before it is enrolled; the server
//! verifies it with the public key the device enrolled with, which is what ties the
//! capture to the device. Exports carry manifest, signature and key for offline checks.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::Serialize;

use crate::capture::{CaptureRecord, MediaKind};
use crate::hash::Sha256;
use crate::id::CaptureId;
use crate::location::{Location, LocationSource};

/// The first line of every manifest: the format and its version.
pub const MANIFEST_V1: &str = "saakshi-capture-manifest/1";

#[derive(Serialize)]
struct Manifest<'a> {
    id: &'a CaptureId,
    sha256: &'a Sha256,
    size: u64,
    kind: MediaKind,
    captured_at_ms: i64,
    offset_minutes: i16,
    location: Option<ManifestLocation>,
}

#[derive(Serialize)]
struct ManifestLocation {
    lat: f64,
    lon: f64,
    accuracy_m: Option<f64>,
    altitude_m: Option<f64>,
    source: LocationSource,
    fix_time_ms: Option<i64>,
}

/// The exact bytes signed for a record: the version line, then compact JSON with the
/// fields in a fixed order (serde writes struct fields in declaration order; numbers in
/// their shortest round-trip form, the same on every platform). Times are Unix
/// milliseconds, the precision every store keeps, so a record read back from a database
/// still matches what was signed.
pub fn manifest_bytes(rec: &CaptureRecord) -> Vec<u8> {
    let m = Manifest {
        id: &rec.id,
        sha256: &rec.sha256,
        size: rec.size,
        kind: rec.kind,
        captured_at_ms: rec.captured_at.utc.timestamp_millis(),
        offset_minutes: rec.captured_at.offset_minutes,
        location: rec.location.as_ref().map(|l: &Location| ManifestLocation {
            lat: l.lat,
            lon: l.lon,
            accuracy_m: l.accuracy_m,
            altitude_m: l.altitude_m,
            source: l.source,
            fix_time_ms: l.fix_time.map(|t| t.timestamp_millis()),
        }),
    };
    let mut out = format!("{MANIFEST_V1}\n").into_bytes();
    // Serialising these plain types cannot fail.
    out.extend(serde_json::to_vec(&m).unwrap_or_default());
    out
}

/// The base64 signature of a record's manifest.
pub fn sign(key: &SigningKey, rec: &CaptureRecord) -> String {
    STANDARD.encode(key.sign(&manifest_bytes(rec)).to_bytes())
}

/// What a signature check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Signed by this key, and nothing it covers has changed since.
    Verified,
    /// No signature.
    Unsigned,
    /// A signature that this key did not make over these fields: altered, or not the
    /// device's.
    Invalid,
}

/// Checks `rec.signature` against the device's 32-byte Ed25519 public key.
pub fn verify(public_key: &[u8], rec: &CaptureRecord) -> Verdict {
    let Some(sig) = &rec.signature else {
        return Verdict::Unsigned;
    };
    let key = <[u8; 32]>::try_from(public_key)
        .ok()
        .and_then(|k| VerifyingKey::from_bytes(&k).ok());
    let sig = STANDARD
        .decode(sig)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b));
    match (key, sig) {
        (Some(k), Some(s)) if k.verify(&manifest_bytes(rec), &s).is_ok() => Verdict::Verified,
        _ => Verdict::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::tests::sample;

    #[test]
    fn the_manifest_format_is_fixed() {
        let mut rec = sample();
        rec.id = "01936d0e-8f3a-7c2b-9d4e-5f6a7b8c9d0e".parse().unwrap();
        rec.captured_at.utc = "2026-11-20T05:30:00Z".parse().unwrap();
        if let Some(l) = rec.location.as_mut() {
            l.accuracy_m = Some(12.5);
            l.altitude_m = None;
        }
        let text = String::from_utf8(manifest_bytes(&rec)).unwrap();
        // Any change here breaks every signature ever made: bump MANIFEST_V1 instead.
        assert_eq!(
            text,
            "saakshi-capture-manifest/1\n{\"id\":\"01936d0e-8f3a-7c2b-9d4e-5f6a7b8c9d0e\",\
             \"sha256\":\"0707070707070707070707070707070707070707070707070707070707070707\",\
             \"size\":1234,\"kind\":\"photo\",\"captured_at_ms\":1795152600000,\
             \"offset_minutes\":330,\"location\":{\"lat\":26.8467,\"lon\":80.9462,\
             \"accuracy_m\":12.5,\"altitude_m\":null,\"source\":\"gps\",\"fix_time_ms\":null}}"
        );
    }

    /// Found by the manifest fuzz target (fuzz/corpus/manifest keeps the input): without
    /// serde_json's exact float parsing, an altitude of -11999.999991999998 read back one
    /// bit off, so the record that crossed the wire had another manifest and its
    /// signature no longer held.
    #[test]
    fn coordinates_cross_the_wire_to_the_bit() {
        let mut rec = sample();
        if let Some(l) = rec.location.as_mut() {
            l.lat = -88.99999999999999;
            l.lon = 179.99999999999997;
            l.accuracy_m = Some(0.1);
            l.altitude_m = Some(-11999.999991999998);
        }
        let key = SigningKey::from_bytes(&[7; 32]);
        rec.signature = Some(sign(&key, &rec));
        let wire = serde_json::to_vec(&rec).unwrap();
        let received: CaptureRecord = serde_json::from_slice(&wire).unwrap();
        assert_eq!(received, rec);
        assert_eq!(
            verify(&key.verifying_key().to_bytes(), &received),
            Verdict::Verified
        );
    }

    #[test]
    fn edits_keep_the_signature_and_tampering_breaks_it() {
        let key = SigningKey::from_bytes(&[9; 32]);
        let public = key.verifying_key().to_bytes();
        let mut rec = sample();
        assert_eq!(verify(&public, &rec), Verdict::Unsigned);
        rec.signature = Some(sign(&key, &rec));
        assert_eq!(verify(&public, &rec), Verdict::Verified);

        // What a database keeps: milliseconds.
        let mut stored = rec.clone();
        stored.captured_at.utc =
            chrono::DateTime::from_timestamp_millis(rec.captured_at.utc.timestamp_millis())
                .unwrap();
        assert_eq!(verify(&public, &stored), Verdict::Verified);

        let mut edited = rec.clone();
        edited.revision = 2;
        edited.caption = "नया कैप्शन".into();
        edited.tags = vec!["rally".into()];
        assert_eq!(verify(&public, &edited), Verdict::Verified);

        let mut moved = rec.clone();
        if let Some(l) = moved.location.as_mut() {
            l.lat += 0.001;
        }
        assert_eq!(verify(&public, &moved), Verdict::Invalid);
        let mut swapped = rec.clone();
        swapped.sha256 = Sha256([8; 32]);
        assert_eq!(verify(&public, &swapped), Verdict::Invalid);
        let other = SigningKey::from_bytes(&[10; 32]).verifying_key().to_bytes();
        assert_eq!(
            verify(&other, &rec),
            Verdict::Invalid,
            "another device's key"
        );
        let mut garbage = rec.clone();
        garbage.signature = Some("not base64!".into());
        assert_eq!(verify(&public, &garbage), Verdict::Invalid);
    }
}
