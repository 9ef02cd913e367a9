//! Capture import through the public API, on real files in a real home folder.

use std::path::{Path, PathBuf};

use chrono::{FixedOffset, TimeZone};
use saakshi_core::{CoreError, ErrorClass, Home, ImportOutcome, ImportRequest, InputProblem};
use saakshi_domain::{CaptureState, Location, LocationSource, MediaKind};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn home() -> (tempfile::TempDir, Home) {
    let dir = tempfile::tempdir().unwrap();
    let (home, created) = Home::create(&dir.path().join("home")).unwrap();
    assert!(created);
    (dir, home)
}

fn import(home: &Home, path: &Path, req: &ImportRequest) -> saakshi_core::Result<ImportOutcome> {
    home.import_file(path, req, &mut |_| {})
}

#[test]
fn exif_gps_and_time_are_read_from_a_real_jpeg() {
    let (_d, home) = home();
    let out = import(&home, &fixture("gps.jpg"), &ImportRequest::default()).unwrap();
    let rec = &out.capture().record;
    assert_eq!(rec.kind, MediaKind::Photo);
    assert_eq!(rec.mime, "image/jpeg");
    assert_eq!(rec.original_name.as_deref(), Some("gps.jpg"));
    let loc = rec
        .location
        .as_ref()
        .expect("EXIF GPS must give a location");
    assert_eq!(loc.source, LocationSource::Exif);
    assert!((loc.lat - 26.85).abs() < 1e-5, "lat {}", loc.lat);
    assert!((loc.lon - 80.9462).abs() < 1e-5, "lon {}", loc.lon);
    assert!((loc.altitude_m.unwrap() - 123.4).abs() < 1e-6);
    assert!((loc.accuracy_m.unwrap() - 8.5).abs() < 1e-6);
    assert_eq!(
        loc.fix_time.unwrap().to_rfc3339(),
        "2026-11-20T05:29:58+00:00"
    );
    // DateTimeOriginal 11:00 at +05:30 is 05:30 UTC.
    let ist = FixedOffset::east_opt(19_800).unwrap();
    assert_eq!(
        rec.captured_at.local(),
        ist.with_ymd_and_hms(2026, 11, 20, 11, 0, 0).unwrap()
    );
    // A thumbnail was made, within limits.
    let t = home.thumbnail(&rec.sha256).unwrap().expect("thumbnail");
    assert_eq!((t.width, t.height), (320, 240));
    assert!(t.jpeg.len() <= 64 * 1024);
}

#[test]
fn southern_and_western_hemispheres_and_rotation() {
    let (_d, home) = home();
    let out = import(
        &home,
        &fixture("gps_south_west_rotated.jpg"),
        &ImportRequest::default(),
    )
    .unwrap();
    let rec = &out.capture().record;
    let loc = rec.location.as_ref().unwrap();
    assert!((loc.lat + 22.9068).abs() < 1e-5, "lat {}", loc.lat);
    assert!((loc.lon + 43.1729).abs() < 1e-5, "lon {}", loc.lon);
    assert_eq!(loc.fix_time, None);
    let t = home.thumbnail(&rec.sha256).unwrap().unwrap();
    assert!(t.height > t.width, "orientation 6 makes it portrait");
}

#[test]
fn a_location_given_by_the_user_wins_over_exif() {
    let (_d, home) = home();
    let req = ImportRequest {
        location: Some(Location {
            lat: 25.0,
            lon: 82.0,
            accuracy_m: Some(30.0),
            altitude_m: None,
            source: LocationSource::Manual,
            fix_time: None,
        }),
        caption: "सभा".into(),
        tags: vec!["rally".into(), "booth-104".into()],
        event: Some("Varanasi sabha".into()),
        allow_duplicate: false,
    };
    let out = import(&home, &fixture("gps.jpg"), &req).unwrap();
    let rec = &out.capture().record;
    assert_eq!(rec.location, req.location);
    assert_eq!(rec.caption, "सभा");
    assert_eq!(rec.tags, req.tags);
    assert_eq!(out.capture().state, CaptureState::Captured);
}

