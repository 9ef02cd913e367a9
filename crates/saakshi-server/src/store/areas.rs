//! The organisation's area tree: areas with their paths, imported all or nothing, and
//! the one definition of area scope.

use saakshi_domain::Area;
use saakshi_domain::wire::AreaSummary;

use super::{StoreError, StoreResult};

/// Whether the area at `path` lies in the subtree rooted at `prefix`. An area path looks
/// like `/UP/LKO/B-104/` (always ending in `/`), and an area is in the subtree of a prefix
/// exactly when the prefix is a byte prefix of its path: case-sensitive, no wildcards.
/// Every store's queries must give the same answers (the SQLite one is held to it by a
/// test in `sqlite/scope.rs`).
pub fn covers(prefix: &str, path: &str) -> bool {
    path.as_bytes().starts_with(prefix.as_bytes())
}

/// An area with its place in the tree.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AreaRow {
    /// The area.
    #[serde(flatten)]
    pub area: Area,
    /// `/UP/LKO/B-104/`.
    pub path: String,
}

/// Why an import was refused.
#[derive(Debug, thiserror::Error)]
pub enum AreaImportError {
    /// A line is wrong.
    #[error("line {line}: {problem}")]
    Line {
        /// 1-based line number in the file (the header is line 1).
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AreaImportError {
    /// What is wrong with line `line` (1-based; the header is line 1).
    pub fn line(line: usize, problem: impl Into<String>) -> Self {
        Self::Line {
            line,
            problem: problem.into(),
        }
    }
}

/// The area tree.
#[async_trait::async_trait]
pub trait Areas: Send + Sync {
    /// Imports areas (new ones inserted, existing ones renamed), all or nothing. Returns
    /// how many lines were imported.
    async fn import_areas(&self, areas: Vec<(usize, Area)>) -> Result<usize, AreaImportError>;

    /// One area.
    async fn area(&self, code: String) -> StoreResult<Option<(AreaSummary, String)>>;

    /// Areas under `prefix` (all when `None`), in tree order.
    async fn list_areas(&self, prefix: Option<String>) -> StoreResult<Vec<AreaRow>>;
}
