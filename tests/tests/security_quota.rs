//! Security suite, finding 5: what one device may store. A deferred-length upload used
//! to ignore `max_media_bytes` (20 MiB stored under an 8 MiB limit), and nothing bounded
//! what one device could keep on the server.

use reqwest::{Method, StatusCode};
use saakshi_tests::blackbox::{BlackBox, Device, upload_metadata};

async fn deferred_upload(dev: &Device) -> String {
    let resp = dev
        .req(Method::POST, "/api/v1/uploads/")
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Defer-Length", "1")
        .header("Upload-Metadata", upload_metadata(&[("filename", "x.wav")]))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.headers()["location"].to_str().unwrap().to_string()
}

async fn offset(dev: &Device, location: &str) -> u64 {
    let resp = dev
        .req(Method::HEAD, location)
        .header("Tus-Resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    resp.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// An error answer's message.
async fn message(resp: reqwest::Response) -> (StatusCode, String) {
    let status = resp.status();
    let body: serde_json::Value = resp.json().await.unwrap();
    (
        status,
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

/// A PATCH the server refuses before reading its whole body: the refusal's status and
/// message, or `None` when the server closed the connection while the body was still
/// being sent (HTTP/1.1 lets a server answer early and close; the client may then see
/// a broken pipe instead of the answer). Callers check the offset either way: nothing of
/// a refused body is kept.
async fn refused_patch(resp: reqwest::Result<reqwest::Response>) -> Option<(StatusCode, String)> {
    match resp {
        Ok(r) => Some(message(r).await),
        Err(e) => {
            assert!(e.is_request(), "not a cut while sending: {e}");
            None
        }
    }
}

fn patch_req(dev: &Device, location: &str, offset: u64) -> reqwest::RequestBuilder {
    dev.req(Method::PATCH, location)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream")
}

#[tokio::test]
async fn a_deferred_length_upload_is_held_to_the_media_limit_while_bytes_arrive() {
    let bb = BlackBox::start_with("max_media_bytes = 1048576\n").await;
    let dev = bb.enroll("B-104").await;
    let loc = deferred_upload(&dev).await;
    // Within the limit, bytes are taken.
    let resp = dev.patch(&loc, 0, vec![1; 600_000]).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    // One PATCH that would cross it is refused whole, declared length or not.
    let refused = refused_patch(
        patch_req(&dev, &loc, 600_000)
            .body(vec![2; 600_000])
            .send()
            .await,
    )
    .await;
    if let Some((status, msg)) = refused {
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(msg.contains("1048576"), "{msg}");
    }
    assert_eq!(offset(&dev, &loc).await, 600_000, "nothing of it was kept");
    // A body with no Content-Length (chunked) is cut at the limit too.
    let stream = futures_util::stream::iter(
        (0..10).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![3u8; 100_000]))),
    );
    let refused = refused_patch(
        patch_req(&dev, &loc, 600_000)
            .body(reqwest::Body::wrap_stream(stream))
            .send()
            .await,
    )
    .await;
    if let Some((status, _)) = refused {
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    }
    assert_eq!(offset(&dev, &loc).await, 600_000);
    // Declaring a length past the limit later is refused as well.
    let resp = dev
        .req(Method::PATCH, &loc)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", "600000")
        .header("Upload-Length", "2000000")
        .header("Content-Type", "application/offset+octet-stream")
        .body(vec![4u8; 10])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn one_device_cannot_store_more_than_its_quota() {
    let bb = BlackBox::start_with("max_device_bytes = 3000000\n").await;
    let dev = bb.enroll("B-104").await;
    // Two 1 MB uploads fit (declared or deferred).
    let a = dev.create_upload(1_000_000, &[("filename", "a.wav")]).await;
    assert_eq!(a.status(), StatusCode::CREATED);
    let b = deferred_upload(&dev).await;
    assert_eq!(
        dev.patch(&b, 0, vec![0; 1_000_000]).await.status(),
        StatusCode::NO_CONTENT
    );
    // A third that would cross 3 MB is refused at creation, with a reason a person can act on.
    let (status, msg) = message(dev.create_upload(1_500_000, &[("filename", "c.wav")]).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(msg.contains("max_device_bytes"), "{msg}");
    // The deferred one cannot grow past it either.
    let refused = refused_patch(
        patch_req(&dev, &b, 1_000_000)
            .body(vec![0; 1_500_000])
            .send()
            .await,
    )
    .await;
    if let Some((status, msg)) = refused {
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(msg.contains("max_device_bytes"), "{msg}");
    }
    assert_eq!(offset(&dev, &b).await, 1_000_000, "nothing of it was kept");
    // Another device has a quota of its own.
    let other = bb.enroll("B-104").await;
    let c = other
        .create_upload(1_500_000, &[("filename", "c.wav")])
        .await;
    assert_eq!(c.status(), StatusCode::CREATED);
}
