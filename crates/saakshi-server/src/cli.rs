//! The `saakshi-server` command line: serve, or run an admin command against the same
//! data. `main.rs` only calls [`main`].
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::{Overrides, Settings};
use crate::{admin, ensure_first_admin, open_state, serve};
use clap::{Parser, Subcommand};

/// Saakshi central server. With no options: SQLite and a media folder in the platform
/// data directory, listening on 127.0.0.1:8470.
#[derive(Debug, Parser)]
#[command(name = "saakshi-server", version)]
struct Cli {
    /// Data directory (database, media, uploads).
    #[arg(long, global = true, env = "SAAKSHI_SERVER_DATA", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8470].
    #[arg(long, global = true, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// TOML settings file.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Administration, usable while the server runs.
    #[command(subcommand)]
    Admin(Admin),
    /// Print the OpenAPI document of the HTTP API (what /api/v1/openapi.json serves);
    /// `docs/openapi.json` is this output.
    Openapi,
}

#[derive(Debug, Subcommand)]
enum Admin {
    /// Import areas from CSV: code,level,name_en,name_hi,parent_code.
    ImportAreas { file: PathBuf },
    /// Create an invite for devices of an area.
    Invite {
        #[arg(long)]
        area: String,
        /// How many devices may use it.
        #[arg(long, default_value_t = 1)]
        uses: u32,
        /// Days until it expires.
        #[arg(long, default_value_t = 7)]
        days: u32,
        #[arg(long)]
        json: bool,
    },
    /// Create an admin or a coordinator (prints a first password).
    CreateUser {
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        area: Option<String>,
    },
    /// What the server holds: id, sha256, media state.
    Captures {
        #[arg(long)]
        area: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("saakshi-server: error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("saakshi-server: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // Needs no settings nor data: the document is made from the code alone.
    if let Some(Command::Openapi) = cli.command {
        print!("{}", crate::routes::openapi::document_json());
        return Ok(());
    }
    let settings = Settings::load(&Overrides {
        listen: cli.listen,
        data_dir: cli.data_dir,
        config: cli.config,
    })?;
    let base = settings.public_base();
    let unreachable = settings.unreachable_base_warning();
    match cli.command {
        None => {
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info".into()),
                )
                .with_writer(std::io::stderr)
                // Colour codes only on a terminal, not in a journal or a log file.
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .init();
            let state = open_state(settings)?;
            println!(
                "saakshi-server: data in {}",
                state.settings.data_dir.display()
            );
            if let Some(pw) = ensure_first_admin(&state).await? {
                println!("saakshi-server: created user admin; one-time password: {pw}");
            }
            // Bind before saying so: scripts wait for this line and then connect.
            let listener = tokio::net::TcpListener::bind(state.settings.listen).await?;
            println!(
                "saakshi-server: listening on http://{}",
                listener.local_addr()?
            );
            if let Some(w) = &unreachable {
                eprintln!("saakshi-server: warning: {w}");
            }
            serve(state, listener).await
        }
        Some(Command::Openapi) => Ok(()),
        Some(Command::Admin(cmd)) => {
            let state = open_state(settings)?;
            let db = state.db.as_ref();
            let out = match cmd {
                Admin::ImportAreas { file } => {
                    let text = std::fs::read_to_string(&file)
                        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
                    admin::import_areas(db, text).await?
                }
                Admin::Invite {
                    area,
                    uses,
                    days,
                    json,
                } => {
                    let out = admin::invite(db, &base, area, uses, days, json).await?;
                    if let Some(w) = &unreachable {
                        eprintln!("saakshi-server: warning: {w}");
                    }
                    out
                }
                Admin::CreateUser { name, role, area } => {
                    let password = admin::create_user(db, name.clone(), &role, area).await?;
                    format!("created {role} {name}; first password (shown once): {password}")
                }
                Admin::Captures { area, json } => admin::captures(db, area, json).await?,
            };
            println!("{out}");
            Ok(())
        }
    }
}
