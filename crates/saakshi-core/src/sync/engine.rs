//! The sync engine: whenever there is work and the server answers, push all pending
//! metadata (tiny, so the dashboard sees "12 captures waiting" at once), then
//! thumbnails, then media (photos before videos), then pull what changed.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;

use saakshi_domain::wire::{Change, MediaState, PushRequest, PushStatus};
use saakshi_domain::{CaptureId, CaptureState};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use super::backoff::Backoff;
use super::chunk::Chunker;
use super::client::Client;
use super::enroll::keys;
use super::error::SyncError;
use super::events::SyncEvent;
use super::policy::SyncPolicy;
use super::proof::Claim;
use super::upload::{UPLOADS_ENDPOINT, Uploader};
use crate::home::Home;
use crate::store::SyncItem;

/// Records per push.
const PUSH_BATCH: u32 = 100;

/// Requests for different captures in flight at once (uploads, thumbnails). One at a
/// time leaves a link with a long round trip idle between requests (each creation,
/// each answer after `fdatasync`); a few at once keep it busy. Few, because each one's
/// share of a slow link shrinks with their number, and a cut costs each the request it
/// had in flight.
const PARALLEL: usize = 4;

/// Media up to this size are uploaded [`PARALLEL`] at a time: for them the round trips
/// between requests, not the bytes, fill the time. A larger one keeps a link busy alone,
/// and its chunks adapt to the whole link.
const PARALLEL_BELOW: u64 = 16 * 1024 * 1024;

/// Captures taken from the store at a time for uploading.
const UPLOAD_BATCH: u32 = 256;

/// What one pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PassReport {
    /// Records the server accepted.
    pub pushed: usize,
    /// Thumbnails sent.
    pub thumbnails: usize,
    /// Media uploads finished.
    pub uploaded: usize,
    /// Media the server counted as held after a proof of possession: no upload.
    pub proven: usize,
    /// Captures that failed for good (see `saakshi status`).
    pub failed: usize,
    /// Changes pulled.
    pub pulled: usize,
    /// Of those, changes this version cannot read (from a newer server), skipped.
    pub unknown_changes: usize,
    /// Kit media files downloaded.
    pub kit_media: usize,
}

/// Syncs one device home with its server.
pub struct SyncEngine {
    home: Arc<Home>,
    client: Client,
    events: broadcast::Sender<SyncEvent>,
    policy: SyncPolicy,
    chunker: Mutex<Chunker>,
    /// Held while uploading, so two passes at once never send the same media twice.
    uploading: tokio::sync::Mutex<()>,
    endpoint: String,
}

impl std::fmt::Debug for SyncEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncEngine")
            .field("server", &self.client.base())
            .finish_non_exhaustive()
    }
}

impl SyncEngine {
    /// An engine for an enrolled home.
    pub fn new(home: Arc<Home>, policy: SyncPolicy) -> Result<Self, SyncError> {
        if home.setting(keys::REVOKED)?.is_some() {
            return Err(SyncError::Refused("this device was revoked".into()));
        }
        let server = home.setting(keys::SERVER)?.ok_or(SyncError::NotEnrolled)?;
        let token = home.setting(keys::TOKEN)?.ok_or(SyncError::NotEnrolled)?;
        let (events, _) = broadcast::channel(1024);
        Ok(Self {
            client: Client::new(&server, Some(token))?,
            home,
            events,
            policy,
            chunker: Mutex::new(Chunker::default()),
            uploading: tokio::sync::Mutex::new(()),
            endpoint: UPLOADS_ENDPOINT.to_string(),
        })
    }

    /// Uploads media to another tus endpoint (a plain tus server, for tests and relays).
    pub fn with_upload_endpoint(mut self, endpoint: &str) -> Self {
        self.endpoint = endpoint.to_string();
        self
    }

    /// Progress and state events.
    pub fn subscribe(&self) -> broadcast::Receiver<SyncEvent> {
        self.events.subscribe()
    }

    /// The network policy in force.
    pub fn policy(&self) -> &SyncPolicy {
        &self.policy
    }

    /// Whether anything waits to be sent (failed captures wait for the user; kit media
    /// is fetched at the end of every pass).
    pub fn has_work(&self) -> Result<bool, SyncError> {
        Ok(self.home.db(|s| {
            for st in [
                CaptureState::Captured,
                CaptureState::Registered,
                CaptureState::Previewed,
                CaptureState::Uploaded,
            ] {
                if !s.in_state(st, 1)?.is_empty() {
                    return Ok(true);
                }
            }
            Ok(false)
        })?)
    }

    fn state(&self, id: &CaptureId, state: CaptureState, reason: Option<String>) {
        let _ = self.events.send(SyncEvent::State {
            capture_id: *id,
            state,
            reason,
        });
    }

