//! Exports of a filtered set of captures: CSV, GeoJSON, and a ZIP of the media with one
//! JSON manifest per capture. All three stream: rows are read a page at a time and media
//! a chunk at a time (a ranged read of the media store) into a small channel, so memory stays flat whatever the export's
//! size (ODK Central's exports are known to die on small servers; these must not).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use saakshi_domain::media_type;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::ApiQuery;
use super::review::Filters;
use crate::auth::User;
use crate::error::ApiResult;
use crate::state::Shared;
use crate::store::{CaptureQuery, CaptureRow, NewAudit};
use crate::zipstream::ZipWriter;

/// Rows read from the database per step.
const PAGE: u32 = 200;

type Chunks = mpsc::Sender<io::Result<Bytes>>;

#[derive(Clone, Copy, Debug)]
enum Format {
    Csv,
    GeoJson,
    Zip,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::GeoJson => "geojson",
            Self::Zip => "zip",
        }
    }

    fn mime(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::GeoJson => "application/geo+json",
            Self::Zip => "application/zip",
        }
    }
}

/// `GET /api/v1/review/export.csv`.
#[utoipa::path(
    get,
    path = "/api/v1/review/export.csv",
    tag = "review",
    security(("session" = [])),
    params(Filters),
    responses((status = 200, description = "the filtered captures, one a row (streamed)", content_type = "text/csv", body = String), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn csv(s: State<Shared>, u: User, f: ApiQuery<Filters>) -> ApiResult<Response> {
    export(s, u, f, Format::Csv).await
}

/// `GET /api/v1/review/export.geojson`.
#[utoipa::path(
    get,
    path = "/api/v1/review/export.geojson",
    tag = "review",
    security(("session" = [])),
    params(Filters),
    responses((status = 200, description = "the filtered captures as a FeatureCollection (streamed)", content_type = "application/geo+json", body = Object), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn geojson(s: State<Shared>, u: User, f: ApiQuery<Filters>) -> ApiResult<Response> {
    export(s, u, f, Format::GeoJson).await
}

/// `GET /api/v1/review/export.zip`.
#[utoipa::path(
    get,
    path = "/api/v1/review/export.zip",
    tag = "review",
    security(("session" = [])),
    params(Filters),
    responses((status = 200, description = "the media and one JSON manifest per capture, as a ZIP (streamed, ZIP64 when large)", content_type = "application/zip", body = Vec<u8>), (status = "default", description = "an error: its stable code and a sentence", body = saakshi_domain::wire::ErrorBody))
)]
pub async fn zip(s: State<Shared>, u: User, f: ApiQuery<Filters>) -> ApiResult<Response> {
    export(s, u, f, Format::Zip).await
}

async fn export(
    State(s): State<Shared>,
    u: User,
    ApiQuery(f): ApiQuery<Filters>,
    format: Format,
) -> ApiResult<Response> {
    let query = f.query()?;
    s.db.audit(NewAudit {
        actor: u.user.name.clone(),
        action: "export",
        target: Some(format.ext().to_string()),
        detail: Some(f.describe()),
        area_path: u.scope.prefix(),
    })
    .await?;
    let (tx, mut rx) = mpsc::channel::<io::Result<Bytes>>(4);
    let scope = u.scope.prefix();
    tokio::spawn(async move {
        let result = match format {
            Format::Csv => write_csv(&s, scope, query, &tx).await,
            Format::GeoJson => write_geojson(&s, scope, query, &tx).await,
            Format::Zip => write_zip(&s, scope, query, &tx).await,
        };
        if let Err(e) = result {
            // The status line is long gone: cutting the body short is how the client
            // learns (a truncated ZIP or JSON does not parse).
            tracing::warn!(error = %e, "an export stopped");
            let _ = tx.send(Err(e)).await;
        }
    });
    let body = Body::from_stream(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)));
    let name = format!(
        "attachment; filename=\"saakshi-export-{}.{}\"",
        chrono::Utc::now().format("%Y%m%d-%H%M%S"),
        format.ext()
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.mime()),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&name).unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}

/// Every matching row, a page at a time, by cursor.
struct Pages<'a> {
    s: &'a Shared,
    scope: Option<String>,
    query: CaptureQuery,
    before: Option<String>,
    done: bool,
}

