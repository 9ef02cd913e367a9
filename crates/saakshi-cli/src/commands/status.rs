use anyhow::Result;
use saakshi_core::Home;

use crate::output;

pub fn run(home: &Home, json: bool) -> Result<()> {
    let s = home.status()?;
    let queue = home.unsynced()?;
    let server = home.setting("server_url")?;
    let area = home.setting("area_code")?;
    let revoked = home.setting("revoked")?;
    if json {
        let mut v = serde_json::to_value(&s)?;
        v["server"] = serde_json::json!(server);
        v["area_code"] = serde_json::json!(area);
        v["revoked"] = serde_json::json!(revoked.is_some());
        v["queue"] = serde_json::to_value(&queue)?;
        return output::json(&v);
    }
    output::line(&format!("home      {}", s.home.display()));
    match (&server, &revoked) {
        (_, Some(_)) => {
            output::line("server    revoked by a coordinator: this device no longer syncs")
        }
        (Some(url), None) => output::line(&format!(
            "server    {url} (area {})",
            area.unwrap_or_default()
        )),
        (None, None) => output::line("server    not enrolled (saakshi enroll URL CODE)"),
    }
    for c in &s.states {
        output::line(&format!(
            "{:<10}{:>6}  {}",
            c.state.as_str(),
            c.count,
            output::bytes(c.bytes)
        ));
    }
    output::line(&format!(
        "pending   {:>6}  {} waiting to sync",
        s.pending_count,
        output::bytes(s.pending_bytes)
    ));
    output::line(&format!(
        "storage   media {}, database {}",
        output::bytes(s.media_bytes),
        output::bytes(s.database_bytes)
    ));
    if s.unknown_changes > 0 {
        output::line(&format!(
            "skipped   {:>6}  changes from the server this version cannot read; update Saakshi",
            s.unknown_changes
        ));
    }
    if !queue.is_empty() {
        output::line("");
        output::line("waiting:");
        for item in &queue {
            let r = &item.capture.record;
            let pct = if r.size == 0 {
                0.0
            } else {
                item.upload_offset as f64 * 100.0 / r.size as f64
            };
            let why = item
                .capture
                .failure
                .as_deref()
                .or(item.last_error.as_deref())
                .map(|w| format!("  ({w})"))
                .unwrap_or_default();
            output::line(&format!(
                "  {}  {:<5} {:<10} {:>5.1}% of {}{why}",
                output::short_id(&r.id),
                r.kind.as_str(),
                item.capture.state.as_str(),
                pct,
                output::bytes(r.size)
            ));
        }
    }
    Ok(())
}
