//! Exit codes, stable for scripts (also listed in `saakshi --help` and the README).

use std::process::ExitCode;

use saakshi_core::{CoreError, ErrorClass};
use saakshi_domain::ValidationError;

/// Success.
pub const OK: u8 = 0;
/// Something failed that the user cannot fix by changing the command.
pub const FAILURE: u8 = 1;
/// The command line itself is wrong (clap's own code).
pub const USAGE: u8 = 2;
/// Input was refused: a file that is not media, a latitude of 91, a caption too long.
pub const INPUT: u8 = 3;
/// The home folder is missing, read-only, full, or from a newer Saakshi.
pub const HOME: u8 = 4;
/// The capture asked for does not exist, or the id given fits more than one.
pub const NOT_FOUND: u8 = 5;
/// Sync could not finish: the server is unreachable or refused (details on stderr).
pub const SYNC: u8 = 6;
/// `verify`: some capture in the export is not proven (unsigned, altered, media damaged
/// or missing).
pub const UNPROVEN: u8 = 7;

/// The text shown under `saakshi --help`.
pub const HELP: &str = "\
Exit codes:
  0  success
  1  failure (I/O, database)
  2  usage error
  3  input refused (not media, bad location, caption too long, ...); nothing was stored
  4  home folder problem (not initialised, read-only, disk full, newer schema)
  5  no such capture (or the id fits more than one: give more of it)
  6  sync did not finish (server unreachable, device not enrolled or revoked, app too old for the server)
  7  verify: not every capture in the export is signed, unchanged and whole";

/// The exit code for an error.
pub fn code_for(err: &anyhow::Error) -> ExitCode {
    let code = match err.downcast_ref::<CoreError>().map(CoreError::class) {
        Some(ErrorClass::Input) => INPUT,
        Some(ErrorClass::Home) => HOME,
        Some(ErrorClass::NotFound) => NOT_FOUND,
        Some(ErrorClass::Internal) => FAILURE,
        None if err
            .downcast_ref::<saakshi_core::sync::SyncError>()
            .is_some() =>
        {
            match err.downcast_ref::<saakshi_core::sync::SyncError>() {
                Some(saakshi_core::sync::SyncError::Core(c)) => match c.class() {
                    ErrorClass::Home => HOME,
                    _ => FAILURE,
                },
                _ => SYNC,
            }
        }
        None if err.downcast_ref::<InputError>().is_some()
            || err.downcast_ref::<ValidationError>().is_some() =>
        {
            INPUT
        }
        None if err.downcast_ref::<Unproven>().is_some() => UNPROVEN,
        None => FAILURE,
    };
    debug_assert!(code != OK && code != USAGE);
    ExitCode::from(code)
}

/// `verify` found captures that are not proven (they were listed on stdout).
#[derive(Debug, thiserror::Error)]
#[error("{} in the export {} not proven", crate::output::count(*.0, "capture", "captures"), if *.0 == 1 { "is" } else { "are" })]
pub struct Unproven(pub usize);

/// A refusal that the CLI itself makes (before calling the core).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);
