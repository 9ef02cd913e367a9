use anyhow::Result;
use saakshi_core::Home;

use crate::args::ExportArgs;
use crate::output;

pub fn run(home: &Home, args: &ExportArgs, json: bool) -> Result<()> {
    let filter = super::filter(args.state.as_deref(), None, None)?;
    let bar = output::progress(0, "exporting");
    let report = home.export(&args.dir, &filter, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    if json {
        return output::json(&report);
    }
    output::line(&format!(
        "Exported {} ({}) to {}",
        output::count(report.captures, "capture", "captures"),
        output::bytes(report.bytes),
        report.dir.display()
    ));
    Ok(())
}
