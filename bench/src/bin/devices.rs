//! Many devices syncing at once against a `saakshi-server` child process: each enrols,
//! pushes its capture records in one batch, then uploads its media with tus (one POST
//! and one PATCH per file). All devices run concurrently in one tokio runtime.
//!
//! ```sh
//! cargo build --release -p saakshi-server -p saakshi-bench
//! target/release/devices [DEVICES] [CAPTURES] [FILES] [DIR] [FILE_KIB] [ROUNDS]
//! ```
//!
//! Defaults: 200 devices, 50 captures and 10 files of 1024 KiB each, in
//! `target/bench-tmp`, one round. A coordinator loads the review feed's first page
//! over and over while the devices run. `SAAKSHI_SERVER_BINS=old:new` compares builds,
//! taking turns in each of ROUNDS rounds (the 6th argument). The baseline is this process writing the same files to the same
//! disk, one `fsync` each, one after another.
#![allow(clippy::print_stdout)]

use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::{Rng, SeedableRng, rngs::SmallRng};
use reqwest::{Client, RequestBuilder, Response};
use saakshi_bench::{
    ChildProcess, admin, free_port, median, mib, mib_per_s, peak_rss_of, prepare_server, secs,
    sibling_binary, sync_all, time, wait_for_port,
};
use saakshi_domain::wire::{EnrollResponse, MediaState, PushResponse, PushStatus};
use saakshi_domain::{
    CaptureId, CaptureRecord, DeviceTime, Location, LocationSource, MediaKind, Sha256,
};
use sha2::Digest;

/// Enrolments in flight at once (the server allows 10 per address).
const ENROLLING_AT_ONCE: usize = 8;

/// How many error messages are printed.
const SHOW_ERRORS: usize = 5;

/// What one device sends.
struct Work {
    index: usize,
    files: Vec<(Vec<u8>, Sha256)>,
    records: Vec<CaptureRecord>,
}

/// The kinds of request, for latencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Enroll,
    Push,
    Create,
    Patch,
    /// A coordinator's review feed page, loaded over and over while the devices run.
    Feed,
}

/// Counts shared by every device.
#[derive(Debug, Default)]
struct Stats {
    requests: u64,
    errors: Vec<String>,
    latencies: HashMap<Kind, Vec<Duration>>,
}

type Shared = Arc<Mutex<Stats>>;

fn lock(s: &Shared) -> std::sync::MutexGuard<'_, Stats> {
    s.lock().unwrap_or_else(|p| p.into_inner())
}

fn error(stats: &Shared, message: String) {
    lock(stats).errors.push(message);
}

/// Sends one request; counts it, times it, and counts any transport error or non-2xx
/// answer as an error (returning `None`).
async fn send(stats: &Shared, device: usize, kind: Kind, req: RequestBuilder) -> Option<Response> {
    let t = Instant::now();
    let result = req.send().await;
    let elapsed = t.elapsed();
    {
        let mut s = lock(stats);
        s.requests += 1;
        s.latencies.entry(kind).or_default().push(elapsed);
    }
    match result {
        Err(e) => {
            error(stats, format!("device {device} {kind:?}: {e}"));
            None
        }
        Ok(r) if !r.status().is_success() => {
            let status = r.status();
            let body = r.text().await.unwrap_or_default();
            error(stats, format!("device {device} {kind:?}: {status} {body}"));
            None
        }
        Ok(r) => Some(r),
    }
}

