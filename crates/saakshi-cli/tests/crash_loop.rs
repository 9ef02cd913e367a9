//! A child `saakshi capture` is SIGKILLed at random moments, 50 times. Afterwards every
//! capture in the store is complete and hash-verified, or absent: never half there.

mod common;

use std::collections::HashMap;
use std::process::Stdio;
use std::time::Duration;

use common::*;
use rand::{Rng, SeedableRng, rngs::StdRng};
use saakshi_core::Home;

const ROUNDS: usize = 50;
const FILES_PER_ROUND: usize = 3;

#[test]
fn sigkill_at_random_moments_leaves_only_whole_captures() {
    let seed: u64 = std::env::var("SAAKSHI_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("crash loop seed {seed} (set SAAKSHI_CRASH_SEED to replay)");
    let mut rng = StdRng::seed_from_u64(seed);

    let d = tempfile::tempdir().unwrap();
    let home = d.path().join("home");
    init(&home);
    let mut sources = HashMap::new(); // sha256 → (path, size)
    let mut killed_while_running = 0;

    for round in 0..ROUNDS {
        let mut args = vec!["capture".to_string()];
        for j in 0..FILES_PER_ROUND {
            let path = d.path().join(format!("src-{round}-{j}.wav"));
            let size = rng.random_range(16 << 10..4 << 20);
            let sha = fake_media(&path, Fake::Wav, size, rng.random());
            sources.insert(sha, (path.clone(), size as u64));
            args.push(path.display().to_string());
        }
        let mut child = saakshi(&home)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.random_range(0..35_000)));
        if child.try_wait().unwrap().is_none() {
            killed_while_running += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }

    // Reopen (this sweeps what the kills left) and check everything.
    let h = Home::open(&home).unwrap();
    let captures = h.captures(&Default::default()).unwrap();
    let mut seen = HashMap::new();
    for c in &captures {
        let r = &c.record;
        let (_, size) = sources
            .get(&r.sha256.0)
            .unwrap_or_else(|| panic!("capture {} holds bytes no source had", r.id));
        assert_eq!(r.size, *size, "capture {} is incomplete", r.id);
        assert!(
            seen.insert(r.sha256, r.id).is_none(),
            "duplicate capture of one file"
        );
    }
    let report = h.verify().unwrap();
    assert!(
        report.missing.is_empty(),
        "records without media: {:?}",
        report.missing
    );
    assert!(
        report.corrupt.is_empty(),
        "media not matching its hash: {:?}",
        report.corrupt
    );
    assert_eq!(report.checked, captures.len());
    let mut on_disk = h.blobs().list().unwrap();
    let mut referenced: Vec<_> = seen.keys().copied().collect();
    on_disk.sort();
    referenced.sort();
    assert_eq!(on_disk, referenced, "media on disk without a record");
    assert_eq!(h.blobs().temp_files().unwrap(), 0);
    drop(h);

    eprintln!(
        "{killed_while_running}/{ROUNDS} kills landed mid-import; {} of {} files stored",
        captures.len(),
        sources.len()
    );
    assert!(
        killed_while_running >= ROUNDS / 2,
        "too few kills landed while the child was working ({killed_while_running})"
    );

    // Whatever a kill interrupted imports cleanly now, and nothing is stored twice.
    let mut all: Vec<String> = vec!["capture".into()];
    all.extend(sources.values().map(|(p, _)| p.display().to_string()));
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let out = run_json(&home, &refs);
    assert_eq!(out.as_array().unwrap().len(), sources.len());
    assert_eq!(capture_ids(&home).len(), sources.len());
}
