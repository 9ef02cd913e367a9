//! Settings: built-in defaults, then a TOML file, then `SAAKSHI_*` variables, then flags.
//! With none of them the server runs: SQLite and a media folder in the data directory,
//! listening on 127.0.0.1:8470.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// Where to listen when nothing says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8470";

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Folder holding the database and media (unless their URLs point elsewhere).
    pub data_dir: PathBuf,
    /// Base URL devices reach this server at (invite links, upload locations).
    pub public_url: Option<String>,
    /// Limits on what clients may send.
    pub limits: Limits,
    /// How long an unfinished upload is kept.
    pub upload_expiry: Duration,
    /// The dashboard map's tile URL template; `None`: no tiles (points on a plain
    /// background), for servers with no internet.
    pub map_tiles: Option<String>,
    /// The server sits behind one reverse proxy that appends the client's address to
    /// `X-Forwarded-For`; limits per address then count that address. Off by default:
    /// without a proxy, the header is whatever the client wrote.
    pub behind_proxy: bool,
}

/// OpenStreetMap's standard tiles, the default.
pub const OSM_TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

/// Limits, all configurable.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest media file, in bytes (refused with 413 before any byte is stored).
    pub max_media_bytes: u64,
    /// Most bytes one device may have on the server (media it holds and unfinished
    /// uploads); past it, new uploads are refused with 413 and a clear message.
    pub max_device_bytes: u64,
    /// Largest JSON body, in bytes.
    pub max_json_bytes: usize,
    /// Most captures in one push.
    pub max_batch: usize,
    /// Requests per minute one device may make.
    pub device_requests_per_minute: u32,
    /// Bytes of PATCH bodies held in memory for the disk at once, over all uploads. A
    /// slow disk then slows the senders (TCP pushes back) instead of growing memory.
    pub upload_buffer_bytes: u32,
    /// Blocking threads that may write PATCH bodies to disk at once, over all uploads.
    /// A body waiting for its next bytes holds none, so no number of slow uploads can
    /// take the threads the database and everything else need.
    pub upload_writers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_media_bytes: 4 << 30,
            max_device_bytes: 20 << 30,
            max_json_bytes: 2 << 20,
            max_batch: saakshi_domain::wire::MAX_PUSH_BATCH,
            device_requests_per_minute: 1200,
            upload_buffer_bytes: 256 << 20,
            // Disk-bound, not CPU-bound: more than the cores, far fewer than tokio's 512
            // blocking threads.
            upload_writers: 16,
        }
    }
}

/// The TOML file's shape (every key optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    public_url: Option<String>,
    max_media_bytes: Option<u64>,
    max_device_bytes: Option<u64>,
    max_json_bytes: Option<usize>,
    max_batch: Option<usize>,
    device_requests_per_minute: Option<u32>,
    upload_buffer_bytes: Option<u32>,
    upload_writers: Option<usize>,
    upload_expiry_hours: Option<u64>,
    map_tiles: Option<String>,
    behind_proxy: Option<bool>,
}

/// What the command line gave.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--listen`.
    pub listen: Option<SocketAddr>,
    /// `--data-dir` (or `SAAKSHI_SERVER_DATA`, handled by clap).
    pub data_dir: Option<PathBuf>,
    /// `--config`.
    pub config: Option<PathBuf>,
}

/// A setting that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    /// The file is not valid TOML of the right shape.
    #[error("{0}: {1}")]
    Parse(PathBuf, String),
    /// A `SAAKSHI_*` variable has a value of the wrong type.
    #[error("{0}={1:?}: {2}")]
    Env(&'static str, String, String),
    /// No data directory could be determined.
    #[error("no data directory: give --data-dir or SAAKSHI_SERVER_DATA")]
    NoDataDir,
}

fn env_parse<T: std::str::FromStr>(name: &'static str) -> Result<Option<T>, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .map(Some)
            .map_err(|e: T::Err| ConfigError::Env(name, v, e.to_string())),
        Err(_) => Ok(None),
    }
}

impl Settings {
    /// The address devices are given (invite links and their QR codes): `public_url`, else
    /// the listening address.
    pub fn public_base(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_string()
    }

    /// What to tell the person starting the server when [`Settings::public_base`] is an
    /// address no phone can reach (loopback or unspecified); `None` when it is fine.
    pub fn unreachable_base_warning(&self) -> Option<String> {
        let base = self.public_base();
        is_local_only(&base).then(|| {
            format!(
                "invite links point at {base}, which no phone can reach; start the server with \
                 SAAKSHI_PUBLIC_URL=http://<this machine's LAN address>:{} (or public_url in the \
                 config file)",
                self.listen.port()
            )
        })
    }

