//! Imports a large file into a Saakshi home and compares the time with `cp` + `sync` of
//! the same file on the same disk, run alternately in the same process.
//!
//! cargo run --release -p saakshi-bench --bin import-vs-cp -- [SIZE_MIB] [DIR] [ROUNDS]
//!
//! The import is done by a child process (this binary with `--child`), so its peak
//! memory is its own and can be compared across sizes.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use saakshi_bench::{median, mib, peak_rss, secs, sync_all, time, write_media};
use saakshi_core::{Home, ImportRequest};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        return child(Path::new(&args[2]), Path::new(&args[3]));
    }
    let size_mib: u64 = args.get(1).map_or(Ok(1024), |s| s.parse())?;
    let dir = args
        .get(2)
        .map_or_else(|| PathBuf::from("target/bench-tmp"), PathBuf::from);
    let rounds: usize = args.get(3).map_or(Ok(3), |s| s.parse())?;
    std::fs::create_dir_all(&dir)?;
    let dir = dir.canonicalize()?;

    let src = dir.join("source.wav");
    let size = size_mib << 20;
    println!("writing a {} source file in {}", mib(size), dir.display());
    write_media(&src, size)?;
    // A small import to show that memory does not grow with the file.
    let small = dir.join("small.wav");
    write_media(&small, 16 << 20)?;

    let mut cp_times = Vec::new();
    let mut import_times = Vec::new();
    let mut peak = 0;
    for round in 0..rounds {
        let dst = dir.join("copy.wav");
        sync_all();
        let (t, ok) = time(|| {
            Command::new("cp")
                .arg(&src)
                .arg(&dst)
                .status()
                .is_ok_and(|s| s.success())
                && Command::new("sync").status().is_ok_and(|s| s.success())
        });
        if !ok {
            bail!("cp + sync failed");
        }
        cp_times.push(t);
        std::fs::remove_file(&dst)?;

        let home = dir.join(format!("home-{round}"));
        let _ = std::fs::remove_dir_all(&home);
        sync_all();
        let (t, rss) = time(|| run_child(&src, &home));
        import_times.push(t);
        peak = peak.max(rss?);
        std::fs::remove_dir_all(&home)?;
        println!(
            "round {}: cp + sync {}, import {}",
            round + 1,
            secs(cp_times[round]),
            secs(t)
        );
    }
    let home = dir.join("home-small");
    let small_peak = run_child(&small, &home)?;
    std::fs::remove_dir_all(&home)?;
    std::fs::remove_file(&src)?;
    std::fs::remove_file(&small)?;

    let cp = median(cp_times);
    let import = median(import_times);
    let ratio = import.as_secs_f64() / cp.as_secs_f64();
    println!();
    println!(
        "import of {} (median of {rounds}, same disk, same run)",
        mib(size)
    );
    println!(
        "  cp + sync (baseline)  {:>9}  {}",
        secs(cp),
        rate(size, cp)
    );
    println!(
        "  saakshi import        {:>9}  {}",
        secs(import),
        rate(size, import)
    );
    println!("  ratio                 {ratio:>7.2}x   (target <= 1.30x)");
    println!(
        "  peak RSS of the import: {} for {}, {} for 16.0 MiB",
        mib(peak),
        mib(size),
        mib(small_peak)
    );
    Ok(())
}

fn rate(bytes: u64, d: Duration) -> String {
    format!(
        "{:.0} MiB/s",
        bytes as f64 / (1024.0 * 1024.0) / d.as_secs_f64()
    )
}

/// Runs the import in a child process and returns its peak RSS in bytes.
fn run_child(src: &Path, home: &Path) -> Result<u64> {
    let out = Command::new(std::env::current_exe()?)
        .arg("--child")
        .arg(home)
        .arg(src)
        .output()?;
    if !out.status.success() {
        bail!("import failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    String::from_utf8(out.stdout)?
        .trim()
        .parse()
        .context("child printed no peak RSS")
}

fn child(home: &Path, src: &Path) -> Result<()> {
    let (home, _) = Home::create(home)?;
    home.import_file(src, &ImportRequest::default(), &mut |_| {})?;
    println!("{}", peak_rss());
    Ok(())
}
