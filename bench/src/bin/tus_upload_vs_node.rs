//! One tus upload of a large file over loopback to `saakshi-server` and, as the
//! baseline, to the official Node tus server (`@tus/server` with `@tus/file-store`),
//! both driven by the same official client (`tus-js-client`) with the same chunk size,
//! both writing to the same disk, run alternately in the same process.
//!
//! ```sh
//! source scripts/lib/peers.sh && ensure_peers
//! cargo build --release -p saakshi-server -p saakshi-bench
//! target/release/tus-upload-vs-node [SIZE_MIB] [CHUNK_MIB] [DIR] [ROUNDS]
//! ```
//!
//! Our server fsyncs every PATCH before answering and checks the whole file's SHA-256
//! (declared in `Upload-Metadata`) before it stores the media; the Node file store does
//! neither. Both servers run as child processes and are stopped at the end, or killed
//! on any error.
//!
//! A third target, a null tus server inside this process that keeps nothing
//! (`saakshi_bench::null_tus`), shows the most this client can send here: the ceiling
//! any server's ratio is bounded by.
#![allow(clippy::print_stdout)]

use std::fs::File;
use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use saakshi_bench::null_tus::NullTus;
use saakshi_bench::{
    ChildProcess, free_port, median, mib, mib_per_s, prepare_server, secs, sibling_binary,
    sync_all, time, wait_for_port, write_media,
};
use saakshi_domain::wire::EnrollResponse;
use sha2::Digest;

const STARTUP: Duration = Duration::from_secs(30);

/// Where the official tus peers are (`ensure_peers` exports both variables).
struct Peers {
    node: PathBuf,
    dir: PathBuf,
}

fn peers() -> Result<Peers> {
    let dir = std::env::var_os("SAAKSHI_PEERS_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/peers"),
        PathBuf::from,
    );
    let node =
        std::env::var_os("SAAKSHI_NODE").map_or_else(|| PathBuf::from("node"), PathBuf::from);
    if !dir.join("node_modules").is_dir() {
        bail!(
            "the tus peers are not installed in {}: run `source scripts/lib/peers.sh && ensure_peers` first",
            dir.display()
        );
    }
    Ok(Peers { node, dir })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Ours,
    Node,
    /// A server that discards the bytes: the client's own ceiling.
    Null,
}

/// One timed upload.
#[derive(Clone, Copy, Debug)]
struct Run {
    upload: Duration,
    /// The `sync` right after it: what was still to be written to disk.
    sync: Duration,
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let size_mib: u64 = args.get(1).map_or(Ok(1024), |s| s.parse())?;
    let chunk_mib: u64 = args.get(2).map_or(Ok(8), |s| s.parse())?;
    let dir = args
        .get(3)
        .map_or_else(|| PathBuf::from("target/bench-tmp"), PathBuf::from);
    let rounds: usize = args.get(4).map_or(Ok(3), |s| s.parse())?;
    ensure!(
        size_mib > 0 && chunk_mib > 0 && rounds > 0,
        "sizes and rounds must be > 0"
    );
    let size = size_mib << 20;
    let chunk = chunk_mib << 20;

    let server_bin = sibling_binary("saakshi-server")?;
    let peers = peers()?;
    std::fs::create_dir_all(&dir)?;
    let dir = dir.canonicalize()?;

    let src = dir.join("tus-source.wav");
    println!("writing a {} source file in {}", mib(size), dir.display());
    write_media(&src, size)?;
    let (t, sha) = time(|| sha256_file(&src));
    let sha = sha?;
    println!(
        "source sha256 {sha} (hashed by this process in {}, {} on one core)",
        secs(t),
        mib_per_s(size, t)
    );

