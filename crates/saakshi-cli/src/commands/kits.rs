use anyhow::Result;
use saakshi_core::Home;

use crate::output;

pub fn run(home: &Home, json: bool) -> Result<()> {
    let kits = home.kits()?;
    if json {
        let items: Vec<_> = kits
            .iter()
            .map(|k| {
                let mut v = serde_json::to_value(k).unwrap_or_default();
                let paths: Vec<_> = k
                    .kit
                    .items
                    .iter()
                    .zip(&k.present)
                    .map(|(i, here)| here.then(|| home.blobs().path_of(&i.sha256)))
                    .collect();
                v["media_paths"] = serde_json::json!(paths);
                v
            })
            .collect();
        return output::json(&items);
    }
    if kits.is_empty() {
        output::line("No kits yet. Coordinators' kits arrive with `saakshi sync`.");
        return Ok(());
    }
    for k in &kits {
        let title = [k.kit.title_hi.as_str(), k.kit.title_en.as_str()]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" / ");
        let here = k.present.iter().filter(|p| **p).count();
        output::line(&format!(
            "{title}  ({here} of {} here, published {})",
            output::count(k.kit.items.len(), "media file", "media files"),
            k.kit.published_at.format("%Y-%m-%d %H:%M UTC")
        ));
        for caption in [&k.kit.caption_hi, &k.kit.caption_en] {
            if !caption.is_empty() {
                output::line(&format!("    {caption}"));
            }
        }
        for (item, present) in k.kit.items.iter().zip(&k.present) {
            let place = if *present {
                home.blobs().path_of(&item.sha256).display().to_string()
            } else {
                "not downloaded yet".into()
            };
            output::line(&format!(
                "    {} {}  {place}",
                item.mime,
                output::bytes(item.size)
            ));
        }
    }
    Ok(())
}
