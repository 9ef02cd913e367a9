use std::path::Path;

use anyhow::Result;
use saakshi_core::evidence::{self, MediaCheck, SignatureCheck};

use crate::exit::Unproven;
use crate::output;

pub fn run(path: &Path, json: bool) -> Result<()> {
    let bar = output::progress(0, "verifying");
    let checks = evidence::check_export(path, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    let proven = checks.iter().filter(|c| c.proven()).count();
    if json {
        output::json(&serde_json::json!({ "proven": proven, "captures": checks }))?;
    } else {
        for c in checks.iter().filter(|c| !c.proven()) {
            let sig = match c.signature {
                SignatureCheck::Verified => "signature holds",
                SignatureCheck::Unsigned => "NOT SIGNED",
                SignatureCheck::Invalid => "SIGNATURE DOES NOT HOLD (altered or not this device's)",
                SignatureCheck::NoKey => "signed, but no device key to check it with",
            };
            let media = match c.media {
                MediaCheck::Intact => "media intact",
                MediaCheck::Damaged => "MEDIA DAMAGED (hash differs)",
                MediaCheck::Missing => "MEDIA MISSING",
                MediaCheck::NotExported => "no media in this export",
            };
            output::line(&format!(
                "{}  {sig}; {media}  ({})",
                c.capture_id, c.manifest
            ));
        }
        output::line(&format!(
            "{proven} of {} proven: signed at capture, unchanged, media whole",
            output::count(checks.len(), "capture", "captures")
        ));
    }
    if proven < checks.len() {
        return Err(Unproven(checks.len() - proven).into());
    }
    Ok(())
}
