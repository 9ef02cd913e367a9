//! The OpenAPI document is generated from the code (`src/routes/openapi.rs`): it lists
//! only routes that exist, says truthfully who may call each, and the copy committed as
//! `docs/openapi.json` is the one the server serves.

mod common;

use common::*;
use reqwest::{Method, StatusCode};

const REGENERATE: &str = "cargo run -p saakshi-server -- openapi > docs/openapi.json";

async fn served(server: &TestServer) -> String {
    let resp = reqwest::get(format!("{}/api/v1/openapi.json", server.url))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/json");
    resp.text().await.unwrap()
}

/// CI fails when a change to a handler or a wire type is not followed by the committed
/// document (the TypeScript types are generated from that file).
#[tokio::test]
async fn committed_document_is_not_stale() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let doc = served(&server).await;
    server.stop().await;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == doc,
        "docs/openapi.json is stale (or missing): it differs from the document the server \
         generates. Regenerate it from the repository root with:\n    {REGENERATE}\n\
         then run `npm run generate` in ui/dashboard for the TypeScript types."
    );
}

#[tokio::test]
async fn every_documented_operation_is_routed_and_guarded_as_documented() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let doc: serde_json::Value = serde_json::from_str(&served(&server).await).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    assert_eq!(schemes["device"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "saakshi_session");
    assert_eq!(schemes["csrf"]["name"], "X-CSRF-Token");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 30, "{} paths", paths.len());
    let mut checked = 0;
    let mut ids = std::collections::HashSet::new();
    for (path, ops) in paths {
        let concrete = path
            .replace("{capture_id}", "01a216ad-d989-756d-bcd1-6d96536ca54a")
            .replace("{sha256}", &"ab".repeat(32))
            .replace("{id}", "0123456789abcdef0123456789abcdef");
        for (method, op) in ops.as_object().unwrap() {
            assert!(
                ids.insert(op["operationId"].as_str().unwrap().to_string()),
                "{method} {path}: operationId {} is used twice",
                op["operationId"]
            );
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            // No credentials at all.
            let resp = reqwest::Client::new()
                .request(m.clone(), format!("{}{concrete}", server.url))
                .header("tus-resumable", "1.0.0")
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
            // Who may call it: an operation that names a security scheme refuses a
            // caller without credentials; one that names none lets them in.
            let guarded = op
                .get("security")
                .and_then(|s| s.as_array())
                .is_some_and(|s| !s.is_empty());
            if guarded {
                assert_eq!(
                    status,
                    StatusCode::UNAUTHORIZED,
                    "{m} {path} is documented as needing credentials"
                );
            } else {
                assert_ne!(
                    status,
                    StatusCode::UNAUTHORIZED,
                    "{m} {path} is documented as open"
                );
            }
            // A person's writes need the CSRF header too, and only writes say so.
            let needs_csrf = op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("csrf").is_some()));
            let session = op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("session").is_some()));
            assert_eq!(
                needs_csrf,
                session && m != Method::GET,
                "{m} {path}: the CSRF header is documented for writes with a session only"
            );
            checked += 1;
        }
    }
    assert!(checked >= 35, "{checked} operations");
    server.stop().await;
}

/// Request types refuse unknown fields (`additionalProperties: false`); the answers that
/// flatten them and add fields (a feed row, an area with its path) must not inherit that
/// refusal, or every such answer would break its own schema.
#[test]
fn flattened_request_types_do_not_forbid_the_fields_answers_add() {
    let doc = saakshi_server::routes::openapi::document();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["CaptureRecord"]["additionalProperties"], false);
    assert_eq!(schemas["Area"]["additionalProperties"], false);
    for (answer, added) in [("CaptureRow", "device_id"), ("AreaRow", "path")] {
        let parts = schemas[answer]["allOf"].as_array().unwrap();
        assert!(
            parts.iter().any(|p| p["properties"].get(added).is_some()),
            "{answer} adds {added}"
        );
        for p in parts {
            assert_ne!(
                p.get("additionalProperties"),
                Some(&serde_json::Value::Bool(false)),
                "{answer} forbids the fields it adds"
            );
            assert!(
                p.get("$ref").is_none(),
                "{answer} refers to a strict schema"
            );
        }
    }
}