/// One device, start to end. Stops at the first failed request (what follows depends
/// on it); the captures it did not push or upload then show as missing at the end.
async fn device(
    url: String,
    code: String,
    work: Arc<Work>,
    stats: Shared,
    enrolling: Arc<tokio::sync::Semaphore>,
) {
    let d = work.index;
    let http = match Client::builder().timeout(Duration::from_secs(300)).build() {
        Ok(c) => c,
        Err(e) => return error(&stats, format!("device {d}: no HTTP client: {e}")),
    };
    // The server lets one address have only a few enrolments in flight (a guard against
    // guessing invite codes), as a training session would enrol phones a few at a time.
    let Ok(_enrolling) = enrolling.acquire().await else {
        return error(&stats, format!("device {d}: enrolment queue closed"));
    };
    let Some(resp) = send(
        &stats,
        d,
        Kind::Enroll,
        http.post(format!("{url}/api/v1/devices/enroll"))
            .json(&serde_json::json!({
                "invite_code": code,
                "device_name": format!("bench phone {d}"),
                "platform": "android",
                "public_key": STANDARD.encode(rand::random::<[u8; 32]>()),
            })),
    )
    .await
    else {
        return;
    };
    let token = match resp.json::<EnrollResponse>().await {
        Ok(e) => e.token,
        Err(e) => return error(&stats, format!("device {d} Enroll: bad answer: {e}")),
    };
    drop(_enrolling);

    let Some(resp) = send(
        &stats,
        d,
        Kind::Push,
        http.post(format!("{url}/api/v1/sync/captures"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "captures": work.records })),
    )
    .await
    else {
        return;
    };
    match resp.json::<PushResponse>().await {
        Err(e) => return error(&stats, format!("device {d} Push: bad answer: {e}")),
        Ok(p) => {
            if p.results.len() != work.records.len() {
                error(
                    &stats,
                    format!("device {d} Push: {} results", p.results.len()),
                );
            }
            for r in p.results {
                if r.status != PushStatus::Accepted || r.media != Some(MediaState::Needed) {
                    error(
                        &stats,
                        format!(
                            "device {d} Push: record {} {:?}, media {:?}: {}",
                            r.id,
                            r.status,
                            r.media,
                            r.message.unwrap_or_default()
                        ),
                    );
                }
            }
        }
    }

    for (bytes, sha) in &work.files {
        let len = bytes.len() as u64;
        let Some(resp) = send(
            &stats,
            d,
            Kind::Create,
            http.post(format!("{url}/api/v1/uploads/"))
                .bearer_auth(&token)
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", len.to_string())
                .header(
                    "Upload-Metadata",
                    format!("sha256 {}", STANDARD.encode(sha.to_hex())),
                ),
        )
        .await
        else {
            return;
        };
        let Some(location) = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
        else {
            return error(&stats, format!("device {d} Create: no Location"));
        };
        let Some(resp) = send(
            &stats,
            d,
            Kind::Patch,
            http.patch(format!("{url}{location}"))
                .bearer_auth(&token)
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .body(bytes.clone()),
        )
        .await
        else {
            return;
        };
        let offset = resp
            .headers()
            .get("upload-offset")
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if offset != Some(len) {
            return error(
                &stats,
                format!("device {d} Patch: Upload-Offset {offset:?}, not {len}"),
            );
        }
    }
}

/// `files` distinct random media of `size` bytes (a WAV header, then noise) and
/// `captures` valid records, each referencing one of them.
fn make_work(index: usize, captures: usize, files: usize, size: usize) -> Work {
    let mut rng = SmallRng::seed_from_u64(rand::random());
    let files: Vec<(Vec<u8>, Sha256)> = (0..files)
        .map(|_| {
            let mut b = vec![0u8; size];
            rng.fill(&mut b[..]);
            let header = b"RIFF\x24\0\0\0WAVEfmt ";
            let n = header.len().min(size);
            b[..n].copy_from_slice(&header[..n]);
            let sha = Sha256(sha2::Sha256::digest(&b).into());
            (b, sha)
        })
        .collect();
    let now = chrono::Utc::now();
    let records = (0..captures)
        .map(|i| {
            let (bytes, sha) = &files[i % files.len()];
            CaptureRecord {
                id: CaptureId::new(),
                revision: 1,
                kind: MediaKind::Audio,
                sha256: *sha,
                size: bytes.len() as u64,
                mime: "audio/wav".into(),
                original_name: Some(format!("clip-{i}.wav")),
                captured_at: DeviceTime {
                    utc: now - chrono::Duration::minutes(i as i64),
                    offset_minutes: 330,
                },
                location: Some(Location {
                    lat: 26.8467 + rng.random_range(-0.05..0.05),
                    lon: 80.9462 + rng.random_range(-0.05..0.05),
                    accuracy_m: Some(8.0),
                    altitude_m: None,
                    source: LocationSource::Gps,
                    fix_time: None,
                }),
                caption: format!("सभा {i}"),
                tags: vec!["rally".into()],
                event: Some("Lucknow rally".into()),
                area_code: Some("UP".into()),
                signature: None,
            }
        })
        .collect();
    Work {
        index,
        files,
        records,
    }
}

