//! Helpers for driving the real `saakshi` binary against real home folders.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rand::{Rng, SeedableRng, rngs::StdRng};
use sha2::Digest;

/// `saakshi --home HOME`, with no inherited SAAKSHI_HOME.
pub fn saakshi(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_saakshi"));
    c.arg("--home").arg(home).env_remove("SAAKSHI_HOME");
    c
}

/// Runs and returns the output, whatever the exit code.
pub fn run(home: &Path, args: &[&str]) -> Output {
    saakshi(home).args(args).output().expect("spawn saakshi")
}

/// Runs, asserting success, and parses the JSON on stdout.
pub fn run_json(home: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = run(home, &all);
    assert!(
        out.status.success(),
        "saakshi {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}

/// Creates a home with `saakshi init`.
pub fn init(home: &Path) {
    let out = run(home, &["init"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Kinds of fake media: real magic bytes (so they are recognised) and random payload
/// (so every file is distinct).
#[derive(Clone, Copy, Debug)]
pub enum Fake {
    Wav,
    Mp4,
}

/// Writes a recognisable media file of `size` bytes with content from `seed`.
pub fn fake_media(path: &Path, kind: Fake, size: usize, seed: u64) -> [u8; 32] {
    let header: &[u8] = match kind {
        Fake::Wav => b"RIFF\x24\0\0\0WAVEfmt ",
        Fake::Mp4 => b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom",
    };
    let mut bytes = Vec::with_capacity(size.max(header.len()));
    bytes.extend_from_slice(header);
    let mut rng = StdRng::seed_from_u64(seed);
    bytes.resize(size.max(header.len()), 0);
    rng.fill(&mut bytes[header.len()..]);
    fs::write(path, &bytes).expect("write media");
    sha2::Sha256::digest(&bytes).into()
}

/// Everything on disk under a home except the database files and the lock, by path and
/// content hash: two equal snapshots mean no media or temporary file changed.
pub fn files(home: &Path) -> BTreeMap<PathBuf, [u8; 32]> {
    let mut out = BTreeMap::new();
    let mut stack = vec![home.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = fs::read_dir(&dir) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with("saakshi.db") || n == "lock"
            }) {
                let bytes = fs::read(&p).unwrap_or_default();
                out.insert(p, sha2::Sha256::digest(&bytes).into());
            }
        }
    }
    out
}

/// Ids of every capture, as `saakshi list --json` reports them.
pub fn capture_ids(home: &Path) -> Vec<String> {
    let v = run_json(home, &["list"]);
    let mut ids: Vec<String> = v
        .as_array()
        .expect("list is an array")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect();
    ids.sort();
    ids
}

/// Whether this process is root (then permission bits do not stop it).
pub fn is_root() -> bool {
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// A tmpfs mounted for one test (root only), unmounted on drop.
pub struct Tmpfs {
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (e.g. "8m"). Panics with an explanation when the test
    /// runs without the right to mount: these tests need root, as CI has.
    pub fn mount(size: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mnt");
        fs::create_dir(&path).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "this test mounts a small tmpfs to make a full or read-only disk; run it as root"
        );
        Self { path, _dir: dir }
    }

    /// Remounts read-only.
    pub fn make_read_only(&self) {
        let ok = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.path)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remount read-only");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}
