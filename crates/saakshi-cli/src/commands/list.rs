use anyhow::Result;
use saakshi_core::Home;

use crate::args::ListArgs;
use crate::output;

pub fn run(home: &Home, args: &ListArgs, json: bool) -> Result<()> {
    let filter = super::filter(args.state.as_deref(), args.kind.as_deref(), args.limit)?;
    let captures = home.captures(&filter)?;
    if json {
        return output::json(&captures);
    }
    if captures.is_empty() {
        output::line("No captures.");
        return Ok(());
    }
    output::line(&format!(
        "{:<12} {:<5} {:<10} {:>9}  {:<22} {:<26} CAPTION",
        "ID", "KIND", "STATE", "SIZE", "TAKEN", "LOCATION"
    ));
    for c in &captures {
        let r = &c.record;
        output::line(&format!(
            "{:<12} {:<5} {:<10} {:>9}  {:<22} {:<26} {}",
            output::short_id(&r.id),
            r.kind.as_str(),
            c.state.as_str(),
            output::bytes(r.size),
            output::time(&r.captured_at),
            output::location(r.location.as_ref()),
            output::shorten(&r.caption, 40),
        ));
    }
    Ok(())
}
