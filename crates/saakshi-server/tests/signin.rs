//! Sign-in and enrolment under a flood, over real sockets: attempts are counted before the
//! password is checked, per account and per address, and the owner is not locked out.
//! Clients bind to different loopback addresses (all of 127.0.0.0/8 is loopback) to
//! come from different places.

mod common;

use std::net::{IpAddr, Ipv4Addr};

use common::TestServer;
use reqwest::StatusCode;
use saakshi_server::config::Settings;
use saakshi_server::signin_limits::{
    ACCOUNT_FAILURES_PER_MINUTE, ADDRESS_FAILURES_PER_MINUTE, PAIR_FAILURES_PER_MINUTE,
};
use saakshi_server::store::Role;

fn from(a: u8, b: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, a, b)))
        .build()
        .unwrap()
}

async fn sign_in(http: &reqwest::Client, url: &str, name: &str, pw: &str) -> reqwest::Response {
    http.post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"name": name, "password": pw}))
        .send()
        .await
        .unwrap()
}

/// `saakshi_password_checks_total` for this account kind and result.
async fn checks(url: &str, account: &str, result: &str) -> u64 {
    let text = reqwest::get(format!("{url}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let prefix =
        format!("saakshi_password_checks_total{{account=\"{account}\",result=\"{result}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {prefix} in /metrics"))
        .parse()
        .unwrap()
}

/// Sends all `requests` at once; answers the statuses.
async fn at_once(requests: Vec<reqwest::RequestBuilder>) -> Vec<StatusCode> {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|r| tokio::spawn(async move { r.send().await.unwrap().status() }))
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// Sends `request(i)` one at a time until one is refused with 429; answers how many
/// were answered otherwise (at most 100).
async fn until_refused(mut request: impl FnMut(usize) -> reqwest::RequestBuilder) -> usize {
    for i in 0..100 {
        let status = request(i).send().await.unwrap().status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            return i;
        }
        assert_ne!(status, StatusCode::OK);
    }
    100
}

fn count(statuses: &[StatusCode], s: StatusCode) -> usize {
    statuses.iter().filter(|x| **x == s).count()
}

fn wrong_password(
    http: &reqwest::Client,
    url: &str,
    name: &str,
    i: usize,
) -> reqwest::RequestBuilder {
    http.post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"name": name, "password": format!("guess {i}")}))
}

async fn server_with_user(settings: Settings, name: &str) -> TestServer {
    let server = TestServer::start_with(settings).await;
    server
        .state
        .db
        .create_user(
            name.into(),
            Role::Admin,
            None,
            saakshi_server::passwords::hash_password("correct horse").unwrap(),
        )
        .await
        .unwrap();
    server
}

#[tokio::test]
async fn parallel_wrong_passwords_are_checked_only_up_to_the_limit() {
    let d = tempfile::tempdir().unwrap();
    let server = server_with_user(Settings::for_dir(d.path()), "root").await;
    // 60 at once, each from its own address: only the account-wide count stops them.
    let statuses = at_once(
        (0..60)
            .map(|i| wrong_password(&from(1, i as u8 + 1), &server.url, "root", i))
            .collect(),
    )
    .await;
    let verified = checks(&server.url, "known", "wrong").await;
    assert!(
        (1..=u64::from(ACCOUNT_FAILURES_PER_MINUTE)).contains(&verified),
        "{verified} checked: {statuses:?}"
    );
    assert_eq!(
        count(&statuses, StatusCode::UNAUTHORIZED),
        verified as usize
    );
    // The rest were refused before any check: 429 (limit) or 503 (busy), never 401.
    assert_eq!(
        count(&statuses, StatusCode::TOO_MANY_REQUESTS)
            + count(&statuses, StatusCode::SERVICE_UNAVAILABLE),
        60 - verified as usize
    );
    // Attempts answered 503 were never checked and gave their place back; one at a time,
    // the rest of the count fills exactly.
    until_refused(|i| wrong_password(&from(1, 100 + i as u8), &server.url, "root", i)).await;
    assert_eq!(
        checks(&server.url, "known", "wrong").await,
        u64::from(ACCOUNT_FAILURES_PER_MINUTE)
    );
    // 60 at once from one address: its own count for this account stops them sooner.
    let other = server_with_user(Settings::for_dir(&d.path().join("b")), "root").await;
    let one = from(1, 200);
    let statuses = at_once(
        (0..60)
            .map(|i| wrong_password(&one, &other.url, "root", i))
            .collect(),
    )
    .await;
    assert!(
        checks(&other.url, "known", "wrong").await <= u64::from(PAIR_FAILURES_PER_MINUTE),
        "{statuses:?}"
    );
    until_refused(|i| wrong_password(&one, &other.url, "root", i)).await;
    assert_eq!(
        checks(&other.url, "known", "wrong").await,
        u64::from(PAIR_FAILURES_PER_MINUTE)
    );
    server.stop().await;
    other.stop().await;
}

