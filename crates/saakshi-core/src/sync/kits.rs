//! Kit media downloads: resumable with `Range` into `downloads/<sha256>.part`, verified
//! and moved into the blob store like any capture.

use futures_util::StreamExt;
use saakshi_domain::wire::KitItem;
use tokio::io::AsyncWriteExt;

use super::client::Client;
use super::error::SyncError;
use crate::home::Home;

/// Downloads every kit item not yet here. Returns how many arrived.
pub(crate) async fn download_missing(home: &Home, client: &Client) -> Result<usize, SyncError> {
    let missing = home.db(|s| s.missing_kit_media())?;
    let dir = home.path().join("downloads");
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| SyncError::Permanent(format!("cannot create {}: {e}", dir.display())))?;
    let mut done = 0;
    for item in missing {
        match download(home, client, &dir, &item).await {
            Ok(()) => done += 1,
            // The server will not give this one (withdrawn, or no longer in our area):
            // it must not hold back the others; the next pass asks again.
            Err(SyncError::Permanent(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

async fn download(
    home: &Home,
    client: &Client,
    dir: &std::path::Path,
    item: &KitItem,
) -> Result<(), SyncError> {
    let part = dir.join(format!("{}.part", item.sha256.to_hex()));
    let io = |e: std::io::Error| SyncError::Permanent(format!("cannot save kit media: {e}"));
    let have = tokio::fs::metadata(&part).await.map_or(0, |m| m.len());
    if have < item.size {
        let resp = client.media(&item.sha256, have).await?;
        // A server that ignores Range sends everything again: start over.
        let append = have > 0 && resp.status() == reqwest::StatusCode::PARTIAL_CONTENT;
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(append)
            .truncate(!append)
            .open(&part)
            .await
            .map_err(io)?;
        let mut body = resp.bytes_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| SyncError::from_transport(&e))?;
            file.write_all(&chunk).await.map_err(io)?;
        }
        file.sync_all().await.map_err(io)?;
    }
    let src = std::fs::File::open(&part).map_err(io)?;
    let stored = home.store_blob(src, &item.sha256);
    let _ = std::fs::remove_file(&part);
    stored.map_err(|e| match e {
        crate::CoreError::Corrupt(_) => {
            SyncError::transient("a kit download did not match its hash; it will be fetched again")
        }
        other => SyncError::Core(other),
    })
}
