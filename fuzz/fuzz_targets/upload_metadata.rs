//! `Upload-Metadata`: what a parsed header holds is what an encoder writes back, the keys
//! are ones the spec allows, and the two values the server acts on (`sha256`,
//! `capture_id`) parse to one canonical form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saakshi_domain::{CaptureId, Sha256};
use saakshi_server::tus::headers::{MAX_METADATA_LEN, encode_metadata, parse_metadata};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(meta) = parse_metadata(text) else {
        return;
    };
    assert!(
        text.len() <= MAX_METADATA_LEN,
        "an over-long header was accepted"
    );
    for key in meta.keys() {
        assert!(!key.is_empty(), "empty key from {text:?}");
        assert!(
            key.bytes().all(|b| b.is_ascii_graphic() && b != b','),
            "key {key:?} from {text:?}"
        );
    }
    // Round trip: encoding what was parsed and parsing it again changes nothing.
    let encoded = encode_metadata(&meta);
    assert_eq!(parse_metadata(&encoded).as_ref(), Ok(&meta), "{encoded:?}");
    assert_eq!(encode_metadata(&parse_metadata(&encoded).unwrap()), encoded);

    // The values the upload handler parses: accepted ones print canonically and read back
    // as the same value, so the stored form never depends on the client's spelling.
    if let Some(Ok(v)) = meta.get("sha256").map(|v| std::str::from_utf8(v)) {
        if let Ok(h) = v.parse::<Sha256>() {
            let printed = h.to_string();
            assert_eq!(printed, v.to_ascii_lowercase());
            assert_eq!(printed.parse::<Sha256>(), Ok(h));
        }
    }
    if let Some(Ok(v)) = meta.get("capture_id").map(|v| std::str::from_utf8(v)) {
        if let Ok(id) = v.parse::<CaptureId>() {
            assert_eq!(id.to_string().parse::<CaptureId>().ok(), Some(id));
        }
    }
});
