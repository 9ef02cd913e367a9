//! `saakshi-server`: everything happens in `saakshi_server::cli`.

fn main() -> std::process::ExitCode {
    saakshi_server::cli::main()
}
