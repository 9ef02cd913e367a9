//! What a volunteer waits for: `saakshi sync --once` (the real CLI, a fresh device each
//! round, talking to the release `saakshi-server`) beside the official tus pair,
//! `tus-js-client` → `@tus/server` with `@tus/file-store`, sending the same files from
//! the same disk, taking turns in the same run.
//!
//! ```sh
//! source scripts/lib/peers.sh && ensure_peers
//! cargo build --release -p saakshi-server -p saakshi-cli -p saakshi-bench
//! target/release/sync-vs-tus FILES FILE_KIB ROUNDS DIR [RTT_MS MBIT_S]
//! target/release/sync-vs-tus 1 1048576 5 target/bench-tmp        # one 1 GiB file
//! target/release/sync-vs-tus 300 3000 3 target/bench-tmp         # 300 photos of 3 MB
//! target/release/sync-vs-tus 30 3000 1 target/bench-tmp 150 20   # through a slow link
//! ```
//!
//! One file is a 1 GiB-class recording (incompressible bytes behind a WAV header); more
//! than one are photos (a real 1600×1200 JPEG with EXIF, padded with incompressible
//! bytes after its end to the size asked, as a camera's larger files are).
//!
//! Each round, for each client in turn (the order alternates):
//! - **Saakshi:** a fresh server data folder prepared with `saakshi-server admin
//!   import-areas` and `admin invite`, the server started; a fresh device home (`saakshi
//!   init`, `enroll`, `capture` of every file, untimed), a `sync` of the disk, then the
//!   timed `saakshi sync --once`, with the device's peak RSS polled. Afterwards every
//!   file must be in the server's media folder with its size (and, in the first round,
//!   its SHA-256).
//! - **The tus pair:** a fresh `@tus/server` folder, a `sync`, then the timed
//!   `tus-js-upload-many.mjs` (one process, one upload after another, the client's
//!   default of one PATCH per file). Afterwards every file must be stored with its size.
//!
//! - **nginx** (only for one file, when `nginx` is installed, or `SAAKSHI_NGINX` names
//!   it): `curl -T` PUTs the file to nginx's WebDAV module, which writes it into a
//!   folder, with a config this program writes into a temporary folder and nginx run as
//!   a child process on a loopback port. No fsync, no hash: HTTP into a file.
//!
//! With `RTT_MS MBIT_S`, the clients reach their server through the repo's proxy
//! (`saakshi_tests::proxy`) shaping one link: that round-trip time added and that
//! bandwidth shared by all connections, in each direction.
//!
//! `SAAKSHI_CLI_BINS=/path/a/saakshi:/path/b/saakshi` measures several builds of the
//! device side by side (each its own column), e.g. before and after a change.
#![allow(clippy::print_stdout)]

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use rand::{Rng, SeedableRng, rngs::SmallRng};
use saakshi_bench::{
    ChildProcess, free_port, median, mib, mib_per_s, prepare_server, secs, sibling_binary,
    sync_all, wait_for_port, write_media,
};
use saakshi_tests::exif_writer::PhotoTags;
use saakshi_tests::proxy::{Link, Proxy};
use sha2::Digest;

const STARTUP: Duration = Duration::from_secs(30);

struct Setup {
    server_bin: PathBuf,
    node: PathBuf,
    peers: PathBuf,
    dir: PathBuf,
    files: Vec<PathBuf>,
    sizes: Vec<u64>,
    shas: Vec<String>,
    link: Option<Link>,
    rt: tokio::runtime::Runtime,
    nginx: Option<PathBuf>,
}

