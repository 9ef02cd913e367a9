//! The coordinators' dashboard (`ui/dashboard`, built by Vite) served at `/`, and the
//! settings it reads at start.
//!
//! Release builds embed `ui/dashboard/dist` as it was when the server was compiled;
//! debug builds read it from disk (so a rebuilt UI shows without recompiling). Built
//! before the UI exists, the server still runs and says how to build it.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use crate::security_headers::DashboardPage;
use crate::state::Shared;

#[derive(rust_embed::RustEmbed)]
#[folder = "../../ui/dashboard/dist/"]
#[allow_missing = true]
struct Assets;

const NOT_BUILT: &str = "<!doctype html><meta charset=utf-8><title>Saakshi</title>
<p>The dashboard is not built into this server. Build it with
<code>npm ci &amp;&amp; npm run build</code> in <code>ui/dashboard</code>, then rebuild
<code>saakshi-server</code>.</p>
<p lang=hi>डैशबोर्ड इस सर्वर में नहीं है। <code>ui/dashboard</code> में
<code>npm ci &amp;&amp; npm run build</code> चलाएँ, फिर <code>saakshi-server</code> दोबारा बनाएँ।</p>";

fn asset(path: &str) -> Option<Response> {
    let file = Assets::get(path)?;
    let mime = file.metadata.mimetype().to_string();
    // Vite names assets by their content hash: cache them for good; never index.html.
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Some(
        (
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, cache.to_string()),
            ],
            file.data.into_owned(),
        )
            .into_response(),
    )
}

/// `GET /`: the dashboard's page, under the dashboard's strict CSP.
pub async fn index() -> Response {
    let mut page = asset("index.html").unwrap_or_else(|| Html(NOT_BUILT).into_response());
    page.extensions_mut().insert(DashboardPage);
    page
}

/// `GET /assets/{*path}`: its scripts, styles, fonts and images.
pub async fn assets(Path(path): Path<String>) -> Response {
    asset(&format!("assets/{path}"))
        .unwrap_or_else(|| (StatusCode::NOT_FOUND, "no such asset").into_response())
}

/// `GET /api/v1/dashboard/config`: what the dashboard needs before signing in.
#[utoipa::path(
    get,
    path = "/api/v1/dashboard/config",
    tag = "review",
    responses((status = 200, body = DashboardConfig))
)]
pub async fn config(State(s): State<Shared>) -> axum::Json<DashboardConfig> {
    axum::Json(DashboardConfig {
        tile_url: s.settings.map_tiles.clone(),
        attribution: s
            .settings
            .map_tiles
            .as_ref()
            .map(|_| "© OpenStreetMap contributors"),
    })
}

/// The settings the dashboard reads at start.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DashboardConfig {
    /// The map's tile URL template; none: the map draws without tiles.
    tile_url: Option<String>,
    /// Credit the tiles need, with the tiles.
    attribution: Option<&'static str>,
}
