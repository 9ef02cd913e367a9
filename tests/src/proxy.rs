//! A fault-injection TCP proxy on 127.0.0.1 for sync tests: it sits between device and
//! server and can cut a connection after N bytes, reset it, stall it, add latency and
//! limit the rate. The kernel here has no netem; this is the bad network.
//!
//! [`Faults::link`] models a real slow link instead of slowing each chunk: bytes are
//! delayed without stopping the next ones (a pipe with a round-trip time, not a
//! stop-and-wait), and the rate cap is one bottleneck shared by every connection in
//! each direction, as a phone's uplink is.

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
    /// A shaped link for connections opened while it is set (see the module docs).
    pub link: Option<Link>,
}

/// A link with a round-trip time and a bandwidth shared by all its connections.
#[derive(Clone, Copy, Debug)]
pub struct Link {
    /// Added round-trip time (half of it each way).
    pub rtt: Duration,
    /// Bytes per second in each direction, over all connections together.
    pub rate: u64,
}

/// When each direction's bottleneck is next free: [upstream, downstream].
type Bottleneck = Arc<Mutex<[tokio::time::Instant; 2]>>;

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

/// What every relay of one proxy shares.
#[derive(Clone)]
struct Shared {
    faults: Arc<Mutex<Faults>>,
    upstream: Arc<AtomicU64>,
    cuts: Arc<AtomicU64>,
    stop: CancellationToken,
    bottleneck: Bottleneck,
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
        let now = tokio::time::Instant::now();
        let shared = Shared {
            faults: faults.clone(),
            upstream: upstream_bytes.clone(),
            cuts: cuts.clone(),
            stop: stop.clone(),
            bottleneck: Arc::new(Mutex::new([now, now])),
        };
        let task = tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    () = shared.stop.cancelled() => return,
                    a = listener.accept() => a,
                };
                let Ok((client, _)) = accepted else { continue };
                let (refuse, link) = {
                    let f = shared.faults.lock().unwrap();
                    (f.refuse, f.link)
                };
                if refuse {
                    drop(client);
                    continue;
                }
                let shared = shared.clone();
                tokio::spawn(async move {
                    if let Some(link) = link {
                        // The handshake crosses the link too.
                        tokio::time::sleep(link.rtt).await;
                    }
                    if let Ok(server) = TcpStream::connect(target).await {
                        let _ = match link {
                            Some(link) => relay_link(client, server, link, shared).await,
                            None => relay(client, server, shared).await,
                        };
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

async fn relay(client: TcpStream, server: TcpStream, shared: Shared) -> std::io::Result<()> {
    let Shared {
        faults,
        upstream,
        cuts,
        stop,
        ..
    } = shared;
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

/// Relays one connection over a shaped [`Link`]: each direction reads at the pace of
/// the shared bottleneck (so a sender meets back-pressure as on a real link) and hands
/// what it read to a writer that delivers it half a round trip later, while the next
/// bytes are already on their way. Cuts work as in [`relay`]; stall, latency and rate
/// do not apply here.
async fn relay_link(
    client: TcpStream,
    server: TcpStream,
    link: Link,
    shared: Shared,
) -> std::io::Result<()> {
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (cr, cw) = client.into_split();
    let (sr, sw) = server.into_split();
    let conn_stop = shared.stop.child_token();
    let up = pipe(cr, sw, link, 0, shared.clone(), conn_stop.clone());
    let down = pipe(sr, cw, link, 1, shared, conn_stop);
    let _ = tokio::join!(up, down);
    Ok(())
}

/// One direction of [`relay_link`]; `dir` 0 is upstream (counted, cut), 1 downstream.
async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    link: Link,
    dir: usize,
    shared: Shared,
    conn_stop: CancellationToken,
) -> std::io::Result<()> {
    use tokio::time::{Instant as TokioInstant, sleep_until};
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Vec<u8>, TokioInstant, bool)>();
    let writer = {
        let (upstream, cuts, conn_stop) = (
            shared.upstream.clone(),
            shared.cuts.clone(),
            conn_stop.clone(),
        );
        async move {
            while let Some((data, at, cut)) = rx.recv().await {
                tokio::select! {
                    () = conn_stop.cancelled() => break,
                    () = sleep_until(at) => {}
                }
                to.write_all(&data).await?;
                if dir == 0 {
                    upstream.fetch_add(data.len() as u64, Ordering::Relaxed);
                }
                if cut {
                    cuts.fetch_add(1, Ordering::Relaxed);
                    // A cut ends both directions at once.
                    conn_stop.cancel();
                    break;
                }
            }
            // A half-close is passed on; the other direction goes on delivering what is
            // still on the link.
            let _ = to.shutdown().await;
            Ok::<(), std::io::Error>(())
        }
    };
    let reader = {
        let conn_stop = conn_stop.clone();
        async move {
            let mut buf = vec![0u8; 16 * 1024];
            let mut read = 0u64;
            loop {
                let n = tokio::select! {
                    () = conn_stop.cancelled() => break,
                    n = from.read(&mut buf) => n?,
                };
                if n == 0 {
                    break;
                }
                let mut n = n;
                let cut = dir == 0 && {
                    let mut f = shared.faults.lock().unwrap();
                    match f.cut_after {
                        Some(limit) if read + n as u64 >= limit => {
                            n = limit.saturating_sub(read) as usize;
                            f.cut_after = None;
                            true
                        }
                        _ => false,
                    }
                };
                read += n as u64;
                // The bytes leave when the bottleneck is free and take n / rate to pass.
                let sent = {
                    let mut free = shared.bottleneck.lock().unwrap();
                    let start = free[dir].max(TokioInstant::now());
                    free[dir] = start + Duration::from_secs_f64(n as f64 / link.rate.max(1) as f64);
                    free[dir]
                };
                // The writer is gone when its side failed: stop reading.
                if tx
                    .send((buf[..n].to_vec(), sent + link.rtt / 2, cut))
                    .is_err()
                    || cut
                {
                    break;
                }
                tokio::select! {
                    () = conn_stop.cancelled() => break,
                    () = sleep_until(sent) => {}
                }
            }
            drop(tx);
            Ok::<(), std::io::Error>(())
        }
    };
    let (r, w) = tokio::join!(reader, writer);
    r.and(w)
}
