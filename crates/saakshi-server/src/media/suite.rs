//! What every [`MediaStore`] must do, written against the trait alone so that each
//! back-end runs the same suite unchanged (the folder's tests call it with a fresh
//! folder; an object-store back-end calls it with a fresh bucket prefix).

use std::sync::Arc;

use saakshi_domain::Sha256;
use sha2::Digest;

use super::{MediaError, MediaStore, UploadId, read_all};

/// `len` bytes that differ with `seed` (and from one position to the next).
pub fn sample(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| {
            (i as u32)
                .wrapping_mul(31)
                .wrapping_add(u32::from(seed) * 7 + (i / 251) as u32) as u8
        })
        .collect()
}

/// Appends `bytes` to upload `id` at `offset` through a part, as the disk writers do
/// (on a blocking thread), and makes them durable.
pub async fn append(store: &Arc<dyn MediaStore>, id: &UploadId, offset: u64, bytes: &[u8]) {
    let (store, id, bytes) = (store.clone(), id.clone(), bytes.to_vec());
    tokio::task::spawn_blocking(move || {
        let mut part = store.open_part(&id, offset).unwrap();
        // In two writes, as a request's batches arrive.
        let (a, b) = bytes.split_at(bytes.len() / 2);
        part.write(a).unwrap();
        part.write(b).unwrap();
        part.sync().unwrap();
    })
    .await
    .unwrap();
}

/// Stores `bytes` as media through a whole upload; returns their address.
pub async fn store_bytes(store: Arc<dyn MediaStore>, bytes: &[u8]) -> Sha256 {
    let id = UploadId::new();
    store.create_upload(&id).await.unwrap();
    append(&store, &id, 0, bytes).await;
    let sha = Sha256(sha2::Sha256::digest(bytes).into());
    store.complete_upload(&id, &sha).await.unwrap();
    sha
}

async fn read(store: &Arc<dyn MediaStore>, sha: &Sha256, range: std::ops::Range<u64>) -> Vec<u8> {
    read_all(store.read_media(sha, range).await.unwrap())
        .await
        .unwrap()
}

/// An upload grows part by part; a part opened at an offset below what was written
/// cuts the rest off first (bytes a crashed request wrote but the server never
/// confirmed), and the finished media holds exactly what was confirmed.
pub async fn append_and_resume(store: Arc<dyn MediaStore>) {
    let id = UploadId::new();
    store.create_upload(&id).await.unwrap();
    assert!(store.upload_exists(&id).await.unwrap());
    assert!(
        store.upload_head(&id).await.unwrap().is_empty(),
        "a new upload is empty"
    );

    let body = sample(700_000, 1);
    append(&store, &id, 0, &body[..300_000]).await;
    // A request that wrote 100 000 bytes more, then died before its offset was saved.
    append(&store, &id, 300_000, &sample(100_000, 9)).await;
    // The client resumes from the confirmed offset.
    append(&store, &id, 300_000, &body[300_000..]).await;

    let sha = Sha256(sha2::Sha256::digest(&body).into());
    store.complete_upload(&id, &sha).await.unwrap();
    assert_eq!(
        store.media_len(&sha).await.unwrap(),
        Some(body.len() as u64)
    );
    assert!(
        read(&store, &sha, 0..body.len() as u64).await == body,
        "the stored bytes differ"
    );
    assert!(
        !store.upload_exists(&id).await.unwrap(),
        "completion forgets the upload"
    );
}

/// The hash state over the first `len` bytes, whatever came after them.
pub async fn hash_prefix(store: Arc<dyn MediaStore>) {
    let id = UploadId::new();
    store.create_upload(&id).await.unwrap();
    let body = sample(2_500_000, 2);
    append(&store, &id, 0, &body).await;
    for len in [0usize, 1, 1 << 20, 2_000_001, body.len()] {
        let h = store.hash_prefix(&id, len as u64).await.unwrap();
        assert_eq!(
            h.finalize().as_slice(),
            sha2::Sha256::digest(&body[..len]).as_slice(),
            "over the first {len} bytes"
        );
    }
    // Hashing goes on from the state as if it had never stopped.
    let mut h = store.hash_prefix(&id, 1000).await.unwrap();
    h.update(&body[1000..]);
    assert_eq!(
        h.finalize().as_slice(),
        sha2::Sha256::digest(&body).as_slice()
    );
    let head = store.upload_head(&id).await.unwrap();
    assert!(!head.is_empty() && body.starts_with(&head));
}