#[test]
fn a_photo_without_exif_has_no_location_and_says_so() {
    let (_d, home) = home();
    let out = import(&home, &fixture("plain.jpg"), &ImportRequest::default()).unwrap();
    assert_eq!(out.capture().record.location, None);
}

#[test]
fn video_and_audio_are_recognised_by_content_not_name() {
    let (d, home) = home();
    // A WAV named .jpg, and an MP4 header named .txt.
    let wav = d.path().join("clip.jpg");
    let mut bytes = b"RIFF\x24\0\0\0WAVEfmt ".to_vec();
    bytes.extend(std::iter::repeat_n(7u8, 5000));
    std::fs::write(&wav, &bytes).unwrap();
    let mp4 = d.path().join("movie.txt");
    let mut bytes = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    bytes.extend(std::iter::repeat_n(9u8, 5000));
    std::fs::write(&mp4, &bytes).unwrap();

    let a = import(&home, &wav, &ImportRequest::default()).unwrap();
    assert_eq!(a.capture().record.kind, MediaKind::Audio);
    assert_eq!(a.capture().record.mime, "audio/wav");
    let v = import(&home, &mp4, &ImportRequest::default()).unwrap();
    assert_eq!(v.capture().record.kind, MediaKind::Video);
    assert!(
        home.thumbnail(&v.capture().record.sha256)
            .unwrap()
            .is_none()
    );
}

fn assert_refused(home: &Home, path: &Path, req: &ImportRequest) -> CoreError {
    let before = home.status().unwrap();
    let blobs = home.blobs().list().unwrap();
    let err = import(home, path, req).unwrap_err();
    assert_eq!(err.class(), ErrorClass::Input, "{err}");
    let after = home.status().unwrap();
    assert_eq!(after.pending_count, before.pending_count);
    assert_eq!(home.blobs().list().unwrap(), blobs);
    assert_eq!(home.blobs().temp_files().unwrap(), 0);
    err
}

#[test]
fn bad_input_changes_nothing() {
    let (d, home) = home();
    let ok = ImportRequest::default();
    let missing = d.path().join("nope.jpg");
    assert!(matches!(
        assert_refused(&home, &missing, &ok),
        CoreError::Input {
            problem: InputProblem::Missing,
            ..
        }
    ));
    assert!(matches!(
        assert_refused(&home, d.path(), &ok),
        CoreError::Input {
            problem: InputProblem::Directory,
            ..
        }
    ));
    let empty = d.path().join("empty.jpg");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        assert_refused(&home, &empty, &ok),
        CoreError::Input {
            problem: InputProblem::Empty,
            ..
        }
    ));
    let text = d.path().join("notes.jpg");
    std::fs::write(&text, "not a photo at all").unwrap();
    let e = assert_refused(&home, &text, &ok);
    assert!(
        e.to_string().contains("not a photo, video or audio file"),
        "{e}"
    );

    let photo = fixture("gps.jpg");
    let lat91 = ImportRequest {
        location: Some(Location {
            lat: 91.0,
            lon: 0.0,
            accuracy_m: None,
            altitude_m: None,
            source: LocationSource::Manual,
            fix_time: None,
        }),
        ..Default::default()
    };
    assert!(
        assert_refused(&home, &photo, &lat91)
            .to_string()
            .contains("latitude 91")
    );
    let long_caption = ImportRequest {
        caption: "x".repeat(100_000),
        ..Default::default()
    };
    assert!(
        assert_refused(&home, &photo, &long_caption)
            .to_string()
            .starts_with("caption")
    );
    assert_eq!(home.captures(&Default::default()).unwrap().len(), 0);
}

#[test]
fn a_newer_store_is_refused_with_words() {
    let (d, home) = home();
    drop(home);
    // A future Saakshi has applied migration 42 to this store.
    let db = rusqlite::Connection::open(d.path().join("home/saakshi.db")).unwrap();
    db.execute(
        "INSERT INTO saakshi_migrations VALUES (42, '0042_future', 'x', 0)",
        [],
    )
    .unwrap();
    drop(db);
    let err = Home::open(&d.path().join("home")).unwrap_err();
    assert!(
        matches!(err, CoreError::SchemaTooNew { found: 42, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer Saakshi"));
    assert_eq!(err.class(), ErrorClass::Home);
}
