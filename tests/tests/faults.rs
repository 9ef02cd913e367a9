//! Sync through a bad network: connections cut at random offsets, and a server killed
//! and restarted in the middle of a sync.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::Rng;
use saakshi_core::sync::{MAX_CHUNK, SyncEngine, SyncPolicy};
use saakshi_domain::CaptureState;
use saakshi_tests::harness::{Server, capture, enrolled_home, write_media};
use saakshi_tests::proxy::Proxy;
use tokio_util::sync::CancellationToken;

const MIB: u64 = 1 << 20;

#[tokio::test(flavor = "multi_thread")]
async fn twenty_uploads_cut_at_random_offsets_arrive_whole() {
    let d = tempfile::tempdir().unwrap();
    let server = Server::start(&d.path().join("server")).await;
    let proxy = Proxy::start(server.addr).await;
    let home = enrolled_home(&d.path().join("phone"), &server, &proxy.url(), "B-104").await;
    let mut rng = rand::rng();
    let mut captures = Vec::new();
    for i in 0..20 {
        let p = write_media(&d.path().join(format!("m{i}.wav")), 50 * MIB, 1000 + i);
        captures.push(capture(&home, &p));
        std::fs::remove_file(p).unwrap();
    }
    let media_total: u64 = captures.iter().map(|c| c.record.size).sum();
    let engine = SyncEngine::new(home.clone(), SyncPolicy::default()).unwrap();

    // Metadata and previews first, over a clean link.
    let before = proxy.upstream_bytes();
    let mut passes = 0;
    // Each pass meets a cut at a random point of the upload stream, until all is synced.
    while engine.has_work().unwrap() {
        passes += 1;
        assert!(passes < 200, "sync does not converge");
        let cut_at = rng.random_range(MIB..45 * MIB);
        proxy.set(|f| {
            f.cut_after = Some(cut_at);
            f.reset = rand::random();
        });
        let _ = engine.pass().await;
    }
    proxy.set(|f| f.cut_after = None);
    let cuts = proxy.cuts();
    assert!(
        cuts >= 20,
        "every upload met at least one cut on average ({cuts})"
    );

    for c in &captures {
        assert_eq!(
            home.capture(&c.record.id).unwrap().state,
            CaptureState::Synced
        );
        let path = d.path().join("server/media").join(c.record.sha256.to_hex());
        let stored = std::fs::metadata(&path).unwrap().len();
        assert_eq!(stored, c.record.size);
        assert!(server.state.db.has_media(c.record.sha256).await.unwrap());
    }
    // The server verified every file's SHA-256 before accepting it; re-hash a few anyway.
    for c in captures.iter().take(3) {
        let bytes =
            std::fs::read(d.path().join("server/media").join(c.record.sha256.to_hex())).unwrap();
        let digest: [u8; 32] =
            sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(&bytes)).into();
        assert_eq!(digest, c.record.sha256.0);
    }

    // Bytes re-sent: what crossed the wire beyond the media, per cut. The server keeps
    // what arrived before a cut, so the re-sent part is the request in flight at most.
    let wire = proxy.upstream_bytes() - before;
    let resent_per_cut = wire.saturating_sub(media_total) / cuts.max(1);
    eprintln!(
        "{cuts} cuts in {passes} passes; {wire} bytes on the wire for {media_total} media bytes \
         ({:.4}x); {resent_per_cut} bytes of overhead per cut",
        wire as f64 / media_total as f64
    );
    assert!(
        resent_per_cut <= MAX_CHUNK,
        "re-sent {resent_per_cut} bytes per cut"
    );
    // Bytes already in the server's socket buffer when a cut lands are lost too, so the
    // overhead grows with the number of cuts (random, 20 to 50 here): about 0.5 MiB per
    // cut on loopback, 2 % of the media in a bad run.
    assert!(
        wire as f64 <= media_total as f64 * 1.05,
        "{wire} on the wire for {media_total}"
    );
    server.stop().await;
}

fn server_process(data: &std::path::Path, addr: &str) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_saakshi-server-under-test"))
        .args(["--data-dir", data.to_str().unwrap(), "--listen", addr])
        .env_remove("SAAKSHI_SERVER_DATA")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for "listening on".
    use std::io::BufRead;
    let out = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(out).lines();
    for l in lines.by_ref() {
        if l.unwrap().contains("listening on") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    child
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_killed_and_restarted_mid_sync_and_the_device_finishes_alone() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("server");
    // Prepare the data (areas, an invite) with an in-process server, then hand over to a
    // real server process that the test can SIGKILL.
    let setup = Server::start(&data).await;
    let code = setup.invite("B-104", 1).await;
    setup.stop().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut server = server_process(&data, &addr);
    let proxy = Proxy::start(addr.parse().unwrap()).await;
    // Slow enough that the kill lands mid-upload: the four 12 MiB files go up four at
    // once (small media are sent in parallel), 2 MiB/s each, about six seconds in all.
    proxy.set(|f| f.rate = Some(2 * MIB));

    let (home, _) = saakshi_core::Home::create(&d.path().join("phone")).unwrap();
    saakshi_core::sync::enroll(&home, &proxy.url(), Some(&code), "phone", "linux")
        .await
        .unwrap();
    let home = Arc::new(home);
    let mut ids = Vec::new();
    for i in 0..4 {
        let p = write_media(&d.path().join(format!("m{i}.wav")), 12 * MIB, 50 + i);
        ids.push(capture(&home, &p).record.id);
    }
    let engine = Arc::new(SyncEngine::new(home.clone(), SyncPolicy::default()).unwrap());
    let stop = CancellationToken::new();
    let watcher = {
        let (engine, stop) = (engine.clone(), stop.clone());
        tokio::spawn(async move { engine.watch(stop, Duration::from_secs(1)).await })
    };

    tokio::time::sleep(Duration::from_millis(2500)).await;
    let synced = |h: &saakshi_core::Home| {
        ids.iter()
            .filter(|id| h.capture(id).unwrap().state == CaptureState::Synced)
            .count()
    };
    assert!(synced(&home) < ids.len(), "the kill must land mid-sync");
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut server = server_process(&data, &addr);

    let deadline = Instant::now() + Duration::from_secs(90);
    while synced(&home) < ids.len() {
        assert!(
            Instant::now() < deadline,
            "the device did not finish by itself"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    stop.cancel();
    watcher.await.unwrap().unwrap();
    for id in &ids {
        let c = home.capture(id).unwrap();
        let stored = std::fs::metadata(data.join("media").join(c.record.sha256.to_hex()))
            .unwrap()
            .len();
        assert_eq!(stored, c.record.size);
    }
    server.kill().unwrap();
    server.wait().unwrap();
}
