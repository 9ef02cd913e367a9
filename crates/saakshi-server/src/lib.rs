//! The Saakshi central server: enrolment, the sync API, tus uploads, areas and roles.
//!
//! Runs with no configuration on SQLite and a local media folder in its data directory.
//! [`app`] builds the router (tested with `oneshot` and over real sockets);
//! [`serve`] runs it until SIGTERM/SIGINT.

pub mod admin;
pub mod areas_csv;
pub mod auth;
pub mod cli;
pub mod client_addr;
pub mod clock;
pub mod config;
pub mod error;
pub mod media;
pub mod metrics;
pub mod password_check;
pub mod passwords;
pub mod possession;
pub mod provenance;
pub mod rate_limit;
pub mod revisions;
pub mod routes;
pub mod secrets;
pub mod security_headers;
pub mod signin_limits;
pub mod state;
pub mod store;
pub mod tus;
pub mod zipstream;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::config::Settings;
use crate::media::MediaFolder;
use crate::state::{AppState, Shared};
use crate::store::SqliteStore;

/// Opens the database and media folder in the data directory (creating them).
pub fn open_state(settings: Settings) -> anyhow::Result<Shared> {
    std::fs::create_dir_all(&settings.data_dir)?;
    let db = SqliteStore::open(&settings.data_dir.join("saakshi-server.db"))?;
    let media: Arc<dyn media::MediaStore> = Arc::new(MediaFolder::open(&settings.data_dir)?);
    let upload_buffer = tus::UploadBudget::new(
        settings.limits.upload_buffer_bytes,
        settings.limits.upload_writers,
    );
    let possession = possession::PossessionKey::new(db.secret("possession")?);
    Ok(Arc::new(AppState {
        db: Arc::new(db),
        media,
        settings,
        metrics: Default::default(),
        uploads: Default::default(),
        upload_buffer,
        rate: Default::default(),
        media_lock: Default::default(),
        possession,
        signin_limits: Default::default(),
        password_checks: password_check::PasswordChecks::for_this_machine(),
        enroll_failures: Default::default(),
        clock: Default::default(),
    }))
}

/// The whole HTTP application.
pub fn app(state: Shared) -> Router {
    let tus = tus::router().layer(SetResponseHeaderLayer::overriding(
        axum::http::HeaderName::from_static("tus-resumable"),
        HeaderValue::from_static(tus::TUS_VERSION),
    ));
    routes::router(&state)
        .merge(tus)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers::layer,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            axum::http::HeaderName::from_static("saakshi-protocol"),
            HeaderValue::from_static("1"),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// Each request's span: its method and route template, and nothing else. Never the
/// path (it carries ids), the query, the headers (tokens, cookies) or the body
/// (passwords, invite codes), so no secret reaches a log.
fn request_span(req: &Request) -> tracing::Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    tracing::info_span!("request", method = %req.method(), route)
}

async fn count_requests(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = req.method().clone();
    let started = std::time::Instant::now();
    let resp = next.run(req).await;
    s.metrics.request(
        method.as_str(),
        &route,
        resp.status().as_u16(),
        started.elapsed(),
    );
    resp
}

/// Creates the first admin account when there is none; returns its one-time password.
pub async fn ensure_first_admin(state: &AppState) -> anyhow::Result<Option<String>> {
    if state.db.user_count().await? > 0 {
        return Ok(None);
    }
    let password = admin::new_password();
    state
        .db
        .create_user(
            "admin".into(),
            store::Role::Admin,
            None,
            passwords::hash(password.clone()).await?,
        )
        .await?;
    Ok(Some(password))
}

/// Serves on `listener` until SIGTERM or SIGINT. Uploads in flight save every byte they
/// received.
pub async fn serve(state: Shared, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    serve_on(state, listener, shutdown_signal()).await
}

/// Serves on an already bound listener until `shutdown` completes.
pub async fn serve_on(
    state: Shared,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    match tus::settle_stalled(&state).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            settled = n,
            "uploads complete on disk were stored at start-up"
        ),
        Err(e) => tracing::warn!(error = %e, "settling stalled uploads failed"),
    }
    let sweeper = tokio::spawn(sweep_forever(state.clone()));
    let uploads_state = state.clone();
    // With the peer's address, for limits per address (see `client_addr`).
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, service)
        .with_graceful_shutdown(async move {
            shutdown.await;
            // In-flight PATCHes stop reading, fsync, save their offset and answer.
            uploads_state.uploads.shut_down();
        })
        .await;
    sweeper.abort();
    Ok(result?)
}

async fn sweep_forever(state: Shared) {
    let every =
        (state.settings.upload_expiry / 4).clamp(Duration::from_secs(1), Duration::from_secs(600));
    loop {
        match tus::sweep_expired(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "expired uploads removed"),
            Err(e) => tracing::warn!(error = %e, "sweeping expired uploads failed"),
        }
        let lifetime = state.settings.upload_expiry.as_millis() as i64;
        match sweep_orphan_media(&state, state.clock.now_ms() - lifetime).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "media no capture or kit refers to removed"),
            Err(e) => tracing::warn!(error = %e, "sweeping orphaned media failed"),
        }
        tokio::time::sleep(every).await;
    }
}

/// Removes media stored before `before_ms` that no capture's device holds and no kit
/// carries. The sweeper passes "an upload's lifetime ago": a plain tus client's bytes
/// wait that long for their record, and no longer. Returns how many were removed.
pub async fn sweep_orphan_media(state: &AppState, before_ms: i64) -> anyhow::Result<usize> {
    let mut n = 0;
    for sha in state.db.orphan_media(before_ms).await? {
        let _stores = state.media_lock.lock().await;
        if state.db.remove_orphan_media(sha).await? {
            state.media.remove_media(&sha).await?;
            n += 1;
        }
    }
    Ok(n)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
