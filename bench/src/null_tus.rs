//! A tus server that keeps nothing: it answers creation and PATCH and throws the bytes
//! away. It is no server to test against; it measures the ceiling a client can reach on
//! this machine, so a benchmark can say how much of the time is the client's own.
//!
//! Plain blocking `std::net`, one thread per connection, HTTP/1.1 keep-alive, only the
//! requests `tus-js-client` makes when it uploads: `POST` (creation) and `PATCH`.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A running null server; it lives until the process ends.
#[derive(Debug)]
pub struct NullTus {
    /// Where it listens (loopback, a free port).
    pub addr: SocketAddr,
}

#[derive(Default)]
struct Uploads {
    next: AtomicU64,
    offsets: Mutex<HashMap<u64, u64>>,
}

impl NullTus {
    /// Starts it on a free loopback port.
    pub fn start() -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let uploads = Arc::new(Uploads::default());
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let uploads = uploads.clone();
                std::thread::spawn(move || {
                    let _ = serve(conn, &uploads);
                });
            }
        });
        Ok(Self { addr })
    }

    /// The creation URL.
    pub fn endpoint(&self) -> String {
        format!("http://{}/files", self.addr)
    }
}

fn serve(conn: TcpStream, uploads: &Uploads) -> io::Result<()> {
    conn.set_nodelay(true)?;
    let mut out = conn.try_clone()?;
    let mut r = BufReader::with_capacity(256 << 10, conn);
    let mut sink = vec![0u8; 256 << 10];
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or("").to_string(),
            parts.next().unwrap_or("").to_string(),
        );
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            r.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let num = |k: &str| headers.get(k).and_then(|v| v.parse::<u64>().ok());
        let sent = num("content-length").unwrap_or(0);
        let mut body = sent;
        while body > 0 {
            let want = usize::try_from(body.min(sink.len() as u64)).unwrap_or(sink.len());
            let n = r.read(&mut sink[..want])?;
            if n == 0 {
                return Ok(());
            }
            body -= n as u64;
        }
        let reply = match method.as_str() {
            "POST" => {
                let id = uploads.next.fetch_add(1, Ordering::Relaxed);
                let mut offsets = uploads.offsets.lock().unwrap_or_else(|e| e.into_inner());
                offsets.insert(id, 0);
                format!(
                    "HTTP/1.1 201 Created\r\nTus-Resumable: 1.0.0\r\nLocation: /files/{id}\r\nUpload-Offset: 0\r\nContent-Length: 0\r\n\r\n"
                )
            }
            "PATCH" => {
                let id = path
                    .rsplit('/')
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                let mut offsets = uploads.offsets.lock().unwrap_or_else(|e| e.into_inner());
                let at = offsets.entry(id).or_insert(0);
                *at = num("upload-offset").unwrap_or(*at) + sent;
                format!(
                    "HTTP/1.1 204 No Content\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: {at}\r\n\r\n"
                )
            }
            _ => "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".to_string(),
        };
        out.write_all(reply.as_bytes())?;
    }
}