    /// One pass over everything: push, thumbnails, media, pull.
    pub async fn pass(&self) -> Result<PassReport, SyncError> {
        let result = self.pass_inner().await;
        if let Err(SyncError::Refused(_)) = &result {
            // A revoked device may still pull, to learn whether to wipe.
            let _ = self.pull_all(&mut PassReport::default()).await;
        }
        result
    }

    async fn pass_inner(&self) -> Result<PassReport, SyncError> {
        let mut report = PassReport::default();
        let skew = self.client.probe().await?;
        if !self.policy.network_allowed() {
            return Err(SyncError::transient(
                "waiting for Wi-Fi (this device syncs on Wi-Fi only)",
            ));
        }
        self.push_all(skew, &mut report).await?;
        self.send_thumbnails(&mut report).await?;
        self.upload_all(&mut report).await?;
        self.pull_all(&mut report).await?;
        report.kit_media = super::kits::download_missing(&self.home, &self.client).await?;
        Ok(report)
    }

    async fn push_all(&self, skew_ms: i64, report: &mut PassReport) -> Result<(), SyncError> {
        loop {
            let batch = self
                .home
                .db(|s| s.in_state(CaptureState::Captured, PUSH_BATCH))?;
            if batch.is_empty() {
                return Ok(());
            }
            let req = PushRequest {
                captures: batch.iter().map(|i| i.capture.record.clone()).collect(),
                clock_skew_ms: Some(skew_ms),
            };
            let resp = self.client.push(&req).await?;
            let mut claims = Vec::new();
            for (item, r) in batch.iter().zip(resp.results) {
                let rec = &item.capture.record;
                match r.status {
                    PushStatus::Accepted => {
                        report.pushed += 1;
                        match r.media {
                            Some(MediaState::Present) => {
                                for id in self.home.db(|s| s.synced_by_sha(&rec.sha256))? {
                                    self.state(&id, CaptureState::Synced, None);
                                }
                                continue;
                            }
                            Some(MediaState::Uploading) => {
                                let url = r.upload_url.map(|u| self.client.resolve(&u));
                                self.home.db(|s| {
                                    s.set_upload(&rec.id, url.as_deref(), r.offset.unwrap_or(0))
                                })?;
                            }
                            _ => {}
                        }
                        // Registered first: a crash before the proof is answered only
                        // means uploading, as without one.
                        if let (Some(MediaState::Needed) | None, Some(challenge)) =
                            (r.media, r.challenge)
                        {
                            claims.push(Claim {
                                sha256: rec.sha256,
                                size: rec.size,
                                challenge,
                            });
                        }
                        self.home
                            .db(|s| s.set_sync_state(&rec.id, CaptureState::Registered))?;
                        self.state(&rec.id, CaptureState::Registered, None);
                    }
                    PushStatus::Conflict | PushStatus::Rejected => {
                        let why = r
                            .message
                            .unwrap_or_else(|| "the server refused this capture".into());
                        self.fail(&rec.id, &why, report)?;
                    }
                    // Neither accepted nor refused as far as this version can tell: stop
                    // pushing it and say what would help (a retry re-pushes it safely).
                    PushStatus::Unknown => {
                        let why = format!(
                            "the server answered this capture in a way this version of Saakshi does not know{}; update the app",
                            r.message.map(|m| format!(" ({m})")).unwrap_or_default()
                        );
                        self.fail(&rec.id, &why, report)?;
                    }
                }
            }
            // Proven media are synced as `present` ones are; the rest are uploaded.
            for sha in super::proof::prove_all(&self.home, &self.client, claims).await {
                report.proven += 1;
                for id in self.home.db(|s| s.synced_by_sha(&sha))? {
                    self.state(&id, CaptureState::Synced, None);
                }
            }
        }
    }

    fn fail(&self, id: &CaptureId, why: &str, report: &mut PassReport) -> Result<(), SyncError> {
        self.home.db(|s| s.fail(id, why))?;
        report.failed += 1;
        self.state(id, CaptureState::Failed, Some(why.to_string()));
        Ok(())
    }

