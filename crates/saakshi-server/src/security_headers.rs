//! Response headers that keep a browser from running anything the server did not write.
//!
//! Every response gets `nosniff`, `Referrer-Policy` and a frame ban from one middleware
//! ([`layer`]), and a Content-Security-Policy: the dashboard's page a strict one
//! ([`dashboard_csp`]: scripts and styles only from the server's own bundle, no inline
//! script), media the sandboxing [`MEDIA_CSP`] (set by the media routes with
//! [`media_headers`]), everything else (JSON, exports, assets) [`API_CSP`], which allows
//! nothing at all. A device chooses the bytes of media, never the type they are served
//! under: that comes from the server's own sniff, and anything off the allowlist is an
//! attachment.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use saakshi_domain::media_type;

use crate::state::Shared;

/// For responses that are not pages: nothing may load, nothing may frame them.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// For media. `sandbox` makes a document opened from it an opaque origin that can run
/// no script; the `'self'` sources let a browser show the picture or play the clip when
/// the URL is opened directly (Firefox styles its image documents inline). A CSP on the
/// media response does not affect the dashboard's `<img>`, `<video>` and `<audio>`.
pub const MEDIA_CSP: &str = "default-src 'none'; img-src 'self'; media-src 'self'; \
                             style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

/// Marks a response as the dashboard's page: [`layer`] gives it [`dashboard_csp`].
#[derive(Clone, Copy, Debug)]
pub struct DashboardPage;

/// The dashboard's policy. Scripts and styles come only from the server (Vite bundles
/// everything; `index.html` has no inline script); images also from `data:` (the
/// favicon, Leaflet's icons) and `blob:` and, when tiles are configured, from the tile
/// server; media plays from the server; `fetch` talks to the server alone.
pub fn dashboard_csp(map_tiles: Option<&str>) -> String {
    let tiles = map_tiles.and_then(tile_source);
    let img = match &tiles {
        Some(t) => format!("'self' data: blob: {t}"),
        None => "'self' data: blob:".to_string(),
    };
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src {img}; \
         media-src 'self' blob:; font-src 'self' data:; connect-src 'self'; \
         manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
         form-action 'self'; object-src 'none'"
    )
}

/// The CSP source (`scheme://host[:port]`) of a tile URL template such as
/// `https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png` (a placeholder as the first
/// label becomes `*`). `None` when the template is not a plain http(s) URL whose host
/// can be named safely: its tiles are then blocked, never the policy widened.
pub fn tile_source(template: &str) -> Option<String> {
    let (scheme, rest) = template.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = match authority.split_once('.') {
        Some((first, rest)) if first.starts_with('{') && first.ends_with('}') => {
            format!("*.{rest}")
        }
        _ => authority.to_string(),
    };
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    let host = authority.strip_prefix("*.").unwrap_or(&authority);
    (!host.is_empty() && !host.starts_with('.') && host.chars().all(safe))
        .then(|| format!("{scheme}://{authority}"))
}

/// Adds the headers every response carries. A response that set its own CSP (media)
/// keeps it; the dashboard's page gets `dashboard`; everything else [`API_CSP`].
pub async fn layer(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let page = resp.extensions().get::<DashboardPage>().is_some();
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if page {
        let csp = dashboard_csp(s.settings.map_tiles.as_deref());
        if let Ok(v) = HeaderValue::from_str(&csp) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_CSP),
        );
    }
    resp
}

/// The type, disposition and policy of a media response. `sniffed` is the type the
/// server found in the bytes (`None` for media stored before types were sniffed): media
/// of an allowlisted type is shown inline, anything else is `application/octet-stream`
/// and an attachment. The file name is `stem` (made by the server: a hash or an id)
/// with the type's extension.
pub fn media_headers(stem: &str, sniffed: Option<&str>) -> HeaderMap {
    let mime = sniffed.filter(|m| media_type::kind_of(m).is_some());
    let (content_type, disposition) = match mime {
        Some(m) => (m, "inline"),
        None => ("application/octet-stream", "attachment"),
    };
    let name = format!(
        "{disposition}; filename=\"{stem}.{}\"",
        media_type::extension_for(content_type)
    );
    let mut h = HeaderMap::new();
    let set = |h: &mut HeaderMap, k: HeaderName, v: &str| {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(k, v);
        }
    };
    set(&mut h, header::CONTENT_TYPE, content_type);
    set(&mut h, header::CONTENT_DISPOSITION, &name);
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(MEDIA_CSP),
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_sources() {
        let t = |s| tile_source(s);
        assert_eq!(
            t("https://tile.openstreetmap.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://tile.openstreetmap.org")
        );
        assert_eq!(
            t("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tile.openstreetmap.org")
        );
        assert_eq!(
            t("http://127.0.0.1:8080/{z}/{x}/{y}.png").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            t("http://[::1]:8080/t/{z}/{x}/{y}").as_deref(),
            Some("http://[::1]:8080")
        );
        // Anything that could widen the policy or is not a web origin: no tiles.
        for bad in [
            "https://a.example; script-src *",
            "https://a.example'/x",
            "https://tiles.{s}.example/{z}",
            "https://user@a.example/{z}",
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "ftp://a.example/{z}",
            "https:///x",
            "https://*/x",
            "a.example/{z}/{x}/{y}.png",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_dashboard_policy_allows_no_inline_script_and_names_its_tiles() {
        let csp = dashboard_csp(Some("https://{s}.tile.example.org/{z}/{x}/{y}.png"));
        let directive = |name: &str| {
            csp.split(';')
                .map(str::trim)
                .find(|d| d.split(' ').next() == Some(name))
                .unwrap_or_else(|| panic!("{name} missing from {csp}"))
                .to_string()
        };
        assert_eq!(directive("script-src"), "script-src 'self'");
        assert_eq!(directive("default-src"), "default-src 'none'");
        assert_eq!(directive("frame-ancestors"), "frame-ancestors 'none'");
        assert_eq!(directive("base-uri"), "base-uri 'none'");
        assert_eq!(directive("object-src"), "object-src 'none'");
        assert_eq!(directive("connect-src"), "connect-src 'self'");
        assert_eq!(
            directive("img-src"),
            "img-src 'self' data: blob: https://*.tile.example.org"
        );
        assert!(!csp.contains("unsafe"), "{csp}");
        assert!(dashboard_csp(None).contains("img-src 'self' data: blob:;"));
    }

    #[test]
    fn media_is_inline_only_under_an_allowlisted_sniffed_type() {
        let sha = saakshi_domain::Sha256([0xab; 32]);
        let h = media_headers(&sha.to_hex(), Some("image/jpeg"));
        assert_eq!(h[header::CONTENT_TYPE], "image/jpeg");
        assert_eq!(
            h[header::CONTENT_DISPOSITION],
            format!("inline; filename=\"{}.jpg\"", sha.to_hex()).as_str()
        );
        assert!(
            h[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .ends_with("sandbox")
        );
        for other in [None, Some("text/html"), Some("image/svg+xml")] {
            let h = media_headers(&sha.to_hex(), other);
            assert_eq!(h[header::CONTENT_TYPE], "application/octet-stream");
            assert_eq!(
                h[header::CONTENT_DISPOSITION],
                format!("attachment; filename=\"{}.bin\"", sha.to_hex()).as_str()
            );
        }
    }
}