/// A coordinator signed in over HTTP: the session cookie.
async fn coordinator(url: &str, name: &str, first_password: &str) -> Result<String> {
    let http = Client::new();
    let login = |password: String| {
        let http = http.clone();
        let url = url.to_string();
        let name = name.to_string();
        async move {
            let resp = http
                .post(format!("{url}/api/v1/auth/login"))
                .json(&serde_json::json!({ "name": name, "password": password }))
                .send()
                .await?;
            ensure!(resp.status().is_success(), "sign-in: {}", resp.status());
            let cookie = resp
                .headers()
                .get("set-cookie")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').next())
                .context("sign-in set no cookie")?
                .to_string();
            let body: serde_json::Value = resp.json().await?;
            let csrf = body["csrf_token"]
                .as_str()
                .context("no CSRF token")?
                .to_string();
            Ok::<_, anyhow::Error>((cookie, csrf))
        }
    };
    // The first password must be changed before the review feed opens.
    let (cookie, csrf) = login(first_password.to_string()).await?;
    let new_password = "bench coordinator password 2026";
    let resp = http
        .post(format!("{url}/api/v1/auth/password"))
        .header("cookie", cookie)
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({ "current": first_password, "new": new_password }))
        .send()
        .await?;
    ensure!(
        resp.status().is_success(),
        "password change: {}",
        resp.status()
    );
    Ok(login(new_password.to_string()).await?.0)
}

/// Loads the first page of the review feed, one request after another, until `done`.
async fn feed_reader(url: String, cookie: String, stats: Shared, done: Arc<AtomicBool>) {
    let http = Client::new();
    while !done.load(Ordering::Relaxed) {
        let Some(resp) = send(
            &stats,
            usize::MAX,
            Kind::Feed,
            http.get(format!("{url}/api/v1/review/captures?limit=50"))
                .header("cookie", &cookie),
        )
        .await
        else {
            return;
        };
        if let Err(e) = resp.bytes().await {
            return error(&stats, format!("coordinator Feed: {e}"));
        }
    }
}

/// What one run against one build measured.
struct RunResult {
    wall: Duration,
    p95: HashMap<Kind, Duration>,
}

/// The settings of a run.
struct Plan {
    devices: usize,
    captures: usize,
    files: usize,
    size: usize,
    dir: PathBuf,
}

