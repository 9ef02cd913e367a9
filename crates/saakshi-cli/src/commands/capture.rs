use anyhow::{Context, Result};
use saakshi_core::{Home, ImportOutcome, ImportRequest, check_file};
use saakshi_domain::{Location, LocationSource};
use serde_json::json;

use crate::args::CaptureArgs;
use crate::output;

pub fn run(home: &Home, args: &CaptureArgs, json: bool) -> Result<()> {
    let req = ImportRequest {
        location: args.lat.zip(args.lon).map(|(lat, lon)| Location {
            lat,
            lon,
            accuracy_m: args.accuracy,
            altitude_m: args.altitude,
            source: LocationSource::Manual,
            fix_time: None,
        }),
        caption: args.caption.clone(),
        tags: args.tags.clone(),
        event: args.event.clone(),
        allow_duplicate: args.allow_duplicate,
    };
    // Refuse bad input before storing anything: every file and every field is checked
    // first, so a mistake in the fifth file does not leave four stored.
    req.validate()?;
    let mut total = 0;
    for f in &args.files {
        total += check_file(f)?.size;
    }

    let bar = output::progress(total, "storing");
    let mut results = Vec::new();
    let mut done_before = 0;
    for f in &args.files {
        let outcome = home
            .import_file(f, &req, &mut |n| bar.set_position(done_before + n))
            .with_context(|| format!("storing {}", f.display()))?;
        done_before += outcome.capture().record.size;
        bar.set_position(done_before);
        if !json {
            bar.suspend(|| output::line(&describe(&f.display().to_string(), &outcome)));
        }
        results.push((f, outcome));
    }
    bar.finish_and_clear();
    if json {
        let items: Vec<_> = results
            .iter()
            .map(|(f, o)| {
                json!({
                    "file": f,
                    "outcome": match o {
                        ImportOutcome::Stored(_) => "stored",
                        ImportOutcome::AlreadyCaptured(_) => "already_captured",
                    },
                    "capture": o.capture(),
                })
            })
            .collect();
        output::json(&items)?;
    }
    Ok(())
}

fn describe(file: &str, outcome: &ImportOutcome) -> String {
    let c = outcome.capture();
    match outcome {
        ImportOutcome::Stored(_) => format!(
            "stored   {}  {}  {}  {}  {}",
            c.record.id,
            c.record.kind.as_str(),
            output::bytes(c.record.size),
            output::location(c.record.location.as_ref()),
            file
        ),
        ImportOutcome::AlreadyCaptured(_) => format!(
            "already captured as {}: {file} (use --allow-duplicate to store it again)",
            c.record.id
        ),
    }
}
