//! The command line of DESIGN.md, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Saakshi field client: capture photos, videos and audio with where and when they were
/// taken, keep them safe on this device, and sync them when a network appears.
#[derive(Debug, Parser)]
#[command(name = "saakshi", version, after_help = crate::exit::HELP)]
pub struct Cli {
    /// The device's home folder [default: the platform data folder, e.g.
    /// ~/.local/share/saakshi].
    #[arg(long, global = true, env = "SAAKSHI_HOME", value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// Print one JSON document on stdout instead of text for people.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the home folder and its store (safe to run again).
    Init,
    /// Store media files as captures, with location, caption, tags and event.
    Capture(CaptureArgs),
    /// List captures, newest first.
    List(ListArgs),
    /// Show one capture in full (by id, or a unique start or end of it).
    Show {
        /// Capture id, or its last characters as `list` shows them.
        id: String,
    },
    /// Counts per state, bytes waiting to sync, storage used.
    Status,
    /// Copy media plus one JSON manifest per capture into a folder.
    Export(ExportArgs),
    /// Check exported evidence offline: signatures and media hashes of a `saakshi export`
    /// folder or a server's export ZIP.
    Verify {
        /// The export folder or ZIP file.
        path: PathBuf,
    },
    /// Enrol this device with a server: `enroll URL CODE`, or `enroll INVITE-LINK`.
    Enroll {
        /// Server address (http://host:port) or the invite link.
        server: String,
        /// The invite code (not needed with a link).
        code: Option<String>,
        /// A name for this device, as coordinators will see it.
        #[arg(long, default_value = "saakshi cli")]
        name: String,
    },
    /// Send everything waiting to the server and pull what changed.
    Sync(SyncArgs),
    /// Kits coordinators published to this device's area, with where their media is.
    Kits,
    /// Put failed captures back in the queue (one by id, or all).
    Retry {
        /// Capture id (or its short form); all failed captures when absent.
        id: Option<String>,
    },
}

/// `saakshi sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Sync until nothing is left (retrying network errors a few times), then exit.
    #[arg(long, conflicts_with = "watch")]
    pub once: bool,
    /// Keep running: sync whenever there is work and the server answers.
    #[arg(long)]
    pub watch: bool,
    /// Upload at most this many KiB a second.
    #[arg(long, value_name = "KIB")]
    pub bandwidth: Option<u64>,
    /// Seconds between checks in --watch mode.
    #[arg(long, default_value_t = 30)]
    pub poll: u64,
}

/// `saakshi capture`.
#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// Photo, video or audio files (recognised by content, not name).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Latitude in degrees (-90..90); needs --lon.
    #[arg(long, requires = "lon", allow_negative_numbers = true)]
    pub lat: Option<f64>,
    /// Longitude in degrees (-180..180); needs --lat.
    #[arg(long, requires = "lat", allow_negative_numbers = true)]
    pub lon: Option<f64>,
    /// Accuracy of the position in metres.
    #[arg(long, requires = "lat", allow_negative_numbers = true)]
    pub accuracy: Option<f64>,
    /// Altitude in metres.
    #[arg(long, requires = "lat", allow_negative_numbers = true)]
    pub altitude: Option<f64>,
    /// Caption (any language).
    #[arg(long, default_value = "")]
    pub caption: String,
    /// A tag; repeat for more.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// The event these captures belong to.
    #[arg(long)]
    pub event: Option<String>,
    /// Store files again even if the same bytes were captured before.
    #[arg(long)]
    pub allow_duplicate: bool,
    /// Store --lat/--lon even where they contradict a photo's own GPS position by more
    /// than a few kilometres or look swapped (without it such files are refused).
    #[arg(long, requires = "lat")]
    pub force_location: bool,
}

/// `saakshi list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only captures in this state (captured, registered, previewed, uploaded, synced,
    /// failed).
    #[arg(long, value_name = "S")]
    pub state: Option<String>,
    /// Only this kind (photo, video, audio, note).
    #[arg(long)]
    pub kind: Option<String>,
    /// At most this many.
    #[arg(long)]
    pub limit: Option<u32>,
}

/// `saakshi export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The folder to write into (created if missing).
    pub dir: PathBuf,
    /// Only captures in this state.
    #[arg(long, value_name = "S")]
    pub state: Option<String>,
}
