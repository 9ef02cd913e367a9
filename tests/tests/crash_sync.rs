//! A child `saakshi sync --watch` is SIGKILLed at random moments, 50 times, while 30
//! captures of mixed sizes (up to 100 MiB) sync. One more sync then completes, and the
//! server holds exactly those 30 captures, each hash-verified, none twice.

use std::process::{Command, Stdio};
use std::time::Duration;

use rand::Rng;
use saakshi_domain::CaptureState;
use saakshi_tests::harness::{Server, capture, write_media};

const MIB: u64 = 1 << 20;

fn saakshi(home: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_saakshi-under-test"));
    c.arg("--home").arg(home).env_remove("SAAKSHI_HOME");
    c
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_during_sync_fifty_times() {
    let d = tempfile::tempdir().unwrap();
    let server = Server::start(&d.path().join("server")).await;
    let home_dir = d.path().join("phone");
    let (home, _) = saakshi_core::Home::create(&home_dir).unwrap();
    let code = server.invite("B-104", 1).await;
    saakshi_core::sync::enroll(&home, &server.url, Some(&code), "phone", "linux")
        .await
        .unwrap();

    // 30 captures: small photos' worth, a few megabytes, tens of megabytes, two of 100 MiB.
    let mut sizes: Vec<u64> = (0..12).map(|i| 40_000 + i * 9_000).collect();
    sizes.extend((0..10).map(|i| (2 + i) * MIB));
    sizes.extend((0..6).map(|i| (15 + 5 * i) * MIB));
    sizes.extend([100 * MIB, 100 * MIB - 12_345]);
    assert_eq!(sizes.len(), 30);
    let mut ids = Vec::new();
    for (i, size) in sizes.iter().enumerate() {
        let p = write_media(&d.path().join(format!("m{i}.wav")), *size, 7_000 + i as u64);
        ids.push(capture(&home, &p).record.id);
        std::fs::remove_file(p).unwrap();
    }
    let total: u64 = sizes.iter().sum();
    drop(home);

    // The bandwidth cap stretches the sync over the kills (about 450 MiB at 12 MiB/s).
    let mut rng = rand::rng();
    let mut killed_mid_sync = 0;
    for _ in 0..50 {
        let mut child = saakshi(&home_dir)
            .args(["sync", "--watch", "--poll", "1", "--bandwidth", "12288"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(rng.random_range(50..700))).await;
        if child.try_wait().unwrap().is_none() {
            killed_mid_sync += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    assert_eq!(killed_mid_sync, 50, "sync --watch never exits by itself");

    let home = saakshi_core::Home::open(&home_dir).unwrap();
    let done_before = ids
        .iter()
        .filter(|id| home.capture(id).unwrap().state == CaptureState::Synced)
        .count();
    eprintln!(
        "{done_before} of 30 synced after 50 kills ({} MiB in all)",
        total / MIB
    );
    assert!(
        done_before < 30,
        "the kills must land while there is still work"
    );
    drop(home);

    let out = saakshi(&home_dir)
        .args(["sync", "--once", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let home = saakshi_core::Home::open(&home_dir).unwrap();
    for id in &ids {
        assert_eq!(home.capture(id).unwrap().state, CaptureState::Synced);
    }
    let rows = server.state.db.list_captures(None, 1000).await.unwrap();
    assert_eq!(rows.len(), 30, "exactly 30 captures on the server");
    let mut server_ids: Vec<_> = rows.iter().map(|r| r.record.id).collect();
    server_ids.sort();
    let mut mine = ids.clone();
    mine.sort();
    assert_eq!(server_ids, mine, "the same 30, no duplicate");
    for r in &rows {
        assert_eq!(r.media, "present");
        let bytes =
            std::fs::read(d.path().join("server/media").join(r.record.sha256.to_hex())).unwrap();
        let digest: [u8; 32] =
            sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(&bytes)).into();
        assert_eq!(digest, r.record.sha256.0, "media hash-verified");
    }
    let leftovers = std::fs::read_dir(d.path().join("server/uploads"))
        .unwrap()
        .count();
    eprintln!("{leftovers} unfinished uploads left on the server (they expire)");
    server.stop().await;
}
