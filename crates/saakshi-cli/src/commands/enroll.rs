use anyhow::Result;
use saakshi_core::Home;
use saakshi_core::sync;

use crate::output;

pub fn run(home: &Home, server: &str, code: Option<&str>, name: &str, json: bool) -> Result<()> {
    let rt = super::runtime()?;
    let resp = rt.block_on(sync::enroll(home, server, code, name, "cli"))?;
    if json {
        return output::json(&serde_json::json!({
            "device_id": resp.device_id,
            "area": resp.area,
            "server": server,
        }));
    }
    output::line(&format!(
        "Enrolled as device {} in {} {} ({} / {})",
        resp.device_id,
        resp.area.level.as_str(),
        resp.area.code,
        resp.area.name_en,
        resp.area.name_hi
    ));
    Ok(())
}