impl<'a> Pages<'a> {
    fn new(s: &'a Shared, scope: Option<String>, query: CaptureQuery) -> Self {
        Self {
            s,
            scope,
            query,
            before: None,
            done: false,
        }
    }

    /// The next page; `None` after the last.
    async fn next(&mut self) -> io::Result<Option<Vec<CaptureRow>>> {
        if self.done {
            return Ok(None);
        }
        let page = self
            .s
            .db
            .capture_page(
                self.scope.clone(),
                self.query.clone(),
                self.before.take(),
                PAGE,
                false,
            )
            .await
            .map_err(io::Error::other)?
            .map_err(io::Error::other)?;
        self.before = page.next;
        self.done = self.before.is_none();
        Ok(Some(page.items))
    }
}

async fn send(tx: &Chunks, bytes: impl Into<Bytes>) -> io::Result<()> {
    tx.send(Ok(bytes.into()))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
}

/// A spreadsheet cell that cannot be taken for a formula (CSV injection). Numbers we
/// wrote (a negative longitude, a UTC offset) pass as they are; any other text starting
/// like a formula gets a leading quote.
fn cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `-12`, `-12.5`: digits with an optional sign and fraction, nothing a formula needs.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    [int, frac]
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

const CSV_HEADER: [&str; 21] = [
    "id",
    "kind",
    "captured_at",
    "utc_offset_minutes",
    "received_at",
    "lat",
    "lon",
    "accuracy_m",
    "location_source",
    "caption",
    "tags",
    "event",
    "area_code",
    "device_id",
    "device_name",
    "review",
    "review_note",
    "sha256",
    "size",
    "mime",
    "media",
];

/// One CSV line; every field passes the formula guard here, so a column added later
/// cannot forget it.
fn csv_line(fields: &[String]) -> io::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(fields.iter().map(|f| cell(f).into_owned()))
        .map_err(io::Error::other)?;
    w.into_inner().map_err(|e| io::Error::other(e.to_string()))
}

async fn write_csv(
    s: &Shared,
    scope: Option<String>,
    query: CaptureQuery,
    tx: &Chunks,
) -> io::Result<()> {
    let header: Vec<String> = CSV_HEADER.iter().map(|h| h.to_string()).collect();
    // A byte-order mark, so spreadsheet programs read the Devanagari as UTF-8.
    let mut first = b"\xEF\xBB\xBF".to_vec();
    first.extend(csv_line(&header)?);
    send(tx, first).await?;
    let mut pages = Pages::new(s, scope, query);
    while let Some(rows) = pages.next().await? {
        let mut out = Vec::new();
        for r in &rows {
            let rec = &r.record;
            let loc = rec.location.as_ref();
            let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
            out.extend(csv_line(&[
                rec.id.to_string(),
                rec.kind.as_str().to_string(),
                rec.captured_at.utc.to_rfc3339(),
                rec.captured_at.offset_minutes.to_string(),
                r.received_at.to_rfc3339(),
                num(loc.map(|l| l.lat)),
                num(loc.map(|l| l.lon)),
                num(loc.and_then(|l| l.accuracy_m)),
                loc.map(|l| l.source.as_str().to_string())
                    .unwrap_or_default(),
                rec.caption.clone(),
                rec.tags.join(";"),
                rec.event.clone().unwrap_or_default(),
                r.scope_area.clone(),
                r.device_id.to_string(),
                r.device_name.clone(),
                r.review.state.as_str().to_string(),
                r.review.note.clone().unwrap_or_default(),
                rec.sha256.to_hex(),
                rec.size.to_string(),
                rec.mime.clone(),
                r.media.to_string(),
            ])?);
        }
        send(tx, out).await?;
    }
    Ok(())
}

fn feature(r: &CaptureRow) -> Value {
    let geometry = r
        .record
        .location
        .as_ref()
        .map(|l| json!({ "type": "Point", "coordinates": [l.lon, l.lat] }));
    json!({ "type": "Feature", "id": r.record.id, "geometry": geometry, "properties": r })
}

