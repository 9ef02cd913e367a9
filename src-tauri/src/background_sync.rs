//! Sync runs for as long as the app does, whatever screen is open: one task that holds
//! a `SyncEngine` while the device is enrolled, forwards its events to the WebView
//! (`sync`, and the summary `sync-phase`), and starts over with fresh settings whenever
//! something changes (a capture, an enrolment, new settings, "retry").

use std::sync::{Arc, Mutex};
use std::time::Duration;

use saakshi_core::Home;
use saakshi_core::sync::{SyncEngine, SyncEvent, SyncPolicy, keys};
use serde::Serialize;
use tauri::{AppHandle, Emitter};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// How often an idle engine asks the server for news (kits, verdicts).
const POLL: Duration = Duration::from_secs(30);

/// What the header shows about sync.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum SyncPhase {
    NotEnrolled,
    Revoked,
    Syncing,
    Idle,
    Waiting {
        reason: String,
        retry_in_ms: u64,
    },
    /// The server answers in a form this version cannot read: no retry helps until the
    /// app is updated (or the user asks to try again).
    UpdateRequired {
        reason: String,
    },
}

/// The handle commands use: the current phase, and a way to make sync start over now.
#[derive(Debug)]
pub struct SyncControl {
    wake: Notify,
    phase: Mutex<SyncPhase>,
}

impl SyncControl {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            wake: Notify::new(),
            phase: Mutex::new(SyncPhase::NotEnrolled),
        })
    }

    /// Sync again now (after a capture, enrolment, retry or new settings).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn phase(&self) -> SyncPhase {
        self.phase.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set_phase(&self, app: &AppHandle, phase: SyncPhase) {
        *self.phase.lock().unwrap_or_else(|p| p.into_inner()) = phase.clone();
        let _ = app.emit("sync-phase", phase);
    }
}

/// The phase an engine event implies.
fn phase_of(ev: &SyncEvent) -> SyncPhase {
    match ev {
        SyncEvent::Progress { .. } | SyncEvent::State { .. } | SyncEvent::Reviewed { .. } => {
            SyncPhase::Syncing
        }
        SyncEvent::Waiting {
            reason,
            retry_in_ms,
        } => SyncPhase::Waiting {
            reason: reason.clone(),
            retry_in_ms: *retry_in_ms,
        },
        SyncEvent::Revoked { .. } => SyncPhase::Revoked,
        SyncEvent::Idle => SyncPhase::Idle,
    }
}

fn enrolled(home: &Home) -> saakshi_core::Result<Option<SyncPhase>> {
    if home.setting(keys::REVOKED)?.is_some() {
        return Ok(Some(SyncPhase::Revoked));
    }
    if home.setting(keys::TOKEN)?.is_none() {
        return Ok(Some(SyncPhase::NotEnrolled));
    }
    Ok(None)
}

/// Runs until the app exits.
pub async fn run(app: AppHandle, home: Arc<Home>, control: Arc<SyncControl>) {
    loop {
        let blocked = {
            let home = home.clone();
            tauri::async_runtime::spawn_blocking(move || enrolled(&home)).await
        };
        match blocked {
            Ok(Ok(None)) => {}
            Ok(Ok(Some(phase))) => {
                control.set_phase(&app, phase);
                control.wake.notified().await;
                continue;
            }
            // The store failed to answer: say so and try again after a while.
            Ok(Err(e)) => {
                wait_after_error(&control, &app, e.to_string()).await;
                continue;
            }
            Err(_) => return,
        }
        let engine = match SyncPolicy::from_settings(&home)
            .map_err(saakshi_core::sync::SyncError::from)
            .and_then(|policy| SyncEngine::new(home.clone(), policy))
        {
            Ok(engine) => engine,
            Err(e) => {
                wait_after_error(&control, &app, e.to_string()).await;
                continue;
            }
        };
        control.set_phase(&app, SyncPhase::Syncing);
        let mut events = engine.subscribe();
        let forward = {
            let (app, control) = (app.clone(), control.clone());
            tauri::async_runtime::spawn(async move {
                while let Ok(ev) = events.recv().await {
                    let phase = phase_of(&ev);
                    if control.phase() != phase {
                        control.set_phase(&app, phase);
                    }
                    let _ = app.emit("sync", &ev);
                }
            })
        };
        let stop = CancellationToken::new();
        let watch = engine.watch(stop.clone(), POLL);
        tokio::pin!(watch);
        let ended = tokio::select! {
            r = &mut watch => Some(r),
            () = control.wake.notified() => {
                // Let the pass under way finish (every step is stored), then start over.
                stop.cancel();
                let _ = (&mut watch).await;
                None
            }
        };
        forward.abort();
        // The engine stopped by itself (revoked, update required, or the store failed):
        // a revoked device is seen at the top of the loop; an app too old for its server
        // says so and waits for the user (no timed retry can help); anything else waits
        // a while before retrying.
        match ended {
            Some(Err(saakshi_core::sync::SyncError::Refused(_))) | Some(Ok(())) | None => {}
            Some(Err(e @ saakshi_core::sync::SyncError::UpdateRequired(_))) => {
                control.set_phase(
                    &app,
                    SyncPhase::UpdateRequired {
                        reason: e.to_string(),
                    },
                );
                control.wake.notified().await;
            }
            Some(Err(e)) => wait_after_error(&control, &app, e.to_string()).await,
        }
    }
}

/// Shows why sync stopped, then waits [`POLL`] (or less, if woken) before trying again.
async fn wait_after_error(control: &SyncControl, app: &AppHandle, reason: String) {
    control.set_phase(
        app,
        SyncPhase::Waiting {
            reason,
            retry_in_ms: POLL.as_millis() as u64,
        },
    );
    wait_or_wake(control, POLL).await;
}

async fn wait_or_wake(control: &SyncControl, wait: Duration) {
    tokio::select! {
        () = control.wake.notified() => {}
        () = tokio::time::sleep(wait) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_follow_engine_events() {
        assert_eq!(phase_of(&SyncEvent::Idle), SyncPhase::Idle);
        assert_eq!(
            phase_of(&SyncEvent::Waiting {
                reason: "cannot reach the server".into(),
                retry_in_ms: 1500
            }),
            SyncPhase::Waiting {
                reason: "cannot reach the server".into(),
                retry_in_ms: 1500
            }
        );
        assert_eq!(
            serde_json::to_value(SyncPhase::NotEnrolled).unwrap(),
            serde_json::json!({"phase": "not_enrolled"})
        );
    }
}
