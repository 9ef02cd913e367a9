//! A byte range of a blob as an upload body. A blocking thread reads the file straight
//! into the buffers that go to the socket (no copy between the file and HTTP, no trip
//! through the runtime per read), a few buffers ahead of the sender, so reading overlaps
//! sending and memory stays at those buffers whatever the media size.

use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

use bytes::Bytes;
use futures_util::Stream;
use tokio::sync::mpsc;

use super::error::SyncError;

/// Bytes per read (and per buffer handed to HTTP).
const PIECE: u64 = 256 * 1024;
/// Buffers read ahead of the sender.
const AHEAD: usize = 4;

/// The bytes `[offset, offset + len)` of the file at `path`, streamed. A file that
/// cannot be opened or positioned is a permanent error (retrying cannot bring it back);
/// one that ends early fails the stream, and with it the request.
pub(crate) async fn read_range(
    path: PathBuf,
    offset: u64,
    len: u64,
) -> Result<impl Stream<Item = std::io::Result<Bytes>> + Send + 'static, SyncError> {
    let file = tokio::task::spawn_blocking(move || -> std::io::Result<std::fs::File> {
        let mut file = std::fs::File::open(&path)?;
        file.seek(SeekFrom::Start(offset))?;
        Ok(file)
    })
    .await
    .map_err(|e| SyncError::Permanent(format!("the media of this capture cannot be read: {e}")))?
    .map_err(|e| SyncError::Permanent(format!("the media of this capture cannot be read: {e}")))?;
    let (tx, rx) = mpsc::channel(AHEAD);
    tokio::task::spawn_blocking(move || {
        let mut file = file;
        let mut left = len;
        while left > 0 {
            let n = left.min(PIECE);
            // `read_to_end` reads into the spare capacity: no zeroing, no copy.
            let mut buf = Vec::with_capacity(n as usize);
            let piece = match (&mut file).take(n).read_to_end(&mut buf) {
                Ok(got) if got as u64 == n => Ok(Bytes::from(buf)),
                Ok(_) => Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the media file is shorter than its record",
                )),
                Err(e) => Err(e),
            };
            let failed = piece.is_err();
            // The receiver is gone when the request ended early: stop reading.
            if tx.blocking_send(piece).is_err() || failed {
                return;
            }
            left -= n;
        }
    });
    Ok(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|piece| (piece, rx))
    }))
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;

    #[tokio::test]
    async fn streams_exactly_the_range_asked() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("blob");
        let data: Vec<u8> = (0..1_000_003u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        for (offset, len) in [
            (0, data.len() as u64),
            (7, 600_000),
            (999_000, 1_003),
            (5, 0),
        ] {
            let mut got = Vec::new();
            let mut s = Box::pin(read_range(path.clone(), offset, len).await.unwrap());
            while let Some(piece) = s.next().await {
                got.extend_from_slice(&piece.unwrap());
            }
            assert_eq!(got, &data[offset as usize..(offset + len) as usize]);
        }
    }

    #[tokio::test]
    async fn a_file_shorter_than_the_range_fails_the_stream() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("blob");
        std::fs::write(&path, vec![1u8; 1000]).unwrap();
        let mut s = Box::pin(read_range(path.clone(), 500, 1000).await.unwrap());
        let first = s.next().await.unwrap();
        assert_eq!(first.unwrap_err().kind(), std::io::ErrorKind::UnexpectedEof);
        assert!(s.next().await.is_none(), "nothing after the error");
        let missing = read_range(d.path().join("gone"), 0, 10).await;
        assert!(matches!(missing, Err(SyncError::Permanent(_))));
    }
}