#[tokio::test]
async fn a_flood_of_wrong_passwords_does_not_lock_the_owner_out() {
    let d = tempfile::tempdir().unwrap();
    let server = server_with_user(Settings::for_dir(d.path()), "admin").await;
    let home = from(0, 2);
    assert_eq!(
        sign_in(&home, &server.url, "admin", "correct horse")
            .await
            .status(),
        StatusCode::OK
    );
    at_once(
        (0..60)
            .map(|i| wrong_password(&from(2, i as u8 + 1), &server.url, "admin", i))
            .collect(),
    )
    .await;
    assert!(checks(&server.url, "known", "wrong").await <= u64::from(ACCOUNT_FAILURES_PER_MINUTE));
    // (Any answered 503 gave its place back: fill the count.)
    until_refused(|i| wrong_password(&from(2, 100 + i as u8), &server.url, "admin", i)).await;
    // The flood is refused from a fresh address even with the right password...
    let stranger = sign_in(&from(0, 3), &server.url, "admin", "correct horse").await;
    assert_eq!(stranger.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(stranger.headers().contains_key("retry-after"));
    let body: serde_json::Value = stranger.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // ...but the owner's address still gets in.
    let owner = sign_in(&home, &server.url, "admin", "correct horse").await;
    assert_eq!(owner.status(), StatusCode::OK);
    assert!(owner.headers().contains_key("set-cookie"));
    server.stop().await;
}

#[tokio::test]
async fn unknown_names_cost_a_check_and_count_like_known_ones() {
    let d = tempfile::tempdir().unwrap();
    let server = server_with_user(Settings::for_dir(d.path()), "root").await;
    let one = from(3, 1);
    let statuses = at_once(
        (0..50)
            .map(|i| wrong_password(&one, &server.url, &format!("nobody{i}"), i))
            .collect(),
    )
    .await;
    let verified = checks(&server.url, "unknown", "wrong").await;
    assert!(
        (1..=u64::from(ADDRESS_FAILURES_PER_MINUTE)).contains(&verified),
        "{statuses:?}"
    );
    assert_eq!(
        count(&statuses, StatusCode::UNAUTHORIZED),
        verified as usize
    );
    until_refused(|i| wrong_password(&one, &server.url, &format!("later{i}"), i)).await;
    assert_eq!(
        checks(&server.url, "unknown", "wrong").await,
        u64::from(ADDRESS_FAILURES_PER_MINUTE)
    );
    // The same address is now refused for a real account too.
    assert_eq!(
        sign_in(&one, &server.url, "root", "correct horse")
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // An unknown name answers like a known one with a wrong password.
    let a = sign_in(&from(3, 2), &server.url, "nobody", "x").await;
    let b = sign_in(&from(3, 2), &server.url, "root", "x").await;
    assert_eq!(a.status(), b.status());
    assert_eq!(a.text().await.unwrap(), b.text().await.unwrap());
    server.stop().await;
}

#[tokio::test]
async fn forwarded_for_is_trusted_only_behind_a_proxy() {
    let d = tempfile::tempdir().unwrap();
    let xff = |http: &reqwest::Client, url: &str, i: usize| {
        wrong_password(http, url, "root", i).header(
            "x-forwarded-for",
            format!("10.9.{}.{}", i / 200, i % 200 + 1),
        )
    };
    // Not behind a proxy: the header is ignored, every attempt comes from 127.0.4.1.
    let direct = server_with_user(Settings::for_dir(&d.path().join("a")), "root").await;
    let one = from(4, 1);
    at_once((0..30).map(|i| xff(&one, &direct.url, i)).collect()).await;
    until_refused(|i| xff(&one, &direct.url, 100 + i)).await;
    assert_eq!(
        checks(&direct.url, "known", "wrong").await,
        u64::from(PAIR_FAILURES_PER_MINUTE)
    );
    direct.stop().await;
    // Behind a proxy: the last hop counts, so the account-wide count is what stops them,
    // and an owner known by their forwarded address still gets in.
    let mut settings = Settings::for_dir(&d.path().join("b"));
    settings.behind_proxy = true;
    let proxied = server_with_user(settings, "root").await;
    let owner = |url: String| {
        one.post(format!("{url}/api/v1/auth/login"))
            .header("x-forwarded-for", "1.2.3.4, 192.0.2.7")
            .json(&serde_json::json!({"name": "root", "password": "correct horse"}))
            .send()
    };
    assert_eq!(
        owner(proxied.url.clone()).await.unwrap().status(),
        StatusCode::OK
    );
    at_once((0..30).map(|i| xff(&one, &proxied.url, i)).collect()).await;
    until_refused(|i| xff(&one, &proxied.url, 100 + i)).await;
    assert_eq!(
        checks(&proxied.url, "known", "wrong").await,
        u64::from(ACCOUNT_FAILURES_PER_MINUTE)
    );
    assert_eq!(
        owner(proxied.url.clone()).await.unwrap().status(),
        StatusCode::OK
    );
    proxied.stop().await;
}

#[tokio::test]
async fn an_enrolment_flood_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let server = TestServer::start(d.path()).await;
    let key = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [7u8; 32]);
    let enroll = |http: &reqwest::Client, code: &str| {
        http.post(format!("{}/api/v1/devices/enroll", server.url))
            .json(&serde_json::json!({
                "invite_code": code,
                "public_key": key,
                "device_name": "phone",
                "platform": "android",
            }))
    };
    let guesser = from(5, 1);
    let statuses = at_once(
        (0..40)
            .map(|i| enroll(&guesser, &format!("AAAAA-{i:05}")))
            .collect(),
    )
    .await;
    let limit = saakshi_server::routes::ENROLL_FAILURES_PER_MINUTE as usize;
    assert_eq!(
        count(&statuses, StatusCode::FORBIDDEN),
        limit,
        "{statuses:?}"
    );
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 40 - limit);
    // Even a valid code waits at that address; elsewhere, phones enrol, many from one.
    let code = server.invite("B-104", 20).await;
    assert_eq!(
        enroll(&guesser, &code).send().await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let training = from(5, 2);
    for _ in 0..(limit + 5) {
        assert_eq!(
            enroll(&training, &code).send().await.unwrap().status(),
            StatusCode::CREATED
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_public_url_is_https() {
    let d = tempfile::tempdir().unwrap();
    for (public_url, secure) in [
        (None, false),
        (Some("http://saakshi.lan"), false),
        (Some("https://saakshi.example.org"), true),
    ] {
        let mut settings = Settings::for_dir(
            &d.path()
                .join(public_url.unwrap_or("none").replace([':', '/'], "_")),
        );
        settings.public_url = public_url.map(String::from);
        let server = server_with_user(settings, "root").await;
        let r = sign_in(
            &reqwest::Client::new(),
            &server.url,
            "root",
            "correct horse",
        )
        .await;
        let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
        assert_eq!(set.contains("; Secure"), secure, "{public_url:?}: {set}");
        server.stop().await;
    }
}
