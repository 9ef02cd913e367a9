//! The organisation's area tree: state → region → district → lok_sabha → vidhan_sabha →
//! mandal → booth (levels may be skipped, never reversed).

use serde::{Deserialize, Serialize};

use crate::validate::{self, ValidationError};

/// A level of the area tree, ordered from the top (`State`) down (`Booth`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    /// A state or union territory.
    State,
    /// A region within a state.
    Region,
    /// An administrative district.
    District,
    /// A parliamentary constituency.
    LokSabha,
    /// An assembly constituency.
    VidhanSabha,
    /// A mandal (block-level unit).
    Mandal,
    /// A polling booth.
    Booth,
}

impl AreaLevel {
    /// Stable lowercase name (CSV, database, wire).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::State => "state",
            Self::Region => "region",
            Self::District => "district",
            Self::LokSabha => "lok_sabha",
            Self::VidhanSabha => "vidhan_sabha",
            Self::Mandal => "mandal",
            Self::Booth => "booth",
        }
    }

    /// Inverse of [`AreaLevel::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "state" => Self::State,
            "region" => Self::Region,
            "district" => Self::District,
            "lok_sabha" => Self::LokSabha,
            "vidhan_sabha" => Self::VidhanSabha,
            "mandal" => Self::Mandal,
            "booth" => Self::Booth,
            _ => return None,
        })
    }

    /// Whether an area of this level may sit directly under one of `parent`'s level.
    pub fn may_be_under(self, parent: AreaLevel) -> bool {
        self > parent
    }
}

/// One area of the tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// Unique code (booth number, district code, …).
    pub code: String,
    /// Its level.
    pub level: AreaLevel,
    /// English name.
    pub name_en: String,
    /// Hindi name.
    pub name_hi: String,
    /// The area it belongs to; `None` only at the root(s).
    pub parent_code: Option<String>,
}

impl Area {
    /// Checks the area on its own (the tree checks its parent).
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::area_code(&self.code)?;
        for (field, name) in [("name_en", &self.name_en), ("name_hi", &self.name_hi)] {
            if name.trim().is_empty() {
                return Err(ValidationError::new(field, "the name is empty"));
            }
            validate::text(field, name, 200)?;
        }
        if let Some(p) = &self.parent_code {
            validate::area_code(p)?;
            if p == &self.code {
                return Err(ValidationError::new(
                    "parent_code",
                    "an area cannot be its own parent",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_only_nest_downwards() {
        assert!(AreaLevel::Booth.may_be_under(AreaLevel::Mandal));
        assert!(AreaLevel::Booth.may_be_under(AreaLevel::State));
        assert!(!AreaLevel::District.may_be_under(AreaLevel::Mandal));
        assert!(!AreaLevel::Mandal.may_be_under(AreaLevel::Mandal));
        for l in [AreaLevel::State, AreaLevel::LokSabha, AreaLevel::Booth] {
            assert_eq!(AreaLevel::parse(l.as_str()), Some(l));
        }
    }

    #[test]
    fn area_rules() {
        let mut a = Area {
            code: "B-104".into(),
            level: AreaLevel::Booth,
            name_en: "Booth 104".into(),
            name_hi: "बूथ 104".into(),
            parent_code: Some("M-7".into()),
        };
        a.validate().unwrap();
        a.parent_code = Some("B-104".into());
        assert_eq!(a.validate().unwrap_err().field, "parent_code");
        a.parent_code = None;
        a.name_hi = " ".into();
        assert_eq!(a.validate().unwrap_err().field, "name_hi");
    }
}