/// Completion moves the bytes to their content address; completing the same bytes from
/// another upload keeps one copy and drops the other, and a retried completion is no
/// error.
pub async fn completion(store: Arc<dyn MediaStore>) {
    let body = sample(50_000, 3);
    let sha = Sha256(sha2::Sha256::digest(&body).into());
    assert_eq!(store.media_len(&sha).await.unwrap(), None);

    let first = UploadId::new();
    store.create_upload(&first).await.unwrap();
    append(&store, &first, 0, &body).await;
    store.complete_upload(&first, &sha).await.unwrap();
    store.complete_upload(&first, &sha).await.unwrap();

    let second = UploadId::new();
    store.create_upload(&second).await.unwrap();
    append(&store, &second, 0, &body).await;
    store.complete_upload(&second, &sha).await.unwrap();
    assert!(
        !store.upload_exists(&second).await.unwrap(),
        "the copy was dropped"
    );
    assert_eq!(
        store.media_len(&sha).await.unwrap(),
        Some(body.len() as u64)
    );
    assert!(read(&store, &sha, 0..body.len() as u64).await == body);
    assert!(
        store.media_head(&sha).await.unwrap()
            == body[..saakshi_domain::media_type::HEADER_LEN.min(body.len())]
    );
}

/// Ranges from the start, the middle and the end; an empty range at the end; and a
/// range past the end refused with the media's length, not cut short in silence.
pub async fn ranged_reads(store: Arc<dyn MediaStore>) {
    let body = sample(1_000_000, 4);
    let len = body.len() as u64;
    let sha = store_bytes(store.clone(), &body).await;
    for r in [
        0..1,
        0..1000,
        123_456..654_321,
        len - 10..len,
        0..len,
        len..len,
    ] {
        let got = read(&store, &sha, r.clone()).await;
        assert!(
            got[..] == body[r.start as usize..r.end as usize],
            "bytes {r:?} differ"
        );
    }
    // A start after the end, too (built so, not written as a literal reversed range).
    let (ten, five) = (10, 5);
    for r in [len - 10..len + 1, len + 1..len + 5, ten..five] {
        match store.read_media(&sha, r.clone()).await {
            Err(MediaError::OutOfRange { len: l, .. }) => assert_eq!(l, len),
            Err(e) => panic!("{r:?}: {e}"),
            Ok(_) => panic!("{r:?} was read"),
        }
    }
    let missing = Sha256([7; 32]);
    assert!(matches!(
        store.read_media(&missing, 0..1).await,
        Err(MediaError::NotFound)
    ));
}

/// Existence and length say what is stored; removal takes it away, twice is no error.
pub async fn existence_and_removal(store: Arc<dyn MediaStore>) {
    let body = sample(4000, 5);
    let sha = store_bytes(store.clone(), &body).await;
    assert_eq!(store.media_len(&sha).await.unwrap(), Some(4000));
    store.remove_media(&sha).await.unwrap();
    assert_eq!(store.media_len(&sha).await.unwrap(), None);
    store.remove_media(&sha).await.unwrap();

    let id = UploadId::new();
    store.create_upload(&id).await.unwrap();
    append(&store, &id, 0, &body).await;
    store.remove_upload(&id).await.unwrap();
    assert!(!store.upload_exists(&id).await.unwrap());
    store.remove_upload(&id).await.unwrap();
    // Its bytes are gone: no part opens on it, no completion stores it.
    let (s, i) = (store.clone(), id.clone());
    let opened = tokio::task::spawn_blocking(move || s.open_part(&i, 0).map(|_| ()))
        .await
        .unwrap();
    assert!(matches!(opened, Err(MediaError::NotFound)));
    let sha = Sha256(sha2::Sha256::digest(&body).into());
    assert!(matches!(
        store.complete_upload(&id, &sha).await,
        Err(MediaError::NotFound)
    ));
    assert_eq!(store.media_len(&sha).await.unwrap(), None);
}

/// Text that is not an id this server makes never becomes one, and an id nobody
/// created has nothing behind it (and gets nothing made for it).
pub async fn bad_and_unknown_ids(store: Arc<dyn MediaStore>) {
    for bad in [
        "",
        "../../../../etc/passwd",
        "0123456789abcdef0123456789abcde",
        "0123456789abcdef0123456789abcdef0",
        "0123456789ABCDEF0123456789ABCDEF",
        "0123456789abcdef/123456789abcdef",
        "0123456789abcdef\x00123456789abcdef",
    ] {
        assert!(
            matches!(UploadId::parse(bad), Err(MediaError::BadUploadId)),
            "{bad:?}"
        );
    }
    let made = UploadId::new();
    assert_eq!(UploadId::parse(made.as_str()).unwrap(), made);

    let unknown = UploadId::parse("0123456789abcdef0123456789abcdef").unwrap();
    assert!(!store.upload_exists(&unknown).await.unwrap());
    assert!(matches!(
        store.hash_prefix(&unknown, 0).await,
        Err(MediaError::NotFound)
    ));
    assert!(matches!(
        store.upload_head(&unknown).await,
        Err(MediaError::NotFound)
    ));
    let (s, u) = (store.clone(), unknown.clone());
    let opened = tokio::task::spawn_blocking(move || s.open_part(&u, 0).map(|_| ()))
        .await
        .unwrap();
    assert!(matches!(opened, Err(MediaError::NotFound)));
    assert!(
        !store.upload_exists(&unknown).await.unwrap(),
        "opening made nothing"
    );
}
