//! A fault-injection TCP proxy on 127.0.0.1 for sync tests: it sits between device and
//! server and can cut a connection after N bytes, reset it, stall it, add latency and
//! limit the rate. The kernel here has no netem; this is the bad network.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// What the proxy does to traffic; change it at any time through [`Proxy::set`].
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Cut (close both sides of) the next connection after this many upstream bytes, once.
    pub cut_after: Option<u64>,
    /// Reset (RST) instead of a clean close when cutting.
    pub reset: bool,
    /// Stop forwarding anything (connections stay open, silent).
    pub stall: bool,
    /// Delay added to every chunk in each direction.
    pub latency: Duration,
    /// Bytes per second in each direction, per connection.
    pub rate: Option<u64>,
    /// Refuse new connections (accept and close at once): "no signal".
    pub refuse: bool,
}

/// A running proxy.
#[derive(Debug)]
pub struct Proxy {
    /// Where clients connect.
    pub addr: SocketAddr,
    faults: Arc<Mutex<Faults>>,
    upstream_bytes: Arc<AtomicU64>,
    cuts: Arc<AtomicU64>,
    stop: CancellationToken,
    task: JoinHandle<()>,
}

impl Proxy {
    /// Starts a proxy to `target`.
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy address");
        let faults = Arc::new(Mutex::new(Faults::default()));
        let upstream_bytes = Arc::new(AtomicU64::new(0));
        let cuts = Arc::new(AtomicU64::new(0));
        let stop = CancellationToken::new();
        let (f, u, c, s) = (
            faults.clone(),
            upstream_bytes.clone(),
            cuts.clone(),
            stop.clone(),
        );
        let task = tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    () = s.cancelled() => return,
                    a = listener.accept() => a,
                };
                let Ok((client, _)) = accepted else { continue };
                if f.lock().unwrap().refuse {
                    drop(client);
                    continue;
                }
                let (f, u, c, s) = (f.clone(), u.clone(), c.clone(), s.clone());
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(target).await {
                        let _ = relay(client, server, f, u, c, s).await;
                    }
                });
            }
        });
        Self {
            addr,
            faults,
            upstream_bytes,
            cuts,
            stop,
            task,
        }
    }

    /// `http://addr`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Changes the faults.
    pub fn set(&self, f: impl FnOnce(&mut Faults)) {
        f(&mut self.faults.lock().unwrap());
    }

    /// Bytes forwarded from clients to the server so far.
    pub fn upstream_bytes(&self) -> u64 {
        self.upstream_bytes.load(Ordering::Relaxed)
    }

    /// Connections cut so far.
    pub fn cuts(&self) -> u64 {
        self.cuts.load(Ordering::Relaxed)
    }

    /// Stops accepting and drops every connection.
    pub fn stop(self) {
        self.stop.cancel();
        self.task.abort();
    }
}

async fn relay(
    client: TcpStream,
    server: TcpStream,
    faults: Arc<Mutex<Faults>>,
    upstream: Arc<AtomicU64>,
    cuts: Arc<AtomicU64>,
    stop: CancellationToken,
) -> std::io::Result<()> {
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let conn_stop = stop.child_token();
    let up = {
        let (faults, upstream, cuts, conn_stop) = (
            faults.clone(),
            upstream.clone(),
            cuts.clone(),
            conn_stop.clone(),
        );
        async move {
            let mut buf = vec![0u8; 16 * 1024];
            let mut sent = 0u64;
            let start = Instant::now();
            loop {
                let n = tokio::select! {
                    () = conn_stop.cancelled() => break,
                    n = cr.read(&mut buf) => n?,
                };
                if n == 0 {
                    break;
                }
                let mut n = n;
                let (cut, reset) = {
                    let mut f = faults.lock().unwrap();
                    match f.cut_after {
                        Some(limit) if sent + n as u64 >= limit => {
                            n = limit.saturating_sub(sent) as usize;
                            f.cut_after = None;
                            (true, f.reset)
                        }
                        _ => (false, false),
                    }
                };
                shape(&faults, &mut sent, n, start, &conn_stop).await;
                sw.write_all(&buf[..n]).await?;
                upstream.fetch_add(n as u64, Ordering::Relaxed);
                if cut {
                    cuts.fetch_add(1, Ordering::Relaxed);
                    if reset {
                        // Zero linger: close with RST at once (no blocking with zero).
                        #[allow(deprecated)]
                        {
                            let _ = sw.as_ref().set_linger(Some(Duration::ZERO));
                            let _ = cr.as_ref().set_linger(Some(Duration::ZERO));
                        }
                    }
                    conn_stop.cancel();
                    break;
                }
            }
            let _ = sw.shutdown().await;
            conn_stop.cancel();
            Ok::<(), std::io::Error>(())
        }
    };
    let down = {
        let (faults, conn_stop) = (faults.clone(), conn_stop.clone());
        async move {
            let mut buf = vec![0u8; 16 * 1024];
            let mut sent = 0u64;
            let start = Instant::now();
            loop {
                let n = tokio::select! {
                    () = conn_stop.cancelled() => break,
                    n = sr.read(&mut buf) => n?,
                };
                if n == 0 {
                    break;
                }
                shape(&faults, &mut sent, n, start, &conn_stop).await;
                cw.write_all(&buf[..n]).await?;
            }
            let _ = cw.shutdown().await;
            conn_stop.cancel();
            Ok::<(), std::io::Error>(())
        }
    };
    let _ = tokio::join!(up, down);
    Ok(())
}

/// Applies stall, latency and rate to one chunk of `n` bytes.
async fn shape(
    faults: &Mutex<Faults>,
    sent: &mut u64,
    n: usize,
    start: Instant,
    stop: &CancellationToken,
) {
    loop {
        let stall = faults.lock().unwrap().stall;
        if !stall || stop.is_cancelled() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (latency, rate) = {
        let f = faults.lock().unwrap();
        (f.latency, f.rate)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    *sent += n as u64;
    if let Some(rate) = rate {
        let due = Duration::from_secs_f64(*sent as f64 / rate.max(1) as f64);
        if let Some(wait) = due.checked_sub(start.elapsed()) {
            tokio::time::sleep(wait).await;
        }
    }
}
