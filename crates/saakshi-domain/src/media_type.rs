//! Which media types Saakshi keeps, per kind, and what a file is, judged by its first
//! bytes, never by its name or by what a sender declares.
//!
//! One definition for device and server: the device sniffs a file before it imports it,
//! [`crate::CaptureRecord::validate`] holds a record's declared type to the allowlist,
//! and the server sniffs every completed upload with the same [`sniff`] and serves the
//! bytes only under the type it found. Nothing that a browser could run (HTML, SVG, XML,
//! script) is on the list: media must never become active content in the dashboard.

use crate::capture::MediaKind;

/// Bytes read from the start of a file to recognise it.
pub const HEADER_LEN: usize = 8192;

/// Still images: what cameras, phones (HEIC/AVIF) and messaging apps write. Raster
/// formats only; SVG is never allowed (it carries script).
pub const PHOTO: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "image/heif",
    "image/heic",
    "image/avif",
    "image/tiff",
];

/// Video clips: phones (MP4, QuickTime, 3GP on older ones), the WebView's MediaRecorder
/// (WebM, MP4) and files forwarded from elsewhere (Matroska, M4V).
pub const VIDEO: &[&str] = &[
    "video/mp4",
    "video/webm",
    "video/quicktime",
    "video/3gpp",
    "video/3gpp2",
    "video/x-matroska",
    "video/x-m4v",
    "video/mpeg",
    "video/x-msvideo",
];

/// Audio clips: MediaRecorder (WebM/Opus, MP4/AAC, Ogg/Opus), phone voice recorders
/// (AMR, 3GP, M4A), and common files (MP3, WAV, FLAC).
pub const AUDIO: &[&str] = &[
    "audio/mpeg",
    "audio/mp4",
    "audio/aac",
    "audio/ogg",
    "audio/opus",
    "audio/webm",
    "audio/wav",
    "audio/amr",
    "audio/3gpp",
    "audio/flac",
    "audio/aiff",
];

/// The MIME types a capture of `kind` may have. Notes carry no media type yet: no client
/// makes them, and text is exactly what must not be trusted to stay inert.
pub fn allowed(kind: MediaKind) -> &'static [&'static str] {
    match kind {
        MediaKind::Photo => PHOTO,
        MediaKind::Video => VIDEO,
        MediaKind::Audio => AUDIO,
        MediaKind::Note => &[],
    }
}

/// The type without parameters, lowercased: `Audio/WebM; codecs=opus` → `audio/webm`.
pub fn essence(mime: &str) -> String {
    mime.split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The kind an allowlisted MIME type belongs to; `None` for anything not on the list.
pub fn kind_of(mime: &str) -> Option<MediaKind> {
    let m = essence(mime);
    [MediaKind::Photo, MediaKind::Video, MediaKind::Audio]
        .into_iter()
        .find(|k| allowed(*k).contains(&m.as_str()))
}

/// A recognised media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sniffed {
    /// The registered MIME type, always on the allowlist.
    pub mime: String,
    /// The kind it belongs to.
    pub kind: MediaKind,
}

/// Bytes that are not media Saakshi keeps; says what they seem to be instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotMedia(pub String);

/// Recognises the photo, video and audio formats of the allowlist from the first bytes of
/// a file (up to [`HEADER_LEN`]). Only the magic at the start counts: a file that starts
/// as HTML is refused whatever follows, and one that starts as a JPEG is a JPEG (it is
/// served as one, with `nosniff`, whatever it hides further on).
pub fn sniff(header: &[u8]) -> Result<Sniffed, NotMedia> {
    // AMR (phone voice recorders) starts with `#!AMR`, which infer takes for a script.
    if header.starts_with(b"#!AMR\n") || header.starts_with(b"#!AMR-WB\n") {
        return Ok(Sniffed {
            mime: "audio/amr".into(),
            kind: MediaKind::Audio,
        });
    }
    let Some(t) = infer::get(header) else {
        return Err(NotMedia(if looks_like_text(header) {
            "it looks like text".into()
        } else {
            "unrecognised content".into()
        }));
    };
    let mime = audio_only(normalise(t.mime_type()), header);
    match kind_of(&mime) {
        Some(kind) => Ok(Sniffed { mime, kind }),
        None => Err(NotMedia(format!(
            "it looks like {}, which is not a photo, video or audio type Saakshi keeps",
            t.mime_type()
        ))),
    }
}

/// infer reports a few legacy or non-standard names; keep the registered ones.
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

