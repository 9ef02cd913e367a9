//! The OpenAPI document lists only routes that exist, with the methods they answer.

mod common;

use common::*;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let doc: serde_json::Value = reqwest::get(format!("{}/api/v1/openapi.json", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 20, "{} paths", paths.len());
    let mut checked = 0;
    for (path, ops) in paths {
        let concrete = path
            .replace("{capture_id}", "01a216ad-d989-756d-bcd1-6d96536ca54a")
            .replace("{sha256}", &"ab".repeat(32))
            .replace("{id}", "0123456789abcdef0123456789abcdef");
        for method in ops.as_object().unwrap().keys() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let resp = reqwest::Client::new()
                .request(m.clone(), format!("{}{concrete}", server.url))
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let body = resp.bytes().await.unwrap();
            assert_ne!(
                status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{m} {path} is documented but not routed"
            );
            // The router's own 404 has no body; ours always carries the error JSON.
            assert!(
                status != StatusCode::NOT_FOUND || !body.is_empty() || m == Method::HEAD,
                "{m} {path} is documented but not routed"
            );
            checked += 1;
        }
    }
    assert!(checked >= 23, "{checked} operations");
    server.stop().await;
}
