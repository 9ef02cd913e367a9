//! What can go wrong on the device, in words a volunteer (or a script) can act on.

use std::io;
use std::path::{Path, PathBuf};

use saakshi_domain::ValidationError;

/// Why a file offered for import was refused.
#[derive(Debug, thiserror::Error)]
pub enum InputProblem {
    /// Nothing at that path.
    #[error("no such file")]
    Missing,
    /// A directory, not a file.
    #[error("is a directory, not a file")]
    Directory,
    /// A device, socket or other non-regular file.
    #[error("is not a regular file")]
    NotAFile,
    /// Zero bytes long.
    #[error("is empty")]
    Empty,
    /// Not a photo, video or audio file, judged by its content.
    #[error("is not a photo, video or audio file ({0})")]
    NotMedia(String),
    /// Could not be read.
    #[error("cannot be read: {0}")]
    Unreadable(io::Error),
    /// Not an export that `saakshi verify` can check.
    #[error("is not a Saakshi export: {0}")]
    NotEvidence(String),
}

/// Errors of the device core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The home folder has no store yet.
    #[error("no Saakshi store at {0}; run `saakshi init` first")]
    NoHome(PathBuf),
    /// The home (or a folder in it) cannot be written.
    #[error("{0} is read-only; Saakshi needs to write there")]
    ReadOnly(PathBuf),
    /// No space left where the home lives.
    #[error("the disk holding {0} is full; free some space and try again")]
    DiskFull(PathBuf),
    /// The store was written by a newer Saakshi.
    #[error(
        "this store was written by a newer Saakshi (schema {found}; this one knows up to {known}); update Saakshi to open it"
    )]
    SchemaTooNew {
        /// Highest migration applied to the database.
        found: i64,
        /// Highest migration this build has.
        known: i64,
    },
    /// A migration's text differs from the one applied to this database.
    #[error("migration {0} differs from the one applied to this store; refusing to open it")]
    MigrationChanged(i64),
    /// A file offered for import was refused.
    #[error("{path}: {problem}")]
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: InputProblem,
    },
    /// A field broke a validation rule.
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    /// No capture with that id.
    #[error("no capture matches {0:?}")]
    NotFound(String),
    /// An id prefix that fits more than one capture.
    #[error("{0:?} matches more than one capture; give more of the id")]
    Ambiguous(String),
    /// Stored media no longer hashes to its address.
    #[error("media {0} is damaged on disk (its bytes no longer match their SHA-256)")]
    Corrupt(String),
    /// The device's signing key in the store cannot be read.
    #[error("the device key in the store is damaged; this device cannot sign captures")]
    DamagedKey,
    /// Any other file-system error, with what was being done.
    #[error("{context}: {source}")]
    Io {
        /// What Saakshi was doing.
        context: String,
        /// The OS error.
        source: io::Error,
    },
    /// Any other database error.
    #[error("local database: {0}")]
    Db(rusqlite::Error),
}

/// Result of the device core.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;

/// Which kind of trouble an error is, for exit codes and UI colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    /// The user's input was refused; fix it and try again.
    Input,
    /// The home folder is missing, read-only, full, too new, or damaged.
    Home,
    /// The thing asked for does not exist.
    NotFound,
    /// Anything else.
    Internal,
}

impl CoreError {
    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Input { .. } | Self::Invalid(_) => ErrorClass::Input,
            Self::NoHome(_)
            | Self::ReadOnly(_)
            | Self::DiskFull(_)
            | Self::SchemaTooNew { .. }
            | Self::MigrationChanged(_)
            | Self::Corrupt(_)
            | Self::DamagedKey => ErrorClass::Home,
            // An id that fits several captures names none of them: the same answer as
            // one that fits none, not a refusal of the input.
            Self::NotFound(_) | Self::Ambiguous(_) => ErrorClass::NotFound,
            Self::Io { .. } | Self::Db(_) => ErrorClass::Internal,
        }
    }

    pub(crate) fn input(path: &Path, problem: InputProblem) -> Self {
        Self::Input {
            path: path.to_path_buf(),
            problem,
        }
    }

    /// Wraps an OS error, naming the two that a person can fix (full disk, read-only).
    pub(crate) fn io(context: impl Into<String>, path: &Path, source: io::Error) -> Self {
        match source.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
                Self::DiskFull(path.to_path_buf())
            }
            io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied => {
                Self::ReadOnly(path.to_path_buf())
            }
            _ => Self::Io {
                context: context.into(),
                source,
            },
        }
    }

    /// Wraps a SQLite error the same way.
    pub(crate) fn db(path: &Path, e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DiskFull) => Self::DiskFull(path.to_path_buf()),
            Some(C::ReadOnly | C::PermissionDenied) => Self::ReadOnly(path.to_path_buf()),
            _ => Self::Db(e),
        }
    }
}
