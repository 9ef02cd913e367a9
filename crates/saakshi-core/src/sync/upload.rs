//! Media upload over tus: resume from the server's offset after any interruption, stream
//! from the blob file (memory bounded by a few read buffers, not by the media), adapt the
//! chunk size to the link, honour a bandwidth cap. The first bytes go with the request
//! that creates the upload (tus creation-with-upload): a photo is one request, not two.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use futures_util::StreamExt;
use saakshi_domain::CaptureRecord;
use tokio::sync::broadcast;

use super::chunk::Chunker;
use super::client::{Client, Created, PatchResult};
use super::error::SyncError;
use super::events::SyncEvent;
use super::policy::SyncPolicy;
use crate::home::Home;

/// Where tus uploads go on a Saakshi server.
pub const UPLOADS_ENDPOINT: &str = "/api/v1/uploads/";

/// Most bytes sent with the request that creates an upload. A cut during that request
/// loses what it carried (the device learns the upload's URL only from the answer),
/// while a cut during a PATCH loses only what was still in buffers; so a small bound,
/// which still carries a photo whole.
const CREATE_BODY_MAX: u64 = 4 * 1024 * 1024;

/// `Upload-Metadata` for a capture: what a server needs to join media and record.
pub fn metadata(rec: &CaptureRecord) -> String {
    let mut pairs = vec![
        ("sha256", rec.sha256.to_hex()),
        ("capture_id", rec.id.to_string()),
        ("kind", rec.kind.as_str().to_string()),
        ("mime", rec.mime.clone()),
    ];
    if let Some(name) = &rec.original_name {
        pairs.push(("filename", name.clone()));
    }
    pairs
        .into_iter()
        .map(|(k, v)| format!("{k} {}", STANDARD.encode(v)))
        .collect::<Vec<_>>()
        .join(",")
}

/// Everything an upload needs besides the capture.
pub(crate) struct Uploader<'a> {
    pub home: &'a Home,
    pub client: &'a Client,
    pub endpoint: &'a str,
    pub events: &'a broadcast::Sender<SyncEvent>,
    pub policy: &'a SyncPolicy,
    /// Shared by the uploads running at once: each measures its own share of the link.
    pub chunker: &'a Mutex<Chunker>,
}

