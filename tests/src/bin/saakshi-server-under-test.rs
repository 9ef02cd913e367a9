//! The `saakshi-server` command line, for tests that run (and kill) it as a process.

fn main() -> std::process::ExitCode {
    saakshi_server::cli::main()
}
