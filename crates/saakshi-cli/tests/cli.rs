//! The `saakshi` command lines of DESIGN.md, end to end on a real home folder.

mod common;

use std::fs;

use common::*;
use sha2::Digest;

const PHOTO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../saakshi-core/tests/fixtures/gps.jpg"
);

#[test]
fn init_capture_list_show_status_export() {
    let d = tempfile::tempdir().unwrap();
    let home = d.path().join("home");
    let v = run_json(&home, &["init"]);
    assert_eq!(v["created"], true);
    let v = run_json(&home, &["init"]);
    assert_eq!(v["created"], false, "init is safe to run again");

    let clip = d.path().join("speech.wav");
    let clip_sha = fake_media(&clip, Fake::Wav, 200_000, 9);
    let v = run_json(
        &home,
        &[
            "capture",
            PHOTO,
            clip.to_str().unwrap(),
            "--lat",
            "28.6139",
            "--lon",
            "77.2090",
            "--accuracy",
            "12",
            "--caption",
            "रैली में भाषण",
            "--tag",
            "rally",
            "--tag",
            "speech",
            "--event",
            "Ramlila Maidan",
            // The photo's EXIF says Lucknow; the typed position wins when confirmed.
            "--force-location",
        ],
    );
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 2);
    for item in items {
        assert_eq!(item["outcome"], "stored");
        let c = &item["capture"];
        assert_eq!(c["state"], "captured");
        assert_eq!(c["location"]["source"], "manual");
        assert_eq!(c["location"]["lat"], 28.6139);
        assert_eq!(c["location"]["accuracy_m"], 12.0);
        assert_eq!(c["caption"], "रैली में भाषण");
        assert_eq!(c["tags"], serde_json::json!(["rally", "speech"]));
        assert_eq!(c["event"], "Ramlila Maidan");
    }
    assert_eq!(items[0]["capture"]["kind"], "photo");
    assert_eq!(items[1]["capture"]["kind"], "audio");
    assert_eq!(items[1]["capture"]["sha256"], hex(&clip_sha));
    let photo_id = items[0]["capture"]["id"].as_str().unwrap().to_string();

    // The same photo again: reported, not duplicated.
    let v = run_json(&home, &["capture", PHOTO]);
    assert_eq!(v[0]["outcome"], "already_captured");
    assert_eq!(v[0]["capture"]["id"], photo_id.as_str());
    let v = run_json(&home, &["capture", PHOTO, "--allow-duplicate"]);
    assert_eq!(v[0]["outcome"], "stored");
    assert_ne!(v[0]["capture"]["id"], photo_id.as_str());

    let list = run_json(&home, &["list"]);
    assert_eq!(list.as_array().unwrap().len(), 3);
    let audio = run_json(&home, &["list", "--kind", "audio"]);
    assert_eq!(audio.as_array().unwrap().len(), 1);
    assert_eq!(
        run_json(&home, &["list", "--state", "synced"]),
        serde_json::json!([])
    );

    // Show by the short id that `list` prints (the id's tail).
    let text = run(&home, &["list"]);
    let stdout = String::from_utf8(text.stdout).unwrap();
    assert!(
        stdout.contains(&photo_id[photo_id.len() - 12..]),
        "{stdout}"
    );
    let shown = run_json(&home, &["show", &photo_id[photo_id.len() - 12..]]);
    assert_eq!(shown["id"], photo_id.as_str());
    assert_eq!(shown["thumbnail"]["width"], 320);
    let media = shown["media_path"].as_str().unwrap();
    assert_eq!(
        hex(&sha2::Sha256::digest(fs::read(media).unwrap()).into()),
        shown["sha256"].as_str().unwrap()
    );

    let status = run_json(&home, &["status"]);
    assert_eq!(status["pending_count"], 3);
    let photo_len = fs::metadata(PHOTO).unwrap().len();
    assert_eq!(status["pending_bytes"], 2 * photo_len + 200_000);
    // Content addressing: the duplicate photo costs no extra media bytes.
    assert_eq!(status["media_bytes"], photo_len + 200_000);
    let captured = &status["states"][0];
    assert_eq!(
        (captured["state"].as_str(), captured["count"].as_u64()),
        (Some("captured"), Some(3))
    );

    // Export: media plus one manifest per capture, bytes identical.
    let out = d.path().join("export");
    let v = run_json(&home, &["export", out.to_str().unwrap()]);
    assert_eq!(v["captures"], 3);
    let mut manifests = 0;
    for e in fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            manifests += 1;
            let m: serde_json::Value = serde_json::from_slice(&fs::read(&p).unwrap()).unwrap();
            assert_eq!(m["format"], "saakshi.capture.v1");
            let media = fs::read(out.join(m["media_file"].as_str().unwrap())).unwrap();
            assert_eq!(
                hex(&sha2::Sha256::digest(&media).into()),
                m["capture"]["sha256"].as_str().unwrap()
            );
            assert_eq!(media.len() as u64, m["capture"]["size"].as_u64().unwrap());
        }
    }
    assert_eq!(manifests, 3);
}

