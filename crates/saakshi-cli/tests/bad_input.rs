//! Every kind of bad input gets one clear line on stderr, a non-zero exit, and leaves the
//! store exactly as it was.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Output;

use common::*;

const PHOTO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../saakshi-core/tests/fixtures/gps.jpg"
);

/// A home with one capture in it, so "unchanged" means something.
fn seeded_home(root: &Path) -> std::path::PathBuf {
    let home = root.join("home");
    init(&home);
    let v = run_json(&home, &["capture", PHOTO]);
    assert_eq!(v[0]["outcome"], "stored");
    home
}

/// Runs `args`, and asserts the refusal: exit `code`, one stderr line containing
/// `needle`, nothing on stdout, no change in the store.
fn assert_refused(home: &Path, args: &[&str], code: i32, needle: &str) {
    let before = (files(home), capture_ids(home));
    let out = run(home, args);
    assert_one_error_line(&out, code, needle);
    let after = (files(home), capture_ids(home));
    assert_eq!(before, after, "the store changed after {args:?}");
}

fn assert_one_error_line(out: &Output, code: i32, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one line on stderr, got: {stderr}");
    assert!(lines[0].starts_with("saakshi: error: "), "{stderr}");
    assert!(lines[0].contains(needle), "{needle:?} not in {stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout");
}