/// One timed run.
#[derive(Clone, Copy, Debug)]
struct Run {
    took: Duration,
    /// The device's peak RSS (0 for the tus client, not measured).
    peak: u64,
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let num = |i: usize, d: u64| args.get(i).map_or(Ok(d), |s| s.parse::<u64>());
    let count = num(1, 1)?;
    let file_kib = num(2, 1 << 20)?;
    let rounds = num(3, 3)? as usize;
    let dir = args
        .get(4)
        .map_or_else(|| PathBuf::from("target/bench-tmp"), PathBuf::from);
    let link = match (args.get(5), args.get(6)) {
        (Some(rtt), Some(mbit)) => Some(Link {
            rtt: Duration::from_millis(rtt.parse()?),
            rate: mbit.parse::<u64>()? * 1_000_000 / 8,
        }),
        (None, None) => None,
        _ => bail!("give both RTT_MS and MBIT_S, or neither"),
    };
    ensure!(
        count > 0 && file_kib > 0 && rounds > 0,
        "files, size and rounds must be > 0"
    );
    let clis: Vec<PathBuf> = match std::env::var_os("SAAKSHI_CLI_BINS") {
        Some(v) => std::env::split_paths(&v).collect(),
        None => vec![sibling_binary("saakshi")?],
    };
    let server_bin = sibling_binary("saakshi-server")?;
    let peers = std::env::var_os("SAAKSHI_PEERS_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/peers"),
        PathBuf::from,
    );
    ensure!(
        peers.join("node_modules").is_dir(),
        "the tus peers are not installed in {}: run `source scripts/lib/peers.sh && ensure_peers` first",
        peers.display()
    );
    let node =
        std::env::var_os("SAAKSHI_NODE").map_or_else(|| PathBuf::from("node"), PathBuf::from);

    let dir = dir.join("sync-vs-tus");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let dir = dir.canonicalize()?;
    let src = dir.join("source");
    std::fs::create_dir_all(&src)?;
    println!(
        "writing {count} file(s) of {} in {}",
        mib(file_kib << 10),
        src.display()
    );
    let files = write_sources(&src, count, file_kib << 10)?;
    let sizes = files
        .iter()
        .map(|f| Ok(std::fs::metadata(f)?.len()))
        .collect::<Result<Vec<_>>>()?;
    let shas = files
        .iter()
        .map(|f| sha256_file(f))
        .collect::<Result<_>>()?;
    let total: u64 = sizes.iter().sum();
    let setup = Setup {
        server_bin,
        node,
        peers,
        dir,
        files,
        sizes,
        shas,
        link,
        rt: tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?,
        nginx: (count == 1).then(find_nginx).flatten(),
    };
    match link {
        Some(l) => println!(
            "through the proxy: +{} ms round trip, {:.1} Mbit/s shared",
            l.rtt.as_millis(),
            l.rate as f64 * 8.0 / 1e6
        ),
        None => println!("over loopback"),
    }

    let mut tus_runs = Vec::new();
    let mut nginx_runs = Vec::new();
    let mut ours_runs: Vec<Vec<Run>> = vec![Vec::new(); clis.len()];
    for round in 0..rounds {
        // Alternate the order, so neither side always runs on a warmer machine.
        let mut order: Vec<Option<usize>> = std::iter::once(None)
            .chain((0..clis.len()).map(Some))
            .collect();
        if setup.nginx.is_some() {
            order.insert(1, Some(usize::MAX));
        }
        if round % 2 == 1 {
            order.reverse();
        }
        let mut parts = Vec::new();
        for who in order {
            match who {
                None => {
                    let r = tus_pair(&setup)?;
                    parts.push(format!("tus pair {}", secs(r.took)));
                    tus_runs.push(r);
                }
                Some(usize::MAX) => {
                    let r = nginx_put(&setup)?;
                    parts.push(format!("nginx PUT {}", secs(r.took)));
                    nginx_runs.push(r);
                }
                Some(i) => {
                    let r = saakshi(&setup, &clis[i], round == 0)?;
                    parts.push(format!(
                        "saakshi#{} {} (peak {})",
                        i + 1,
                        secs(r.took),
                        mib(r.peak)
                    ));
                    ours_runs[i].push(r);
                }
            }
        }
        println!("round {}: {}", round + 1, parts.join(" | "));
    }
    let _ = std::fs::remove_dir_all(&setup.dir);

    let tus_t = median(tus_runs.iter().map(|r| r.took).collect());
    println!();
    println!(
        "{count} file(s), {} in all, {}; median of {rounds}, same files, same disk, same run",
        mib(total),
        match link {
            Some(l) => format!(
                "through the proxy (+{} ms RTT, {:.0} Mbit/s)",
                l.rtt.as_millis(),
                l.rate as f64 * 8.0 / 1e6
            ),
            None => "loopback".to_string(),
        }
    );
    println!(
        "  tus-js-client -> @tus/server (baseline)  {:>8}  {:>10}",
        secs(tus_t),
        mib_per_s(total, tus_t)
    );
    let nginx_t =
        (!nginx_runs.is_empty()).then(|| median(nginx_runs.iter().map(|r| r.took).collect()));
    if let Some(t) = nginx_t {
        println!(
            "  curl -T -> nginx PUT into a file (baseline) {:>8}  {:>10}",
            secs(t),
            mib_per_s(total, t)
        );
    }
    for (i, runs) in ours_runs.iter().enumerate() {
        let t = median(runs.iter().map(|r| r.took).collect());
        if let Some(n) = nginx_t {
            println!(
                "  saakshi #{}: {:.2}x nginx's throughput (target >= 0.8x)",
                i + 1,
                n.as_secs_f64() / t.as_secs_f64()
            );
        }
        let peak = runs.iter().map(|r| r.peak).max().unwrap_or(0);
        println!(
            "  saakshi sync --once #{} {:<30} {:>8}  {:>10}  {:>5.2}x the pair (target >= 1.5x)  peak RSS {}",
            i + 1,
            clis[i].display(),
            secs(t),
            mib_per_s(total, t),
            tus_t.as_secs_f64() / t.as_secs_f64(),
            mib(peak)
        );
    }
    Ok(())
}