impl Uploader<'_> {
    /// Sends the media of `rec` until the server holds all of it (and so verified it).
    /// `url` is the upload already under way, if any.
    pub async fn upload(&self, rec: &CaptureRecord, url: Option<String>) -> Result<(), SyncError> {
        let size = rec.size;
        let (mut url, mut offset) = match url {
            Some(u) => match self.client.tus_offset(&u).await? {
                Some(off) => (u, off),
                None => self.create(rec).await?,
            },
            None => self.create(rec).await?,
        };
        self.progress(rec, offset);
        while offset < size {
            if !self.policy.network_allowed() {
                return Err(SyncError::transient(
                    "waiting for Wi-Fi (this device syncs on Wi-Fi only)",
                ));
            }
            let len = self.chunk_size().min(size - offset);
            let started = Instant::now();
            let body = self.body(rec, offset, len).await?;
            let timeout = self.chunker().timeout(len);
            let result = self
                .client
                .tus_patch(&url, offset, len, body, timeout)
                .await;
            match result {
                Ok(PatchResult::Advanced(new)) => {
                    self.chunker()
                        .record(new.saturating_sub(offset), started.elapsed());
                    offset = new;
                    self.home
                        .db(|s| s.set_upload(&rec.id, Some(&url), offset))?;
                    self.progress(rec, offset);
                }
                Ok(PatchResult::OffsetMismatch) => match self.client.tus_offset(&url).await? {
                    Some(off) => offset = off,
                    None => (url, offset) = self.create(rec).await?,
                },
                Ok(PatchResult::Gone) => (url, offset) = self.create(rec).await?,
                Ok(PatchResult::ChecksumMismatch(msg)) => {
                    return Err(self.checksum_failed(rec, &msg));
                }
                Err(e) => {
                    if e.is_transient() {
                        self.chunker().shrink();
                        // The server keeps what arrived: learn how far it got, for status.
                        if let Ok(Some(off)) = self.client.tus_offset(&url).await {
                            self.home.db(|s| s.set_upload(&rec.id, Some(&url), off))?;
                            self.progress(rec, off);
                        }
                    }
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Creates the upload, sending its first bytes with it; returns its URL and how many
    /// bytes the server kept (a server that ignores the body keeps none).
    async fn create(&self, rec: &CaptureRecord) -> Result<(String, u64), SyncError> {
        let len = self.chunk_size().min(CREATE_BODY_MAX).min(rec.size);
        let started = Instant::now();
        let body = self.body(rec, 0, len).await?;
        let timeout = self.chunker().timeout(len);
        let (url, offset) = match self
            .client
            .tus_create(
                self.endpoint,
                rec.size,
                &metadata(rec),
                (len, body),
                timeout,
            )
            .await?
        {
            Created::At(url, offset) => (url, offset),
            Created::ChecksumMismatch(msg) => return Err(self.checksum_failed(rec, &msg)),
        };
        if offset > 0 {
            self.chunker().record(offset, started.elapsed());
        }
        self.home
            .db(|s| s.set_upload(&rec.id, Some(&url), offset))?;
        Ok((url, offset))
    }

    fn chunker(&self) -> std::sync::MutexGuard<'_, Chunker> {
        // A panic elsewhere cannot leave a chunk size half-updated: take it as it is.
        self.chunker.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn chunk_size(&self) -> u64 {
        self.chunker().size()
    }

    fn progress(&self, rec: &CaptureRecord, done: u64) {
        let _ = self.events.send(SyncEvent::Progress {
            capture_id: rec.id,
            done,
            total: rec.size,
        });
    }

    /// The bytes `[offset, offset + len)` of the blob, streamed (and throttled).
    async fn body(
        &self,
        rec: &CaptureRecord,
        offset: u64,
        len: u64,
    ) -> Result<reqwest::Body, SyncError> {
        let path = self.home.blobs().path_of(&rec.sha256);
        let stream = super::blob_body::read_range(path, offset, len).await?;
        Ok(match self.policy.bandwidth_cap {
            None => reqwest::Body::wrap_stream(stream),
            Some(cap) => reqwest::Body::wrap_stream(throttle(stream, cap)),
        })
    }

    /// The server found the bytes do not hash right. Once may be a fluke on the wire;
    /// check the local copy and start the upload again. Twice is final.
    fn checksum_failed(&self, rec: &CaptureRecord, msg: &str) -> SyncError {
        let n = match self.home.db(|s| s.count_checksum_failure(&rec.id)) {
            Ok(n) => n,
            Err(e) => return e.into(),
        };
        match self.home.blobs().verify(&rec.sha256) {
            Ok(true) => {}
            Ok(false) => {
                return SyncError::Permanent(
                    "the media is damaged on this device (its bytes no longer match their hash)"
                        .into(),
                );
            }
            Err(e) => return e.into(),
        }
        if n >= 2 {
            return SyncError::Permanent(format!(
                "the server twice found the uploaded bytes do not match their hash ({msg})"
            ));
        }
        SyncError::transient(format!(
            "the server rejected the upload's hash; sending it again ({msg})"
        ))
    }
}

/// Limits a byte stream to `bytes_per_sec`.
fn throttle<S>(
    stream: S,
    bytes_per_sec: u64,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>>
where
    S: futures_util::Stream<Item = std::io::Result<Bytes>>,
{
    let start = Instant::now();
    let mut sent = 0u64;
    stream.then(move |item| {
        if let Ok(b) = &item {
            sent += b.len() as u64;
        }
        let due = Duration::from_secs_f64(sent as f64 / bytes_per_sec.max(1) as f64);
        async move {
            if let Some(wait) = due.checked_sub(start.elapsed()) {
                tokio::time::sleep(wait).await;
            }
            item
        }
    })
}
