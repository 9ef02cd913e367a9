//! What a file is, judged by its first bytes, never by its name.

use saakshi_domain::MediaKind;

/// Bytes read from the start of a file to recognise it.
pub(crate) const HEADER_LEN: usize = 8192;

/// A recognised media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sniffed {
    pub mime: String,
    pub kind: MediaKind,
}

/// Recognises photo, video and audio formats from their magic bytes. `Err` carries a
/// description of what the file seems to be instead, for the error message.
pub(crate) fn sniff(header: &[u8]) -> Result<Sniffed, String> {
    let Some(t) = infer::get(header) else {
        return Err(if looks_like_text(header) {
            "it looks like text".into()
        } else {
            "unrecognised content".into()
        });
    };
    let mime = normalise(t.mime_type());
    match MediaKind::from_mime(&mime) {
        Some(kind) => Ok(Sniffed { mime, kind }),
        None => Err(format!("it looks like {}", t.mime_type())),
    }
}

/// infer reports a few legacy or non-standard names; store the registered ones.
fn normalise(mime: &str) -> String {
    match mime {
        "audio/x-wav" => "audio/wav",
        "audio/m4a" | "audio/x-m4a" => "audio/mp4",
        "audio/x-flac" => "audio/flac",
        "audio/x-aiff" => "audio/aiff",
        other => other,
    }
    .to_string()
}

fn looks_like_text(b: &[u8]) -> bool {
    !b.is_empty() && std::str::from_utf8(b).is_ok_and(|s| !s.contains('\0'))
}

/// The usual file extension for a MIME type (for exports and shared files).
pub fn extension_for(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "image/heif" => "heif",
        "image/avif" => "avif",
        "image/tiff" => "tif",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        "video/webm" => "webm",
        "video/x-matroska" => "mkv",
        "video/3gpp" => "3gp",
        "audio/mpeg" => "mp3",
        "audio/mp4" => "m4a",
        "audio/ogg" => "ogg",
        "audio/opus" => "opus",
        "audio/wav" => "wav",
        "audio/flac" => "flac",
        "audio/amr" => "amr",
        "audio/aac" => "aac",
        _ => "bin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'], "image/jpeg", MediaKind::Photo)]
    #[case(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png", MediaKind::Photo)]
    #[case(b"RIFF\x24\0\0\0WAVEfmt ", "audio/wav", MediaKind::Audio)]
    #[case(b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom", "video/mp4", MediaKind::Video)]
    #[case(b"ID3\x03\0\0\0\0\0\0", "audio/mpeg", MediaKind::Audio)]
    #[case(b"OggS\0\x02\0\0\0\0\0\0\0\0", "audio/ogg", MediaKind::Audio)]
    fn recognises_media(#[case] header: &[u8], #[case] mime: &str, #[case] kind: MediaKind) {
        let s = sniff(header).unwrap();
        assert_eq!((s.mime.as_str(), s.kind), (mime, kind));
    }

    #[test]
    fn refuses_what_is_not_media_whatever_its_name() {
        assert_eq!(
            sniff(b"hello, this is a .jpg").unwrap_err(),
            "it looks like text"
        );
        assert!(
            sniff(b"%PDF-1.7\n")
                .unwrap_err()
                .contains("application/pdf")
        );
        assert!(sniff(&[0x01, 0x02, 0x03, 0xfe]).is_err());
    }
}
