//! `GET /api/v1/openapi.json`: the HTTP API described in OpenAPI 3.1, generated from the
//! code. Each handler carries its `#[utoipa::path]` (method, path, parameters, bodies,
//! answers, who may call it) and is routed by `routes!` from that same attribute
//! ([`super::api`], [`crate::tus::api`]); the bodies' schemas are derived from the Rust
//! types (`saakshi-domain`'s wire types, the store's listings). A copy is committed as
//! `docs/openapi.json`, checked by a test (`tests/openapi.rs`); regenerate it with
//! `cargo run -p saakshi-server -- openapi > docs/openapi.json`.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use saakshi_domain::wire::ErrorBody;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi as _};

use crate::auth::SESSION_COOKIE;

/// Security schemes, as `crate::auth` checks them: a device's bearer token; a person's
/// session cookie, which every write must pair with the session's CSRF token.
#[derive(Debug)]
struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "device",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "the device token from enrolment (POST /api/v1/devices/enroll)",
                    ))
                    .build(),
            ),
        );
        c.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "set by POST /api/v1/auth/login (HttpOnly, SameSite=Strict)",
            ))),
        );
        c.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "the csrf_token that sign-in answered; every write with a session carries it",
            ))),
        );
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Saakshi sync and dashboard API",
        version = "1",
        description = "Every response carries Saakshi-Protocol: 1. Errors are {\"error\": {\"code\", \"message\"}} with a stable code. Uploads speak tus 1.0.0 (https://tus.io/protocols/resumable-upload)."
    ),
    components(schemas(ErrorBody)),
    modifiers(&Security),
    tags(
        (name = "sync", description = "devices: enrolment, push, proofs, pull, media"),
        (name = "tus", description = "resumable uploads of media (tus 1.0.0)"),
        (name = "session", description = "signing in and out"),
        (name = "admin", description = "areas, invites, devices, users, audit"),
        (name = "review", description = "the dashboard's feed, map, verdicts and exports"),
        (name = "kits", description = "media published back to devices"),
        (name = "health", description = "liveness and metrics"),
    )
)]
struct Base;

/// The document: the base (info, security, tags) and every described route.
pub fn document() -> serde_json::Value {
    let mut doc = Base::openapi();
    doc.merge(
        super::api(usize::MAX)
            .merge(crate::tus::api())
            .into_openapi(),
    );
    let mut doc = serde_json::to_value(doc).expect("an OpenAPI document always serialises");
    open_flattened(&mut doc);
    doc
}

/// A request type that refuses unknown fields (`deny_unknown_fields`, so
/// `additionalProperties: false`) can also be flattened into an answer that adds fields
/// to it (`CaptureRecord` in `CaptureRow`, `Area` in `AreaRow`); through its `$ref` the
/// answer would then forbid its own extra fields. Each such use in an `allOf` gets an
/// inline copy of the schema without that one keyword; the request keeps the strict one.
fn open_flattened(doc: &mut serde_json::Value) {
    use serde_json::Value;
    let schemas = doc["components"]["schemas"].clone();
    let strict = |r: &str| -> Option<Value> {
        let name = r.strip_prefix("#/components/schemas/")?;
        let mut s = schemas.get(name)?.as_object()?.clone();
        (s.remove("additionalProperties") == Some(Value::Bool(false))).then_some(Value::Object(s))
    };
    fn walk(v: &mut Value, strict: &dyn Fn(&str) -> Option<Value>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::Array(parts)) = o.get_mut("allOf") {
                    for part in parts.iter_mut() {
                        let open = part.get("$ref").and_then(Value::as_str).and_then(strict);
                        if let Some(open) = open {
                            *part = open;
                        }
                    }
                }
                o.values_mut().for_each(|c| walk(c, strict));
            }
            Value::Array(a) => a.iter_mut().for_each(|c| walk(c, strict)),
            _ => {}
        }
    }
    walk(doc, &strict);
}

/// The document as pretty JSON with a final newline, as committed in `docs/openapi.json`.
pub fn document_json() -> String {
    let mut s =
        serde_json::to_string_pretty(&document()).expect("an OpenAPI document always serialises");
    s.push('\n');
    s
}

static DOCUMENT: LazyLock<String> = LazyLock::new(document_json);

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "health",
    responses((status = 200, description = "this document", content_type = "application/json"))
)]
pub async fn serve() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}
