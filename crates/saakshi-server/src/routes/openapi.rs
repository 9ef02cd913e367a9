//! `GET /api/v1/openapi.json`: the JSON API described in OpenAPI 3.1. A test calls every
//! operation listed here against the router, so the document cannot list a route that
//! does not exist.

use axum::response::IntoResponse;
use serde_json::{Value, json};

fn err_ref() -> Value {
    json!({ "description": "error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn body(schema: &str) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}

fn ok(schema: &str) -> Value {
    json!({ "description": "ok", "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}

fn op(summary: &str, security: &str, extra: Value) -> Value {
    let mut v = json!({
        "summary": summary,
        "responses": { "default": err_ref() },
    });
    if !security.is_empty() {
        v["security"] = json!([{ security: [] }]);
    }
    if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
        for (k, val) in e {
            if k == "responses" {
                if let (Some(r), Some(er)) = (
                    o.get_mut("responses").and_then(Value::as_object_mut),
                    val.as_object(),
                ) {
                    r.extend(er.clone());
                }
            } else {
                o.insert(k.clone(), val.clone());
            }
        }
    }
    v
}

fn param(name: &str, place: &str, desc: &str) -> Value {
    json!({ "name": name, "in": place, "required": place == "path", "description": desc, "schema": { "type": "string" } })
}

/// The feed's filters, shared by the feed, the map and the exports.
fn filters() -> Value {
    json!([
        param("area", "query", "area code: its whole subtree"),
        param("from", "query", "taken at or after (RFC 3339)"),
        param("to", "query", "taken before (RFC 3339)"),
        param("kind", "query", "photo, video, audio or note"),
        param("tag", "query", "a tag"),
        param("event", "query", "an event"),
        param(
            "review",
            "query",
            "pending, approved, rejected or needs_info"
        ),
        param("device", "query", "device id"),
        param("located", "query", "true or false"),
        param("q", "query", "text in the caption"),
        param("limit", "query", "page size, 1 to 200 (feed)"),
        param(
            "before",
            "query",
            "the next cursor of the previous page (feed)"
        ),
    ])
}

/// The document.
pub fn document() -> Value {
    let mut doc = base_document();
    if let (Some(paths), Value::Object(more)) = (
        doc.get_mut("paths").and_then(Value::as_object_mut),
        dashboard_paths(),
    ) {
        paths.extend(more);
    }
    doc
}

fn base_document() -> Value {
    let tus = "tus 1.0.0 (https://tus.io/protocols/resumable-upload); send Tus-Resumable: 1.0.0";
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Saakshi sync and dashboard API",
            "version": "1",
            "description": "Every response carries Saakshi-Protocol: 1. Errors are {\"error\": {\"code\", \"message\"}} with a stable code."
        },
        "components": {
            "securitySchemes": {
                "device": { "type": "http", "scheme": "bearer", "description": "device token from enrolment" },
                "session": { "type": "apiKey", "in": "cookie", "name": "saakshi_session", "description": "from /api/v1/auth/login; writes also need X-CSRF-Token" }
            },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
                    "code": { "type": "string", "enum": ["invalid_input", "malformed_request", "not_found", "conflict", "unauthorized", "forbidden", "device_revoked", "payload_too_large", "checksum_mismatch", "offset_mismatch", "rate_limited", "upload_expired", "unsupported_protocol", "internal", "password_change_required"] },
                    "message": { "type": "string" } } } } },
                "EnrollRequest": { "type": "object", "additionalProperties": false, "required": ["invite_code", "device_name", "platform", "public_key"], "properties": {
                    "invite_code": { "type": "string" }, "device_name": { "type": "string" }, "platform": { "type": "string" },
                    "public_key": { "type": "string", "description": "base64 of the 32-byte Ed25519 public key" } } },
                "Area": { "type": "object", "properties": { "code": { "type": "string" }, "level": { "type": "string", "enum": ["state", "region", "district", "lok_sabha", "vidhan_sabha", "mandal", "booth"] }, "name_en": { "type": "string" }, "name_hi": { "type": "string" } } },
                "EnrollResponse": { "type": "object", "required": ["device_id", "token", "area", "server_time"], "properties": {
                    "device_id": { "type": "string", "format": "uuid" }, "token": { "type": "string" },
                    "area": { "$ref": "#/components/schemas/Area" }, "server_time": { "type": "string", "format": "date-time" } } },
                "Location": { "type": ["object", "null"], "additionalProperties": false, "required": ["lat", "lon", "source"], "properties": {
                    "lat": { "type": "number", "minimum": -90, "maximum": 90 }, "lon": { "type": "number", "minimum": -180, "maximum": 180 },
                    "accuracy_m": { "type": ["number", "null"], "minimum": 0 }, "altitude_m": { "type": ["number", "null"] },
                    "source": { "type": "string", "enum": ["gps", "network", "exif", "manual"] }, "fix_time": { "type": ["string", "null"], "format": "date-time" } } },
                "CaptureRecord": { "type": "object", "additionalProperties": false,
                    "required": ["id", "revision", "kind", "sha256", "size", "mime", "original_name", "captured_at", "location", "caption", "tags", "event", "area_code"],
                    "properties": {
                        "id": { "type": "string", "format": "uuid" }, "revision": { "type": "integer", "minimum": 1 },
                        "kind": { "type": "string", "enum": ["photo", "video", "audio", "note"] },
                        "sha256": { "type": "string", "pattern": "^[0-9a-f]{64}$" }, "size": { "type": "integer", "minimum": 1 },
                        "mime": { "type": "string" }, "original_name": { "type": ["string", "null"] },
                        "captured_at": { "type": "object", "required": ["utc", "offset_minutes"], "properties": { "utc": { "type": "string", "format": "date-time" }, "offset_minutes": { "type": "integer", "minimum": -720, "maximum": 840 } } },
                        "location": { "$ref": "#/components/schemas/Location" },
                        "caption": { "type": "string", "maxLength": 2000 }, "tags": { "type": "array", "maxItems": 20, "items": { "type": "string" } },
                        "event": { "type": ["string", "null"] }, "area_code": { "type": ["string", "null"] },
                        "signature": { "type": "string", "description": "base64 Ed25519 signature over the capture manifest (saakshi-capture-manifest/1), made at capture with the device key" } } },
                "PushRequest": { "type": "object", "additionalProperties": false, "required": ["captures"], "properties": {
                    "captures": { "type": "array", "maxItems": 500, "items": { "$ref": "#/components/schemas/CaptureRecord" } },
                    "clock_skew_ms": { "type": ["integer", "null"] } } },
                "PushResponse": { "type": "object", "properties": { "server_time": { "type": "string", "format": "date-time" }, "results": { "type": "array", "items": { "type": "object", "properties": {
                    "id": { "type": "string" }, "status": { "type": "string", "enum": ["accepted", "conflict", "rejected"] },
                    "code": { "type": "string" }, "message": { "type": "string" }, "revision": { "type": "integer" },
                    "media": { "type": "string", "enum": ["needed", "present", "uploading"] },
                    "upload_url": { "type": "string" }, "offset": { "type": "integer" },
                    "challenge": { "type": "string", "pattern": "^[0-9a-f]{64}$", "description": "with `needed`: answer it at /api/v1/sync/proofs to skip the upload of bytes the device holds" } } } } } },
                "ProofRequest": { "type": "object", "additionalProperties": false, "required": ["proofs"], "properties": {
                    "proofs": { "type": "array", "maxItems": 500, "items": { "type": "object", "additionalProperties": false, "required": ["sha256", "size", "challenge", "answer"], "properties": {
                        "sha256": { "type": "string", "pattern": "^[0-9a-f]{64}$" }, "size": { "type": "integer", "minimum": 1 },
                        "challenge": { "type": "string", "pattern": "^[0-9a-f]{64}$" },
                        "answer": { "type": "string", "pattern": "^[0-9a-f]{64}$", "description": "SHA-256 over the windows of the media the challenge picks (saakshi_domain::possession)" } } } } } },
                "ProofResponse": { "type": "object", "properties": { "results": { "type": "array", "items": { "type": "object", "properties": {
                    "sha256": { "type": "string" }, "media": { "type": "string", "enum": ["needed", "present"] } } } } } },
                "PullResponse": { "type": "object", "properties": {
                    "cursor": { "type": "integer" }, "more": { "type": "boolean" }, "server_time": { "type": "string", "format": "date-time" },
                    "changes": { "type": "array", "items": { "type": "object", "properties": { "seq": { "type": "integer" }, "at": { "type": "string", "format": "date-time" },
                        "change": { "type": "object", "required": ["kind"], "properties": { "kind": { "type": "string", "enum": ["capture_synced", "review", "revoked", "kit"] } } } } } } } }
            }
        },
        "paths": {
            "/healthz": { "get": op("Liveness and readiness", "", json!({ "responses": { "200": { "description": "ok" } } })) },
            "/metrics": { "get": op("Prometheus text format", "", json!({ "responses": { "200": { "description": "ok" } } })) },
            "/api/v1/openapi.json": { "get": op("This document", "", json!({ "responses": { "200": { "description": "ok" } } })) },
            "/api/v1/devices/enroll": { "post": op("Enrol a device with an invite code", "", json!({ "requestBody": body("EnrollRequest"), "responses": { "201": ok("EnrollResponse") } })) },
            "/api/v1/sync/captures": { "post": op("Push capture records (idempotent by id and revision)", "device", json!({ "requestBody": body("PushRequest"), "responses": { "200": ok("PushResponse") } })) },
            "/api/v1/sync/proofs": { "post": op("Prove the device holds media a push answered `needed` with a challenge, instead of uploading it", "device", json!({ "requestBody": body("ProofRequest"), "responses": { "200": ok("ProofResponse") } })) },
            "/api/v1/sync/pull": { "get": op("Changes for this device after a cursor", "device", json!({ "parameters": [param("cursor", "query", "last seq seen")], "responses": { "200": ok("PullResponse") } })) },
            "/api/v1/sync/thumbnails/{capture_id}": { "post": op("A JPEG preview (at most 64 KiB)", "device", json!({ "parameters": [param("capture_id", "path", "capture id")], "requestBody": { "content": { "image/jpeg": {} } }, "responses": { "204": { "description": "stored" } } })) },
            "/api/v1/media/{sha256}": { "get": op("Media bytes, with Range, ETag and If-None-Match", "device", json!({ "parameters": [param("sha256", "path", "64 hex digits")], "responses": { "200": { "description": "media" }, "206": { "description": "a range" }, "304": { "description": "not modified" } } })) },
            "/api/v1/uploads": {
                "options": op(&format!("{tus}: capabilities"), "", json!({ "responses": { "204": { "description": "capabilities" } } })),
                "post": op(&format!("{tus}: create an upload (Upload-Length or Upload-Defer-Length, Upload-Metadata with sha256, capture_id, kind, filename, mime)"), "device", json!({ "responses": { "201": { "description": "created; Location names it" } } }))
            },
            "/api/v1/uploads/{id}": {
                "head": op(&format!("{tus}: offset of an upload"), "device", json!({ "parameters": [param("id", "path", "upload id")], "responses": { "200": { "description": "Upload-Offset" } } })),
                "patch": op(&format!("{tus}: append at Upload-Offset (Upload-Checksum sha1/sha256 optional)"), "device", json!({ "parameters": [param("id", "path", "upload id")], "responses": { "204": { "description": "appended" } } })),
                "delete": op(&format!("{tus}: terminate an upload"), "device", json!({ "parameters": [param("id", "path", "upload id")], "responses": { "204": { "description": "removed" } } }))
            },
            "/api/v1/auth/login": { "post": op("Sign in; sets the session cookie and answers the CSRF token", "", json!({ "responses": { "200": { "description": "signed in" } } })) },
            "/api/v1/auth/logout": { "post": op("Sign out", "session", json!({ "responses": { "204": { "description": "signed out" } } })) },
            "/api/v1/auth/me": { "get": op("The signed-in user", "session", json!({ "responses": { "200": { "description": "user" } } })) },
            "/api/v1/admin/areas": { "get": op("Areas in scope", "session", json!({ "responses": { "200": { "description": "areas" } } })) },
            "/api/v1/admin/areas/import": { "post": op("Import areas from CSV (admin)", "session", json!({ "requestBody": { "content": { "text/csv": {} } }, "responses": { "200": { "description": "imported" } } })) },
            "/api/v1/admin/invites": {
                "get": op("Invites for areas in scope (codes are not kept)", "session", json!({ "responses": { "200": { "description": "invites" } } })),
                "post": op("Create an invite for an area in scope", "session", json!({ "responses": { "201": { "description": "code and link" } } }))
            },
            "/api/v1/admin/devices": { "get": op("Devices in scope", "session", json!({ "responses": { "200": { "description": "devices" } } })) },
            "/api/v1/admin/devices/{id}/revoke": { "post": op("Revoke a device in scope", "session", json!({ "parameters": [param("id", "path", "device id")], "responses": { "204": { "description": "revoked" } } })) },
            "/api/v1/admin/users": {
                "get": op("Every account (admin)", "session", json!({ "responses": { "200": { "description": "users" } } })),
                "post": op("Create a user (admin)", "session", json!({ "responses": { "201": { "description": "name and first password" } } }))
            },
            "/api/v1/kits": {
                "get": op("Kits published to areas in scope", "session", json!({ "responses": { "200": { "description": "kits" } } })),
                "post": op("Publish the media of captures in scope, with captions, to areas in scope", "session", json!({ "responses": { "201": { "description": "the kit" } } }))
            },
            "/api/v1/review/captures": { "get": op("A page of captures in scope, newest arrival first: items, next cursor, total", "session", json!({ "parameters": filters(), "responses": { "200": { "description": "items, next, total" } } })) }
        }
    })
}

