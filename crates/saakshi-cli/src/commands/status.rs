use anyhow::Result;
use saakshi_core::Home;

use crate::output;

pub fn run(home: &Home, json: bool) -> Result<()> {
    let s = home.status()?;
    if json {
        return output::json(&s);
    }
    output::line(&format!("home      {}", s.home.display()));
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
    Ok(())
}
