//! The one error the commands return. `kind` picks the sentence the UI shows (its
//! dictionaries have `error.<kind>` in Hindi and English); `detail` is the core's own
//! words, for support. Serialised as `{"kind", "field"?, "detail"}`.

use saakshi_core::sync::SyncError;
use saakshi_core::{CoreError, InputProblem, LocationDoubt};
use serde::Serialize;

/// Why a command failed.
#[derive(Debug, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    /// A field broke a rule (`field` names it); nothing was stored.
    #[error("{detail}")]
    Invalid { field: String, detail: String },
    /// Not a photo, video or audio file.
    #[error("{detail}")]
    NotMedia { detail: String },
    /// Zero bytes.
    #[error("{detail}")]
    Empty { detail: String },
    /// Could not be read.
    #[error("{detail}")]
    Unreadable { detail: String },
    /// The device's storage is full.
    #[error("{detail}")]
    DiskFull { detail: String },
    /// The store cannot be written.
    #[error("{detail}")]
    ReadOnly { detail: String },
    /// The store is missing, too new or damaged.
    #[error("{detail}")]
    Home { detail: String },
    /// No such capture or media.
    #[error("{detail}")]
    NotFound { detail: String },
    /// What was pasted is not an invite link or a server address and code.
    #[error("{detail}")]
    BadInvite { detail: String },
    /// Enrolled already.
    #[error("{detail}")]
    AlreadyEnrolled { detail: String },
    /// The server refused the invite (used, expired, mistyped).
    #[error("{detail}")]
    EnrollRefused { detail: String },
    /// The server did not answer.
    #[error("{detail}")]
    ServerUnreachable { detail: String },
    /// Needs enrolment first.
    #[error("{detail}")]
    NotEnrolled { detail: String },
    /// A coordinator revoked this device.
    #[error("{detail}")]
    Revoked { detail: String },
    /// The server answers in a form this version cannot read: update the app.
    #[error("{detail}")]
    UpdateRequired { detail: String },
    /// The location given contradicts the photo's own GPS position or looks swapped;
    /// nothing was stored. The app shows both positions and asks which is right.
    #[error("{detail}")]
    LocationDoubt {
        doubts: Vec<LocationDoubt>,
        detail: String,
    },
    /// Anything else.
    #[error("{detail}")]
    Internal { detail: String },
}

impl AppError {
    pub fn internal(detail: impl ToString) -> Self {
        Self::Internal {
            detail: detail.to_string(),
        }
    }

    pub fn location_doubt(doubts: Vec<LocationDoubt>) -> Self {
        let detail = doubts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        Self::LocationDoubt { doubts, detail }
    }

    pub fn invalid(field: &str, detail: impl ToString) -> Self {
        Self::Invalid {
            field: field.to_string(),
            detail: detail.to_string(),
        }
    }
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        let detail = e.to_string();
        match e {
            CoreError::Invalid(v) => Self::Invalid {
                field: v.field.to_string(),
                detail,
            },
            CoreError::Input { problem, .. } => match problem {
                InputProblem::NotMedia(_) => Self::NotMedia { detail },
                InputProblem::Empty => Self::Empty { detail },
                _ => Self::Unreadable { detail },
            },
            CoreError::DiskFull(_) => Self::DiskFull { detail },
            CoreError::ReadOnly(_) => Self::ReadOnly { detail },
            CoreError::NoHome(_)
            | CoreError::SchemaTooNew { .. }
            | CoreError::MigrationChanged(_)
            | CoreError::Corrupt(_)
            | CoreError::DamagedKey => Self::Home { detail },
            CoreError::NotFound(_) | CoreError::Ambiguous(_) => Self::NotFound { detail },
            CoreError::Io { .. } | CoreError::Db(_) => Self::Internal { detail },
        }
    }
}

impl From<SyncError> for AppError {
    fn from(e: SyncError) -> Self {
        let detail = e.to_string();
        match e {
            SyncError::Core(c) => c.into(),
            SyncError::Transient { .. } => Self::ServerUnreachable { detail },
            SyncError::NotEnrolled => Self::NotEnrolled { detail },
            SyncError::Refused(_) => Self::Revoked { detail },
            SyncError::UpdateRequired(_) => Self::UpdateRequired { detail },
            // Permanent answers during enrolment are the server refusing the invite.
            SyncError::Permanent(_) => Self::EnrollRefused { detail },
        }
    }
}

impl From<tauri::Error> for AppError {
    fn from(e: tauri::Error) -> Self {
        Self::internal(e)
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::internal(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(e: &AppError) -> String {
        serde_json::to_value(e).unwrap()["kind"]
            .as_str()
            .unwrap()
            .to_string()
    }

    fn every_kind() -> Vec<AppError> {
        let d = || "x".to_string();
        vec![
            AppError::invalid("lat", "x"),
            AppError::NotMedia { detail: d() },
            AppError::Empty { detail: d() },
            AppError::Unreadable { detail: d() },
            AppError::DiskFull { detail: d() },
            AppError::ReadOnly { detail: d() },
            AppError::Home { detail: d() },
            AppError::NotFound { detail: d() },
            AppError::BadInvite { detail: d() },
            AppError::AlreadyEnrolled { detail: d() },
            AppError::EnrollRefused { detail: d() },
            AppError::ServerUnreachable { detail: d() },
            AppError::NotEnrolled { detail: d() },
            AppError::Revoked { detail: d() },
            AppError::UpdateRequired { detail: d() },
            AppError::internal("x"),
        ]
    }

    #[test]
    fn serialises_as_kind_field_detail() {
        let v = serde_json::to_value(AppError::invalid("lat", "latitude 91 is outside -90..90"))
            .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"kind": "invalid", "field": "lat", "detail": "latitude 91 is outside -90..90"})
        );
    }

    #[test]
    fn every_kind_reads_in_hindi_and_english() {
        // The UI shows error.<kind>; a kind without both sentences would show its key.
        let en: serde_json::Value =
            serde_json::from_str(include_str!("../../ui/app/src/i18n/en.json")).unwrap();
        let hi: serde_json::Value =
            serde_json::from_str(include_str!("../../ui/app/src/i18n/hi.json")).unwrap();
        for e in every_kind() {
            let key = format!("error.{}", kind(&e));
            for (lang, dict) in [("en", &en), ("hi", &hi)] {
                let text = dict[&key].as_str().unwrap_or_default();
                assert!(!text.trim().is_empty(), "{key} missing in {lang}");
            }
        }
    }

    #[test]
    fn core_errors_map_to_what_the_user_can_act_on() {
        let bad_lat = saakshi_domain::ValidationError::new("lat", "latitude 91 is outside -90..90");
        let e: AppError = CoreError::Invalid(bad_lat).into();
        assert!(matches!(e, AppError::Invalid { ref field, .. } if field == "lat"));
        let e: AppError = CoreError::Input {
            path: "notes.txt".into(),
            problem: InputProblem::NotMedia("it looks like text".into()),
        }
        .into();
        assert_eq!(kind(&e), "not_media");
        assert!(e.to_string().contains("notes.txt"));
        let e: AppError = SyncError::NotEnrolled.into();
        assert_eq!(kind(&e), "not_enrolled");
        let e: AppError = SyncError::UpdateRequired("the pull: expected a map".into()).into();
        assert_eq!(kind(&e), "update_required");
    }
}
