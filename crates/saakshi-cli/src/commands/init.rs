use std::path::Path;

use anyhow::Result;
use saakshi_core::Home;
use serde_json::json;

use crate::output;

pub fn run(path: &Path, json: bool) -> Result<()> {
    let (home, created) = Home::create(path)?;
    if json {
        output::json(&json!({ "home": home.path(), "created": created }))
    } else {
        let verb = if created {
            "Created"
        } else {
            "Already set up:"
        };
        output::line(&format!("{verb} Saakshi home at {}", home.path().display()));
        Ok(())
    }
}
