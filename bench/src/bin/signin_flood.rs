//! Sign-in under a flood, measured: the release server's peak memory (VmHWM) while
//! ATTEMPTS sign-ins arrive at once (half wrong passwords for `admin`, half unknown
//! names, each from its own loopback address), beside its peak after start and one
//! successful sign-in; and how many of the failed attempts had their password checked
//! (`saakshi_password_checks_total` on /metrics), against the limits.
//!
//! cargo build --release -p saakshi-server -p saakshi-bench
//! target/release/signin-flood [ATTEMPTS=200] [DIR=target/bench-tmp]
#![allow(clippy::print_stdout)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use saakshi_bench::{
    ChildProcess, free_port, mib, peak_rss_of, secs, sibling_binary, wait_for_port,
};

/// The server's limits this benchmark checks against (crates/saakshi-server/src/
/// signin_limits.rs; the bench does not link the server).
const ACCOUNT_FAILURES_PER_MINUTE: u64 = 10;
/// Target for the server's peak memory under the flood.
const PEAK_TARGET: u64 = 256 << 20;

/// A client whose connections come from 127.1.(i / 250).(i % 250 + 1).
fn client_from(i: usize) -> Result<reqwest::Client> {
    let ip = Ipv4Addr::new(127, 1, (i / 250) as u8, (i % 250 + 1) as u8);
    Ok(reqwest::Client::builder()
        .local_address(IpAddr::V4(ip))
        .timeout(Duration::from_secs(60))
        .build()?)
}

async fn sign_in(http: &reqwest::Client, url: &str, name: &str, pw: &str) -> Result<u16> {
    Ok(http
        .post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"name": name, "password": pw}))
        .send()
        .await?
        .status()
        .as_u16())
}

/// `saakshi_password_checks_total{account, result}`.
async fn checks(url: &str, account: &str, result: &str) -> Result<u64> {
    let text = reqwest::get(format!("{url}/metrics")).await?.text().await?;
    let prefix =
        format!("saakshi_password_checks_total{{account=\"{account}\",result=\"{result}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .context("the server exposes no saakshi_password_checks_total")?
        .parse()
        .context("a counter that is not a number")
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let attempts: usize = args.get(1).map_or(Ok(200), |s| s.parse())?;
    ensure!(
        (2..=60_000).contains(&attempts),
        "ATTEMPTS must be 2..60000"
    );
    let root = args
        .get(2)
        .map_or_else(|| PathBuf::from("target/bench-tmp"), PathBuf::from);
    let dir = root.join("signin-flood");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let dir = dir.canonicalize()?;
    let server_bin = sibling_binary("saakshi-server")?;

    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()?).parse()?;
    let mut server = ChildProcess::spawn(
        "saakshi-server",
        Command::new(&server_bin)
            .arg("--data-dir")
            .arg(dir.join("server"))
            .arg("--listen")
            .arg(addr.to_string())
            .env("RUST_LOG", "warn"),
        &dir.join("server.log"),
    )?;
    let password = server.wait_for_line(
        "saakshi-server: created user admin; one-time password:",
        Duration::from_secs(30),
    )?;
    wait_for_port(addr, Duration::from_secs(30))?;
    let url = format!("http://{addr}");
    let pid = server.pid();

    // Baseline: started, and one successful sign-in (one password check) from the
    // owner's address.
    let rss_started = peak_rss_of(pid);
    let owner = client_from(attempts)?;
    ensure!(
        sign_in(&owner, &url, "admin", &password).await? == 200,
        "the admin's first password did not sign in"
    );
    let rss_baseline = peak_rss_of(pid);

    println!(
        "{attempts} sign-ins at once ({} wrong passwords for admin, {} unknown names), each from its own address",
        attempts / 2,
        attempts - attempts / 2
    );
    let clients = (0..attempts).map(client_from).collect::<Result<Vec<_>>>()?;
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for (i, http) in clients.into_iter().enumerate() {
        let url = url.clone();
        set.spawn(async move {
            let name = if i % 2 == 0 {
                "admin".to_string()
            } else {
                format!("nobody{i}")
            };
            sign_in(&http, &url, &name, &format!("guess {i}")).await
        });
    }
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    while let Some(r) = set.join_next().await {
        *statuses.entry(r??).or_default() += 1;
    }
    let wall = started.elapsed();
    let rss_flood = peak_rss_of(pid);
    let admin_checked = checks(&url, "known", "wrong").await?;
    let unknown_checked = checks(&url, "unknown", "wrong").await?;
    // The owner's address signed in before: the flood must not lock it out.
    let owner_after = sign_in(&owner, &url, "admin", &password).await?;
    server.check_running()?;
    server.stop()?;

    println!("answers: {statuses:?} in {}", secs(wall));
    println!(
        "server peak RSS: started + 1 sign-in {} (just started {}); under the flood {} (target <= {})",
        mib(rss_baseline),
        mib(rss_started),
        mib(rss_flood),
        mib(PEAK_TARGET)
    );
    println!(
        "wrong passwords for admin checked: {admin_checked} of {} (limit {ACCOUNT_FAILURES_PER_MINUTE} per account per minute)",
        attempts / 2
    );
    println!(
        "unknown names checked: {unknown_checked} of {} (each name and each address has its own count)",
        attempts - attempts / 2
    );
    println!("the owner's sign-in right after the flood: {owner_after}");
    ensure!(
        admin_checked <= ACCOUNT_FAILURES_PER_MINUTE,
        "more failed attempts checked than the limit"
    );
    ensure!(rss_flood <= PEAK_TARGET, "peak memory over the target");
    ensure!(owner_after == 200, "the owner was locked out");
    Ok(())
}
