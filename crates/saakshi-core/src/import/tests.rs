//! The capture transaction under injected failures: whatever step fails, reopening the
//! home finds no record without its blob and no blob without its record.

use std::path::Path;

use rstest::rstest;
use saakshi_domain::CaptureState;

use super::*;
use crate::media::inject;

const FIXTURE: &[u8] = include_bytes!("../../tests/fixtures/gps.jpg");

/// Blobs on disk must be exactly those with records, each hashing to its name, and no
/// temporary file may remain.
fn assert_consistent(home: &Path) -> usize {
    let h = Home::open(home).unwrap();
    let records = h.captures(&Default::default()).unwrap();
    let on_disk = h.blobs().list().unwrap();
    let mut referenced: Vec<_> = records.iter().map(|c| c.record.sha256).collect();
    referenced.sort();
    referenced.dedup();
    assert_eq!(on_disk, referenced, "blobs on disk must match records");
    assert_eq!(h.blobs().temp_files().unwrap(), 0, "no temporary files");
    let report = h.verify().unwrap();
    assert!(
        report.missing.is_empty() && report.corrupt.is_empty(),
        "{report:?}"
    );
    records.len()
}

#[rstest]
#[case(FaultPoint::TempWrite)]
#[case(FaultPoint::Fsync)]
#[case(FaultPoint::Rename)]
#[case(FaultPoint::Insert)]
fn a_failure_at_any_step_leaves_nothing_half_done(#[case] point: FaultPoint) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("photo.jpg");
    std::fs::write(&src, FIXTURE).unwrap();
    let home_dir = dir.path().join("home");
    let (home, _) = Home::create(&home_dir).unwrap();

    let result = {
        let _fault = inject(point);
        home.import_file(&src, &ImportRequest::default(), &mut |_| {})
    };
    assert!(result.is_err(), "{point:?} must fail the import");
    drop(home);
    assert_eq!(assert_consistent(&home_dir), 0, "{point:?} left a record");

    // And the same file imports cleanly afterwards.
    let home = Home::open(&home_dir).unwrap();
    let out = home
        .import_file(&src, &ImportRequest::default(), &mut |_| {})
        .unwrap();
    assert!(matches!(out, ImportOutcome::Stored(_)));
    drop(home);
    assert_eq!(assert_consistent(&home_dir), 1);
}

#[test]
fn leftovers_from_a_crash_are_swept_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let home_dir = dir.path().join("home");
    let (home, _) = Home::create(&home_dir).unwrap();
    // A crash after rename, before insert: a correctly named blob with no record.
    let temp = home
        .blobs()
        .write_temp(&b"orphan bytes"[..], &mut |_| {})
        .unwrap();
    let orphan = home.blobs().commit(temp).unwrap();
    // A crash mid-write: a temporary file.
    std::fs::write(home_dir.join("tmp").join("x.part"), b"half").unwrap();
    // Something else that strayed into media/.
    std::fs::create_dir_all(home_dir.join("media/ab/cd")).unwrap();
    std::fs::write(home_dir.join("media/ab/cd/not-a-hash"), b"?").unwrap();
    drop(home);

    let home = Home::open(&home_dir).unwrap();
    assert!(!home.blobs().contains(&orphan.sha256));
    assert_eq!(home.blobs().temp_files().unwrap(), 0);
    assert!(!home_dir.join("media/ab/cd/not-a-hash").exists());
}

#[test]
fn the_same_bytes_twice_make_one_capture_unless_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("a.jpg");
    std::fs::write(&src, FIXTURE).unwrap();
    let (home, _) = Home::create(&dir.path().join("home")).unwrap();
    let req = ImportRequest::default();
    let first = home.import_file(&src, &req, &mut |_| {}).unwrap();
    let second = home.import_file(&src, &req, &mut |_| {}).unwrap();
    let ImportOutcome::AlreadyCaptured(existing) = second else {
        panic!("the second import must report the existing capture");
    };
    assert_eq!(existing.record.id, first.capture().record.id);
    assert_eq!(home.captures(&Default::default()).unwrap().len(), 1);

    let again = ImportRequest {
        allow_duplicate: true,
        ..Default::default()
    };
    let third = home.import_file(&src, &again, &mut |_| {}).unwrap();
    assert!(matches!(third, ImportOutcome::Stored(_)));
    assert_ne!(third.capture().record.id, first.capture().record.id);
    assert_eq!(home.captures(&Default::default()).unwrap().len(), 2);
    // Still one blob: content addressing.
    assert_eq!(home.blobs().list().unwrap().len(), 1);
    assert_eq!(home.count_in(CaptureState::Captured).unwrap(), 2);
}
