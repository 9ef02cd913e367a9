//! A volunteer's answer to a coordinator, device and server end to end over loopback: the
//! core's next revision of a capture (same id and media, signed again) is pushed by the
//! ordinary sync and kept by the real server as revision 2, then 3; an answer waits
//! until the one before it has reached the server; a new verdict is unanswered again.

use std::path::Path;

use saakshi_core::revise::Answer;
use saakshi_core::sync::{SyncEngine, SyncPolicy};
use saakshi_domain::manifest::{self, Verdict};
use saakshi_domain::{CaptureState, Location, LocationSource};
use saakshi_server::store::ReviewState;
use saakshi_tests::harness::{Server, capture, enrolled_home};

const PHOTO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../crates/saakshi-core/tests/fixtures/gps.jpg"
);

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_reaches_the_server_as_the_next_revision_of_the_same_capture() {
    let d = tempfile::tempdir().unwrap();
    let server = Server::start(&d.path().join("server")).await;
    let home = enrolled_home(&d.path().join("phone"), &server, &server.url, "B-104").await;
    let photo = capture(&home, Path::new(PHOTO));
    let id = photo.record.id;
    let engine = SyncEngine::new(home.clone(), SyncPolicy::default()).unwrap();
    engine.run_until_idle(3).await.unwrap();
    assert_eq!(home.capture(&id).unwrap().state, CaptureState::Synced);

    // Not asked about: nothing to answer.
    let caption = |c: &str| Answer {
        caption: c.into(),
        ..Default::default()
    };
    assert!(home.answer(&id, &caption("Booth 104")).is_err());

    // The coordinator asks; the device hears it at its next pull.
    let ask = |note: &'static str| {
        let db = server.state.db.clone();
        async move {
            db.review_capture(
                None,
                id,
                ReviewState::NeedsInfo,
                Some(note.into()),
                "lko".into(),
            )
            .await
            .unwrap()
        }
    };
    assert!(ask("कौन सा बूथ?").await);
    engine.pass().await.unwrap();
    let asked = home.capture(&id).unwrap();
    assert_eq!(
        (asked.review.as_str(), asked.answered_at),
        ("needs_info", None)
    );

    // The answer: a new caption, tags and the right place.
    let place = Location {
        lat: 26.8501,
        lon: 80.9499,
        accuracy_m: Some(15.0),
        altitude_m: None,
        source: LocationSource::Manual,
        fix_time: None,
    };
    let answered = home
        .answer(
            &id,
            &Answer {
                caption: "बूथ 104, हज़रतगंज".into(),
                tags: vec!["booth-104".into()],
                location: Some(place.clone()),
            },
        )
        .unwrap();
    assert_eq!(
        (answered.record.revision, answered.state),
        (2, CaptureState::Captured)
    );
    assert!(answered.answered_at.is_some());
    // Until it has been sent, a second answer waits (and changes nothing).
    let early = home.answer(&id, &caption("gate 2")).unwrap_err();
    assert!(
        early.to_string().contains("not reached the server"),
        "{early}"
    );

    let report = engine.run_until_idle(3).await.unwrap();
    assert_eq!(
        (report.pushed, report.uploaded, report.failed),
        (1, 0, 0),
        "the record again, not the media"
    );
    assert_eq!(home.capture(&id).unwrap().state, CaptureState::Synced);

    // What the coordinator sees: one capture, revision 2, the answer, the same media, the
    // device's signature over the corrected place verified, and the question it answers.
    let rows = server.state.db.list_captures(None, 10).await.unwrap();
    assert_eq!(rows.len(), 1, "the same capture, not a new one");
    let row = &rows[0];
    assert_eq!(row.record.id, id);
    assert_eq!(row.record.revision, 2);
    assert_eq!(row.record.caption, "बूथ 104, हज़रतगंज");
    assert_eq!(row.record.tags, ["booth-104"]);
    assert_eq!(row.record.location, Some(place));
    assert_eq!(
        (row.record.sha256, row.record.size),
        (photo.record.sha256, photo.record.size)
    );
    assert_eq!(row.media, "present");
    assert_eq!(row.review.state, ReviewState::NeedsInfo);
    let key = server
        .state
        .db
        .device_public_key(row.device_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(manifest::verify(&key, &row.record), Verdict::Verified);

    // Sent: more can be added, as revision 3.
    let third = home.answer(&id, &caption("बूथ 104, गेट 2")).unwrap();
    assert_eq!(third.record.revision, 3);
    engine.run_until_idle(3).await.unwrap();
    let row = server
        .state
        .db
        .list_captures(None, 10)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(
        (row.record.revision, row.record.caption.as_str()),
        (3, "बूथ 104, गेट 2")
    );
    assert_eq!(manifest::verify(&key, &row.record), Verdict::Verified);

    // The coordinator asks again: a new question, unanswered on the device.
    assert!(ask("और गेट का नंबर?").await);
    engine.pass().await.unwrap();
    let again = home.capture(&id).unwrap();
    assert_eq!(
        (again.review_note.as_deref(), again.answered_at),
        (Some("और गेट का नंबर?"), None)
    );
}
