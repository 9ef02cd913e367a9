//! One module per command; each opens the home, calls the core, prints.

mod capture;
mod enroll;
mod export;
mod init;
mod kits;
mod list;
mod retry;
mod show;
mod status;
mod sync;
mod verify;

use std::path::PathBuf;

use anyhow::{Context, Result};
use saakshi_core::{CaptureFilter, Home};
use saakshi_domain::{CaptureState, MediaKind};

use crate::args::{Cli, Command};
use crate::exit::InputError;

/// Runs the parsed command line.
pub fn run(cli: &Cli) -> Result<()> {
    let home = home_path(cli)?;
    match &cli.command {
        Command::Init => init::run(&home, cli.json),
        Command::Capture(args) => capture::run(&Home::open(&home)?, args, cli.json),
        Command::List(args) => list::run(&Home::open(&home)?, args, cli.json),
        Command::Show { id } => show::run(&Home::open(&home)?, id, cli.json),
        Command::Status => status::run(&Home::open(&home)?, cli.json),
        Command::Export(args) => export::run(&Home::open(&home)?, args, cli.json),
        // Checks files anywhere; needs no home.
        Command::Verify { path } => verify::run(path, cli.json),
        Command::Enroll { server, code, name } => {
            enroll::run(&Home::open(&home)?, server, code.as_deref(), name, cli.json)
        }
        Command::Sync(args) => sync::run(Home::open(&home)?, args, cli.json),
        Command::Kits => kits::run(&Home::open(&home)?, cli.json),
        Command::Retry { id } => retry::run(&Home::open(&home)?, id.as_deref(), cli.json),
    }
}

/// A runtime for the commands that talk to a server.
fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

fn home_path(cli: &Cli) -> Result<PathBuf> {
    match &cli.home {
        Some(p) => Ok(p.clone()),
        None => Home::default_path()
            .context("this system has no data folder; give one with --home or SAAKSHI_HOME"),
    }
}

/// Parses `--state` and `--kind` into a filter, refusing unknown names.
fn filter(state: Option<&str>, kind: Option<&str>, limit: Option<u32>) -> Result<CaptureFilter> {
    let state = state
        .map(|s| {
            CaptureState::parse(s).ok_or_else(|| {
                InputError(format!(
                    "unknown state {s:?}; use one of: {}",
                    CaptureState::ALL.map(|s| s.as_str()).join(", ")
                ))
            })
        })
        .transpose()?;
    let kind = kind
        .map(|k| {
            MediaKind::parse(k).ok_or_else(|| {
                InputError(format!(
                    "unknown kind {k:?}; use photo, video, audio or note"
                ))
            })
        })
        .transpose()?;
    Ok(CaptureFilter {
        state,
        kind,
        limit,
        offset: 0,
    })
}