/// The usual file extension for a MIME type (for exports and shared files); `bin` for
/// anything off the allowlist, so that no name ever invites a program to run it.
pub fn extension_for(mime: &str) -> &'static str {
    match essence(mime).as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "image/heif" => "heif",
        "image/heic" => "heic",
        "image/avif" => "avif",
        "image/tiff" => "tif",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        "video/webm" | "audio/webm" => "webm",
        "video/x-matroska" => "mkv",
        "video/3gpp" | "audio/3gpp" => "3gp",
        "video/3gpp2" => "3g2",
        "video/x-m4v" => "m4v",
        "video/mpeg" => "mpg",
        "video/x-msvideo" => "avi",
        "audio/mpeg" => "mp3",
        "audio/mp4" => "m4a",
        "audio/ogg" => "ogg",
        "audio/opus" => "opus",
        "audio/wav" => "wav",
        "audio/flac" => "flac",
        "audio/amr" => "amr",
        "audio/aac" => "aac",
        "audio/aiff" => "aiff",
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
    #[case(b"GIF89a\x01\0\x01\0\0\0\0", "image/gif", MediaKind::Photo)]
    #[case(b"RIFF\x24\0\0\0WEBPVP8 ", "image/webp", MediaKind::Photo)]
    #[case(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", "image/heif", MediaKind::Photo)]
    #[case(b"RIFF\x24\0\0\0WAVEfmt ", "audio/wav", MediaKind::Audio)]
    #[case(b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom", "video/mp4", MediaKind::Video)]
    #[case(b"\0\0\0\x14ftypqt  \0\0\0\0qt  ", "video/quicktime", MediaKind::Video)]
    #[case(b"ID3\x03\0\0\0\0\0\0", "audio/mpeg", MediaKind::Audio)]
    #[case(b"OggS\0\x02\0\0\0\0\0\0\0\0", "audio/ogg", MediaKind::Audio)]
    #[case(b"#!AMR\n\x3c\x91", "audio/amr", MediaKind::Audio)]
    #[case(b"#!AMR-WB\n\x04", "audio/amr", MediaKind::Audio)]
    fn recognises_media(#[case] header: &[u8], #[case] mime: &str, #[case] kind: MediaKind) {
        let s = sniff(header).unwrap();
        assert_eq!((s.mime.as_str(), s.kind), (mime, kind));
        assert_eq!(kind_of(mime), Some(kind), "{mime} is on its kind's list");
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

    /// What a device pushed to run script in the dashboard, and its relatives: none of
    /// them is media, whatever name or type came with it.
    #[rstest]
    #[case::html(b"<!DOCTYPE html><html><script>fetch('/api/v1/admin/users')</script>")]
    #[case::html_after_blanks(b"\n\n  <script>alert(1)</script>")]
    #[case::html_comment_first(b"<!-- photo --><img src=x onerror=alert(1)>")]
    #[case::svg(b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")]
    #[case::svg_with_prolog(b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")]
    #[case::script(b"#!/bin/sh\nrm -rf /\n")]
    #[case::javascript(b"fetch('/api/v1/admin/users',{method:'POST'})")]
    #[case::pdf(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")]
    #[case::html_then_jpeg(b"<html><script>alert(1)</script></html>\xFF\xD8\xFF\xE0\0\x10JFIF")]
    #[case::bmp_off_the_list(b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0")]
    #[case::empty(b"")]
    fn refuses_what_is_not_media(#[case] header: &[u8]) {
        let err = sniff(header).unwrap_err();
        assert!(!err.0.is_empty());
    }

    #[test]
    fn refusals_say_what_the_bytes_seem_to_be() {
        assert_eq!(
            sniff(b"hello, this is a .jpg").unwrap_err().0,
            "it looks like text"
        );
        assert!(
            sniff(b"%PDF-1.7\n")
                .unwrap_err()
                .0
                .contains("application/pdf")
        );
        assert!(
            sniff(b"<html><body>x</body></html>")
                .unwrap_err()
                .0
                .contains("text/html")
        );
        assert_eq!(
            sniff(&[0x01, 0x02, 0x03, 0xfe]).unwrap_err().0,
            "unrecognised content"
        );
    }

    /// A JPEG with HTML further on is still a JPEG: the sniff looks at the magic only,
    /// and the server serves it as `image/jpeg` with `nosniff`.
    #[test]
    fn a_polyglot_is_what_its_magic_says() {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
        b.extend_from_slice(b"<html><script>alert(document.cookie)</script></html>");
        assert_eq!(sniff(&b).unwrap().mime, "image/jpeg");
    }

    #[test]
    fn the_allowlist_holds_no_active_content() {
        for kind in [MediaKind::Photo, MediaKind::Video, MediaKind::Audio] {
            for m in allowed(kind) {
                assert!(!m.contains("svg") && !m.contains("xml") && !m.contains("html"));
                assert_eq!(kind_of(m), Some(kind));
                assert_ne!(extension_for(m), "bin", "{m} has a file extension");
            }
        }
        for m in [
            "image/svg+xml",
            "text/html",
            "application/xhtml+xml",
            "text/xml",
            "application/javascript",
            "text/plain",
            "application/octet-stream",
            "image/svg",
            "",
        ] {
            assert_eq!(kind_of(m), None, "{m} is refused");
            assert_eq!(extension_for(m), "bin");
        }
        assert!(allowed(MediaKind::Note).is_empty());
    }

    #[test]
    fn essence_drops_parameters_and_case() {
        assert_eq!(essence("Audio/WebM; codecs=opus"), "audio/webm");
        assert_eq!(kind_of("audio/webm;codecs=opus"), Some(MediaKind::Audio));
        assert_eq!(kind_of("IMAGE/JPEG"), Some(MediaKind::Photo));
    }
}