    /// Layers defaults, the TOML file, the environment and the flags.
    pub fn load(o: &Overrides) -> Result<Self, ConfigError> {
        let file = match &o.config {
            Some(p) => read_file(p)?,
            None => FileSettings::default(),
        };
        let listen = o
            .listen
            .or(env_parse("SAAKSHI_LISTEN")?)
            .or(file.listen)
            .unwrap_or_else(|| DEFAULT_LISTEN.parse().expect("valid default address"));
        let data_dir = o
            .data_dir
            .clone()
            .or(file.data_dir)
            .or_else(|| dirs::data_dir().map(|d| d.join("saakshi-server")))
            .ok_or(ConfigError::NoDataDir)?;
        let d = Limits::default();
        let limits = Limits {
            max_media_bytes: env_parse("SAAKSHI_MAX_MEDIA_BYTES")?
                .or(file.max_media_bytes)
                .unwrap_or(d.max_media_bytes),
            max_device_bytes: env_parse("SAAKSHI_MAX_DEVICE_BYTES")?
                .or(file.max_device_bytes)
                .unwrap_or(d.max_device_bytes),
            max_json_bytes: env_parse("SAAKSHI_MAX_JSON_BYTES")?
                .or(file.max_json_bytes)
                .unwrap_or(d.max_json_bytes),
            max_batch: env_parse("SAAKSHI_MAX_BATCH")?
                .or(file.max_batch)
                .unwrap_or(d.max_batch),
            device_requests_per_minute: env_parse("SAAKSHI_DEVICE_REQUESTS_PER_MINUTE")?
                .or(file.device_requests_per_minute)
                .unwrap_or(d.device_requests_per_minute),
            upload_buffer_bytes: env_parse("SAAKSHI_UPLOAD_BUFFER_BYTES")?
                .or(file.upload_buffer_bytes)
                .unwrap_or(d.upload_buffer_bytes),
            upload_writers: env_parse("SAAKSHI_UPLOAD_WRITERS")?
                .or(file.upload_writers)
                .unwrap_or(d.upload_writers)
                .max(1),
        };
        let hours: u64 = env_parse("SAAKSHI_UPLOAD_EXPIRY_HOURS")?
            .or(file.upload_expiry_hours)
            .unwrap_or(7 * 24);
        // "none" (or empty) turns tiles off.
        let tiles = std::env::var("SAAKSHI_MAP_TILES")
            .ok()
            .or(file.map_tiles)
            .unwrap_or_else(|| OSM_TILES.to_string());
        Ok(Self {
            listen,
            data_dir,
            public_url: std::env::var("SAAKSHI_PUBLIC_URL").ok().or(file.public_url),
            limits,
            upload_expiry: Duration::from_secs(hours * 3600),
            map_tiles: (!tiles.trim().is_empty() && tiles.trim() != "none")
                .then(|| tiles.trim().to_string()),
            behind_proxy: env_parse("SAAKSHI_BEHIND_PROXY")?
                .or(file.behind_proxy)
                .unwrap_or(false),
        })
    }

    /// Settings for tests: everything default, data in `dir`.
    pub fn for_dir(dir: &Path) -> Self {
        Self {
            listen: "127.0.0.1:0".parse().expect("valid address"),
            data_dir: dir.to_path_buf(),
            public_url: None,
            limits: Limits::default(),
            upload_expiry: Duration::from_secs(7 * 24 * 3600),
            map_tiles: None,
            behind_proxy: false,
        }
    }
}

fn read_file(p: &Path) -> Result<FileSettings, ConfigError> {
    let text = std::fs::read_to_string(p).map_err(|e| ConfigError::Read(p.to_path_buf(), e))?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse(p.to_path_buf(), e.to_string()))
}
/// A URL whose host only this machine can reach: `localhost`, a loopback address, or the
/// unspecified address (`0.0.0.0` listens everywhere but is no place to connect to).
pub fn is_local_only(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
}

#[cfg(test)]
mod tests {
    use super::is_local_only;

    #[test]
    fn addresses_no_phone_can_reach_are_recognised() {
        for url in [
            "http://127.0.0.1:8470",
            "http://127.1.2.3",
            "http://localhost:8470/",
            "https://LOCALHOST",
            "http://app.localhost:80",
            "http://[::1]:8470",
            "http://0.0.0.0:8470",
            "http://[::]:8470",
            "http://user:pw@127.0.0.1:8470/join/x",
        ] {
            assert!(is_local_only(url), "{url}");
        }
        for url in [
            "http://192.168.1.20:8470",
            "https://saakshi.example.org",
            "http://10.0.0.5:8470/join/x",
            "http://[fe80::1]:8470",
            "http://localhost.example.org",
            "http://127.0.0.1.nip.io",
        ] {
            assert!(!is_local_only(url), "{url}");
        }
    }
}
