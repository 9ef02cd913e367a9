//! The device key is made once per home, even when several first captures race for it
//! (the app and the CLI share a home): every capture must verify with the one key the
//! store keeps. Each racer opens the home on its own connection, as another process
//! would; SQLite's locking is the same either way.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

use saakshi_core::{Home, ImportRequest};
use saakshi_domain::manifest::{Verdict, verify};

const RACERS: usize = 4;
const ROUNDS: usize = 8;

/// A small WAV file (recognised as audio) whose bytes depend on `seed`.
fn media(dir: &Path, seed: usize) -> PathBuf {
    let path = dir.join(format!("clip-{seed}.wav"));
    let mut bytes = b"RIFF\x24\0\0\0WAVEfmt ".to_vec();
    bytes.extend((0..4096).map(|i| (i * 31 + seed * 7) as u8));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn racing_first_captures_all_sign_with_the_key_the_home_keeps() {
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("home");
        let (fresh, created) = Home::create(&root).unwrap();
        assert!(created);
        drop(fresh);
        let files: Vec<PathBuf> = (0..RACERS).map(|i| media(dir.path(), i)).collect();
        let start = Arc::new(Barrier::new(RACERS));
        let racers: Vec<_> = files
            .into_iter()
            .map(|file| {
                let (root, start) = (root.clone(), start.clone());
                std::thread::spawn(move || {
                    let home = Home::open(&root).unwrap();
                    start.wait();
                    let key = saakshi_core::sync::signing_key(&home).unwrap();
                    let out = home
                        .import_file(&file, &ImportRequest::default(), &mut |_| {})
                        .unwrap();
                    (key.verifying_key(), out.capture().record.clone())
                })
            })
            .collect();
        let results: Vec<_> = racers.into_iter().map(|r| r.join().unwrap()).collect();

        let home = Home::open(&root).unwrap();
        let kept = saakshi_core::sync::signing_key(&home)
            .unwrap()
            .verifying_key();
        for (i, (seen, record)) in results.iter().enumerate() {
            assert_eq!(seen, &kept, "round {round}: racer {i} got another key");
            assert_eq!(
                verify(kept.as_bytes(), record),
                Verdict::Verified,
                "round {round}: capture of racer {i} does not verify with the kept key"
            );
        }
    }
}