#[test]
fn files_that_cannot_be_captured() {
    let d = tempfile::tempdir().unwrap();
    let home = seeded_home(d.path());
    let p = |name: &str| d.path().join(name).display().to_string();

    assert_refused(&home, &["capture", &p("missing.jpg")], 3, "no such file");
    assert_refused(
        &home,
        &["capture", &d.path().display().to_string()],
        3,
        "is a directory",
    );
    fs::write(p("empty.jpg"), b"").unwrap();
    assert_refused(&home, &["capture", &p("empty.jpg")], 3, "is empty");
    fs::write(p("letter.jpg"), "Dear coordinator, this is not a photo.").unwrap();
    assert_refused(
        &home,
        &["capture", &p("letter.jpg")],
        3,
        "not a photo, video or audio",
    );
    fs::write(p("doc.mp4"), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj").unwrap();
    assert_refused(&home, &["capture", &p("doc.mp4")], 3, "application/pdf");
    // One bad file among good ones: nothing at all is stored.
    fake_media(&d.path().join("good.wav"), Fake::Wav, 10_000, 1);
    assert_refused(
        &home,
        &["capture", &p("good.wav"), &p("letter.jpg")],
        3,
        "letter.jpg",
    );
}

#[test]
fn an_unreadable_file() {
    let d = tempfile::tempdir().unwrap();
    fs::set_permissions(d.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let home = seeded_home(d.path());
    let secret = d.path().join("secret.wav");
    fake_media(&secret, Fake::Wav, 5000, 2);
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    let before = (files(&home), capture_ids(&home));
    let mut cmd = saakshi(&home);
    cmd.args(["capture"]).arg(&secret);
    if is_root() {
        // Root reads anything; run as `nobody`, who may use the home but not the file.
        chown_tree(&home, 65534);
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().unwrap();
    assert_one_error_line(&out, 3, "cannot be read");
    if is_root() {
        chown_tree(&home, 0);
    }
    assert_eq!(before, (files(&home), capture_ids(&home)));
}

fn chown_tree(p: &Path, uid: u32) {
    std::os::unix::fs::chown(p, Some(uid), Some(uid)).unwrap();
    if p.is_dir() {
        for e in fs::read_dir(p).unwrap() {
            chown_tree(&e.unwrap().path(), uid);
        }
    }
}

#[test]
fn fields_that_break_the_rules() {
    let d = tempfile::tempdir().unwrap();
    let home = seeded_home(d.path());
    let media = d.path().join("clip.wav");
    fake_media(&media, Fake::Wav, 4096, 3);
    let m = media.display().to_string();
    assert_refused(
        &home,
        &["capture", &m, "--lat", "91", "--lon", "0"],
        3,
        "latitude 91",
    );
    assert_refused(
        &home,
        &["capture", &m, "--lat", "10", "--lon", "-181"],
        3,
        "longitude",
    );
    assert_refused(
        &home,
        &[
            "capture",
            &m,
            "--lat",
            "10",
            "--lon",
            "10",
            "--accuracy",
            "-5",
        ],
        3,
        "accuracy",
    );
    let caption = "क".repeat(100_000 / 3);
    assert_refused(&home, &["capture", &m, "--caption", &caption], 3, "caption");
    let big = "x".repeat(100_000);
    assert_refused(
        &home,
        &["capture", &m, "--caption", &big],
        3,
        "100000 characters",
    );
    assert_refused(&home, &["capture", &m, "--tag", ""], 3, "tag");
    assert_refused(&home, &["list", "--state", "lost"], 3, "unknown state");
    assert_refused(&home, &["show", "ffffffffffff"], 5, "no capture matches");
}

#[test]
fn a_home_that_was_never_initialised() {
    let d = tempfile::tempdir().unwrap();
    let home = d.path().join("nothing-here");
    let out = run(&home, &["list"]);
    assert_one_error_line(&out, 4, "saakshi init");
    assert!(!home.exists(), "a read command must not create the home");
}

#[test]
fn a_read_only_home() {
    let disk = Tmpfs::mount("16m");
    let home = seeded_home(&disk.path);
    let media = disk.path.join("clip.wav");
    fake_media(&media, Fake::Wav, 50_000, 4);
    let before = files(&home);
    disk.make_read_only();
    let out = run(&home, &["capture", &media.display().to_string()]);
    assert_one_error_line(&out, 4, "read-only");
    let out = run(&home, &["init"]);
    assert_one_error_line(&out, 4, "read-only");
    assert_eq!(files(&home), before);
}

#[test]
fn a_full_disk() {
    let disk = Tmpfs::mount("8m");
    let home = seeded_home(&disk.path);
    let media = tempfile::tempdir().unwrap();
    let clip = media.path().join("long.wav");
    fake_media(&clip, Fake::Wav, 3 << 20, 5);
    // Fill the disk, then give back 1 MiB: the 3 MiB clip cannot fit.
    let filler = disk.path.join("filler");
    let mut f = fs::File::create(&filler).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while std::io::Write::write_all(&mut f, &chunk).is_ok() {}
    let len = f.metadata().unwrap().len();
    f.set_len(len - (1 << 20)).unwrap();
    drop(f);

    let before = (files(&home), capture_ids(&home));
    let out = run(&home, &["capture", &clip.display().to_string()]);
    assert_one_error_line(&out, 4, "full");
    assert_eq!(before, (files(&home), capture_ids(&home)));
}

/// gps.jpg says it was taken at 26.85, 80.9462 (Lucknow).
#[test]
fn a_position_that_contradicts_the_photo_is_questioned() {
    let d = tempfile::tempdir().unwrap();
    let home = seeded_home(d.path());
    let copy = d.path().join("rally.jpg");
    // Distinct bytes (a trailing comment after the image), the same EXIF.
    let mut bytes = fs::read(PHOTO).unwrap();
    bytes.extend_from_slice(b"another capture");
    fs::write(&copy, bytes).unwrap();
    let copy = copy.display().to_string();

    // Swapped: the swap is named, with the command that would be right.
    assert_refused(
        &home,
        &["capture", &copy, "--lat", "80.9462", "--lon", "26.85"],
        3,
        "look swapped; did you mean --lat 26.85 --lon 80.9462?",
    );
    // Kanpur typed on a photo from Lucknow: the distance is named, and the way out.
    let out = run(
        &home,
        &["capture", &copy, "--lat", "26.4499", "--lon", "80.3319"],
    );
    assert_one_error_line(&out, 3, "km from the one given");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force-location"));
    // A kilometre away: the same ground, stored with the typed position.
    let v = run_json(
        &home,
        &["capture", &copy, "--lat", "26.859", "--lon", "80.9462"],
    );
    assert_eq!(v[0]["outcome"], "stored");
    assert_eq!(v[0]["capture"]["location"]["lat"], 26.859);
}

#[test]
fn force_location_stores_a_questioned_position() {
    let d = tempfile::tempdir().unwrap();
    let home = d.path().join("home");
    init(&home);
    let v = run_json(
        &home,
        &[
            "capture",
            PHOTO,
            "--lat",
            "26.4499",
            "--lon",
            "80.3319",
            "--force-location",
        ],
    );
    assert_eq!(v[0]["outcome"], "stored");
    assert_eq!(v[0]["capture"]["location"]["lat"], 26.4499);
    assert_eq!(v[0]["capture"]["location"]["source"], "manual");
}

#[test]
fn swapped_coordinates_are_questioned_for_media_without_a_position() {
    let d = tempfile::tempdir().unwrap();
    let home = seeded_home(d.path());
    let wav = d.path().join("speech.wav");
    fake_media(&wav, Fake::Wav, 10_000, 7);
    let wav = wav.display().to_string();
    assert_refused(
        &home,
        &["capture", &wav, "--lat", "80.9", "--lon", "26.8"],
        3,
        "did you mean --lat 26.8 --lon 80.9?",
    );
    let v = run_json(&home, &["capture", &wav, "--lat", "26.8", "--lon", "80.9"]);
    assert_eq!(v[0]["outcome"], "stored");
}

#[test]
fn a_batch_names_every_file_it_refused() {
    let d = tempfile::tempdir().unwrap();
    let home = seeded_home(d.path());
    let p = |name: &str| d.path().join(name).display().to_string();
    fake_media(&d.path().join("good.wav"), Fake::Wav, 10_000, 1);
    fs::write(p("letter.jpg"), "Dear coordinator, this is not a photo.").unwrap();
    let before = (files(&home), capture_ids(&home));
    let out = run(
        &home,
        &[
            "capture",
            &p("missing.jpg"),
            &p("good.wav"),
            &p("letter.jpg"),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.starts_with("saakshi: error: 2 of 3 files refused; nothing was stored:"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("\n  {}: no such file", p("missing.jpg"))),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "\n  {}: is not a photo, video or audio file",
            p("letter.jpg")
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("good.wav"), "{stderr}");
    assert_eq!(before, (files(&home), capture_ids(&home)));
}

#[test]
fn verify_of_a_missing_path_says_so_once() {
    let d = tempfile::tempdir().unwrap();
    let home = seeded_home(d.path());
    let missing = d.path().join("no-export-here").display().to_string();
    let out = run(&home, &["verify", &missing]);
    assert_one_error_line(&out, 3, "no-export-here: no such file");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("os error"), "{stderr}");
}

#[test]
fn an_id_that_fits_two_captures_is_not_found_not_refused() {
    let d = tempfile::tempdir().unwrap();
    let home = seeded_home(d.path());
    let wav = d.path().join("b.wav");
    fake_media(&wav, Fake::Wav, 10_000, 3);
    run_json(&home, &["capture", &wav.display().to_string()]);
    let ids = capture_ids(&home);
    assert_eq!(ids.len(), 2);
    // Ids start with their creation time: two made a moment apart share a start.
    let common = ids[0]
        .chars()
        .zip(ids[1].chars())
        .take_while(|(a, b)| a == b)
        .count();
    assert!(common >= 4, "{ids:?}");
    assert_refused(
        &home,
        &["show", &ids[0][..4]],
        5,
        "matches more than one capture",
    );
}

#[test]
fn counts_of_one_read_as_one() {
    let d = tempfile::tempdir().unwrap();
    let home = seeded_home(d.path());
    let out = run(
        &home,
        &["export", &d.path().join("out").display().to_string()],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("Exported 1 capture ("), "{stdout}");
    let out = run(
        &home,
        &["verify", &d.path().join("out").display().to_string()],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 of 1 capture proven"), "{stdout}");
}
