//! The `saakshi` command line: argument parsing, human and JSON output, exit codes.
//! Every command is a thin layer over `saakshi-core`.

mod args;
mod commands;
mod exit;
mod output;

use std::process::ExitCode;

use clap::Parser;

pub use args::Cli;

/// Parses the command line, runs the command, prints any error as one line on stderr and
/// returns the documented exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            output::error_line(&err);
            exit::code_for(&err)
        }
    }
}
