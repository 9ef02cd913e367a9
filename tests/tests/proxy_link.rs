//! The fault proxy's shaped link (`Faults::link`), used by the sync benchmarks through a
//! slow link: what goes in comes out whole and in order on every connection at once,
//! and a cut still cuts after exactly the bytes asked.

use std::time::Duration;

use rand::RngCore;
use saakshi_tests::proxy::{Link, Proxy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A server that echoes every byte back.
async fn echo_server() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let (mut r, mut w) = s.split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });
    addr
}

fn link() -> Link {
    Link {
        rtt: Duration::from_millis(20),
        rate: 40_000_000,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bytes_cross_a_shaped_link_whole_and_in_order_on_several_connections() {
    let proxy = Proxy::start(echo_server().await).await;
    proxy.set(|f| f.link = Some(link()));
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let addr = proxy.addr;
        tasks.push(tokio::spawn(async move {
            let mut sent = vec![0u8; 1 << 20];
            rand::rng().fill_bytes(&mut sent);
            let s = TcpStream::connect(addr).await.unwrap();
            let (mut r, mut w) = s.into_split();
            let to_send = sent.clone();
            let writer = tokio::spawn(async move { w.write_all(&to_send).await.unwrap() });
            let mut back = vec![0u8; sent.len()];
            r.read_exact(&mut back).await.unwrap();
            writer.await.unwrap();
            assert!(back == sent, "the echo differs from what was sent");
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(proxy.upstream_bytes(), 3 << 20);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cut_on_a_shaped_link_cuts_after_the_bytes_asked() {
    let proxy = Proxy::start(echo_server().await).await;
    proxy.set(|f| {
        f.link = Some(link());
        f.cut_after = Some(100_000);
    });
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    // Written in pieces, so the cut falls inside one.
    let piece = vec![7u8; 30_000];
    for _ in 0..10 {
        if s.write_all(&piece).await.is_err() {
            break;
        }
    }
    let mut back = Vec::new();
    let _ = s.read_to_end(&mut back).await;
    assert_eq!(proxy.cuts(), 1);
    assert_eq!(proxy.upstream_bytes(), 100_000);
    assert!(back.len() <= 100_000, "{} bytes came back", back.len());
}
