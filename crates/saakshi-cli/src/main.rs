//! `saakshi`: the field client without a screen. Everything happens in `saakshi_cli`.

fn main() -> std::process::ExitCode {
    saakshi_cli::main()
}