/// One run of every device at once against the server `bin`.
fn run_once(bin: &Path, plan: &Plan, work: &[Arc<Work>]) -> Result<RunResult> {
    let Plan {
        devices,
        captures,
        files,
        size,
        ref dir,
    } = *plan;
    let total_bytes = (devices * files * size) as u64;

    // Baseline: the same files written by this process, one fsync each, in turn.
    let base_dir = dir.join("devices-baseline");
    let _ = std::fs::remove_dir_all(&base_dir);
    std::fs::create_dir_all(&base_dir)?;
    sync_all();
    let (baseline, r) = time(|| -> std::io::Result<()> {
        for w in work {
            for (bytes, sha) in &w.files {
                use std::io::Write;
                let mut f = std::fs::File::create(base_dir.join(sha.to_hex()))?;
                f.write_all(bytes)?;
                f.sync_all()?;
            }
        }
        std::fs::File::open(&base_dir)?.sync_all()
    });
    r?;
    std::fs::remove_dir_all(&base_dir)?;

    // The server, with areas, one invite for every device, and a coordinator.
    let data = dir.join("devices-server");
    let code = prepare_server(bin, &data, devices as u64)?;
    let created = admin(
        bin,
        &data,
        &["create-user", "coordinator", "--role", "admin"],
    )?;
    let first_password = created
        .split("(shown once): ")
        .nth(1)
        .context("admin create-user printed no first password")?
        .trim()
        .to_string();
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()?).parse()?;
    let server = ChildProcess::spawn(
        "saakshi-server",
        Command::new(bin)
            .arg("--data-dir")
            .arg(&data)
            .arg("--listen")
            .arg(addr.to_string())
            .env("RUST_LOG", "warn"),
        &dir.join("devices-server.log"),
    )?;
    wait_for_port(addr, Duration::from_secs(30))?;
    let url = format!("http://{addr}");
    let rss_idle = peak_rss_of(server.pid());

    let expected: BTreeSet<String> = work
        .iter()
        .flat_map(|w| w.files.iter().map(|(_, s)| s.to_hex()))
        .collect();
    let stats: Shared = Arc::default();
    let rt = tokio::runtime::Runtime::new()?;
    let cookie = rt.block_on(coordinator(&url, "coordinator", &first_password))?;
    sync_all();
    println!("running {devices} devices at once, and a coordinator reading the review feed");
    let done = Arc::new(AtomicBool::new(false));
    let (wall, ()) = time(|| {
        rt.block_on(async {
            let reader = tokio::spawn(feed_reader(
                url.clone(),
                cookie,
                stats.clone(),
                done.clone(),
            ));
            let mut set = tokio::task::JoinSet::new();
            let enrolling = Arc::new(tokio::sync::Semaphore::new(ENROLLING_AT_ONCE));
            for w in work {
                set.spawn(device(
                    url.clone(),
                    code.clone(),
                    w.clone(),
                    stats.clone(),
                    enrolling.clone(),
                ));
            }
            while let Some(r) = set.join_next().await {
                if let Err(e) = r {
                    error(&stats, format!("a device task failed: {e}"));
                }
            }
            done.store(true, Ordering::Relaxed);
            if let Err(e) = reader.await {
                error(&stats, format!("the coordinator's task failed: {e}"));
            }
        });
    });
    drop(rt);
    let rss_peak = peak_rss_of(server.pid());
    server.stop()?;

    let listed: serde_json::Value =
        serde_json::from_str(&admin(bin, &data, &["captures", "--json"])?)?;
    let listed = listed
        .as_array()
        .context("admin captures printed no list")?;
    let present = listed.iter().filter(|c| c["media"] == "present").count();
    let shas: BTreeSet<String> = listed
        .iter()
        .filter_map(|c| c["sha256"].as_str().map(str::to_string))
        .collect();
    let media_files = std::fs::read_dir(data.join("media"))?.count();
    let left_uploads = std::fs::read_dir(data.join("uploads"))?.count();
    let stats = Arc::try_unwrap(stats)
        .map_err(|_| anyhow::anyhow!("a device is still running"))?
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    std::fs::remove_dir_all(&data)?;

    println!();
    println!("{}", bin.display());
    println!(
        "{devices} devices at once, each: enrol, push {captures} captures, upload {files} x {} (tus POST + PATCH)",
        mib(size as u64)
    );
    println!(
        "  baseline: same {} files written + fsynced by one thread   {:>8}  {}",
        devices * files,
        secs(baseline),
        mib_per_s(total_bytes, baseline)
    );
    println!(
        "  saakshi-server, wall time                                 {:>8}  {}",
        secs(wall),
        mib_per_s(total_bytes, wall)
    );
    println!(
        "  requests {} ({:.0}/s), errors {}",
        stats.requests,
        stats.requests as f64 / wall.as_secs_f64(),
        stats.errors.len()
    );
    for e in stats.errors.iter().take(SHOW_ERRORS) {
        println!("    {e}");
    }
    let mut kinds: Vec<_> = stats.latencies.into_iter().collect();
    kinds.sort_by_key(|(k, _)| *k);
    let mut p95 = HashMap::new();
    for (kind, mut v) in kinds {
        v.sort();
        let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
        p95.insert(kind, q(0.95));
        println!(
            "  {:<7} x{:<5} latency p50 {}  p95 {}  max {}",
            format!("{kind:?}"),
            v.len(),
            ms(q(0.5)),
            ms(q(0.95)),
            ms(q(1.0))
        );
    }
    println!(
        "  server reports {} captures ({} with media present), {} distinct media; {} files in media/, {} partial uploads left",
        listed.len(),
        present,
        shas.len(),
        media_files,
        left_uploads
    );
    println!(
        "  server peak RSS (VmHWM) {} (after start-up: {})",
        mib(rss_peak),
        mib(rss_idle)
    );

    let want_captures = devices * captures;
    if !stats.errors.is_empty()
        || listed.len() != want_captures
        || present != want_captures
        || shas != expected
        || media_files != expected.len()
    {
        bail!(
            "FAILED: want 0 errors and {want_captures} captures all present over {} media",
            expected.len()
        );
    }
    println!("  OK: 0 errors, every capture's media present and hash-verified by the server");
    Ok(RunResult { wall, p95 })
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let devices: usize = args.get(1).map_or(Ok(200), |s| s.parse())?;
    let captures: usize = args.get(2).map_or(Ok(50), |s| s.parse())?;
    let files: usize = args.get(3).map_or(Ok(10), |s| s.parse())?;
    let dir = args
        .get(4)
        .map_or_else(|| PathBuf::from("target/bench-tmp"), PathBuf::from);
    let file_kib: usize = args.get(5).map_or(Ok(1024), |s| s.parse())?;
    let rounds: usize = args.get(6).map_or(Ok(1), |s| s.parse())?;
    ensure!(
        devices > 0 && captures > 0 && files > 0 && file_kib > 0 && rounds > 0,
        "every count must be > 0"
    );
    // Builds to compare, taking turns in each round: `SAAKSHI_SERVER_BINS=old:new`.
    let bins: Vec<PathBuf> = match std::env::var_os("SAAKSHI_SERVER_BINS") {
        Some(list) => std::env::split_paths(&list).collect(),
        None => vec![sibling_binary("saakshi-server")?],
    };
    let size = file_kib << 10;
    std::fs::create_dir_all(&dir)?;
    let dir = dir.canonicalize()?;

    println!(
        "{devices} devices x ({captures} captures, {files} files of {}): preparing {} of media",
        mib(size as u64),
        mib((devices * files * size) as u64)
    );
    let work: Vec<Arc<Work>> = (0..devices)
        .map(|d| Arc::new(make_work(d, captures, files, size)))
        .collect();
    let plan = Plan {
        devices,
        captures,
        files,
        size,
        dir,
    };
    let mut results: Vec<Vec<RunResult>> = bins.iter().map(|_| Vec::new()).collect();
    for round in 1..=rounds {
        for (bin, out) in bins.iter().zip(&mut results) {
            println!("\n== round {round} of {rounds}: {}", bin.display());
            out.push(run_once(bin, &plan, &work)?);
        }
    }

    println!("\nMedians over {rounds} round(s), builds taking turns:");
    println!(
        "  {:<60} {:>9} {:>14} {:>14} {:>14}",
        "build", "wall", "feed p95", "push p95", "PATCH p95"
    );
    for (bin, runs) in bins.iter().zip(results) {
        let pick = |k: Kind| {
            let v: Vec<Duration> = runs.iter().filter_map(|r| r.p95.get(&k).copied()).collect();
            if v.is_empty() {
                Duration::ZERO
            } else {
                median(v)
            }
        };
        println!(
            "  {:<60} {:>9} {:>14} {:>14} {:>14}",
            bin.display().to_string(),
            secs(median(runs.iter().map(|r| r.wall).collect())),
            ms(pick(Kind::Feed)),
            ms(pick(Kind::Push)),
            ms(pick(Kind::Patch)),
        );
    }
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}