    // Our server: areas and an invite made with its own admin commands, then served.
    let ours_dir = dir.join("tus-ours");
    let code = prepare_server(&server_bin, &ours_dir, rounds as u64)?;
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()?).parse()?;
    let mut ours = ChildProcess::spawn(
        "saakshi-server",
        Command::new(&server_bin)
            .arg("--data-dir")
            .arg(&ours_dir)
            .arg("--listen")
            .arg(addr.to_string())
            .env("RUST_LOG", "warn"),
        &dir.join("tus-ours.log"),
    )?;
    wait_for_port(addr, STARTUP)?;
    let ours_url = format!("http://{addr}");

    // The official Node server with its file store.
    let node_dir = dir.join("tus-node");
    let _ = std::fs::remove_dir_all(&node_dir);
    std::fs::create_dir_all(&node_dir)?;
    let mut node = ChildProcess::spawn(
        "tus-node-server",
        Command::new(&peers.node)
            .arg(peers.dir.join("tus-node-server.mjs"))
            .args(["--port", "0", "--path", "/files", "--dir"])
            .arg(&node_dir),
        &dir.join("tus-node.log"),
    )?;
    let node_port: u16 = node.wait_for_line("LISTENING ", STARTUP)?.parse()?;
    let node_url = format!("http://127.0.0.1:{node_port}/files");

    // The client's ceiling on this machine: the same client against a server that
    // keeps nothing.
    let null = NullTus::start()?;

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    println!(
        "uploading {} in PATCHes of {} with tus-js-client, {rounds} rounds each, alternately",
        mib(size),
        mib(chunk)
    );
    let mut ours_runs = Vec::new();
    let mut node_runs = Vec::new();
    let mut null_runs = Vec::new();
    for round in 0..rounds {
        let order = if round % 2 == 0 {
            [Target::Ours, Target::Node, Target::Null]
        } else {
            [Target::Null, Target::Node, Target::Ours]
        };
        let verify_hash = round == 0;
        for target in order {
            match target {
                Target::Ours => {
                    let token = rt.block_on(enroll(&ours_url, &code))?;
                    let run = upload(
                        &peers,
                        &format!("{ours_url}/api/v1/uploads/"),
                        &src,
                        chunk,
                        &[
                            "--token".into(),
                            token,
                            "--metadata".into(),
                            format!("sha256={sha}"),
                        ],
                        size,
                        |_url| Ok(Some(ours_dir.join("media").join(&sha))),
                        verify_hash.then_some(sha.as_str()),
                    )?;
                    ensure!(
                        std::fs::read_dir(ours_dir.join("uploads"))?
                            .next()
                            .is_none(),
                        "saakshi-server left a partial upload behind"
                    );
                    ours_runs.push(run);
                }
                Target::Node => {
                    let run = upload(
                        &peers,
                        &node_url,
                        &src,
                        chunk,
                        &[],
                        size,
                        |url| {
                            let id = url.rsplit('/').next().unwrap_or_default();
                            ensure!(
                                id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
                                "unexpected upload URL {url}"
                            );
                            Ok(Some(node_dir.join(id)))
                        },
                        verify_hash.then_some(sha.as_str()),
                    )?;
                    // The file store's `<id>.json` beside the bytes.
                    for e in std::fs::read_dir(&node_dir)? {
                        std::fs::remove_file(e?.path())?;
                    }
                    node_runs.push(run);
                }
                Target::Null => {
                    let run = upload(
                        &peers,
                        &null.endpoint(),
                        &src,
                        chunk,
                        &[],
                        size,
                        |_url| Ok(None),
                        None,
                    )?;
                    null_runs.push(run);
                }
            }
            ours.check_running()?;
            node.check_running()?;
        }
        let (o, n) = (ours_runs[round], node_runs[round]);
        println!(
            "round {}: saakshi-server {} (+ sync {}), node {} (+ sync {}), null {}{}",
            round + 1,
            secs(o.upload),
            secs(o.sync),
            secs(n.upload),
            secs(n.sync),
            secs(null_runs[round].upload),
            if verify_hash {
                ", both stored files hash-verified"
            } else {
                ", both stored files size-checked"
            }
        );
    }
    ours.stop()?;
    node.stop()?;
    std::fs::remove_file(&src)?;
    std::fs::remove_dir_all(&ours_dir)?;
    std::fs::remove_dir_all(&node_dir)?;

    let med = |runs: &[Run], f: fn(&Run) -> Duration| median(runs.iter().map(f).collect());
    let ours_t = med(&ours_runs, |r| r.upload);
    let node_t = med(&node_runs, |r| r.upload);
    let ours_d = med(&ours_runs, |r| r.upload + r.sync);
    let node_d = med(&node_runs, |r| r.upload + r.sync);
    let null_t = med(&null_runs, |r| r.upload);
    let ratio = node_t.as_secs_f64() / ours_t.as_secs_f64();
    let ceiling = node_t.as_secs_f64() / null_t.as_secs_f64();
    println!();
    println!(
        "tus upload of {} in {} PATCHes (median of {rounds}, same client, same disk, same run)",
        mib(size),
        mib(chunk)
    );
    println!(
        "  node @tus/server + file-store (baseline)  {:>8}  {:>10}",
        secs(node_t),
        mib_per_s(size, node_t)
    );
    println!(
        "  saakshi-server (fsync + sha256)           {:>8}  {:>10}",
        secs(ours_t),
        mib_per_s(size, ours_t)
    );
    println!(
        "  null server (keeps nothing: the client's ceiling) {:>8}  {:>10}",
        secs(null_t),
        mib_per_s(size, null_t)
    );
    println!("  ratio ours/node throughput                {ratio:>7.2}x   (target >= 1.5x)");
    println!(
        "  ratio null/node: the most any server shows here {ceiling:>5.2}x; ours reaches {:.0} % of the null server's throughput",
        100.0 * null_t.as_secs_f64() / ours_t.as_secs_f64()
    );
    println!(
        "  until on disk (upload, then sync): node {} ({}), saakshi-server {} ({})",
        secs(node_d),
        mib_per_s(size, node_d),
        secs(ours_d),
        mib_per_s(size, ours_d)
    );
    Ok(())
}

