//! A self-hosted server behind a private certificate authority. An organisation that runs
//! Saakshi on its own network signs the server's certificate with its own CA and installs
//! that CA on its machines; the device must then trust it, as every other program on the
//! machine does, and not only the web roots bundled into the binary.
//!
//! Real parts: `openssl` makes the CA and the server's certificate, Python's `ssl` serves
//! HTTPS on loopback, and the device's own HTTP client probes it. The system's trust store
//! is pointed at with `SSL_CERT_FILE`, which OpenSSL and rustls-native-certs both honour;
//! since the environment is process-wide, each probe runs in a child process (this test
//! binary again, running only [`probe_in_child`]).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, and a certificate for 127.0.0.1 that it signed.
fn make_certificates(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Saakshi test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ],
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
            "-out",
            "server.pem",
        ],
    );
}

/// An HTTPS server on a loopback port that answers every GET with 200; returns it and
/// its port.
fn serve_https(dir: &Path) -> (Killed, u16) {
    let script = r#"
import http.server, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
c.load_cert_chain("server.pem", "server.key")
s.socket = c.wrap_socket(s.socket, server_side=True)
print(s.server_address[1], flush=True)
s.serve_forever()
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().parse().expect("the server prints its port");
    (Killed(child), port)
}

/// Runs [`probe_in_child`] in a child process with `trust` as the system's trust store;
/// returns whether the probe reached the server.
fn probe_with_trust_store(url: &str, trust: &Path) -> bool {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["probe_in_child", "--exact", "--ignored", "--nocapture"])
        .env("SAAKSHI_PROBE_URL", url)
        .env("SSL_CERT_FILE", trust)
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        said.contains("probe:"),
        "the child ran no probe: {said}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    said.contains("probe: reached")
}

#[test]
fn a_server_signed_by_a_ca_the_system_trusts_is_reached() {
    let dir = tempfile::tempdir().unwrap();
    make_certificates(dir.path());
    let (_server, port) = serve_https(dir.path());
    let url = format!("https://127.0.0.1:{port}");
    // An empty trust store: only the bundled web roots, which do not know this CA.
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    assert!(
        !probe_with_trust_store(&url, &empty),
        "a CA nobody installed must not be trusted"
    );
    assert!(
        probe_with_trust_store(&url, &dir.path().join("ca.pem")),
        "the CA the system trusts must be trusted"
    );
}

/// Not a test on its own: the child of the test above (it needs its environment).
#[tokio::test]
#[ignore = "run by a_server_signed_by_a_ca_the_system_trusts_is_reached in a child process"]
async fn probe_in_child() {
    let url = std::env::var("SAAKSHI_PROBE_URL").expect("run by the parent test");
    let client = saakshi_core::sync::Client::new(&url, None).unwrap();
    match client.probe().await {
        Ok(_) => eprintln!("probe: reached"),
        Err(e) => eprintln!("probe: failed: {e}"),
    }
}
