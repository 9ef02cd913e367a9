//! Sync over a bad link, measured: bytes on the wire ÷ media bytes with 10 random cuts
//! (beside the same upload with no cut), and the device's peak memory while it syncs a
//! 2 GiB file (beside the same binary doing nothing much).
//!
//! cargo build --release -p saakshi-cli -p saakshi-bench
//! target/release/sync-wire [MEDIA_MIB=256] [CUTS=10] [BIG_MIB=2048] [DIR=target/bench-tmp]
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use rand::Rng;
use saakshi_bench::{mib, secs, write_media};
use saakshi_core::sync::{SyncEngine, SyncPolicy};
use saakshi_tests::harness::{Server, capture, enrolled_home};
use saakshi_tests::proxy::Proxy;

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, d: u64| args.get(i).map_or(Ok(d), |s| s.parse::<u64>());
    let media_mib = arg(1, 256)?;
    let cuts = arg(2, 10)?;
    let big_mib = arg(3, 2048)?;
    let root = args
        .get(4)
        .map_or_else(|| PathBuf::from("target/bench-tmp"), PathBuf::from);
    let dir = root.join("sync-wire");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let dir = dir.canonicalize()?;

    let server = Server::start(&dir.join("server")).await;
    let proxy = Proxy::start(server.addr).await;

    // Baseline: the same upload over a clean link.
    let size = media_mib << 20;
    let clean = wire_ratio(&server, &proxy, &dir.join("clean"), size).await?;
    let (cut, made) = wire_ratio_with_cuts(&server, &proxy, &dir.join("cut"), size, cuts).await?;
    println!("bytes on the wire / media bytes, {} of media:", mib(size));
    println!("  no cut (baseline)   {:.4}", clean);
    println!("  {made} random cuts      {:.4}   (target <= 1.05)", cut);

    // Peak memory of the device (the real `saakshi` binary) syncing a big file.
    let big = big_mib << 20;
    let bin = std::env::current_exe()?.with_file_name("saakshi");
    if !bin.exists() {
        bail!("build the CLI too: cargo build --release -p saakshi-cli -p saakshi-bench");
    }
    let home = dir.join("phone");
    let file = dir.join("big.wav");
    write_media(&file, big)?;
    run(&bin, &home, &["init"])?;
    let (t_cap, rss_cap) = measured(&bin, &home, &["capture", file.to_str().unwrap_or_default()])?;
    std::fs::remove_file(&file)?;
    let code = server.invite("B-104", 1).await;
    run(&bin, &home, &["enroll", &server.url, &code])?;
    let (t_sync, rss_sync) = measured(&bin, &home, &["sync", "--once"])?;
    let (_, rss_idle) = measured(&bin, &home, &["sync", "--once"])?;
    println!("device peak RSS (saakshi binary), {} file:", mib(big));
    println!(
        "  sync --once, nothing to send (baseline)   {}",
        mib(rss_idle)
    );
    println!(
        "  saakshi capture             {}   in {}",
        mib(rss_cap),
        secs(t_cap)
    );
    println!(
        "  saakshi sync --once         {}   in {}   (target <= 64 MiB)",
        mib(rss_sync),
        secs(t_sync)
    );
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

async fn wire_ratio(server: &Server, proxy: &Proxy, home: &Path, size: u64) -> Result<f64> {
    let h = enrolled_home(home, server, &proxy.url(), "B-104").await;
    let media = home.with_extension("wav");
    write_media(&media, size)?;
    capture(&h, &media);
    std::fs::remove_file(&media)?;
    let engine = SyncEngine::new(h, SyncPolicy::default())?;
    // Everything the device sends counts: records, probes, pulls and the media.
    let before = proxy.upstream_bytes();
    engine.run_until_idle(3).await?;
    Ok((proxy.upstream_bytes() - before) as f64 / size as f64)
}

async fn wire_ratio_with_cuts(
    server: &Server,
    proxy: &Proxy,
    home: &Path,
    size: u64,
    cuts: u64,
) -> Result<(f64, u64)> {
    let h: Arc<_> = enrolled_home(home, server, &proxy.url(), "B-104").await;
    let media = home.with_extension("wav");
    // A different size from the baseline's, so the bytes differ (no deduplication).
    write_media(&media, size + 4096)?;
    capture(&h, &media);
    std::fs::remove_file(&media)?;
    let engine = SyncEngine::new(h, SyncPolicy::default())?;
    let mut rng = rand::rng();
    let before = proxy.upstream_bytes();
    let cuts_before = proxy.cuts();
    let spacing = (size / (cuts + 1)).max(1 << 20);
    while engine.has_work()? {
        if proxy.cuts() - cuts_before < cuts {
            let at = rng.random_range(spacing / 2..spacing);
            proxy.set(|f| f.cut_after = Some(at));
        } else {
            proxy.set(|f| f.cut_after = None);
        }
        let _ = engine.pass().await;
    }
    Ok((
        (proxy.upstream_bytes() - before) as f64 / (size + 4096) as f64,
        proxy.cuts() - cuts_before,
    ))
}

fn run(bin: &Path, home: &Path, args: &[&str]) -> Result<()> {
    let out = Command::new(bin)
        .arg("--home")
        .arg(home)
        .args(args)
        .output()?;
    if !out.status.success() {
        bail!("saakshi {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

/// Runs the binary, polling its peak RSS (VmHWM only grows) until it exits.
fn measured(bin: &Path, home: &Path, args: &[&str]) -> Result<(Duration, u64)> {
    let started = Instant::now();
    let mut child = Command::new(bin)
        .arg("--home")
        .arg(home)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_path)
            && let Some(kib) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        {
            peak = peak.max(kib * 1024);
        }
        if let Some(st) = child.try_wait()? {
            if !st.success() {
                bail!("saakshi {args:?} failed");
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Ok((started.elapsed(), peak))
}