    async fn send_thumbnails(&self, report: &mut PassReport) -> Result<(), SyncError> {
        loop {
            let batch = self.home.db(|s| s.in_state(CaptureState::Registered, 50))?;
            if batch.is_empty() {
                return Ok(());
            }
            // A few at once: each is small, so one at a time would mostly wait on the
            // round trip. After a failure no more start.
            let stop = AtomicBool::new(false);
            let stop = &stop;
            let mut sent = futures_util::stream::iter(batch)
                .map(|item| async move {
                    let rec = &item.capture.record;
                    if stop.load(Ordering::Relaxed) {
                        return (rec.id, None);
                    }
                    let result = match self.home.thumbnail(&rec.sha256) {
                        Ok(Some(t)) => self.client.thumbnail(&rec.id, t.jpeg).await.map(|()| 1),
                        Ok(None) => Ok(0),
                        Err(e) => Err(e.into()),
                    };
                    if matches!(&result, Err(e) if e.is_transient() || matches!(e, SyncError::Core(_)))
                    {
                        stop.store(true, Ordering::Relaxed);
                    }
                    (rec.id, Some(result))
                })
                .buffer_unordered(PARALLEL);
            let mut failed = None;
            while let Some((id, result)) = sent.next().await {
                let Some(result) = result else { continue };
                match result {
                    Ok(n) => report.thumbnails += n,
                    // A preview the server will not take must not hold back the media.
                    Err(e) if !e.is_transient() && !matches!(e, SyncError::Core(_)) => {}
                    Err(e) => {
                        if e.is_transient() {
                            self.home.db(|s| s.note_error(&id, &e.to_string()))?;
                        }
                        failed.get_or_insert(e);
                        continue;
                    }
                }
                self.home
                    .db(|s| s.set_sync_state(&id, CaptureState::Previewed))?;
                self.state(&id, CaptureState::Previewed, None);
            }
            if let Some(e) = failed {
                return Err(e);
            }
        }
    }

    /// Uploads media in sync order (uploads under way first, then photos before videos):
    /// small media [`PARALLEL`] at a time, none starting before those ahead of it; large
    /// media one at a time, since one already keeps a link busy.
    async fn upload_all(&self, report: &mut PassReport) -> Result<(), SyncError> {
        let _one_pass = self.uploading.lock().await;
        loop {
            let batch = self.home.db(|s| {
                let mut v = s.in_state(CaptureState::Uploaded, UPLOAD_BATCH)?;
                v.extend(s.in_state(CaptureState::Previewed, UPLOAD_BATCH)?);
                Ok(v)
            })?;
            if batch.is_empty() {
                return Ok(());
            }
            // Each media once: another capture of the same bytes is synced with it.
            let mut seen = HashSet::new();
            let batch: Vec<_> = batch
                .into_iter()
                .filter(|i| seen.insert(i.capture.record.sha256))
                .collect();
            // A bandwidth cap is per upload (each body is throttled): one at a time keeps
            // it the device's.
            let capped = self.policy.bandwidth_cap.is_some();
            let small = |i: &SyncItem| !capped && i.capture.record.size <= PARALLEL_BELOW;
            let mut rest = batch.into_iter().peekable();
            while let Some(first) = rest.next() {
                let together = small(&first);
                let mut group = vec![first];
                while let Some(next) = rest.next_if(|i| small(i) == together) {
                    group.push(next);
                }
                let parallel = if together { PARALLEL } else { 1 };
                self.upload_group(group, parallel, report).await?;
            }
        }
    }

    /// Uploads `group`, `parallel` at a time, starting them in order; returns the first
    /// failure that is not about one capture once those running have ended.
    async fn upload_group(
        &self,
        group: Vec<SyncItem>,
        parallel: usize,
        report: &mut PassReport,
    ) -> Result<(), SyncError> {
        // After a failure that is not about one capture (the link, the server), start
        // no more: those running finish or fail by themselves.
        let stop = AtomicBool::new(false);
        let stop = &stop;
        let mut done = futures_util::stream::iter(group)
            .map(|item| async move {
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                let up = Uploader {
                    home: &self.home,
                    client: &self.client,
                    endpoint: &self.endpoint,
                    events: &self.events,
                    policy: &self.policy,
                    chunker: &self.chunker,
                };
                let rec = item.capture.record;
                let result = up.upload(&rec, item.upload_url).await;
                if matches!(&result, Err(e) if !matches!(e, SyncError::Permanent(_))) {
                    stop.store(true, Ordering::Relaxed);
                }
                Some((rec, result))
            })
            .buffer_unordered(parallel);
        let mut failed = None;
        while let Some(finished) = done.next().await {
            let Some((rec, result)) = finished else {
                continue;
            };
            match result {
                Ok(()) => {
                    report.uploaded += 1;
                    // The server answers the last chunk only after it verified the hash.
                    for id in self.home.db(|s| s.synced_by_sha(&rec.sha256))? {
                        self.state(&id, CaptureState::Synced, None);
                    }
                }
                Err(SyncError::Permanent(why)) => self.fail(&rec.id, &why, report)?,
                Err(e) => {
                    if e.is_transient() {
                        self.home.db(|s| s.note_error(&rec.id, &e.to_string()))?;
                    }
                    failed.get_or_insert(e);
                }
            }
        }
        failed.map_or(Ok(()), Err)
    }

