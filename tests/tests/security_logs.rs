//! What the server logs: a span per request with its method and route, and never a
//! secret (a device's token, an invite code, a password, a session cookie or its CSRF
//! token), even with every debug line on.

use reqwest::Method;
use saakshi_domain::MediaKind;
use saakshi_tests::blackbox::{BlackBox, Device, PASSWORD, jpeg};

#[tokio::test]
async fn requests_are_logged_by_route_and_no_secret_is() {
    let bb = BlackBox::start_logged().await;
    let code = bb.invite("B-104");
    let device = Device::enroll(&bb.url, &code).await;
    let bytes = jpeg(7);
    let rec = device.record(&bytes, MediaKind::Photo, "image/jpeg");
    device.push(std::slice::from_ref(&rec)).await;
    let admin = bb.admin_session().await;
    let feed = admin.get("/api/v1/review/captures").await;
    assert!(feed.status().is_success(), "{}", feed.status());
    let denied = bb
        .anonymous(Method::GET, "/api/v1/review/captures?secret-looking=query")
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 401);

    let log = bb.log();
    // Each request has its span, named by its route template.
    for route in [
        "/api/v1/devices/enroll",
        "/api/v1/sync/captures",
        "/api/v1/auth/login",
        "/api/v1/review/captures",
    ] {
        assert!(
            log.lines()
                .any(|l| l.contains("request{") && l.contains(route)),
            "no span for {route} in:\n{log}"
        );
    }
    // The admin's first password was changed to PASSWORD at the first sign-in.
    let cookie_value = admin.cookie.split('=').nth(1).unwrap().to_string();
    for (what, secret) in [
        ("device token", device.token.as_str()),
        ("invite code", code.as_str()),
        ("first password", bb.admin_password.as_str()),
        ("password", PASSWORD),
        ("session cookie", cookie_value.as_str()),
        ("CSRF token", admin.csrf.as_str()),
        ("query string", "secret-looking"),
    ] {
        assert!(!secret.is_empty());
        assert!(!log.contains(secret), "the log holds the {what}:\n{log}");
    }
}
