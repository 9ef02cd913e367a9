//! Kits: curated media published to areas, and who may download it.

use saakshi_domain::wire::Kit;
use saakshi_domain::{CaptureId, Sha256};

use super::StoreResult;

/// Why a kit could not be published.
#[derive(Debug, PartialEq, Eq)]
pub enum KitRefusal {
    /// A capture is unknown, out of scope, or its media has not arrived.
    Capture(String),
    /// An area is unknown or out of scope.
    Area(String),
    /// A capture a coordinator has not approved: only approved captures go to the field.
    NotApproved(String),
}

/// A kit as the dashboard lists it: the kit devices receive, and where it was sent.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PublishedKit {
    /// The kit.
    #[serde(flatten)]
    pub kit: Kit,
    /// The areas it was published to.
    pub area_codes: Vec<String>,
}

/// Kits: published to areas, pulled by their devices.
#[async_trait::async_trait]
pub trait Kits: Send + Sync {
    /// Publishes a kit of the media of `captures` to `areas`: every device at or below
    /// those areas receives it at its next pull. `scope` is the publisher's area path
    /// (`None`: everywhere); captures and areas outside it are refused.
    #[allow(clippy::too_many_arguments)]
    async fn publish_kit(
        &self,
        user_id: i64,
        scope: Option<String>,
        titles: (String, String),
        captions: (String, String),
        captures: Vec<CaptureId>,
        areas: Vec<String>,
    ) -> StoreResult<Result<Kit, KitRefusal>>;

    /// Kits published to areas under `scope` (all when `None`), newest first.
    async fn list_kits(&self, scope: Option<String>) -> StoreResult<Vec<PublishedKit>>;

    /// Whether a kit for an area at or above `device_area_path` holds this media.
    async fn kit_reaches(&self, device_area_path: String, sha256: Sha256) -> StoreResult<bool>;
}
