//! A multi-gigabyte ZIP export from a `saakshi-server` child process: the server's memory
//! while it streams, its throughput against copying the same media files on the same
//! disk, and the archive checked by an independent reader (CPython's zipfile, every CRC).
//!
//! ```sh
//! cargo build --release -p saakshi-server -p saakshi-bench
//! target/release/export-zip [FILES] [FILE_MIB] [DIR]
//! ```
//!
//! Defaults: 5 files of 1024 MiB (5 GiB, so the archive needs ZIP64) in
//! `target/bench-tmp`. The media reaches the server the real way: a device enrols,
//! pushes records and uploads each file with tus; an admin signs in and downloads
//! `/api/v1/review/export.zip`, written to a file as it arrives.
#![allow(clippy::print_stdout)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::Client;
use saakshi_bench::{
    ChildProcess, admin, free_port, mib, mib_per_s, peak_rss_of, prepare_server, secs,
    sibling_binary, sync_all, wait_for_port, write_media,
};
use saakshi_domain::wire::EnrollResponse;
use saakshi_domain::{CaptureId, CaptureRecord, DeviceTime, MediaKind, Sha256};
use sha2::Digest;

fn sha256_file(path: &Path) -> Result<Sha256> {
    let mut f = std::fs::File::open(path)?;
    let mut h = sha2::Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(Sha256(h.finalize().into()))
}

