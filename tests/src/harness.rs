//! Device and server together: a real server on a loopback port, real device homes
//! enrolled with it, and media files to capture.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rand::{Rng, SeedableRng, rngs::SmallRng};
use saakshi_core::{Home, ImportRequest};
use saakshi_server::config::Settings;
use saakshi_server::state::AppState;
use tokio::sync::oneshot;

/// A small area tree: Uttar Pradesh → Lucknow → booths 104 and 105, Varanasi → 201.
pub const AREAS: &str = "code,level,name_en,name_hi,parent_code
UP,state,Uttar Pradesh,उत्तर प्रदेश,
LKO,district,Lucknow,लखनऊ,UP
B-104,booth,Booth 104,बूथ 104,LKO
B-105,booth,Booth 105,बूथ 105,LKO
VNS,district,Varanasi,वाराणसी,UP
B-201,booth,Booth 201,बूथ 201,VNS
";

/// A server running in this process.
#[derive(Debug)]
pub struct Server {
    /// `http://127.0.0.1:port`.
    pub url: String,
    /// Its address.
    pub addr: SocketAddr,
    /// Its state (database, media folder).
    pub state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl Server {
    /// Starts on a free port with data in `dir` and the area tree imported.
    pub async fn start(dir: &Path) -> Self {
        Self::start_on(dir, "127.0.0.1:0".parse().expect("address")).await
    }

    /// Starts on `addr` (to come back on the same port after a restart).
    pub async fn start_on(dir: &Path, addr: SocketAddr) -> Self {
        let state = saakshi_server::open_state(Settings::for_dir(dir)).expect("server state");
        if state.db.area("UP".into()).await.expect("db").is_none() {
            saakshi_server::areas_csv::import(state.db.as_ref(), AREAS)
                .await
                .expect("areas");
        }
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .expect("bind server");
        let addr = listener.local_addr().expect("address");
        let (stop, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(saakshi_server::serve_on(
            state.clone(),
            listener,
            async move {
                let _ = rx.await;
            },
        ));
        Self {
            url: format!("http://{addr}"),
            addr,
            state,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops gracefully.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }

    /// An invite code for `area`.
    pub async fn invite(&self, area: &str, uses: u32) -> String {
        let exp = chrono_like_tomorrow_ms();
        saakshi_server::admin::new_invite(self.state.db.as_ref(), area.into(), uses, exp)
            .await
            .expect("invite")
    }
}

fn chrono_like_tomorrow_ms() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    now + 24 * 3600 * 1000
}

/// A device home at `dir`, enrolled with the server at `url` in `area`.
pub async fn enrolled_home(dir: &Path, server: &Server, server_url: &str, area: &str) -> Arc<Home> {
    let (home, _) = Home::create(dir).expect("home");
    let code = server.invite(area, 1).await;
    saakshi_core::sync::enroll(&home, server_url, Some(&code), "test device", "linux")
        .await
        .expect("enrol");
    Arc::new(home)
}

/// Writes `size` bytes of random media (a WAV header, so it is recognised) to `path`.
pub fn write_media(path: &Path, size: u64, seed: u64) -> PathBuf {
    let mut f = std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(path).expect("create media"),
    );
    let header = b"RIFF\x24\0\0\0WAVEfmt ";
    f.write_all(header).expect("write");
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut buf = vec![0u8; 1 << 20];
    let mut left = size - header.len() as u64;
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        rng.fill(&mut buf[..n]);
        f.write_all(&buf[..n]).expect("write");
        left -= n as u64;
    }
    f.flush().expect("flush");
    path.to_path_buf()
}

/// Captures a media file into `home`.
pub fn capture(home: &Home, path: &Path) -> saakshi_core::LocalCapture {
    home.import_file(path, &ImportRequest::default(), &mut |_| {})
        .expect("capture")
        .capture()
        .clone()
}
