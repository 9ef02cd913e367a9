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
    let mime = audio_only(normalise(t.mime_type()), header);
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

/// A WebView's MediaRecorder writes sound-only recordings as WebM or MP4, which infer
/// names `video/…`: their track list (written first) has an audio track and no video
/// track, so they are audio.
fn audio_only(mime: String, header: &[u8]) -> String {
    let has = |needle: &[u8]| header.windows(needle.len()).any(|w| w == needle);
    match mime.as_str() {
        // Matroska CodecID element (0x86, size) followed by "A_…" or "V_…".
        "video/webm" | "video/x-matroska"
            if (has(b"A_OPUS") || has(b"A_VORBIS"))
                && !has(b"V_VP")
                && !has(b"V_AV1")
                && !has(b"V_MPEG") =>
        {
            "audio/webm".into()
        }
        // MP4 handler boxes: `hdlr` … `soun` for sound, `vide` for video.
        "video/mp4" if has(b"moov") && has(b"soun") && !has(b"vide") => "audio/mp4".into(),
        _ => mime,
    }
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
        "video/webm" | "audio/webm" => "webm",
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

    /// The start of a WebM as MediaRecorder writes it: EBML header with its DocType,
    /// then the track list's codec ids (CodecID element 0x86, one-byte size).
    fn webm(codecs: &[&str]) -> Vec<u8> {
        let mut b = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm".to_vec();
        b.extend_from_slice(b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff\x16\x54\xae\x6b");
        for c in codecs {
            b.extend_from_slice(&[0x86, 0x80 | c.len() as u8]);
            b.extend_from_slice(c.as_bytes());
        }
        b.resize(512, 0);
        b
    }

    #[test]
    fn sound_only_webm_and_mp4_are_audio() {
        let audio = sniff(&webm(&["A_OPUS"])).unwrap();
        assert_eq!(
            (audio.mime.as_str(), audio.kind),
            ("audio/webm", MediaKind::Audio)
        );
        let video = sniff(&webm(&["V_VP8", "A_OPUS"])).unwrap();
        assert_eq!(
            (video.mime.as_str(), video.kind),
            ("video/webm", MediaKind::Video)
        );
        let silent_video = sniff(&webm(&["V_VP9"])).unwrap();
        assert_eq!(silent_video.kind, MediaKind::Video);

        let mp4 = |handlers: &[&[u8; 4]]| {
            let mut b = b"\0\0\0\x18ftypisom\0\0\0\0isommp41\0\0\0\x08moov".to_vec();
            for h in handlers {
                b.extend_from_slice(b"\0\0\0\x21hdlr\0\0\0\0\0\0\0\0");
                b.extend_from_slice(*h);
            }
            b
        };
        let audio = sniff(&mp4(&[b"soun"])).unwrap();
        assert_eq!(
            (audio.mime.as_str(), audio.kind),
            ("audio/mp4", MediaKind::Audio)
        );
        assert_eq!(
            sniff(&mp4(&[b"vide", b"soun"])).unwrap().kind,
            MediaKind::Video
        );
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
