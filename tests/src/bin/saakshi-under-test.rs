//! The `saakshi` command line, for tests that run it as a child process.

fn main() -> std::process::ExitCode {
    saakshi_cli::main()
}
