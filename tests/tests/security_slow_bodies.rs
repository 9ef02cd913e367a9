//! Security suite: slow uploads must not starve the server. Every PATCH used to hold one
//! of tokio's 512 blocking threads for its whole body, and the database runs on those
//! threads too: with 512 bodies stalled (one volunteer's device can open them, and
//! phones on a crawling 2G link do it without meaning to), nothing answered any more,
//! sign-in, push and tus creation included.
//!
//! Here 600 PATCH bodies stall after their first bytes, over raw connections that stay
//! open; while they do, a reviewer signs in, the device pushes and creates an upload, and
//! one of the stalled uploads is finished by a fresh PATCH. Each must answer; the
//! bound on each wait is a liveness bound (a starved server never answers), not a speed
//! figure: those are in BENCHMARKS.md ("slow uploads").

use std::time::Duration;

use reqwest::StatusCode;
use saakshi_domain::MediaKind;
use saakshi_domain::wire::PushStatus;
use saakshi_tests::blackbox::{BlackBox, PASSWORD, jpeg};

/// More than tokio's 512 blocking threads.
const STALLED: usize = 600;
/// Long enough for any answer of a live server on a loaded CI machine.
const LIVE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_bodies_do_not_stop_sign_in_push_or_uploads() {
    // One device opens them all: its request budget is not what this test is about.
    let bb = BlackBox::start_with("device_requests_per_minute = 100000\n").await;
    let device = bb.enroll("B-104").await;
    bb.new_admin("reviewer").await;

    let mut records = Vec::new();
    let mut media = Vec::new();
    for i in 0..STALLED {
        let mut bytes = jpeg((i % 250) as u8);
        // Distinct content per capture: a trailing comment after the image's end.
        bytes.extend_from_slice(format!("slow body {i}").as_bytes());
        records.push(device.record(&bytes, MediaKind::Photo, "image/jpeg"));
        media.push(bytes);
    }
    for chunk in records.chunks(500) {
        let pushed = device.push(chunk).await;
        assert!(
            pushed
                .results
                .iter()
                .all(|r| r.status == PushStatus::Accepted)
        );
    }
    let mut locations = Vec::new();
    for (rec, bytes) in records.iter().zip(&media) {
        locations.push(device.open_upload(rec, bytes.len() as u64).await);
    }
    let mut stalled = Vec::new();
    for (location, bytes) in locations.iter().zip(&media) {
        stalled.push(device.stall_patch(location, bytes, 100).await.unwrap());
    }

    // With every body stalled: sign-in (argon2 and the database on blocking threads) …
    let signed_in = tokio::time::timeout(LIVE, bb.sign_in("reviewer", PASSWORD)).await;
    assert!(
        matches!(signed_in, Ok(Ok(_))),
        "sign-in did not answer while {STALLED} bodies stalled: {signed_in:?}"
    );
    // … a push and a new upload …
    let bytes = jpeg(251);
    let rec = device.record(&bytes, MediaKind::Photo, "image/jpeg");
    let pushed = tokio::time::timeout(LIVE, device.push(std::slice::from_ref(&rec)))
        .await
        .expect("a push did not answer while bodies stalled");
    assert_eq!(pushed.results[0].status, PushStatus::Accepted);
    let patched = tokio::time::timeout(LIVE, device.upload(&rec, &bytes))
        .await
        .expect("a new upload did not answer while bodies stalled");
    assert_eq!(patched.status(), StatusCode::NO_CONTENT);

    // … and a stalled upload finished by a fresh PATCH once its connection is gone.
    drop(stalled.remove(0));
    let resumed = tokio::time::timeout(LIVE, async {
        loop {
            let head = device
                .req(reqwest::Method::HEAD, &locations[0])
                .header("Tus-Resumable", "1.0.0")
                .send()
                .await
                .unwrap();
            let offset: usize = head.headers()["upload-offset"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            let resp = device
                .patch(&locations[0], offset as u64, media[0][offset..].to_vec())
                .await;
            // 409/423 while the server still holds the cut request's slot: try again.
            if resp.status() == StatusCode::NO_CONTENT {
                return offset;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the stalled upload could not be finished");
    // 100 once the cut request has saved what arrived; 0 if the fresh PATCH came first.
    assert!(resumed <= 100, "resumed at {resumed}");
    drop(stalled);
}