/// Enrols a new device over HTTP and returns its bearer token.
async fn enroll(url: &str, code: &str) -> Result<String> {
    let resp = reqwest::Client::new()
        .post(format!("{url}/api/v1/devices/enroll"))
        .json(&serde_json::json!({
            "invite_code": code,
            "device_name": "bench phone",
            "platform": "android",
            "public_key": STANDARD.encode(rand::random::<[u8; 32]>()),
        }))
        .send()
        .await?;
    let status = resp.status();
    if !status.is_success() {
        bail!("enrolment answered {status}: {}", resp.text().await?);
    }
    Ok(resp.json::<EnrollResponse>().await?.token)
}

/// One upload by `tus-js-upload.mjs`, timed, then a timed `sync`; then checks the stored
/// file (`stored` maps the upload URL to its path, `None` for the null server, which
/// keeps nothing) and removes it.
#[allow(clippy::too_many_arguments)]
fn upload(
    peers: &Peers,
    endpoint: &str,
    src: &Path,
    chunk: u64,
    extra: &[String],
    size: u64,
    stored: impl FnOnce(&str) -> Result<Option<PathBuf>>,
    want_sha: Option<&str>,
) -> Result<Run> {
    sync_all();
    let (t, out) = time(|| {
        Command::new(&peers.node)
            .arg(peers.dir.join("tus-js-upload.mjs"))
            .arg("--endpoint")
            .arg(endpoint)
            .arg("--file")
            .arg(src)
            .arg("--chunk-size")
            .arg(chunk.to_string())
            .args(extra)
            .output()
    });
    let out = out?;
    if !out.status.success() {
        bail!(
            "tus-js-upload to {endpoint} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let (sync, ()) = time(sync_all);
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).with_context(|| {
        format!(
            "tus-js-upload printed {:?}",
            String::from_utf8_lossy(&out.stdout)
        )
    })?;
    let bytes = result["bytes"].as_u64().context("no bytes in the result")?;
    ensure!(
        bytes == size,
        "the server confirmed {bytes} of {size} bytes"
    );
    let url = result["url"].as_str().context("no url in the result")?;
    let Some(path) = stored(url)? else {
        return Ok(Run { upload: t, sync });
    };
    let len = std::fs::metadata(&path)
        .with_context(|| format!("the stored file {} is missing", path.display()))?
        .len();
    ensure!(
        len == size,
        "{} has {len} bytes, not {size}",
        path.display()
    );
    if let Some(want) = want_sha {
        let got = sha256_file(&path)?;
        ensure!(
            got == want,
            "{} hashes to {got}, not {want}",
            path.display()
        );
    }
    std::fs::remove_file(&path)?;
    Ok(Run { upload: t, sync })
}

/// Lowercase hex SHA-256 of a file.
fn sha256_file(path: &Path) -> Result<String> {
    let mut f = File::open(path)?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}
