//! Security suite, finding 4: sign-in and enrolment under a flood, against the server
//! process. Wrong passwords used to be checked all at once and counted afterwards (60
//! parallel guesses against a limit of 10 were all verified), and anyone could keep
//! `admin` locked out. Clients bind to different loopback addresses (all of 127.0.0.0/8
//! is this machine) to come from different places. The in-process suite
//! (crates/saakshi-server/tests/signin.rs) covers the rules one by one.

use std::net::{IpAddr, Ipv4Addr};

use reqwest::StatusCode;
use saakshi_server::signin_limits::ACCOUNT_FAILURES_PER_MINUTE;
use saakshi_tests::blackbox::{BlackBox, PASSWORD};

fn from(a: u8, b: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, a, b)))
        .build()
        .unwrap()
}

/// How many wrong passwords of known accounts the server has checked with argon2.
async fn wrong_checks(bb: &BlackBox) -> u64 {
    let prefix = "saakshi_password_checks_total{account=\"known\",result=\"wrong\"} ";
    bb.metrics()
        .await
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .map_or(0, |n| n.parse().unwrap())
}

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

#[tokio::test]
async fn a_flood_of_wrong_passwords_is_counted_before_checking_and_locks_nobody_out() {
    let bb = BlackBox::start().await;
    // The admin signs in from her usual place (127.0.0.1) first.
    bb.admin_session().await;
    let before = wrong_checks(&bb).await;

    let login = |client: reqwest::Client, i: usize| {
        client
            .post(format!("{}/api/v1/auth/login", bb.url))
            .json(&serde_json::json!({"name": "admin", "password": format!("guess {i}")}))
    };
    let statuses = at_once((0..60).map(|i| login(from(1, i as u8 + 1), i)).collect()).await;
    assert!(
        statuses.iter().all(|s| *s != StatusCode::OK),
        "{statuses:?}"
    );
    let checked = wrong_checks(&bb).await - before;
    assert!(
        checked <= u64::from(ACCOUNT_FAILURES_PER_MINUTE),
        "{checked} wrong passwords were checked; the limit is {ACCOUNT_FAILURES_PER_MINUTE}"
    );
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );

    // The flood cannot keep the admin out of the place she signs in from.
    let home = from(0, 1);
    let resp = home
        .post(format!("{}/api/v1/auth/login", bb.url))
        .json(&serde_json::json!({"name": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_flood_of_wrong_invite_codes_is_cut_off_per_address() {
    let bb = BlackBox::start().await;
    let one = from(4, 1);
    let enroll = |i: usize| {
        one.post(format!("{}/api/v1/devices/enroll", bb.url))
            .json(&serde_json::json!({
                "invite_code": format!("WRONG-{i:04}"),
                "device_name": "guesser",
                "platform": "android",
                "public_key": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            }))
    };
    let statuses = at_once((0..40).map(enroll).collect()).await;
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        refused >= 20,
        "only {refused} of 40 were cut off: {statuses:?}"
    );
    assert!(!statuses.contains(&StatusCode::CREATED));
    // A volunteer elsewhere with a real invite still enrols.
    bb.enroll("B-104").await;
}
