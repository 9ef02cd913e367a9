//! tus request headers as a client may send them: `Upload-Offset` / `Upload-Length` and
//! `Upload-Checksum`. Each parser either refuses the text or returns a value that says
//! exactly what the text said.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use libfuzzer_sys::fuzz_target;
use saakshi_server::tus::headers::{ChecksumAlgorithm, parse_checksum, parse_u64};

fuzz_target!(|data: &[u8]| {
    // A header value reaches the parsers through `HeaderValue::to_str`, so only UTF-8
    // (in fact visible ASCII) text ever gets here.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    // Numbers: digits only, no sign, no spaces; anything else is an error, never a
    // wrapped or truncated value.
    let digits_only = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    match parse_u64("Upload-Offset", text) {
        Ok(n) => {
            assert!(digits_only, "{text:?} accepted as {n}");
            assert_eq!(text.trim_start_matches('0').parse::<u64>().unwrap_or(0), n);
        }
        Err(e) => {
            assert_eq!(e.header, "Upload-Offset");
            // Over 20 digits is refused even with leading zeros (a length guard that no
            // real client meets); anything shorter that fits is a number we must take.
            assert!(
                !digits_only || text.len() > 20 || text.parse::<u64>().is_err(),
                "{text:?} is a valid u64 but was refused"
            );
        }
    }

    // Checksums: an accepted one has the digest length of its algorithm and reads the
    // same when written back in canonical form.
    if let Ok((algo, digest)) = parse_checksum(text) {
        let (name, len) = match algo {
            ChecksumAlgorithm::Sha1 => ("sha1", 20),
            ChecksumAlgorithm::Sha256 => ("sha256", 32),
        };
        assert_eq!(digest.len(), len);
        let canonical = format!("{name} {}", STANDARD.encode(&digest));
        assert_eq!(parse_checksum(&canonical), Ok((algo, digest)));
    }
});
