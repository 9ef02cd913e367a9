//! The `saakshi-server` binary as an operator runs it: first start, admin command lines
//! while it serves, and SIGTERM in the middle of an upload.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use tokio::io::AsyncReadExt;

fn server_cmd(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_saakshi-server"));
    c.arg("--data-dir")
        .arg(data)
        .env_remove("SAAKSHI_SERVER_DATA");
    c
}

fn admin(data: &Path, args: &[&str]) -> std::process::Output {
    server_cmd(data).arg("admin").args(args).output().unwrap()
}

/// Starts the binary on a free port; returns it, its URL and what it printed first.
fn start(data: &Path) -> (Child, String, Vec<String>) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = server_cmd(data)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    loop {
        let l = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        let done = l.contains("listening on");
        printed.push(l);
        if done {
            break;
        }
    }
    (child, format!("http://127.0.0.1:{port}"), printed)
}

fn sigterm(child: &mut Child) -> std::process::ExitStatus {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    child.wait().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn first_start_admin_lines_and_sigterm_mid_upload() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    let (mut child, url, printed) = start(&data);
    let text = printed.join("\n");
    assert!(
        text.contains(&format!("data in {}", data.display())),
        "{text}"
    );
    assert!(
        text.contains("created user admin; one-time password: "),
        "{text}"
    );

    // Admin command lines against the running server's data.
    let csv = d.path().join("areas.csv");
    std::fs::write(&csv, "code,level,name_en,name_hi,parent_code\nUP,state,Uttar Pradesh,उत्तर प्रदेश,\nB-1,booth,Booth 1,बूथ 1,UP\nB-2,booth,Booth 2,,UP\n").unwrap();
    let out = admin(&data, &["import-areas", csv.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("line 4"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&csv, "code,level,name_en,name_hi,parent_code\nUP,state,Uttar Pradesh,उत्तर प्रदेश,\nB-1,booth,Booth 1,बूथ 1,UP\n").unwrap();
    let out = admin(&data, &["import-areas", csv.to_str().unwrap()]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "imported 2 areas"
    );
    let out = admin(&data, &["invite", "--area", "B-1", "--uses", "2", "--json"]);
    let invite: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let code = invite["code"].as_str().unwrap();
    assert!(
        invite["link"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/join/{code}"))
    );
    // The link points at 127.0.0.1: no phone can open it, and the admin is told how to fix it.
    let warning = String::from_utf8_lossy(&out.stderr);
    assert!(
        warning.contains("which no phone can reach") && warning.contains("SAAKSHI_PUBLIC_URL"),
        "{warning}"
    );
    let out = server_cmd(&data)
        .env("SAAKSHI_PUBLIC_URL", "http://192.168.1.20:8470")
        .args(["admin", "invite", "--area", "B-1", "--json"])
        .output()
        .unwrap();
    let invite_lan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        invite_lan["link"]
            .as_str()
            .unwrap()
            .starts_with("http://192.168.1.20:8470/join/")
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The same bounds as the dashboard's: no invite that is expired when made, none forever.
    for (uses, days) in [("1", "0"), ("0", "7"), ("1", "366"), ("10001", "7")] {
        let out = admin(
            &data,
            &["invite", "--area", "B-1", "--uses", uses, "--days", days],
        );
        assert!(!out.status.success(), "--uses {uses} --days {days}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("uses is 1 to 10000 and days 1 to 365"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = admin(
        &data,
        &[
            "create-user",
            "meena",
            "--role",
            "coordinator",
            "--area",
            "UP",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("first password"));
    let out = admin(&data, &["create-user", "x", "--role", "coordinator"]);
    assert!(!out.status.success(), "a coordinator needs an area");

    // A device enrols, and an upload is in flight when SIGTERM arrives.
    let phone = TestDevice::enroll(&url, code).await;
    let media = bytes(400_000, 8);
    let rec = record(&media);
    phone.push(std::slice::from_ref(&rec)).await;
    let loc = phone
        .create_upload(media.len() as u64, Some(&rec.sha256), Some(&rec.id))
        .await;
    let mut s = hanging_patch(&phone, &loc, &media[..150_000], media.len()).await;
    let status = tokio::task::spawn_blocking(move || sigterm(&mut child))
        .await
        .unwrap();
    assert!(status.success(), "clean exit on SIGTERM: {status:?}");
    let mut answer = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), s.read_to_string(&mut answer)).await;
    assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");

    // Restarted: no second admin, and the upload continues from the bytes it kept.
    let (mut child, url, printed) = start(&data);
    assert!(!printed.join("\n").contains("one-time password"));
    let phone = TestDevice {
        url: url.clone(),
        ..phone
    };
    assert_eq!(phone.head(&loc).await.headers()["upload-offset"], "150000");
    let r = phone.patch(&loc, 150_000, media[150_000..].to_vec()).await;
    assert_eq!(r.status(), reqwest::StatusCode::NO_CONTENT);
    let out = admin(&data, &["captures", "--json"]);
    let caps: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(caps[0]["id"], rec.id.to_string());
    assert_eq!(caps[0]["media"], "present");
    assert!(sigterm(&mut child).success());
}

#[tokio::test]
async fn limits_on_request_rate_and_body_size() {
    let d = tempfile::tempdir().unwrap();
    let mut settings = saakshi_server::config::Settings::for_dir(d.path());
    settings.limits.device_requests_per_minute = 5;
    settings.limits.max_json_bytes = 10_000;
    let server = TestServer::start_with(settings).await;
    let phone = server.device("B-104").await;
    let big = serde_json::json!({"captures": [], "clock_skew_ms": 1, "pad": "x".repeat(20_000)});
    let r = phone
        .req(reqwest::Method::POST, "/api/v1/sync/captures")
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);
    for _ in 0..4 {
        assert_eq!(
            phone
                .req(reqwest::Method::GET, "/api/v1/sync/pull")
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    let r = phone
        .req(reqwest::Method::GET, "/api/v1/sync/pull")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    server.stop().await;
}
