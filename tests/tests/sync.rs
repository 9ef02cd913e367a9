//! Device and server end to end over loopback: capture, sync, pull, revocation, a slow
//! link.

use std::time::Duration;

use saakshi_core::sync::{SyncEngine, SyncError, SyncEvent, SyncPolicy};
use saakshi_domain::CaptureState;
use saakshi_tests::harness::{Server, capture, enrolled_home, write_media};
use saakshi_tests::proxy::Proxy;

const PHOTO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../crates/saakshi-core/tests/fixtures/gps.jpg"
);

#[tokio::test(flavor = "multi_thread")]
async fn capture_sync_and_pull() {
    let d = tempfile::tempdir().unwrap();
    let server = Server::start(&d.path().join("server")).await;
    let home = enrolled_home(&d.path().join("phone"), &server, &server.url, "B-104").await;
    let photo = capture(&home, std::path::Path::new(PHOTO));
    let clip = capture(&home, &write_media(&d.path().join("a.wav"), 3 << 20, 1));

    let engine = SyncEngine::new(home.clone(), SyncPolicy::default()).unwrap();
    let mut events = engine.subscribe();
    let report = engine.run_until_idle(3).await.unwrap();
    assert_eq!((report.pushed, report.uploaded, report.failed), (2, 2, 0));
    assert_eq!(report.thumbnails, 1, "the photo's preview");

    for c in [&photo, &clip] {
        assert_eq!(
            home.capture(&c.record.id).unwrap().state,
            CaptureState::Synced
        );
        let stored =
            std::fs::read(d.path().join("server/media").join(c.record.sha256.to_hex())).unwrap();
        assert_eq!(stored.len() as u64, c.record.size);
    }
    let rows = server.state.db.list_captures(None, 10).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r.media == "present" && r.scope_area == "B-104")
    );
    // Signed at capture (offline, before any server); the server checks it with the key
    // the device enrolled with.
    for r in &rows {
        let key = server
            .state
            .db
            .device_public_key(r.device_id)
            .await
            .unwrap();
        assert_eq!(
            saakshi_domain::manifest::verify(&key.unwrap(), &r.record),
            saakshi_domain::manifest::Verdict::Verified
        );
    }
    assert_eq!(
        rows.iter()
            .find(|r| r.record.id == photo.record.id)
            .unwrap()
            .record,
        photo.record
    );

    // A coordinator's verdict reaches the device at its next pull.
    assert_eq!(home.capture(&clip.record.id).unwrap().review, "pending");
    server
        .state
        .db
        .review_capture(
            None,
            clip.record.id,
            saakshi_server::store::ReviewState::NeedsInfo,
            Some("कौन सा बूथ?".into()),
            "lko".into(),
        )
        .await
        .unwrap();
    engine.pass().await.unwrap();
    let after = home.capture(&clip.record.id).unwrap();
    assert_eq!(
        (after.review.as_str(), after.review_note.as_deref()),
        ("needs_info", Some("कौन सा बूथ?"))
    );

    // Progress events reached the subscriber, ending at the full size.
    let mut last_progress = 0;
    let mut synced = 0;
    let mut reviewed = Vec::new();
    while let Ok(ev) = events.try_recv() {
        match ev {
            SyncEvent::Progress {
                capture_id,
                done,
                total,
            } if capture_id == clip.record.id => {
                assert!(done >= last_progress && done <= total);
                last_progress = done;
            }
            SyncEvent::State {
                state: CaptureState::Synced,
                ..
            } => synced += 1,
            SyncEvent::Reviewed {
                capture_id,
                verdict,
                note,
            } => reviewed.push((capture_id, verdict, note)),
            _ => {}
        }
    }
    // The verdict was news once: the screens are told, with the note.
    assert_eq!(
        reviewed,
        vec![(
            clip.record.id,
            "needs_info".to_string(),
            Some("कौन सा बूथ?".to_string())
        )]
    );
    assert_eq!(last_progress, clip.record.size);
    assert!(synced >= 2);

    // The volunteer answers: the next revision (same media), signed, goes up with the
    // next pass, and the coordinator sees it in place of the first.
    let refused = home.answer(
        &photo.record.id,
        &saakshi_core::revise::Answer {
            caption: "not asked about".into(),
            ..Default::default()
        },
    );
    assert!(
        refused.is_err(),
        "only a capture asked about can be answered"
    );
    let answered = home
        .answer(
            &clip.record.id,
            &saakshi_core::revise::Answer {
                caption: "बूथ 104, हज़रतगंज: speech at the gate".into(),
                tags: vec!["speech".into(), " booth-104 ".into()],
                location: None,
            },
        )
        .unwrap();
    assert_eq!(
        (answered.record.revision, answered.state),
        (2, CaptureState::Captured)
    );
    assert_eq!(answered.record.tags, ["speech", "booth-104"]);
    let report = engine.run_until_idle(3).await.unwrap();
    assert_eq!(
        (report.pushed, report.uploaded),
        (1, 0),
        "no media sent again"
    );
    assert_eq!(
        home.capture(&clip.record.id).unwrap().state,
        CaptureState::Synced
    );
    let rows = server.state.db.list_captures(None, 10).await.unwrap();
    let row = rows.iter().find(|r| r.record.id == clip.record.id).unwrap();
    assert_eq!(row.record.revision, 2);
    assert_eq!(row.record.caption, "बूथ 104, हज़रतगंज: speech at the gate");
    let key = server
        .state
        .db
        .device_public_key(row.device_id)
        .await
        .unwrap();
    assert_eq!(
        saakshi_domain::manifest::verify(&key.unwrap(), &row.record),
        saakshi_domain::manifest::Verdict::Verified
    );

    // Nothing to do the second time, and nothing duplicated on the server.
    let again = engine.run_until_idle(3).await.unwrap();
    assert_eq!((again.pushed, again.uploaded), (0, 0));
    assert_eq!(
        server.state.db.list_captures(None, 10).await.unwrap().len(),
        2
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_device_stops_and_wipes_when_told() {
    let d = tempfile::tempdir().unwrap();
    let server = Server::start(&d.path().join("server")).await;
    let home = enrolled_home(&d.path().join("phone"), &server, &server.url, "B-104").await;
    capture(&home, std::path::Path::new(PHOTO));
    let device_id = home.setting("device_id").unwrap().unwrap().parse().unwrap();
    server
        .state
        .db
        .revoke_device(device_id, true)
        .await
        .unwrap();

    let engine = SyncEngine::new(home.clone(), SyncPolicy::default()).unwrap();
    let err = engine.run_until_idle(2).await.unwrap_err();
    assert!(matches!(err, SyncError::Refused(_)), "{err}");
    assert!(home.blobs().list().unwrap().is_empty(), "media wiped");
    assert_eq!(
        home.setting("device_token").unwrap(),
        None,
        "token forgotten"
    );
    assert!(matches!(
        SyncEngine::new(home.clone(), SyncPolicy::default()),
        Err(SyncError::Refused(_))
    ));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wifi_only_waits_on_a_metered_link() {
    let d = tempfile::tempdir().unwrap();
    let server = Server::start(&d.path().join("server")).await;
    let home = enrolled_home(&d.path().join("phone"), &server, &server.url, "B-104").await;
    capture(&home, &write_media(&d.path().join("a.wav"), 100_000, 2));
    let metered = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let m = metered.clone();
    let policy = SyncPolicy {
        wifi_only: true,
        is_metered: std::sync::Arc::new(move || m.load(std::sync::atomic::Ordering::Relaxed)),
        ..Default::default()
    };
    let engine = SyncEngine::new(home.clone(), policy).unwrap();
    let err = engine.pass().await.unwrap_err();
    assert!(
        err.is_transient() && err.to_string().contains("Wi-Fi"),
        "{err}"
    );
    assert_eq!(
        server.state.db.list_captures(None, 10).await.unwrap().len(),
        0,
        "nothing sent"
    );
    metered.store(false, std::sync::atomic::Ordering::Relaxed);
    engine.run_until_idle(2).await.unwrap();
    assert_eq!(
        server.state.db.list_captures(None, 10).await.unwrap().len(),
        1
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_256_kbit_link_still_completes_a_5_mib_photo() {
    let d = tempfile::tempdir().unwrap();
    let server = Server::start(&d.path().join("server")).await;
    let proxy = Proxy::start(server.addr).await;
    proxy.set(|f| {
        f.rate = Some(32_000); // 256 kbit/s
        f.latency = Duration::from_millis(150);
    });
    let home = enrolled_home(&d.path().join("phone"), &server, &proxy.url(), "B-104").await;
    let c = capture(&home, &write_media(&d.path().join("big.wav"), 5 << 20, 3));
    let engine = SyncEngine::new(home.clone(), SyncPolicy::default()).unwrap();
    let started = std::time::Instant::now();
    let report = engine.run_until_idle(5).await.unwrap();
    assert_eq!(report.uploaded, 1);
    assert_eq!(
        home.capture(&c.record.id).unwrap().state,
        CaptureState::Synced
    );
    // The link really was that slow: 5 MiB at 32 kB/s takes over two and a half minutes.
    assert!(
        started.elapsed() > Duration::from_secs(150),
        "{:?}",
        started.elapsed()
    );
    server.stop().await;
}
