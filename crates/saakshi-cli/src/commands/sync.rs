use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use saakshi_core::Home;
use saakshi_core::sync::{SyncEngine, SyncEvent, SyncPolicy};
use saakshi_domain::CaptureState;
use tokio_util::sync::CancellationToken;

use crate::args::SyncArgs;
use crate::output;

/// Transient failures in a row that `--once` rides out before giving up.
const ONCE_RETRIES: u32 = 6;

pub fn run(home: Home, args: &SyncArgs, json: bool) -> Result<()> {
    let home = Arc::new(home);
    let mut policy = SyncPolicy::from_settings(&home)?;
    if let Some(kib) = args.bandwidth {
        policy.bandwidth_cap = Some(kib * 1024);
    }
    let engine = SyncEngine::new(home, policy)?;
    let rt = super::runtime()?;
    rt.block_on(async {
        let mut events = engine.subscribe();
        let show = !json;
        let printer = tokio::spawn(async move {
            while let Ok(ev) = events.recv().await {
                if show {
                    print_event(&ev);
                }
            }
        });
        let result = if args.watch {
            let stop = CancellationToken::new();
            let s2 = stop.clone();
            tokio::spawn(async move {
                let _ = tokio::signal::ctrl_c().await;
                s2.cancel();
            });
            engine
                .watch(stop, Duration::from_secs(args.poll))
                .await
                .map(|()| None)
        } else {
            engine.run_until_idle(ONCE_RETRIES).await.map(Some)
        };
        printer.abort();
        let report = result?;
        if let Some(r) = report {
            if json {
                output::json(&r)?;
            } else {
                output::line(&format!(
                    "Synced: {} sent, {}, {}, {} failed, {} pulled",
                    output::count(r.pushed, "record", "records"),
                    output::count(r.thumbnails, "thumbnail", "thumbnails"),
                    output::count(r.uploaded, "media upload", "media uploads"),
                    r.failed,
                    output::count(r.pulled, "change", "changes")
                ));
            }
        }
        Ok(())
    })
}

fn print_event(ev: &SyncEvent) {
    match ev {
        // Registered and previewed are steps on the way; people want arrivals and failures.
        SyncEvent::State {
            capture_id,
            state,
            reason,
        } if matches!(state, CaptureState::Synced | CaptureState::Failed) => {
            let why = reason
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            output::err_line(&format!(
                "{}  {}{why}",
                output::short_id(capture_id),
                state.as_str()
            ));
        }
        SyncEvent::Waiting {
            reason,
            retry_in_ms,
        } => {
            output::err_line(&format!(
                "waiting {:.1} s: {reason}",
                *retry_in_ms as f64 / 1000.0
            ));
        }
        SyncEvent::Reviewed {
            capture_id,
            verdict,
            note,
        } => {
            let note = note.as_ref().map(|n| format!(": {n}")).unwrap_or_default();
            output::err_line(&format!(
                "{}  reviewed: {}{note}",
                output::short_id(capture_id),
                output::verdict_words(verdict)
            ));
        }
        SyncEvent::Revoked { wiped } => output::err_line(if *wiped {
            "this device was revoked; its local media was wiped"
        } else {
            "this device was revoked"
        }),
        SyncEvent::State { .. } | SyncEvent::Progress { .. } | SyncEvent::Idle => {}
    }
}
