//! The body of `POST /api/v1/sync/captures` as any device may send it: reading it never
//! panics, and every record the server would accept (it passes `CaptureRecord::validate`)
//! survives being written back and read again unchanged, validates again, and gives the
//! helpers the server and dashboard call on it (local time, manifest) a value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saakshi_domain::manifest::manifest_bytes;
use saakshi_domain::wire::PushRequest;

fuzz_target!(|data: &[u8]| {
    let Ok(req) = serde_json::from_slice::<PushRequest>(data) else {
        return;
    };
    let again: PushRequest =
        serde_json::from_slice(&serde_json::to_vec(&req).expect("a push serialises"))
            .expect("a serialised push reads back");
    assert_eq!(again.clock_skew_ms, req.clock_skew_ms);
    assert_eq!(again.captures.len(), req.captures.len());

    for (rec, back) in req.captures.iter().zip(&again.captures) {
        // Validation is a pure function of the record: same answer twice.
        let verdict = rec.validate();
        assert_eq!(back.validate().is_ok(), verdict.is_ok(), "{rec:?}");
        if verdict.is_err() {
            continue;
        }
        assert_eq!(back, rec, "an accepted record changed on the wire");
        assert_eq!(manifest_bytes(back), manifest_bytes(rec));
        let local = rec.captured_at.local();
        assert_eq!(
            local.timestamp_millis(),
            rec.captured_at.utc.timestamp_millis()
        );
        let _ = local.to_rfc3339();
        if let Some(l) = &rec.location {
            assert!(l.lat.is_finite() && l.lon.is_finite());
        }
    }
});
