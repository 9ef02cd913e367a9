//! Kits flow down: a coordinator publishes to a district; a device in one of its booths
//! receives the kit and its media at the next sync (resuming a cut download); a device
//! in another district never sees it.

use saakshi_core::sync::{SyncEngine, SyncPolicy};
use saakshi_server::store::Role;
use saakshi_tests::harness::{Server, capture, enrolled_home, write_media};

#[tokio::test(flavor = "multi_thread")]
async fn a_kit_reaches_devices_in_its_areas_only() {
    let d = tempfile::tempdir().unwrap();
    let server = Server::start(&d.path().join("server")).await;
    // A volunteer in booth 105 captures; the Lucknow coordinator makes a kit of it.
    let author = enrolled_home(&d.path().join("author"), &server, &server.url, "B-105").await;
    let c = capture(
        &author,
        &write_media(&d.path().join("speech.wav"), 3 << 20, 5),
    );
    SyncEngine::new(author.clone(), SyncPolicy::default())
        .unwrap()
        .run_until_idle(2)
        .await
        .unwrap();

    let in_area = enrolled_home(&d.path().join("booth104"), &server, &server.url, "B-104").await;
    let elsewhere = enrolled_home(&d.path().join("booth201"), &server, &server.url, "B-201").await;

    let coordinator = server
        .state
        .db
        .create_user(
            "lucknow".into(),
            Role::Coordinator,
            Some("LKO".into()),
            saakshi_server::passwords::hash_password("pw").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    // Only approved captures go to the field.
    let publish = || {
        server.state.db.publish_kit(
            coordinator,
            Some("/UP/LKO/".into()),
            ("Rally speech".into(), String::new()),
            Default::default(),
            vec![c.record.id],
            vec!["LKO".into()],
        )
    };
    assert!(matches!(
        publish().await.unwrap(),
        Err(saakshi_server::store::KitRefusal::NotApproved(_))
    ));
    server
        .state
        .db
        .review_capture(
            None,
            c.record.id,
            saakshi_server::store::ReviewState::Approved,
            None,
            "lucknow".into(),
        )
        .await
        .unwrap();
    let kit = server
        .state
        .db
        .publish_kit(
            coordinator,
            Some("/UP/LKO/".into()),
            ("Rally speech".into(), "रैली भाषण".into()),
            (
                "Share with your booth group".into(),
                "अपने बूथ समूह में भेजें".into(),
            ),
            vec![c.record.id],
            vec!["LKO".into()],
        )
        .await
        .unwrap()
        .unwrap();
    // Out of scope areas are refused.
    let refused = server
        .state
        .db
        .publish_kit(
            coordinator,
            Some("/UP/LKO/".into()),
            ("x".into(), String::new()),
            Default::default(),
            vec![c.record.id],
            vec!["VNS".into()],
        )
        .await
        .unwrap();
    assert!(refused.is_err());

    // Half of the media already downloaded before a cut: the sync resumes it.
    let part_dir = d.path().join("booth104/downloads");
    std::fs::create_dir_all(&part_dir).unwrap();
    let source = std::fs::read(author.blobs().path_of(&c.record.sha256)).unwrap();
    std::fs::write(
        part_dir.join(format!("{}.part", c.record.sha256.to_hex())),
        &source[..1 << 20],
    )
    .unwrap();

    let r = SyncEngine::new(in_area.clone(), SyncPolicy::default())
        .unwrap()
        .run_until_idle(2)
        .await
        .unwrap();
    assert_eq!(r.kit_media, 1);
    let kits = in_area.kits().unwrap();
    assert_eq!(kits.len(), 1);
    assert_eq!(kits[0].kit.id, kit.id);
    assert_eq!(kits[0].kit.title_hi, "रैली भाषण");
    assert_eq!(kits[0].present, vec![true]);
    assert!(std::fs::read(in_area.blobs().path_of(&c.record.sha256)).unwrap() == source);
    assert!(
        !part_dir
            .join(format!("{}.part", c.record.sha256.to_hex()))
            .exists()
    );

    SyncEngine::new(elsewhere.clone(), SyncPolicy::default())
        .unwrap()
        .run_until_idle(2)
        .await
        .unwrap();
    assert!(
        elsewhere.kits().unwrap().is_empty(),
        "a device in Varanasi never sees a Lucknow kit"
    );
    assert!(!elsewhere.blobs().contains(&c.record.sha256));
    server.stop().await;
}
