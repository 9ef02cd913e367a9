//! What `/metrics` exposes, through `prometheus-client` (the OpenMetrics text format,
//! which Prometheus scrapes): counters of requests and events, and latency histograms of
//! every route (push, PATCH, pull and export among them).

use std::sync::Mutex;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// The labels of a request: its method, its route template (never the path itself,
/// which carries ids) and, for the counter, its status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CheckLabels {
    account: &'static str,
    result: &'static str,
}

/// 1 ms to about 33 s, doubling: a sign-in is tens of ms, a PATCH of a video seconds.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// Process-wide metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    password_checks: Family<CheckLabels, Counter>,
    /// Media bytes received over tus.
    pub upload_bytes: Counter,
    /// Uploads finished with a verified hash.
    pub uploads_completed: Counter,
    /// Uploads discarded because the bytes did not match the declared hash.
    pub uploads_rejected: Counter,
    /// Captures pushed (accepted).
    pub captures_accepted: Counter,
    /// Devices enrolled.
    pub enrollments: Counter,
    /// Sign-in and enrolment attempts refused before any check (limits, busy).
    pub attempts_refused: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        let m = Self {
            registry: Mutex::new(Registry::default()),
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_histogram),
            password_checks: Family::default(),
            upload_bytes: Counter::default(),
            uploads_completed: Counter::default(),
            uploads_rejected: Counter::default(),
            captures_accepted: Counter::default(),
            enrollments: Counter::default(),
            attempts_refused: Counter::default(),
        };
        {
            let mut r = m.registry.lock().unwrap_or_else(|p| p.into_inner());
            r.register(
                "saakshi_http_requests",
                "HTTP requests answered",
                m.requests.clone(),
            );
            r.register(
                "saakshi_http_request_duration_seconds",
                "Time from a request's arrival to its answer, by route",
                m.latency.clone(),
            );
            r.register(
                "saakshi_password_checks",
                "Password verifications (argon2id runs)",
                m.password_checks.clone(),
            );
            for (name, help, c) in [
                (
                    "saakshi_upload_bytes",
                    "Media bytes received over tus",
                    &m.upload_bytes,
                ),
                (
                    "saakshi_uploads_completed",
                    "Uploads finished with a verified SHA-256",
                    &m.uploads_completed,
                ),
                (
                    "saakshi_uploads_rejected",
                    "Uploads discarded for a SHA-256 mismatch",
                    &m.uploads_rejected,
                ),
                (
                    "saakshi_captures_accepted",
                    "Capture records accepted",
                    &m.captures_accepted,
                ),
                ("saakshi_enrollments", "Devices enrolled", &m.enrollments),
                (
                    "saakshi_attempts_refused",
                    "Sign-in and enrolment attempts refused by a limit before any check",
                    &m.attempts_refused,
                ),
            ] {
                r.register(name, help, c.clone());
            }
        }
        m
    }
}

impl Metrics {
    /// Counts one answered request by method, route template and status, and how long
    /// it took.
    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_string(),
                route: route.to_string(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.to_string(),
                route: route.to_string(),
            })
            .observe(took.as_secs_f64());
    }

    /// Adds to a counter.
    pub fn add(counter: &Counter, n: u64) {
        counter.inc_by(n);
    }

    /// Counts one password check: for an existing account or not, and its outcome.
    pub fn password_check(&self, known_account: bool, right: bool) {
        self.password_checks
            .get_or_create(&CheckLabels {
                account: if known_account { "known" } else { "unknown" },
                result: if right { "right" } else { "wrong" },
            })
            .inc();
    }

    /// The exposition text (OpenMetrics).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let registry = self.registry.lock().unwrap_or_else(|p| p.into_inner());
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &registry);
        out
    }
}

/// The content type of [`Metrics::render`].
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_is_a_histogram_by_route_and_counters_keep_their_names() {
        let m = Metrics::default();
        m.request(
            "POST",
            "/api/v1/sync/captures",
            200,
            Duration::from_millis(3),
        );
        m.request(
            "POST",
            "/api/v1/sync/captures",
            200,
            Duration::from_millis(700),
        );
        m.password_check(true, false);
        Metrics::add(&m.uploads_completed, 2);
        let text = m.render();
        assert!(text.contains(
            "saakshi_http_requests_total{method=\"POST\",route=\"/api/v1/sync/captures\",status=\"200\"} 2"
        ), "{text}");
        assert!(text.contains(
            "saakshi_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/sync/captures\"} 2"
        ), "{text}");
        // 3 ms lands in the 4 ms bucket, not in the 2 ms one.
        assert!(text.contains(
            "saakshi_http_request_duration_seconds_bucket{le=\"0.002\",method=\"POST\",route=\"/api/v1/sync/captures\"} 0"
        ), "{text}");
        assert!(text.contains(
            "saakshi_http_request_duration_seconds_bucket{le=\"0.004\",method=\"POST\",route=\"/api/v1/sync/captures\"} 1"
        ), "{text}");
        assert!(
            text.contains("saakshi_password_checks_total{account=\"known\",result=\"wrong\"} 1"),
            "{text}"
        );
        assert!(text.contains("saakshi_uploads_completed_total 2"), "{text}");
    }
}
