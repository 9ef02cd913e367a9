//! Slow uploads, measured: how long a reviewer's sign-in, a device's push and a new tus
//! upload take on the release server while STALLED upload bodies hang after their first
//! bytes (phones on a crawling link, or one device doing it on purpose), beside the same
//! requests on the same server with nothing stalled; and the server's peak memory.
//!
//! Before the writer took its thread per batch (docs/design-notes.md), 512 stalled bodies
//! held every blocking thread and none of these requests answered.
//!
//! cargo build --release -p saakshi-server -p saakshi-bench
//! target/release/slow-uploads [STALLED=2000] [ROUNDS=10]
//! (`SAAKSHI_SERVER_BIN=…` measures another build, e.g. one from before the change.)
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use reqwest::StatusCode;
use saakshi_bench::{median, mib, peak_rss_of, sibling_binary};
use saakshi_domain::MediaKind;
use saakshi_domain::wire::PushStatus;
use saakshi_tests::blackbox::{BlackBox, Device, PASSWORD, jpeg};

/// A server that has not answered by then while bodies stall is starved.
const ANSWER_WITHIN: Duration = Duration::from_secs(60);

/// A body that stalls sends this many bytes, then nothing.
const SENT: usize = 100;

/// "12.3 ms".
fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Media distinct per index: a JPEG with a trailing comment after the image's end.
fn media(i: usize) -> Vec<u8> {
    let mut bytes = jpeg((i % 250) as u8);
    bytes.extend_from_slice(format!("slow upload {i}").as_bytes());
    bytes
}

/// Median times of a reviewer's sign-in, a one-record push, and a whole small upload
/// (tus POST + PATCH), over `rounds` rounds; `first` numbers the fresh captures.
async fn requests(
    bb: &BlackBox,
    device: &Device,
    rounds: usize,
    first: usize,
) -> Result<[Duration; 3]> {
    let (mut sign_in, mut push, mut upload) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let t = Instant::now();
        bb.sign_in("reviewer", PASSWORD)
            .await
            .map_err(|e| anyhow::anyhow!("sign-in: {e}"))?;
        sign_in.push(t.elapsed());

        let bytes = media(first + round);
        let rec = device.record(&bytes, MediaKind::Photo, "image/jpeg");
        let t = Instant::now();
        let pushed = device.push(std::slice::from_ref(&rec)).await;
        push.push(t.elapsed());
        ensure!(
            pushed.results[0].status == PushStatus::Accepted,
            "push refused"
        );

        let t = Instant::now();
        let patched = device.upload(&rec, &bytes).await;
        upload.push(t.elapsed());
        ensure!(
            patched.status() == StatusCode::NO_CONTENT,
            "upload: {}",
            patched.status()
        );
    }
    Ok([median(sign_in), median(push), median(upload)])
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let stalled_n: usize = args.get(1).map_or(Ok(2000), |s| s.parse())?;
    let rounds: usize = args.get(2).map_or(Ok(10), |s| s.parse())?;
    ensure!(
        (1..=15_000).contains(&stalled_n),
        "STALLED must be 1..15000"
    );
    ensure!(rounds >= 1, "ROUNDS must be at least 1");
    // One device opens every upload: its request budget is not what is measured here.
    let bin = match std::env::var_os("SAAKSHI_SERVER_BIN") {
        Some(b) => b.into(),
        None => sibling_binary("saakshi-server")?,
    };
    let bb = BlackBox::start_bin(bin, "device_requests_per_minute = 1000000\n").await;
    let device = bb.enroll("B-104").await;
    bb.new_admin("reviewer").await;
    let pid = bb.pid();

    let idle = requests(&bb, &device, rounds, 1_000_000).await?;
    let rss_idle = peak_rss_of(pid);

    println!("opening {stalled_n} uploads and stalling each body after {SENT} bytes");
    let records: Vec<_> = (0..stalled_n)
        .map(|i| device.record(&media(i), MediaKind::Photo, "image/jpeg"))
        .collect();
    for chunk in records.chunks(500) {
        let pushed = device.push(chunk).await;
        ensure!(
            pushed
                .results
                .iter()
                .all(|r| r.status == PushStatus::Accepted),
            "a push of the stalled captures was refused"
        );
    }
    let mut stalled = Vec::with_capacity(stalled_n);
    for (i, rec) in records.iter().enumerate() {
        let bytes = media(i);
        let Ok(location) =
            tokio::time::timeout(ANSWER_WITHIN, device.open_upload(rec, bytes.len() as u64)).await
        else {
            println!(
                "with {i} bodies stalled, creating the next upload got no answer within {} s (peak RSS {})",
                ANSWER_WITHIN.as_secs(),
                mib(peak_rss_of(pid))
            );
            anyhow::bail!("the server stopped answering while bodies stalled");
        };
        stalled.push(device.stall_patch(&location, &bytes, SENT).await?);
    }
    // Let the server read every stalled head and first bytes.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let busy = tokio::time::timeout(ANSWER_WITHIN, requests(&bb, &device, rounds, 2_000_000))
        .await
        .ok()
        .transpose()?;
    let rss_busy = peak_rss_of(pid);
    drop(stalled);
    let Some(busy) = busy else {
        println!(
            "with {stalled_n} bodies stalled, the requests got no answer within {} s (peak RSS {})",
            ANSWER_WITHIN.as_secs(),
            mib(rss_busy)
        );
        anyhow::bail!("the server stopped answering while bodies stalled");
    };

    println!("median of {rounds} rounds     | nothing stalled | {stalled_n} bodies stalled");
    for (name, i) in [
        ("reviewer sign-in", 0),
        ("push of one record", 1),
        ("new upload (POST+PATCH)", 2),
    ] {
        println!("{name:<26}| {:>15} | {:>15}", ms(idle[i]), ms(busy[i]));
    }
    println!(
        "server peak RSS            | {:>15} | {:>15}",
        mib(rss_idle),
        mib(rss_busy)
    );
    Ok(())
}
