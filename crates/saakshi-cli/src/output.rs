//! How the CLI speaks: stdout for results (text or one JSON document), stderr for
//! progress and errors.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use saakshi_domain::{DeviceTime, Location};
use serde::Serialize;

/// "1 capture", "2 captures".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A verdict as people say it (the wire says `needs_info`).
pub fn verdict_words(review: &str) -> &str {
    match review {
        "approved" => "approved",
        "rejected" => "rejected",
        "needs_info" => "needs information",
        "" | "pending" => "not reviewed yet",
        other => other,
    }
}

/// One line of human output.
pub fn line(s: &str) {
    println!("{s}");
}

/// One line of progress on stderr.
pub fn err_line(s: &str) {
    eprintln!("{s}");
}

/// One JSON document on stdout.
pub fn json(value: &impl Serialize) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// The one stderr line for a failed command: the outermost context and the root cause.
pub fn error_line(err: &anyhow::Error) {
    let mut msg = err.to_string();
    // The root cause adds what the outermost message does not already say (an I/O error
    // whose text the core put in its own message is not printed twice).
    if let Some(cause) = err.chain().nth(1) {
        let cause = cause.to_string();
        if !msg.contains(&cause) {
            msg = format!("{msg}: {cause}");
        }
    }
    eprintln!("saakshi: error: {msg}");
}

/// A byte-based progress bar on stderr; invisible when stderr is not a terminal.
pub fn progress(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

/// The random tail of a capture id: what `saakshi show` accepts and people can type.
pub fn short_id(id: &saakshi_domain::CaptureId) -> String {
    let s = id.to_string();
    s[s.len() - 12..].to_string()
}

/// 1536 → "1.5 KiB".
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// The local time the volunteer saw, with its offset.
pub fn time(t: &DeviceTime) -> String {
    t.local().format("%Y-%m-%d %H:%M %:z").to_string()
}

/// "26.85000,80.94620 (exif)" or "none".
pub fn location(l: Option<&Location>) -> String {
    match l {
        Some(l) => format!("{:.5},{:.5} ({})", l.lat, l.lon, l.source.as_str()),
        None => "none".to_string(),
    }
}

/// At most `max` characters, on one line.
pub fn shorten(s: &str, max: usize) -> String {
    let one_line = s.replace('\n', " ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(5 * 1024 * 1024 * 1024), "5.0 GiB");
        assert_eq!(shorten("सभा में भीड़", 5), "सभा…");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("a\nb", 5), "a b");
        assert_eq!(location(None), "none");
    }
}