/// Enrols a device, pushes one record per file and uploads each with one tus PATCH.
async fn seed(url: &str, code: &str, files: &[(PathBuf, Sha256, u64)]) -> Result<()> {
    let http = Client::builder()
        .timeout(Duration::from_secs(3600))
        .build()?;
    let e: EnrollResponse = http
        .post(format!("{url}/api/v1/devices/enroll"))
        .json(&serde_json::json!({
            "invite_code": code, "device_name": "bench phone", "platform": "linux",
            "public_key": STANDARD.encode([7u8; 32]),
        }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let records: Vec<CaptureRecord> = files
        .iter()
        .enumerate()
        .map(|(i, (_, sha, size))| CaptureRecord {
            id: CaptureId::new(),
            revision: 1,
            kind: MediaKind::Audio,
            sha256: *sha,
            size: *size,
            mime: "audio/wav".into(),
            original_name: Some(format!("rally-{i}.wav")),
            captured_at: DeviceTime {
                utc: chrono::Utc::now(),
                offset_minutes: 330,
            },
            location: None,
            caption: format!("बड़ी रैली {i}"),
            tags: vec!["rally".into()],
            event: None,
            area_code: Some("UP".into()),
            signature: None,
        })
        .collect();
    http.post(format!("{url}/api/v1/sync/captures"))
        .bearer_auth(&e.token)
        .json(&serde_json::json!({ "captures": records }))
        .send()
        .await?
        .error_for_status()?;
    for (path, sha, size) in files {
        let created = http
            .post(format!("{url}/api/v1/uploads/"))
            .bearer_auth(&e.token)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", size.to_string())
            .header(
                "Upload-Metadata",
                format!("sha256 {}", STANDARD.encode(sha.to_hex())),
            )
            .send()
            .await?
            .error_for_status()?;
        let loc = created.headers()["location"].to_str()?.to_string();
        let file = tokio::fs::File::open(path).await?;
        http.patch(format!("{url}{loc}"))
            .bearer_auth(&e.token)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Offset", "0")
            .header("Content-Type", "application/offset+octet-stream")
            .header("Content-Length", size.to_string())
            .body(reqwest::Body::wrap_stream(
                tokio_util::io::ReaderStream::with_capacity(file, 1 << 20),
            ))
            .send()
            .await?
            .error_for_status()?;
    }
    Ok(())
}

/// Signs in as `name` and streams the export to `out`; returns the bytes written.
async fn export(url: &str, name: &str, password: &str, out: &Path) -> Result<u64> {
    let http = Client::builder()
        .timeout(Duration::from_secs(3600))
        .build()?;
    let login = http
        .post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({ "name": name, "password": password }))
        .send()
        .await?
        .error_for_status()?;
    let cookie = login.headers()["set-cookie"]
        .to_str()?
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string();
    let csrf = login.json::<serde_json::Value>().await?["csrf_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // A first password must be replaced before the server serves anything else.
    http.post(format!("{url}/api/v1/auth/password"))
        .header("cookie", &cookie)
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({ "current": password, "new": format!("{password}-chosen") }))
        .send()
        .await?
        .error_for_status()?;
    let mut resp = http
        .get(format!("{url}/api/v1/review/export.zip"))
        .header("cookie", cookie)
        .send()
        .await?
        .error_for_status()?;
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
    let mut n = 0u64;
    while let Some(chunk) = resp.chunk().await? {
        f.write_all(&chunk)?;
        n += chunk.len() as u64;
    }
    f.flush()?;
    Ok(n)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: usize = args.first().map_or(Ok(5), |s| s.parse())?;
    let file_mib: u64 = args.get(1).map_or(Ok(1024), |s| s.parse())?;
    let dir = PathBuf::from(args.get(2).map_or("target/bench-tmp", String::as_str)).join("export");
    ensure!(count > 0 && file_mib > 0, "FILES and FILE_MIB are positive");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let server_bin = sibling_binary("saakshi-server")?;

    println!(
        "writing {count} media files of {file_mib} MiB ({} in all)",
        mib((count as u64 * file_mib) << 20)
    );
    let mut files = Vec::new();
    for i in 0..count {
        // Sizes differ by a byte or two, so do the contents (write_media seeds by size).
        let size = (file_mib << 20) + i as u64;
        let p = dir.join(format!("media-{i}.wav"));
        write_media(&p, size)?;
        let sha = sha256_file(&p)?;
        files.push((p, sha, size));
    }
    let total: u64 = files.iter().map(|f| f.2).sum();

    let data = dir.join("server");
    let code = prepare_server(&server_bin, &data, 1)?;
    let created = admin(
        &server_bin,
        &data,
        &["create-user", "bench-admin", "--role", "admin"],
    )?;
    let password = created
        .rsplit(": ")
        .next()
        .context("create-user printed no password")?
        .to_string();
    let port = free_port()?;
    let addr = format!("127.0.0.1:{port}");
    let mut server = ChildProcess::spawn(
        "saakshi-server",
        Command::new(&server_bin)
            .arg("--data-dir")
            .arg(&data)
            .arg("--listen")
            .arg(&addr),
        &dir.join("server.log"),
    )?;
    wait_for_port(addr.parse()?, Duration::from_secs(20))?;
    let url = format!("http://{addr}");

    println!("uploading them to the server over tus");
    seed(&url, &code, &files).await?;
    sync_all();
    let rss_seeded = peak_rss_of(server.pid());

    // Baseline: the same bytes read from the server's media folder and written to one
    // file on the same disk, by `cat`.
    let cat_out = dir.join("baseline.bin");
    let media_dir = data.join("media");
    let t = Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cat {}/* > {}",
            media_dir.display(),
            cat_out.display()
        ))
        .status()?;
    ensure!(status.success(), "cat failed");
    sync_all();
    let cat_time = t.elapsed();
    std::fs::remove_file(&cat_out)?;

    let zip = dir.join("export.zip");
    let t = Instant::now();
    let bytes = export(&url, "bench-admin", &password, &zip).await?;
    sync_all();
    let export_time = t.elapsed();
    server.check_running()?;
    let rss_after = peak_rss_of(server.pid());
    server.stop()?;

    println!("checking the archive with CPython's zipfile (every CRC)");
    let check = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile\n\
             z = zipfile.ZipFile(sys.argv[1])\n\
             bad = z.testzip()\n\
             assert bad is None, bad\n\
             media = [i for i in z.infolist() if i.filename.startswith('media/')]\n\
             print(len(media), sum(i.file_size for i in media), len(z.infolist()) - len(media))",
        )
        .arg(&zip)
        .output()?;
    ensure!(
        check.status.success(),
        "the archive does not check: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    let listing = String::from_utf8(check.stdout)?;
    let parts: Vec<u64> = listing
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    ensure!(
        parts == [count as u64, total, count as u64],
        "the archive holds {listing}, not {count} media files of {total} bytes and {count} manifests"
    );
    std::fs::remove_file(&zip)?;

    println!();
    println!("| | time | throughput |");
    println!("|---|---|---|");
    println!(
        "| `cat` of the media files into one file (baseline) | {} | {} |",
        secs(cat_time),
        mib_per_s(total, cat_time)
    );
    println!(
        "| `GET /api/v1/review/export.zip` into a file ({}) | {} | {} |",
        mib(bytes),
        secs(export_time),
        mib_per_s(bytes, export_time)
    );
    println!(
        "| ratio, export / baseline time | {:.2}× | |",
        export_time.as_secs_f64() / cat_time.as_secs_f64()
    );
    println!();
    println!(
        "server peak RSS: {} after the uploads, {} after exporting {} (CPython: {count} media files, {count} manifests, every CRC right)",
        mib(rss_seeded),
        mib(rss_after),
        mib(bytes)
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