/// The dashboard's review, export and audit operations.
fn dashboard_paths() -> Value {
    json!({
            "/api/v1/admin/audit": { "get": op("The audit log in scope, newest first", "session", json!({ "parameters": [param("actor", "query", "user name"), param("action", "query", "login, login_failed, review, export, media_view, kit_publish, invite_create, user_create, device_revoke, areas_import, password_change"), param("from", "query", "RFC 3339"), param("to", "query", "RFC 3339"), param("limit", "query", "1 to 500"), param("before", "query", "the next cursor")], "responses": { "200": { "description": "items and next" } } })) },
            "/api/v1/auth/password": { "post": op("Change one's password (signs out other sessions)", "session", json!({ "responses": { "204": { "description": "changed" } } })) },
            "/api/v1/dashboard/config": { "get": op("Map tile URL and attribution", "", json!({ "responses": { "200": { "description": "settings" } } })) },
            "/api/v1/review/captures/{id}": { "get": op("One capture in scope, with its area and provenance verdict", "session", json!({ "parameters": [param("id", "path", "capture id")], "responses": { "200": { "description": "capture" } } })) },
            "/api/v1/review/captures/{id}/thumbnail": { "get": op("A capture's JPEG preview", "session", json!({ "parameters": [param("id", "path", "capture id")], "responses": { "200": { "description": "image/jpeg" } } })) },
            "/api/v1/review/captures/{id}/review": { "post": op("Approve, reject or ask for more (a note is required but to approve); the device learns at its next pull", "session", json!({ "parameters": [param("id", "path", "capture id")], "responses": { "200": { "description": "the capture" } } })) },
            "/api/v1/review/points": { "get": op("Located captures matching the filters, and their areas' names", "session", json!({ "parameters": filters(), "responses": { "200": { "description": "points and areas" } } })) },
            "/api/v1/review/export.csv": { "get": op("The filtered captures as CSV (streamed)", "session", json!({ "parameters": filters(), "responses": { "200": { "description": "text/csv" } } })) },
            "/api/v1/review/export.geojson": { "get": op("The filtered captures as GeoJSON (streamed)", "session", json!({ "parameters": filters(), "responses": { "200": { "description": "application/geo+json" } } })) },
            "/api/v1/review/export.zip": { "get": op("The filtered captures' media and one JSON manifest each, as a ZIP (streamed, ZIP64 when large)", "session", json!({ "parameters": filters(), "responses": { "200": { "description": "application/zip" } } })) }
    })
}

/// Serves the document.
pub async fn serve() -> impl IntoResponse {
    axum::Json(document())
}
