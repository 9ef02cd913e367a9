//! Counters for `/metrics`, in the Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Process-wide counters.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    /// Media bytes received over tus.
    pub upload_bytes: AtomicU64,
    /// Uploads finished with a verified hash.
    pub uploads_completed: AtomicU64,
    /// Uploads discarded because the bytes did not match the declared hash.
    pub uploads_rejected: AtomicU64,
    /// Captures pushed (accepted).
    pub captures_accepted: AtomicU64,
    /// Devices enrolled.
    pub enrollments: AtomicU64,
    /// Password checks (argon2id runs), by [known account?][password right?].
    password_checks: [[AtomicU64; 2]; 2],
    /// Sign-in and enrolment attempts refused before any check (limits, busy).
    pub attempts_refused: AtomicU64,
}

impl Metrics {
    /// Counts one answered request by method, route template and status.
    pub fn request(&self, method: &str, route: &str, status: u16) {
        let mut m = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        *m.entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
    }

    /// Adds to a counter.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// Counts one password check: for an existing account or not, and its outcome.
    pub fn password_check(&self, known_account: bool, right: bool) {
        self.password_checks[usize::from(known_account)][usize::from(right)]
            .fetch_add(1, Ordering::Relaxed);
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP saakshi_http_requests_total HTTP requests answered.\n");
        out.push_str("# TYPE saakshi_http_requests_total counter\n");
        for ((method, route, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "saakshi_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str(
            "# HELP saakshi_password_checks_total Password verifications (argon2id runs).\n\
             # TYPE saakshi_password_checks_total counter\n",
        );
        for (known, account) in [(1, "known"), (0, "unknown")] {
            for (right, result) in [(1, "right"), (0, "wrong")] {
                let _ = writeln!(
                    out,
                    "saakshi_password_checks_total{{account=\"{account}\",result=\"{result}\"}} {}",
                    self.password_checks[known][right].load(Ordering::Relaxed)
                );
            }
        }
        for (name, help, c) in [
            (
                "saakshi_upload_bytes_total",
                "Media bytes received over tus.",
                &self.upload_bytes,
            ),
            (
                "saakshi_uploads_completed_total",
                "Uploads finished with a verified SHA-256.",
                &self.uploads_completed,
            ),
            (
                "saakshi_uploads_rejected_total",
                "Uploads discarded for a SHA-256 mismatch.",
                &self.uploads_rejected,
            ),
            (
                "saakshi_captures_accepted_total",
                "Capture records accepted.",
                &self.captures_accepted,
            ),
            (
                "saakshi_enrollments_total",
                "Devices enrolled.",
                &self.enrollments,
            ),
            (
                "saakshi_attempts_refused_total",
                "Sign-in and enrolment attempts refused by a limit before any check.",
                &self.attempts_refused,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                c.load(Ordering::Relaxed)
            );
        }
        out
    }
}
