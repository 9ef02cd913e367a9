//! The sample media are what the device expects from a phone: recognised by content,
//! EXIF GPS and time read back exactly as written.

use saakshi_core::{Home, ImportRequest};
use saakshi_domain::{LocationSource, MediaKind};

#[test]
fn samples_import_with_their_exif() {
    let d = tempfile::tempdir().unwrap();
    let files = saakshi_tests::samples::write_all(&d.path().join("samples")).unwrap();
    let (home, _) = Home::create(&d.path().join("home")).unwrap();
    for f in &files {
        home.import_file(f, &ImportRequest::default(), &mut |_| {})
            .unwrap();
    }
    let all = home.captures(&Default::default()).unwrap();
    assert_eq!(all.len(), files.len());
    for p in saakshi_tests::samples::PLACES {
        let c = all
            .iter()
            .find(|c| c.record.original_name.as_deref() == Some(&format!("{}.jpg", p.name)))
            .unwrap();
        let loc = c.record.location.as_ref().expect("EXIF GPS");
        assert_eq!(loc.source, LocationSource::Exif);
        assert!((loc.lat - p.lat).abs() < 1e-5 && (loc.lon - p.lon).abs() < 1e-5);
        assert_eq!(c.record.captured_at.offset_minutes, 330);
        assert_eq!(
            c.record
                .captured_at
                .local()
                .format("%Y:%m:%d %H:%M:%S")
                .to_string(),
            p.taken
        );
        assert!(home.thumbnail(&c.record.sha256).unwrap().is_some());
    }
    let audio = all
        .iter()
        .filter(|c| c.record.kind == MediaKind::Audio)
        .count();
    assert_eq!(audio, 2);
}
