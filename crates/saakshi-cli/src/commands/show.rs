use anyhow::Result;
use saakshi_core::Home;

use crate::output;

pub fn run(home: &Home, id: &str, json: bool) -> Result<()> {
    let c = home.capture(&home.resolve(id)?)?;
    let thumb = home.thumbnail(&c.record.sha256)?;
    if json {
        let mut v = serde_json::to_value(&c)?;
        v["media_path"] = serde_json::json!(home.blobs().path_of(&c.record.sha256));
        v["thumbnail"] = match &thumb {
            Some(t) => {
                serde_json::json!({"width": t.width, "height": t.height, "bytes": t.jpeg.len()})
            }
            None => serde_json::Value::Null,
        };
        return output::json(&v);
    }
    let r = &c.record;
    let loc = r.location.as_ref();
    let device_area = home.setting("area_code")?;
    let rows: Vec<(&str, String)> = vec![
        ("id", r.id.to_string()),
        ("kind", format!("{} ({})", r.kind.as_str(), r.mime)),
        (
            "state",
            match &c.failure {
                Some(why) => format!("{}: {why}", c.state.as_str()),
                None => c.state.as_str().to_string(),
            },
        ),
        (
            "size",
            format!("{} ({} bytes)", output::bytes(r.size), r.size),
        ),
        ("sha256", r.sha256.to_hex()),
        ("taken", output::time(&r.captured_at)),
        ("stored", c.stored_at.to_rfc3339()),
        ("location", output::location(loc)),
        (
            "accuracy",
            loc.and_then(|l| l.accuracy_m)
                .map_or("-".into(), |a| format!("{a} m")),
        ),
        (
            "altitude",
            loc.and_then(|l| l.altitude_m)
                .map_or("-".into(), |a| format!("{a} m")),
        ),
        (
            "fix time",
            loc.and_then(|l| l.fix_time)
                .map_or("-".into(), |t| t.to_rfc3339()),
        ),
        ("caption", r.caption.clone()),
        ("tags", r.tags.join(", ")),
        ("event", r.event.clone().unwrap_or_default()),
        ("area", area(r.area_code.as_deref(), device_area.as_deref())),
        (
            "review",
            match &c.review_note {
                Some(note) => format!("{}: {note}", output::verdict_words(&c.review)),
                None => output::verdict_words(&c.review).to_string(),
            },
        ),
        (
            "signed",
            if r.signature.is_some() {
                "yes (Ed25519, at capture)".into()
            } else {
                "no".into()
            },
        ),
        ("file", r.original_name.clone().unwrap_or_default()),
        (
            "media",
            home.blobs().path_of(&r.sha256).display().to_string(),
        ),
        (
            "thumbnail",
            thumb.map_or("-".into(), |t| {
                format!(
                    "{}x{} JPEG, {}",
                    t.width,
                    t.height,
                    output::bytes(t.jpeg.len() as u64)
                )
            }),
        ),
    ];
    for (k, v) in rows {
        output::line(&format!("{k:>10}  {v}"));
    }
    Ok(())
}

/// The capture's area; a capture made before enrolment has none of its own, and the
/// server files it under the device's area.
fn area(own: Option<&str>, device: Option<&str>) -> String {
    match (own, device) {
        (Some(a), _) => a.to_string(),
        (None, Some(d)) => format!("{d} (the device's area: captured before enrolment)"),
        (None, None) => {
            "- (not enrolled yet: the server files it under the area this device enrols in)".into()
        }
    }
}
