//! Media nobody describes is not kept forever: bytes uploaded with no capture (or whose
//! capture's device never held them) are swept once they are older than an upload may
//! live; media a capture's own device holds stays.

mod common;

use common::{TestServer, bytes, record, sha256};
use saakshi_server::store::now_ms;

#[tokio::test]
async fn media_with_no_capture_is_swept_and_described_media_stays() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let phone = server.device("B-104").await;

    // Bytes a plain tus client sent and never described.
    let orphan = bytes(50_000, 1);
    phone.upload(&orphan, 1 << 20, None).await;
    // Bytes with their record.
    let kept = bytes(50_000, 2);
    let rec = record(&kept);
    phone.push(std::slice::from_ref(&rec)).await;
    phone.upload(&kept, 1 << 20, Some(&rec.id)).await;
    // A record of another device naming the orphan's hash does not keep it: that device
    // never held the bytes.
    let claimant = server.device("B-104").await;
    claimant.push(&[record(&orphan)]).await;

    let state = &server.state;
    // Younger than the cut-off: nothing goes.
    assert_eq!(
        saakshi_server::sweep_orphan_media(state, now_ms() - 60_000)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        saakshi_server::sweep_orphan_media(state, now_ms() + 1)
            .await
            .unwrap(),
        1
    );
    assert!(!state.db.has_media(sha256(&orphan)).await.unwrap());
    assert!(
        !d.path()
            .join("media")
            .join(sha256(&orphan).to_hex())
            .exists()
    );
    assert!(state.db.has_media(rec.sha256).await.unwrap());
    assert!(d.path().join("media").join(rec.sha256.to_hex()).exists());
    // Sweeping again finds nothing more.
    assert_eq!(
        saakshi_server::sweep_orphan_media(state, now_ms() + 1)
            .await
            .unwrap(),
        0
    );
    server.stop().await;
}
