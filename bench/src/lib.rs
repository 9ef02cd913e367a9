//! Shared pieces of the benchmarks: timing, peak memory, formatting, child servers.
#![allow(clippy::print_stdout)]

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng, rngs::SmallRng};

pub mod null_tus;

/// Median of the measurements.
pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Times `f`.
pub fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

/// This process's peak resident memory (VmHWM), in bytes.
pub fn peak_rss() -> u64 {
    vm_hwm("/proc/self/status")
}

/// Peak resident memory (VmHWM) of process `pid`, in bytes; 0 when it cannot be read
/// (read it before the process exits).
pub fn peak_rss_of(pid: u32) -> u64 {
    vm_hwm(&format!("/proc/{pid}/status"))
}

fn vm_hwm(status_file: &str) -> u64 {
    std::fs::read_to_string(status_file)
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib * 1024)
}

/// Flushes every dirty page, so the next measurement does not pay for the last one.
pub fn sync_all() {
    let _ = Command::new("sync").status();
}

/// Writes `size` bytes of incompressible data behind a WAV header (so Saakshi
/// recognises it as audio), fsynced.
pub fn write_media(path: &Path, size: u64) -> std::io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let header = b"RIFF\x24\0\0\0WAVEfmt ";
    w.write_all(header)?;
    let mut rng = SmallRng::seed_from_u64(size);
    let mut buf = vec![0u8; 1 << 20];
    let mut left = size.saturating_sub(header.len() as u64);
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        rng.fill(&mut buf[..n]);
        w.write_all(&buf[..n])?;
        left -= n as u64;
    }
    w.into_inner().map_err(|e| e.into_error())?.sync_all()
}

/// "1.23 s".
pub fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// "512.0 MiB".
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// A program built next to this one (`cargo build --release -p saakshi-server -p
/// saakshi-bench` puts both in `target/release`).
pub fn sibling_binary(name: &str) -> std::io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let path = exe
        .parent()
        .ok_or_else(|| std::io::Error::other("the running binary has no directory"))?
        .join(name);
    if !path.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "{} is missing; build it beside this benchmark: cargo build --release -p saakshi-server -p saakshi-bench",
                path.display()
            ),
        ));
    }
    Ok(path)
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Waits until something accepts TCP connections on `addr`.
pub fn wait_for_port(addr: SocketAddr, timeout: Duration) -> std::io::Result<()> {
    let until = Instant::now() + timeout;
    loop {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(_) => return Ok(()),
            Err(e) if Instant::now() >= until => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("nothing listens on {addr} after {timeout:?}: {e}"),
                ));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// A child process (a server under test) that is killed when dropped, so that an error
/// or a panic in the benchmark never leaves it running.
#[derive(Debug)]
pub struct ChildProcess {
    name: String,
    child: Option<Child>,
    lines: Option<Receiver<String>>,
}

impl ChildProcess {
    /// Starts `cmd`. Its stdout is read by a thread (see [`ChildProcess::wait_for_line`]);
    /// its stderr goes to `log`.
    pub fn spawn(name: &str, cmd: &mut Command, log: &Path) -> std::io::Result<Self> {
        let err = File::create(log)?;
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(err)
            .spawn()
            .map_err(|e| std::io::Error::other(format!("cannot start {name}: {e}")))?;
        let (tx, rx) = channel();
        if let Some(out) = child.stdout.take() {
            // Keeps draining, so a chatty child never blocks on a full pipe.
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines() {
                    let Ok(line) = line else { break };
                    let _ = tx.send(line);
                }
            });
        }
        Ok(Self {
            name: name.to_string(),
            child: Some(child),
            lines: Some(rx),
        })
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Waits for a stdout line starting with `prefix` and returns the rest of it.
    pub fn wait_for_line(&mut self, prefix: &str, timeout: Duration) -> std::io::Result<String> {
        let until = Instant::now() + timeout;
        let rx = self
            .lines
            .as_ref()
            .ok_or_else(|| std::io::Error::other("no stdout"))?;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix(prefix) {
                        return Ok(rest.trim().to_string());
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        format!("{} printed no {prefix:?} within {timeout:?}", self.name),
                    ));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(std::io::Error::other(format!(
                        "{} closed its stdout before printing {prefix:?}",
                        self.name
                    )));
                }
            }
        }
    }

    /// Fails if the child has already exited.
    pub fn check_running(&mut self) -> std::io::Result<()> {
        if let Some(c) = self.child.as_mut()
            && let Some(status) = c.try_wait()?
        {
            return Err(std::io::Error::other(format!(
                "{} exited: {status}",
                self.name
            )));
        }
        Ok(())
    }

    /// Asks the child to stop (SIGTERM), waits up to 10 s, then kills it.
    pub fn stop(mut self) -> std::io::Result<ExitStatus> {
        let mut child = self
            .child
            .take()
            .ok_or_else(|| std::io::Error::other("already stopped"))?;
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            if let Some(status) = child.try_wait()? {
                return Ok(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill()?;
        child.wait()
    }
}

impl Drop for ChildProcess {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// "1129 MiB/s".
pub fn mib_per_s(bytes: u64, d: Duration) -> String {
    format!(
        "{:.0} MiB/s",
        bytes as f64 / (1024.0 * 1024.0) / d.as_secs_f64()
    )
}

/// A one-area tree for benchmark servers.
pub const AREAS: &str =
    "code,level,name_en,name_hi,parent_code\nUP,state,Uttar Pradesh,उत्तर प्रदेश,\n";

/// Runs `saakshi-server --data-dir DIR admin ARGS…` and returns what it printed.
pub fn admin(bin: &Path, data: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new(bin)
        .arg("--data-dir")
        .arg(data)
        .arg("admin")
        .args(args)
        .output()?;
    if !out.status.success() {
        anyhow::bail!(
            "saakshi-server admin {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_string())
}

/// Prepares a fresh server data folder with [`AREAS`] and one invite usable `uses`
/// times, through the server's own admin command lines. Returns the invite code.
pub fn prepare_server(bin: &Path, data: &Path, uses: u64) -> anyhow::Result<String> {
    let _ = std::fs::remove_dir_all(data);
    std::fs::create_dir_all(data)?;
    let areas = data.with_extension("areas.csv");
    std::fs::write(&areas, AREAS)?;
    admin(bin, data, &["import-areas", &areas.display().to_string()])?;
    std::fs::remove_file(&areas)?;
    let invite: serde_json::Value = serde_json::from_str(&admin(
        bin,
        data,
        &[
            "invite",
            "--area",
            "UP",
            "--uses",
            &uses.to_string(),
            "--json",
        ],
    )?)?;
    invite["code"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("admin invite printed no code"))
}