/// Writes the source files: one recording, or `count` photos.
fn write_sources(dir: &Path, count: u64, size: u64) -> Result<Vec<PathBuf>> {
    if count == 1 {
        let f = dir.join("recording.wav");
        write_media(&f, size)?;
        return Ok(vec![f]);
    }
    let jpeg = saakshi_tests::samples::photo(
        7,
        &PhotoTags {
            position: Some((26.85, 80.9462)),
            taken: Some("2026:11:20 11:02:13".into()),
            offset: Some("+05:30".into()),
            ..PhotoTags::default()
        },
    );
    let mut rng = SmallRng::seed_from_u64(count ^ size);
    let mut pad = vec![0u8; (size as usize).saturating_sub(jpeg.len())];
    let mut files = Vec::new();
    for i in 0..count {
        rng.fill(&mut pad[..]);
        let f = dir.join(format!("photo-{i:04}.jpg"));
        let mut w = std::fs::File::create(&f)?;
        w.write_all(&jpeg)?;
        w.write_all(&pad)?;
        w.sync_all()?;
        files.push(f);
    }
    Ok(files)
}

/// Starts the proxy in front of `target` when the run is shaped; returns the address
/// clients use.
fn front(setup: &Setup, target: SocketAddr) -> (Option<Proxy>, SocketAddr) {
    match setup.link {
        Some(link) => {
            let proxy = setup.rt.block_on(Proxy::start(target));
            proxy.set(|f| f.link = Some(link));
            let addr = proxy.addr;
            (Some(proxy), addr)
        }
        None => (None, target),
    }
}

/// nginx from `SAAKSHI_NGINX` or the usual places.
fn find_nginx() -> Option<PathBuf> {
    std::env::var_os("SAAKSHI_NGINX")
        .map(PathBuf::from)
        .or_else(|| {
            ["/usr/sbin/nginx", "/usr/bin/nginx"]
                .iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())
        })
}

