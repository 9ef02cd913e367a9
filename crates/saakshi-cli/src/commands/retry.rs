use anyhow::Result;
use saakshi_core::Home;

use crate::output;

pub fn run(home: &Home, id: Option<&str>, json: bool) -> Result<()> {
    let id = id.map(|i| home.resolve(i)).transpose()?;
    let n = home.retry_failed(id.as_ref())?;
    if json {
        return output::json(&serde_json::json!({ "requeued": n }));
    }
    output::line(&match n {
        0 => "No failed captures to put back.".to_string(),
        1 => "1 failed capture is back in the queue; run `saakshi sync`".to_string(),
        n => format!("{n} failed captures are back in the queue; run `saakshi sync`"),
    });
    Ok(())
}
