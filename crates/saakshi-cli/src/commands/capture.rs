use std::path::PathBuf;

use anyhow::{Context, Result};
use saakshi_core::{
    ErrorClass, Home, ImportOutcome, ImportRequest, check_file, location_doubts_for,
};
use saakshi_domain::{Location, LocationSource};
use serde_json::json;

use crate::args::CaptureArgs;
use crate::exit::InputError;
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
    let total = check_files(args, req.location.as_ref())?;

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

/// Checks every file before any is stored: each must be media and, unless
/// `--force-location`, the given position must fit each photo. Every refused file is named,
/// not only the first. The bytes to store.
fn check_files(args: &CaptureArgs, location: Option<&Location>) -> Result<u64> {
    let mut total = 0;
    let mut refused: Vec<(&PathBuf, String)> = Vec::new();
    let mut doubted = false;
    for f in &args.files {
        match check_file(f) {
            Ok(checked) => total += checked.size,
            Err(e) if e.class() == ErrorClass::Input => {
                refused.push((f, short_reason(&e.to_string(), f)));
                continue;
            }
            Err(e) => return Err(e.into()),
        }
        if let (Some(given), false) = (location, args.force_location) {
            let doubts = location_doubts_for(f, given)?;
            if !doubts.is_empty() {
                doubted = true;
                let why = doubts.iter().map(ToString::to_string).collect::<Vec<_>>();
                refused.push((f, why.join("; ")));
            }
        }
    }
    if refused.is_empty() {
        return Ok(total);
    }
    let hint = if doubted {
        " (check the position; if it is right, run again with --force-location)"
    } else {
        ""
    };
    // One refusal stays one line, as every other refusal; several get a line each.
    let msg = match refused.as_slice() {
        [(f, why)] => format!("{}: {why}; nothing was stored{hint}", f.display()),
        _ => {
            let files = refused
                .iter()
                .map(|(f, _)| *f)
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            let mut msg = format!(
                "{files} of {} refused; nothing was stored{hint}:",
                output::count(args.files.len(), "file", "files")
            );
            for (f, why) in &refused {
                msg.push_str(&format!("\n  {}: {why}", f.display()));
            }
            msg
        }
    };
    Err(InputError(msg).into())
}

/// The core names the file in its refusal ("PATH: no such file"); the list above names it
/// already.
fn short_reason(message: &str, file: &std::path::Path) -> String {
    let prefix = format!("{}: ", file.display());
    message.strip_prefix(&prefix).unwrap_or(message).to_string()
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