async fn write_geojson(
    s: &Shared,
    scope: Option<String>,
    query: CaptureQuery,
    tx: &Chunks,
) -> io::Result<()> {
    send(tx, &b"{\"type\":\"FeatureCollection\",\"features\":["[..]).await?;
    let mut first = true;
    let mut pages = Pages::new(s, scope, query);
    while let Some(rows) = pages.next().await? {
        let mut out = Vec::new();
        for r in &rows {
            if !std::mem::take(&mut first) {
                out.push(b',');
            }
            out.extend(serde_json::to_vec(&feature(r)).unwrap_or_default());
            out.push(b'\n');
        }
        send(tx, out).await?;
    }
    send(tx, &b"]}\n"[..]).await
}

async fn write_zip(
    s: &Shared,
    scope: Option<String>,
    query: CaptureQuery,
    tx: &Chunks,
) -> io::Result<()> {
    let mut zip = ZipWriter::default();
    // Media shared by several captures goes in once.
    let mut written: HashSet<[u8; 32]> = HashSet::new();
    // Each device's key is looked up once, not once per capture.
    let mut keys: HashMap<saakshi_domain::DeviceId, Option<Vec<u8>>> = HashMap::new();
    let mut pages = Pages::new(s, scope, query);
    while let Some(rows) = pages.next().await? {
        for r in &rows {
            let rec = &r.record;
            let present = r.media == "present";
            // Named by the type the server sniffed (the record's for media stored before
            // types were sniffed), and only allowlisted types get their extension: no
            // entry becomes `.html` or `.svg` when the archive is unpacked and opened.
            let sniffed = if present {
                s.db.media_mime(rec.sha256)
                    .await
                    .map_err(io::Error::other)?
            } else {
                None
            };
            let media_name = format!(
                "media/{}.{}",
                rec.sha256.to_hex(),
                media_type::extension_for(sniffed.as_deref().unwrap_or(&rec.mime))
            );
            if present && written.insert(rec.sha256.0) {
                let len = s.media.media_len(&rec.sha256).await?.ok_or_else(|| {
                    io::Error::new(io::ErrorKind::NotFound, "recorded media is not stored")
                })?;
                let mut bytes = s.media.read_media(&rec.sha256, 0..len).await?;
                let (mut entry, head) = zip.local_header(&media_name, rec.captured_at.utc);
                send(tx, head).await?;
                while let Some(chunk) = bytes.next().await {
                    let chunk = chunk?;
                    entry.update(&chunk);
                    send(tx, chunk).await?;
                }
                send(tx, zip.data_descriptor(entry)).await?;
            }
            let key = match keys.get(&r.device_id) {
                Some(k) => k.clone(),
                None => {
                    let k =
                        s.db.device_public_key(r.device_id)
                            .await
                            .map_err(io::Error::other)?;
                    keys.insert(r.device_id, k.clone());
                    k
                }
            };
            let provenance = crate::provenance::judge(r, key);
            let mut manifest = serde_json::to_value(r).map_err(io::Error::other)?;
            manifest["provenance"] = serde_json::to_value(provenance).map_err(io::Error::other)?;
            manifest["media_file"] = if present {
                Value::String(media_name)
            } else {
                Value::Null
            };
            let bytes = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
            let (mut entry, head) =
                zip.local_header(&format!("manifests/{}.json", rec.id), r.received_at);
            entry.update(&bytes);
            send(tx, head).await?;
            send(tx, bytes).await?;
            send(tx, zip.data_descriptor(entry)).await?;
        }
    }
    send(tx, zip.finish()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_guarded_and_numbers_stay_numbers() {
        let fields: Vec<String> = [
            "=HYPERLINK(\"http://x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "-80.9462",
            "-330",
            "-1.",
            "-.5",
            "-inf",
            "image/jpeg",
        ]
        .map(String::from)
        .to_vec();
        let line = String::from_utf8(csv_line(&fields).unwrap()).unwrap();
        let cells: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(String::from)
            .collect();
        assert_eq!(
            cells,
            [
                "'=HYPERLINK(\"http://x\")",
                "'+1+1",
                "'-2+3",
                "'@SUM(A1)",
                "'\tx",
                "'\rx",
                "-80.9462",
                "-330",
                "'-1.",
                "'-.5",
                "'-inf",
                "image/jpeg",
            ]
        );
    }
}