    async fn pull_all(&self, report: &mut PassReport) -> Result<(), SyncError> {
        let mut cursor: u64 = self
            .home
            .setting(keys::PULL_CURSOR)?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        loop {
            let resp = self.client.pull(cursor).await?;
            for entry in &resp.changes {
                report.pulled += 1;
                match &entry.change {
                    Change::CaptureSynced { sha256, .. } => {
                        for id in self.home.db(|s| s.synced_by_sha(sha256))? {
                            self.state(&id, CaptureState::Synced, None);
                        }
                    }
                    Change::Review {
                        capture_id,
                        verdict,
                        note,
                    } => {
                        let news = self
                            .home
                            .db(|s| s.set_review(capture_id, verdict, note.as_deref()))?;
                        if news {
                            let _ = self.events.send(SyncEvent::Reviewed {
                                capture_id: *capture_id,
                                verdict: verdict.clone(),
                                note: note.clone(),
                            });
                        }
                    }
                    Change::Revoked { wipe } => return self.revoked(*wipe),
                    Change::Kit { kit } => self.home.db(|s| s.put_kit(kit))?,
                    // From a newer server: skipped (the cursor moves past it) and counted,
                    // so `saakshi status` shows that an update would bring more.
                    Change::Unknown => {
                        report.unknown_changes += 1;
                        self.home.count_unknown_change()?;
                    }
                }
            }
            cursor = resp.cursor;
            self.home
                .set_setting(keys::PULL_CURSOR, &cursor.to_string())?;
            if !resp.more {
                return Ok(());
            }
        }
    }

    /// The server revoked this device: forget the token, wipe media if asked, stop.
    fn revoked(&self, wipe: bool) -> Result<(), SyncError> {
        self.home
            .set_setting(keys::REVOKED, if wipe { "wiped" } else { "yes" })?;
        self.home.clear_setting(keys::TOKEN)?;
        if wipe {
            self.home.wipe_media()?;
        }
        let _ = self.events.send(SyncEvent::Revoked { wiped: wipe });
        Err(SyncError::Refused(if wipe {
            "this device was revoked and its local media wiped".into()
        } else {
            "this device was revoked".into()
        }))
    }

    /// Passes until nothing is left to send, retrying transient errors with backoff up
    /// to `max_failures` times in a row.
    pub async fn run_until_idle(&self, max_failures: u32) -> Result<PassReport, SyncError> {
        let mut backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(30));
        let mut total = PassReport::default();
        let mut failures = 0;
        loop {
            match self.pass().await {
                Ok(r) => {
                    failures = 0;
                    backoff.reset();
                    total.pushed += r.pushed;
                    total.thumbnails += r.thumbnails;
                    total.uploaded += r.uploaded;
                    total.proven += r.proven;
                    total.failed += r.failed;
                    total.pulled += r.pulled;
                    total.unknown_changes += r.unknown_changes;
                    total.kit_media += r.kit_media;
                    if !self.has_work()? {
                        let _ = self.events.send(SyncEvent::Idle);
                        return Ok(total);
                    }
                }
                Err(SyncError::Transient {
                    message,
                    retry_after,
                }) if failures < max_failures => {
                    failures += 1;
                    let wait = backoff.next_wait(retry_after);
                    let _ = self.events.send(SyncEvent::Waiting {
                        reason: message,
                        retry_in_ms: wait.as_millis() as u64,
                    });
                    tokio::time::sleep(wait).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Runs until `stop`: syncs whenever there is work and the server answers, probes
    /// every `poll` otherwise, backs off (with jitter, at most `poll`) after failures.
    pub async fn watch(&self, stop: CancellationToken, poll: Duration) -> Result<(), SyncError> {
        let mut backoff = Backoff::new(Duration::from_secs(1), poll.max(Duration::from_secs(1)));
        loop {
            let wait = match self.pass().await {
                Ok(_) => {
                    backoff.reset();
                    if self.has_work()? {
                        Duration::ZERO
                    } else {
                        let _ = self.events.send(SyncEvent::Idle);
                        poll
                    }
                }
                Err(SyncError::Transient {
                    message,
                    retry_after,
                }) => {
                    let wait = backoff.next_wait(retry_after);
                    let _ = self.events.send(SyncEvent::Waiting {
                        reason: message,
                        retry_in_ms: wait.as_millis() as u64,
                    });
                    wait
                }
                Err(SyncError::Permanent(message)) => {
                    // Not about one capture (those are marked failed): say so, try later.
                    let wait = backoff.next_wait(None);
                    let _ = self.events.send(SyncEvent::Waiting {
                        reason: message,
                        retry_in_ms: wait.as_millis() as u64,
                    });
                    wait
                }
                Err(e) => return Err(e),
            };
            tokio::select! {
                () = stop.cancelled() => return Ok(()),
                () = tokio::time::sleep(wait) => {}
            }
        }
    }
}