/// One timed `curl -T` of the file to a fresh nginx that stores PUT bodies (WebDAV).
fn nginx_put(setup: &Setup) -> Result<Run> {
    let nginx = setup.nginx.as_ref().context("no nginx")?;
    let prefix = setup.dir.join("nginx");
    let _ = std::fs::remove_dir_all(&prefix);
    for sub in ["root/put", "tmp", "logs"] {
        std::fs::create_dir_all(prefix.join(sub))?;
    }
    let port = free_port()?;
    let conf = prefix.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\n\
             error_log {p}/logs/error.log warn;\npid {p}/nginx.pid;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {p}/tmp;\n\
             client_max_body_size 0;\n  client_body_buffer_size 1m;\n\
             server {{\n    listen 127.0.0.1:{port};\n\
             location /put/ {{ root {p}/root; dav_methods PUT; create_full_put_path on; }}\n\
             }}\n}}\n",
            p = prefix.display()
        ),
    )?;
    let mut server = ChildProcess::spawn(
        "nginx",
        Command::new(nginx)
            .arg("-p")
            .arg(&prefix)
            .arg("-e")
            .arg(prefix.join("logs/error.log"))
            .arg("-c")
            .arg(&conf),
        &setup.dir.join("nginx.log"),
    )?;
    let listen = SocketAddr::from(([127, 0, 0, 1], port));
    wait_for_port(listen, STARTUP)?;
    let (proxy, addr) = front(setup, listen);
    let file = &setup.files[0];
    sync_all();
    let started = Instant::now();
    let out = Command::new("curl")
        .args(["-sS", "-f", "-T"])
        .arg(file)
        .arg(format!("http://{addr}/put/upload.bin"))
        .output()?;
    let took = started.elapsed();
    ensure!(
        out.status.success(),
        "curl PUT failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    let stored = std::fs::metadata(prefix.join("root/put/upload.bin"))?.len();
    ensure!(stored == setup.sizes[0], "nginx stored {stored} bytes");
    server.check_running()?;
    if let Some(p) = proxy {
        p.stop();
    }
    server.stop()?;
    std::fs::remove_dir_all(&prefix)?;
    Ok(Run { took, peak: 0 })
}

/// One timed `tus-js-upload-many` run against a fresh `@tus/server`.
fn tus_pair(setup: &Setup) -> Result<Run> {
    let store = setup.dir.join("tus-node");
    let _ = std::fs::remove_dir_all(&store);
    std::fs::create_dir_all(&store)?;
    let mut server = ChildProcess::spawn(
        "tus-node-server",
        Command::new(&setup.node)
            .arg(setup.peers.join("tus-node-server.mjs"))
            .args(["--port", "0", "--path", "/files", "--dir"])
            .arg(&store),
        &setup.dir.join("tus-node.log"),
    )?;
    let port: u16 = server.wait_for_line("LISTENING ", STARTUP)?.parse()?;
    let (proxy, addr) = front(setup, SocketAddr::from(([127, 0, 0, 1], port)));
    sync_all();
    let started = Instant::now();
    let out = Command::new(&setup.node)
        .arg(setup.peers.join("tus-js-upload-many.mjs"))
        .arg("--endpoint")
        .arg(format!("http://{addr}/files"))
        .args(&setup.files)
        .output()?;
    let took = started.elapsed();
    ensure!(
        out.status.success(),
        "tus-js-upload-many failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    let result: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    ensure!(
        result["uploads"].as_u64() == Some(setup.files.len() as u64),
        "tus-js-upload-many printed {result}"
    );
    // Every file stored whole: the sizes of the stored files are the sources' sizes.
    let mut stored: Vec<u64> = std::fs::read_dir(&store)?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_none())
        .map(|e| Ok(e.metadata()?.len()))
        .collect::<Result<_>>()?;
    let mut want = setup.sizes.clone();
    stored.sort_unstable();
    want.sort_unstable();
    ensure!(stored == want, "@tus/server did not store every file whole");
    if let Some(p) = proxy {
        p.stop();
    }
    server.stop()?;
    std::fs::remove_dir_all(&store)?;
    Ok(Run { took, peak: 0 })
}

