//! The signed manifest's canonical form. For any record a device could send and the
//! server would accept, the manifest is one version line and one line of compact JSON that
//! says exactly what the record says; it is the same after the record crosses the wire or
//! is stored to the millisecond; edits leave it (and the signature) alone, while a change
//! to a signed field breaks the signature.
#![no_main]

use ed25519_dalek::SigningKey;
use libfuzzer_sys::fuzz_target;
use saakshi_domain::CaptureRecord;
use saakshi_domain::manifest::{MANIFEST_V1, Verdict, manifest_bytes, sign, verify};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(rec) = serde_json::from_slice::<CaptureRecord>(data) else {
        return;
    };
    let key = SigningKey::from_bytes(&[7; 32]);
    let public = key.verifying_key().to_bytes();
    // Whatever the record carries as a signature, checking it never panics.
    let _ = verify(&public, &rec);
    if rec.validate().is_err() {
        return;
    }

    let bytes = manifest_bytes(&rec);
    let text = std::str::from_utf8(&bytes).expect("a manifest is UTF-8");
    let json = text
        .strip_prefix(MANIFEST_V1)
        .and_then(|t| t.strip_prefix('\n'))
        .expect("the version line comes first");
    assert!(!json.contains('\n'), "one line of JSON: {json:?}");
    check_fields(
        &rec,
        &serde_json::from_str(json).expect("the manifest is JSON"),
    );

    // Across the wire: the server reads what the device wrote and gets the same manifest.
    let wire = serde_json::to_vec(&rec).expect("a record serialises");
    let received: CaptureRecord = serde_json::from_slice(&wire).expect("a record reads back");
    assert_eq!(
        received,
        rec,
        "wire round trip of {}",
        String::from_utf8_lossy(&wire)
    );
    assert_eq!(manifest_bytes(&received), bytes);
    received
        .validate()
        .expect("an accepted record still validates");

    // Into a store that keeps milliseconds.
    let mut stored = rec.clone();
    stored.captured_at.utc =
        chrono::DateTime::from_timestamp_millis(rec.captured_at.utc.timestamp_millis())
            .expect("milliseconds of a valid time");
    assert_eq!(manifest_bytes(&stored), bytes);

    let mut signed = rec.clone();
    signed.signature = Some(sign(&key, &rec));
    signed.validate().expect("a signed record validates");
    assert_eq!(verify(&public, &signed), Verdict::Verified);
    let back: CaptureRecord =
        serde_json::from_slice(&serde_json::to_vec(&signed).unwrap()).unwrap();
    assert_eq!(verify(&public, &back), Verdict::Verified, "after the wire");

    let mut edited = signed.clone();
    edited.revision = edited.revision.saturating_add(1);
    edited.caption.push('!');
    edited.tags.clear();
    edited.event = None;
    edited.area_code = None;
    edited.mime = "image/png".into();
    assert_eq!(verify(&public, &edited), Verdict::Verified, "edits keep it");

    let mut tampered = signed.clone();
    tampered.size ^= 1;
    assert_eq!(verify(&public, &tampered), Verdict::Invalid);
    let mut retimed = signed;
    retimed.captured_at.offset_minutes += 1;
    assert_eq!(verify(&public, &retimed), Verdict::Invalid);
});

/// The manifest's JSON holds the signed fields of `rec` and nothing else.
fn check_fields(rec: &CaptureRecord, m: &Value) {
    let obj = m.as_object().expect("an object");
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    let mut expected = [
        "captured_at_ms",
        "id",
        "kind",
        "location",
        "offset_minutes",
        "sha256",
        "size",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(m["id"].as_str(), Some(rec.id.to_string().as_str()));
    assert_eq!(m["sha256"].as_str(), Some(rec.sha256.to_hex().as_str()));
    assert_eq!(m["size"].as_u64(), Some(rec.size));
    assert_eq!(m["kind"].as_str(), Some(rec.kind.as_str()));
    assert_eq!(
        m["captured_at_ms"].as_i64(),
        Some(rec.captured_at.utc.timestamp_millis())
    );
    assert_eq!(
        m["offset_minutes"].as_i64(),
        Some(i64::from(rec.captured_at.offset_minutes))
    );
    match &rec.location {
        None => assert!(m["location"].is_null()),
        Some(l) => {
            let loc = &m["location"];
            assert_eq!(loc["lat"].as_f64(), Some(l.lat));
            assert_eq!(loc["lon"].as_f64(), Some(l.lon));
            assert_eq!(loc["accuracy_m"].as_f64(), l.accuracy_m);
            assert_eq!(loc["altitude_m"].as_f64(), l.altitude_m);
            assert_eq!(
                loc["fix_time_ms"].as_i64(),
                l.fix_time.map(|t| t.timestamp_millis())
            );
        }
    }
}