#[test]
fn human_output_and_help_list_exit_codes() {
    let d = tempfile::tempdir().unwrap();
    let home = d.path().join("home");
    init(&home);
    let out = run(&home, &["capture", PHOTO]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("stored"), "{stdout}");
    assert!(stdout.contains("26.85000,80.94620 (exif)"), "{stdout}");
    let status = String::from_utf8(run(&home, &["status"]).stdout).unwrap();
    assert!(status.contains("pending        1"), "{status}");
    let help = String::from_utf8(run(&home, &["--help"]).stdout).unwrap();
    assert!(
        help.contains("Exit codes:") && help.contains("4  home folder problem"),
        "{help}"
    );
}

#[test]
fn saakshi_home_variable_stands_for_the_flag() {
    let d = tempfile::tempdir().unwrap();
    let home = d.path().join("via-env");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_saakshi"))
        .arg("init")
        .env("SAAKSHI_HOME", &home)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(home.join("saakshi.db").is_file());
}

fn hex(b: &[u8; 32]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn verify_proves_an_export_and_names_what_was_tampered_with() {
    let d = tempfile::tempdir().unwrap();
    let home = d.path().join("home");
    init(&home);
    let clip = d.path().join("speech.wav");
    fake_media(&clip, Fake::Wav, 100_000, 3);
    let out = run(
        &home,
        &[
            "capture",
            PHOTO,
            clip.to_str().unwrap(),
            "--lat",
            "26.85",
            "--lon",
            "80.95",
        ],
    );
    assert!(out.status.success());
    let export = d.path().join("export");
    assert!(
        run(&home, &["export", export.to_str().unwrap()])
            .status
            .success()
    );
    let verify = |path: &std::path::Path| run(&home, &["verify", path.to_str().unwrap()]);

    let ok = verify(&export);
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");
    assert!(String::from_utf8_lossy(&ok.stdout).contains("2 of 2 captures proven"));

    // Moving the place in a manifest breaks its signature; flipping a media byte its hash.
    let manifests: Vec<_> = fs::read_dir(&export)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    let mut m: serde_json::Value =
        serde_json::from_slice(&fs::read(&manifests[0]).unwrap()).unwrap();
    m["capture"]["location"]["lat"] = serde_json::json!(26.86);
    fs::write(&manifests[0], serde_json::to_vec(&m).unwrap()).unwrap();
    let other: serde_json::Value =
        serde_json::from_slice(&fs::read(&manifests[1]).unwrap()).unwrap();
    let media = export.join(other["media_file"].as_str().unwrap());
    let mut bytes = fs::read(&media).unwrap();
    bytes[5000] ^= 1;
    fs::write(&media, bytes).unwrap();

    let bad = verify(&export);
    assert_eq!(bad.status.code(), Some(7), "{bad:?}");
    let text = String::from_utf8_lossy(&bad.stdout);
    assert!(text.contains("SIGNATURE DOES NOT HOLD"), "{text}");
    assert!(text.contains("MEDIA DAMAGED"), "{text}");
    assert!(text.contains("0 of 2 captures proven"), "{text}");
    let out = run(&home, &["--json", "verify", export.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(7));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["proven"], 0);
    assert_eq!(v["captures"].as_array().unwrap().len(), 2);

    // Not an export at all: refused as input.
    let junk = d.path().join("junk.txt");
    fs::write(&junk, "hello").unwrap();
    assert_eq!(verify(&junk).status.code(), Some(3));
}