/// One timed `saakshi sync --once` of a fresh device against a fresh server.
fn saakshi(setup: &Setup, cli: &Path, check_hash: bool) -> Result<Run> {
    let data = setup.dir.join("server");
    let code = prepare_server(&setup.server_bin, &data, 1)?;
    let listen = SocketAddr::from(([127, 0, 0, 1], free_port()?));
    let server = ChildProcess::spawn(
        "saakshi-server",
        Command::new(&setup.server_bin)
            .arg("--data-dir")
            .arg(&data)
            .arg("--listen")
            .arg(listen.to_string())
            .env("RUST_LOG", "warn"),
        &setup.dir.join("server.log"),
    )?;
    wait_for_port(listen, STARTUP)?;
    let (proxy, addr) = front(setup, listen);
    let home = setup.dir.join("phone");
    let _ = std::fs::remove_dir_all(&home);
    cli_run(cli, &home, &["init"])?;
    cli_run(cli, &home, &["enroll", &format!("http://{addr}"), &code])?;
    let mut capture = vec!["capture".to_string()];
    capture.extend(setup.files.iter().map(|f| f.display().to_string()));
    let capture: Vec<&str> = capture.iter().map(String::as_str).collect();
    cli_run(cli, &home, &capture)?;
    sync_all();
    let (took, peak, out) = timed_with_peak(cli, &home, &["--json", "sync", "--once"])?;
    let report: serde_json::Value = serde_json::from_slice(&out)
        .with_context(|| format!("sync printed {:?}", String::from_utf8_lossy(&out)))?;
    ensure!(
        report["uploaded"].as_u64() == Some(setup.files.len() as u64)
            && report["failed"].as_u64() == Some(0),
        "sync reported {report}"
    );
    for (i, (sha, size)) in setup.shas.iter().zip(&setup.sizes).enumerate() {
        let path = data.join("media").join(sha);
        let len = std::fs::metadata(&path)
            .with_context(|| format!("the server holds no {}", path.display()))?
            .len();
        ensure!(
            len == *size,
            "{} has {len} bytes, not {size}",
            path.display()
        );
        if check_hash && i == 0 {
            ensure!(sha256_file(&path)? == *sha, "{} is damaged", path.display());
        }
    }
    if let Some(p) = proxy {
        p.stop();
    }
    server.stop()?;
    std::fs::remove_dir_all(&home)?;
    std::fs::remove_dir_all(&data)?;
    Ok(Run { took, peak })
}

fn cli_run(cli: &Path, home: &Path, args: &[&str]) -> Result<()> {
    let out = Command::new(cli)
        .arg("--home")
        .arg(home)
        .args(args)
        .output()?;
    ensure!(
        out.status.success(),
        "saakshi {}: {}",
        args.first().unwrap_or(&""),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(())
}

/// Runs the CLI, polling its peak RSS (VmHWM only grows) until it exits; returns the
/// time, the peak and its stdout.
fn timed_with_peak(cli: &Path, home: &Path, args: &[&str]) -> Result<(Duration, u64, Vec<u8>)> {
    let out_path = home.with_extension("out");
    let started = Instant::now();
    let mut child = Command::new(cli)
        .arg("--home")
        .arg(home)
        .args(args)
        .stdout(std::fs::File::create(&out_path)?)
        .stderr(Stdio::null())
        .spawn()?;
    let mut peak = 0;
    let exit = loop {
        peak = peak.max(saakshi_bench::peak_rss_of(child.id()));
        if let Some(st) = child.try_wait()? {
            break st;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = started.elapsed();
    let out = std::fs::read(&out_path)?;
    std::fs::remove_file(&out_path)?;
    ensure!(exit.success(), "saakshi sync --once exited {exit}");
    Ok((took, peak, out))
}

/// Lowercase hex SHA-256 of a file.
fn sha256_file(path: &Path) -> Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = sha2::Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}
